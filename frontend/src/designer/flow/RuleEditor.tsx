// The rule editor the flow editors use for guards, conditions and overrides. The designer page
// injects the shared JsonLogic rule builder (src/designer/rules/) through <RuleEditorProvider>
// (designer/FlowTab.tsx); wherever none is given, a JSON text area checked as it is typed: by the
// browser's rule engine (same semantics as the server's), then by the server
// (POST /api/v1/logic/evaluate), which refuses what the engine does not allow.
import { useFlowT } from './useFlowT';
import { Input, Typography } from 'antd';
import { createContext, useContext, useEffect, useId, useRef, useState, type ComponentType } from 'react';
import { ApiError } from '../../api';
import { compileRule, RuleError, type Json } from '../../rules/logic';
import { flowApi } from './flowApi';
import './i18n';

/** A field a rule may read, for the rule builder's field list. */
export interface RuleField {
  /** The variable name: a form field ("category") or a ticket attribute ("ticket.requester.tags"). */
  name: string;
  label: string;
  type: 'text' | 'number' | 'boolean' | 'select' | 'multiselect' | 'date';
  /** Fixed values, for select fields. */
  values?: { value: string; label: string }[];
}

export interface RuleEditorProps {
  value: Json | undefined;
  onChange: (rule: Json) => void;
  fields: RuleField[];
  /** Whether the rule may read ticket.* (true everywhere but form field rules). */
  allowTicketContext?: boolean;
  /** The accessible name of the editor. */
  'aria-label'?: string;
  id?: string;
}

const RuleEditorContext = createContext<ComponentType<RuleEditorProps> | null>(null);

export const RuleEditorProvider = RuleEditorContext.Provider;

/** The injected rule builder, else the JSON fallback. */
export function RuleEditor(props: RuleEditorProps) {
  const Injected = useContext(RuleEditorContext);
  if (Injected) return <Injected {...props} />;
  return <JsonRuleEditor {...props} />;
}

type Check = { state: 'ok' } | { state: 'error'; message: string } | { state: 'checking' };

/** Problems of a rule's text that the browser can tell at once: not JSON, or refused by the engine. */
export function localRuleProblem(text: string): { rule?: Json; problem?: string } {
  let rule: Json;
  try {
    rule = JSON.parse(text) as Json;
  } catch (error) {
    return { problem: `JSON: ${(error as Error).message}` };
  }
  try {
    compileRule(rule);
  } catch (error) {
    if (error instanceof RuleError) return { rule, problem: error.pointer ? `${error.pointer}: ${error.message}` : error.message };
    throw error;
  }
  return { rule };
}

export function JsonRuleEditor({ value, onChange, fields, 'aria-label': ariaLabel, id }: RuleEditorProps) {
  const { t } = useFlowT();
  const [text, setText] = useState(() => JSON.stringify(value ?? true));
  const [check, setCheck] = useState<Check>({ state: 'ok' });
  const last = useRef(JSON.stringify(value ?? true));
  const helpId = useId();

  // A new value from outside (another rule selected) replaces the text.
  useEffect(() => {
    const incoming = JSON.stringify(value ?? true);
    if (incoming !== last.current) {
      last.current = incoming;
      setText(incoming);
      setCheck({ state: 'ok' });
    }
  }, [value]);

  useEffect(() => {
    const { rule, problem } = localRuleProblem(text);
    if (problem || rule === undefined) {
      setCheck({ state: 'error', message: problem ?? '' });
      return;
    }
    setCheck({ state: 'checking' });
    const timer = window.setTimeout(() => {
      flowApi
        .evaluate(rule, {})
        .then(() => setCheck({ state: 'ok' }))
        .catch((error: unknown) => {
          if (error instanceof ApiError && error.status === 422) setCheck({ state: 'error', message: error.details[0]?.message ?? error.message });
          else setCheck({ state: 'ok' }); // the server could not be asked; the browser's engine accepted it
        });
    }, 400);
    return () => window.clearTimeout(timer);
  }, [text]);

  return (
    <div>
      <Input.TextArea
        id={id}
        aria-label={ariaLabel}
        aria-describedby={helpId}
        aria-invalid={check.state === 'error'}
        status={check.state === 'error' ? 'error' : undefined}
        value={text}
        autoSize={{ minRows: 2, maxRows: 8 }}
        className="gd-code"
        style={{ fontFamily: 'monospace' }}
        onChange={(event) => {
          const next = event.target.value;
          setText(next);
          const { rule, problem } = localRuleProblem(next);
          if (!problem && rule !== undefined) {
            last.current = JSON.stringify(rule);
            onChange(rule);
          }
        }}
      />
      <Typography.Text id={helpId} type={check.state === 'error' ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
        {check.state === 'error'
          ? check.message
          : check.state === 'checking'
            ? t('ruleEditor.checking')
            : t('ruleEditor.hint', { fields: fields.slice(0, 6).map((f) => f.name).join(', ') })}
      </Typography.Text>
    </div>
  );
}
