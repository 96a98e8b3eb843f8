import { MenuOutlined } from '../icons';
import { Alert, Button, Drawer, Layout } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import NavMenu from './NavMenu';
import NotificationBell from './NotificationBell';
import UserMenu from './UserMenu';
import { useIsDesktop } from './useMediaQuery';

const { Header, Sider, Content } = Layout;

export default function AppLayout() {
  const { t } = useTranslation();
  const isDesktop = useIsDesktop();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const { readOnly } = useAuth();

  return (
    <Layout className="gd-shell">
      <a className="gd-skip-link" href="#main-content">
        {t('nav.skipToContent')}
      </a>
      <Header className="gd-header">
        {!isDesktop && (
          <Button
            type="text"
            icon={<MenuOutlined />}
            aria-label={t('nav.openNavigation')}
            aria-expanded={drawerOpen}
            aria-controls="gd-nav-drawer"
            onClick={() => setDrawerOpen(true)}
            className="gd-header-button"
          />
        )}
        <Link to="/" className="gd-brand">
          {t('app.name')}
        </Link>
        <div className="gd-header-spacer" />
        <NotificationBell />
        <UserMenu compact={!isDesktop} />
      </Header>
      <Layout>
        {isDesktop && (
          <Sider width={220} theme="light" className="gd-sider">
            <nav aria-label={t('nav.main')}>
              <NavMenu />
            </nav>
          </Sider>
        )}
        <Content id="main-content" tabIndex={-1} className="gd-content">
          {readOnly && (
            <Alert
              type="warning"
              showIcon
              banner
              role="status"
              className="gd-read-only-banner"
              message={t('maintenance.readOnlyTitle')}
              description={t('maintenance.readOnly')}
              style={{ marginBottom: 16 }}
            />
          )}
          <Outlet />
        </Content>
      </Layout>
      {!isDesktop && (
        <Drawer
          id="gd-nav-drawer"
          title={t('app.name')}
          placement="left"
          width={260}
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          styles={{ body: { padding: 0 } }}
        >
          <nav aria-label={t('nav.main')}>
            <NavMenu onNavigate={() => setDrawerOpen(false)} />
          </nav>
        </Drawer>
      )}
    </Layout>
  );
}
