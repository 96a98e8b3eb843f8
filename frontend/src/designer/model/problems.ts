// Where a validation problem belongs in the designer: the server reports JSON pointers into the
// definition (docs/definition-format.md, "Validation"); the form builder shows those under the form
// on their field (or their field rule), and lists the others for the tab that edits them.
import { getAt, isObject, parsePointer, type Json } from './json';

export interface Problem {
  path: string;
  message: string;
  code: string;
}

export type ProblemPlace =
  | { area: 'field'; key: string; column?: string }
  | { area: 'rule'; index: number }
  | { area: 'form' }
  | { area: 'document'; part: string };

/** The field, field rule or part of the definition a pointer points into. */
export function placeOf(path: string, doc: Json): ProblemPlace {
  const parts = parsePointer(path);
  if (parts[0] !== 'form') return { area: 'document', part: parts[0] ?? '' };
  const [, where, a, b, c, d] = parts;
  if (where === 'schema') {
    if (a === 'properties' && b) {
      if (c === 'items' && d === 'properties') {
        const column = parts[6];
        if (column) return { area: 'field', key: b, column };
      }
      return { area: 'field', key: b };
    }
    if (a === 'required' && b !== undefined) {
      const name = getAt(doc, ['form', 'schema', 'required', b]);
      if (typeof name === 'string' && isObject(getAt(doc, ['form', 'schema', 'properties', name]))) return { area: 'field', key: name };
    }
    return { area: 'form' };
  }
  if (where === 'ui' && a !== undefined) {
    if (a === 'ui:order' && b !== undefined) {
      const name = getAt(doc, ['form', 'ui', 'ui:order', b]);
      if (typeof name === 'string' && isObject(getAt(doc, ['form', 'schema', 'properties', name]))) return { area: 'field', key: name };
      return { area: 'form' };
    }
    if (!a.startsWith('ui:') && isObject(getAt(doc, ['form', 'schema', 'properties', a]))) return { area: 'field', key: a };
    return { area: 'form' };
  }
  if (where === 'field_rules' && a !== undefined && /^\d+$/.test(a)) return { area: 'rule', index: Number(a) };
  return { area: 'form' };
}

/** Problems grouped by field key (for the canvas badges). */
export function problemsByField(problems: Problem[], doc: Json): Map<string, Problem[]> {
  const out = new Map<string, Problem[]>();
  for (const problem of problems) {
    const place = placeOf(problem.path, doc);
    if (place.area !== 'field') continue;
    out.set(place.key, [...(out.get(place.key) ?? []), problem]);
  }
  return out;
}
