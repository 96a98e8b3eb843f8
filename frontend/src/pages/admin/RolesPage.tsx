import { App, Button, Card, Form, Input, Popconfirm, Space, Table, Tag, Tooltip, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import PageHeader from '../../components/PageHeader';
import type { ItemList, Role } from '../../types';
import { useErrorHandler } from '../../utils/errors';

interface RoleValues {
  name: string;
  description?: string;
}

const NAME_PATTERN = /^[a-z][a-z0-9_-]*$/;

export default function RolesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const [form] = Form.useForm<RoleValues>();
  const [roles, setRoles] = useState<Role[]>([]);
  const [loading, setLoading] = useState(true);
  const [adding, setAdding] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setRoles((await api.get<ItemList<Role>>('/roles')).items);
    } catch (error) {
      handleError(error);
    } finally {
      setLoading(false);
    }
  }, [handleError]);

  useEffect(() => {
    void load();
  }, [load]);

  const add = async (values: RoleValues) => {
    setAdding(true);
    try {
      await api.post<Role>('/roles', { name: values.name.trim(), description: values.description?.trim() ?? '' });
      form.resetFields();
      void message.success(t('roles.added', { name: values.name }));
      await load();
    } catch (error) {
      handleError(error, form);
    } finally {
      setAdding(false);
    }
  };

  const remove = async (role: Role) => {
    try {
      await api.delete(`/roles/${encodeURIComponent(role.name)}`);
      setRoles((prev) => prev.filter((r) => r.name !== role.name));
      void message.success(t('roles.deleted', { name: role.name }));
    } catch (error) {
      handleError(error);
    }
  };

  const columns: TableColumnsType<Role> = [
    { title: t('roles.name'), dataIndex: 'name', key: 'name', render: (name: string) => <Tag>{name}</Tag> },
    { title: t('roles.description'), dataIndex: 'description', key: 'description' },
    {
      title: t('roles.type'),
      dataIndex: 'built_in',
      key: 'built_in',
      render: (builtIn: boolean) => (builtIn ? <Tag color="blue">{t('roles.builtIn')}</Tag> : <Tag>{t('roles.custom')}</Tag>),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, role) =>
        role.built_in ? (
          <Tooltip title={t('roles.builtInCannotDelete')}>
            <Button size="small" danger disabled aria-label={t('roles.deleteNamed', { name: role.name })}>
              {t('common.delete')}
            </Button>
          </Tooltip>
        ) : (
          <Popconfirm
            title={t('roles.deleteConfirmTitle', { name: role.name })}
            description={t('roles.deleteConfirmText')}
            okText={t('common.delete')}
            okButtonProps={{ danger: true }}
            cancelText={t('common.cancel')}
            onConfirm={() => remove(role)}
          >
            <Button size="small" danger aria-label={t('roles.deleteNamed', { name: role.name })}>
              {t('common.delete')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <>
      <PageHeader title={t('roles.title')} />
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Table<Role>
          rowKey="name"
          columns={columns}
          dataSource={roles}
          loading={loading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('roles.empty') }}
        />
        <Card title={<h2 className="gd-card-title">{t('roles.addTitle')}</h2>} style={{ maxWidth: 720 }}>
          <Form<RoleValues> form={form} name="role-form" layout="vertical" onFinish={add}>
            <Form.Item
              label={t('roles.name')}
              name="name"
              extra={t('roles.nameHelp')}
              rules={[
                { required: true, message: t('validation.required', { field: t('roles.name') }) },
                { pattern: NAME_PATTERN, message: t('roles.nameInvalid') },
              ]}
            >
              <Input maxLength={64} autoComplete="off" spellCheck={false} />
            </Form.Item>
            <Form.Item label={t('roles.description')} name="description">
              <Input maxLength={500} autoComplete="off" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={adding}>
              {t('roles.add')}
            </Button>
          </Form>
        </Card>
      </Space>
    </>
  );
}
