// Pattern presets for text fields, and "try a value" against a pattern the way the server checks
// it (JSON Schema `pattern`: an ECMA-262 regular expression, not anchored unless it says so).

export interface PatternPreset {
  id: 'phone' | 'mobile_cn' | 'email' | 'id_cn' | 'asset_tag' | 'digits';
  pattern: string;
  example: string;
}

export const PATTERN_PRESETS: PatternPreset[] = [
  { id: 'phone', pattern: '^\\+?[0-9][0-9 ()-]{4,24}$', example: '+86 21 5555-0100' },
  { id: 'mobile_cn', pattern: '^1[3-9]\\d{9}$', example: '13812345678' },
  { id: 'email', pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$', example: 'li.lei@example.com' },
  { id: 'id_cn', pattern: '^\\d{17}[\\dXx]$', example: '11010519491231002X' },
  { id: 'asset_tag', pattern: '^[A-Z]{2}-\\d{4}$', example: 'LT-0042' },
  { id: 'digits', pattern: '^\\d+$', example: '12345' },
];

export type PatternVerdict = { ok: true; matches: boolean } | { ok: false; error: string };

/** Whether `value` matches `pattern`, or why the pattern is not a valid regular expression. */
export function tryPattern(pattern: string, value: string): PatternVerdict {
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'u');
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  return { ok: true, matches: re.test(value) };
}

export function presetFor(pattern: string | undefined): PatternPreset | undefined {
  return PATTERN_PRESETS.find((p) => p.pattern === pattern);
}
