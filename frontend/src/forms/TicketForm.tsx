import CoreForm, { type FormProps } from '@rjsf/core';
import ArrayFieldItemTemplate from '@rjsf/antd/lib/templates/ArrayFieldItemTemplate/index.js';
import ArrayFieldTemplate from '@rjsf/antd/lib/templates/ArrayFieldTemplate/index.js';
import DescriptionField from '@rjsf/antd/lib/templates/DescriptionField/index.js';
import ErrorList from '@rjsf/antd/lib/templates/ErrorList/index.js';
import FieldErrorTemplate from '@rjsf/antd/lib/templates/FieldErrorTemplate/index.js';
import FieldTemplate from '@rjsf/antd/lib/templates/FieldTemplate/index.js';
import { AddButton, CopyButton, MoveDownButton, MoveUpButton, RemoveButton } from '@rjsf/antd/lib/templates/IconButton/index.js';
import SubmitButton from '@rjsf/antd/lib/templates/SubmitButton/index.js';
import TitleField from '@rjsf/antd/lib/templates/TitleField/index.js';
import WrapIfAdditionalTemplate from '@rjsf/antd/lib/templates/WrapIfAdditionalTemplate/index.js';
import CheckboxesWidget from '@rjsf/antd/lib/widgets/CheckboxesWidget/index.js';
import CheckboxWidget from '@rjsf/antd/lib/widgets/CheckboxWidget/index.js';
import PasswordWidget from '@rjsf/antd/lib/widgets/PasswordWidget/index.js';
import RadioWidget from '@rjsf/antd/lib/widgets/RadioWidget/index.js';
import SelectWidget from '@rjsf/antd/lib/widgets/SelectWidget/index.js';
import TextareaWidget from '@rjsf/antd/lib/widgets/TextareaWidget/index.js';
import type { ErrorSchema, RJSFSchema, UiSchema, WidgetProps } from '@rjsf/utils';
import { Button } from 'antd';
import { lazy, Suspense, useMemo, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useReadOnly } from '../auth/AuthContext';
import { fieldState, lockedState, type FieldRule, type FieldState, type Json } from '../rules/logic';
import AttachmentWidget from './AttachmentWidget';
import BaseInputTemplate from './BaseInputTemplate';
import LayoutTemplate from './LayoutTemplate';
import { normalizeData } from './normalize';
import { createValidator, type MessageFor } from './validator';

type Data = Record<string, unknown>;

// The antd theme of react-jsonschema-form, assembled from its parts so that what a ticket form does
// not need stays out of the portal: date and date-time fields use the browser's native inputs
// (better on phones) instead of antd's DatePicker, and numbers a native number input (our
// BaseInputTemplate) instead of antd's InputNumber.
// The person picker and the signature pad load when a form has one: most forms do not, and the portal's
// first load stays inside its budget.
const LazyPerson = lazy(() => import('./DesignerWidgets').then((m) => ({ default: m.PersonWidget })));
const LazySignature = lazy(() => import('./DesignerWidgets').then((m) => ({ default: m.SignatureWidget })));
function PersonWidget(props: WidgetProps) {
  return <Suspense fallback={null}><LazyPerson {...props} /></Suspense>;
}
function SignatureWidget(props: WidgetProps) {
  return <Suspense fallback={null}><LazySignature {...props} /></Suspense>;
}

const THEME = {
  templates: {
    ArrayFieldItemTemplate,
    ArrayFieldTemplate,
    BaseInputTemplate,
    ButtonTemplates: { AddButton, CopyButton, MoveDownButton, MoveUpButton, RemoveButton, SubmitButton },
    DescriptionFieldTemplate: DescriptionField,
    ErrorListTemplate: ErrorList,
    FieldErrorTemplate,
    FieldTemplate,
    ObjectFieldTemplate: LayoutTemplate,
    TitleFieldTemplate: TitleField,
    WrapIfAdditionalTemplate,
  },
  widgets: { CheckboxesWidget, CheckboxWidget, PasswordWidget, RadioWidget, SelectWidget, TextareaWidget, attachment: AttachmentWidget, person: PersonWidget, signature: SignatureWidget },
};

/**
 * rjsf's Form, whose registry names the root schema of the state it renders. rjsf 5 takes a new schema
 * into its state one render late (getSnapshotBeforeUpdate, then setState): with the new schema in the
 * registry already, that first render re-rendered every field with the old state, for nothing. With the
 * state's schema, the first render finds every field unchanged, and only the second does the work: a
 * form whose schema changes (rules showing a field, the designer's preview) renders its fields once.
 */
class ConsistentForm extends CoreForm {
  override getRegistry() {
    return { ...super.getRegistry(), rootSchema: this.state.schema };
  }
}

function Form(props: Omit<FormProps, 'templates' | 'widgets'>) {
  return <ConsistentForm {...props} templates={THEME.templates} widgets={THEME.widgets} />;
}

/** What field rules see: form data at the top level and the ticket's attributes under `ticket` (runtime/rules/context.py). */
export function ruleContext(data: Data, ticket: Record<string, unknown>): Json {
  return { ...data, ticket: { ...ticket, data } } as Json;
}

/** The schema and UI schema the user sees for this field state: hidden fields removed, requirements from the rules,
 * fields a rule makes read-only shown read-only (`ui:readonly`). */
export function effectiveForm(
  schema: Record<string, unknown>,
  ui: Record<string, unknown>,
  state: FieldState,
  omit: string[] = [],
): { schema: RJSFSchema; ui: UiSchema } {
  const properties = { ...((schema.properties ?? {}) as Record<string, Record<string, unknown>>) };
  const uiOut: Record<string, unknown> = { ...ui };
  for (const name of Object.keys(properties)) {
    if (state.hidden.includes(name) || omit.includes(name)) {
      delete properties[name];
      continue;
    }
    const prop = properties[name]!;
    if (state.readonly.includes(name)) uiOut[name] = { ...((uiOut[name] as object) ?? {}), 'ui:readonly': true };
    const items = prop.items as Record<string, unknown> | undefined;
    const widget = (ui[name] as Record<string, unknown> | undefined)?.['ui:widget'];
    if ((prop.format === 'attachment' || (prop.type === 'array' && items?.format === 'attachment')) && widget !== 'signature') {
      uiOut[name] = { ...((uiOut[name] as object) ?? {}), 'ui:widget': 'attachment' };
    }
  }
  const order = ui['ui:order'];
  if (Array.isArray(order)) uiOut['ui:order'] = order.filter((n) => n === '*' || n in properties).concat(order.includes('*') ? [] : ['*']);
  const required = state.required.filter((name) => name in properties);
  return { schema: { ...(schema as RJSFSchema), properties, required } as RJSFSchema, ui: uiOut as UiSchema };
}

/** Only the data of fields that are shown (the server drops hidden fields too). */
export function visibleData(data: Data, state: FieldState): Data {
  return Object.fromEntries(Object.entries(data).filter(([name]) => !state.hidden.includes(name)));
}

export function useMessageFor(): MessageFor {
  const { t } = useTranslation();
  return useMemo<MessageFor>(
    () => (keyword, params) => {
      const title = typeof params.title === 'string' ? params.title : '';
      const limit = params.limit;
      switch (keyword) {
        case 'required':
          return t('formErrors.required', { title });
        case 'pattern':
          return t('formErrors.pattern', { title: title || t('formErrors.thisField') });
        case 'minLength':
          return t('formErrors.minLength', { count: Number(limit) });
        case 'maxLength':
          return t('formErrors.maxLength', { count: Number(limit) });
        case 'maxItems':
          return t('formErrors.maxItems', { count: Number(limit) });
        case 'minItems':
          return t('formErrors.minItems', { count: Number(limit) });
        case 'enum':
        case 'const':
          return t('formErrors.enum');
        case 'format':
          return t('formErrors.format');
        case 'minimum':
        case 'exclusiveMinimum':
          return t('formErrors.minimum', { limit: String(limit) });
        case 'maximum':
        case 'exclusiveMaximum':
          return t('formErrors.maximum', { limit: String(limit) });
        case 'type':
          return t('formErrors.type');
        default:
          return t('formErrors.invalid');
      }
    },
    [t],
  );
}

interface TicketFormProps {
  schema: Record<string, unknown>;
  ui: Record<string, unknown>;
  rules: FieldRule[];
  /** The `ticket` object rules see (from the portal form endpoint, or the ticket itself). */
  ticket: Record<string, unknown>;
  data: Data;
  onChange: (data: Data, state: FieldState) => void;
  onSubmit: (data: Data) => void;
  /** Errors from the server, by field. */
  serverErrors?: ErrorSchema;
  submitLabel: string;
  submitting?: boolean;
  omit?: string[];
  extraButtons?: ReactNode;
  idPrefix?: string;
  /** Editing a ticket: its data as saved. A field stays read-only while a rule makes it so for the saved data
   * or for the data being edited, as the server decides (runtime/rules/definition.py, `readonly_changes`). */
  saved?: Data;
  /** A read-only preview (the templates page): every field disabled, no buttons. */
  disabled?: boolean;
}


/**
 * A ticket form generated from the published JSON Schema and UI schema, with the definition's
 * field rules evaluated as the user types by the same JsonLogic semantics as the server.
 */
export default function TicketForm(props: TicketFormProps) {
  const { schema, ui, rules, ticket, data, onChange, onSubmit, serverErrors, submitLabel, submitting, omit, extraButtons, idPrefix, saved, disabled } = props;
  const messageFor = useMessageFor();
  const readOnly = useReadOnly();
  const validator = useMemo(() => createValidator<Data>(messageFor), [messageFor]);
  const submitted = useRef(false);
  const savedState = useMemo(() => (saved ? fieldState(schema, rules, ruleContext(saved, ticket)) : null), [schema, rules, saved, ticket]);
  const state = useMemo(() => lockedState(fieldState(schema, rules, ruleContext(data, ticket)), savedState), [schema, rules, data, ticket, savedState]);
  const effective = useMemo(() => effectiveForm(schema, ui, state, omit), [schema, ui, state, omit]);

  return (
    <Form
      schema={effective.schema}
      uiSchema={{ ...effective.ui, 'ui:submitButtonOptions': { norender: true } }}
      formData={data}
      validator={validator}
      idPrefix={idPrefix ?? 'root'}
      disabled={disabled}
      showErrorList={false}
      noHtml5Validate
      liveValidate={submitted.current}
      extraErrors={serverErrors}
      focusOnFirstError
      // a choice written as oneOf [{const, title}] must start empty, not as its first option
      experimental_defaultFormStateBehavior={{ constAsDefaults: 'never' }}
      formContext={{ descriptionLocation: 'below' }}
      onChange={(event) => {
        const next = (event.formData ?? {}) as Data;
        const nextState = fieldState(schema, rules, ruleContext(next, ticket));
        onChange(visibleData(next, nextState), nextState);
      }}
      onError={() => {
        submitted.current = true;
      }}
      onSubmit={(event) => {
        submitted.current = true;
        onSubmit(visibleData(normalizeData((event.formData ?? {}) as Data), state));
      }}
    >
      {disabled ? <></> : (
        <div className="gd-form-buttons">
          <Button type="primary" htmlType="submit" loading={submitting} disabled={readOnly}>
            {submitLabel}
          </Button>
          {extraButtons}
        </div>
      )}
    </Form>
  );
}

/** Server error details ("/data/asset_tag") as an rjsf error schema, and the messages that fit no field. */
export function serverErrorSchema(
  details: { path?: string; message: string }[],
  prefix: string,
  fields: string[],
): { errorSchema: ErrorSchema; unplaced: string[] } {
  const errorSchema: Record<string, { __errors: string[] }> = {};
  const unplaced: string[] = [];
  for (const detail of details) {
    const path = detail.path ?? '';
    const rest = path.startsWith(prefix) ? path.slice(prefix.length).replace(/^\//, '') : null;
    const name = rest ? decodeURIComponent(rest.split('/')[0]!.replace(/~1/g, '/').replace(/~0/g, '~')) : null;
    if (name && fields.includes(name)) {
      errorSchema[name] = { __errors: [...(errorSchema[name]?.__errors ?? []), detail.message] };
    } else {
      unplaced.push(detail.message);
    }
  }
  return { errorSchema: errorSchema as ErrorSchema, unplaced };
}
