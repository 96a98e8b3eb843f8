// The texts of the knowledge base's upkeep (an article's images, reviews due), merged into the default namespace.
import i18n from '../i18n';
import en from './i18n/upkeep-en.json';
import zhCN from './i18n/upkeep-zh-CN.json';

// Compile-time parity check: both catalogs have exactly the same keys.
const zhHasEnKeys: typeof en = zhCN;
const enHasZhKeys: typeof zhCN = en;
void zhHasEnKeys;
void enHasZhKeys;

if (!i18n.exists('knowledgeUpkeep.images', { lng: 'en' })) {
  i18n.addResourceBundle('en', 'translation', en, true, false);
  i18n.addResourceBundle('zh-CN', 'translation', zhCN, true, false);
}
