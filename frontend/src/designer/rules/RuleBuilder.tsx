// The rule builder every part of the designer uses (field rules here; routing, priority overrides,
// guards and automations in the flow designer): react-awesome-query-builder over the form's fields
// and, when allowed, the ticket's attributes; a JSON editor for rules it cannot show, checked live
// by the server's engine (POST /api/v1/logic/evaluate). It never changes a rule the user did not edit.
import { AntdConfig } from '@react-awesome-query-builder/antd';
import '@react-awesome-query-builder/antd/css/styles.css';
import { Builder, Query, type BuilderProps, type Config, type ImmutableTree } from '@react-awesome-query-builder/ui';
import { Alert, Button, Input, Space, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api';
import type { Json } from '../model/json';
import { buildConfig, readsFields, ruleToTree, sameRule, treeToRule, TICKET_FIELDS, type RuleField } from './convert';

export interface RuleBuilderProps {
  /** The rule (JsonLogic); undefined or `true` for "always". */
  value: Json | undefined;
  /** Called with the new rule after every complete edit (never with a rule the user did not change). */
  onChange: (value: Json) => void;
  /** Fields the rule may test. */
  fields: RuleField[];
  /** Offer the ticket's attributes (`ticket.status`, `ticket.requester.tags` …) too. */
  allowTicketContext?: boolean;
  /** Accessible name of the editor. */
  label?: string;
}

type Mode = { kind: 'builder'; tree: ImmutableTree } | { kind: 'json'; reason: string | null };

const OPERATOR_KEYS = [
  'equal', 'not_equal', 'less', 'less_or_equal', 'greater', 'greater_or_equal', 'like', 'not_like', 'between', 'not_between',
  'is_empty', 'is_not_empty', 'is_null', 'is_not_null', 'select_equals', 'select_not_equals', 'select_any_in', 'select_not_any_in',
  'multiselect_contains', 'multiselect_not_contains', 'multiselect_equals', 'multiselect_not_equals',
] as const;

function useConfig(fields: RuleField[], allowTicketContext: boolean): Config {
  const { t, i18n } = useTranslation('designer');
  return useMemo(() => {
    const base = buildConfig(AntdConfig as Config, fields, {
      allowTicketContext,
      ticketLabel: (key) => (key ? t(`rules.ticket.${key}` as 'rules.ticket.status', { defaultValue: key }) : t('rules.ticket.group')),
    });
    const operators = { ...base.operators };
    for (const key of OPERATOR_KEYS) if (operators[key]) operators[key] = { ...operators[key]!, label: t(`rules.op.${key}`) };
    return {
      ...base,
      operators,
      conjunctions: {
        ...base.conjunctions,
        AND: { ...base.conjunctions.AND!, label: t('rules.and') },
        OR: { ...base.conjunctions.OR!, label: t('rules.or') },
      },
      settings: {
        ...base.settings,
        addRuleLabel: t('rules.addCondition'),
        addGroupLabel: t('rules.addGroup'),
        addSubRuleLabel: t('rules.addCondition'),
        delGroupLabel: t('rules.delete'),
        notLabel: t('rules.not'),
        valueLabel: t('rules.value'),
        valuePlaceholder: t('rules.value'),
        fieldLabel: t('rules.field'),
        fieldPlaceholder: t('rules.chooseField'),
        operatorLabel: t('rules.operator'),
        operatorPlaceholder: t('rules.chooseOperator'),
        removeRuleConfirmOptions: undefined,
        removeGroupConfirmOptions: undefined,
        showNot: true,
        maxNesting: 4,
        canLeaveEmptyGroup: true,
        locale: { ...base.settings.locale, moment: i18n.language === 'zh-CN' ? 'zh-cn' : 'en' },
      },
    } as Config;
  }, [fields, allowTicketContext, t, i18n.language]);
}

/** Live check of a rule typed as JSON, by the server's engine. */
function useServerCheck(text: string, enabled: boolean) {
  const [state, setState] = useState<{ text: string; status: 'idle' | 'checking' | 'ok' | 'invalid' | 'syntax'; message?: string; rule?: Json }>({ text: '', status: 'idle' });
  useEffect(() => {
    if (!enabled) return undefined;
    let rule: Json;
    try {
      rule = JSON.parse(text) as Json;
    } catch (error) {
      setState({ text, status: 'syntax', message: error instanceof Error ? error.message : String(error) });
      return undefined;
    }
    setState({ text, status: 'checking', rule });
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      api.post('/logic/evaluate', { rule, data: {} }, { signal: controller.signal }).then(
        () => setState({ text, status: 'ok', rule }),
        (error: unknown) => {
          if (error instanceof DOMException && error.name === 'AbortError') return;
          if (error instanceof ApiError && error.status === 422) {
            const detail = error.details[0];
            setState({ text, status: 'invalid', message: detail?.path ? `${error.message} (${detail.path})` : error.message, rule });
          } else setState({ text, status: 'invalid', message: error instanceof Error ? error.message : String(error), rule });
        },
      );
    }, 300);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [text, enabled]);
  return state;
}

export default function RuleBuilder({ value, onChange, fields, allowTicketContext = false, label }: RuleBuilderProps) {
  const { t } = useTranslation('designer');
  const config = useConfig(fields, allowTicketContext);
  const emitted = useRef<Json | undefined>(undefined);
  const [mode, setMode] = useState<Mode>(() => initialMode(value, config));
  const [text, setText] = useState(() => JSON.stringify(value ?? true, null, 2));
  const [builderErrors, setBuilderErrors] = useState<string[]>([]);
  const check = useServerCheck(text, mode.kind === 'json');

  // A new value from outside (undo, another rule selected): load it, unless it is what we just emitted.
  useEffect(() => {
    if (emitted.current !== undefined && sameRule(emitted.current, value ?? true)) return;
    emitted.current = undefined;
    setMode(initialMode(value, config));
    setText(JSON.stringify(value ?? true, null, 2));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);

  // Field list changes (a field renamed or added): reload the builder over the new fields.
  useEffect(() => {
    setMode((current) => (current.kind === 'builder' ? initialMode(emitted.current ?? value, config) : current));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [config]);

  useEffect(() => {
    if (mode.kind !== 'json' || check.status !== 'ok' || check.text !== text || check.rule === undefined) return;
    if (sameRule(check.rule, value ?? true)) return;
    emitted.current = check.rule;
    onChange(check.rule);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [check]);

  const unknownVars = useMemo(() => {
    if (mode.kind !== 'json' || check.rule === undefined) return [];
    const known = new Set(fields.map((f) => f.key));
    return readsFields(check.rule).filter((name) => !known.has(name.split('.')[0]!) && !(allowTicketContext && name.startsWith('ticket.')));
  }, [mode.kind, check.rule, fields, allowTicketContext]);

  const onTreeChange = (tree: ImmutableTree, conf: Config) => {
    const out = treeToRule(tree, conf);
    if (!out.ok) {
      setBuilderErrors(out.errors);
      return;
    }
    setBuilderErrors([]);
    setText(JSON.stringify(out.rule, null, 2));
    if (sameRule(out.rule, emitted.current ?? value ?? true)) return;
    emitted.current = out.rule;
    onChange(out.rule);
  };

  const toJson = () => {
    setText(JSON.stringify(emitted.current ?? value ?? true, null, 2));
    setMode({ kind: 'json', reason: null });
  };
  const toBuilder = () => {
    const next = initialMode(check.rule ?? value, config);
    setMode(next);
  };
  const canShowInBuilder = mode.kind === 'json' && ruleToTree(check.status === 'ok' ? check.rule : value, config).ok;

  return (
    <div className="gd-rule-builder" role="group" aria-label={label ?? t('rules.editor')}>
      {mode.kind === 'builder' ? (
        <>
          <Query
            {...config}
            value={mode.tree}
            onChange={onTreeChange}
            renderBuilder={(props: BuilderProps) => (
              <div className="query-builder-container">
                <div className="query-builder qb-lite">
                  <Builder {...props} />
                </div>
              </div>
            )}
          />
          {builderErrors.length > 0 && <Typography.Text type="secondary">{t('rules.incomplete')}</Typography.Text>}
          <div className="gd-rule-builder-actions">
            <Button size="small" type="link" onClick={toJson}>
              {t('rules.editAsJson')}
            </Button>
          </div>
        </>
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          {mode.reason && <Alert type="info" showIcon message={t('rules.notInBuilder')} description={mode.reason} />}
          <Input.TextArea
            value={text}
            onChange={(event) => setText(event.target.value)}
            autoSize={{ minRows: 3, maxRows: 16 }}
            spellCheck={false}
            className="gd-code"
            aria-label={t('rules.json')}
            status={check.status === 'syntax' || check.status === 'invalid' ? 'error' : undefined}
          />
          <div aria-live="polite">
            {check.status === 'checking' && <Typography.Text type="secondary">{t('rules.checking')}</Typography.Text>}
            {check.status === 'ok' && <Typography.Text type="success">{t('rules.valid')}</Typography.Text>}
            {check.status === 'syntax' && <Typography.Text type="danger">{t('rules.syntax', { message: check.message })}</Typography.Text>}
            {check.status === 'invalid' && <Typography.Text type="danger">{check.message}</Typography.Text>}
            {unknownVars.length > 0 && (
              <div>
                <Typography.Text type="warning">{t('rules.unknownFields', { names: unknownVars.join(', ') })}</Typography.Text>
              </div>
            )}
          </div>
          {canShowInBuilder && (
            <Button size="small" type="link" onClick={toBuilder}>
              {t('rules.backToBuilder')}
            </Button>
          )}
        </Space>
      )}
    </div>
  );
}

function initialMode(value: Json | undefined, config: Config): Mode {
  const loaded = ruleToTree(value ?? true, config);
  return loaded.ok ? { kind: 'builder', tree: loaded.tree } : { kind: 'json', reason: loaded.reason };
}

export { TICKET_FIELDS };
