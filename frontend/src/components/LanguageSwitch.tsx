import { GlobalOutlined } from '../icons';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { SUPPORTED_LOCALES, setLocale } from '../i18n';
import type { Locale } from '../types';

/** Language choice for visitors who are not logged in (remembered on this device only). */
export default function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Select<Locale>
      aria-label={t('userMenu.language')}
      value={(i18n.language as Locale) ?? 'en'}
      onChange={(locale) => void setLocale(locale)}
      suffixIcon={<GlobalOutlined />}
      variant="borderless"
      popupMatchSelectWidth={false}
      options={SUPPORTED_LOCALES.map((locale) => ({ value: locale, label: <span lang={locale}>{t(`language.${locale}`)}</span> }))}
    />
  );
}
