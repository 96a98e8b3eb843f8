import { useEffect, useState } from 'react';
import { api } from '../api';
import type { PortalForm } from '../types';

const cache = new Map<string, Promise<PortalForm>>();

/** The published form of a ticket type (schema, UI schema, field rules, states), fetched once per page load. */
export function loadTypeForm(key: string): Promise<PortalForm> {
  let found = cache.get(key);
  if (!found) {
    found = api.get<PortalForm>(`/portal/ticket-types/${encodeURIComponent(key)}/form`);
    found.catch(() => cache.delete(key));
    cache.set(key, found);
  }
  return found;
}

export function useTypeForm(key: string | null | undefined): PortalForm | null {
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
  }, [key]);
  return form;
}

export function stateName(form: PortalForm | null, key: string): string {
  return form?.states.find((s) => s.key === key)?.name ?? key;
}

type Props = Record<string, { title?: string; enum?: unknown[] } | undefined>;

export function fieldTitle(form: PortalForm | null, name: string): string {
  const props = (form?.form.schema.properties ?? {}) as Props;
  return props[name]?.title ?? form?.transition_fields?.[name]?.title ?? name;
}

/** A form value as the form shows it: enum values by their authored UI names. */
export function displayValue(form: PortalForm | null, name: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  const props = (form?.form.schema.properties ?? {}) as Props;
  const ui = (form?.form.ui[name] ?? {}) as { 'ui:enumNames'?: string[] };
  const options = props[name]?.enum;
  if (options && ui['ui:enumNames']) {
    const index = options.indexOf(value);
    if (index >= 0 && ui['ui:enumNames'][index]) return ui['ui:enumNames'][index]!;
  }
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
