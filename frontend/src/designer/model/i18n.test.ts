import { describe, expect, it } from 'vitest';
import cases from '../../../../tests/support/i18n/localize-cases.json';
import { clone, type Json } from './json';
import { listTexts, localizeDefinition, missingTranslations, setTranslation } from './i18n';

describe('localizeDefinition (the cases the server runs too)', () => {
  it.each(cases.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const before = clone(c.document) as unknown as Json;
    expect(localizeDefinition(c.document as unknown as Json, c.locale)).toEqual(c.expected);
    expect(c.document).toEqual(before); // the input is not changed
  });
});

describe('listTexts and missingTranslations', () => {
  const doc: Json = {
    name: 'After-sales repair',
    form: {
      schema: {
        type: 'object',
        properties: {
          product: { type: 'string', title: 'Product', oneOf: [{ const: 'a', title: 'Washer', i18n: { 'zh-CN': { title: '洗衣机' } } }, { const: 'b', title: 'Dryer' }] },
          address: { type: 'string', title: 'Address', i18n: { 'zh-CN': { title: '地址' } } },
        },
      },
      ui: { address: { 'ui:help': 'Street and number', 'ui:enumNames': ['', ''] }, 'ui:layout': [{ section: 's', title: 'Where', items: [] }] },
    },
    workflow: { states: [{ key: 'new', name: 'New' }], transitions: [{ key: 'r', name: 'Resolve', checklist: ['One', 'Two'], i18n: { 'zh-CN': { name: '解决', checklist: ['一', ''] } } }] },
  };

  it('lists every authored text with its translations, in reading order', () => {
    const texts = listTexts(doc);
    expect(texts.map((t) => `${t.pointer} ${t.property}`)).toEqual([
      ' name',
      '/form/schema/properties/product title',
      '/form/schema/properties/product/oneOf/0 title',
      '/form/schema/properties/product/oneOf/1 title',
      '/form/schema/properties/address title',
      '/form/ui/address ui:help',
      '/form/ui/ui:layout/0 title',
      '/workflow/states/0 name',
      '/workflow/transitions/0 name',
      '/workflow/transitions/0 checklist',
    ]);
    expect(texts[2]).toMatchObject({ text: 'Washer', translations: { 'zh-CN': '洗衣机' }, missing: [] });
  });

  it('says what is missing: absent, empty, or a list item left empty', () => {
    expect(missingTranslations(doc).map((t) => `${t.pointer} ${t.property}`)).toEqual([
      ' name',
      '/form/schema/properties/product title',
      '/form/schema/properties/product/oneOf/1 title',
      '/form/ui/address ui:help',
      '/form/ui/ui:layout/0 title',
      '/workflow/states/0 name',
      '/workflow/transitions/0 checklist',
    ]);
  });

  it('a Chinese document misses English', () => {
    const zh: Json = { locale: 'zh-CN', name: '售后维修' };
    expect(missingTranslations(zh)).toEqual([{ pointer: '', property: 'name', kind: 'document', text: '售后维修', translations: { en: undefined }, missing: ['en'] }]);
    expect(missingTranslations(setTranslation(zh, '', 'name', 'en', 'After-sales repair'))).toEqual([]);
  });

  it('sets and clears translations, copying only the path', () => {
    const set = setTranslation(doc, '/workflow/states/0', 'name', 'zh-CN', '新建') as Record<string, Json>;
    expect((set.workflow as { states: Json[] }).states[0]).toEqual({ key: 'new', name: 'New', i18n: { 'zh-CN': { name: '新建' } } });
    expect(set.form).toBe((doc as Record<string, Json>).form);
    const cleared = setTranslation(set, '/workflow/states/0', 'name', 'zh-CN', '') as Record<string, Json>;
    expect((cleared.workflow as { states: Json[] }).states[0]).toEqual({ key: 'new', name: 'New' });
    const list = setTranslation(doc, '/workflow/transitions/0', 'checklist', 'zh-CN', ['一', '二']);
    expect(missingTranslations(list).map((t) => t.property)).not.toContain('checklist');
  });
  it("lists a chart's measure labels after its title, and translates them", () => {
    const charts: Json = {
      charts: [{ key: 'c', title: 'Backlog', type: 'bar', measures: [{ agg: 'count', label: 'Incidents' }, { agg: 'avg', field: 'ticket.age_hours' }], i18n: { 'zh-CN': { title: '积压' } } }],
    };
    expect(listTexts(charts).map((t) => `${t.pointer} ${t.property} ${t.kind}`)).toEqual(['/charts/0 title chart', '/charts/0/measures/0 label measure']);
    expect(missingTranslations(charts).map((t) => t.pointer)).toEqual(['/charts/0/measures/0']);
    const set = setTranslation(charts, '/charts/0/measures/0', 'label', 'zh-CN', '故障数');
    expect(missingTranslations(set)).toEqual([]);
    const chart = (localizeDefinition(set, 'zh-CN') as { charts: { title: string; measures: { label?: string }[] }[] }).charts[0];
    expect([chart.title, ...chart.measures.map((m) => m.label)]).toEqual(['积压', '故障数', undefined]);
  });
});
