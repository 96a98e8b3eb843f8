// The periodic reports page's texts, merged into the default namespace when the page loads (as the knowledge base's are).
import i18n from '../../../../i18n';
import en from './en.json';
import zhCN from './zh-CN.json';

// Compile-time parity check: both catalogs have exactly the same keys.
const zhHasEnKeys: typeof en = zhCN;
const enHasZhKeys: typeof zhCN = en;
void zhHasEnKeys;
void enHasZhKeys;

if (!i18n.exists('periodicReports.title', { lng: 'en' })) {
  i18n.addResourceBundle('en', 'translation', en, true, false);
  i18n.addResourceBundle('zh-CN', 'translation', zhCN, true, false);
}
