import { describe, expect, it } from 'vitest';
import itIncident from '../../../../templates_library/it_service_desk/it-incident.json';
import itRequest from '../../../../templates_library/it_service_desk/it-request.json';
import { displayOrder, expandOrder, formFromDefinition, formToDefinition, type FormModel } from './form';
import { clone, jsonEqual, type Json, type JsonObject } from './json';
import { advancedParts, choicesOf, detectKind, FIELD_KINDS, newField, withChoices, type PaletteKind } from './kinds';
import { addColumns, addField, addSection, duplicateField, move, removeField, renameField, renameInDefinition, setSchemaKeyword, setUiOption, updateField, updateSection, dissolve } from './ops';

const roundTrip = (form: Json) => formToDefinition(formFromDefinition(form));

function blank(): FormModel {
  return formFromDefinition({ schema: { type: 'object', properties: {} }, ui: {} });
}

describe('field kinds', () => {
  it.each(FIELD_KINDS)('a new %s field is recognised as what it is', (kind) => {
    const { schema, ui } = newField(kind, 'Label');
    expect(detectKind(schema, ui)).toBe(kind);
    expect(advancedParts(kind, schema, ui)).toEqual({ schema: {}, ui: {} });
  });

  it.each(FIELD_KINDS)('a form with one %s field survives a round trip', (kind) => {
    const { model } = addField(blank(), kind as PaletteKind, 'The field', { container: { kind: 'root' }, index: 0 });
    const form = formToDefinition(model);
    expect(roundTrip(form)).toEqual(form);
    expect(formFromDefinition(form).fields.the_field!.kind).toBe(kind);
  });

  it('recognises forms written by hand', () => {
    expect(detectKind({ enum: ['high', 'low'] }, {})).toBe('select');
    expect(detectKind({ type: 'string', enum: ['a'] }, { 'ui:widget': 'radio' })).toBe('radio');
    expect(detectKind({ type: 'integer' }, {})).toBe('number');
    expect(detectKind({ type: 'number' }, { 'ui:options': { currency: 'USD' } })).toBe('money');
    expect(detectKind({ type: 'string', format: 'attachment' }, {})).toBe('attachments');
    expect(detectKind({ type: 'array', items: { type: 'string', format: 'attachment' } }, {})).toBe('attachments');
    expect(detectKind({ type: 'array', uniqueItems: true, items: { enum: ['a', 'b'] } }, {})).toBe('multiselect');
    expect(detectKind({ type: 'boolean' }, {})).toBe('yesno');
  });

  it('calls anything else advanced', () => {
    expect(detectKind({ type: 'object', properties: { city: { type: 'string' } } }, {})).toBe('advanced');
    expect(detectKind({ type: 'string' }, { 'ui:widget': 'color' })).toBe('advanced');
    expect(detectKind({ type: 'string', format: 'uri' }, {})).toBe('advanced');
    expect(detectKind({ type: ['string', 'null'] }, {})).toBe('advanced');
    expect(detectKind({ $ref: '#/$defs/address' }, {})).toBe('advanced');
  });

  it('lists keywords it does not edit as advanced, and keeps them', () => {
    const schema = { type: 'string', title: 'Code', maxLength: 10, 'x-sap-field': 'MATNR', contentMediaType: 'text/plain' };
    const ui = { 'ui:autofocus': true, 'ui:options': { inputType: 'tel', rows: 3 } };
    expect(advancedParts('text', schema, ui)).toEqual({
      schema: { 'x-sap-field': 'MATNR', contentMediaType: 'text/plain' },
      ui: { 'ui:autofocus': true, 'ui:options.rows': 3 },
    });
  });
});

describe('choices', () => {
  it('reads enum + ui:enumNames and oneOf const/title', () => {
    expect(choicesOf({ enum: ['a', 'b'] }, { 'ui:enumNames': ['A', 'B'] })).toEqual([{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }]);
    expect(choicesOf({ oneOf: [{ const: 'x', title: 'X' }] })).toEqual([{ value: 'x', label: 'X' }]);
    expect(choicesOf({ type: 'array', items: { enum: ['p'] } })).toEqual([{ value: 'p', label: 'p' }]);
  });

  it('writes new choices in the form the field already uses, keeping translations of kept options', () => {
    const schema: JsonObject = { type: 'string', oneOf: [{ const: 'a', title: 'A', i18n: { 'zh-CN': { title: '甲' } } }, { const: 'b', title: 'B' }] };
    const next = withChoices(schema, {}, [{ value: 'b', label: 'Bee' }, { value: 'a', label: 'A' }, { value: 'c', label: 'C' }]);
    expect(next.schema.oneOf).toEqual([{ const: 'b', title: 'Bee' }, { const: 'a', title: 'A', i18n: { 'zh-CN': { title: '甲' } } }, { const: 'c', title: 'C' }]);
    const en = withChoices({ type: 'string', enum: ['a'] }, { 'ui:enumNames': ['A'], i18n: { 'zh-CN': { 'ui:enumNames': ['甲'], 'ui:help': '帮助' } } }, [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }]);
    expect(en.schema).toEqual({ type: 'string', enum: ['a', 'b'] });
    expect(en.ui).toEqual({ 'ui:enumNames': ['A', 'B'], i18n: { 'zh-CN': { 'ui:help': '帮助' } } });
  });

  it('edits the choices of a multiple choice field inside items', () => {
    const { schema, ui } = newField('multiselect', 'Tags');
    const next = withChoices(schema, ui, [{ value: 'x', label: 'X' }]);
    expect((next.schema.items as JsonObject).oneOf).toEqual([{ const: 'x', title: 'X' }]);
    expect(detectKind(next.schema, next.ui)).toBe('multiselect');
  });
});

describe('round trips of whole forms', () => {
  it.each([
    ['it-incident', itIncident.form],
    ['it-request', itRequest.form],
  ])('the %s template form comes back equal', (_name, form) => {
    expect(roundTrip(form as Json)).toEqual(form);
  });

  it('keeps an imported schema with keywords and widgets the designer does not know, and a later edit keeps them too', () => {
    const form: JsonObject = {
      schema: {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: 'https://example.com/forms/repair',
        type: 'object',
        title: 'Repair',
        additionalProperties: false,
        $defs: { address: { type: 'object', properties: { city: { type: 'string' }, street: { type: 'string' } }, required: ['city'] } },
        required: ['serial', 'site'],
        properties: {
          serial: { type: 'string', title: 'Serial', pattern: '^SN\\d+$', 'x-erp-field': 'SERNR', examples: ['SN123'] },
          site: { $ref: '#/$defs/address', title: 'Site' },
          colour: { type: 'string', title: 'Colour' },
          count: { type: 'integer', title: 'Count', multipleOf: 5, exclusiveMaximum: 100 },
          when: { type: 'string', format: 'date', formatMinimum: '2020-01-01' },
        },
        allOf: [{ if: { properties: { count: { const: 0 } } }, then: { required: ['colour'] } }],
        dependentRequired: { colour: ['count'] },
      },
      ui: {
        'ui:order': ['serial', '*', 'when'],
        'ui:rootFieldId': 'repair',
        colour: { 'ui:widget': 'color', 'ui:autofocus': true },
        count: { 'ui:widget': 'updown' },
        legacy_field: { 'ui:widget': 'hidden' },
      },
      field_rules: [{ when: { '==': [{ var: 'count' }, 0] }, require: ['colour'], 'x-note': 'kept' }],
      'x-source': 'SAP',
    };
    const model = formFromDefinition(form);
    expect(model.fields.colour!.kind).toBe('advanced');
    expect(model.fields.site!.kind).toBe('advanced');
    expect(model.fields.serial!.kind).toBe('text');
    expect(displayOrder(model.layout)).toEqual(['serial', 'site', 'colour', 'count', 'when']);
    expect(formToDefinition(model)).toEqual(form);

    const edited = updateField(model, 'serial', (f) => setSchemaKeyword(f, 'title', 'Serial number'));
    const out = formToDefinition(edited);
    expect((out.schema as JsonObject).properties).toMatchObject({ serial: { type: 'string', title: 'Serial number', pattern: '^SN\\d+$', 'x-erp-field': 'SERNR', examples: ['SN123'] } });
    const expected = clone(form);
    ((expected.schema as JsonObject).properties as JsonObject).serial = { ...(((form.schema as JsonObject).properties as JsonObject).serial as JsonObject), title: 'Serial number' };
    expect(out).toEqual(expected);
  });

  it('keeps the key order of what it does not change', () => {
    const form = { schema: { type: 'object', required: ['b'], properties: { b: { type: 'string', title: 'B' }, a: { type: 'string' } } }, ui: { 'ui:order': ['a', 'b'] } };
    expect(JSON.stringify(roundTrip(form))).toBe(JSON.stringify(form));
  });

  it('writes ui:order only when needed, and the full order when fields move', () => {
    const form = { schema: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } } } };
    expect(roundTrip(form)).toEqual(form);
    const moved = move(formFromDefinition(form), 'b', { container: { kind: 'root' }, index: 0 });
    expect(formToDefinition(moved).ui).toEqual({ 'ui:order': ['b', 'a'] });
  });

  it('a form without properties or ui', () => {
    expect(roundTrip({ schema: { type: 'object' } })).toEqual({ schema: { type: 'object', properties: {} } });
    expect(roundTrip({})).toEqual({ schema: { type: 'object', properties: {} } });
  });
});

describe('sections and two columns', () => {
  function repairForm(): FormModel {
    let model = blank();
    for (const [kind, label] of [['select', 'Product'], ['text', 'Serial number'], ['date', 'Purchase date'], ['yesno', 'Under warranty'], ['textarea', 'Fault description']] as const) {
      model = addField(model, kind, label, { container: { kind: 'root' }, index: 99 }).model;
    }
    return model;
  }

  it('groups fields in sections and columns in the UI schema only; the data stays flat', () => {
    let model = repairForm();
    const section = addSection(model, 'Device', 0);
    model = section.model;
    model = move(model, 'product', { container: { kind: 'section', id: section.id }, index: 0 });
    const row = addColumns(model, { container: { kind: 'section', id: section.id }, index: 1 });
    model = row.model;
    model = move(model, 'serial_number', { container: { kind: 'column', id: row.id, col: 0 }, index: 0 });
    model = move(model, 'purchase_date', { container: { kind: 'column', id: row.id, col: 1 }, index: 0 });
    model = updateSection(model, section.id, { title: 'Device', extra: { i18n: { 'zh-CN': { title: '设备' } } } });
    const form = formToDefinition(model);
    const schema = form.schema as JsonObject;
    expect(Object.keys(schema.properties as JsonObject)).toEqual(['product', 'serial_number', 'purchase_date', 'under_warranty', 'fault_description']);
    expect((form.ui as JsonObject)['ui:order']).toEqual(['product', 'serial_number', 'purchase_date', 'under_warranty', 'fault_description']);
    expect((form.ui as JsonObject)['ui:layout']).toEqual([
      { section: 'device', title: 'Device', items: ['product', { columns: [['serial_number'], ['purchase_date']] }], i18n: { 'zh-CN': { title: '设备' } } },
      'under_warranty',
      'fault_description',
    ]);
    expect(roundTrip(form)).toEqual(form);
    const again = formFromDefinition(form);
    expect(again.layout[0]).toMatchObject({ type: 'section', id: 'device', title: 'Device' });
  });

  it('dissolving a section or a row keeps its fields where they were', () => {
    let model = repairForm();
    const section = addSection(model, 'Device', 1);
    model = move(section.model, 'purchase_date', { container: { kind: 'section', id: section.id }, index: 0 });
    model = move(model, 'serial_number', { container: { kind: 'section', id: section.id }, index: 1 });
    expect(displayOrder(model.layout)).toEqual(['product', 'purchase_date', 'serial_number', 'under_warranty', 'fault_description']);
    const flat = dissolve(model, section.id);
    expect(flat.layout).toEqual(['product', 'purchase_date', 'serial_number', 'under_warranty', 'fault_description']);
    expect((formToDefinition(flat).ui as JsonObject)['ui:layout']).toBeUndefined();
  });

  it('places fields the layout forgets at the end, and drops layout entries that name no field', () => {
    const form = {
      schema: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' }, c: { type: 'string' } } },
      ui: { 'ui:order': ['c', 'a', 'b'], 'ui:layout': [{ section: 's', title: 'S', items: ['a', 'ghost', 'a'] }, 'nope'] },
    };
    const model = formFromDefinition(form);
    expect(displayOrder(model.layout)).toEqual(['a', 'c', 'b']);
  });
});

describe('repeating tables', () => {
  it('edits columns as fields and writes them into items', () => {
    let { model } = addField(blank(), 'table', 'Spare parts', { container: { kind: 'root' }, index: 0 });
    const part = newField('text', 'Part number');
    const qty = newField('number', 'Quantity');
    model = updateField(model, 'spare_parts', (f) => ({
      ...f,
      columns: [
        { key: 'part_number', kind: 'text', schema: part.schema, ui: part.ui, required: true },
        { key: 'quantity', kind: 'number', schema: { ...qty.schema, minimum: 1 }, ui: {}, required: false },
      ],
    }));
    const form = formToDefinition(model);
    expect((form.schema as JsonObject).properties).toEqual({
      spare_parts: {
        type: 'array',
        title: 'Spare parts',
        items: { type: 'object', properties: { part_number: part.schema, quantity: { type: 'number', title: 'Quantity', minimum: 1 } }, required: ['part_number'] },
      },
    });
    expect(roundTrip(form)).toEqual(form);
    expect(formFromDefinition(form).fields.spare_parts!.columns!.map((c) => [c.key, c.kind, c.required])).toEqual([
      ['part_number', 'text', true],
      ['quantity', 'number', false],
    ]);
  });

  it('keeps an imported table with extra keywords and column order', () => {
    const form = {
      schema: {
        type: 'object',
        properties: {
          parts: {
            type: 'array',
            minItems: 1,
            items: { type: 'object', additionalProperties: false, properties: { qty: { type: 'integer' }, no: { type: 'string', 'x-k': 1 } }, required: ['no'] },
          },
        },
      },
      ui: { parts: { items: { 'ui:order': ['no', 'qty'], qty: { 'ui:widget': 'updown' } }, 'ui:options': { orderable: false } } },
    };
    const model = formFromDefinition(form);
    expect(model.fields.parts!.kind).toBe('table');
    expect(model.fields.parts!.columns!.map((c) => c.key)).toEqual(['no', 'qty']);
    expect(formToDefinition(model)).toEqual(form);
  });
});

describe('editing', () => {
  it('removing a field takes it out of required, the layout and the rules', () => {
    const form: JsonObject = {
      schema: { type: 'object', required: ['a', 'b'], properties: { a: { type: 'string' }, b: { type: 'string' }, c: { type: 'string' } } },
      ui: { 'ui:order': ['a', 'b', 'c'], b: { 'ui:help': 'x' } },
      field_rules: [
        { when: { '==': [{ var: 'a' }, 'x'] }, show: ['b'], require: ['b', 'c'] },
        { when: true, hide: ['b'] },
      ],
    };
    const out = formToDefinition(removeField(formFromDefinition(form), 'b'));
    expect(out).toEqual({
      schema: { type: 'object', required: ['a'], properties: { a: { type: 'string' }, c: { type: 'string' } } },
      ui: { 'ui:order': ['a', 'c'] },
      field_rules: [{ when: { '==': [{ var: 'a' }, 'x'] }, require: ['c'] }],
    });
  });

  it('renaming a key follows it into rules, the layout and the rest of the definition', () => {
    const form = {
      schema: { type: 'object', required: ['mode'], properties: { mode: { type: 'string', enum: ['on_site', 'remote'] }, address: { type: 'string' } } },
      ui: { 'ui:order': ['mode', 'address'], mode: { 'ui:widget': 'radio' } },
      field_rules: [{ when: { '==': [{ var: 'mode' }, 'on_site'] }, show: ['address'], require: ['address'] }],
    };
    const out = formToDefinition(renameField(formFromDefinition(form), 'mode', 'service_mode'));
    expect(out).toEqual({
      schema: { type: 'object', required: ['service_mode'], properties: { service_mode: { type: 'string', enum: ['on_site', 'remote'] }, address: { type: 'string' } } },
      ui: { 'ui:order': ['service_mode', 'address'], service_mode: { 'ui:widget': 'radio' } },
      field_rules: [{ when: { '==': [{ var: 'service_mode' }, 'on_site'] }, show: ['address'], require: ['address'] }],
    });
    const doc: JsonObject = {
      routing: [{ name: 'r', when: { in: [{ var: 'mode' }, ['x']] } }],
      priority: { matrix: { by: ['mode'], cells: {} } },
      workflow: { states: [], transitions: [{ key: 't', require: ['mode', 'comment'], guard: { '!!': { var: 'mode.sub' } } }] },
      charts: [{ key: 'c', dimensions: ['mode'], measures: [{ agg: 'count' }, { agg: 'sum', field: 'mode' }] }],
    };
    expect(renameInDefinition(doc, 'mode', 'service_mode')).toEqual({
      routing: [{ name: 'r', when: { in: [{ var: 'service_mode' }, ['x']] } }],
      priority: { matrix: { by: ['service_mode'], cells: {} } },
      workflow: { states: [], transitions: [{ key: 't', require: ['service_mode', 'comment'], guard: { '!!': { var: 'service_mode.sub' } } }] },
      charts: [{ key: 'c', dimensions: ['service_mode'], measures: [{ agg: 'count' }, { agg: 'sum', field: 'service_mode' }] }],
    });
  });

  it('renaming keeps the rules that do not name the field as they are (the same objects)', () => {
    const form = {
      schema: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'boolean' }, c: { type: 'string' } } },
      field_rules: [{ when: { '==': [{ var: 'b' }, true] }, show: ['c'] }],
    };
    const model = formFromDefinition(form);
    const renamed = renameField(model, 'a', 'alpha');
    expect(renamed.rules).toBe(model.rules);
    const touching = renameField(model, 'c', 'gamma');
    expect(touching.rules).not.toBe(model.rules);
    expect(touching.rules).toEqual([{ when: { '==': [{ var: 'b' }, true] }, show: ['gamma'] }]);
  });

  it('expands an order with a star and duplicates as before, at the size of a big form', () => {
    const keys = Array.from({ length: 300 }, (_, i) => `f${i}`);
    expect(expandOrder(['f2', '*', 'f1', 'f2', 'nope'], ['f1', 'f2', 'f3'])).toEqual(['f2', 'f3', 'f1']);
    expect(expandOrder(['f3', 'f3', 'f1'], ['f1', 'f2', 'f3'])).toEqual(['f3', 'f1', 'f2']);
    const reversed = [...keys].reverse();
    expect(expandOrder(reversed, keys)).toEqual(reversed);
    const model = formFromDefinition({ schema: { type: 'object', properties: Object.fromEntries(keys.map((k) => [k, { type: 'string' }])) }, ui: { 'ui:order': reversed } });
    expect(formToDefinition(model)).toEqual({ schema: { type: 'object', properties: Object.fromEntries(keys.map((k) => [k, { type: 'string' }])) }, ui: { 'ui:order': reversed } });
  });

  it('gives new fields readable unique keys, Chinese labels included', () => {
    let model = blank();
    const keys: string[] = [];
    for (const label of ['Title', 'Title', '序列号', '', 'Comment', '2nd contact']) {
      const added = addField(model, 'text', label, { container: { kind: 'root' }, index: 99 });
      model = added.model;
      keys.push(added.key);
    }
    expect(keys).toEqual(['title', 'title_2', 'xu_lie_hao', 'field', 'comment_2', 'field_2nd_contact']);
  });

  it('required and options edits', () => {
    let { model } = addField(blank(), 'money', 'Cost', { container: { kind: 'root' }, index: 0 });
    model = updateField(model, 'cost', (f) => ({ ...setUiOption(f, 'ui:options.currency', 'USD'), required: true }));
    model = updateField(model, 'cost', (f) => setUiOption(f, 'ui:placeholder', '0.00'));
    const form = formToDefinition(model);
    expect(form.schema).toEqual({ type: 'object', properties: { cost: { type: 'number', title: 'Cost', minimum: 0 } }, required: ['cost'] });
    expect(form.ui).toEqual({ cost: { 'ui:options': { currency: 'USD', decimals: 2 }, 'ui:placeholder': '0.00' } });
    model = updateField(model, 'cost', (f) => setUiOption(setUiOption(f, 'ui:options.currency', undefined), 'ui:options.decimals', undefined));
    expect(model.fields.cost!.kind).toBe('number');
  });

  it('duplicates a field just after itself', () => {
    const { model } = addField(blank(), 'email', 'Email', { container: { kind: 'root' }, index: 0 });
    const copy = duplicateField(model, 'email');
    expect(copy.key).toBe('email_2');
    expect(displayOrder(copy.model.layout)).toEqual(['email', 'email_2']);
    expect(jsonEqual(copy.model.fields.email_2!.schema, model.fields.email!.schema)).toBe(true);
  });
});
