// The flow editors' texts, namespace `designerFlow`, added to i18next when the designer's code loads
// (so the portal's first load does not carry them). Keys are typed through src/i18n/i18next.d.ts.
import i18n from '../../../i18n';
import en from './en.json';
import zhCN from './zh-CN.json';

// Compile-time parity check: both catalogs have exactly the same keys.
const zhHasEnKeys: typeof en = zhCN;
const enHasZhKeys: typeof zhCN = en;
void zhHasEnKeys;
void enHasZhKeys;

export const FLOW_NS = 'designerFlow';

if (!i18n.hasResourceBundle('en', FLOW_NS)) {
  i18n.addResourceBundle('en', FLOW_NS, en);
  i18n.addResourceBundle('zh-CN', FLOW_NS, zhCN);
}

export { en as flowEn, zhCN as flowZhCN };

export type { FlowKey, FlowT } from './types';
