import { Input, Select } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { listTimeZones } from '../utils/timezones';

interface Props {
  id?: string;
  value?: string;
  onChange?: (value: string) => void;
}

/** IANA time zone picker; a text input where the browser cannot list zones. */
export default function TimeZoneSelect({ id, value, onChange }: Props) {
  const { t } = useTranslation();
  const zones = listTimeZones();
  const options = useMemo(() => {
    if (!zones) return [];
    const all = value && !zones.includes(value) ? [value, ...zones] : zones;
    return all.map((zone) => ({ value: zone, label: zone }));
  }, [zones, value]);

  if (!zones) {
    return (
      <Input
        id={id}
        value={value}
        placeholder={t('timeZone.placeholder')}
        onChange={(event) => onChange?.(event.target.value)}
      />
    );
  }
  return (
    <Select<string>
      id={id}
      value={value}
      onChange={(next) => onChange?.(next)}
      showSearch
      options={options}
      optionFilterProp="label"
      placeholder={t('timeZone.placeholder')}
      virtual
    />
  );
}
