// The middle pane: the form as it will be laid out, every field a card that can be selected, dragged
// (by its handle) and moved with the keyboard (Alt+↑/↓ through every place, into and out of sections
// and columns). Drop slots between items receive fields from the palette and the canvas.
//
// A form may have hundreds of fields, so a card is cheap: plain elements and inline icons (an antd Tag or
// icon per card costs a CSS-in-JS lookup each, and every icon that mounts scans the document's styles),
// memoised so that a keystroke re-renders only the card it changes. The heavier antd controls (move,
// duplicate, delete buttons, the problems badge) appear on the selected card and on cards with problems only.
import { useDraggable, useDroppable } from '@dnd-kit/core';
import { Badge, Button, Tooltip } from 'antd';
import { memo, useMemo, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ColumnsNode, FieldModel, LayoutNode, SectionNode } from '../model/form';
import { containerKey, type Container } from '../model/layout';
import type { Problem } from '../model/problems';
import { ArrowDownOutlined, ArrowUpOutlined, CopyOutlined, DeleteOutlined } from '../icons';
import { GripIcon, LockIcon } from './cardIcons';

export interface CanvasActions {
  select: (id: string) => void;
  moveStep: (id: string, direction: -1 | 1) => void;
  remove: (id: string) => void;
  duplicate: (key: string) => void;
}

interface CanvasProps {
  layout: LayoutNode[];
  fields: Record<string, FieldModel>;
  selected: string | null;
  dragging: boolean;
  problems: Map<string, Problem[]>;
  published: Set<string>;
  ruled: Set<string>;
  actions: CanvasActions;
  /**
   * The React key of a field's card: a field renamed while its label is typed (its key follows the label)
   * keeps its card instead of mounting a new one on every keystroke.
   */
  cardKey: (id: string) => string;
}

/**
 * A drop place: `slot|<container key>|<index>`. Slots exist only while something is dragged (dnd-kit
 * measures them as they appear): hundreds of idle drop targets would slow every keystroke.
 */
const Slot = memo(function Slot({ where, index, dragging }: { where: string; index: number; dragging: boolean }) {
  const id = `slot|${where}|${index}`;
  const { setNodeRef, isOver } = useDroppable({ id });
  return <div ref={setNodeRef} className={`gd-slot${dragging ? ' gd-slot-active' : ''}${isOver ? ' gd-slot-over' : ''}`} data-slot={id} />;
});

function List({ ids, container, render, dragging, empty, cardKey }: { ids: string[]; container: Container; render: (id: string) => ReactNode; dragging: boolean; empty?: string; cardKey: (id: string) => string }) {
  return (
    <div className="gd-canvas-list" data-container={containerKey(container)}>
      {dragging ? <Slot where={containerKey(container)} index={0} dragging /> : <div className="gd-slot" />}
      {ids.length === 0 && empty && <div className="gd-canvas-empty">{empty}</div>}
      {ids.map((id, i) => (
        <div key={cardKey(id)}>
          {render(id)}
          {dragging ? <Slot where={containerKey(container)} index={i + 1} dragging /> : <div className="gd-slot" />}
        </div>
      ))}
    </div>
  );
}

function label(field: FieldModel): string {
  return typeof field.schema.title === 'string' && field.schema.title ? field.schema.title : field.key;
}

function useMoveKeys(id: string, actions: CanvasActions) {
  return (event: KeyboardEvent) => {
    if (event.altKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
      event.preventDefault();
      actions.moveStep(id, event.key === 'ArrowUp' ? -1 : 1);
    } else if (event.key === 'Delete' && event.target === event.currentTarget) {
      event.preventDefault();
      actions.remove(id);
    }
  };
}

function MoveButtons({ id, name, actions }: { id: string; name: string; actions: CanvasActions }) {
  const { t } = useTranslation('designer');
  return (
    <>
      <Tooltip title={t('canvas.moveUpHint')}>
        <Button size="small" type="text" icon={<ArrowUpOutlined />} aria-label={t('canvas.moveUp', { name })} onClick={(e) => { e.stopPropagation(); actions.moveStep(id, -1); }} />
      </Tooltip>
      <Tooltip title={t('canvas.moveDownHint')}>
        <Button size="small" type="text" icon={<ArrowDownOutlined />} aria-label={t('canvas.moveDown', { name })} onClick={(e) => { e.stopPropagation(); actions.moveStep(id, 1); }} />
      </Tooltip>
    </>
  );
}

interface FieldCardProps {
  field: FieldModel;
  selected: boolean;
  problems: Problem[] | undefined;
  published: boolean;
  ruled: boolean;
  actions: CanvasActions;
}

const FieldCard = memo(function FieldCard({ field, selected, problems, published, ruled, actions }: FieldCardProps) {
  const { t } = useTranslation('designer');
  const { setNodeRef, attributes, listeners, isDragging } = useDraggable({ id: `node|${field.key}` });
  const onKey = useMoveKeys(field.key, actions);
  const name = label(field);
  const errors = problems?.length ?? 0;
  return (
    <div
      ref={setNodeRef}
      className={`gd-field-card${selected ? ' gd-selected' : ''}${isDragging ? ' gd-dragging' : ''}${errors ? ' gd-has-problems' : ''}`}
      data-field={field.key}
      onClick={() => actions.select(field.key)}
    >
      <button type="button" className="gd-drag-handle" aria-label={t('canvas.drag', { name })} {...attributes} {...listeners} tabIndex={-1}>
        <GripIcon />
      </button>
      <button type="button" className="gd-field-main" aria-pressed={selected} onKeyDown={onKey} onClick={(e) => { e.stopPropagation(); actions.select(field.key); }} aria-keyshortcuts="Alt+ArrowUp Alt+ArrowDown Delete">
        <span className="gd-field-label">
          {name}
          {field.required && <span className="gd-required" aria-label={t('canvas.required')}>*</span>}
        </span>
        <span className="gd-field-meta">
          <span className="gd-tag">{t(`kinds.${field.kind}`)}</span>
          <code>{field.key}</code>
          {published && <LockIcon />}
          {ruled && <span className="gd-tag gd-tag-blue">{t('canvas.hasRules')}</span>}
          {field.kind === 'advanced' && <span className="gd-tag gd-tag-purple">{t('canvas.advanced')}</span>}
        </span>
      </button>
      {errors > 0 && (
        <Tooltip title={problems!.map((p) => p.message).join('\n')}>
          <Badge count={errors} className="gd-field-problems" aria-label={t('canvas.problems', { count: errors })} />
        </Tooltip>
      )}
      {selected && (
        <span className="gd-field-actions">
          <MoveButtons id={field.key} name={name} actions={actions} />
          <Button size="small" type="text" icon={<CopyOutlined />} aria-label={t('canvas.duplicate', { name })} onClick={(e) => { e.stopPropagation(); actions.duplicate(field.key); }} />
          <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('canvas.delete', { name })} onClick={(e) => { e.stopPropagation(); actions.remove(field.key); }} />
        </span>
      )}
      {problems && problems.length > 0 && selected && (
        <ul className="gd-field-problem-list">
          {problems.map((p, i) => (
            <li key={i}>{p.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
});

function GroupHeader({ id, title, selected, actions, kindLabel }: { id: string; title: string; selected: boolean; actions: CanvasActions; kindLabel: string }) {
  const { t } = useTranslation('designer');
  const { setNodeRef, attributes, listeners } = useDraggable({ id: `node|${id}` });
  const onKey = useMoveKeys(id, actions);
  return (
    <div ref={setNodeRef} className="gd-group-header">
      <button type="button" className="gd-drag-handle" aria-label={t('canvas.drag', { name: title })} {...attributes} {...listeners} tabIndex={-1}>
        <GripIcon />
      </button>
      <button type="button" className="gd-field-main" aria-pressed={selected} onKeyDown={onKey} onClick={(e) => { e.stopPropagation(); actions.select(id); }}>
        <span className="gd-field-label">{title}</span>
        <span className="gd-tag">{kindLabel}</span>
      </button>
      {selected && (
        <span className="gd-field-actions">
          <MoveButtons id={id} name={title} actions={actions} />
          <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('canvas.dissolve', { name: title })} onClick={(e) => { e.stopPropagation(); actions.remove(id); }} />
        </span>
      )}
    </div>
  );
}

function Canvas({ layout, fields, selected, dragging, problems, published, ruled, actions, cardKey }: CanvasProps) {
  const { t } = useTranslation('designer');
  const nodes = useMemo(() => new Map(layout.map((node) => [typeof node === 'string' ? node : node.id, node] as const)), [layout]);
  const rootIds = useMemo(() => [...nodes.keys()], [nodes]);
  const renderField = (key: string) => {
    const field = fields[key];
    if (!field) return null;
    return <FieldCard field={field} selected={selected === key} problems={problems.get(key)} published={published.has(key)} ruled={ruled.has(key)} actions={actions} />;
  };
  const renderColumns = (node: ColumnsNode) => (
    <div className={`gd-columns-card${selected === node.id ? ' gd-selected' : ''}`} data-node={node.id} onClick={() => actions.select(node.id)}>
      <GroupHeader id={node.id} title={t('canvas.twoColumns')} kindLabel={t('palette.columns')} selected={selected === node.id} actions={actions} />
      <div className="gd-columns">
        {([0, 1] as const).map((col) => (
          <div key={col} className="gd-column" aria-label={t('canvas.column', { n: col + 1 })} role="group">
            <List ids={node.columns[col]} container={{ kind: 'column', id: node.id, col }} render={renderField} dragging={dragging} empty={t('canvas.dropHere')} cardKey={cardKey} />
          </div>
        ))}
      </div>
    </div>
  );
  const renderSection = (node: SectionNode) => {
    const items = new Map(node.items.map((item) => [typeof item === 'string' ? item : item.id, item] as const));
    return (
      <section className={`gd-section-card${selected === node.id ? ' gd-selected' : ''}`} data-node={node.id} aria-label={node.title || t('canvas.untitledSection')} onClick={() => actions.select(node.id)}>
        <GroupHeader id={node.id} title={node.title || t('canvas.untitledSection')} kindLabel={t('palette.section')} selected={selected === node.id} actions={actions} />
        <List
          ids={[...items.keys()]}
          container={{ kind: 'section', id: node.id }}
          dragging={dragging}
          empty={t('canvas.dropHere')}
          cardKey={cardKey}
          render={(id) => {
            const item = items.get(id)!;
            return typeof item === 'string' ? renderField(item) : renderColumns(item);
          }}
        />
      </section>
    );
  };
  return (
    <div className="gd-canvas" aria-label={t('canvas.label')} role="region">
      <List
        ids={rootIds}
        container={{ kind: 'root' }}
        dragging={dragging}
        empty={t('canvas.empty')}
        cardKey={cardKey}
        render={(id) => {
          const node = nodes.get(id)!;
          if (typeof node === 'string') return renderField(node);
          return node.type === 'section' ? renderSection(node) : renderColumns(node);
        }}
      />
    </div>
  );
}

export default memo(Canvas);
