import { useEffect, useState } from 'react';
import type { PortalForm, Ticket } from '../types';
import { loadTypeForm, stateName } from './typeForms';

/** State names as authored in each ticket type's definition, for lists of tickets of several types. */
export function useStateNames(tickets: Ticket[]): (ticket: Ticket) => string {
  const [forms, setForms] = useState<Record<string, PortalForm>>({});
  const types = [...new Set(tickets.map((ticket) => ticket.type))].sort().join(',');
  useEffect(() => {
    let live = true;
    for (const type of types ? types.split(',') : []) {
      loadTypeForm(type).then(
        (form) => live && setForms((prev) => (prev[type] ? prev : { ...prev, [type]: form })),
        () => undefined,
      );
    }
    return () => {
      live = false;
    };
  }, [types]);
  return (ticket) => stateName(forms[ticket.type] ?? null, ticket.status);
}
