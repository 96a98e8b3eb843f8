// A diff read as sentences grouped by part, breaking changes marked and explained, the JSON diff one
// click away.
import { useFlowT } from './useFlowT';
import { Alert, Button, Empty, Segmented, Space, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { diffDefinitions, groupByPart, sentence } from './diff';
import { jsonDiff } from './jsonDiff';
import { fieldTitles } from './rulesText';
import type { Definition } from './types';

/** A document without its UI-only parts, as the runtime sees it. */
export function runtimeDocument(doc: Definition | null): Definition | null {
  if (!doc) return null;
  const copy = { ...doc };
  delete copy.layout;
  return copy;
}

export default function DiffView({ from, to, onShow }: {
  from: Definition | null;
  to: Definition;
  /** Go to the widget of a change (its JSON pointer). */
  onShow?: (path: string) => void;
}) {
  const { t } = useFlowT();
  const [mode, setMode] = useState<'sentences' | 'json'>('sentences');
  const changes = useMemo(() => diffDefinitions(runtimeDocument(from), runtimeDocument(to) as Definition), [from, to]);
  const titles = useMemo(() => ({ ...fieldTitles(from), ...fieldTitles(to) }), [from, to]);
  const lines = useMemo(() => (mode === 'json' ? jsonDiff(runtimeDocument(from), runtimeDocument(to)) : []), [mode, from, to]);
  const breaking = changes.filter((c) => c.breaking).length;

  return (
    <div className="gdf-diff">
      <Space wrap style={{ marginBottom: 8 }}>
        <Segmented value={mode} onChange={(v) => setMode(v as 'sentences' | 'json')}
          options={[{ value: 'sentences', label: t('diffView.sentences') }, { value: 'json', label: t('diffView.json') }]} />
        <Typography.Text type="secondary">{t('diffView.count', { count: changes.length })}</Typography.Text>
        {breaking > 0 && <Tag color="red">{t('diffView.breaking', { count: breaking })}</Tag>}
      </Space>
      {!changes.length && <Empty description={t('diffView.none')} />}
      {mode === 'sentences' && groupByPart(changes).map(([part, list]) => (
        <section key={part} className="gdf-diff-part">
          <Typography.Title level={3} style={{ fontSize: 15, marginTop: 12 }}>{t(`parts.${part}`)}</Typography.Title>
          <ul>
            {list.map((change, i) => (
              <li key={i} data-code={change.code} className={change.breaking ? 'gdf-breaking' : undefined}>
                {change.breaking && <Tag color="red">{t('diffView.breakingTag')}</Tag>}
                {sentence(t, change, titles)}
                {onShow && <Button type="link" size="small" onClick={() => onShow(change.path)}>{t('diffView.show')}</Button>}
                {change.why && <div><Typography.Text type="danger" style={{ fontSize: 12 }}>{t(`diff.why.${change.why}` as 'diff.why.numberPrefix')}</Typography.Text></div>}
              </li>
            ))}
          </ul>
        </section>
      ))}
      {mode === 'json' && changes.length > 0 && (
        <pre className="gdf-json-diff" aria-label={t('diffView.json')}>
          {lines.map((line, i) => (
            <div key={i} className={`is-${line.kind}`}>
              {line.kind === 'fold' ? t('diffView.fold', { count: line.hidden }) : `${line.kind === 'add' ? '+' : line.kind === 'del' ? '-' : ' '} ${line.text}`}
            </div>
          ))}
        </pre>
      )}
      {breaking > 0 && mode === 'sentences' && <Alert type="warning" showIcon style={{ marginTop: 8 }} message={t('diffView.breakingNote')} />}
    </div>
  );
}
