import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import i18n from '../i18n';
import type { PortalForm } from '../types';

const cache = new Map<string, Promise<PortalForm>>();

/**
 * The published form of a ticket type (schema, UI schema, field rules, states), fetched once per page load and
 * language: the server gives its texts in the reader's language.
 */
export function loadTypeForm(key: string): Promise<PortalForm> {
  const cacheKey = `${i18n.language}\u0000${key}`;
  let found = cache.get(cacheKey);
  if (!found) {
    found = api.get<PortalForm>(`/portal/ticket-types/${encodeURIComponent(key)}/form`);
    found.catch(() => cache.delete(cacheKey));
    cache.set(cacheKey, found);
  }
  return found;
}

export function useTypeForm(key: string | null | undefined): PortalForm | null {
  const { i18n: current } = useTranslation();
  const language = current.language;
  const [form, setForm] = useState<PortalForm | null>(null);
  useEffect(() => {
    if (!key) return;
    let live = true;
    loadTypeForm(key).then(
      (loaded) => live && setForm(loaded),
      () => live && setForm(null),
    );
    return () => {
      live = false;
    };
  }, [key, language]);
  return form;
}

export function stateName(form: PortalForm | null, key: string): string {
  return form?.states.find((s) => s.key === key)?.name ?? key;
}

type Props = Record<string, { title?: string; enum?: unknown[]; oneOf?: { const?: unknown; title?: string }[] } | undefined>;

export function fieldTitle(form: PortalForm | null, name: string): string {
  const props = (form?.form.schema.properties ?? {}) as Props;
  const ui = (form?.form.ui[name] ?? {}) as { 'ui:title'?: string };
  return ui['ui:title'] || props[name]?.title || form?.transition_fields?.[name]?.title || name;
}

/**
 * A form value as the form shows it: fixed values by their labels (ui:enumNames, oneOf titles, the labels of
 * transitions' fields). The ticket page uses the server's display texts; this serves values the browser holds.
 */
export function displayValue(form: PortalForm | null, name: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  const props = (form?.form.schema.properties ?? {}) as Props;
  const ui = (form?.form.ui[name] ?? {}) as { 'ui:enumNames'?: string[] };
  const schema = props[name];
  const labelled = schema?.oneOf?.find((option) => option.const === value)?.title;
  if (labelled) return labelled;
  const options = schema?.enum;
  if (options && ui['ui:enumNames']) {
    const index = options.indexOf(value);
    if (index >= 0 && ui['ui:enumNames'][index]) return ui['ui:enumNames'][index]!;
  }
  const transitionOption = form?.transition_fields?.[name]?.options?.find((option) => option.value === value);
  if (transitionOption) return transitionOption.label;
  if (Array.isArray(value)) return value.map((item) => displayValue(form, name, item)).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
