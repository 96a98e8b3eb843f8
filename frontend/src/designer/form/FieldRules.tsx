// The selected field's rules: "show / require / hide / make read-only this field when …", each condition built with the
// shared rule builder. A rule may act on several fields; editing its condition changes it for all.
import { Button, Card, Checkbox, Space, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldModel, FormModel } from '../model/form';
import type { Json, JsonObject } from '../model/json';
import { RuleBuilder, ruleFieldsOf } from '../rules';
import { DeleteOutlined, PlusOutlined } from '../icons';

const ACTIONS = ['show', 'require', 'hide', 'readonly'] as const;

function listOf(rule: JsonObject, action: string): string[] {
  const value = rule[action];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export default function FieldRules({ form, field, onRules }: { form: FormModel; field: FieldModel; onRules: (rules: JsonObject[], group?: string) => void }) {
  const { t } = useTranslation('designer');
  const fields = useMemo(() => ruleFieldsOf(form).filter((f) => f.key !== field.key), [form, field.key]);
  const mine = form.rules.map((rule, index) => ({ rule, index })).filter(({ rule }) => ACTIONS.some((a) => listOf(rule, a).includes(field.key)));

  const replace = (index: number, rule: JsonObject | null, group?: string) => {
    const next = form.rules.slice();
    if (rule) next[index] = rule;
    else next.splice(index, 1);
    onRules(next, group);
  };
  const toggle = (index: number, rule: JsonObject, action: string, on: boolean) => {
    const list = listOf(rule, action).filter((k) => k !== field.key);
    const next: JsonObject = { ...rule };
    if (on) next[action] = [...list, field.key];
    else if (list.length) next[action] = list;
    else delete next[action];
    replace(index, ACTIONS.some((a) => listOf(next, a).length) ? next : null);
  };

  return (
    <section className="gd-field-rules" aria-labelledby="gd-field-rules-title">
      <h3 id="gd-field-rules-title" className="gd-pane-subtitle">
        {t('fieldRules.title')}
      </h3>
      {mine.length === 0 && <Typography.Paragraph type="secondary">{t('fieldRules.none')}</Typography.Paragraph>}
      {mine.map(({ rule, index }, n) => {
        const others = [...new Set(ACTIONS.flatMap((a) => listOf(rule, a)))].filter((k) => k !== field.key);
        return (
          <Card key={index} size="small" className="gd-field-rule" title={t('fieldRules.rule', { n: n + 1 })} extra={<Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('fieldRules.delete', { n: n + 1 })} onClick={() => toggleAll(index, rule)} />}>
            <Space wrap>
              {ACTIONS.map((action) => (
                <Checkbox key={action} checked={listOf(rule, action).includes(field.key)} onChange={(e) => toggle(index, rule, action, e.target.checked)}>
                  {t(`fieldRules.${action}`)}
                </Checkbox>
              ))}
            </Space>
            <Typography.Text strong className="gd-when">
              {t('fieldRules.when')}
            </Typography.Text>
            <RuleBuilder value={rule.when} onChange={(when: Json) => replace(index, { ...rule, when }, `rule-${index}`)} fields={fields} allowTicketContext label={t('fieldRules.condition', { n: n + 1 })} />
            {others.length > 0 && <Typography.Text type="secondary">{t('fieldRules.shared', { names: others.join(', ') })}</Typography.Text>}
          </Card>
        );
      })}
      <Button icon={<PlusOutlined />} onClick={() => onRules([...form.rules, { when: true, show: [field.key] }])}>
        {t('fieldRules.add')}
      </Button>
    </section>
  );

  function toggleAll(index: number, rule: JsonObject) {
    const next: JsonObject = { ...rule };
    for (const action of ACTIONS) {
      const list = listOf(rule, action).filter((k) => k !== field.key);
      if (list.length) next[action] = list;
      else delete next[action];
    }
    replace(index, ACTIONS.some((a) => listOf(next, a).length) ? next : null);
  }
}
