// What the pickers offer instead of keys: teams, roles, ticket types and calendars, loaded once per page.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { Role, Team } from '../../types';
import { flowApi, type CalendarDoc, type TicketTypeInfo } from './flowApi';

export interface FlowRefs {
  teams: Team[];
  roles: Role[];
  types: TicketTypeInfo[];
  calendars: CalendarDoc[];
  reload: () => void;
}

const EMPTY: FlowRefs = { teams: [], roles: [], types: [], calendars: [], reload: () => undefined };
const RefsContext = createContext<FlowRefs>(EMPTY);

export function FlowRefsProvider({ children }: { children: ReactNode }) {
  const [refs, setRefs] = useState<Omit<FlowRefs, 'reload'>>(EMPTY);
  const load = useCallback(() => {
    // Each list on its own: one that fails (a role without access) leaves the others.
    void flowApi.teams().then((p) => setRefs((r) => ({ ...r, teams: p.items })), () => undefined);
    void flowApi.roles().then((p) => setRefs((r) => ({ ...r, roles: p.items })), () => undefined);
    void flowApi.types().then((p) => setRefs((r) => ({ ...r, types: p.items })), () => undefined);
    void flowApi.calendars().then((p) => setRefs((r) => ({ ...r, calendars: p.items })), () => undefined);
  }, []);
  useEffect(load, [load]);
  return <RefsContext.Provider value={{ ...refs, reload: load }}>{children}</RefsContext.Provider>;
}

export function useFlowRefs(): FlowRefs {
  return useContext(RefsContext);
}
