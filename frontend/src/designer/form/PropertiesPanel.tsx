// The right pane: everything the format holds for the selected field (or section).
//
// Typing a label is the designer's most frequent edit, and with it the field's key may follow the label:
// the panel is split into memoised parts so that a keystroke re-renders the label box and the key, not
// the dozen other antd form items (see `sameBody`).
import { Alert, Collapse, Form, Input, InputNumber, Radio, Select, Space, Switch, Typography } from 'antd';
import { createContext, memo, useContext, useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldModel, FormModel, SectionNode } from '../model/form';
import { isObject, type Json, type JsonObject } from '../model/json';
import { keyProblem } from '../model/keys';
import { advancedParts, choicesOf, withChoices } from '../model/kinds';
import { setSchemaKeyword, setUiOption } from '../model/ops';
import { PATTERN_PRESETS, presetFor, tryPattern } from '../model/patterns';
import { isQuickPattern, serverRefuses } from '../../forms/patterns';
import { LockOutlined } from '../icons';
import ColumnsEditor from './ColumnsEditor';
import FieldRules from './FieldRules';
import OptionsEditor from './OptionsEditor';

export interface FieldEdit {
  (change: (field: FieldModel) => FieldModel, property: string): void;
}

interface Props {
  form: FormModel;
  field: FieldModel;
  published: boolean;
  onChange: FieldEdit;
  onRename: (to: string) => void;
  onRules: (rules: JsonObject[], group?: string) => void;
}

const str = (v: Json | undefined) => (typeof v === 'string' ? v : '');
const num = (v: Json | undefined) => (typeof v === 'number' ? v : null);

const KeyEditor = memo(function KeyEditor({ keys, fieldKey, published, onRename }: { keys: string[]; fieldKey: string; published: boolean; onRename: (to: string) => void }) {
  const { t } = useTranslation('designer');
  // what the designer is typing, until it is applied or dropped; null: the box shows the key (which
  // follows the label while it is typed, without an effect re-rendering the panel once more per keystroke)
  const [typed, setTyped] = useState<string | null>(null);
  const [shown, setShown] = useState(fieldKey);
  if (shown !== fieldKey) {
    // the key changed elsewhere (the label, undo): what was typed is dropped
    setShown(fieldKey);
    setTyped(null);
  }
  const draft = typed ?? fieldKey;
  const setDraft = (value: string) => setTyped(value === fieldKey ? null : value);
  const problem = draft === fieldKey ? null : keyProblem(draft, keys);
  if (published) {
    return (
      <Form.Item label={t('props.key')} help={t('props.keyFrozen')}>
        <Input id="gd-prop-key" value={fieldKey} disabled prefix={<LockOutlined />} aria-label={t('props.key')} />
      </Form.Item>
    );
  }
  return (
    <Form.Item label={t('props.key')} htmlFor="gd-prop-key" validateStatus={problem ? 'error' : undefined} help={problem ? t(`props.keyProblem.${problem}`) : t('props.keyHelp')}>
      <Input
        id="gd-prop-key"
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => {
          if (!problem && draft !== fieldKey) onRename(draft);
          setTyped(null);
        }}
        onPressEnter={() => {
          if (problem || draft === fieldKey) return;
          onRename(draft);
          setTyped(null);
        }}
        className="gd-mono"
      />
    </Form.Item>
  );
});

const TitleItem = memo(function TitleItem({ value, onChange }: { value: string; onChange: FieldEdit }) {
  const { t } = useTranslation('designer');
  return (
    <Form.Item label={t('props.label')} htmlFor="gd-prop-title">
      <Input id="gd-prop-title" value={value} onChange={(e) => onChange((f) => setSchemaKeyword(f, 'title', e.target.value), 'title')} />
    </Form.Item>
  );
});

function PatternEditor({ field, onChange }: { field: FieldModel; onChange: FieldEdit }) {
  const { t } = useTranslation('designer');
  const pattern = str(field.schema.pattern);
  const [sample, setSample] = useState('');
  const preset = presetFor(pattern || undefined);
  const verdict = pattern && sample ? tryPattern(pattern, sample) : null;
  return (
    <>
      <Form.Item label={t('props.patternPreset')} htmlFor="gd-prop-preset">
        <Select
          id="gd-prop-preset"
          value={pattern ? (preset?.id ?? 'custom') : 'none'}
          onChange={(value: string) => {
            const found = PATTERN_PRESETS.find((p) => p.id === value);
            onChange((f) => setSchemaKeyword(f, 'pattern', value === 'none' ? undefined : found ? found.pattern : pattern || '^.*$'), 'pattern');
          }}
          options={[
            { value: 'none', label: t('props.presets.none') },
            ...PATTERN_PRESETS.map((p) => ({ value: p.id, label: `${t(`props.presets.${p.id}`)} — ${p.example}` })),
            { value: 'custom', label: t('props.presets.custom') },
          ]}
        />
      </Form.Item>
      {pattern !== '' && (
        <Form.Item
          label={t('props.pattern')}
          htmlFor="gd-prop-pattern"
          validateStatus={serverRefuses(pattern) ? 'error' : undefined}
          help={serverRefuses(pattern) ? t('props.patternRefused') : isQuickPattern(pattern) ? t('props.patternHelp') : `${t('props.patternHelp')} ${t('props.patternServerOnly')}`}
        >
          <Input id="gd-prop-pattern" className="gd-mono" value={pattern} onChange={(e) => onChange((f) => setSchemaKeyword(f, 'pattern', e.target.value || undefined), 'pattern')} />
        </Form.Item>
      )}
      {pattern !== '' && (
        <Form.Item
          label={t('props.tryValue')}
          htmlFor="gd-prop-try"
          validateStatus={verdict ? (verdict.ok && verdict.matches ? 'success' : 'error') : undefined}
          help={verdict ? (verdict.ok ? (verdict.matches ? t('props.tryMatches') : t('props.tryNoMatch')) : t('props.tryBroken', { error: verdict.error })) : t('props.tryHelp')}
        >
          <Input id="gd-prop-try" value={sample} onChange={(e) => setSample(e.target.value)} placeholder={preset?.example} />
        </Form.Item>
      )}
    </>
  );
}

function DefaultEditor({ field, onChange }: { field: FieldModel; onChange: FieldEdit }) {
  const { t } = useTranslation('designer');
  const value = field.schema.default;
  const set = (v: Json | undefined) => onChange((f) => setSchemaKeyword(f, 'default', v), 'default');
  let input;
  switch (field.kind) {
    case 'number':
    case 'money':
      input = <InputNumber id="gd-prop-default" value={num(value)} onChange={(v) => set(typeof v === 'number' ? v : undefined)} style={{ width: '100%' }} />;
      break;
    case 'select':
    case 'radio':
      input = <Select id="gd-prop-default" allowClear value={typeof value === 'string' ? value : undefined} onChange={(v: string | undefined) => set(v)} options={choicesOf(field.schema, field.ui).map((c) => ({ value: c.value, label: c.label }))} />;
      break;
    case 'yesno':
      input = (
        <Radio.Group id="gd-prop-default" value={value === undefined ? 'none' : String(value)} onChange={(e) => set(e.target.value === 'none' ? undefined : e.target.value === 'true')}>
          <Radio value="none">{t('props.noDefault')}</Radio>
          <Radio value="true">{t('props.yes')}</Radio>
          <Radio value="false">{t('props.no')}</Radio>
        </Radio.Group>
      );
      break;
    case 'text':
    case 'textarea':
    case 'email':
    case 'phone':
    case 'date':
    case 'datetime':
      input = <Input id="gd-prop-default" value={str(value)} onChange={(e) => set(e.target.value || undefined)} />;
      break;
    default:
      return null;
  }
  return (
    <Form.Item label={t('props.default')} htmlFor="gd-prop-default">
      {input}
    </Form.Item>
  );
}

function Bounds({ field, onChange, min, max, label }: { field: FieldModel; onChange: FieldEdit; min: string; max: string; label: 'length' | 'value' | 'items' }) {
  const { t } = useTranslation('designer');
  return (
    <Space.Compact block>
      <Form.Item label={t(`props.min.${label}`)} htmlFor={`gd-prop-${min}`} style={{ flex: 1 }}>
        <InputNumber id={`gd-prop-${min}`} min={label === 'value' ? undefined : 0} value={num(field.schema[min])} onChange={(v) => onChange((f) => setSchemaKeyword(f, min, typeof v === 'number' ? v : undefined), min)} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item label={t(`props.max.${label}`)} htmlFor={`gd-prop-${max}`} style={{ flex: 1, marginLeft: 8 }}>
        <InputNumber id={`gd-prop-${max}`} min={label === 'value' ? undefined : 0} value={num(field.schema[max])} onChange={(v) => onChange((f) => setSchemaKeyword(f, max, typeof v === 'number' ? v : undefined), max)} style={{ width: '100%' }} />
      </Form.Item>
    </Space.Compact>
  );
}

function AdvancedEditor({ field, onChange }: { field: FieldModel; onChange: FieldEdit }) {
  const { t } = useTranslation('designer');
  const parts = advancedParts(field.kind, field.schema, field.ui);
  const [text, setText] = useState(() => JSON.stringify({ schema: field.schema, ui: field.ui }, null, 2));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setText(JSON.stringify({ schema: field.schema, ui: field.ui }, null, 2)), [field.schema, field.ui]);
  const hasAdvanced = Object.keys(parts.schema).length > 0 || Object.keys(parts.ui).length > 0;
  return (
    <>
      {hasAdvanced && (
        <Alert
          type="info"
          showIcon
          message={t('props.advancedKept')}
          description={<code className="gd-advanced-list">{[...Object.keys(parts.schema), ...Object.keys(parts.ui)].join(', ')}</code>}
          style={{ marginBottom: 8 }}
        />
      )}
      <Input.TextArea
        className="gd-code"
        aria-label={t('props.fieldJson')}
        autoSize={{ minRows: 6, maxRows: 20 }}
        spellCheck={false}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          try {
            const parsed = JSON.parse(e.target.value) as unknown;
            if (!isObject(parsed) || !isObject(parsed.schema) || (parsed.ui !== undefined && !isObject(parsed.ui))) throw new Error(t('props.fieldJsonShape'));
            setError(null);
            onChange((f) => ({ ...f, schema: parsed.schema as JsonObject, ui: (parsed.ui as JsonObject | undefined) ?? {} }), 'json');
          } catch (err) {
            setError(err instanceof Error ? err.message : String(err));
          }
        }}
        status={error ? 'error' : undefined}
      />
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
    </>
  );
}

function FieldBodyParts({ field, onChange }: { field: FieldModel; onChange: FieldEdit }) {
  const { t } = useTranslation('designer');
  const { kind } = field;
  const textual = ['text', 'textarea', 'email', 'phone', 'person', 'number', 'money', 'date', 'datetime', 'select'].includes(kind);
  const options = isObject(field.ui['ui:options']) ? field.ui['ui:options'] : {};
  return (
    <>
      <Form.Item label={t('props.help')} htmlFor="gd-prop-help">
        <Input id="gd-prop-help" value={str(field.ui['ui:help'])} onChange={(e) => onChange((f) => setUiOption(f, 'ui:help', e.target.value || undefined), 'help')} />
      </Form.Item>
      <Form.Item label={t('props.description')} htmlFor="gd-prop-description">
        <Input.TextArea id="gd-prop-description" autoSize={{ minRows: 1, maxRows: 4 }} value={str(field.schema.description)} onChange={(e) => onChange((f) => setSchemaKeyword(f, 'description', e.target.value || undefined), 'description')} />
      </Form.Item>
      {textual && kind !== 'select' && (
        <Form.Item label={t('props.placeholder')} htmlFor="gd-prop-placeholder">
          <Input id="gd-prop-placeholder" value={str(field.ui['ui:placeholder'])} onChange={(e) => onChange((f) => setUiOption(f, 'ui:placeholder', e.target.value || undefined), 'placeholder')} />
        </Form.Item>
      )}
      <Space size="large" wrap>
        <Form.Item label={t('props.required')} htmlFor="gd-prop-required">
          <Switch id="gd-prop-required" checked={field.required} onChange={(v) => onChange((f) => ({ ...f, required: v }), 'required')} />
        </Form.Item>
        <Form.Item label={t('props.readOnly')} htmlFor="gd-prop-readonly" tooltip={t('props.readOnlyHelp')}>
          <Switch id="gd-prop-readonly" checked={field.schema.readOnly === true} onChange={(v) => onChange((f) => setSchemaKeyword(f, 'readOnly', v ? true : undefined), 'readOnly')} />
        </Form.Item>
      </Space>
      {(kind === 'text' || kind === 'textarea') && <Bounds field={field} onChange={onChange} min="minLength" max="maxLength" label="length" />}
      {kind === 'text' && <PatternEditor field={field} onChange={onChange} />}
      {kind === 'phone' && <PatternEditor field={field} onChange={onChange} />}
      {(kind === 'number' || kind === 'money') && <Bounds field={field} onChange={onChange} min="minimum" max="maximum" label="value" />}
      {kind === 'number' && (
        <Form.Item label={t('props.wholeNumbers')} htmlFor="gd-prop-integer">
          <Switch id="gd-prop-integer" checked={field.schema.type === 'integer'} onChange={(v) => onChange((f) => setSchemaKeyword(f, 'type', v ? 'integer' : 'number'), 'type')} />
        </Form.Item>
      )}
      {kind === 'money' && (
        <Space.Compact block>
          <Form.Item label={t('props.currency')} htmlFor="gd-prop-currency" style={{ flex: 1 }}>
            <Select
              id="gd-prop-currency"
              value={str(options.currency) || 'none'}
              onChange={(v: string) => onChange((f) => setUiOption(f, 'ui:options.currency', v === 'none' ? undefined : v), 'currency')}
              options={['CNY', 'USD', 'EUR', 'HKD', 'JPY', 'none'].map((c) => ({ value: c, label: c === 'none' ? t('props.noCurrency') : c }))}
            />
          </Form.Item>
          <Form.Item label={t('props.decimals')} htmlFor="gd-prop-decimals" style={{ flex: 1, marginLeft: 8 }}>
            <InputNumber id="gd-prop-decimals" min={0} max={6} value={num(options.decimals) ?? 2} onChange={(v) => onChange((f) => setUiOption(f, 'ui:options.decimals', typeof v === 'number' ? v : 2), 'decimals')} style={{ width: '100%' }} />
          </Form.Item>
        </Space.Compact>
      )}
      {(kind === 'select' || kind === 'radio') && (
        <Form.Item label={t('props.display')} htmlFor="gd-prop-display">
          <Radio.Group id="gd-prop-display" value={kind} onChange={(e) => onChange((f) => setUiOption(f, 'ui:widget', e.target.value === 'radio' ? 'radio' : undefined), 'widget')}>
            <Radio value="select">{t('props.dropdown')}</Radio>
            <Radio value="radio">{t('props.radios')}</Radio>
          </Radio.Group>
        </Form.Item>
      )}
      {(kind === 'select' || kind === 'radio' || kind === 'multiselect') && (
        <OptionsEditor choices={choicesOf(field.schema, field.ui)} onChange={(choices, group) => onChange((f) => ({ ...f, ...withChoices(f.schema, f.ui, choices) }), group ?? "options")} />
      )}
      {kind === 'multiselect' && <Bounds field={field} onChange={onChange} min="minItems" max="maxItems" label="items" />}
      {kind === 'yesno' && (
        <Form.Item label={t('props.display')} htmlFor="gd-prop-yesno">
          <Radio.Group id="gd-prop-yesno" value={field.ui['ui:widget'] === 'radio' ? 'radio' : 'checkbox'} onChange={(e) => onChange((f) => setUiOption(f, 'ui:widget', e.target.value === 'radio' ? 'radio' : undefined), 'widget')}>
            <Radio value="radio">{t('props.yesNoButtons')}</Radio>
            <Radio value="checkbox">{t('props.checkbox')}</Radio>
          </Radio.Group>
        </Form.Item>
      )}
      {kind === 'attachments' && (
        <>
          <Form.Item label={t('props.multipleFiles')} htmlFor="gd-prop-multiple">
            <Switch
              id="gd-prop-multiple"
              checked={field.schema.type === 'array'}
              onChange={(v) =>
                onChange((f) => {
                  const { items: _i, maxItems: _m, minItems: _n, format: _f, ...rest } = f.schema;
                  void _i; void _m; void _n; void _f;
                  return { ...f, schema: v ? { ...rest, type: 'array', maxItems: 10, items: { type: 'string', format: 'attachment' } } : { ...rest, type: 'string', format: 'attachment' } };
                }, 'multiple')
              }
            />
          </Form.Item>
          {field.schema.type === 'array' && <Bounds field={field} onChange={onChange} min="minItems" max="maxItems" label="items" />}
          <Form.Item label={t('props.photosOnly')} htmlFor="gd-prop-photos">
            <Switch id="gd-prop-photos" checked={options.accept === 'image/*'} onChange={(v) => onChange((f) => setUiOption(f, 'ui:options.accept', v ? 'image/*' : undefined), 'accept')} />
          </Form.Item>
        </>
      )}
      {kind === 'signature' && <Typography.Paragraph type="secondary">{t('props.signatureHelp')}</Typography.Paragraph>}
      {kind === 'person' && <Typography.Paragraph type="secondary">{t('props.personHelp')}</Typography.Paragraph>}
      {kind === 'table' && (
        <>
          <ColumnsEditor field={field} onChange={onChange} />
          <Bounds field={field} onChange={onChange} min="minItems" max="maxItems" label="items" />
        </>
      )}
      {kind !== 'advanced' && <DefaultEditor field={field} onChange={onChange} />}
    </>
  );
}

/**
 * Whether the panel's body shows the same for two versions of a field: everything but the label (its
 * own box) and the key (its own editor; it follows the label while typing). `onChange` acts on the
 * selected field whatever its key.
 */
export function sameBody(a: FieldModel, b: FieldModel): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind || a.ui !== b.ui || a.required !== b.required || a.columns !== b.columns) return false;
  if (a.schema === b.schema) return true;
  const keys = Object.keys(b.schema);
  if (keys.length !== Object.keys(a.schema).length) return false;
  return keys.every((k) => k === 'title' || (k in a.schema && a.schema[k] === b.schema[k]));
}

const FieldBody = memo(FieldBodyParts, (a, b) => a.onChange === b.onChange && sameBody(a.field, b.field));

/** The rules editor shows the other fields (labels, kinds, options) and the rules: not the selected field's label. */
function sameRuleInputs(a: FormModel, b: FormModel, key: string): boolean {
  if (a === b) return true;
  if (a.rules !== b.rules || a.layout !== b.layout) return false;
  if (a.fields === b.fields) return true;
  const keys = Object.keys(b.fields);
  return keys.length === Object.keys(a.fields).length && keys.every((k) => k === key || a.fields[k] === b.fields[k]);
}

const Rules = memo(FieldRules, (a, b) => a.onRules === b.onRules && a.field.key === b.field.key && sameRuleInputs(a.form, b.form, b.field.key));

/**
 * The field's JSON, folded away unless the field is advanced. The fold itself does not depend on the field
 * (an antd Collapse costs as much to re-render as the rest of a keystroke's panel update); the editor in it
 * reads the field from a context, so that it follows every edit when it is open.
 */
const SelectedField = createContext<FieldModel | null>(null);

function CurrentFieldJson({ onChange }: { onChange: FieldEdit }) {
  const field = useContext(SelectedField);
  return field ? <AdvancedEditor field={field} onChange={onChange} /> : null;
}

const FieldJson = memo(function FieldJson({ kind, onChange }: { kind: FieldModel['kind']; onChange: FieldEdit }) {
  const { t } = useTranslation('designer');
  return (
    <Collapse
      size="small"
      defaultActiveKey={kind === 'advanced' ? ['json'] : []}
      items={[{ key: 'json', label: kind === 'advanced' ? t('props.advanced') : t('props.fieldJson'), children: <CurrentFieldJson onChange={onChange} /> }]}
    />
  );
});

const preventSubmit = (event: FormEvent) => event.preventDefault();

export default function PropertiesPanel({ form, field, published, onChange, onRename, onRules }: Props) {
  const { t } = useTranslation('designer');
  const { kind } = field;
  // the field keys as one stable list while they stay the same (the key editor checks uniqueness with them)
  const signature = Object.keys(form.fields).join('\n');
  const keys = useMemo(() => signature.split('\n'), [signature]);
  return (
    <Form layout="vertical" className="gd-properties" onSubmitCapture={preventSubmit} component="div">
      <h2 className="gd-pane-title">{t('props.title', { kind: t(`kinds.${kind}`) })}</h2>
      <TitleItem value={str(field.schema.title)} onChange={onChange} />
      <KeyEditor keys={keys} fieldKey={field.key} published={published} onRename={onRename} />
      <FieldBody field={field} onChange={onChange} />
      <Rules form={form} field={field} onRules={onRules} />
      <SelectedField.Provider value={field}>
        <FieldJson kind={kind} onChange={onChange} />
      </SelectedField.Provider>
    </Form>
  );
}


export function SectionProperties({ node, onChange }: { node: SectionNode; onChange: (change: Partial<SectionNode>, group: string) => void }) {
  const { t } = useTranslation('designer');
  return (
    <Form layout="vertical" className="gd-properties" component="div">
      <h2 className="gd-pane-title">{t('props.sectionTitle')}</h2>
      <Form.Item label={t('props.heading')} htmlFor="gd-prop-heading">
        <Input id="gd-prop-heading" value={node.title} onChange={(e) => onChange({ title: e.target.value }, 'title')} />
      </Form.Item>
      <Form.Item label={t('props.description')} htmlFor="gd-prop-section-description">
        <Input.TextArea id="gd-prop-section-description" autoSize={{ minRows: 1, maxRows: 4 }} value={node.description} onChange={(e) => onChange({ description: e.target.value }, 'description')} />
      </Form.Item>
      <Typography.Paragraph type="secondary">{t('props.sectionHelp')}</Typography.Paragraph>
    </Form>
  );
}
