// Business calendars (admin): the week's opening intervals typed per day and drawn as a week grid,
// holidays (seeded from a country's public holidays, China's make-up days included), make-up working
// days; over /api/v1/calendars (runtime/calendar_views.py).
import { useFlowT } from './useFlowT';
import { Alert, App, Button, Card, Form, Input, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../../api';
import PageHeader from '../../components/PageHeader';
import TimeZoneSelect from '../../components/TimeZoneSelect';
import { useErrorHandler } from '../../utils/errors';
import { dayBlock, intervalsToText, parseIntervals, weeklyHours, type Interval } from './calendar';
import { flowApi, WEEKDAYS, type CalendarDoc, type Weekday } from './flowApi';
import './i18n';
import { DeleteOutlined, PlusOutlined } from './icons';
import './flow.css';

const COUNTRIES = ['CN', 'HK', 'TW', 'SG', 'JP', 'KR', 'US', 'GB', 'DE', 'FR'];

function blankCalendar(): CalendarDoc {
  const day: Interval[] = [['09:00', '12:00'], ['13:00', '18:00']];
  return { key: '', name: '', timezone: 'Asia/Shanghai', week: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] }, holidays: [], workdays: [] };
}

export function WeekGrid({ week }: { week: CalendarDoc['week'] }) {
  const { t } = useFlowT();
  return (
    <div className="gdf-week" role="img" aria-label={t('calendars.gridLabel', { hours: weeklyHours(week) })}>
      <div />
      {WEEKDAYS.map((d) => <div key={d} style={{ textAlign: 'center' }}>{t(`weekdays.${d}`)}</div>)}
      <div className="gdf-week-hours">{[0, 6, 12, 18, 24].map((h) => <span key={h} style={{ top: `${(h / 24) * 100}%` }}>{`${h}:00`}</span>)}</div>
      {WEEKDAYS.map((d) => (
        <div key={d} className="gdf-week-day">
          {(week[d] ?? []).map((iv) => {
            const { top, height } = dayBlock(iv);
            return <div key={iv.join('-')} className="gdf-week-open" style={{ top: `${top * 100}%`, height: `${height * 100}%` }} title={iv.join('–')} />;
          })}
        </div>
      ))}
    </div>
  );
}

function CalendarEditor({ initial, isNew, onSaved, onDeleted }: { initial: CalendarDoc; isNew: boolean; onSaved: (c: CalendarDoc) => void; onDeleted: () => void }) {
  const { t } = useFlowT();
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const [doc, setDoc] = useState<CalendarDoc>(initial);
  const [texts, setTexts] = useState<Record<Weekday, string>>(() =>
    Object.fromEntries(WEEKDAYS.map((d) => [d, intervalsToText(initial.week[d])])) as Record<Weekday, string>);
  const [problems, setProblems] = useState<string[]>([]);
  const [country, setCountry] = useState('CN');
  const [years, setYears] = useState<string[]>([String(new Date().getFullYear()), String(new Date().getFullYear() + 1)]);
  const [busy, setBusy] = useState(false);
  const [newHoliday, setNewHoliday] = useState({ date: '', name: '' });
  const [newWorkday, setNewWorkday] = useState({ date: '', name: '' });

  const dayError = (d: Weekday) => {
    const parsed = parseIntervals(texts[d]);
    return 'error' in parsed ? t(`calendars.intervalError.${parsed.error}`, { part: parsed.part }) : null;
  };
  const setDay = (d: Weekday, text: string) => {
    setTexts({ ...texts, [d]: text });
    const parsed = parseIntervals(text);
    if ('intervals' in parsed) setDoc({ ...doc, week: { ...doc.week, [d]: parsed.intervals } });
  };

  const save = async () => {
    setBusy(true);
    setProblems([]);
    try {
      const body = { name: doc.name, timezone: doc.timezone, week: doc.week, holidays: doc.holidays, workdays: doc.workdays };
      const saved = isNew
        ? await api.post<CalendarDoc>('/calendars', { key: doc.key, ...body })
        : await api.put<CalendarDoc>(`/calendars/${encodeURIComponent(doc.key)}`, body);
      void message.success(t('calendars.saved'));
      onSaved(saved);
    } catch (error) {
      if (error instanceof ApiError && error.details.length) setProblems(error.details.map((d) => `${d.path ?? ''} ${d.message}`));
      else handleError(error);
    } finally {
      setBusy(false);
    }
  };

  const seed = async () => {
    setBusy(true);
    try {
      const result = await api.post<{ calendar: CalendarDoc; holidays_added: unknown[]; workdays_added: unknown[]; skipped: unknown[] }>(
        `/calendars/${encodeURIComponent(doc.key)}/holidays/seed`, { country, years: years.map(Number) });
      setDoc({ ...doc, holidays: result.calendar.holidays, workdays: result.calendar.workdays });
      void message.success(t('calendars.seeded', { holidays: result.holidays_added.length, workdays: result.workdays_added.length, skipped: result.skipped.length }));
    } catch (error) {
      handleError(error);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    try {
      await api.delete(`/calendars/${encodeURIComponent(doc.key)}`);
      onDeleted();
    } catch (error) {
      handleError(error);
    }
  };

  return (
    <Card title={isNew ? t('calendars.new') : t('calendars.edit', { name: doc.name })} className="gdf-calendar-editor">
      {problems.length > 0 && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={t('calendars.problems')}
        description={<ul>{problems.map((p) => <li key={p}>{p}</li>)}</ul>} />}
      <Form layout="vertical">
        <Space wrap align="start">
          {isNew && (
            <Form.Item label={t('calendars.key')} htmlFor="gdf-cal-key" help={t('calendars.keyHelp')}>
              <Input id="gdf-cal-key" value={doc.key} onChange={(e) => setDoc({ ...doc, key: e.target.value })} />
            </Form.Item>
          )}
          <Form.Item label={t('calendars.name')} htmlFor="gdf-cal-name">
            <Input id="gdf-cal-name" value={doc.name} onChange={(e) => setDoc({ ...doc, name: e.target.value })} />
          </Form.Item>
          <Form.Item label={t('calendars.timezone')} htmlFor="gdf-cal-tz">
            <div style={{ minWidth: 220 }}><TimeZoneSelect id="gdf-cal-tz" value={doc.timezone} onChange={(timezone) => setDoc({ ...doc, timezone })} /></div>
          </Form.Item>
        </Space>
        <div className="gdf-two">
          <div>
            <Typography.Text strong>{t('calendars.week')}</Typography.Text>
            {WEEKDAYS.map((d) => {
              const error = dayError(d);
              return (
                <Form.Item key={d} label={t(`weekdays.${d}`)} htmlFor={`gdf-cal-${d}`} validateStatus={error ? 'error' : undefined}
                  help={error ?? undefined} style={{ marginBottom: 8 }}>
                  <Input id={`gdf-cal-${d}`} placeholder={t('calendars.closed')} value={texts[d]} onChange={(e) => setDay(d, e.target.value)} />
                </Form.Item>
              );
            })}
            <Typography.Text type="secondary">{t('calendars.weekHelp')}</Typography.Text>
          </div>
          <WeekGrid week={doc.week} />
        </div>
      </Form>
      <Typography.Title level={3} style={{ fontSize: 16, marginTop: 16 }}>{t('calendars.holidays')}</Typography.Title>
      {!isNew && (
        <Space wrap style={{ marginBottom: 8 }}>
          <Select aria-label={t('calendars.country')} value={country} onChange={setCountry} style={{ width: 120 }}
            options={COUNTRIES.map((c) => ({ value: c, label: t(`countries.${c}` as 'countries.CN') }))} />
          <Select aria-label={t('calendars.years')} mode="tags" value={years} onChange={setYears} style={{ minWidth: 160 }} />
          <Button loading={busy} onClick={() => void seed()}>{t('calendars.seed')}</Button>
        </Space>
      )}
      <Table size="small" rowKey="date" pagination={{ pageSize: 10, hideOnSinglePage: true }} dataSource={[...doc.holidays].sort((a, b) => a.date.localeCompare(b.date))}
        columns={[
          { title: t('calendars.date'), dataIndex: 'date' },
          { title: t('calendars.holidayName'), dataIndex: 'name' },
          { title: '', key: 'x', width: 48, render: (_, h) => <Button type="text" icon={<DeleteOutlined />} aria-label={t('calendars.removeDate', { date: h.date })}
            onClick={() => setDoc({ ...doc, holidays: doc.holidays.filter((x) => x.date !== h.date) })} /> },
        ]} />
      <Space wrap style={{ marginTop: 8 }}>
        <Input type="date" aria-label={t('calendars.holidayDate')} value={newHoliday.date} onChange={(e) => setNewHoliday({ ...newHoliday, date: e.target.value })} />
        <Input aria-label={t('calendars.holidayName')} placeholder={t('calendars.holidayName')} value={newHoliday.name} onChange={(e) => setNewHoliday({ ...newHoliday, name: e.target.value })} />
        <Button icon={<PlusOutlined />} disabled={!newHoliday.date} onClick={() => { setDoc({ ...doc, holidays: [...doc.holidays.filter((h) => h.date !== newHoliday.date), newHoliday] }); setNewHoliday({ date: '', name: '' }); }}>
          {t('calendars.addHoliday')}
        </Button>
      </Space>
      <Typography.Title level={3} style={{ fontSize: 16, marginTop: 16 }}>{t('calendars.workdays')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('calendars.workdaysHelp')}</Typography.Paragraph>
      <Table size="small" rowKey="date" pagination={false} dataSource={[...doc.workdays].sort((a, b) => a.date.localeCompare(b.date))}
        locale={{ emptyText: t('calendars.noWorkdays') }}
        columns={[
          { title: t('calendars.date'), dataIndex: 'date' },
          { title: t('calendars.holidayName'), dataIndex: 'name' },
          { title: t('calendars.hours'), key: 'h', render: (_, w) => (w.intervals ? intervalsToText(w.intervals) : t('calendars.mondayHours')) },
          { title: '', key: 'x', width: 48, render: (_, w) => <Button type="text" icon={<DeleteOutlined />} aria-label={t('calendars.removeDate', { date: w.date })}
            onClick={() => setDoc({ ...doc, workdays: doc.workdays.filter((x) => x.date !== w.date) })} /> },
        ]} />
      <Space wrap style={{ marginTop: 8 }}>
        <Input type="date" aria-label={t('calendars.workdayDate')} value={newWorkday.date} onChange={(e) => setNewWorkday({ ...newWorkday, date: e.target.value })} />
        <Input aria-label={t('calendars.workdayName')} placeholder={t('calendars.holidayName')} value={newWorkday.name} onChange={(e) => setNewWorkday({ ...newWorkday, name: e.target.value })} />
        <Button icon={<PlusOutlined />} disabled={!newWorkday.date} onClick={() => { setDoc({ ...doc, workdays: [...doc.workdays.filter((w) => w.date !== newWorkday.date), newWorkday] }); setNewWorkday({ date: '', name: '' }); }}>
          {t('calendars.addWorkday')}
        </Button>
      </Space>
      <Space style={{ marginTop: 16, display: 'flex' }}>
        <Button type="primary" loading={busy} onClick={() => void save()}>{t('calendars.save')}</Button>
        {!isNew && (
          <Popconfirm title={t('calendars.deleteConfirm', { name: doc.name })} okText={t('delete')} cancelText={t('cancel')} onConfirm={() => void remove()}>
            <Button danger>{t('calendars.delete')}</Button>
          </Popconfirm>
        )}
      </Space>
    </Card>
  );
}

export default function CalendarsPage() {
  const { t } = useFlowT();
  const handleError = useErrorHandler();
  const [items, setItems] = useState<CalendarDoc[] | null>(null);
  const [editing, setEditing] = useState<{ doc: CalendarDoc; isNew: boolean } | null>(null);
  const load = useCallback(() => flowApi.calendars().then((p) => setItems(p.items), handleError), [handleError]);
  useEffect(() => void load(), [load]);

  return (
    <div>
      <PageHeader title={t('calendars.title')} extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ doc: blankCalendar(), isNew: true })}>{t('calendars.add')}</Button>} />
      <Table<CalendarDoc> rowKey="key" loading={items === null} dataSource={items ?? []} pagination={false} style={{ marginBottom: 16 }} scroll={{ x: 480 }}
        columns={[
          { title: t('calendars.name'), key: 'name', render: (_, c) => (
            <Space>
              {c.built_in ? c.name : <Button type="link" style={{ padding: 0 }} onClick={() => setEditing({ doc: c, isNew: false })}>{c.name}</Button>}
              {c.built_in && <Tag>{t('calendars.builtIn')}</Tag>}
            </Space>
          ) },
          { title: t('calendars.key'), dataIndex: 'key' },
          { title: t('calendars.timezone'), dataIndex: 'timezone' },
          { title: t('calendars.perWeek'), key: 'h', render: (_, c) => (c.built_in ? '168 h' : `${weeklyHours(c.week)} h`) },
          { title: t('calendars.holidays'), key: 'n', render: (_, c) => c.holidays.length },
        ]} />
      {editing && (
        <CalendarEditor key={editing.doc.key || 'new'} initial={editing.doc} isNew={editing.isNew}
          onSaved={(c) => { setEditing({ doc: c, isNew: false }); void load(); }}
          onDeleted={() => { setEditing(null); void load(); }} />
      )}
    </div>
  );
}
