// Choice options: value (the stored key) and label, reorder, remove, add, and bulk paste
// (one option a line: "Label", or "value | Label").
import { Button, Input, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { keyFromLabel } from '../model/keys';
import type { Choice } from '../model/kinds';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '../icons';

/** Options from pasted lines; values are made from labels when not given, unique. */
export function parseBulk(text: string, existing: Choice[] = []): Choice[] {
  const out: Choice[] = [...existing];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const bar = line.indexOf('|');
    const value = bar >= 0 ? line.slice(0, bar).trim() : '';
    const label = bar >= 0 ? line.slice(bar + 1).trim() : line;
    const taken = out.map((c) => c.value);
    const finalValue = value && !taken.includes(value) ? value : keyFromLabel(value || label, taken, 'option');
    out.push({ value: finalValue, label: label || finalValue });
  }
  return out;
}

export default function OptionsEditor({ choices, onChange }: { choices: Choice[]; onChange: (choices: Choice[], group?: string) => void }) {
  const { t } = useTranslation('designer');
  const [bulkOpen, setBulkOpen] = useState(false);
  const [bulk, setBulk] = useState('');
  const set = (i: number, change: Partial<Choice>, group: string) => onChange(choices.map((c, j) => (i === j ? { ...c, ...change } : c)), group);
  const move = (i: number, d: -1 | 1) => {
    const copy = choices.slice();
    const [item] = copy.splice(i, 1);
    copy.splice(i + d, 0, item!);
    onChange(copy);
  };
  const duplicates = new Set(choices.map((c) => c.value).filter((v, i, all) => all.indexOf(v) !== i));
  return (
    <fieldset className="gd-options">
      <legend>{t('options.title')}</legend>
      <ol>
        {choices.map((choice, i) => (
          <li key={i} className="gd-option-row">
            <Input aria-label={t('options.label', { n: i + 1 })} value={choice.label} onChange={(e) => set(i, { label: e.target.value }, `option-label-${i}`)} placeholder={t('options.labelPlaceholder')} />
            <Input
              aria-label={t('options.value', { n: i + 1 })}
              className="gd-mono"
              value={choice.value}
              status={duplicates.has(choice.value) || !choice.value ? 'error' : undefined}
              onChange={(e) => set(i, { value: e.target.value }, `option-value-${i}`)}
            />
            <Space.Compact>
              <Button icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('options.up', { name: choice.label })} />
              <Button icon={<ArrowDownOutlined />} disabled={i === choices.length - 1} onClick={() => move(i, 1)} aria-label={t('options.down', { name: choice.label })} />
              <Button icon={<DeleteOutlined />} danger disabled={choices.length <= 1} onClick={() => onChange(choices.filter((_, j) => j !== i))} aria-label={t('options.remove', { name: choice.label })} />
            </Space.Compact>
          </li>
        ))}
      </ol>
      {duplicates.size > 0 && <Typography.Text type="danger">{t('options.duplicate')}</Typography.Text>}
      <Space wrap>
        <Button icon={<PlusOutlined />} onClick={() => onChange(parseBulk(t('options.newLabel', { n: choices.length + 1 }), choices))}>
          {t('options.add')}
        </Button>
        <Button onClick={() => setBulkOpen(true)}>{t('options.bulk')}</Button>
      </Space>
      <Modal
        open={bulkOpen}
        title={t('options.bulkTitle')}
        onCancel={() => setBulkOpen(false)}
        okText={t('options.bulkReplace')}
        onOk={() => {
          const parsed = parseBulk(bulk);
          if (parsed.length) onChange(parsed);
          setBulkOpen(false);
          setBulk('');
        }}
      >
        <Typography.Paragraph type="secondary">{t('options.bulkHelp')}</Typography.Paragraph>
        <Input.TextArea aria-label={t('options.bulkTitle')} value={bulk} onChange={(e) => setBulk(e.target.value)} autoSize={{ minRows: 6, maxRows: 16 }} />
      </Modal>
    </fieldset>
  );
}
