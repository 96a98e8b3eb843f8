// A react-jsonschema-form validator that never compiles code at run time.
//
// The app is served with `Content-Security-Policy: script-src 'self'`, which (rightly) forbids
// eval and `new Function`. Ajv, rjsf's usual validator, compiles every schema into a function with
// `new Function`, so under this policy it cannot run; Ajv's standalone mode needs the schemas at
// build time, and ours are published at run time. @cfworker/json-schema interprets draft 2020-12
// schemas directly, so it runs under the strict policy. The server validates again on submit
// (with Python's jsonschema) and is authoritative; this gives the same answers as the user types,
// except for patterns the browser's backtracking RegExp could take minutes over (see ./patterns.ts):
// those are left to the server.
import { Validator, format as formats, type OutputUnit, type Schema } from '@cfworker/json-schema';
import {
  createErrorHandler,
  toErrorList,
  toErrorSchema,
  type CustomValidator,
  type ErrorSchema,
  type ErrorTransformer,
  type RJSFSchema,
  type RJSFValidationError,
  type UiSchema,
  type ValidationData,
  type ValidatorType,
  unwrapErrorHandler,
  validationDataMerge,
} from '@rjsf/utils';
import { normalizeData } from './normalize';
import { withQuickPatterns } from './patterns';

/** Form fields of format "attachment" hold attachment ids, never file contents (see runtime/rules/definition.py). */
formats['attachment'] = (value: string) => value.length > 0 && value.length <= 64 && !/[\u0000-\u001f\u007f]/.test(value);

const LEAF_KEYWORDS = new Set([
  'required', 'pattern', 'minLength', 'maxLength', 'enum', 'const', 'type', 'format', 'minimum', 'maximum',
  'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minItems', 'maxItems', 'uniqueItems', 'minProperties',
  'maxProperties', 'additionalProperties', 'false',
]);

export type MessageFor = (keyword: string, params: Record<string, unknown>, schema: Record<string, unknown>) => string;

const cache = new Map<string, Validator>();

function validatorFor(schema: RJSFSchema): Validator {
  const key = JSON.stringify(schema);
  let found = cache.get(key);
  if (!found) {
    // "$schema" only names the dialect; the validator is told the draft directly.
    const { $schema: _dialect, ...rest } = schema as Record<string, unknown>;
    void _dialect;
    found = new Validator(withQuickPatterns(rest) as Schema, '2020-12', false);
    if (cache.size > 50) cache.clear();
    cache.set(key, found);
  }
  return found;
}

function pointerToPath(pointer: string): string[] {
  return pointer
    .replace(/^#/, '')
    .split('/')
    .filter(Boolean)
    .map((part) => decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~'));
}

function subschema(root: RJSFSchema, keywordLocation: string): Record<string, unknown> {
  const parts = pointerToPath(keywordLocation).slice(0, -1);
  let node: unknown = root;
  for (const part of parts) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  return node && typeof node === 'object' ? (node as Record<string, unknown>) : {};
}

function toRjsfErrors(root: RJSFSchema, units: OutputUnit[], messageFor: MessageFor): RJSFValidationError[] {
  const errors: RJSFValidationError[] = [];
  for (const unit of units) {
    if (!LEAF_KEYWORDS.has(unit.keyword)) continue;
    const path = pointerToPath(unit.instanceLocation);
    const schemaAt = subschema(root, unit.keywordLocation);
    const params: Record<string, unknown> = {};
    if (unit.keyword === 'required') {
      const missing = /"([^"]+)"/.exec(unit.error)?.[1];
      if (!missing) continue;
      path.push(missing);
      params.missingProperty = missing;
      const props = (schemaAt.properties ?? {}) as Record<string, Record<string, unknown>>;
      params.title = props[missing]?.title ?? missing;
    } else {
      params.limit = schemaAt[unit.keyword];
      params.title = schemaAt.title;
    }
    const message = messageFor(unit.keyword, params, schemaAt);
    const property = path.length ? `.${path.join('.')}` : '';
    errors.push({ name: unit.keyword, property, message, params, stack: `${property} ${message}`.trim(), schemaPath: unit.keywordLocation });
  }
  return errors;
}

export function createValidator<T = unknown>(messageFor: MessageFor): ValidatorType<T> {
  return {
    validateFormData(
      formData: T | undefined,
      schema: RJSFSchema,
      customValidate?: CustomValidator<T>,
      transformErrors?: ErrorTransformer<T>,
      uiSchema?: UiSchema<T>,
    ): ValidationData<T> {
      // what the server will validate: texts trimmed, blank ones left out (see ./normalize)
      const result = validatorFor(schema).validate(normalizeData(formData ?? {}));
      let errors = toRjsfErrors(schema, result.errors, messageFor);
      if (transformErrors) errors = transformErrors(errors, uiSchema);
      const data: ValidationData<T> = { errors, errorSchema: toErrorSchema<T>(errors) };
      if (!customValidate) return data;
      const handler = customValidate(formData, createErrorHandler<T>(formData as T), uiSchema);
      return validationDataMerge<T>(data, unwrapErrorHandler<T>(handler));
    },
    toErrorList(errorSchema?: ErrorSchema<T>, fieldPath: string[] = []) {
      return toErrorList<T>(errorSchema, fieldPath);
    },
    isValid(schema: RJSFSchema, formData: T | undefined, rootSchema: RJSFSchema) {
      try {
        const withDefs = { ...schema, $defs: { ...(rootSchema.$defs ?? {}), ...(schema.$defs ?? {}) } } as RJSFSchema;
        return validatorFor(withDefs).validate(formData).valid;
      } catch {
        return false;
      }
    },
    rawValidation<Result = unknown>(schema: RJSFSchema, formData?: T) {
      try {
        return { errors: validatorFor(schema).validate(formData).errors as unknown as Result[] };
      } catch (error) {
        return { validationError: error as Error };
      }
    },
  };
}
