import ObjectFieldTemplate from '@rjsf/antd/lib/templates/ObjectFieldTemplate/index.js';
import type { ObjectFieldTemplateProps } from '@rjsf/utils';
import type { ReactNode } from 'react';

type Entry = string | { section?: unknown; title?: unknown; description?: unknown; items?: unknown; columns?: unknown };

/**
 * The form's sections and two-column rows (`ui:layout` in the UI schema, see docs/designer.md):
 * the root object's fields grouped as the designer laid them out. Without a layout, rjsf's own
 * template. Fields hidden by rules are not in `properties`, and an emptied section is not shown.
 */
export default function LayoutTemplate(props: ObjectFieldTemplateProps) {
  const layout = (props.uiSchema as Record<string, unknown> | undefined)?.['ui:layout'];
  if (!Array.isArray(layout)) return <ObjectFieldTemplate {...props} />;
  const byName = new Map(props.properties.filter((p) => !p.hidden).map((p) => [p.name, p.content]));
  const placed = new Set<string>();
  const field = (name: unknown): ReactNode => {
    if (typeof name !== 'string' || placed.has(name) || !byName.has(name)) return null;
    placed.add(name);
    return byName.get(name);
  };
  const columns = (entry: Entry, key: string | number): ReactNode => {
    const cols = Array.isArray(entry === null || typeof entry !== 'object' ? null : entry.columns) ? ((entry as { columns: unknown[] }).columns) : [];
    const rendered = [0, 1].map((i) => (Array.isArray(cols[i]) ? (cols[i] as unknown[]).map(field).filter(Boolean) : []));
    if (!rendered[0]!.length && !rendered[1]!.length) return null;
    return (
      <div key={key} className="gd-form-columns">
        <div>{rendered[0]}</div>
        <div>{rendered[1]}</div>
      </div>
    );
  };
  const out: ReactNode[] = (layout as Entry[]).map((entry, i) => {
    if (typeof entry === 'string') return field(entry);
    if (!entry || typeof entry !== 'object') return null;
    if (typeof entry.section === 'string') {
      const items = (Array.isArray(entry.items) ? entry.items : []).map((item, j) => (typeof item === 'string' ? field(item) : columns(item as Entry, j))).filter(Boolean);
      if (!items.length) return null;
      return (
        <fieldset key={`s-${entry.section}`} className="gd-form-section">
          {typeof entry.title === 'string' && entry.title && <legend>{entry.title}</legend>}
          {typeof entry.description === 'string' && entry.description && <p className="gd-form-section-description">{entry.description}</p>}
          {items}
        </fieldset>
      );
    }
    return columns(entry, `c-${i}`);
  });
  const rest = props.properties.filter((p) => !p.hidden && !placed.has(p.name)).map((p) => p.content);
  return (
    <div className="gd-form-layout">
      {out}
      {rest}
    </div>
  );
}
