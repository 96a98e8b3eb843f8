// The template upgrade page's texts (namespace "templateUpgrade"), added when its chunk loads.
// en.json and zh-CN.json must have the same keys (checked at compile time below).
import i18n from '../../../../i18n';
import en from './en.json';
import zhCN from './zh-CN.json';

const zhHasEnKeys: typeof en = zhCN;
const enHasZhKeys: typeof zhCN = en;
void zhHasEnKeys;
void enHasZhKeys;

export const NS = 'templateUpgrade';

if (!i18n.hasResourceBundle('en', NS)) {
  i18n.addResourceBundle('en', NS, en);
  i18n.addResourceBundle('zh-CN', NS, zhCN);
}
