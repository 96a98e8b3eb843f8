// The automations editor: trigger, condition and actions per automation, with the type's run log
// (GET /api/v1/automation-runs?type=) beside it, filterable, so a designer sees what fired.
import { useFlowT } from './useFlowT';
import { Alert, Button, Card, Collapse, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useCursorList } from '../../hooks';
import { useDateTimeFormatter } from '../../utils/format';
import ActionsEditor from './ActionsEditor';
import type { FlowEditorProps } from './editorProps';
import { problemsUnder } from './editorProps';
import type { AutomationRun } from './flowApi';
import { DeleteOutlined, PlusOutlined } from './icons';
import { DurationInput, fieldLabel, formFields, ruleFields } from './pickers';
import { freshName } from './RoutingEditor';
import { RuleEditor } from './RuleEditor';
import { TRIGGERS, type Automation, type Trigger } from './types';

const OUTCOME_COLORS: Record<AutomationRun['outcome'], string> = { succeeded: 'green', failed: 'red', loop_stopped: 'orange' };

function RunLog({ typeKey, names }: { typeKey: string; names: string[] }) {
  const { t } = useFlowT();
  const format = useDateTimeFormatter();
  const [outcome, setOutcome] = useState<string | undefined>();
  const [automation, setAutomation] = useState<string | undefined>();
  const list = useCursorList<AutomationRun>('/automation-runs', { type: typeKey, outcome, automation }, 50);
  const rows = list.items;
  return (
    <Card size="small" title={t('automations.log')} extra={<Button size="small" onClick={() => void list.reload()}>{t('automations.refresh')}</Button>}>
      <Space wrap style={{ marginBottom: 8 }}>
        <Select aria-label={t('automations.filterOutcome')} placeholder={t('automations.filterOutcome')} allowClear style={{ width: 160 }}
          value={outcome} onChange={setOutcome}
          options={(['succeeded', 'failed', 'loop_stopped'] as const).map((o) => ({ value: o, label: t(`automations.outcomes.${o}`) }))} />
        <Select aria-label={t('automations.filterName')} placeholder={t('automations.filterName')} allowClear style={{ width: 180 }}
          value={automation} onChange={setAutomation} options={names.map((n) => ({ value: n, label: n }))} />
      </Space>
      <Table<AutomationRun> size="small" rowKey="id" loading={list.loading} dataSource={rows} pagination={false}
        locale={{ emptyText: t('automations.noRuns') }} scroll={{ x: 420 }}
        columns={[
          { title: t('automations.when'), dataIndex: 'at', render: (at: string) => format(at) },
          { title: t('automations.name'), dataIndex: 'automation' },
          { title: t('automations.ticket'), dataIndex: 'ticket_id',
            render: (id: number, run) => <Link to={`/tickets/${id}`} data-ticket={id}>{run.ticket_number ?? `#${id}`}</Link> },
          { title: t('automations.trigger'), dataIndex: 'trigger' },
          { title: t('automations.outcome'), dataIndex: 'outcome',
            render: (o: AutomationRun['outcome'], run) => (
              <Space direction="vertical" size={0}>
                <Tag color={OUTCOME_COLORS[o]}>{t(`automations.outcomes.${o}`)}</Tag>
                {run.error && <Typography.Text type="danger" style={{ fontSize: 12 }}>{run.error}</Typography.Text>}
              </Space>
            ) },
        ]} />
      {list.nextCursor && <Button block loading={list.loadingMore} onClick={() => void list.loadMore()}>{t('automations.more')}</Button>}
    </Card>
  );
}

export default function AutomationsEditor({ typeKey, definition, onChange, errors, warnings }: FlowEditorProps) {
  const { t } = useFlowT();
  const automations = definition.automations ?? [];
  const save = (next: Automation[]) => onChange({ ...definition, automations: next });
  const fieldOptions = formFields(definition).map(([n]) => ({ value: n, label: fieldLabel(definition, n) }));
  const items = automations.map((a, i) => {
    const set = (patch: Partial<Automation>) => {
      const merged = { ...a, ...patch } as Automation;
      for (const k of Object.keys(merged) as (keyof Automation)[]) if (merged[k] === undefined) delete merged[k];
      save(automations.map((x, j) => (j === i ? merged : x)));
    };
    const problems = [...problemsUnder(errors, `/automations/${i}`), ...problemsUnder(warnings, `/automations/${i}`)];
    return {
      key: String(i),
      label: <span data-automation={a.name}>{a.name} <Tag>{t(`trigger.${a.on}`)}</Tag></span>,
      extra: <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('automations.remove', { name: a.name })}
        onClick={(e) => { e.stopPropagation(); save(automations.filter((_, j) => j !== i)); }} />,
      children: (
        <Form layout="vertical" size="small">
          {problems.map((p) => <Alert key={p.path + p.message} type="warning" showIcon message={p.message} style={{ marginBottom: 8 }} />)}
          <Form.Item label={t('automations.name')} htmlFor={`gdf-auto-${i}-name`}>
            <Input id={`gdf-auto-${i}-name`} value={a.name} onChange={(e) => set({ name: e.target.value })} />
          </Form.Item>
          <Space wrap align="start">
            <Form.Item label={t('automations.trigger')} htmlFor={`gdf-auto-${i}-on`}>
              <Select id={`gdf-auto-${i}-on`} style={{ width: 200 }} value={a.on}
                options={TRIGGERS.map((x) => ({ value: x, label: t(`trigger.${x}`) }))}
                onChange={(on: Trigger) => set({ on, field: undefined, transition: undefined, state: on === 'elapsed' ? definition.workflow.states[0]?.key : undefined, after: on === 'elapsed' ? 'P1D' : undefined })} />
            </Form.Item>
            {a.on === 'field_changed' && (
              <Form.Item label={t('automations.field')} htmlFor={`gdf-auto-${i}-field`}>
                <Select id={`gdf-auto-${i}-field`} style={{ minWidth: 180 }} value={a.field} options={fieldOptions} onChange={(field: string) => set({ field })} />
              </Form.Item>
            )}
            {a.on === 'transitioned' && (
              <Form.Item label={t('automations.transition')} htmlFor={`gdf-auto-${i}-transition`}>
                <Select id={`gdf-auto-${i}-transition`} style={{ minWidth: 180 }} allowClear placeholder={t('automations.anyTransition')} value={a.transition}
                  options={definition.workflow.transitions.map((x) => ({ value: x.key, label: x.name || x.key }))}
                  onChange={(transition?: string) => set({ transition })} />
              </Form.Item>
            )}
            {a.on === 'elapsed' && (
              <>
                <Form.Item label={t('automations.state')} htmlFor={`gdf-auto-${i}-state`}>
                  <Select id={`gdf-auto-${i}-state`} style={{ minWidth: 160 }} value={a.state}
                    options={definition.workflow.states.map((s) => ({ value: s.key, label: s.name }))} onChange={(state: string) => set({ state })} />
                </Form.Item>
                <Form.Item label={t('automations.after')}>
                  <DurationInput aria-label={t('automations.after')} value={a.after} onChange={(after) => after && set({ after })} />
                </Form.Item>
              </>
            )}
          </Space>
          <Form.Item label={t('automations.condition')}>
            {a.when === undefined ? (
              <Button size="small" onClick={() => set({ when: true })}>{t('automations.addCondition')}</Button>
            ) : (
              <RuleEditor aria-label={t('automations.conditionLabel', { name: a.name })} value={a.when} allowTicketContext
                fields={ruleFields(definition)} onChange={(when) => set({ when })} />
            )}
          </Form.Item>
          <Form.Item label={t('automations.actions')}>
            <ActionsEditor definition={definition} owner={a.name} value={a.do} onChange={(d) => set({ do: d })} />
          </Form.Item>
        </Form>
      ),
    };
  });
  return (
    <div className="gdf-two">
      <div>
        <Typography.Paragraph type="secondary">{t('automations.intro')}</Typography.Paragraph>
        {automations.length ? <Collapse items={items} /> : <Alert type="info" showIcon message={t('automations.none')} />}
        <Button icon={<PlusOutlined />} style={{ marginTop: 12 }}
          onClick={() => save([...automations, { name: freshName(t('automations.newName'), automations), on: 'created', do: [{ do: 'notify', to: ['team'], channels: ['in_app'] }] }])}>
          {t('automations.add')}
        </Button>
      </div>
      <RunLog typeKey={typeKey} names={automations.map((a) => a.name)} />
    </div>
  );
}
