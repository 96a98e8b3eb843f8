// Which of a definition's patterns the browser checks as the user types.
//
// The server matches a definition's patterns with RE2, in time linear in the input whatever the pattern
// (runtime/rules/patterns.py). The browser's RegExp backtracks: `^(a+)+$` against thirty characters freezes
// the tab. So the form checks a pattern as the user types only when backtracking cannot blow up on it: no
// quantified group (`(…)*`, `(…)+`, `(…){2,}`, `(…)?`), no look-around or backreference (the server refuses
// those anyway), at most one unbounded repetition (`*`, `+`, `{n,}`), and at most 1,000 characters. Other
// patterns are left to the server, which checks them when the form is sent; its answer is shown on the field.

const MAX_PATTERN_LENGTH = 1000;

/** Whether the server refuses `pattern` when the definition is validated: look-around, a backreference, more
 * than 1,000 characters (runtime/rules/patterns.py; RE2 also refuses repetition counts over 1,000). */
export function serverRefuses(pattern: string): boolean {
  if (pattern.length > MAX_PATTERN_LENGTH) return true;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      if (!inClass && /[1-9k]/.test(pattern[i + 1] ?? '')) return true;
      i++;
    } else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(' && /^\(\?(=|!|<=|<!)/.test(pattern.slice(i, i + 5))) return true;
    else if (c === '{' && /^\{(\d+)(,(\d*))?\}/.test(pattern.slice(i))) {
      const [, low, , high] = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i)) ?? [];
      if (Number(low) > 1000 || (high !== undefined && high !== '' && Number(high) > 1000)) return true;
    }
  }
  return false;
}

/** Whether the browser can check `pattern` safely (see above). */
export function isQuickPattern(pattern: string): boolean {
  if (serverRefuses(pattern)) return false;
  let unbounded = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ')' && /^[*+?{]/.test(pattern[i + 1] ?? '')) return false; // a quantified group
    else if (c === '*' || c === '+') unbounded++;
    else if (c === '{' && /^\{\d+,\}/.test(pattern.slice(i))) unbounded++;
    if (unbounded > 1) return false;
  }
  return true;
}

type Node = Record<string, unknown>;

/** A copy of `schema` without the patterns the browser should not run: a slow `pattern` is dropped, and a
 * schema with a slow `patternProperties` key loses its `patternProperties`, `additionalProperties` and
 * `unevaluatedProperties` (which depend on it). The server checks all of them when the form is sent. */
export function withQuickPatterns<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map((item) => withQuickPatterns(item)) as T;
  if (!schema || typeof schema !== 'object') return schema;
  const node = schema as Node;
  const out: Node = {};
  const slowKeys = node.patternProperties && typeof node.patternProperties === 'object'
    && Object.keys(node.patternProperties as Node).some((p) => !isQuickPattern(p));
  for (const [key, value] of Object.entries(node)) {
    if (key === 'pattern' && typeof value === 'string' && !isQuickPattern(value)) continue;
    if (slowKeys && (key === 'patternProperties' || key === 'additionalProperties' || key === 'unevaluatedProperties')) continue;
    if (key === 'enum' || key === 'const' || key === 'default' || key === 'examples') out[key] = value;
    else out[key] = withQuickPatterns(value);
  }
  return out as T;
}
