import { PlusOutlined } from '../../icons';
import { App, Button, Card, Col, DatePicker, Form, Popconfirm, Row, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { useAuth } from '../../auth/AuthContext';
import UserPicker from '../../components/UserPicker';
import type { ItemList, OnDuty, RosterEntry, Team } from '../../types';
import { useErrorHandler } from '../../utils/errors';
import { useDateTimeFormatter } from '../../utils/format';
import { nowInZone, wallTimeToIso } from '../../utils/timezones';

interface ShiftValues {
  user_id: number;
  starts_at: Dayjs;
  ends_at: Dayjs;
}

type Range = [Dayjs, Dayjs];

/** On-duty shifts of one team: who is on duty now, the shifts in a date range, add and remove. */
export default function RosterSection({ team }: { team: Team }) {
  const { t } = useTranslation();
  const { user } = useAuth();
  const zone = user?.time_zone;
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const formatDate = useDateTimeFormatter();
  const [form] = Form.useForm<ShiftValues>();
  const [range, setRange] = useState<Range>(() => {
    const today = nowInZone(zone).startOf('day');
    return [today, today.add(13, 'day')];
  });
  const [entries, setEntries] = useState<RosterEntry[]>([]);
  const [onDuty, setOnDuty] = useState<OnDuty | null>(null);
  const [loading, setLoading] = useState(true);
  const [adding, setAdding] = useState(false);
  const addingRef = useRef(false); // Enter in a picker and a click can both submit

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const from = wallTimeToIso(range[0].startOf('day'), zone);
      const to = wallTimeToIso(range[1].add(1, 'day').startOf('day'), zone);
      const [roster, duty] = await Promise.all([
        api.get<ItemList<RosterEntry>>(`/teams/${team.id}/roster`, { from, to }),
        api.get<OnDuty>(`/teams/${team.id}/on-duty`),
      ]);
      setEntries([...roster.items].sort((a, b) => a.starts_at.localeCompare(b.starts_at)));
      setOnDuty(duty);
    } catch (error) {
      handleError(error);
    } finally {
      setLoading(false);
    }
  }, [team.id, range, zone, handleError]);

  useEffect(() => {
    void load();
  }, [load]);

  const add = async (values: ShiftValues) => {
    if (addingRef.current) return;
    addingRef.current = true;
    setAdding(true);
    try {
      await api.post<RosterEntry>(`/teams/${team.id}/roster`, {
        user_id: values.user_id,
        starts_at: wallTimeToIso(values.starts_at, zone),
        ends_at: wallTimeToIso(values.ends_at, zone),
      });
      form.resetFields();
      void message.success(t('roster.added'));
      await load();
    } catch (error) {
      handleError(error, form);
    } finally {
      addingRef.current = false;
      setAdding(false);
    }
  };

  const remove = async (entry: RosterEntry) => {
    try {
      await api.delete(`/teams/${team.id}/roster/${entry.id}`);
      setEntries((prev) => prev.filter((e) => e.id !== entry.id));
      void message.success(t('roster.removed'));
      const duty = await api.get<OnDuty>(`/teams/${team.id}/on-duty`);
      setOnDuty(duty);
    } catch (error) {
      handleError(error);
    }
  };

  const columns: TableColumnsType<RosterEntry> = [
    { title: t('roster.user'), key: 'user', render: (_, e) => e.user.name || e.user.email },
    { title: t('roster.startsAt'), dataIndex: 'starts_at', key: 'starts_at', render: (v: string) => formatDate(v) },
    { title: t('roster.endsAt'), dataIndex: 'ends_at', key: 'ends_at', render: (v: string) => formatDate(v) },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, entry) => (
        <Popconfirm
          title={t('roster.removeConfirm')}
          okText={t('roster.remove')}
          okButtonProps={{ danger: true }}
          cancelText={t('common.cancel')}
          onConfirm={() => remove(entry)}
        >
          <Button
            size="small"
            danger
            aria-label={t('roster.removeNamed', { name: entry.user.name || entry.user.email, start: formatDate(entry.starts_at) })}
          >
            {t('roster.remove')}
          </Button>
        </Popconfirm>
      ),
    },
  ];

  return (
    <Card title={<h2 className="gd-card-title">{t('roster.title')}</h2>}>
      <Typography.Paragraph type="secondary">{t('roster.timesIn', { zone: zone ?? 'UTC' })}</Typography.Paragraph>

      <section aria-label={t('roster.onDutyNow')} style={{ marginBottom: 16 }}>
        <Typography.Text strong>{t('roster.onDutyNow')}: </Typography.Text>
        {onDuty && onDuty.users.length ? (
          <Space size={[0, 4]} wrap>
            {onDuty.users.map((u) => (
              <Tag key={u.id} color="green">
                {u.name || u.email}
              </Tag>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">{loading && !onDuty ? t('common.loading') : t('roster.nobody')}</Typography.Text>
        )}
      </section>

      <Space wrap style={{ marginBottom: 12 }}>
        <label htmlFor="roster-range">{t('roster.showRange')}</label>
        <DatePicker.RangePicker
          id={{ start: 'roster-range' }}
          value={range}
          allowClear={false}
          onChange={(value) => {
            if (value && value[0] && value[1]) setRange([value[0], value[1]]);
          }}
        />
      </Space>

      <Table<RosterEntry>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={entries}
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('roster.empty') }}
      />

      <Typography.Title level={3} style={{ fontSize: 15, marginTop: 24 }}>
        {t('roster.addTitle')}
      </Typography.Title>
      <Form<ShiftValues> form={form} name="shift-form" layout="vertical" onFinish={add}>
        <Row gutter={12}>
          <Col xs={24} md={8}>
            <Form.Item
              label={t('roster.user')}
              name="user_id"
              rules={[{ required: true, message: t('validation.required', { field: t('roster.user') }) }]}
            >
              <UserPicker knownUsers={team.members} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} md={8}>
            <Form.Item
              label={t('roster.startsAt')}
              name="starts_at"
              rules={[{ required: true, message: t('validation.required', { field: t('roster.startsAt') }) }]}
            >
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} md={8}>
            <Form.Item
              label={t('roster.endsAt')}
              name="ends_at"
              dependencies={['starts_at']}
              rules={[
                { required: true, message: t('validation.required', { field: t('roster.endsAt') }) },
                ({ getFieldValue }) => ({
                  validator: (_, value: Dayjs | undefined) => {
                    const start = getFieldValue('starts_at') as Dayjs | undefined;
                    if (!value || !start || value.isAfter(start)) return Promise.resolve();
                    return Promise.reject(new Error(t('roster.endBeforeStart')));
                  },
                }),
              ]}
            >
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Button htmlType="submit" icon={<PlusOutlined />} loading={adding}>
          {t('roster.add')}
        </Button>
      </Form>
    </Card>
  );
}
