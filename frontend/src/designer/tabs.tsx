// The designer's tabs. Part 2 (workflow, priority, routing, SLA, automations, versions) adds its
// tabs here: one entry each, in the order they appear.
import type { ComponentType } from 'react';
import type { TFunction } from 'i18next';
import type { DesignerContextValue } from './context';
import FormBuilder from './form/FormBuilder';
import JsonView from './JsonView';
import TranslationsView from './TranslationsView';

export interface DesignerTab {
  key: string;
  label: (t: TFunction<'designer'>) => string;
  /** The tab's content; it reads and edits the draft through `useDesignerContext()`. */
  component: ComponentType<{ context: DesignerContextValue }>;
}

export const DESIGNER_TABS: DesignerTab[] = [
  { key: 'form', label: (t) => t('tabs.form'), component: FormBuilder },
  { key: 'translations', label: (t) => t('tabs.translations'), component: TranslationsView },
  { key: 'json', label: (t) => t('tabs.json'), component: JsonView },
];
