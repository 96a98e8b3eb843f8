// A real i18next instance with the flow catalogs, for unit tests of sentences.
import { createInstance } from 'i18next';
import type { FlowT } from './i18n/types';
import en from './i18n/en.json';
import zhCN from './i18n/zh-CN.json';

export function flowT(lng: 'en' | 'zh-CN' = 'en'): FlowT {
  const instance = createInstance();
  void instance.init({
    lng,
    ns: ['designerFlow'],
    defaultNS: 'designerFlow',
    resources: { en: { designerFlow: en }, 'zh-CN': { designerFlow: zhCN } },
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return instance.getFixedT(lng, 'designerFlow' as 'translation') as unknown as FlowT;
}
