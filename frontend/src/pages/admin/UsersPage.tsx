import { PlusOutlined } from '../../icons';
import {
  App,
  Button,
  Drawer,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { useAuth } from '../../auth/AuthContext';
import LoadMore from '../../components/LoadMore';
import LocaleSelect from '../../components/LocaleSelect';
import PageHeader from '../../components/PageHeader';
import RoleTags from '../../components/RoleTags';
import TimeZoneSelect from '../../components/TimeZoneSelect';
import UserPicker from '../../components/UserPicker';
import '../../approvals/i18n';
import { useCursorList } from '../../hooks';
import { normalizeLocale } from '../../i18n';
import { useIsDesktop } from '../../layout/useMediaQuery';
import type { ItemList, Locale, Role, User } from '../../types';
import { useErrorHandler } from '../../utils/errors';
import { useDateTimeFormatter } from '../../utils/format';
import { browserTimeZone } from '../../utils/timezones';

type ActiveFilter = 'all' | 'true' | 'false';

interface UserFormValues {
  email: string;
  name: string;
  roles: string[];
  password?: string;
  locale: Locale;
  time_zone: string;
  active: boolean;
  manager_id?: number | null;
}

export default function UsersPage() {
  const { t, i18n } = useTranslation();
  const { user: me } = useAuth();
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const formatDate = useDateTimeFormatter();
  const isDesktop = useIsDesktop();
  const [q, setQ] = useState('');
  const [active, setActive] = useState<ActiveFilter>('all');
  const list = useCursorList<User>('/users', { q, active: active === 'all' ? undefined : active });
  const [roles, setRoles] = useState<Role[]>([]);
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<UserFormValues>();
  const [link, setLink] = useState<{ user: User; purpose: string; url: string | null; emailed: boolean; expires_at: string } | null>(null);

  /** An invitation (never had a password) or a reset link: e-mailed, or shown here to hand over without SMTP. */
  const sendLink = async (user: User) => {
    try {
      const issued = await api.post<{ purpose: string; url: string | null; emailed: boolean; expires_at: string }>(
        `/users/${user.id}/password-link`,
        {},
      );
      if (issued.emailed) void message.success(t('password.linkEmailed', { email: user.email }));
      else setLink({ user, ...issued });
    } catch (error) {
      handleError(error);
    }
  };

  useEffect(() => {
    api
      .get<ItemList<Role>>('/roles')
      .then((res) => setRoles(res.items))
      .catch(handleError);
  }, [handleError]);

  const openCreate = () => {
    setEditing('new');
    form.resetFields();
    form.setFieldsValue({
      roles: [],
      locale: normalizeLocale(i18n.language) ?? 'en',
      time_zone: browserTimeZone(),
      active: true,
    });
  };

  const openEdit = (user: User) => {
    setEditing(user);
    form.resetFields();
    form.setFieldsValue({
      email: user.email,
      name: user.name,
      roles: user.roles,
      locale: user.locale,
      time_zone: user.time_zone,
      active: user.active,
      password: '',
      manager_id: user.manager_id ?? null,
    });
  };

  const replaceUser = (updated: User) =>
    list.setItems((prev) => prev.map((u) => (u.id === updated.id ? updated : u)));

  const save = async (values: UserFormValues) => {
    setSaving(true);
    const body: Record<string, unknown> = {
      email: values.email.trim(),
      name: values.name.trim(),
      roles: values.roles ?? [],
      locale: values.locale,
      time_zone: values.time_zone,
      active: values.active,
      manager_id: values.manager_id ?? null,
    };
    if (values.password) body.password = values.password;
    try {
      if (editing === 'new') {
        const created = await api.post<User>('/users', body);
        list.setItems((prev) => [created, ...prev]);
        void message.success(t('users.created', { email: created.email }));
      } else if (editing) {
        const updated = await api.patch<User>(`/users/${editing.id}`, body);
        replaceUser(updated);
        void message.success(t('users.saved', { email: updated.email }));
      }
      setEditing(null);
    } catch (error) {
      handleError(error, form);
    } finally {
      setSaving(false);
    }
  };

  const deactivate = async (user: User) => {
    try {
      await api.delete(`/users/${user.id}`);
      replaceUser({ ...user, active: false });
      void message.success(t('users.deactivated', { email: user.email }));
    } catch (error) {
      handleError(error);
    }
  };

  const reactivate = async (user: User) => {
    try {
      replaceUser(await api.patch<User>(`/users/${user.id}`, { active: true }));
      void message.success(t('users.reactivated', { email: user.email }));
    } catch (error) {
      handleError(error);
    }
  };

  const columns: TableColumnsType<User> = [
    { title: t('users.email'), dataIndex: 'email', key: 'email' },
    { title: t('users.name'), dataIndex: 'name', key: 'name' },
    { title: t('users.roles'), dataIndex: 'roles', key: 'roles', render: (r: string[]) => <RoleTags roles={r} /> },
    {
      title: t('users.active'),
      dataIndex: 'active',
      key: 'active',
      render: (isActive: boolean) =>
        isActive ? <Tag color="green">{t('users.activeYes')}</Tag> : <Tag>{t('users.activeNo')}</Tag>,
    },
    {
      title: t('users.lastLogin'),
      dataIndex: 'last_login_at',
      key: 'last_login_at',
      render: (v: string | null) => (v ? formatDate(v) : t('common.never')),
      responsive: ['md'],
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, user) => (
        <Space wrap>
          <Button size="small" onClick={() => openEdit(user)} aria-label={t('users.editNamed', { email: user.email })}>
            {t('common.edit')}
          </Button>
          {user.active && (
            <Button size="small" onClick={() => void sendLink(user)} aria-label={t('password.sendLinkNamed', { email: user.email })}>
              {t('password.sendLink')}
            </Button>
          )}
          {user.active ? (
            user.id === me?.id ? (
              <Tooltip title={t('users.cannotDeactivateSelf')}>
                <Button size="small" danger disabled>
                  {t('users.deactivate')}
                </Button>
              </Tooltip>
            ) : (
              <Popconfirm
                title={t('users.deactivateConfirmTitle', { email: user.email })}
                description={t('users.deactivateConfirmText')}
                okText={t('users.deactivate')}
                okButtonProps={{ danger: true }}
                cancelText={t('common.cancel')}
                onConfirm={() => deactivate(user)}
              >
                <Button size="small" danger aria-label={t('users.deactivateNamed', { email: user.email })}>
                  {t('users.deactivate')}
                </Button>
              </Popconfirm>
            )
          ) : (
            <Button size="small" onClick={() => void reactivate(user)} aria-label={t('users.reactivateNamed', { email: user.email })}>
              {t('users.reactivate')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  const isNew = editing === 'new';
  const editedUser = editing !== null && editing !== 'new' ? editing : null;

  return (
    <>
      <PageHeader
        title={t('users.title')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={openCreate}>
            {t('users.new')}
          </Button>
        }
      />
      <div className="gd-toolbar" role="search">
        <Input.Search
          aria-label={t('users.search')}
          placeholder={t('users.searchPlaceholder')}
          allowClear
          enterButton={t('common.search')}
          onSearch={(value) => setQ(value.trim())}
          style={{ maxWidth: 360 }}
        />
        <Select<ActiveFilter>
          aria-label={t('users.activeFilter')}
          value={active}
          onChange={setActive}
          style={{ width: 160 }}
          options={[
            { value: 'all', label: t('users.filterAll') },
            { value: 'true', label: t('users.filterActive') },
            { value: 'false', label: t('users.filterInactive') },
          ]}
        />
      </div>
      <Table<User>
        rowKey="id"
        columns={columns}
        dataSource={list.items}
        loading={list.loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('users.empty') }}
      />
      <LoadMore visible={!!list.nextCursor} loading={list.loadingMore} onClick={() => void list.loadMore()} />

      <Drawer
        title={isNew ? t('users.new') : t('users.editTitle', { email: editedUser?.email ?? '' })}
        open={editing !== null}
        onClose={() => setEditing(null)}
        width={isDesktop ? 480 : '100%'}
        forceRender
        extra={
          <Space>
            <Button onClick={() => setEditing(null)}>{t('common.cancel')}</Button>
            <Button type="primary" htmlType="submit" form="user-form" loading={saving}>
              {t('common.save')}
            </Button>
          </Space>
        }
      >
        <Form<UserFormValues> form={form} name="user-form" layout="vertical" onFinish={save}>
          <Form.Item
            label={t('users.email')}
            name="email"
            rules={[
              { required: true, message: t('validation.required', { field: t('users.email') }) },
              { type: 'email', message: t('validation.email') },
            ]}
          >
            <Input type="email" autoComplete="off" maxLength={254} />
          </Form.Item>
          <Form.Item
            label={t('users.name')}
            name="name"
            rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('users.name') }) }]}
          >
            <Input autoComplete="off" maxLength={200} />
          </Form.Item>
          <Form.Item label={t('users.roles')} name="roles">
            <Select
              mode="multiple"
              allowClear
              placeholder={t('users.rolesPlaceholder')}
              options={roles.map((role) => ({ value: role.name, label: role.name, title: role.description }))}
            />
          </Form.Item>
          <Form.Item
            label={t('users.password')}
            name="password"
            extra={isNew ? t('users.passwordHelpNew') : t('users.passwordHelpEdit')}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item label={t('users.locale')} name="locale" rules={[{ required: true }]}>
            <LocaleSelect />
          </Form.Item>
          <Form.Item
            label={t('users.timeZone')}
            name="time_zone"
            rules={[{ required: true, message: t('validation.required', { field: t('users.timeZone') }) }]}
          >
            <TimeZoneSelect />
          </Form.Item>
          <Form.Item label={t('users.manager')} name="manager_id" extra={t('users.managerHelp')}>
            <UserPicker
              allowClear
              placeholder={t('users.managerPlaceholder')}
              knownUsers={list.items.filter((u) => editedUser !== null && u.id === editedUser.manager_id)}
            />
          </Form.Item>
          <Form.Item label={t('users.active')} name="active" valuePropName="checked">
            <Switch disabled={editedUser !== null && editedUser.id === me?.id} />
          </Form.Item>
        </Form>
      </Drawer>
      <Modal
        open={!!link}
        title={link ? t(link.purpose === 'invite' ? 'password.linkTitleInvite' : 'password.linkTitleReset', { email: link.user.email }) : ''}
        onCancel={() => setLink(null)}
        footer={<Button onClick={() => setLink(null)}>{t('password.close')}</Button>}
      >
        {link && (
          <>
            <Typography.Paragraph>
              {t('password.linkHandOver', { email: link.user.email, expires: formatDate(link.expires_at) })}
            </Typography.Paragraph>
            <Typography.Paragraph copyable={{ text: link.url ?? '' }} className="gd-secret" data-testid="password-link">
              {link.url}
            </Typography.Paragraph>
          </>
        )}
      </Modal>
    </>
  );
}
