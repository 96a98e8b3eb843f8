// Widgets of field kinds the designer offers (docs/designer.md, "Field kinds"):
// - person: `{"type": "string", "format": "email"}` with `"ui:widget": "person"`: an email address,
//   with suggestions of people (name, teams) from GET /api/v1/people?q=, searched as one types (debounced);
// - signature: `{"type": "string", "format": "attachment"}` with `"ui:widget": "signature"`: a drawn
//   signature uploaded as a PNG attachment (the drawing pad loads only when someone signs).
import type { WidgetProps } from '@rjsf/utils';
import { AutoComplete, Button, Input } from 'antd';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { CheckOutlined, DeleteOutlined, EditOutlined } from '../icons';
import { useErrorHandler } from '../utils/errors';

const SignaturePad = lazy(() => import('./SignaturePad'));

interface Person {
  id: number;
  name: string;
  email: string;
  teams: { key: string; name: string }[];
}

/** How a suggestion reads: "Lin Mei <lin@example.com> · Service desk". */
export function personLabel(p: Person): string {
  const teams = p.teams.map((team) => team.name).join(', ');
  return `${p.name} <${p.email}>${teams ? ` · ${teams}` : ''}`;
}

export function PersonWidget(props: WidgetProps) {
  const { id, value, onChange, onBlur, onFocus, disabled, readonly, placeholder } = props;
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const available = useRef(true);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const search = (q: string) => {
    window.clearTimeout(timer.current);
    if (!available.current || q.trim().length < 1) return setOptions([]);
    timer.current = window.setTimeout(() => {
      api.get<{ items: Person[] }>('/people', { q: q.trim(), limit: 10 }).then(
        (page) => setOptions(page.items.map((p) => ({ value: p.email, label: personLabel(p) }))),
        () => {
          available.current = false; // the server has no directory for this user: plain email entry
          setOptions([]);
        },
      );
    }, 250);
  };
  return (
    <AutoComplete id={id} value={(value as string | undefined) ?? ''} options={options} onSearch={search} onChange={(v: string) => onChange(v || undefined)} disabled={disabled || readonly} style={{ width: '100%' }}>
      <Input type="email" autoComplete="off" placeholder={placeholder} onBlur={(e) => onBlur(id, e.target.value)} onFocus={(e) => onFocus(id, e.target.value)} />
    </AutoComplete>
  );
}

export function SignatureWidget(props: WidgetProps) {
  const { id, value, onChange, disabled, readonly } = props;
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const handleError = useErrorHandler();
  const save = async (png: Blob) => {
    setBusy(true);
    try {
      const body = new FormData();
      body.append('file', png, 'signature.png');
      const stored = await api.upload<{ id: string }>('/attachments', body);
      onChange(stored.id);
      setOpen(false);
    } catch (error) {
      handleError(error);
    } finally {
      setBusy(false);
    }
  };
  if (open) {
    return (
      <Suspense fallback={null}>
        <SignaturePad busy={busy} onSave={(png) => void save(png)} onCancel={() => setOpen(false)} />
      </Suspense>
    );
  }
  return (
    <div className="gd-signature-widget">
      {value ? (
        <span>
          <CheckOutlined /> {t('signature.signed')}{' '}
          <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('signature.clear')} disabled={disabled || readonly} onClick={() => onChange(undefined)} />
        </span>
      ) : (
        <Button id={id} icon={<EditOutlined />} disabled={disabled || readonly} onClick={() => setOpen(true)}>
          {t('signature.sign')}
        </Button>
      )}
    </div>
  );
}
