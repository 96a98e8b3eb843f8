// Pickers that let a designer choose by name what the definition stores as keys.
import { useFlowT } from './useFlowT';
import { InputNumber, Select, Space, type SelectProps } from 'antd';
import { durationParts, formatDuration, parseDuration } from './duration';
import { useFlowRefs } from './refs';
import type { RuleField } from './RuleEditor';
import { CHANNELS, STRATEGIES, type Definition, type JsonSchemaObject } from './types';

type Base = Omit<SelectProps<string>, 'options' | 'mode' | 'value' | 'onChange'>;
type MultiBase = Omit<SelectProps<string[]>, 'options' | 'mode' | 'value' | 'onChange'>;

export function TeamSelect({ value, onChange, ...rest }: Base & { value?: string; onChange?: (v: string | undefined) => void }) {
  const { t } = useFlowT();
  const { teams } = useFlowRefs();
  const options = teams.map((team) => ({ value: team.key, label: `${team.name} (${team.key})` }));
  if (value && !teams.some((team) => team.key === value)) options.push({ value, label: t('pickers.unknownTeam', { key: value }) });
  return <Select allowClear showSearch optionFilterProp="label" placeholder={t('pickers.team')} {...rest} value={value}
    onChange={(v) => onChange?.(v ?? undefined)} options={options} />;
}

export function StrategySelect({ value, onChange, ...rest }: Base & { value?: string; onChange?: (v: string) => void }) {
  const { t } = useFlowT();
  return <Select {...rest} value={value ?? 'none'} onChange={(v) => onChange?.(v)}
    options={STRATEGIES.map((s) => ({ value: s, label: t(`strategy.${s}`) }))} />;
}

export function RoleSelect({ value, onChange, ...rest }: MultiBase & { value?: string[]; onChange?: (v: string[]) => void }) {
  const { t } = useFlowT();
  const { roles } = useFlowRefs();
  const names = new Set(['requester', 'agent', ...roles.map((r) => r.name), ...(value ?? [])]);
  return <Select mode="multiple" allowClear placeholder={t('pickers.anyone')} {...rest} value={value ?? []}
    onChange={(v) => onChange?.(v)} options={[...names].map((n) => ({ value: n, label: t(`roleNames.${n}` as 'roleNames.agent', { defaultValue: n }) }))} />;
}

const FIXED_RECIPIENTS = ['requester', 'assignee', 'watchers', 'team', 'team.supervisor', 'team.manager'];

/** Recipients: the fixed ones, role:<role> for every role, and user:<email> typed in. */
export function RecipientSelect({ value, onChange, ...rest }: MultiBase & { value?: string[]; onChange?: (v: string[]) => void }) {
  const { t } = useFlowT();
  const { roles } = useFlowRefs();
  const options = [
    ...FIXED_RECIPIENTS.map((r) => ({ value: r, label: t(`recipients.${r.replace('.', '_')}` as 'recipients.requester') })),
    ...roles.map((r) => ({ value: `role:${r.name}`, label: t('recipients.role', { role: r.name }) })),
  ];
  for (const v of value ?? []) if (!options.some((o) => o.value === v)) options.push({ value: v, label: v });
  return (
    <Select mode="tags" placeholder={t('pickers.recipients')} {...rest} value={value ?? []} options={options}
      onChange={(v: string[]) => onChange?.(v.map((x) => (x.includes('@') && !x.startsWith('user:') ? `user:${x}` : x)))} />
  );
}

export function ChannelSelect({ value, onChange, ...rest }: MultiBase & { value?: string[]; onChange?: (v: string[]) => void }) {
  const { t } = useFlowT();
  return <Select mode="multiple" allowClear placeholder={t('pickers.channels')} {...rest} value={value ?? []}
    onChange={(v) => onChange?.(v)} options={CHANNELS.map((c) => ({ value: c, label: t(`channels.${c}`) }))} />;
}

export function TypeSelect({ value, onChange, ...rest }: Base & { value?: string; onChange?: (v: string) => void }) {
  const { types } = useFlowRefs();
  const options = types.map((ty) => ({ value: ty.key, label: `${ty.name} (${ty.key})` }));
  if (value && !options.some((o) => o.value === value)) options.push({ value, label: value });
  return <Select showSearch optionFilterProp="label" {...rest} value={value} onChange={(v) => onChange?.(v)} options={options} />;
}

export function levelsOf(definition: Definition): string[] {
  return definition.priority?.levels ?? ['P1', 'P2', 'P3', 'P4'];
}

/** The form's fields in display order (ui:order; PostgreSQL keeps JSON object keys sorted, not as written). */
export function formFields(definition: Definition): [string, JsonSchemaObject][] {
  const properties = definition.form?.schema?.properties ?? {};
  const order = (definition.form?.ui as { 'ui:order'?: string[] } | undefined)?.['ui:order'] ?? [];
  const names = Object.keys(properties);
  const rank = (name: string) => {
    const at = order.indexOf(name);
    return at >= 0 ? at : order.indexOf('*') >= 0 ? order.indexOf('*') : order.length;
  };
  return names
    .map((name, i) => [name, i] as const)
    .sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1])
    .map(([name]) => [name, properties[name]]);
}

export function fieldLabel(definition: Definition, name: string): string {
  const schema = definition.form?.schema?.properties?.[name];
  return typeof schema?.title === 'string' ? `${schema.title} (${name})` : name;
}

/** Fixed values of a field: its enum, or the consts of a oneOf. */
export function fieldValues(schema: JsonSchemaObject | undefined): { value: string; label: string }[] | null {
  if (!schema) return null;
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => ({ value: String(v), label: String(v) }));
  if (Array.isArray(schema.oneOf)) {
    const out = (schema.oneOf as { const?: unknown; title?: string }[])
      .filter((o) => o && 'const' in o)
      .map((o) => ({ value: String(o.const), label: o.title ?? String(o.const) }));
    return out.length ? out : null;
  }
  if (schema.type === 'boolean') return [{ value: 'true', label: 'true' }, { value: 'false', label: 'false' }];
  return null;
}

const TICKET_FIELDS: RuleField[] = [
  { name: 'ticket.requester.tags', label: 'ticket.requester.tags', type: 'multiselect' },
  { name: 'ticket.requester.email', label: 'ticket.requester.email', type: 'text' },
  { name: 'ticket.priority', label: 'ticket.priority', type: 'text' },
  { name: 'ticket.status', label: 'ticket.status', type: 'text' },
  { name: 'ticket.team', label: 'ticket.team', type: 'text' },
  { name: 'ticket.assignee', label: 'ticket.assignee', type: 'text' },
  { name: 'ticket.source', label: 'ticket.source', type: 'text' },
  { name: 'ticket.age_hours', label: 'ticket.age_hours', type: 'number' },
  { name: 'ticket.hours_in_status', label: 'ticket.hours_in_status', type: 'number' },
  { name: 'ticket.days_since_resolved', label: 'ticket.days_since_resolved', type: 'number' },
];

/** What a rule may read: the form's fields (and extra ones, e.g. a transition's), then ticket.*. */
export function ruleFields(definition: Definition, extra: Record<string, JsonSchemaObject> = {}, ticket = true): RuleField[] {
  const fields: RuleField[] = [...formFields(definition), ...Object.entries(extra)].map(([name, schema]) => {
    const values = fieldValues(schema);
    const type: RuleField['type'] = values ? 'select'
      : schema.type === 'number' || schema.type === 'integer' ? 'number'
        : schema.type === 'boolean' ? 'boolean'
          : schema.type === 'array' ? 'multiselect'
            : schema.format === 'date' || schema.format === 'date-time' ? 'date' : 'text';
    return { name, label: typeof schema.title === 'string' ? schema.title : name, type, ...(values ? { values } : {}) };
  });
  return ticket ? [...fields, ...TICKET_FIELDS] : fields;
}

const UNITS = [
  { unit: 'm', seconds: 60 },
  { unit: 'h', seconds: 3600 },
  { unit: 'd', seconds: 86400 },
] as const;

/** An ISO 8601 duration entered as a number and a unit (a day is 24 business hours, as the format says). */
export function DurationInput({ value, onChange, id, 'aria-label': ariaLabel, allowZero = false }: {
  value?: string;
  onChange?: (v: string | undefined) => void;
  id?: string;
  'aria-label'?: string;
  allowZero?: boolean;
}) {
  const { t } = useFlowT();
  const seconds = parseDuration(value);
  const parts = seconds === null ? null : durationParts(seconds);
  const unit = parts === null ? 'h' : seconds! % 3600 !== 0 ? 'm' : seconds! % 86400 !== 0 ? 'h' : seconds === 0 ? 'm' : 'd';
  const size = UNITS.find((u) => u.unit === unit)!.seconds;
  const amount = seconds === null ? null : seconds / size;
  return (
    <Space.Compact>
      <InputNumber id={id} aria-label={ariaLabel} min={allowZero ? 0 : 1} value={amount} style={{ width: 90 }}
        onChange={(n) => onChange?.(n === null ? undefined : formatDuration(Number(n) * size))} />
      <Select aria-label={t('pickers.unit')} value={unit} style={{ width: 100 }}
        onChange={(u) => onChange?.(formatDuration((amount ?? 1) * UNITS.find((x) => x.unit === u)!.seconds))}
        options={UNITS.map((u) => ({ value: u.unit, label: t(`units.${u.unit}`) }))} />
    </Space.Compact>
  );
}
