// The priority matrix as a grid: its rows and columns from the `by` fields' fixed values, cell keys as
// the runtime spells them (values joined by "|", "*" for any), and what decided a simulated priority.
import type { PriorityDecision } from './flowApi';
import type { Definition } from './types';
import { fieldValues } from './pickers';

export function cellKey(parts: string[]): string {
  return parts.join('|');
}

/** The values of each `by` field (with "*": any other value), in the order of `by`. */
export function matrixAxes(definition: Definition): { field: string; title: string; values: string[] }[] {
  const by = definition.priority?.matrix?.by ?? [];
  return by.map((field) => {
    const schema = definition.form?.schema?.properties?.[field];
    const values = (fieldValues(schema) ?? []).map((v) => v.value);
    return { field, title: typeof schema?.title === 'string' ? schema.title : field, values: [...values, '*'] };
  });
}

/** Every combination of the axes' values, first axis slowest: the rows of a 3-field matrix. */
export function combinations(axes: { values: string[] }[]): string[][] {
  return axes.reduce<string[][]>((rows, axis) => rows.flatMap((row) => axis.values.map((v) => [...row, v])), [[]]);
}

/** Set or clear one cell; an empty level removes the cell (the default, or a less specific cell, applies). */
export function setCell(cells: Record<string, string>, key: string, level: string | undefined): Record<string, string> {
  const next = { ...cells };
  if (level) next[key] = level;
  else delete next[key];
  return next;
}

export interface DecisionLine {
  /** The i18n key under `priority.` */
  key: 'byDefault' | 'byCell' | 'byOverride' | 'byRouting';
  params: Record<string, string>;
  /** The last step that set the level: what decided it. */
  decisive: boolean;
}

/** What decided a simulated priority, one line each, from the server's structured decision
 * (designer/drafts/simulate.py): the matrix cell (its fields' titles with the values) or the default,
 * every override that matched (its label, the level before and after), a routing rule that set it. */
export function decisionLines(decision: PriorityDecision, titles: Record<string, string>, fallback: string): DecisionLine[] {
  const by = decision.decided_by;
  const lines: DecisionLine[] = [];
  const base = decision.base;
  if (base.by === 'matrix') {
    const cell = base.cell === '*' ? fallback : base.fields.map((f, i) => `${titles[f] ?? f} ${base.cell.split('|')[i] === '*' ? '*' : String(base.values[i])}`).join(', ');
    lines.push({ key: 'byCell', params: { cell, level: base.level }, decisive: by.by === 'matrix' });
  } else lines.push({ key: 'byDefault', params: { level: base.level }, decisive: by.by === 'default' });
  for (const o of decision.overrides) {
    if (!o.matched) continue;
    lines.push({ key: 'byOverride', params: { label: o.label, from: o.from ?? '', to: o.to ?? '' }, decisive: by.by === 'override' && by.index === o.index });
  }
  if (decision.routing) lines.push({ key: 'byRouting', params: { rule: decision.routing.name, level: decision.routing.to }, decisive: by.by === 'routing' });
  return lines;
}

/** Matrix fields: form fields with fixed values (the only ones a matrix may use). */
export function matrixCandidates(definition: Definition): { value: string; label: string }[] {
  return Object.entries(definition.form?.schema?.properties ?? {})
    .filter(([, schema]) => fieldValues(schema) !== null)
    .map(([name, schema]) => ({ value: name, label: typeof schema.title === 'string' ? `${schema.title} (${name})` : name }));
}
