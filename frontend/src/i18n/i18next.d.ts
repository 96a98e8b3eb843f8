import 'i18next';
import type flowEn from '../designer/flow/i18n/en.json';
import type en from './en.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en; designerFlow: typeof flowEn };
  }
}
