// Versions of the type: who published each, when, with what note; and the diff between any two
// versions, or the draft and a version.
import { useFlowT } from './useFlowT';
import { Card, Select, Space, Spin, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useErrorHandler } from '../../utils/errors';
import { useDateTimeFormatter } from '../../utils/format';
import DiffView from './DiffView';
import type { FlowEditorProps } from './editorProps';
import { flowApi, type VersionSummary } from './flowApi';
import type { Definition } from './types';

type Which = 'draft' | number;

export default function VersionsPanel({ typeKey, definition, onShow }: Pick<FlowEditorProps, 'typeKey' | 'definition'> & { onShow?: (path: string) => void }) {
  const { t } = useFlowT();
  const format = useDateTimeFormatter();
  const handleError = useErrorHandler();
  const [versions, setVersions] = useState<VersionSummary[] | null>(null);
  const [from, setFrom] = useState<Which | null>(null);
  const [to, setTo] = useState<Which>('draft');
  const [docs, setDocs] = useState<Record<string, Definition>>({});

  useEffect(() => {
    flowApi.versions(typeKey).then((r) => {
      setVersions(r.items);
      if (r.items.length) setFrom(r.items[0].number);
    }, handleError);
  }, [typeKey, handleError]);

  useEffect(() => {
    for (const which of [from, to]) {
      if (typeof which === 'number' && !docs[which]) {
        flowApi.version(typeKey, which).then((v) => setDocs((d) => ({ ...d, [which]: v.definition })), handleError);
      }
    }
  }, [from, to, docs, typeKey, handleError]);

  const docOf = (which: Which | null): Definition | null | undefined => (which === null ? null : which === 'draft' ? definition : docs[which]);
  const options = [{ value: 'draft', label: t('versions.draft') }, ...(versions ?? []).map((v) => ({ value: v.number, label: t('versions.version', { n: v.number }) }))];
  const oldDoc = docOf(from);
  const newDoc = docOf(to);

  return (
    <div className="gdf-two">
      <Card size="small" title={t('versions.compare')}>
        <Space wrap style={{ marginBottom: 8 }}>
          <label htmlFor="gdf-diff-from">{t('versions.from')}</label>
          <Select id="gdf-diff-from" style={{ width: 150 }} value={from ?? undefined} placeholder={t('versions.nothing')} options={options}
            onChange={(v: Which) => setFrom(v)} />
          <label htmlFor="gdf-diff-to">{t('versions.to')}</label>
          <Select id="gdf-diff-to" style={{ width: 150 }} value={to} options={options} onChange={(v: Which) => setTo(v)} />
        </Space>
        {oldDoc === undefined || newDoc === undefined || newDoc === null ? <Spin /> : <DiffView from={oldDoc} to={newDoc} onShow={to === 'draft' ? onShow : undefined} />}
      </Card>
      <Card size="small" title={t('versions.history')}>
        <Table<VersionSummary> size="small" rowKey="number" loading={versions === null} dataSource={versions ?? []} pagination={false}
          locale={{ emptyText: t('versions.none') }}
          columns={[
            { title: t('versions.number'), dataIndex: 'number', render: (n: number) => `v${n}` },
            { title: t('versions.published'), key: 'by', render: (_, v) => (
              <Space direction="vertical" size={0}>
                <span>{v.published_by?.name ?? '—'}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{format(v.published_at)}</Typography.Text>
              </Space>
            ) },
            { title: t('versions.note'), dataIndex: 'changelog' },
          ]} />
      </Card>
    </div>
  );
}
