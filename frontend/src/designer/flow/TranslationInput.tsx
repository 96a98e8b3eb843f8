// The Chinese (or English) text of a property, kept in the object's `i18n` (docs: translations).
import { Form, Input } from 'antd';
import type { I18nTexts } from './types';

interface Props {
  label: string;
  id: string;
  owner: { i18n?: I18nTexts };
  property: string;
  /** The locale the translation is for: the one the document is not written in. */
  locale?: 'en' | 'zh-CN';
  onChange: (i18n: I18nTexts | undefined) => void;
}

/** Set or clear i18n[locale][property], dropping empty objects so the document stays minimal. */
export function withTranslation(i18n: I18nTexts | undefined, locale: 'en' | 'zh-CN', property: string, text: string | string[] | null): I18nTexts | undefined {
  const next: I18nTexts = { ...(i18n ?? {}) };
  const texts = { ...(next[locale] ?? {}) };
  if (text === null || text === '' || (Array.isArray(text) && text.every((x) => !x))) delete texts[property];
  else texts[property] = text;
  if (Object.keys(texts).length) next[locale] = texts;
  else delete next[locale];
  return Object.keys(next).length ? next : undefined;
}

export default function TranslationInput({ label, id, owner, property, locale = 'zh-CN', onChange }: Props) {
  const value = owner.i18n?.[locale]?.[property];
  return (
    <Form.Item label={label} htmlFor={id}>
      <Input id={id} lang={locale} value={typeof value === 'string' ? value : ''}
        onChange={(e) => onChange(withTranslation(owner.i18n, locale, property, e.target.value))} />
    </Form.Item>
  );
}
