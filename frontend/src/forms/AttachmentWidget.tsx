import type { WidgetProps } from '@rjsf/utils';
import { App, Button } from 'antd';
import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { DeleteOutlined, PaperClipOutlined, PlusOutlined } from '../icons';
import type { Attachment } from '../types';
import { useErrorHandler } from '../utils/errors';
import { ACCEPTED_FILES } from './files';
import { formatBytes } from '../utils/format';


/** Remembers names of files uploaded or looked up in this page, so ids can be shown as file names. */
const uploadedNames = new Map<string, string>();
const lookups = new Map<string, Promise<void>>();

/** The names of files the form refers to but this page did not upload (a ticket being edited): asked once each. */
function useFileNames(ids: string[]): void {
  const [, setLoaded] = useState(0);
  const missing = ids.filter((item) => !uploadedNames.has(item)).join(',');
  useEffect(() => {
    let live = true;
    for (const item of missing ? missing.split(',') : []) {
      let lookup = lookups.get(item);
      if (!lookup) {
        lookup = api.get<Attachment>(`/attachments/${encodeURIComponent(item)}`).then(
          (found) => void uploadedNames.set(item, `${found.filename} (${formatBytes(found.size)})`),
          () => undefined, // not yours to see, or gone: the id stays
        );
        lookups.set(item, lookup);
      }
      void lookup.then(() => live && setLoaded((count) => count + 1));
    }
    return () => {
      live = false;
    };
  }, [missing]);
}

/**
 * A form field of format "attachment" (or an array of them): files are uploaded first
 * (POST /attachments) and the form stores their ids, never the file contents.
 */
export default function AttachmentWidget(props: WidgetProps) {
  const { id, value, onChange, schema, disabled, readonly, label, options } = props;
  const { t } = useTranslation();
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const multiple = schema.type === 'array';
  const ids: string[] = multiple ? ((value as string[] | undefined) ?? []) : value ? [value as string] : [];
  const maxItems = multiple && typeof schema.maxItems === 'number' ? schema.maxItems : multiple ? 50 : 1;
  useFileNames(ids);

  const onFiles = async (event: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(event.target.files ?? []);
    event.target.value = '';
    if (!files.length) return;
    if (ids.length + files.length > maxItems) {
      void message.error(t('attachments.tooMany', { count: maxItems }));
      return;
    }
    setBusy(true);
    const added: string[] = [];
    try {
      for (const file of files) {
        const body = new FormData();
        body.append('file', file, file.name);
        const stored = await api.upload<Attachment>('/attachments', body);
        uploadedNames.set(stored.id, `${stored.filename} (${formatBytes(stored.size)})`);
        added.push(stored.id);
      }
    } catch (error) {
      handleError(error);
    } finally {
      setBusy(false);
      if (added.length) onChange(multiple ? [...ids, ...added] : added[0]);
    }
  };

  const remove = (removed: string) => {
    const rest = ids.filter((item) => item !== removed);
    onChange(multiple ? (rest.length ? rest : undefined) : undefined);
  };

  return (
    <div className="gd-attachment-widget">
      {ids.length > 0 && (
        <ul className="gd-file-list">
          {ids.map((item) => {
            const name = uploadedNames.get(item) ?? item;
            return (
              <li key={item}>
                <PaperClipOutlined /> <span className="gd-file-name">{name}</span>
                <Button
                  type="text"
                  danger
                  size="small"
                  icon={<DeleteOutlined />}
                  aria-label={t('attachments.removeNamed', { name })}
                  disabled={disabled || readonly}
                  onClick={() => remove(item)}
                />
              </li>
            );
          })}
        </ul>
      )}
      {ids.length < maxItems && (
        <div className="gd-form-buttons">
          {/* The button opens the file picker; the native input stays hidden (its text would not follow the UI language). */}
          <Button id={id} icon={<PlusOutlined />} loading={busy} disabled={disabled || readonly} onClick={() => input.current?.click()}>
            {t('attachments.add')}
          </Button>
          <input
            ref={input}
            type="file"
            className="gd-visually-hidden"
            tabIndex={-1}
            aria-hidden
            accept={typeof options.accept === 'string' ? options.accept : ACCEPTED_FILES}
            multiple={multiple}
            onChange={(event) => void onFiles(event)}
            data-field={label}
          />
        </div>
      )}
    </div>
  );
}
