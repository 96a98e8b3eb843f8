// The routing editor: an ordered list of rules (the first whose condition matches wins), dragged to
// reorder (mouse, touch or keyboard, @dnd-kit), a default route for everything else, and a test box
// showing which rule matched and why the earlier ones did not (the trace of the server's simulation).
import { useFlowT } from './useFlowT';
import { closestCenter, DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { arrayMove, SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { Alert, Button, Card, Form, Input, Select, Space, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { canonical } from './diff';
import type { FlowEditorProps } from './editorProps';
import { problemsUnder } from './editorProps';
import type { Simulation } from './flowApi';
import { ArrowDownOutlined, ArrowUpOutlined, CheckCircleOutlined, CloseCircleOutlined, DeleteOutlined, HolderOutlined, PlusOutlined } from './icons';
import { levelsOf, ruleFields, StrategySelect, TeamSelect } from './pickers';
import { RuleEditor } from './RuleEditor';
import { describeRule, fieldTitles } from './rulesText';
import SampleForm from './SampleForm';
import type { Definition, RoutingRule } from './types';

/** The rules before the default route, and the default route (a last rule whose condition is true). */
export function splitRouting(routing: RoutingRule[]): { rules: RoutingRule[]; fallback: RoutingRule | null } {
  const last = routing[routing.length - 1];
  if (last && canonical(last.when) === 'true') return { rules: routing.slice(0, -1), fallback: last };
  return { rules: routing, fallback: null };
}

export function joinRouting(rules: RoutingRule[], fallback: RoutingRule | null): RoutingRule[] {
  return fallback ? [...rules, fallback] : rules;
}

/** A rule name not used yet: "New rule", "New rule 2" … */
export function freshName(base: string, routing: { name: string }[]): string {
  const names = new Set(routing.map((r) => r.name));
  if (!names.has(base)) return base;
  for (let n = 2; ; n += 1) if (!names.has(`${base} ${n}`)) return `${base} ${n}`;
}

interface RuleCardProps {
  id: string;
  index: number;
  count: number;
  rule: RoutingRule;
  definition: Definition;
  matched: boolean | null;
  onChange: (rule: RoutingRule) => void;
  onRemove: () => void;
  onMove: (to: number) => void;
  problems: string[];
}

function AssignmentFields({ rule, onChange, levels, n }: { rule: RoutingRule; onChange: (r: RoutingRule) => void; levels: string[]; n: string }) {
  const { t } = useFlowT();
  const assign = rule.assign ?? {};
  return (
    <Space wrap>
      <TeamSelect aria-label={t('routing.team', { n })} style={{ minWidth: 200 }} value={assign.team}
        onChange={(team) => onChange({ ...rule, assign: { ...assign, team } })} />
      <StrategySelect aria-label={t('routing.strategy', { n })} style={{ minWidth: 150 }} value={assign.strategy}
        onChange={(strategy) => onChange({ ...rule, assign: { ...assign, strategy: strategy as NonNullable<RoutingRule['assign']>['strategy'] } })} />
      {assign.strategy === 'fixed' && (
        <Input aria-label={t('routing.user', { n })} placeholder="name@example.com" value={assign.user}
          onChange={(e) => onChange({ ...rule, assign: { ...assign, user: e.target.value || undefined } })} />
      )}
      <Select aria-label={t('routing.setPriority', { n })} style={{ width: 150 }} value={rule.set_priority ?? ''}
        options={[{ value: '', label: t('routing.keepPriority') }, ...levels.map((l) => ({ value: l, label: t('routing.priorityTo', { level: l }) }))]}
        onChange={(v: string) => onChange({ ...rule, set_priority: v || undefined })} />
    </Space>
  );
}

function RuleCard({ id, index, count, rule, definition, matched, onChange, onRemove, onMove, problems }: RuleCardProps) {
  const { t } = useFlowT();
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id });
  const style = { transform: CSS.Transform.toString(transform), transition, opacity: isDragging ? 0.6 : 1 };
  const n = String(index + 1);
  return (
    <div ref={setNodeRef} style={style} data-rule={rule.name}>
      <Card size="small" className={`gdf-rule-card ${matched ? 'is-matched' : ''}`}
        title={
          <Space>
            <Button type="text" size="small" className="gdf-drag" icon={<HolderOutlined />} aria-label={t('routing.drag', { name: rule.name })}
              {...attributes} {...listeners} />
            <span>{index + 1}.</span>
            <Input aria-label={t('routing.name', { n })} value={rule.name} variant="borderless" style={{ fontWeight: 600 }}
              onChange={(e) => onChange({ ...rule, name: e.target.value })} />
            {matched === true && <Tag color="green">{t('routing.matched')}</Tag>}
          </Space>
        }
        extra={
          <Space size={0}>
            <Button type="text" icon={<ArrowUpOutlined />} disabled={index === 0} aria-label={t('routing.up', { name: rule.name })} onClick={() => onMove(index - 1)} />
            <Button type="text" icon={<ArrowDownOutlined />} disabled={index === count - 1} aria-label={t('routing.down', { name: rule.name })} onClick={() => onMove(index + 1)} />
            <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('routing.remove', { name: rule.name })} onClick={onRemove} />
          </Space>
        }>
        {problems.map((p) => <Alert key={p} type="error" showIcon message={p} style={{ marginBottom: 8 }} />)}
        <Form layout="vertical" size="small">
          <Form.Item label={t('routing.when')}>
            <RuleEditor aria-label={t('routing.whenLabel', { name: rule.name })} value={rule.when} allowTicketContext
              fields={ruleFields(definition)} onChange={(when) => onChange({ ...rule, when })} />
          </Form.Item>
          <Form.Item label={t('routing.then')}>
            <AssignmentFields rule={rule} onChange={onChange} levels={levelsOf(definition)} n={n} />
          </Form.Item>
        </Form>
      </Card>
    </div>
  );
}

export default function RoutingEditor(props: FlowEditorProps) {
  const { definition, onChange, errors, warnings } = props;
  const { t } = useFlowT();
  const [result, setResult] = useState<Simulation | null>(null);
  const routing = definition.routing ?? [];
  const { rules, fallback } = splitRouting(routing);
  const ids = useMemo(() => rules.map((_, i) => `rule-${i}`), [rules]);
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const save = (nextRules: RoutingRule[], nextFallback = fallback) => onChange({ ...definition, routing: joinRouting(nextRules, nextFallback) });
  const titles = fieldTitles(definition);
  const problemsOf = (i: number) => [...problemsUnder(errors, `/routing/${i}`), ...problemsUnder(warnings, `/routing/${i}`)].map((p) => p.message);

  const onDragEnd = (event: DragEndEvent) => {
    if (!event.over || event.active.id === event.over.id) return;
    save(arrayMove(rules, ids.indexOf(String(event.active.id)), ids.indexOf(String(event.over.id))));
  };
  const matchedIndex = result?.routing.matched?.index ?? null;

  return (
    <div className="gdf-two">
      <div>
        <Typography.Paragraph type="secondary">{t('routing.intro')}</Typography.Paragraph>
        <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}
          accessibility={{ screenReaderInstructions: { draggable: t('routing.dndHelp') } }}>
          <SortableContext items={ids} strategy={verticalListSortingStrategy}>
            {rules.map((rule, i) => (
              <RuleCard key={ids[i]} id={ids[i]} index={i} count={rules.length} rule={rule} definition={definition}
                matched={result ? matchedIndex === i : null} problems={problemsOf(i)}
                onChange={(r) => save(rules.map((x, j) => (j === i ? r : x)))}
                onRemove={() => save(rules.filter((_, j) => j !== i))}
                onMove={(to) => save(arrayMove(rules, i, to))} />
            ))}
          </SortableContext>
        </DndContext>
        <Button icon={<PlusOutlined />} style={{ marginBottom: 12 }}
          onClick={() => save([...rules, { name: freshName(t('routing.newRule'), routing), when: { '==': [{ var: Object.keys(definition.form.schema.properties ?? {})[0] ?? 'title' }, ''] }, assign: { strategy: 'none' } }])}>
          {t('routing.add')}
        </Button>
        <Card size="small" title={t('routing.fallbackTitle')} className={`gdf-rule-card ${result && fallback && matchedIndex === rules.length ? 'is-matched' : ''}`}>
          {fallback ? (
            <Space direction="vertical" style={{ width: '100%' }}>
              <Typography.Text type="secondary">{t('routing.fallbackHelp')}</Typography.Text>
              <AssignmentFields rule={fallback} n={t('routing.fallbackShort')} levels={levelsOf(definition)} onChange={(r) => save(rules, r)} />
              <Button size="small" onClick={() => save(rules, null)}>{t('routing.removeFallback')}</Button>
            </Space>
          ) : (
            <Space direction="vertical">
              <Alert type="warning" showIcon message={t('routing.noFallback')} />
              <Button icon={<PlusOutlined />} onClick={() => save(rules, { name: freshName(t('routing.fallbackName'), routing), when: true, assign: { strategy: 'none' } })}>
                {t('routing.addFallback')}
              </Button>
            </Space>
          )}
        </Card>
      </div>
      <Card size="small" title={t('test.title')}>
        <SampleForm {...props} idPrefix="gdf-rtest" onResult={setResult} />
        {result && (
          <div style={{ marginTop: 12 }} aria-live="polite" className="gdf-test-result">
            <Typography.Title level={3} style={{ fontSize: 16 }}>
              {result.routing.matched ? t('routing.resultMatched', { name: result.routing.matched.name, team: result.routing.matched.assign?.team ?? '—' }) : t('routing.resultNone')}
            </Typography.Title>
            <ol className="gdf-trace">
              {result.routing.trace.map((step) => (
                <li key={step.index}>
                  {step.matched ? <CheckCircleOutlined style={{ color: '#52c41a' }} /> : <CloseCircleOutlined style={{ color: '#bfbfbf' }} />}{' '}
                  <strong>{step.name}</strong>:{' '}
                  {step.matched ? t('routing.traceMatched')
                    : step.error ? t('routing.traceError', { error: step.error })
                      : t('routing.traceNot', { rule: describeRule(t, routing[step.index]?.when, titles) })}
                </li>
              ))}
            </ol>
          </div>
        )}
      </Card>
    </div>
  );
}
