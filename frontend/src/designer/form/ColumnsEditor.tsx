// A repeating table's columns: each a small field (label, kind, required), reordered and removed here.
import { Button, Checkbox, Input, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FieldModel } from '../model/form';
import { keyFromLabel } from '../model/keys';
import { COLUMN_KINDS, detectKind, newField, type PaletteKind } from '../model/kinds';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '../icons';
import type { FieldEdit } from './PropertiesPanel';

export default function ColumnsEditor({ field, onChange }: { field: FieldModel; onChange: FieldEdit }) {
  const { t } = useTranslation('designer');
  const columns = field.columns ?? [];
  const set = (next: FieldModel[], group?: string) => onChange((f) => ({ ...f, columns: next }), group ?? 'columns');
  const update = (i: number, change: (c: FieldModel) => FieldModel, group: string) => set(columns.map((c, j) => (i === j ? change(c) : c)), group);
  const move = (i: number, d: -1 | 1) => {
    const copy = columns.slice();
    const [item] = copy.splice(i, 1);
    copy.splice(i + d, 0, item!);
    set(copy);
  };
  return (
    <fieldset className="gd-options">
      <legend>{t('table.columns')}</legend>
      <ol>
        {columns.map((column, i) => {
          const title = typeof column.schema.title === 'string' ? column.schema.title : column.key;
          return (
            <li key={column.key} className="gd-option-row">
              <Input aria-label={t('table.columnLabel', { n: i + 1 })} value={title} onChange={(e) => update(i, (c) => ({ ...c, schema: { ...c.schema, title: e.target.value } }), `column-${column.key}`)} />
              <Select
                aria-label={t('table.columnKind', { n: i + 1 })}
                value={column.kind as PaletteKind}
                style={{ minWidth: 110 }}
                onChange={(kind: PaletteKind) =>
                  update(i, (c) => {
                    const made = newField(kind, title);
                    return { ...c, kind: detectKind(made.schema, made.ui), schema: made.schema, ui: made.ui };
                  }, `column-kind-${column.key}`)
                }
                options={(COLUMN_KINDS.includes(column.kind as PaletteKind) ? COLUMN_KINDS : [...COLUMN_KINDS, column.kind as PaletteKind]).map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
              />
              <Checkbox checked={column.required} onChange={(e) => update(i, (c) => ({ ...c, required: e.target.checked }), `column-required-${column.key}`)}>
                {t('props.required')}
              </Checkbox>
              <Space.Compact>
                <Button icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('options.up', { name: title })} />
                <Button icon={<ArrowDownOutlined />} disabled={i === columns.length - 1} onClick={() => move(i, 1)} aria-label={t('options.down', { name: title })} />
                <Button icon={<DeleteOutlined />} danger onClick={() => set(columns.filter((_, j) => j !== i))} aria-label={t('options.remove', { name: title })} />
              </Space.Compact>
            </li>
          );
        })}
      </ol>
      <Button
        icon={<PlusOutlined />}
        onClick={() => {
          const label = t('table.newColumn', { n: columns.length + 1 });
          const made = newField('text', label);
          set([...columns, { key: keyFromLabel(label, columns.map((c) => c.key), 'column'), kind: 'text', schema: made.schema, ui: made.ui, required: false }]);
        }}
      >
        {t('table.addColumn')}
      </Button>
    </fieldset>
  );
}
