import type { FormModel } from '../model/form';
import { choicesOf, type FieldKind } from '../model/kinds';
import { fieldsInOrder } from '../model/ops';
import type { RuleField } from './convert';

const TYPES: Partial<Record<FieldKind, RuleField['type']>> = {
  text: 'text', textarea: 'text', email: 'text', phone: 'text', person: 'text',
  number: 'number', money: 'number', date: 'date', datetime: 'datetime',
  select: 'select', radio: 'select', multiselect: 'multiselect', yesno: 'boolean',
  attachments: 'files', signature: 'files', table: 'files',
};

/** The fields of a form as the rule builder offers them (labels as authored, in display order). */
export function ruleFieldsOf(form: FormModel): RuleField[] {
  return fieldsInOrder(form).flatMap((field) => {
    const type = TYPES[field.kind];
    if (!type) return [];
    const label = typeof field.schema.title === 'string' && field.schema.title ? field.schema.title : field.key;
    const out: RuleField = { key: field.key, label, type };
    if (type === 'select' || type === 'multiselect') out.options = choicesOf(field.schema, field.ui);
    return [out];
  });
}
