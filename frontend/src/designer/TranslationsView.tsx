// Every text a requester or agent reads in this definition, with its translation, the missing
// ones first if asked. Edits go into the objects' `i18n` (docs/definition-format.md, "Translations").
import { Alert, Input, Radio, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DesignerContextValue } from './context';
import { documentLocale, listTexts, LOCALES, setTranslation, type TextEntry } from './model/i18n';
import type { JsonObject } from './model/json';

const LOCALE_NAMES: Record<string, string> = { en: 'English', 'zh-CN': '简体中文' };

function where(entry: TextEntry, t: (key: string, opts?: Record<string, unknown>) => string): string {
  const parts = entry.pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (entry.kind === 'document') return t('translations.where.document');
  if (entry.kind === 'schema' || entry.kind === 'ui') {
    const i = parts.indexOf('properties');
    const field = i >= 0 ? parts[i + 1] : parts[2];
    const option = parts.includes('oneOf') || parts.includes('anyOf') ? ` · ${t('translations.where.option')} ${Number(parts[parts.length - 1]) + 1}` : '';
    return `${t('translations.where.field')} ${field ?? ''}${option}`;
  }
  if (entry.kind === 'measure') return `${t('translations.where.chart')} ${Number(parts[1]) + 1} · ${t('translations.where.measure')} ${Number(parts[3]) + 1}`;
  return `${t(`translations.where.${entry.kind}`)} ${Number(parts[parts.length - 1]) + 1}`;
}

export default function TranslationsView({ context }: { context: DesignerContextValue }) {
  const { t } = useTranslation('designer');
  const { definition, updateDefinition } = context;
  const own = documentLocale(definition);
  const target = LOCALES.find((l) => l !== own) ?? 'zh-CN';
  const [filter, setFilter] = useState<'all' | 'missing'>('all');
  const entries = useMemo(() => listTexts(definition), [definition]);
  const missing = entries.filter((e) => e.missing.length).length;
  const shown = filter === 'missing' ? entries.filter((e) => e.missing.length) : entries;

  const setLocale = (locale: string) =>
    updateDefinition((d) => {
      const next: JsonObject = { ...d };
      if (locale === 'en') delete next.locale;
      else next.locale = locale;
      return next;
    });

  return (
    <div className="gd-translations">
      <Space wrap align="center" style={{ marginBottom: 12 }}>
        <label htmlFor="gd-doc-locale">{t('translations.authoredIn')}</label>
        <Radio.Group id="gd-doc-locale" value={own} onChange={(e) => setLocale(e.target.value)} optionType="button" options={LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] }))} />
        <Radio.Group value={filter} onChange={(e) => setFilter(e.target.value)} options={[{ value: 'all', label: t('translations.all', { count: entries.length }) }, { value: 'missing', label: t('translations.missingOnly', { count: missing }) }]} />
      </Space>
      {missing === 0 ? <Alert type="success" showIcon message={t('translations.complete')} /> : <Alert type="info" showIcon message={t('translations.missing', { count: missing, locale: LOCALE_NAMES[target] })} />}
      <Table<TextEntry>
        className="gd-translation-table"
        size="small"
        rowKey={(e) => `${e.pointer} ${e.property}`}
        dataSource={shown}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 640 }}
        columns={[
          {
            title: t('translations.where.title'),
            key: 'where',
            width: 180,
            render: (_, e) => (
              <span>
                {where(e, t as never)}
                <br />
                <Typography.Text type="secondary" className="gd-mono">
                  {e.property}
                </Typography.Text>
              </span>
            ),
          },
          { title: LOCALE_NAMES[own], key: 'text', render: (_, e) => (Array.isArray(e.text) ? e.text.join(' / ') : e.text) },
          {
            title: LOCALE_NAMES[target],
            key: 'translation',
            render: (_, e) => {
              const value = e.translations[target];
              const label = t('translations.inputLabel', { text: Array.isArray(e.text) ? e.text.join(' / ') : e.text, locale: LOCALE_NAMES[target] });
              if (Array.isArray(e.text)) {
                const list = Array.isArray(value) && value.length === e.text.length ? value : e.text.map(() => '');
                return (
                  <Space direction="vertical" style={{ width: '100%' }}>
                    {e.text.map((item, i) => (
                      <Input
                        key={i}
                        aria-label={`${label} (${i + 1}: ${item})`}
                        value={list[i]}
                        placeholder={item}
                        status={list[i] ? undefined : 'warning'}
                        onChange={(ev) => updateDefinition((d) => setTranslation(d, e.pointer, e.property, target, list.map((v, j) => (j === i ? ev.target.value : v))) as JsonObject, `tr:${e.pointer}:${e.property}`)}
                      />
                    ))}
                  </Space>
                );
              }
              return (
                <Input
                  aria-label={label}
                  value={typeof value === 'string' ? value : ''}
                  placeholder={e.text}
                  status={e.missing.includes(target) ? 'warning' : undefined}
                  onChange={(ev) => updateDefinition((d) => setTranslation(d, e.pointer, e.property, target, ev.target.value) as JsonObject, `tr:${e.pointer}:${e.property}`)}
                />
              );
            },
          },
          { title: '', key: 'state', width: 90, render: (_, e) => (e.missing.includes(target) ? <Tag color="orange">{t('translations.todo')}</Tag> : <Tag color="green">{t('translations.done')}</Tag>) },
        ]}
      />
    </div>
  );
}
