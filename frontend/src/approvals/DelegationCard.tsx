import { Alert, App, Button, Card, Col, DatePicker, Form, Input, Popconfirm, Row, Skeleton, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import './approvals.css';
import './i18n';
import { ApiError, api } from '../api';
import UserPicker from '../components/UserPicker';
import type { ItemList, UserRef } from '../types';
import { describeApiError, useErrorHandler } from '../utils/errors';

/** A delegation as GET /api/v1/approvals/delegations answers it: `user` is away, `delegate` decides for them. */
export interface Delegation {
  id: number;
  user: UserRef;
  delegate: UserRef;
  starts_on: string;
  ends_on: string;
  note: string;
}

interface DelegationValues {
  delegate_id: number | null;
  starts_on: Dayjs | null;
  ends_on: Dayjs | null;
  note?: string;
}

const DAY = 'YYYY-MM-DD';

/** "2027-01-03" as the reader reads a day (the API's days are calendar days: no time zone to convert). */
function useDayFormatter(): (day: string) => string {
  const { i18n } = useTranslation();
  return useCallback(
    (day: string) => {
      const [y, m, d] = day.split('-').map(Number);
      return new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, d));
    },
    [i18n.language],
  );
}

/**
 * "Delegate my approvals while I'm away" (the profile page): choose a colleague and the days away; the list of my
 * delegations in force and to come, each with Revoke; who decides for me now, and for whom I decide.
 */
export default function DelegationCard({ me }: { me: UserRef }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const formatDay = useDayFormatter();
  const [form] = Form.useForm<DelegationValues>();
  const [items, setItems] = useState<Delegation[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [revoking, setRevoking] = useState<number | null>(null);

  const load = useCallback(async () => {
    try {
      const list = await api.get<ItemList<Delegation>>('/approvals/delegations');
      setItems(list.items);
      setLoadError(null);
    } catch (error) {
      setLoadError(error instanceof ApiError ? describeApiError(error, t) : t('errors.unexpected'));
    }
  }, [t]);

  useEffect(() => {
    void load();
  }, [load]);

  const today = dayjs().format(DAY);
  const inForce = (d: Delegation) => d.starts_on <= today && today <= d.ends_on;
  const mine = (items ?? []).filter((d) => d.user.id === me.id && d.ends_on >= today);
  const toMe = (items ?? []).filter((d) => d.delegate.id === me.id && inForce(d));
  const current = mine.filter(inForce);

  const save = async (values: DelegationValues) => {
    setSaving(true);
    try {
      const made = await api.post<Delegation>('/approvals/delegations', {
        delegate_id: values.delegate_id,
        starts_on: values.starts_on?.format(DAY),
        ends_on: values.ends_on?.format(DAY),
        note: (values.note ?? '').trim(),
      });
      form.resetFields();
      void message.success(t('delegation.saved', { name: made.delegate.name }));
      await load();
    } catch (error) {
      handleError(error, form);
    } finally {
      setSaving(false);
    }
  };

  const revoke = async (delegation: Delegation) => {
    setRevoking(delegation.id);
    try {
      await api.delete(`/approvals/delegations/${delegation.id}`);
      void message.success(t('delegation.revoked', { name: delegation.delegate.name }));
      await load();
    } catch (error) {
      handleError(error);
    } finally {
      setRevoking(null);
    }
  };

  return (
    <Card title={<h2 className="gd-card-title">{t('delegation.title')}</h2>} className="gd-delegation-card">
      <Typography.Paragraph type="secondary">{t('delegation.intro')}</Typography.Paragraph>
      {loadError && <Alert type="warning" showIcon message={loadError} style={{ marginBottom: 12 }} />}
      {current.map((d) => (
        <Alert
          key={`now-${d.id}`}
          type="info"
          showIcon
          className="gd-delegation-now"
          message={t('delegation.decidingForYou', { name: d.delegate.name, until: formatDay(d.ends_on) })}
          style={{ marginBottom: 12 }}
        />
      ))}
      {toMe.map((d) => (
        <Alert
          key={`for-${d.id}`}
          type="info"
          showIcon
          message={t('delegation.youDecideFor', { name: d.user.name, until: formatDay(d.ends_on) })}
          style={{ marginBottom: 12 }}
        />
      ))}
      {items === null && !loadError ? (
        <Skeleton active paragraph={{ rows: 1 }} />
      ) : (
        mine.length > 0 && (
          <>
            <h3 className="gd-delegation-subtitle">{t('delegation.mine')}</h3>
            <ul className="gd-delegations">
              {mine.map((d) => (
                <li key={d.id} className="gd-delegation" data-testid={`delegation-${d.id}`}>
                  <div className="gd-delegation-text">
                    <Typography.Text strong>{d.delegate.name}</Typography.Text>{' '}
                    {inForce(d) ? <Tag color="blue">{t('delegation.inForce')}</Tag> : <Tag>{t('delegation.upcoming')}</Tag>}
                    <div className="gd-small">
                      {t('delegation.days', { from: formatDay(d.starts_on), until: formatDay(d.ends_on) })}
                    </div>
                    {d.note && <div className="gd-small gd-delegation-note">{d.note}</div>}
                  </div>
                  <Popconfirm
                    title={t('delegation.revokeTitle', { name: d.delegate.name })}
                    description={t('delegation.revokeMore', { name: d.delegate.name })}
                    okText={t('delegation.revoke')}
                    okButtonProps={{ danger: true }}
                    cancelText={t('common.cancel')}
                    onConfirm={() => revoke(d)}
                  >
                    <Button danger loading={revoking === d.id} aria-label={t('delegation.revokeFor', { name: d.delegate.name })}>
                      {t('delegation.revoke')}
                    </Button>
                  </Popconfirm>
                </li>
              ))}
            </ul>
          </>
        )
      )}
      <h3 className="gd-delegation-subtitle">{t('delegation.new')}</h3>
      <Form<DelegationValues> form={form} name="delegation" layout="vertical" onFinish={save} initialValues={{ delegate_id: null, starts_on: null, ends_on: null, note: '' }}>
        <Form.Item
          label={t('delegation.delegate')}
          name="delegate_id"
          rules={[{ required: true, message: t('validation.required', { field: t('delegation.delegate') }) }]}
        >
          <UserPicker source="people" placeholder={t('delegation.delegatePlaceholder')} />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item
              label={t('delegation.from')}
              name="starts_on"
              rules={[{ required: true, message: t('validation.required', { field: t('delegation.from') }) }]}
            >
              <DatePicker format={DAY} placeholder={t('delegation.dayPlaceholder')} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              label={t('delegation.until')}
              name="ends_on"
              dependencies={['starts_on']}
              rules={[
                { required: true, message: t('validation.required', { field: t('delegation.until') }) },
                ({ getFieldValue }) => ({
                  validator: (_, value: Dayjs | null) => {
                    const start = getFieldValue('starts_on') as Dayjs | null;
                    return !value || !start || !value.isBefore(start, 'day')
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('delegation.untilBeforeFrom')));
                  },
                }),
              ]}
            >
              <DatePicker format={DAY} placeholder={t('delegation.dayPlaceholder')} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={t('delegation.note')} name="note">
          <Input.TextArea maxLength={500} autoSize={{ minRows: 2, maxRows: 5 }} placeholder={t('delegation.notePlaceholder')} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving}>
          {t('delegation.submit')}
        </Button>
      </Form>
    </Card>
  );
}
