import { ApiOutlined, CheckOutlined, DownOutlined, HeartOutlined, LogoutOutlined, UserOutlined } from '../icons';
import { App, Avatar, Button, Dropdown, type MenuProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { SUPPORTED_LOCALES } from '../i18n';
import { useIsStaff } from './Landing';
import type { Locale } from '../types';
import { useErrorHandler } from '../utils/errors';

function initials(name: string, email: string): string {
  const source = (name || email).trim();
  return source ? Array.from(source)[0]!.toUpperCase() : '?';
}

export default function UserMenu({ compact }: { compact: boolean }) {
  const { t, i18n } = useTranslation();
  const { user, logout, updateProfile, hasRole } = useAuth();
  const staff = useIsStaff();
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);

  if (!user) return null;

  const changeLanguage = async (locale: Locale) => {
    if (locale === user.locale && locale === i18n.language) return;
    try {
      await updateProfile({ locale });
      void message.success(t('userMenu.languageChanged', { lng: locale }));
    } catch (error) {
      handleError(error);
    }
  };

  const doLogout = async () => {
    try {
      await logout(); // RequireAuth then sends the browser to /login
    } catch {
      // the session is cleared locally either way
    }
  };

  const items: MenuProps['items'] = [
    {
      type: 'group',
      key: 'who',
      label: (
        <span className="gd-user-menu-who">
          <strong>{user.name || user.email}</strong>
          <br />
          {user.email}
        </span>
      ),
    },
    { type: 'divider' },
    { key: 'profile', icon: <UserOutlined />, label: t('userMenu.profile') },
    {
      type: 'group',
      key: 'language',
      label: t('userMenu.language'),
      children: SUPPORTED_LOCALES.map((locale) => ({
        key: `lang:${locale}`,
        icon: i18n.language === locale ? <CheckOutlined /> : <span className="gd-icon-spacer" />,
        label: <span lang={locale}>{t(`language.${locale}`)}</span>,
      })),
    },
    // The API's documentation is for staff who script against it, not for requesters.
    ...(staff
      ? [
          { type: 'divider' as const },
          { key: 'docs', icon: <ApiOutlined />, label: <a href="/api/v1/docs">{t('userMenu.apiDocs')}</a> },
        ]
      : []),
    ...(hasRole('admin')
      ? [{ key: 'health', icon: <HeartOutlined />, label: <a href="/healthz">{t('userMenu.health')}</a> }]
      : []),
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, label: t('userMenu.logout') },
  ];

  const onClick: MenuProps['onClick'] = ({ key }) => {
    setOpen(false);
    if (key === 'profile') navigate('/profile');
    else if (key === 'logout') void doLogout();
    else if (key.startsWith('lang:')) void changeLanguage(key.slice(5) as Locale);
  };

  return (
    <Dropdown
      menu={{ items, onClick }}
      trigger={['click']}
      open={open}
      onOpenChange={setOpen}
      placement="bottomRight"
    >
      <Button type="text" aria-label={t('userMenu.button')} className="gd-user-button">
        <Avatar size="small" style={{ backgroundColor: '#1677ff' }} aria-hidden>
          {initials(user.name, user.email)}
        </Avatar>
        {!compact && <span className="gd-user-name">{user.name || user.email}</span>}
        <DownOutlined style={{ fontSize: 10 }} />
      </Button>
    </Dropdown>
  );
}
