import { ApiOutlined, AppstoreOutlined, BarChartOutlined, BellOutlined, GlobalOutlined, ProfileOutlined, BlockOutlined, BookOutlined, BuildOutlined, CalendarOutlined, FileAddOutlined, IdcardOutlined, HomeOutlined, KeyOutlined, SafetyCertificateOutlined, TeamOutlined, UnorderedListOutlined, UserOutlined } from '../icons';
import { Menu, type MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { useIsStaff } from './Landing';
import { HeartOutlined } from '../icons'; // the survey follow-ups' item

type Item = NonNullable<MenuProps['items']>[number];

/** Keys are route paths; the longest one that prefixes the location is selected. */
function selectedKey(pathname: string, keys: string[]): string[] {
  const match = keys
    .filter((key) => (key === '/' ? pathname === '/' : pathname === key || pathname.startsWith(`${key}/`)))
    .sort((a, b) => b.length - a.length)[0];
  return match ? [match] : [];
}

/** The app's navigation: only what exists now and what the user's roles allow. */
export default function NavMenu({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useTranslation();
  const { hasRole } = useAuth();
  const staff = useIsStaff();
  const { pathname } = useLocation();

  const link = (to: string, label: string) => (
    <Link to={to} onClick={onNavigate}>
      {label}
    </Link>
  );

  // A requester's start page is the portal (see Landing): no Home, and no API tokens in her way.
  const items: Item[] = staff ? [{ key: '/', icon: <HomeOutlined />, label: link('/', t('nav.home')) }] : [];
  if (hasRole('agent') || hasRole('admin')) {
    items.push({ key: '/workspace', icon: <AppstoreOutlined />, label: link('/workspace', t('nav.workspace')) });
    items.push({ key: '/reports/dashboards', icon: <BarChartOutlined />, label: link('/reports/dashboards', t('nav.dashboards')) });
    items.push({ key: '/reports/charts', icon: <BarChartOutlined />, label: link('/reports/charts', t('nav.charts')) });
    items.push({ key: '/reports/periodic', icon: <BarChartOutlined />, label: link('/reports/periodic', t('nav.periodicReports')) });
    items.push({ key: '/follow-ups', icon: <HeartOutlined />, label: link('/follow-ups', t('nav.followUps')) });
  }
  items.push({
    type: 'group',
    key: 'portal',
    label: t('nav.portal'),
    children: [
      { key: '/portal', icon: <FileAddOutlined />, label: link('/portal', t('nav.report')) },
      { key: '/portal/tickets', icon: <UnorderedListOutlined />, label: link('/portal/tickets', t('nav.myTickets')) },
      { key: '/knowledge', icon: <BookOutlined />, label: link('/knowledge', t('nav.knowledge')) },
    ],
  });
  if (hasRole('designer') || hasRole('admin')) {
    items.push({ key: '/designer', icon: <BuildOutlined />, label: link('/designer', t('nav.designer')) });
  }
  if (hasRole('admin')) {
    items.push({
      type: 'group',
      key: 'admin',
      label: t('nav.admin'),
      children: [
        { key: '/admin/users', icon: <UserOutlined />, label: link('/admin/users', t('nav.users')) },
        { key: '/admin/teams', icon: <TeamOutlined />, label: link('/admin/teams', t('nav.teams')) },
        { key: '/admin/roles', icon: <SafetyCertificateOutlined />, label: link('/admin/roles', t('nav.roles')) },
        { key: '/admin/calendars', icon: <CalendarOutlined />, label: link('/admin/calendars', t('nav.calendars')) },
        { key: '/admin/intake', icon: <ApiOutlined />, label: link('/admin/intake', t('nav.intake')) },
        { key: '/admin/templates', icon: <BlockOutlined />, label: link('/admin/templates', t('nav.templates')) },
        { key: '/admin/system', icon: <GlobalOutlined />, label: link('/admin/system', t('nav.system')) },
        { key: '/admin/audit', icon: <ProfileOutlined />, label: link('/admin/audit', t('nav.audit')) },
        { key: '/admin/notifications', icon: <BellOutlined />, label: link('/admin/notifications', t('nav.notifications')) },
      ],
    });
  }
  items.push({
    type: 'group',
    key: 'account',
    label: t('nav.account'),
    children: [
      ...(staff ? [{ key: '/tokens', icon: <KeyOutlined />, label: link('/tokens', t('nav.tokens')) }] : []),
      { key: '/profile', icon: <IdcardOutlined />, label: link('/profile', t('nav.profile')) },
    ],
  });

  const keys = ['/', '/workspace', '/follow-ups', '/reports/dashboards', '/reports/charts', '/reports/periodic', '/designer', '/portal', '/portal/tickets', '/knowledge', '/admin/users', '/admin/teams', '/admin/roles', '/admin/calendars', '/admin/intake', '/admin/templates', '/admin/system', '/admin/audit', '/admin/notifications', '/tokens', '/profile'];
  return <Menu mode="inline" items={items} selectedKeys={selectedKey(pathname, keys)} className="gd-nav-menu" />;
}
