// The shared rule builder (see RuleBuilder.tsx and docs/designer.md, "The rule builder").
//
//   <RuleBuilder value={rule} onChange={setRule} fields={ruleFieldsOf(form)} allowTicketContext />
//
// value: JsonLogic | undefined (undefined or true = always); onChange gets the new JsonLogic after a
// complete edit; fields: [{key, label, type, options}] (type: text, number, date, datetime, select,
// multiselect, boolean, files); allowTicketContext adds ticket.* attributes. Rules the builder cannot
// show open in a JSON editor checked by POST /api/v1/logic/evaluate; nothing is ever dropped.
export { default as RuleBuilder, type RuleBuilderProps } from './RuleBuilder';
export { ruleFieldsOf } from './fields';
export type { RuleField } from './convert';
