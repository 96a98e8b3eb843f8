// Runs the browser's rule engine (src/rules/logic.ts) under Node for the equivalence test
// (tests/runtime/test_logic_js.py). Reads {"rules": [{rule, data, now}], "field_states": [{schema,
// rules, context, now}]} on stdin; writes {"rules": [{value} | {error}], "field_states": [...]}.
// The TypeScript file is transpiled in memory with the project's own compiler (no build step).
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import ts from 'typescript';

const source = readFileSync(fileURLToPath(new URL('../src/rules/logic.ts', import.meta.url)), 'utf8');
const { outputText } = ts.transpileModule(source, {
  compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
});
const dir = mkdtempSync(join(tmpdir(), 'gongdan-rules-'));
const file = join(dir, 'logic.mjs');
writeFileSync(file, outputText);
const logic = await import(pathToFileURL(file).href);
rmSync(dir, { recursive: true, force: true });

const input = JSON.parse(readFileSync(0, 'utf8'));
const run = (fn) => {
  try {
    const value = fn();
    return { value: value === undefined ? null : value };
  } catch (error) {
    return { error: String(error && error.message ? error.message : error) };
  }
};
const out = {
  rules: (input.rules ?? []).map((c) => run(() => logic.evaluate(c.rule, c.data ?? null, c.now ?? null))),
  field_states: (input.field_states ?? []).map((c) => run(() => logic.fieldState(c.schema, c.rules, c.context, c.now ?? null))),
};
process.stdout.write(JSON.stringify(out));
