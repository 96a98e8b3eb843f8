import { Card, Descriptions, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import PageHeader from '../components/PageHeader';
import RoleTags from '../components/RoleTags';

export default function HomePage() {
  const { t } = useTranslation();
  const { user, hasRole } = useAuth();
  if (!user) return null;
  const isAdmin = hasRole('admin');

  return (
    <>
      <PageHeader title={t('home.title')} />
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Card>
          <Typography.Title level={2} style={{ fontSize: 20, marginTop: 0 }}>
            {t('home.welcome', { name: user.name || user.email })}
          </Typography.Title>
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('home.signedInAs')}>{user.email}</Descriptions.Item>
            <Descriptions.Item label={t('home.yourRoles')}>
              {user.roles.length ? <RoleTags roles={user.roles} /> : t('home.noRoles')}
            </Descriptions.Item>
          </Descriptions>
        </Card>
        <Card title={<h2 className="gd-card-title">{t('home.shortcuts')}</h2>}>
          <ul className="gd-shortcuts">
            {(hasRole('agent') || isAdmin) && (
              <li>
                <Link to="/workspace">{t('home.workspace')}</Link>
              </li>
            )}
            <li>
              <Link to="/portal">{t('home.portal')}</Link>
            </li>
            <li>
              <Link to="/portal/tickets">{t('home.myTickets')}</Link>
            </li>
            {isAdmin && (
              <>
                <li>
                  <Link to="/admin/users">{t('home.manageUsers')}</Link>
                </li>
                <li>
                  <Link to="/admin/teams">{t('home.manageTeams')}</Link>
                </li>
                <li>
                  <Link to="/admin/roles">{t('home.manageRoles')}</Link>
                </li>
              </>
            )}
            <li>
              <Link to="/tokens">{t('home.manageTokens')}</Link>
            </li>
            <li>
              <Link to="/profile">{t('home.editProfile')}</Link>
            </li>
            <li>
              <a href="/api/v1/docs">{t('home.apiDocs')}</a>
            </li>
          </ul>
        </Card>
      </Space>
    </>
  );
}
