// The designer's tabs, in the order they appear: the form builder, the flow editors (issue 16, each its
// own lazily loaded chunk, with its texts), translations, versions, JSON. Every tab edits the one draft.
import type { TFunction } from 'i18next';
import type { ComponentType } from 'react';
import type { DesignerContextValue } from './context';
import FlowTabContent from './FlowTab';
import FormBuilder from './form/FormBuilder';
import { FLOW_TABS, type FlowTabKey } from './flow/tabs';
import JsonView from './JsonView';
import TranslationsView from './TranslationsView';

export interface DesignerTab {
  key: string;
  label: (t: TFunction<'designer'>) => string;
  /** The tab's content; it reads and edits the draft through its `context`. */
  component: ComponentType<{ context: DesignerContextValue }>;
}

function flowTab(key: FlowTabKey): DesignerTab {
  const tab = FLOW_TABS.find((x) => x.key === key)!;
  const Content = ({ context }: { context: DesignerContextValue }) => <FlowTabContent context={context} tab={tab} />;
  Content.displayName = `FlowTab(${key})`;
  return {
    key,
    label: (t) => t(`tabs.${key}`),
    component: Content,
  };
}

export const DESIGNER_TABS: DesignerTab[] = [
  { key: 'form', label: (t) => t('tabs.form'), component: FormBuilder },
  flowTab('workflow'),
  flowTab('priority'),
  flowTab('routing'),
  flowTab('sla'),
  flowTab('automations'),
  { key: 'translations', label: (t) => t('tabs.translations'), component: TranslationsView },
  flowTab('versions'),
  { key: 'json', label: (t) => t('tabs.json'), component: JsonView },
];

export const DEFAULT_TAB = 'form';

export function isDesignerTab(key: string | undefined): key is string {
  return !!key && DESIGNER_TABS.some((tab) => tab.key === key);
}
