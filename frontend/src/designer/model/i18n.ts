// Translations in a definition (docs/definition-format.md, "Translations"): the texts a requester
// or agent reads, each object's `i18n: {"<locale>": {"<property>": text}}`, and the localisation
// the server applies for a reader. `localizeDefinition` must give exactly what the server's
// localiser gives; both run the cases in tests/support/i18n/localize-cases.json.
import { clone, isObject, pointer, setAt, type Json, type JsonObject } from './json';

export const LOCALES = ['en', 'zh-CN'] as const;
export type DefinitionLocale = (typeof LOCALES)[number];

const SCHEMA_TEXTS = ['title', 'description'];
const UI_TEXTS = ['ui:title', 'ui:description', 'ui:help', 'ui:placeholder', 'ui:enumNames'];
const LAYOUT_TEXTS = ['title', 'description'];
const STATE_TEXTS = ['name', 'description'];
const TRANSITION_TEXTS = ['name', 'description', 'checklist'];
const NAME_TEXTS = ['name'];
const CHART_TEXTS = ['title'];
const MEASURE_TEXTS = ['label'];
const DOCUMENT_TEXTS = ['name', 'description'];

/** Subschema keywords of JSON Schema 2020-12 (and `definitions`, `items` as an array, from older drafts). */
const ONE_SCHEMA = ['additionalProperties', 'items', 'contains', 'propertyNames', 'not', 'if', 'then', 'else', 'unevaluatedItems', 'unevaluatedProperties', 'contentSchema'];
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];

/** One object holding display texts, and which of its properties are texts. */
export interface TextSlot {
  /** JSON pointer to the object. */
  pointer: string;
  /** The translatable properties of this object. */
  properties: string[];
  /** What kind of object, for grouping in the translations view. */
  kind: 'document' | 'schema' | 'ui' | 'layout' | 'state' | 'transition' | 'routing' | 'sla' | 'automation' | 'chart' | 'measure';
}

function walkSchema(node: Json | undefined, at: string, out: TextSlot[], depth = 0): void {
  if (!isObject(node) || depth > 100) return;
  out.push({ pointer: at, properties: SCHEMA_TEXTS, kind: 'schema' });
  for (const key of ONE_SCHEMA) {
    const child = node[key];
    if (key === 'items' && Array.isArray(child)) child.forEach((item, i) => walkSchema(item, `${at}${pointer(key, i)}`, out, depth + 1));
    else walkSchema(child, `${at}${pointer(key)}`, out, depth + 1);
  }
  for (const key of SCHEMA_MAPS) {
    const map = node[key];
    if (isObject(map)) for (const [name, child] of Object.entries(map)) walkSchema(child, `${at}${pointer(key, name)}`, out, depth + 1);
  }
  for (const key of SCHEMA_LISTS) {
    const list = node[key];
    if (Array.isArray(list)) list.forEach((child, i) => walkSchema(child, `${at}${pointer(key, i)}`, out, depth + 1));
  }
}

function walkUi(node: Json | undefined, at: string, out: TextSlot[], depth = 0): void {
  if (!isObject(node) || depth > 100) return;
  out.push({ pointer: at, properties: UI_TEXTS, kind: 'ui' });
  for (const [key, child] of Object.entries(node)) {
    if (key.startsWith('ui:') || key === 'i18n') continue;
    walkUi(child, `${at}${pointer(key)}`, out, depth + 1);
  }
}

function walkLayout(layout: Json | undefined, at: string, out: TextSlot[]): void {
  if (!Array.isArray(layout)) return;
  layout.forEach((entry, i) => {
    if (isObject(entry) && typeof entry.section === 'string') out.push({ pointer: `${at}${pointer(i)}`, properties: LAYOUT_TEXTS, kind: 'layout' });
  });
}

function eachObject(list: Json | undefined, at: string, properties: string[], kind: TextSlot['kind'], out: TextSlot[]): void {
  if (!Array.isArray(list)) return;
  list.forEach((item, i) => {
    if (isObject(item)) out.push({ pointer: `${at}/${i}`, properties, kind });
  });
}

/** Every object of the document that holds display texts, in reading order. */
export function textSlots(doc: Json): TextSlot[] {
  const out: TextSlot[] = [];
  if (!isObject(doc)) return out;
  out.push({ pointer: '', properties: DOCUMENT_TEXTS, kind: 'document' });
  const form = isObject(doc.form) ? doc.form : {};
  walkSchema(form.schema, '/form/schema', out);
  if (isObject(form.ui)) {
    for (const [key, child] of Object.entries(form.ui)) {
      if (key.startsWith('ui:') || key === 'i18n') continue;
      walkUi(child, `/form/ui${pointer(key)}`, out);
    }
    walkLayout(form.ui['ui:layout'], '/form/ui/ui:layout', out);
  }
  const workflow = isObject(doc.workflow) ? doc.workflow : {};
  eachObject(workflow.states, '/workflow/states', STATE_TEXTS, 'state', out);
  if (Array.isArray(workflow.transitions)) {
    workflow.transitions.forEach((transition, i) => {
      if (!isObject(transition)) return;
      out.push({ pointer: `/workflow/transitions/${i}`, properties: TRANSITION_TEXTS, kind: 'transition' });
      if (isObject(transition.fields)) {
        for (const [name, schema] of Object.entries(transition.fields)) walkSchema(schema, `/workflow/transitions/${i}/fields${pointer(name)}`, out);
      }
    });
  }
  eachObject(doc.routing, '/routing', NAME_TEXTS, 'routing', out);
  eachObject(doc.sla, '/sla', NAME_TEXTS, 'sla', out);
  eachObject(doc.automations, '/automations', NAME_TEXTS, 'automation', out);
  if (Array.isArray(doc.charts)) {
    doc.charts.forEach((chart, i) => {
      if (!isObject(chart)) return;
      out.push({ pointer: `/charts/${i}`, properties: CHART_TEXTS, kind: 'chart' });
      eachObject(chart.measures, `/charts/${i}/measures`, MEASURE_TEXTS, 'measure', out);
    });
  }
  return out;
}

function objectAt(doc: Json, at: string): JsonObject | null {
  let node: Json | undefined = doc;
  if (at) {
    for (const part of at.slice(1).split('/')) {
      const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
      node = Array.isArray(node) ? node[Number(key)] : isObject(node) ? node[key] : undefined;
    }
  }
  return isObject(node) ? node : null;
}

function isTextList(value: Json | undefined): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** The translation of one property for a locale, if it is usable (see the format: non-empty; arrays of the same length). */
function usable(object: JsonObject, property: string, locale: string): Json | undefined {
  const i18n = object.i18n;
  if (!isObject(i18n)) return undefined;
  const texts = i18n[locale];
  if (!isObject(texts)) return undefined;
  const value = texts[property];
  const authored = object[property];
  if (Array.isArray(authored)) {
    return isTextList(value) && value.length === authored.length ? value : undefined;
  }
  if (authored !== undefined && typeof authored !== 'string') return undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function documentLocale(doc: Json): string {
  return isObject(doc) && typeof doc.locale === 'string' ? doc.locale : 'en';
}

/**
 * The document as a reader whose locale is `locale` sees it: each translatable property replaced
 * by its non-empty translation for that locale, else kept as authored. The `i18n` objects stay.
 * When `locale` is the document's own language, the document is returned as it is.
 */
export function localizeDefinition<T extends Json>(doc: T, locale: string): T {
  if (!isObject(doc) || locale === documentLocale(doc)) return doc;
  const copy = clone(doc) as JsonObject;
  for (const slot of textSlots(copy)) {
    const object = objectAt(copy, slot.pointer);
    if (!object) continue;
    for (const property of slot.properties) {
      const value = usable(object, property, locale);
      if (value !== undefined) object[property] = value;
    }
  }
  return copy as T;
}

export interface TextEntry {
  pointer: string;
  property: string;
  kind: TextSlot['kind'];
  /** The authored text (a list for `ui:enumNames` and `checklist`). */
  text: string | string[];
  /** The stored translation per locale other than the document's, or undefined. */
  translations: Record<string, string | string[] | undefined>;
  /** Locales without a usable translation. */
  missing: string[];
}

/** Every authored text of the document with its translations and the locales it still lacks. */
export function listTexts(doc: Json, locales: readonly string[] = LOCALES): TextEntry[] {
  const own = documentLocale(doc);
  const targets = locales.filter((l) => l !== own);
  const out: TextEntry[] = [];
  for (const slot of textSlots(doc)) {
    const object = objectAt(doc, slot.pointer);
    if (!object) continue;
    for (const property of slot.properties) {
      const text = object[property];
      const isText = typeof text === 'string' && text.trim() !== '';
      const isList = isTextList(text) && text.length > 0 && text.some((t) => t.trim() !== '');
      if (!isText && !isList) continue;
      const translations: Record<string, string | string[] | undefined> = {};
      const missing: string[] = [];
      for (const locale of targets) {
        const stored = isObject(object.i18n) && isObject(object.i18n[locale]) ? object.i18n[locale][property] : undefined;
        translations[locale] = typeof stored === 'string' || isTextList(stored) ? stored : undefined;
        const value = usable(object, property, locale);
        const complete = Array.isArray(value) ? value.every((t) => typeof t === 'string' && t.trim() !== '') : value !== undefined && String(value).trim() !== '';
        if (!complete) missing.push(locale);
      }
      out.push({ pointer: slot.pointer, property, kind: slot.kind, text: text as string | string[], translations, missing });
    }
  }
  return out;
}

/** The texts that lack a translation into some locale. */
export function missingTranslations(doc: Json, locales: readonly string[] = LOCALES): TextEntry[] {
  return listTexts(doc, locales).filter((entry) => entry.missing.length > 0);
}

/**
 * The document with one translation set (an empty text or list removes it; an `i18n` left empty
 * is removed too). Only the objects on the way are copied.
 */
export function setTranslation(doc: Json, at: string, property: string, locale: string, value: string | string[] | null): Json {
  const object = objectAt(doc, at);
  if (!object) return doc;
  const empty = value === null || (typeof value === 'string' ? value === '' : value.every((t) => t === ''));
  const i18n: JsonObject = isObject(object.i18n) ? { ...object.i18n } : {};
  const texts: JsonObject = isObject(i18n[locale]) ? { ...(i18n[locale] as JsonObject) } : {};
  if (empty) delete texts[property];
  else texts[property] = value;
  if (Object.keys(texts).length) i18n[locale] = texts;
  else delete i18n[locale];
  const next: JsonObject = { ...object };
  if (Object.keys(i18n).length) next.i18n = i18n;
  else delete next.i18n;
  return setAt(doc, at, next) as Json;
}
