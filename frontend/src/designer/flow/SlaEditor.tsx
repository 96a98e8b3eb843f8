// The SLA editor: policies with their condition, calendar, targets per priority in business time,
// the states that pause the clock, the warning ladder and the escalation levels, each drawn on a
// timeline for a ticket created now.
import { useFlowT } from './useFlowT';
import { Alert, Button, Card, Checkbox, Collapse, Form, Input, Select, Space, Table, Typography } from 'antd';
import type { FlowEditorProps } from './editorProps';
import { problemsUnder } from './editorProps';
import { DeleteOutlined, PlusOutlined } from './icons';
import { ChannelSelect, DurationInput, levelsOf, RecipientSelect, ruleFields, StrategySelect, TeamSelect } from './pickers';
import { useFlowRefs } from './refs';
import { RuleEditor } from './RuleEditor';
import SlaTimeline from './SlaTimeline';
import { METRICS, STATUS_CATEGORIES, type Escalation, type Metric, type SlaPolicy } from './types';
import { freshName } from './RoutingEditor';

export default function SlaEditor({ definition, onChange, errors, warnings }: FlowEditorProps) {
  const { t } = useFlowT();
  const { calendars } = useFlowRefs();
  const policies = definition.sla ?? [];
  const levels = levelsOf(definition);
  const save = (next: SlaPolicy[]) => onChange({ ...definition, sla: next });
  const setPolicy = (i: number, p: SlaPolicy) => save(policies.map((x, j) => (j === i ? p : x)));
  const calendarOptions = calendars.map((c) => ({ value: c.key, label: `${c.name} (${c.key})` }));
  const pauseOptions = [
    ...STATUS_CATEGORIES.map((c) => ({ value: c, label: t('sla.pauseCategory', { category: t(`categories.${c}`) }) })),
    ...definition.workflow.states.map((s) => ({ value: s.key, label: `${s.name} (${s.key})` })),
  ];

  const items = policies.map((policy, i) => {
    const set = (patch: Partial<SlaPolicy>) => {
      const merged = { ...policy, ...patch } as SlaPolicy;
      for (const k of Object.keys(merged) as (keyof SlaPolicy)[]) {
        const v = merged[k];
        if (v === undefined || (Array.isArray(v) && !v.length && k !== 'pause_in')) delete merged[k];
      }
      setPolicy(i, merged);
    };
    const setTarget = (level: string, metric: Metric, value: string | undefined) => {
      const targets = { ...policy.targets, [level]: { ...(policy.targets[level] ?? {}), [metric]: value } };
      if (!value) delete targets[level][metric];
      if (!Object.keys(targets[level]).length) delete targets[level];
      set({ targets });
    };
    const escalate = policy.escalate ?? [];
    const setLevel = (j: number, e: Escalation) => set({ escalate: escalate.map((x, k) => (k === j ? e : x)) });
    const problems = [...problemsUnder(errors, `/sla/${i}`), ...problemsUnder(warnings, `/sla/${i}`)];
    return {
      key: String(i),
      label: <span data-policy={policy.name}>{policy.name}</span>,
      extra: <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('sla.remove', { name: policy.name })}
        onClick={(e) => { e.stopPropagation(); save(policies.filter((_, j) => j !== i)); }} />,
      children: (
        <div>
          {problems.map((p) => <Alert key={p.path + p.message} type="warning" showIcon message={p.message} style={{ marginBottom: 8 }} />)}
          <Form layout="vertical" size="small">
            <Space wrap align="start">
              <Form.Item label={t('sla.name')} htmlFor={`gdf-sla-${i}-name`}>
                <Input id={`gdf-sla-${i}-name`} value={policy.name} onChange={(e) => set({ name: e.target.value })} />
              </Form.Item>
              <Form.Item label={t('sla.calendar')} htmlFor={`gdf-sla-${i}-calendar`} help={t('sla.calendarHelp')}>
                <Select id={`gdf-sla-${i}-calendar`} style={{ minWidth: 220 }} value={policy.calendar ?? '24x7'}
                  options={calendarOptions.length ? calendarOptions : [{ value: '24x7', label: '24x7' }]}
                  onChange={(calendar: string) => set({ calendar: calendar === '24x7' ? undefined : calendar })} />
              </Form.Item>
            </Space>
            <Form.Item label={t('sla.when')}>
              {policy.when === undefined ? (
                <Button size="small" onClick={() => set({ when: true })}>{t('sla.addWhen')}</Button>
              ) : (
                <RuleEditor aria-label={t('sla.whenLabel', { name: policy.name })} value={policy.when} allowTicketContext
                  fields={ruleFields(definition)} onChange={(when) => set({ when })} />
              )}
            </Form.Item>
            <div><Typography.Text strong>{t('sla.targets')}</Typography.Text></div>
            <div className="gdf-scroll">
              <Table size="small" pagination={false} rowKey="level" dataSource={levels.map((level) => ({ level }))}
                columns={[
                  { title: t('sla.level'), dataIndex: 'level' },
                  ...METRICS.map((metric) => ({
                    title: t(`metric.${metric}`),
                    key: metric,
                    render: (_: unknown, row: { level: string }) => (
                      <Space>
                        <Checkbox aria-label={t('sla.targetOn', { level: row.level, metric: t(`metric.${metric}`) })}
                          checked={!!policy.targets[row.level]?.[metric]}
                          onChange={(e) => setTarget(row.level, metric, e.target.checked ? 'PT8H' : undefined)} />
                        {policy.targets[row.level]?.[metric] && (
                          <DurationInput aria-label={t('sla.target', { level: row.level, metric: t(`metric.${metric}`) })}
                            value={policy.targets[row.level][metric]} onChange={(v) => v && setTarget(row.level, metric, v)} />
                        )}
                      </Space>
                    ),
                  })),
                ]} />
            </div>
            <Form.Item label={t('sla.pauseIn')} htmlFor={`gdf-sla-${i}-pause`} help={t('sla.pauseHelp')} style={{ marginTop: 12 }}>
              <Select id={`gdf-sla-${i}-pause`} mode="multiple" value={policy.pause_in ?? ['pending']} options={pauseOptions}
                onChange={(pause_in: string[]) => set({ pause_in })} />
            </Form.Item>
            <Space wrap align="start">
              <Form.Item label={t('sla.warnAt')} htmlFor={`gdf-sla-${i}-warnat`} help={t('sla.warnAtHelp')}>
                <Select id={`gdf-sla-${i}-warnat`} mode="tags" style={{ minWidth: 200 }}
                  value={(policy.warn_at ?? []).map((s) => String(Math.round(s * 100)))}
                  onChange={(v: string[]) => set({ warn_at: v.map(Number).filter((n) => n > 0 && n < 100).map((n) => n / 100) })}
                  options={['50', '75', '80', '90'].map((v) => ({ value: v, label: `${v} %` }))} />
              </Form.Item>
              <Form.Item label={t('sla.warnBefore')} help={t('sla.warnBeforeHelp')}>
                <Space direction="vertical">
                  {(policy.warn_before ?? []).map((d, j) => (
                    <Space key={j}>
                      <DurationInput aria-label={t('sla.warnBeforeItem', { n: j + 1 })} value={d}
                        onChange={(v) => v && set({ warn_before: (policy.warn_before ?? []).map((x, k) => (k === j ? v : x)) })} />
                      <Button type="text" icon={<DeleteOutlined />} aria-label={t('sla.warnBeforeRemove', { n: j + 1 })}
                        onClick={() => set({ warn_before: (policy.warn_before ?? []).filter((_, k) => k !== j) })} />
                    </Space>
                  ))}
                  <Button size="small" icon={<PlusOutlined />} onClick={() => set({ warn_before: [...(policy.warn_before ?? []), 'PT30M'] })}>
                    {t('sla.addWarnBefore')}
                  </Button>
                </Space>
              </Form.Item>
            </Space>
            <div><Typography.Text strong>{t('sla.escalation')}</Typography.Text></div>
            {escalate.map((e, j) => (
              <Card key={j} size="small" style={{ marginTop: 8 }} title={t('sla.escLevel', { n: j + 1 })}
                extra={<Button type="text" danger icon={<DeleteOutlined />} aria-label={t('sla.escRemove', { n: j + 1 })}
                  onClick={() => set({ escalate: escalate.filter((_, k) => k !== j) })} />}>
                <Space wrap align="start">
                  <Form.Item label={t('sla.afterBreach')} help={t('sla.afterBreachHelp')}>
                    <DurationInput aria-label={t('sla.afterBreachLabel', { n: j + 1 })} allowZero value={e.after_breach}
                      onChange={(v) => v && setLevel(j, { ...e, after_breach: v })} />
                  </Form.Item>
                  <Form.Item label={t('sla.metric')} htmlFor={`gdf-sla-${i}-esc-${j}-metric`}>
                    <Select id={`gdf-sla-${i}-esc-${j}-metric`} style={{ width: 150 }} value={e.metric ?? 'any'}
                      options={[{ value: 'any', label: t('sla.anyMetric') }, ...METRICS.map((m) => ({ value: m, label: t(`metric.${m}`) }))]}
                      onChange={(metric: Escalation['metric']) => setLevel(j, { ...e, metric: metric === 'any' ? undefined : metric })} />
                  </Form.Item>
                </Space>
                <Form.Item label={t('sla.notify')}>
                  <Space direction="vertical" style={{ width: '100%' }}>
                    <RecipientSelect aria-label={t('sla.notifyLabel', { n: j + 1 })} style={{ width: '100%' }} value={e.notify}
                      onChange={(notify) => setLevel(j, { ...e, notify: notify.length ? notify : undefined })} />
                    <ChannelSelect aria-label={t('sla.channelsLabel', { n: j + 1 })} style={{ width: '100%' }} value={e.channels}
                      onChange={(channels) => setLevel(j, { ...e, channels: channels.length ? (channels as Escalation['channels']) : undefined })} />
                  </Space>
                </Form.Item>
                <Space wrap>
                  <Checkbox checked={!!e.reassign} onChange={(ev) => setLevel(j, { ...e, reassign: ev.target.checked ? { strategy: 'none' } : undefined })}>
                    {t('sla.reassign')}
                  </Checkbox>
                  {e.reassign && (
                    <>
                      <TeamSelect aria-label={t('sla.reassignTeam', { n: j + 1 })} style={{ minWidth: 180 }} value={e.reassign.team}
                        onChange={(team) => setLevel(j, { ...e, reassign: { ...e.reassign, team } })} />
                      <StrategySelect aria-label={t('sla.reassignStrategy', { n: j + 1 })} style={{ minWidth: 140 }} value={e.reassign.strategy}
                        onChange={(strategy) => setLevel(j, { ...e, reassign: { ...e.reassign, strategy: strategy as NonNullable<Escalation['reassign']>['strategy'] } })} />
                    </>
                  )}
                  <Checkbox checked={!!e.raise_priority} onChange={(ev) => setLevel(j, { ...e, raise_priority: ev.target.checked || undefined })}>
                    {t('sla.raisePriority')}
                  </Checkbox>
                </Space>
              </Card>
            ))}
            <Button size="small" icon={<PlusOutlined />} style={{ marginTop: 8 }}
              onClick={() => set({ escalate: [...escalate, { after_breach: escalate.length ? 'PT30M' : 'PT0M', notify: ['team.manager'] }] })}>
              {t('sla.addEscalation')}
            </Button>
          </Form>
          <Card size="small" style={{ marginTop: 12 }}>
            <SlaTimeline policy={policy} levels={levels} />
          </Card>
        </div>
      ),
    };
  });

  return (
    <div>
      <Typography.Paragraph type="secondary">{t('sla.intro')}</Typography.Paragraph>
      {policies.length ? <Collapse items={items} defaultActiveKey={['0']} /> : <Alert type="info" showIcon message={t('sla.none')} />}
      <Button icon={<PlusOutlined />} style={{ marginTop: 12 }}
        onClick={() => save([...policies, { name: freshName(t('sla.newPolicy'), policies), targets: { [levels[0]]: { resolution: 'PT8H' } }, pause_in: ['pending'] }])}>
        {t('sla.add')}
      </Button>
    </div>
  );
}
