import 'i18next';
import type approvals from '../approvals/i18n/en.json';
import type designer from '../designer/i18n/en.json';
import type knowledge from '../knowledge/i18n/en.json';
import type knowledgeCategories from '../knowledge/i18n/categories-en.json';
import type knowledgeImages from '../knowledge/i18n/images-en.json';
import type knowledgeUpkeep from '../knowledge/i18n/upkeep-en.json';
import type knowledgeEditor from '../knowledge/i18n/editor-en.json';
import type surveys from '../surveys/i18n/en.json';
import type status from '../status/i18n/en.json';
import type en from './en.json';
import type templateUpgrade from '../pages/admin/templateUpgrade/i18n/en.json';
import type templates from '../pages/admin/templatesI18n/en.json';
import type intake from '../pages/admin/intakeI18n/en.json';
import type adminConsole from '../pages/admin/console/i18n/en.json';
import type notificationPrefs from '../pages/notificationPrefs/i18n/en.json';
import type dashboards from '../pages/reports/dashboards/i18n/en.json';
import type periodicReports from '../pages/reports/periodic/i18n/en.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en & typeof approvals & typeof knowledge & typeof surveys & typeof templates
      & typeof intake & typeof status & typeof adminConsole & typeof notificationPrefs & typeof dashboards
      & typeof periodicReports & typeof knowledgeImages & typeof knowledgeUpkeep & typeof knowledgeEditor
      & typeof knowledgeCategories; designer: typeof designer;
      templateUpgrade: typeof templateUpgrade };
  }
}
