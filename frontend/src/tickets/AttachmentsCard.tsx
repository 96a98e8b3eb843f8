import { App, Button, Checkbox, List, Tag } from 'antd';
import { useRef, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { ACCEPTED_FILES } from '../forms/files';
import { PlusOutlined } from '../icons';
import type { Attachment } from '../types';
import { useErrorHandler } from '../utils/errors';
import { FileEntry } from './FileList';

/** The ticket's files (downloads are permission-checked by the server) and an upload control. */
export default function AttachmentsCard({ ticketId, items, staff, onAdded }: { ticketId: number; items: Attachment[]; staff: boolean; onAdded: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const [busy, setBusy] = useState(false);
  const [internal, setInternal] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const onFiles = async (event: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(event.target.files ?? []);
    event.target.value = '';
    if (!files.length) return;
    setBusy(true);
    try {
      for (const file of files) {
        const body = new FormData();
        body.append('file', file, file.name);
        if (internal) body.append('internal', 'true');
        await api.upload<Attachment>(`/tickets/${ticketId}/attachments`, body);
      }
      void message.success(t('attachments.uploaded', { count: files.length }));
      onAdded();
    } catch (error) {
      handleError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <List
        size="small"
        className="gd-attachment-list"
        dataSource={items}
        locale={{ emptyText: t('attachments.none') }}
        renderItem={(item) => (
          <List.Item>
            <FileEntry file={item} /> {item.internal && <Tag color="orange">{t('timeline.internal')}</Tag>}
          </List.Item>
        )}
      />
      <div className="gd-form-buttons" style={{ marginTop: 8 }}>
        <Button icon={<PlusOutlined />} loading={busy} onClick={() => input.current?.click()}>
          {t('attachments.add')}
        </Button>
        <input
          ref={input}
          type="file"
          multiple
          accept={ACCEPTED_FILES}
          className="gd-visually-hidden"
          tabIndex={-1}
          aria-hidden
          onChange={(event) => void onFiles(event)}
        />
        {staff && (
          <Checkbox checked={internal} onChange={(event) => setInternal(event.target.checked)}>
            {t('attachments.internal')}
          </Checkbox>
        )}
      </div>
    </>
  );
}
