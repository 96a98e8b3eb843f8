// A real i18next instance with the flow catalogs, for unit tests of sentences.
import { createInstance, type TFunction } from 'i18next';
import en from './i18n/en.json';
import zhCN from './i18n/zh-CN.json';

export function flowT(lng: 'en' | 'zh-CN' = 'en'): TFunction<'designerFlow'> {
  const instance = createInstance();
  void instance.init({
    lng,
    ns: ['designerFlow'],
    defaultNS: 'designerFlow',
    resources: { en: { designerFlow: en }, 'zh-CN': { designerFlow: zhCN } },
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return instance.getFixedT(lng, 'designerFlow') as TFunction<'designerFlow'>;
}
