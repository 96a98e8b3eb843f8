// The side panel of a transition: name and translation, where it leads, who may take it, its guard,
// the fields it requires (from the form or its own), its checklist and its actions.
import { useFlowT } from './useFlowT';
import { Alert, Button, Checkbox, Divider, Form, Input, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import type { Json } from '../../rules/logic';
import ActionsEditor from './ActionsEditor';
import { ANY_STATE, isKey } from './graph';
import { DeleteOutlined, PlusOutlined } from './icons';
import { fieldLabel, formFields, RoleSelect, ruleFields } from './pickers';
import { RuleEditor } from './RuleEditor';
import TranslationInput, { withTranslation } from './TranslationInput';
import type { Definition, JsonSchemaObject, Transition } from './types';

type FieldKind = 'text' | 'textarea' | 'number' | 'attachment' | 'attachments' | 'choice';

/** The JSON Schema of a transition-only field of a kind. */
export function schemaFor(kind: FieldKind, title: string, values: string[] = []): JsonSchemaObject {
  switch (kind) {
    case 'number':
      return { type: 'number', title };
    case 'attachment':
      return { type: 'string', format: 'attachment', title };
    case 'attachments':
      return { type: 'array', title, items: { type: 'string', format: 'attachment' } };
    case 'choice':
      return { type: 'string', title, enum: values };
    default:
      return { type: 'string', title, ...(kind === 'textarea' ? { maxLength: 20000 } : {}) };
  }
}

export function kindOf(schema: JsonSchemaObject): FieldKind {
  if (schema.type === 'array') return 'attachments';
  if (schema.format === 'attachment') return 'attachment';
  if (Array.isArray(schema.enum)) return 'choice';
  if (schema.type === 'number' || schema.type === 'integer') return 'number';
  return schema.maxLength === 20000 ? 'textarea' : 'text';
}

const KINDS: FieldKind[] = ['text', 'textarea', 'number', 'attachment', 'attachments', 'choice'];

interface Props {
  definition: Definition;
  index: number;
  problems: string[];
  onChange: (transition: Transition) => void;
  onDelete: () => void;
}

export default function TransitionPanel({ definition, index, problems, onChange, onDelete }: Props) {
  const { t } = useFlowT();
  const transition = definition.workflow.transitions[index];
  const [newField, setNewField] = useState('');
  if (!transition) return null;
  const name = transition.name || transition.key;
  const patch = (next: Partial<Transition>) => {
    const merged = { ...transition, ...next } as Transition;
    for (const k of Object.keys(merged) as (keyof Transition)[]) {
      const v = merged[k];
      if (v === undefined || (Array.isArray(v) && !v.length && k !== 'from') || (k === 'fields' && v && !Object.keys(v).length)) delete merged[k];
    }
    onChange(merged);
  };
  const states = definition.workflow.states.map((s) => ({ value: s.key, label: `${s.name} (${s.key})` }));
  const own = transition.fields ?? {};
  const requireOptions = [
    ...formFields(definition).map(([n]) => ({ value: n, label: fieldLabel(definition, n) })),
    ...Object.entries(own).map(([n, s]) => ({ value: n, label: `${typeof s.title === 'string' ? s.title : n} (${n}) · ${t('transition.ownField')}` })),
    { value: 'comment', label: t('transition.commentField') },
  ];
  const checklist = transition.checklist ?? [];
  const checklistZh = (transition.i18n?.['zh-CN']?.checklist as string[] | undefined) ?? [];
  const setChecklist = (items: string[], zh: string[]) => {
    const padded = items.map((_, i) => zh[i] ?? '');
    patch({ checklist: items, i18n: withTranslation(transition.i18n, 'zh-CN', 'checklist', items.length ? padded : null) });
  };

  return (
    <Form layout="vertical" size="small" aria-label={t('transition.panel', { transition: name })}>
      <h2 className="gdf-panel-title">{t('transition.title', { transition: name })}</h2>
      {problems.map((p) => <Alert key={p} type="warning" showIcon message={p} style={{ marginBottom: 8 }} />)}
      <Form.Item label={t('transition.name')} htmlFor="gdf-t-name">
        <Input id="gdf-t-name" value={transition.name} onChange={(e) => patch({ name: e.target.value || undefined })} />
      </Form.Item>
      <TranslationInput label={t('transition.nameZh')} id="gdf-t-name-zh" owner={transition} property="name"
        onChange={(i18n) => patch({ i18n })} />
      <Form.Item label={t('transition.key')} htmlFor="gdf-t-key" help={t('transition.keyHelp')}>
        <Input id="gdf-t-key" defaultValue={transition.key} key={transition.key}
          onBlur={(e) => {
            const next = e.target.value.trim();
            if (isKey(next) && !definition.workflow.transitions.some((x, i) => i !== index && x.key === next)) patch({ key: next });
            else e.target.value = transition.key;
          }} />
      </Form.Item>
      <Form.Item label={t('transition.from')} htmlFor="gdf-t-from">
        <Select id="gdf-t-from" mode="multiple" value={transition.from === ANY_STATE ? [ANY_STATE] : transition.from}
          options={[{ value: ANY_STATE, label: t('workflow.anyState') }, ...states]}
          onChange={(v: string[]) => patch({ from: v[v.length - 1] === ANY_STATE ? ANY_STATE : v.filter((x) => x !== ANY_STATE) })} />
      </Form.Item>
      <Form.Item label={t('transition.to')} htmlFor="gdf-t-to">
        <Select id="gdf-t-to" value={transition.to} options={states} onChange={(to) => patch({ to })} />
      </Form.Item>
      <Form.Item label={t('transition.roles')} htmlFor="gdf-t-roles" help={t('transition.rolesHelp')}>
        <RoleSelect id="gdf-t-roles" value={transition.roles} onChange={(roles) => patch({ roles: roles.length ? roles : undefined })} />
      </Form.Item>
      <Form.Item help={t('transition.onAssignedHelp')}>
        <Checkbox checked={transition.on === 'assigned'}
          onChange={(e) => patch(e.target.checked ? { on: 'assigned', require: undefined, checklist: undefined } : { on: undefined })}>
          {t('transition.onAssigned')}
        </Checkbox>
      </Form.Item>
      <Form.Item label={t('transition.guard')} help={t('transition.guardHelp')}>
        {transition.guard === undefined ? (
          <Button icon={<PlusOutlined />} onClick={() => patch({ guard: true })}>{t('transition.addGuard')}</Button>
        ) : (
          <Space direction="vertical" style={{ width: '100%' }}>
            <RuleEditor aria-label={t('transition.guard')} value={transition.guard} allowTicketContext
              fields={ruleFields(definition, own)} onChange={(guard: Json) => patch({ guard })} />
            <Button size="small" onClick={() => patch({ guard: undefined })}>{t('transition.removeGuard')}</Button>
          </Space>
        )}
      </Form.Item>

      <Divider plain orientation="left">{t('transition.fieldsTitle')}</Divider>
      <Form.Item label={t('transition.require')} htmlFor="gdf-t-require" help={t('transition.requireHelp')}>
        <Select id="gdf-t-require" mode="multiple" value={transition.require ?? []} options={requireOptions}
          onChange={(require: string[]) => patch({ require })} />
      </Form.Item>
      {Object.entries(own).map(([field, schema]) => (
        <Space key={field} wrap className="gdf-own-field" aria-label={t('transition.ownFieldLabel', { field })}>
          <Typography.Text code>{field}</Typography.Text>
          <Input aria-label={t('transition.ownFieldTitle', { field })} value={typeof schema.title === 'string' ? schema.title : ''}
            placeholder={t('transition.ownFieldTitlePlaceholder')}
            onChange={(e) => patch({ fields: { ...own, [field]: { ...schema, title: e.target.value } } })} />
          <Select aria-label={t('transition.ownFieldKind', { field })} value={kindOf(schema as JsonSchemaObject)} style={{ width: 150 }}
            options={KINDS.map((k) => ({ value: k, label: t(`fieldKinds.${k}`) }))}
            onChange={(kind: FieldKind) => patch({ fields: { ...own, [field]: schemaFor(kind, String(schema.title ?? field)) as Record<string, Json> } })} />
          {kindOf(schema as JsonSchemaObject) === 'choice' && (
            <Select mode="tags" aria-label={t('transition.ownFieldValues', { field })} style={{ minWidth: 160 }}
              value={(schema.enum as string[]) ?? []} placeholder={t('transition.values')}
              onChange={(values: string[]) => patch({ fields: { ...own, [field]: { ...schema, enum: values } } })} />
          )}
          <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('transition.ownFieldRemove', { field })}
            onClick={() => {
              const next = { ...own };
              delete next[field];
              patch({ fields: next, require: (transition.require ?? []).filter((r) => r !== field) });
            }} />
        </Space>
      ))}
      <Form.Item label={t('transition.addOwnField')} htmlFor="gdf-t-newfield" help={t('transition.addOwnFieldHelp')}>
        <Space.Compact style={{ width: '100%' }}>
          <Input id="gdf-t-newfield" value={newField} placeholder="part_number" onChange={(e) => setNewField(e.target.value)} />
          <Button icon={<PlusOutlined />} disabled={!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(newField) || newField in own}
            onClick={() => {
              patch({ fields: { ...own, [newField]: schemaFor('text', newField) as Record<string, Json> },
                require: [...(transition.require ?? []), newField] });
              setNewField('');
            }}>{t('add')}</Button>
        </Space.Compact>
      </Form.Item>

      <Divider plain orientation="left">{t('transition.checklist')}</Divider>
      {checklist.map((item, i) => (
        <Space.Compact key={i} style={{ width: '100%', marginBottom: 4 }}>
          <Input aria-label={t('transition.checklistItem', { n: i + 1 })} value={item}
            onChange={(e) => setChecklist(checklist.map((x, j) => (j === i ? e.target.value : x)), checklistZh)} />
          <Input aria-label={t('transition.checklistItemZh', { n: i + 1 })} lang="zh-CN" placeholder={t('transition.zh')} value={checklistZh[i] ?? ''}
            onChange={(e) => setChecklist(checklist, checklist.map((_, j) => (j === i ? e.target.value : checklistZh[j] ?? '')))} />
          <Button icon={<DeleteOutlined />} aria-label={t('transition.checklistRemove', { n: i + 1 })}
            onClick={() => setChecklist(checklist.filter((_, j) => j !== i), checklistZh.filter((_, j) => j !== i))} />
        </Space.Compact>
      ))}
      <Button icon={<PlusOutlined />} onClick={() => setChecklist([...checklist, ''], checklistZh)}>{t('transition.checklistAdd')}</Button>

      <Divider plain orientation="left">{t('transition.actions')}</Divider>
      <ActionsEditor definition={definition} owner={name} value={transition.actions ?? []}
        onChange={(actions) => patch({ actions })} />
      <Divider />
      <Button danger icon={<DeleteOutlined />} onClick={onDelete}>{t('transition.delete')}</Button>
    </Form>
  );
}
