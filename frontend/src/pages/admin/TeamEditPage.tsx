import { ArrowLeftOutlined } from '../../icons';
import { App, Button, Card, Form, Input, Result, Space, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError, api } from '../../api';
import PageHeader from '../../components/PageHeader';
import UserPicker from '../../components/UserPicker';
import type { Team, UserRef } from '../../types';
import { useErrorHandler } from '../../utils/errors';
import RosterSection from './RosterSection';

interface TeamFormValues {
  key: string;
  name: string;
  description?: string;
  supervisor_id?: number | null;
  manager_id?: number | null;
  member_ids?: number[];
}

const KEY_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;

export default function TeamEditPage() {
  const { t } = useTranslation();
  const { teamId } = useParams();
  const isNew = teamId === undefined;
  const id = isNew ? null : Number(teamId);
  const navigate = useNavigate();
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const [form] = Form.useForm<TeamFormValues>();
  const [team, setTeam] = useState<Team | null>(null);
  const [loading, setLoading] = useState(!isNew);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const [knownUsers, setKnownUsers] = useState<UserRef[]>([]);

  useEffect(() => {
    if (id === null) return;
    if (!Number.isInteger(id) || id <= 0) {
      setLoadError(new ApiError(404, 'not_found', ''));
      setLoading(false);
      return;
    }
    let cancelled = false;
    setLoading(true);
    api
      .get<Team>(`/teams/${id}`)
      .then((loaded) => {
        if (cancelled) return;
        setTeam(loaded);
        setLoadError(null);
        setLoading(false);
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        setLoadError(error instanceof ApiError ? error : new ApiError(0, 'unexpected', String(error)));
        setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [id]);

  useEffect(() => {
    if (!team) return;
    const refs = [team.supervisor, team.manager, ...team.members].filter((r): r is UserRef => r !== null);
    setKnownUsers(refs);
    form.setFieldsValue({
      key: team.key,
      name: team.name,
      description: team.description,
      supervisor_id: team.supervisor?.id ?? null,
      manager_id: team.manager?.id ?? null,
      member_ids: team.members.map((m) => m.id),
    });
  }, [team, form]);

  const save = async (values: TeamFormValues) => {
    setSaving(true);
    const body = {
      key: values.key.trim(),
      name: values.name.trim(),
      description: values.description?.trim() ?? '',
      supervisor_id: values.supervisor_id ?? null,
      manager_id: values.manager_id ?? null,
      member_ids: values.member_ids ?? [],
    };
    try {
      if (isNew) {
        const created = await api.post<Team>('/teams', body);
        void message.success(t('teams.created', { name: created.name }));
        navigate(`/admin/teams/${created.id}`, { replace: true });
      } else {
        const updated = await api.patch<Team>(`/teams/${id}`, body);
        setTeam(updated);
        void message.success(t('teams.saved', { name: updated.name }));
      }
    } catch (error) {
      handleError(error, form);
    } finally {
      setSaving(false);
    }
  };

  const back = (
    <Link to="/admin/teams">
      <ArrowLeftOutlined /> {t('teams.backToList')}
    </Link>
  );

  if (loading) {
    return (
      <div className="gd-center" role="status">
        <Spin size="large" />
        <span className="gd-visually-hidden">{t('common.loading')}</span>
      </div>
    );
  }
  if (loadError) {
    return (
      <Result
        status={loadError.status === 404 ? '404' : 'warning'}
        title={loadError.status === 404 ? t('teams.notFound') : loadError.message}
        extra={back}
      />
    );
  }

  return (
    <>
      <PageHeader title={isNew ? t('teams.new') : t('teams.editTitle', { name: team?.name ?? '' })}>{back}</PageHeader>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Card title={<h2 className="gd-card-title">{t('teams.details')}</h2>} style={{ maxWidth: 720 }}>
          <Form<TeamFormValues>
            form={form}
            name="team-form"
            layout="vertical"
            onFinish={save}
            initialValues={{ member_ids: [], description: '' }}
          >
            <Form.Item
              label={t('teams.key')}
              name="key"
              extra={t('teams.keyHelp')}
              rules={[
                { required: true, message: t('validation.required', { field: t('teams.key') }) },
                { pattern: KEY_PATTERN, message: t('teams.keyInvalid') },
              ]}
            >
              <Input maxLength={64} autoComplete="off" spellCheck={false} />
            </Form.Item>
            <Form.Item
              label={t('teams.name')}
              name="name"
              rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('teams.name') }) }]}
            >
              <Input maxLength={200} autoComplete="off" />
            </Form.Item>
            <Form.Item label={t('teams.description')} name="description">
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
            </Form.Item>
            <Form.Item label={t('teams.supervisor')} name="supervisor_id">
              <UserPicker knownUsers={knownUsers} />
            </Form.Item>
            <Form.Item label={t('teams.manager')} name="manager_id">
              <UserPicker knownUsers={knownUsers} />
            </Form.Item>
            <Form.Item label={t('teams.members')} name="member_ids">
              <UserPicker multiple knownUsers={knownUsers} />
            </Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" loading={saving}>
                {t('common.save')}
              </Button>
              <Button onClick={() => navigate('/admin/teams')}>{t('common.cancel')}</Button>
            </Space>
          </Form>
        </Card>
        {team && <RosterSection team={team} />}
      </Space>
    </>
  );
}
