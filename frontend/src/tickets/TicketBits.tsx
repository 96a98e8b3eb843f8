import { Tag, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SlaClock, StatusCategory } from '../types';
import { useDateTimeFormatter } from '../utils/format';

const CATEGORY_COLORS: Record<string, string> = {
  new: 'blue',
  open: 'geekblue',
  pending: 'gold',
  resolved: 'green',
  closed: 'default',
};

/** A state's name (as authored in the definition) coloured by its category. */
export function StatusTag({ name, category }: { name: string; category: StatusCategory | string }) {
  return <Tag color={CATEGORY_COLORS[category] ?? 'default'}>{name}</Tag>;
}

const PRIORITY_COLORS = ['red', 'volcano', 'orange', 'gold', 'default'];

export function PriorityTag({ priority, levels }: { priority: string; levels?: string[] }) {
  const index = levels?.indexOf(priority) ?? -1;
  const fallback = /^P(\d)$/.exec(priority);
  const rank = index >= 0 ? index : fallback ? Number(fallback[1]) - 1 : 4;
  return <Tag color={PRIORITY_COLORS[Math.min(Math.max(rank, 0), 4)]}>{priority}</Tag>;
}

/** Re-renders every `ms` milliseconds (for countdowns). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(timer);
  }, [ms]);
  return now;
}

type TFunc = ReturnType<typeof useTranslation<'translation'>>['t'];

function formatDuration(seconds: number, t: TFunc): string {
  const s = Math.abs(Math.round(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return t('sla.days', { d, h });
  if (h) return t('sla.hours', { h, m: String(m).padStart(2, '0') });
  return t('sla.minutes', { m, s: String(s % 60).padStart(2, '0') });
}

const SLA_COLORS: Record<string, string> = { running: 'processing', paused: 'default', met: 'success', warning: 'warning', breached: 'error' };

/** One badge per SLA clock, counting down to its due time; nothing when the ticket has no clocks. */
export function SlaBadges({ clocks }: { clocks?: SlaClock[] | null }) {
  const { t } = useTranslation();
  const now = useNow(1000);
  const format = useDateTimeFormatter();
  if (!clocks?.length) return null;
  return (
    <span className="gd-sla-badges">
      {clocks.map((clock) => {
        const metric = t(`sla.metric.${clock.metric}`, { defaultValue: clock.metric });
        const state = t(`sla.state.${clock.state}`, { defaultValue: clock.state });
        let text = state;
        if (clock.due_at && (clock.state === 'running' || clock.state === 'warning' || clock.state === 'breached')) {
          const left = (Date.parse(clock.due_at) - now) / 1000;
          text = left >= 0 ? t('sla.dueIn', { time: formatDuration(left, t) }) : t('sla.overdueBy', { time: formatDuration(left, t) });
        }
        const label = `${metric}: ${text}`;
        return (
          <Tooltip key={clock.metric} title={clock.due_at ? t('sla.dueAt', { at: format(clock.due_at) }) : state}>
            <Tag color={SLA_COLORS[clock.state] ?? 'default'} className="gd-sla-badge" aria-label={label}>
              {label}
            </Tag>
          </Tooltip>
        );
      })}
    </span>
  );
}

/** The earliest due time among the clocks still running, for list columns. */
export function nextDue(clocks?: SlaClock[] | null): SlaClock | null {
  const running = (clocks ?? []).filter((c) => c.due_at && c.state !== 'met' && c.state !== 'paused');
  running.sort((a, b) => Date.parse(a.due_at!) - Date.parse(b.due_at!));
  return running[0] ?? null;
}
