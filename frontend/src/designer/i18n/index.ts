// The designer's own strings (namespace "designer"), added when the designer's chunk loads so the
// portal's first load does not carry them. en.json and zh-CN.json must have the same keys.
import i18n from '../../i18n';
import en from './en.json';
import zhCN from './zh-CN.json';

const zhHasEnKeys: typeof en = zhCN;
const enHasZhKeys: typeof zhCN = en;
void zhHasEnKeys;
void enHasZhKeys;

if (!i18n.hasResourceBundle('en', 'designer')) {
  i18n.addResourceBundle('en', 'designer', en);
  i18n.addResourceBundle('zh-CN', 'designer', zhCN);
}

export default i18n;
