// The walk's pure parts: sample form data from the inputs, what a transition's dialog sends, and the path
// walked as the view shows it.
import type { Json } from '../../rules/logic';
import type { ExplainedTransition, Simulation, WalkStepRequest } from './flowApi';
import { formFields } from './pickers';
import type { Definition } from './types';

/** The path walked, as the view shows it: one line per transition taken (from the server's steps). */
export function walkedPath(simulation: Simulation | null): { from: string; transition: string; to: string }[] {
  const steps = simulation?.walk?.steps ?? [];
  return steps.slice(1).map((step, i) => ({ from: steps[i]!.state_name, transition: step.name ?? step.transition ?? '', to: step.state_name }));
}

/** What a transition's dialog sends: the fields asked for (the comment apart) and the checklist items ticked, as authored. */
export function stepRequest(option: ExplainedTransition, answers: Record<string, Json>): WalkStepRequest {
  const fields: Record<string, Json> = {};
  let comment: string | undefined;
  const checklist: string[] = [];
  for (const [name, value] of Object.entries(answers)) {
    const checked = /^__check_(\d+)$/.exec(name);
    if (checked) {
      const item = option.checklist_keys[Number(checked[1])];
      if (value && item !== undefined) checklist.push(item);
    } else if (name === 'comment') comment = typeof value === 'string' ? value : undefined;
    else if (value !== undefined && value !== '') fields[name] = value;
  }
  return { transition: option.key, ...(Object.keys(fields).length ? { fields } : {}), ...(comment ? { comment } : {}), ...(checklist.length ? { checklist } : {}) };
}

/** Sample form data from text inputs: numbers for number fields, values as typed otherwise. */
export function sampleData(definition: Definition, values: Record<string, string | undefined>): Record<string, Json> {
  const data: Record<string, Json> = {};
  for (const [name, schema] of formFields(definition)) {
    const text = values[name];
    if (text === undefined || text === '') continue;
    if (schema.type === 'number' || schema.type === 'integer') data[name] = Number(text);
    else if (schema.type === 'boolean') data[name] = text === 'true';
    else if (schema.type === 'array') data[name] = [text];
    else data[name] = text;
  }
  return data;
}
