import { PlusOutlined } from '../../icons';
import { App, Button, Input, Popconfirm, Space, Table, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../../api';
import LoadMore from '../../components/LoadMore';
import PageHeader from '../../components/PageHeader';
import { useCursorList } from '../../hooks';
import type { Team, UserRef } from '../../types';
import { useErrorHandler } from '../../utils/errors';

function refName(ref: UserRef | null): string {
  return ref ? ref.name || ref.email : '—';
}

export default function TeamsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const list = useCursorList<Team>('/teams', { q });

  const remove = async (team: Team) => {
    try {
      await api.delete(`/teams/${team.id}`);
      list.setItems((prev) => prev.filter((item) => item.id !== team.id));
      void message.success(t('teams.deleted', { name: team.name }));
    } catch (error) {
      handleError(error);
    }
  };

  const columns: TableColumnsType<Team> = [
    {
      title: t('teams.key'),
      dataIndex: 'key',
      key: 'key',
      render: (key: string, team) => <Link to={`/admin/teams/${team.id}`}>{key}</Link>,
    },
    { title: t('teams.name'), dataIndex: 'name', key: 'name' },
    { title: t('teams.supervisor'), dataIndex: 'supervisor', key: 'supervisor', render: refName, responsive: ['md'] },
    { title: t('teams.manager'), dataIndex: 'manager', key: 'manager', render: refName, responsive: ['md'] },
    {
      title: t('teams.memberCount'),
      key: 'members',
      align: 'right',
      render: (_, team) => team.members.length,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, team) => (
        <Space wrap>
          <Button size="small" onClick={() => navigate(`/admin/teams/${team.id}`)} aria-label={t('teams.editNamed', { name: team.name })}>
            {t('common.edit')}
          </Button>
          <Popconfirm
            title={t('teams.deleteConfirmTitle', { name: team.name })}
            description={t('teams.deleteConfirmText')}
            okText={t('common.delete')}
            okButtonProps={{ danger: true }}
            cancelText={t('common.cancel')}
            onConfirm={() => remove(team)}
          >
            <Button size="small" danger aria-label={t('teams.deleteNamed', { name: team.name })}>
              {t('common.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('teams.title')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/admin/teams/new')}>
            {t('teams.new')}
          </Button>
        }
      />
      <div className="gd-toolbar" role="search">
        <Input.Search
          aria-label={t('teams.search')}
          placeholder={t('teams.searchPlaceholder')}
          allowClear
          enterButton={t('common.search')}
          onSearch={(value) => setQ(value.trim())}
          style={{ maxWidth: 360 }}
        />
      </div>
      <Table<Team>
        rowKey="id"
        columns={columns}
        dataSource={list.items}
        loading={list.loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('teams.empty') }}
      />
      <LoadMore visible={!!list.nextCursor} loading={list.loadingMore} onClick={() => void list.loadMore()} />
    </>
  );
}
