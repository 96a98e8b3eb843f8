// For power users: the form's JSON Schema and UI schema (and field rules), or the whole definition,
// edited as JSON. Applied while it parses; the server's problems show as everywhere else.
import { Alert, Button, Input, Radio, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DesignerContextValue } from './context';
import { isObject, type JsonObject } from './model/json';
import { designerDoc } from './state';

export default function JsonView({ context }: { context: DesignerContextValue }) {
  const { t } = useTranslation('designer');
  const { definition, update, focusTarget } = context;
  const [scope, setScope] = useState<'form' | 'document'>(focusTarget?.pointer && !focusTarget.pointer.startsWith('/form') ? 'document' : 'form');
  const source = scope === 'form' ? definition.form : definition;
  const [text, setText] = useState(() => JSON.stringify(source, null, 2));
  const [error, setError] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);

  useEffect(() => {
    if (!dirty) setText(JSON.stringify(source, null, 2));
  }, [source, dirty]);

  const apply = () => {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (!isObject(parsed)) throw new Error(t('json.notObject'));
      if (scope === 'form' && !isObject(parsed.schema)) throw new Error(t('json.needsSchema'));
      const next: JsonObject = scope === 'form' ? { ...definition, form: parsed } : parsed;
      update(() => designerDoc(next));
      setDirty(false);
      setError(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <div className="gd-json-view">
      <Space wrap style={{ marginBottom: 8 }}>
        <Radio.Group
          value={scope}
          onChange={(e) => {
            setScope(e.target.value);
            setDirty(false);
          }}
          optionType="button"
          options={[
            { value: 'form', label: t('json.form') },
            { value: 'document', label: t('json.document') },
          ]}
        />
        <Button type="primary" disabled={!dirty} onClick={apply}>
          {t('json.apply')}
        </Button>
        <Button disabled={!dirty} onClick={() => { setDirty(false); setError(null); setText(JSON.stringify(source, null, 2)); }}>
          {t('json.discard')}
        </Button>
      </Space>
      <Typography.Paragraph type="secondary">{t('json.help')}</Typography.Paragraph>
      {focusTarget?.pointer && <Alert type="info" showIcon message={t('json.pointer', { pointer: focusTarget.pointer })} style={{ marginBottom: 8 }} />}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 8 }} />}
      <Input.TextArea
        className="gd-code"
        aria-label={scope === 'form' ? t('json.form') : t('json.document')}
        spellCheck={false}
        autoSize={{ minRows: 20, maxRows: 60 }}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setDirty(true);
          try {
            JSON.parse(e.target.value);
            setError(null);
          } catch (err) {
            setError(err instanceof Error ? err.message : String(err));
          }
        }}
      />
    </div>
  );
}
