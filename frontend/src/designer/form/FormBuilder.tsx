// The form tab: palette | canvas | properties, and the live preview. Drag and drop with @dnd-kit;
// every move is also a keyboard command (Alt+↑/↓ on a selected item, or its arrow buttons).
import { DndContext, DragOverlay, PointerSensor, useSensor, useSensors, type DragEndEvent, type DragStartEvent } from '@dnd-kit/core';
import { App, Empty, Segmented } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useIsDesktop } from '../../layout/useMediaQuery';
import type { DesignerContextValue } from '../context';
import type { FieldModel, FormModel, SectionNode } from '../model/form';
import type { JsonObject } from '../model/json';
import { parseContainerKey, locate, moveStep as layoutStep, type Place } from '../model/layout';
import { addColumns, addField, allIds, addSection, dissolve, duplicateField, move, removeField, renameField, renameInDefinition, updateField, updateSection } from '../model/ops';
import { problemsByField } from '../model/problems';
import { keyFromLabel } from '../model/keys';
import type { PaletteKind } from '../model/kinds';
import Canvas, { type CanvasActions } from './Canvas';
import Palette, { type PaletteItem } from './Palette';
import Preview from './Preview';
import PropertiesPanel, { SectionProperties } from './PropertiesPanel';
import { useStableCallback } from './stable';

/** A drag starts after 6 px, so a click stays a click. A constant: a new object would re-render every card. */
const POINTER = { activationConstraint: { distance: 6 } };

function placeAfter(form: FormModel, selected: string | null): Place {
  const at = selected ? locate(form.layout, selected) : null;
  return at ? { container: at.container, index: at.index + 1 } : { container: { kind: 'root' }, index: form.layout.length };
}

function parseSlot(id: string): Place | null {
  const [tag, container, index] = id.split('|');
  const parsed = container ? parseContainerKey(container) : null;
  return tag === 'slot' && parsed ? { container: parsed, index: Number(index) } : null;
}

export default function FormBuilder({ context }: { context: DesignerContextValue }) {
  const { t } = useTranslation('designer');
  const { modal } = App.useApp();
  const { state, update, publishedKeys, problems, definition, focusTarget, typeKey, designer } = context;
  const form = state.form;
  const [selected, setSelected] = useState<string | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  const [pane, setPane] = useState<'canvas' | 'properties' | 'preview'>('canvas');
  // one property-panel session per selection: typing a label may change the key (see onFieldChange)
  const [panelId, setPanelId] = useState(0);
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const isDesktop = useIsDesktop();
  const sensors = useSensors(useSensor(PointerSensor, POINTER));
  const formRef = useRef(form);
  formRef.current = form;
  // A field renamed because its key follows its label keeps its card (see Canvas' cardKey).
  const cardKeys = useRef(new Map<string, string>());
  const cardKey = useCallback((id: string) => cardKeys.current.get(id) ?? id, []);
  const keepCard = useCallback((from: string, to: string) => {
    cardKeys.current.set(to, cardKeys.current.get(from) ?? from);
  }, []);

  const byField = useMemo(() => problemsByField([...problems.errors, ...problems.warnings], definition), [problems, definition]);
  const ruled = useMemo(() => {
    const out = new Set<string>();
    for (const rule of form.rules) for (const action of ['show', 'hide', 'require', 'readonly']) if (Array.isArray(rule[action])) for (const k of rule[action] as unknown[]) if (typeof k === 'string') out.add(k);
    return out;
  }, [form.rules]);

  const setForm = useCallback((change: (f: FormModel) => FormModel, group?: string) => update((s) => ({ ...s, form: change(s.form) }), group), [update]);

  const focusCard = useCallback((id: string) => {
    window.requestAnimationFrame(() => {
      const el = document.querySelector<HTMLElement>(`[data-field="${CSS.escape(id)}"] .gd-field-main, [data-node="${CSS.escape(id)}"] .gd-field-main`);
      el?.scrollIntoView({ block: 'nearest' });
      el?.focus({ preventScroll: true });
    });
  }, []);

  useEffect(() => {
    if (focusTarget?.field && formRef.current.fields[focusTarget.field]) {
      setSelected(focusTarget.field);
      setPane('properties');
      focusCard(focusTarget.field);
    }
  }, [focusTarget, focusCard]);

  const add = useCallback(
    (item: PaletteItem, place?: Place) => {
      const f = formRef.current;
      const at = place ?? placeAfter(f, selectedRef.current && f.fields[selectedRef.current] ? selectedRef.current : null);
      let made: { model: FormModel; id: string };
      if (item === 'section') made = addSection(f, t('palette.newSection'), at.container.kind === 'root' ? at.index : f.layout.length);
      else if (item === 'columns') made = addColumns(f, at.container.kind === 'column' ? { container: { kind: 'root' }, index: f.layout.length } : at);
      else {
        const r = addField(f, item as PaletteKind, t('palette.newField', { kind: t(`kinds.${item}`) }), at);
        made = { model: r.model, id: r.key };
      }
      setForm(() => made.model);
      setPanelId((n) => n + 1);
      setSelected(made.id);
      focusCard(made.id);
    },
    [setForm, t, focusCard],
  );

  const remove = useCallback(
    (id: string) => {
      const f = formRef.current;
      if (!f.fields[id]) {
        setForm((m) => dissolve(m, id));
        setSelected(null);
        return;
      }
      const doRemove = () => {
        setForm((m) => removeField(m, id));
        setSelected(null);
      };
      if (publishedKeys.has(id)) {
        modal.confirm({
          title: t('canvas.confirmDeleteTitle', { name: String(f.fields[id]!.schema.title ?? id) }),
          content: t('canvas.confirmDeletePublished'),
          okText: t('canvas.confirmDelete'),
          okButtonProps: { danger: true },
          cancelText: t('canvas.cancel'),
          onOk: doRemove,
        });
      } else doRemove();
    },
    [setForm, publishedKeys, modal, t],
  );

  const actions = useMemo<CanvasActions>(
    () => ({
      select: (id) => {
        if (id !== selectedRef.current) setPanelId((n) => n + 1);
        setSelected(id);
        if (!isDesktop) setPane('canvas');
      },
      moveStep: (id, direction) => {
        setForm((f) => {
          const layout = layoutStep(f.layout, id, direction);
          return layout === f.layout ? f : { ...f, layout };
        });
        focusCard(id);
      },
      remove,
      duplicate: (key) => {
        const r = duplicateField(formRef.current, key);
        setForm(() => r.model);
        setPanelId((n) => n + 1);
        setSelected(r.key);
      },
    }),
    [setForm, remove, focusCard, isDesktop],
  );

  const onDragStart = (event: DragStartEvent) => setDragging(String(event.active.id));
  const onDragEnd = (event: DragEndEvent) => {
    setDragging(null);
    const place = event.over ? parseSlot(String(event.over.id)) : null;
    if (!place) return;
    const [tag, id] = String(event.active.id).split('|') as [string, string];
    if (tag === 'palette') return add(id as PaletteItem, place);
    setForm((f) => {
      const from = locate(f.layout, id);
      const sameContainer = from && JSON.stringify(from.container) === JSON.stringify(place.container);
      return move(f, id, sameContainer && from!.index < place.index ? { ...place, index: place.index - 1 } : place);
    });
    setSelected(id);
  };

  /**
   * A property edit of the selected field. While a field is unpublished and its key is still the one
   * made from its label, retitling it gives it the key of the new label (one undo step with the typing).
   */
  const onFieldChange = (key: string, change: (field: FieldModel) => FieldModel, property: string) => {
    const field = form.fields[key];
    if (!field) return;
    const next = change(field);
    let rename: string | null = null;
    if (property === 'title' && !publishedKeys.has(key)) {
      const others = allIds(form).filter((k) => k !== key);
      if (keyFromLabel(String(field.schema.title ?? ''), others) === key) {
        const fresh = keyFromLabel(String(next.schema.title ?? ''), others);
        if (fresh !== key) rename = fresh;
      }
    }
    update(
      (s) => {
        const updated = updateField(s.form, key, () => next);
        return rename ? { doc: renameInDefinition(s.doc, key, rename), form: renameField(updated, key, rename) } : { ...s, form: updated };
      },
      `${panelId}:${property}`,
    );
    if (rename) {
      keepCard(key, rename);
      setSelected(rename);
    }
  };

  const selectedField: FieldModel | undefined = selected ? form.fields[selected] : undefined;
  const selectedSection = selected && !selectedField ? (form.layout.find((n) => typeof n !== 'string' && n.type === 'section' && n.id === selected) as SectionNode | undefined) : undefined;

  // Stable handlers: the property panel's memoised parts re-render only when what they show changes.
  const onPropertyChange = useStableCallback((change: (field: FieldModel) => FieldModel, property: string) => {
    if (selectedField) onFieldChange(selectedField.key, change, property);
  });
  const onRename = useStableCallback((to: string) => {
    if (!selectedField) return;
    const from = selectedField.key;
    update((s) => ({ doc: renameInDefinition(s.doc, from, to), form: renameField(s.form, from, to) }));
    keepCard(from, to);
    setSelected(to);
  });
  const onRules = useCallback((rules: JsonObject[], group?: string) => setForm((f) => ({ ...f, rules }), group), [setForm]);
  const onSectionChange = useStableCallback((change: Partial<SectionNode>, group: string) => {
    if (selectedSection) setForm((f) => updateSection(f, selectedSection.id, change), `${selectedSection.id}:${group}`);
  });

  const properties = selectedField ? (
    <PropertiesPanel
      key={panelId}
      form={form}
      field={selectedField}
      published={publishedKeys.has(selectedField.key)}
      onChange={onPropertyChange}
      onRename={onRename}
      onRules={onRules}
    />
  ) : selectedSection ? (
    <SectionProperties node={selectedSection} onChange={onSectionChange} />
  ) : (
    <Empty description={t('props.nothingSelected')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
  );

  const canvas = (
    <Canvas layout={form.layout} fields={form.fields} selected={selected} dragging={dragging !== null} problems={byField} published={publishedKeys} ruled={ruled} actions={actions} cardKey={cardKey} />
  );
  const preview = <Preview definition={definition} typeKey={typeKey} save={designer.save} focusKey={selected} />;

  return (
    <DndContext sensors={sensors} onDragStart={onDragStart} onDragEnd={onDragEnd} onDragCancel={() => setDragging(null)}>
      {isDesktop ? (
        <div className="gd-builder">
          <Palette onAdd={add} />
          <div className="gd-builder-canvas">{canvas}</div>
          <div className="gd-builder-properties">{properties}</div>
          <div className="gd-builder-preview">{preview}</div>
        </div>
      ) : (
        <div className="gd-builder-mobile">
          <Segmented
            block
            value={pane}
            onChange={(v) => setPane(v as typeof pane)}
            options={[
              { value: 'canvas', label: t('builder.canvas') },
              { value: 'properties', label: t('builder.properties') },
              { value: 'preview', label: t('builder.preview') },
            ]}
          />
          {pane === 'canvas' && (
            <>
              <Palette onAdd={add} />
              {canvas}
            </>
          )}
          {pane === 'properties' && properties}
          {pane === 'preview' && preview}
        </div>
      )}
      <DragOverlay dropAnimation={null}>{dragging ? <div className="gd-drag-ghost">{dragLabel(dragging, form, t as unknown as (key: string) => string)}</div> : null}</DragOverlay>
    </DndContext>
  );
}

function dragLabel(id: string, form: FormModel, t: (key: string) => string): string {
  const [tag, name] = id.split('|') as [string, string];
  if (tag === 'palette') return name === 'section' ? t('palette.section') : name === 'columns' ? t('palette.columns') : t(`kinds.${name}`);
  const field = form.fields[name];
  return field ? String(field.schema.title ?? name) : name;
}
