// When each warning, the breach and each escalation of a policy fire for a ticket created now, on the
// policy's business calendar: every mark asks the server's calendar arithmetic
// (GET /api/v1/calendars/<key>/compute?start=now&add=<business time>).
import { useFlowT } from './useFlowT';
import { Alert, Select, Space, Spin, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { durationText } from './diff';
import { flowApi } from './flowApi';
import { lanes, slaMarks, timelinePositions, type SlaMark } from './sla';
import { METRICS, type Metric, type SlaPolicy } from './types';
import { useDateTimeFormatter } from '../../utils/format';

export default function SlaTimeline({ policy, levels }: { policy: SlaPolicy; levels: string[] }) {
  const { t } = useFlowT();
  const format = useDateTimeFormatter();
  const withTargets = levels.filter((l) => policy.targets?.[l]);
  const [level, setLevel] = useState<string | undefined>(withTargets[0]);
  const [metric, setMetric] = useState<Metric>('resolution');
  const [now] = useState(() => new Date().toISOString());
  const [due, setDue] = useState<Record<string, string>>({});
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const calendar = policy.calendar ?? '24x7';
  const activeLevel = level && policy.targets?.[level] ? level : withTargets[0];
  const marks = useMemo(() => (activeLevel ? slaMarks(policy, activeLevel, metric) : []), [policy, activeLevel, metric]);
  const adds = useMemo(() => [...new Set(marks.map((m) => m.add))], [marks]);

  useEffect(() => {
    if (!adds.length) return;
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    Promise.all(adds.map((add) => flowApi.compute(calendar, now, add, controller.signal).then((r) => [add, r.due ?? ''] as const)))
      .then((pairs) => setDue(Object.fromEntries(pairs)))
      .catch((e: unknown) => {
        if (!(e instanceof DOMException && e.name === 'AbortError')) setError(e instanceof Error ? e.message : String(e));
      })
      .finally(() => setLoading(false));
    return () => controller.abort();
  }, [adds, calendar, now]);

  const recipient = (r: string) => {
    const fixed = ['requester', 'assignee', 'watchers', 'team', 'team.supervisor', 'team.manager'];
    if (fixed.includes(r)) return t(`recipients.${r.replace('.', '_')}` as 'recipients.requester');
    return r.startsWith('role:') ? t('recipients.role', { role: r.slice(5) }) : r.replace(/^user:/, '');
  };
  const label = (mark: SlaMark) => {
    if (mark.kind === 'warning') {
      return typeof mark.detail === 'number'
        ? t('sla.markShare', { share: Math.round(mark.detail * 100) })
        : t('sla.markBefore', { duration: durationText(t, String(mark.detail)) });
    }
    if (mark.kind === 'breach') return t('sla.markBreach');
    const e = mark.escalation;
    const what = [
      e?.notify?.length ? t('sla.escNotify', { to: e.notify.map(recipient).join(t('listSeparator')) }) : '',
      e?.reassign ? t('sla.escReassign', { team: e.reassign.team ?? e.reassign.user ?? '' }) : '',
      e?.raise_priority ? t('sla.escRaise') : '',
    ].filter(Boolean).join('; ');
    return t('sla.markEscalation', { n: mark.detail, what });
  };

  const start = Date.parse(now);
  const instants = marks.map((m) => (due[m.add] ? Date.parse(due[m.add]) : start + m.offset * 1000));
  const positions = timelinePositions(start, instants);
  const markLanes = lanes(positions);

  return (
    <div className="gdf-sla-timeline" aria-label={t('sla.timelineTitle')}>
      <Space wrap>
        <Typography.Text strong>{t('sla.timelineTitle')}</Typography.Text>
        <Select aria-label={t('sla.timelineLevel')} value={activeLevel} style={{ width: 90 }} size="small"
          options={withTargets.map((l) => ({ value: l, label: l }))} onChange={setLevel} />
        <Select aria-label={t('sla.timelineMetric')} value={metric} style={{ width: 150 }} size="small"
          options={METRICS.map((m) => ({ value: m, label: t(`metric.${m}`) }))} onChange={setMetric} />
        <Typography.Text type="secondary">{t('sla.timelineCalendar', { calendar })}</Typography.Text>
        {loading && <Spin size="small" />}
      </Space>
      {error && <Alert type="error" showIcon message={error} />}
      {!marks.length ? (
        <Typography.Paragraph type="secondary">{t('sla.timelineEmpty')}</Typography.Paragraph>
      ) : (
        <>
          <div className="gdf-timeline" role="img" aria-label={marks.map((m, i) => `${label(m)}: ${format(due[m.add] ?? new Date(instants[i]).toISOString())}`).join('. ')}>
            <div className="gdf-mark is-start" style={{ left: '0%' }}><i />{t('sla.markNow')}</div>
            {marks.map((m, i) => (
              <div key={`${m.kind}-${i}`} className={`gdf-mark is-${m.kind} lane-${markLanes[i]}`} style={{ left: `${positions[i] * 100}%` }}>
                <i />{label(m)}
              </div>
            ))}
          </div>
          <ol className="gdf-marks-list">
            {marks.map((m, i) => (
              <li key={`${m.kind}-${i}`} data-kind={m.kind}>
                <strong>{label(m)}</strong> — {due[m.add] ? format(due[m.add]) : '…'}{' '}
                <Typography.Text type="secondary">({t('sla.afterBusiness', { duration: durationText(t, m.add) })})</Typography.Text>
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
