// The designerFlow namespace's `t`, with its keys type-checked against the English catalog.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { FLOW_NS, type FlowT } from './i18n';

export function useFlowT(): { t: FlowT; language: string } {
  const { t, i18n } = useTranslation(FLOW_NS as 'translation');
  return useMemo(() => ({ t: t as unknown as FlowT, language: i18n.language }), [t, i18n.language]);
}
