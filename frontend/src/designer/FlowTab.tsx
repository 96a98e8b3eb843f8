// A flow editor (status graph, priority, routing, SLA, automations, versions) as a tab of the designer
// page: it edits the same draft as the form builder, through the same history (every change an undo
// step, typing in one box one step), autosave and problems.
import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { DesignerContextValue } from './context';
import { changedLeaf } from './editGroup';
import { RuleEditorProvider, type RuleEditorProps } from './flow/RuleEditor';
import type { FlowTab } from './flow/tabs';
import type { Definition } from './flow/types';
import type { JsonObject } from './model/json';
import { RuleBuilder, type RuleField } from './rules';

let steps = 0;

/**
 * The shared rule builder (the one field rules use) in the flow editors' rule boxes — guards, routing
 * conditions, priority overrides, automation conditions. The flow editors list `ticket.*` attributes
 * among their fields; the builder offers its own list of them when the rule may read the ticket.
 */
function FlowRuleBuilder({ value, onChange, fields, allowTicketContext, 'aria-label': label }: RuleEditorProps) {
  // The editors build their field list on every render: the builder's configuration follows its content.
  const signature = JSON.stringify(fields);
  const own = useMemo<RuleField[]>(
    () => (JSON.parse(signature) as RuleEditorProps['fields']).filter((f) => !f.name.startsWith('ticket.')).map((f) => ({
      key: f.name, label: f.label, type: f.type, ...(f.values ? { options: f.values } : {}),
    })),
    [signature],
  );
  return <RuleBuilder value={value} onChange={onChange} fields={own} allowTicketContext={allowTicketContext} label={label} />;
}

/** The element that edits a pointer in the editors that do not select things themselves (the graph does). */
function elementFor(pointer: string): HTMLElement | null {
  const sla = /^\/sla\/(\d+)/.exec(pointer);
  if (sla) return document.getElementById(`gdf-sla-${sla[1]}-name`);
  const automation = /^\/automations\/(\d+)/.exec(pointer);
  if (automation) return document.getElementById(`gdf-auto-${automation[1]}-name`);
  const rule = /^\/routing\/(\d+)/.exec(pointer);
  if (rule) return document.querySelectorAll<HTMLElement>('.gdf-rule-card')[Number(rule[1])]?.querySelector('input') ?? null;
  return null;
}

/** Scroll to and focus what a problem points at, once the (lazily loaded) editor has drawn it. */
function useShowPointer(pointer: string | undefined, nonce: number | undefined) {
  useEffect(() => {
    if (!pointer) return undefined;
    let tries = 0;
    const timer = window.setInterval(() => {
      const element = elementFor(pointer);
      tries += 1;
      if (element || tries > 20) window.clearInterval(timer);
      if (element) {
        element.scrollIntoView({ block: 'center' });
        element.focus({ preventScroll: true });
      }
    }, 100);
    return () => window.clearInterval(timer);
  }, [pointer, nonce]);
}

export default function FlowTabContent({ context, tab }: { context: DesignerContextValue; tab: FlowTab }) {
  const { definition, updateDefinition, designer, problems, focusTarget, show, typeKey } = context;
  const Editor = tab.component;
  // The definition the editor's latest change was made from, and the undo group of that turn.
  const current = useRef(definition);
  current.current = definition;
  const turn = useRef<string | null>(null);

  const onChange = useCallback(
    (next: Definition) => {
      // Several changes in one turn (a renamed state moves its position too) are one undo step.
      let group = turn.current;
      if (group === null) {
        group = changedLeaf(current.current, next) ?? `flow-step-${(steps += 1)}`;
        turn.current = group;
        window.setTimeout(() => {
          turn.current = null;
        }, 0);
      }
      updateDefinition(() => next as unknown as JsonObject, group);
    },
    [updateDefinition],
  );

  const flush = useCallback(() => designer.save().catch(() => false), [designer]);
  useShowPointer(focusTarget?.pointer, focusTarget?.nonce);
  useEffect(() => () => {
    turn.current = null;
  }, []);

  return (
    <RuleEditorProvider value={FlowRuleBuilder}>
    <Editor
      typeKey={typeKey}
      definition={definition as unknown as Definition}
      onChange={onChange}
      errors={problems.errors}
      warnings={problems.warnings}
      focus={focusTarget?.pointer ?? null}
      flush={flush}
      onShow={show}
    />
    </RuleEditorProvider>
  );
}
