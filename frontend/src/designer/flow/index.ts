// How the designer page mounts the flow editors (issue 16): see HANDOFF.md, "Mounting the flow tabs".
export { FLOW_TABS, tabForPath, type FlowTab, type FlowTabKey } from './tabs';
export type { FlowEditorProps } from './editorProps';
export { RuleEditorProvider, type RuleEditorProps, type RuleField } from './RuleEditor';
export { FlowRefsProvider } from './refs';
export { default as PublishDialog } from './PublishDialog';
export { default as DiffView } from './DiffView';
export { useDraft } from './useDraft';
export { FLOW_NS } from './i18n';
