// The priority matrix as a grid: its rows and columns from the `by` fields' fixed values, cell keys as
// the runtime spells them (values joined by "|", "*" for any), and what decided a simulated priority.
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

export interface PriorityDecision {
  cell: string | null;
  overrides: number[];
  routing: string | null;
  defaulted: boolean;
}

/** What decided a simulated priority, from the steps the server's simulation lists (runtime/engine.py). */
export function readPrioritySteps(steps: string[]): PriorityDecision {
  const decision: PriorityDecision = { cell: null, overrides: [], routing: null, defaulted: false };
  for (const step of steps) {
    let m = /^matrix '(.*)' gives /.exec(step);
    if (m) {
      decision.cell = m[1];
      continue;
    }
    m = /^override (\d+) gives /.exec(step);
    if (m) {
      decision.overrides.push(Number(m[1]));
      continue;
    }
    m = /^routing rule '(.*)' sets /.exec(step);
    if (m) {
      decision.routing = m[1];
      continue;
    }
    if (step.startsWith('default ')) decision.defaulted = true;
  }
  if (decision.cell) decision.defaulted = false;
  return decision;
}

/** Matrix fields: form fields with fixed values (the only ones a matrix may use). */
export function matrixCandidates(definition: Definition): { value: string; label: string }[] {
  return Object.entries(definition.form?.schema?.properties ?? {})
    .filter(([, schema]) => fieldValues(schema) !== null)
    .map(([name, schema]) => ({ value: name, label: typeof schema.title === 'string' ? `${schema.title} (${name})` : name }));
}
