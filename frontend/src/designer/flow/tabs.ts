// The flow editors as tabs of the designer page, and which tab a JSON pointer belongs to.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { FlowEditorProps } from './editorProps';

export type FlowTabKey = 'workflow' | 'priority' | 'routing' | 'sla' | 'automations' | 'versions';

export interface FlowTab {
  /** Also the key of its label in the designer's catalog (`tabs.<key>`, namespace designer). */
  key: FlowTabKey;
  /** JSON pointer prefixes of the definition the tab edits. */
  owns: string[];
  component: LazyExoticComponent<ComponentType<FlowEditorProps & { onShow?: (path: string) => void }>>;
}

export const FLOW_TABS: FlowTab[] = [
  { key: 'workflow', owns: ['/workflow', '/layout'], component: lazy(() => import('./WorkflowEditor')) },
  { key: 'priority', owns: ['/priority'], component: lazy(() => import('./PriorityEditor')) },
  { key: 'routing', owns: ['/routing'], component: lazy(() => import('./RoutingEditor')) },
  { key: 'sla', owns: ['/sla'], component: lazy(() => import('./SlaEditor')) },
  { key: 'automations', owns: ['/automations'], component: lazy(() => import('./AutomationsEditor')) },
  { key: 'versions', owns: [], component: lazy(() => import('./VersionsPanel')) },
];

/** The flow tab that edits the part a JSON pointer points into, or null (the form builder's, the header's). */
export function tabForPath(path: string): FlowTabKey | null {
  for (const tab of FLOW_TABS) if (tab.owns.some((p) => path === p || path.startsWith(`${p}/`))) return tab.key;
  return null;
}
