import { App, Button, Card, Descriptions, Form, Input, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import DelegationCard from '../approvals/DelegationCard';
import NotificationPreferencesCard from './notificationPrefs/NotificationPreferencesCard';
import { useAuth } from '../auth/AuthContext';
import LocaleSelect from '../components/LocaleSelect';
import PageHeader from '../components/PageHeader';
import RoleTags from '../components/RoleTags';
import TimeZoneSelect from '../components/TimeZoneSelect';
import type { Locale } from '../types';
import { useErrorHandler } from '../utils/errors';
import { useDateTimeFormatter } from '../utils/format';

interface ProfileValues {
  name: string;
  locale: Locale;
  time_zone: string;
}

interface PasswordValues {
  current_password: string;
  new_password: string;
  confirm_password: string;
}

export default function ProfilePage() {
  const { t } = useTranslation();
  const { user, updateProfile } = useAuth();
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const formatDate = useDateTimeFormatter();
  const [profileForm] = Form.useForm<ProfileValues>();
  const [passwordForm] = Form.useForm<PasswordValues>();
  const [savingProfile, setSavingProfile] = useState(false);
  const [savingPassword, setSavingPassword] = useState(false);

  useEffect(() => {
    if (user) profileForm.setFieldsValue({ name: user.name, locale: user.locale, time_zone: user.time_zone });
  }, [user, profileForm]);

  if (!user) return null;

  const saveProfile = async (values: ProfileValues) => {
    setSavingProfile(true);
    try {
      await updateProfile({ name: values.name.trim(), locale: values.locale, time_zone: values.time_zone });
      void message.success(t('profile.saved'));
    } catch (error) {
      handleError(error, profileForm);
    } finally {
      setSavingProfile(false);
    }
  };

  const changePassword = async (values: PasswordValues) => {
    setSavingPassword(true);
    try {
      await updateProfile({ current_password: values.current_password, new_password: values.new_password });
      passwordForm.resetFields();
      void message.success(t('profile.passwordChanged'));
    } catch (error) {
      handleError(error, passwordForm);
    } finally {
      setSavingPassword(false);
    }
  };

  return (
    <>
      <PageHeader title={t('profile.title')} />
      <Space direction="vertical" size="middle" style={{ width: '100%', maxWidth: 640 }}>
        <Card title={<h2 className="gd-card-title">{t('profile.account')}</h2>}>
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('users.email')}>{user.email}</Descriptions.Item>
            <Descriptions.Item label={t('users.roles')}>
              {user.roles.length ? <RoleTags roles={user.roles} /> : t('home.noRoles')}
            </Descriptions.Item>
            <Descriptions.Item label={t('profile.memberSince')}>{formatDate(user.created_at)}</Descriptions.Item>
          </Descriptions>
        </Card>
        <Card title={<h2 className="gd-card-title">{t('profile.details')}</h2>}>
          <Form<ProfileValues> form={profileForm} name="profile" layout="vertical" onFinish={saveProfile}>
            <Form.Item
              label={t('users.name')}
              name="name"
              rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('users.name') }) }]}
            >
              <Input autoComplete="name" maxLength={200} />
            </Form.Item>
            <Form.Item label={t('users.locale')} name="locale" rules={[{ required: true }]}>
              <LocaleSelect />
            </Form.Item>
            <Form.Item label={t('users.timeZone')} name="time_zone" rules={[{ required: true, message: t('validation.required', { field: t('users.timeZone') }) }]}>
              <TimeZoneSelect />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={savingProfile}>
              {t('common.save')}
            </Button>
          </Form>
        </Card>
        <DelegationCard me={user} />
        <NotificationPreferencesCard />
        <Card title={<h2 className="gd-card-title">{t('profile.changePassword')}</h2>}>
          <Form<PasswordValues> form={passwordForm} name="password" layout="vertical" onFinish={changePassword}>
            {/* Lets password managers tie the new password to this account. */}
            <input type="text" name="username" autoComplete="username" value={user.email} readOnly hidden />
            <Form.Item
              label={t('profile.currentPassword')}
              name="current_password"
              rules={[{ required: true, message: t('validation.required', { field: t('profile.currentPassword') }) }]}
            >
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Form.Item
              label={t('profile.newPassword')}
              name="new_password"
              rules={[{ required: true, message: t('validation.required', { field: t('profile.newPassword') }) }]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Form.Item
              label={t('profile.confirmPassword')}
              name="confirm_password"
              dependencies={['new_password']}
              rules={[
                { required: true, message: t('validation.required', { field: t('profile.confirmPassword') }) },
                ({ getFieldValue }) => ({
                  validator: (_, value) =>
                    !value || getFieldValue('new_password') === value
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('profile.passwordsDiffer'))),
                }),
              ]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Button htmlType="submit" loading={savingPassword}>
              {t('profile.changePasswordButton')}
            </Button>
          </Form>
        </Card>
      </Space>
    </>
  );
}
