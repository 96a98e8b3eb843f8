import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { SUPPORTED_LOCALES } from '../i18n';
import type { Locale } from '../types';

interface Props {
  id?: string;
  value?: Locale;
  onChange?: (value: Locale) => void;
}

export default function LocaleSelect({ id, value, onChange }: Props) {
  const { t } = useTranslation();
  return (
    <Select<Locale>
      id={id}
      value={value}
      onChange={(next) => onChange?.(next)}
      options={SUPPORTED_LOCALES.map((locale) => ({
        value: locale,
        label: <span lang={locale}>{t(`language.${locale}`)}</span>,
      }))}
    />
  );
}
