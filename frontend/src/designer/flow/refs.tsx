// What the pickers offer instead of keys: teams, roles, ticket types and calendars, loaded once per page,
// when an editor first asks for them (the form builder alone never does).
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Role, Team } from '../../types';
import { flowApi, type CalendarDoc, type TicketTypeInfo } from './flowApi';

export interface FlowRefs {
  teams: Team[];
  roles: Role[];
  types: TicketTypeInfo[];
  calendars: CalendarDoc[];
  reload: () => void;
}

type Lists = Omit<FlowRefs, 'reload'>;
const EMPTY: Lists = { teams: [], roles: [], types: [], calendars: [] };
const RefsContext = createContext<{ refs: FlowRefs; ensure: () => void }>({ refs: { ...EMPTY, reload: () => undefined }, ensure: () => undefined });

export function FlowRefsProvider({ children }: { children: ReactNode }) {
  const [lists, setLists] = useState<Lists>(EMPTY);
  const loaded = useRef(false);
  const load = useCallback(() => {
    loaded.current = true;
    // Each list on its own: one that fails (a role without access) leaves the others.
    void flowApi.teams().then((p) => setLists((r) => ({ ...r, teams: p.items })), () => undefined);
    void flowApi.roles().then((p) => setLists((r) => ({ ...r, roles: p.items })), () => undefined);
    void flowApi.types().then((p) => setLists((r) => ({ ...r, types: p.items })), () => undefined);
    void flowApi.calendars().then((p) => setLists((r) => ({ ...r, calendars: p.items })), () => undefined);
  }, []);
  const ensure = useCallback(() => {
    if (!loaded.current) load();
  }, [load]);
  const value = useMemo(() => ({ refs: { ...lists, reload: load }, ensure }), [lists, load, ensure]);
  return <RefsContext.Provider value={value}>{children}</RefsContext.Provider>;
}

export function useFlowRefs(): FlowRefs {
  const { refs, ensure } = useContext(RefsContext);
  useEffect(ensure, [ensure]);
  return refs;
}
