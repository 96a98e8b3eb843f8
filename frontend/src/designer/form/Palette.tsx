// The left pane: field kinds, a section and a two-column row. Drag one onto the canvas, or click it
// (Enter or Space with the keyboard) to add it after the selected field.
import { useDraggable } from '@dnd-kit/core';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { FIELD_KINDS, type PaletteKind } from '../model/kinds';

export type PaletteItem = PaletteKind | 'section' | 'columns';
export const PALETTE: PaletteItem[] = [...FIELD_KINDS, 'section', 'columns'];

function Item({ item, onAdd }: { item: PaletteItem; onAdd: (item: PaletteItem) => void }) {
  const { t } = useTranslation('designer');
  const { setNodeRef, attributes, listeners } = useDraggable({ id: `palette|${item}` });
  const name = item === 'section' ? t('palette.section') : item === 'columns' ? t('palette.columns') : t(`kinds.${item}`);
  return (
    <li>
      <button
        ref={setNodeRef}
        type="button"
        className="gd-palette-item"
        {...attributes}
        {...listeners}
        onClick={() => onAdd(item)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            onAdd(item);
          }
        }}
        aria-label={t('palette.add', { name })}
        data-kind={item}
      >
        {name}
      </button>
    </li>
  );
}

function Palette({ onAdd }: { onAdd: (item: PaletteItem) => void }) {
  const { t } = useTranslation('designer');
  return (
    <nav className="gd-palette" aria-label={t('palette.label')}>
      <h2 className="gd-pane-title">{t('palette.title')}</h2>
      <ul>
        {PALETTE.map((item) => (
          <Item key={item} item={item} onAdd={onAdd} />
        ))}
      </ul>
      <p className="gd-hint">{t('palette.hint')}</p>
    </nav>
  );
}

/** Memoised: the palette does not change while the form is edited. */
export default memo(Palette);
