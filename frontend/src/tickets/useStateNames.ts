import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PortalForm, Ticket } from '../types';
import { loadTypeForm, stateName } from './typeForms';

/** State names of each ticket type's definition in the reader's language, for lists of tickets of several types. */
export function useStateNames(tickets: Ticket[]): (ticket: Ticket) => string {
  const { i18n } = useTranslation();
  const language = i18n.language;
  const [forms, setForms] = useState<{ language: string; byType: Record<string, PortalForm> }>({ language, byType: {} });
  const types = [...new Set(tickets.map((ticket) => ticket.type))].sort().join(',');
  useEffect(() => {
    let live = true;
    for (const type of types ? types.split(',') : []) {
      loadTypeForm(type).then(
        (form) =>
          live &&
          setForms((prev) =>
            prev.language !== language ? { language, byType: { [type]: form } } : prev.byType[type] ? prev : { language, byType: { ...prev.byType, [type]: form } },
          ),
        () => undefined,
      );
    }
    return () => {
      live = false;
    };
  }, [types, language]);
  const current = forms.language === language ? forms.byType : {};
  return (ticket) => stateName(current[ticket.type] ?? null, ticket.status);
}
