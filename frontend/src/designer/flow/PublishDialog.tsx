// Publishing: the draft's errors (each linking to its widget; publishing is refused while any
// remains), the diff against the latest version, the replay of the last N real tickets (who would be
// prioritised, routed, assigned or held to an SLA differently, with links to them) shown at once, a
// required note, and the new version's number.
import { useFlowT } from './useFlowT';
import { Alert, Button, Collapse, Form, Input, InputNumber, Modal, Result, Space, Spin, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError } from '../../api';
import { useErrorHandler } from '../../utils/errors';
import DiffView from './DiffView';
import { flowApi, type Replay, type ReplayDifference, type VersionSummary } from './flowApi';
import type { Definition, Problem } from './types';

interface Props {
  open: boolean;
  typeKey: string;
  definition: Definition;
  latestVersion: number | null;
  flush: () => Promise<boolean>;
  onClose: () => void;
  onPublished: (version: VersionSummary) => void;
  onShow: (path: string) => void;
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') {
    const a = value as { team?: string; user?: string; strategy?: string };
    return [a.team, a.user].filter(Boolean).join(' / ') + (a.strategy ? ` (${a.strategy})` : '');
  }
  return String(value);
}

export default function PublishDialog({ open, typeKey, definition, latestVersion, flush, onClose, onPublished, onShow }: Props) {
  const { t } = useFlowT();
  const handleError = useErrorHandler();
  const [errors, setErrors] = useState<Problem[] | null>(null);
  const [latest, setLatest] = useState<Definition | null | undefined>(undefined);
  const [count, setCount] = useState(100);
  const [replay, setReplay] = useState<Replay | null>(null);
  const [replayError, setReplayError] = useState<string | null>(null);
  const [replaying, setReplaying] = useState(false);
  const [note, setNote] = useState('');
  const [publishing, setPublishing] = useState(false);
  const [published, setPublished] = useState<VersionSummary | null>(null);

  const runReplay = useCallback(async (n: number) => {
    if (latestVersion === null) return;
    setReplaying(true);
    setReplayError(null);
    performance.mark?.('publish.replay-start');
    try {
      setReplay(await flowApi.replay(typeKey, n));
      performance.mark?.('publish.replay-end');
      performance.measure?.('publish.replay', 'publish.replay-start', 'publish.replay-end');
    } catch (error) {
      setReplay(null);
      setReplayError(error instanceof Error ? error.message : String(error));
    } finally {
      setReplaying(false);
    }
  }, [typeKey, latestVersion]);

  useEffect(() => {
    if (!open) return;
    setPublished(null);
    setErrors(null);
    setReplay(null);
    performance.mark?.('publish.open');
    void (async () => {
      await flush();
      try {
        // The draft's problems and the published version (for the diff) at once.
        const [draft, version] = await Promise.all([
          flowApi.draft(typeKey),
          latestVersion === null ? Promise.resolve(null) : flowApi.version(typeKey, latestVersion),
        ]);
        setErrors(draft.errors);
        setLatest(version === null ? null : version.definition);
        performance.mark?.('publish.ready');
        performance.measure?.('publish.dialog', 'publish.open', 'publish.ready');
        if (!draft.errors.length) void runReplay(count);
      } catch (error) {
        handleError(error);
      }
    })();
  }, [open]); // eslint-disable-line react-hooks/exhaustive-deps

  const publish = async () => {
    setPublishing(true);
    try {
      const version = await flowApi.publish(typeKey, note.trim());
      setPublished(version);
      setNote('');
      onPublished(version);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'definition_invalid') {
        setErrors(error.details.map((d) => ({ path: d.path ?? '', message: d.message, code: (d as { code?: string }).code ?? '' })));
      } else handleError(error);
    } finally {
      setPublishing(false);
    }
  };

  const columns = [
    { title: t('publish.ticket'), key: 'ticket', render: (_: unknown, d: ReplayDifference) => <Link to={`/tickets/${d.id}`} target="_blank">{d.ticket}</Link> },
    { title: t('publish.ticketTitle'), dataIndex: 'title', ellipsis: true },
    { title: t('publish.changes'), key: 'changes', render: (_: unknown, d: ReplayDifference) => (
      <Space direction="vertical" size={0}>
        {Object.entries(d.changes).map(([what, c]) => (
          <span key={what} data-change={what}><Tag>{t(`publish.what.${what}` as 'publish.what.priority')}</Tag>{show(c.published)} → <strong>{show(c.draft)}</strong></span>
        ))}
      </Space>
    ) },
  ];

  const loading = errors === null || latest === undefined;
  const blocked = !!errors?.length;

  return (
    <Modal open={open} onCancel={onClose} width={880} title={t('publish.title')} destroyOnHidden
      footer={published ? [<Button key="close" type="primary" onClick={onClose}>{t('publish.close')}</Button>] : [
        <Button key="cancel" onClick={onClose}>{t('cancel')}</Button>,
        <Button key="publish" type="primary" loading={publishing} disabled={loading || blocked || !note.trim()} onClick={() => void publish()}>
          {t('publish.publish')}
        </Button>,
      ]}>
      {published ? (
        <Result status="success" title={t('publish.done', { n: published.number })} subTitle={published.changelog} />
      ) : loading ? <Spin /> : (
        <div className="gdf-publish">
          {blocked && (
            <Alert type="error" showIcon message={t('publish.blocked', { count: errors.length })} style={{ marginBottom: 12 }}
              description={
                <ul className="gdf-publish-errors">
                  {errors.map((e, i) => (
                    <li key={i}>
                      {e.message}{' '}
                      <Button type="link" size="small" onClick={() => { onClose(); onShow(e.path); }}>{t('publish.showError')}</Button>
                    </li>
                  ))}
                </ul>
              } />
          )}
          <Collapse defaultActiveKey={['diff', 'replay']} items={[
            { key: 'diff', label: latestVersion === null ? t('publish.diffFirst') : t('publish.diffTitle', { n: latestVersion }),
              children: <DiffView from={latest ?? null} to={definition} onShow={(p) => { onClose(); onShow(p); }} /> },
            { key: 'replay', label: t('publish.replayTitle'), children: latestVersion === null ? (
              <Typography.Text type="secondary">{t('publish.replayNothing')}</Typography.Text>
            ) : blocked ? (
              <Typography.Text type="secondary">{t('publish.replayBlocked')}</Typography.Text>
            ) : (
              <div>
                <Space wrap style={{ marginBottom: 8 }}>
                  <label htmlFor="gdf-replay-count">{t('publish.replayCount')}</label>
                  <InputNumber id="gdf-replay-count" min={1} max={1000} value={count} onChange={(n) => setCount(Number(n ?? 100))} />
                  <Button loading={replaying} onClick={() => void runReplay(count)}>{t('publish.replayRun')}</Button>
                </Space>
                {replayError && <Alert type="error" showIcon message={replayError} />}
                {replay && (
                  <>
                    <Typography.Paragraph className="gdf-replay-summary">
                      {t('publish.replaySummary', { replayed: replay.replayed, count: replay.differences.length, n: replay.against })}
                    </Typography.Paragraph>
                    {(replay.left_out ?? 0) > 0 && (
                      <Typography.Paragraph type="secondary" className="gdf-replay-left-out">
                        {t('publish.replayLeftOut', { count: replay.left_out })}
                      </Typography.Paragraph>
                    )}
                    {replay.differences.length > 0 && (
                      <Table<ReplayDifference> size="small" rowKey="id" dataSource={replay.differences} columns={columns}
                        pagination={{ pageSize: 20, hideOnSinglePage: true }} scroll={{ x: 560 }} className="gdf-replay-table" />
                    )}
                  </>
                )}
              </div>
            ) },
          ]} />
          <Form layout="vertical" style={{ marginTop: 12 }}>
            <Form.Item label={t('publish.note')} htmlFor="gdf-publish-note" required help={t('publish.noteHelp')}>
              <Input.TextArea id="gdf-publish-note" value={note} maxLength={5000} autoSize={{ minRows: 2 }} onChange={(e) => setNote(e.target.value)} />
            </Form.Item>
          </Form>
        </div>
      )}
    </Modal>
  );
}
