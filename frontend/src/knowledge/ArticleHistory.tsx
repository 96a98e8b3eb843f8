// An article's version history for staff: every version (who, when, status, note), two of them compared line
// by line with the changed words marked, and "Restore this version" (the API saves it as a new version).
import { Alert, App, Button, Drawer, Empty, Pagination, Popconfirm, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api';
import { describeApiError } from '../utils/errors';
import { useDateTimeFormatter } from '../utils/format';
import { describePath, parseUnifiedDiff, sortChanges, type DiffRow } from './historyDiff';
import type { Article } from './types';

/** GET /knowledge/articles/:id/versions, newest first. */
interface ArticleVersion {
  number: number;
  status: 'draft' | 'published';
  note: string;
  saved_at: string;
  saved_by: { id: number; name: string } | null;
}

/** GET /knowledge/articles/:id/diff?from=&to=: a unified diff per changed title, body or property. */
interface ArticleDiff {
  from: number;
  to: number;
  changes: { path: string; diff: string }[];
}

interface Pair {
  from: number;
  to: number;
}

const PAGE_SIZE = 10;

type TFunc = ReturnType<typeof useTranslation<'translation'>>['t'];

/** The "History" button of an article's page, and the drawer it opens. */
export default function ArticleHistory({ article, onRestored }: { article: Article; onRestored: (article: Article) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="kb-history-open">
        {t('knowledge.history.open')}
      </Button>
      <Drawer
        title={t('knowledge.history.title')}
        open={open}
        onClose={() => setOpen(false)}
        width={760}
        rootClassName="gd-kb-history"
      >
        {open && <HistoryPanel article={article} onRestored={onRestored} />}
      </Drawer>
    </>
  );
}

function errorText(err: unknown, t: TFunc): string {
  return err instanceof ApiError ? describeApiError(err, t) : t('errors.unexpected');
}

function HistoryPanel({ article, onRestored }: { article: Article; onRestored: (article: Article) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const format = useDateTimeFormatter();
  const [versions, setVersions] = useState<ArticleVersion[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pair, setPair] = useState<Pair | null>(null);
  const [page, setPage] = useState(1);
  const [restoring, setRestoring] = useState<number | null>(null);
  const [restoreError, setRestoreError] = useState<{ number: number; text: string } | null>(null);
  const compareRef = useRef<HTMLElement>(null);

  // Reloaded whenever the article changes (a restore here, a publish on the page): the newest is the current one.
  useEffect(() => {
    let live = true;
    api
      .get<{ items: ArticleVersion[] }>(`/knowledge/articles/${article.id}/versions`)
      .then(({ items }) => {
        if (!live) return;
        setVersions(items);
        setPage(1);
        if (items.length) setPair({ from: (items[1] ?? items[0]).number, to: items[0].number });
      })
      .catch((err) => live && setError(errorText(err, t)));
    return () => {
      live = false;
    };
  }, [article.id, article.revision, t]);

  const current = versions?.[0]?.number ?? null;

  const compareWithCurrent = (number: number) => {
    if (current === null) return;
    setPair({ from: number, to: current });
    compareRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };

  const restore = async (number: number) => {
    setRestoring(number);
    setRestoreError(null);
    try {
      const restored = await api.post<Article>(`/knowledge/articles/${article.id}/versions/${number}/restore`, undefined, {
        headers: article.revision ? { 'If-Match': `"${article.revision}"` } : undefined,
      });
      void message.success(t('knowledge.history.restored', { number, next: (current ?? 0) + 1 }));
      onRestored(restored);
    } catch (err) {
      setRestoreError({ number, text: errorText(err, t) });
    } finally {
      setRestoring(null);
    }
  };

  if (error) return <Alert type="warning" showIcon message={error} />;
  if (!versions) return <Skeleton active />;

  const shown = versions.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  return (
    <div className="gd-kb-history-panel">
      <section aria-label={t('knowledge.history.versions')}>
        <ol className="gd-kb-versions" data-testid="kb-versions">
          {shown.map((version) => {
            const isCurrent = version.number === current;
            return (
              <li
                key={version.number}
                className={`gd-kb-version${pair?.from === version.number || pair?.to === version.number ? ' is-compared' : ''}`}
                data-testid={`kb-version-${version.number}`}
              >
                <Space size={4} wrap>
                  <Typography.Text strong>{t('knowledge.history.version', { number: version.number })}</Typography.Text>
                  {isCurrent && <Tag color="green">{t('knowledge.history.current')}</Tag>}
                  {version.status === 'published' ? (
                    <Tag color="blue">{t('knowledge.history.published')}</Tag>
                  ) : (
                    <Tag color="orange">{t('knowledge.draft')}</Tag>
                  )}
                </Space>
                {version.note && <div className="gd-kb-version-note">{noteText(version.note, t)}</div>}
                <Typography.Text type="secondary" className="gd-kb-version-by">
                  {t('knowledge.history.savedBy', {
                    who: version.saved_by?.name ?? t('knowledge.history.unknownPerson'),
                    when: format(version.saved_at),
                  })}
                </Typography.Text>
                {!isCurrent && (
                  <Space size={8} wrap className="gd-kb-version-actions">
                    <Button size="small" onClick={() => compareWithCurrent(version.number)}>
                      {t('knowledge.history.compareWithCurrent')}
                    </Button>
                    <Popconfirm
                      title={t('knowledge.history.restoreTitle', { number: version.number })}
                      description={
                        <div className="gd-kb-restore-text">
                          {t('knowledge.history.restoreText', { number: version.number, next: (current ?? 0) + 1 })}
                        </div>
                      }
                      okText={t('knowledge.history.restoreOk')}
                      cancelText={t('common.cancel')}
                      onConfirm={() => restore(version.number)}
                    >
                      <Button size="small" loading={restoring === version.number}>
                        {t('knowledge.history.restore')}
                      </Button>
                    </Popconfirm>
                  </Space>
                )}
                {restoreError?.number === version.number && (
                  <Alert type="error" showIcon message={restoreError.text} className="gd-kb-version-error" />
                )}
              </li>
            );
          })}
        </ol>
        {versions.length > PAGE_SIZE && (
          <Pagination simple size="small" current={page} pageSize={PAGE_SIZE} total={versions.length} onChange={setPage} />
        )}
      </section>
      {pair && versions.length > 1 && (
        <section className="gd-kb-compare" aria-labelledby="kb-compare-title" ref={compareRef}>
          <Typography.Title level={3} id="kb-compare-title" className="gd-kb-compare-title">
            {t('knowledge.history.compareTitle')}
          </Typography.Title>
          <ComparePicker versions={versions} pair={pair} onChange={setPair} />
          <Comparison articleId={article.id} pair={pair} />
        </section>
      )}
    </div>
  );
}

/** The server writes its own notes for what it saves: publishing, taking back to draft, restoring. */
function noteText(note: string, t: TFunc): string {
  const restored = /^restored v(\d+)$/.exec(note);
  if (restored) return t('knowledge.history.noteRestored', { number: restored[1] });
  if (note === 'published') return t('knowledge.history.notePublished');
  if (note === 'draft') return t('knowledge.history.noteDraft');
  return note;
}

function ComparePicker({ versions, pair, onChange }: { versions: ArticleVersion[]; pair: Pair; onChange: (pair: Pair) => void }) {
  const { t } = useTranslation();
  const options = versions.map((version, index) => ({
    value: version.number,
    label:
      index === 0
        ? t('knowledge.history.optionCurrent', { number: version.number })
        : t('knowledge.history.version', { number: version.number }),
  }));
  return (
    <div className="gd-kb-compare-pick">
      {(['from', 'to'] as const).map((end) => (
        <label key={end}>
          <span>{t(`knowledge.history.${end}`)}</span>
          <Select
            aria-label={t(`knowledge.history.${end}`)}
            value={pair[end]}
            options={options}
            onChange={(number: number) => onChange({ ...pair, [end]: number })}
            popupMatchSelectWidth={false}
          />
        </label>
      ))}
    </div>
  );
}

/** The changes between the two versions, one block per title, body or property that changed. */
function Comparison({ articleId, pair }: { articleId: number; pair: Pair }) {
  const { t } = useTranslation();
  // Kept with the pair it answers, so that a slower earlier answer is never shown for a later choice.
  const [diff, setDiff] = useState<{ pair: Pair; found: ArticleDiff } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const same = pair.from === pair.to;

  useEffect(() => {
    if (same) return undefined;
    let live = true;
    setDiff(null);
    setError(null);
    api
      .get<ArticleDiff>(`/knowledge/articles/${articleId}/diff`, { from: pair.from, to: pair.to })
      .then((found) => live && setDiff({ pair: { from: pair.from, to: pair.to }, found }))
      .catch((err) => live && setError(errorText(err, t)));
    return () => {
      live = false;
    };
  }, [articleId, pair.from, pair.to, same, t]);

  if (same) return <Alert type="info" showIcon message={t('knowledge.history.sameVersion')} />;
  if (error) return <Alert type="warning" showIcon message={error} />;
  if (!diff || diff.pair.from !== pair.from || diff.pair.to !== pair.to) return <Skeleton active paragraph={{ rows: 3 }} />;
  const changes = sortChanges(diff.found.changes);
  if (!changes.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('knowledge.history.noChanges')} />;
  return (
    <div data-testid="kb-diff">
      <div className="gd-kb-diff-legend">
        <span className="gd-kb-diff-line is-del">− {t('knowledge.history.legendRemoved', { from: pair.from, to: pair.to })}</span>
        <span className="gd-kb-diff-line is-add">+ {t('knowledge.history.legendAdded', { from: pair.from, to: pair.to })}</span>
      </div>
      {changes.map((change) => (
        <ChangeBlock key={change.path} path={change.path} diff={change.diff} />
      ))}
    </div>
  );
}

function ChangeBlock({ path, diff }: { path: string; diff: string }) {
  const { t } = useTranslation();
  const rows = useMemo(() => parseUnifiedDiff(diff), [diff]);
  const { field, locale } = describePath(path);
  const language = locale ? t(`knowledge.history.language.${locale}` as 'knowledge.history.language.en', locale) : '';
  const label = locale
    ? t(`knowledge.history.field.${field}` as 'knowledge.history.field.title', { language })
    : t(`knowledge.history.field.${field}` as 'knowledge.history.field.tags', field);
  const value = useCallback((text: string) => propertyValue(field, text, t), [field, t]);
  return (
    <section className="gd-kb-change" data-path={path}>
      <Typography.Title level={4} className="gd-kb-change-title">
        {label}
      </Typography.Title>
      <div className="gd-kb-diff" lang={locale}>
        {rows.map((row, index) => (
          <DiffLine key={index} row={row} value={locale ? undefined : value} />
        ))}
      </div>
    </section>
  );
}

/** A property's stored value as people read it (the diff has the raw one: "None", "staff", "zh-CN"). */
function propertyValue(field: string, text: string, t: TFunc): string {
  if (text === 'None' || text === '') return t('knowledge.history.none');
  if (field === 'visibility' && ['everyone', 'staff', 'teams'].includes(text)) {
    const key = { everyone: 'visibilityEveryone', staff: 'visibilityStaff', teams: 'visibilityTeams' }[text];
    return t(`knowledge.${key}` as 'knowledge.visibilityStaff');
  }
  if (field === 'locale' && (text === 'en' || text === 'zh-CN')) return t(`knowledge.history.language.${text}`);
  return text;
}

function DiffLine({ row, value }: { row: DiffRow; value?: (text: string) => string }) {
  const { t } = useTranslation();
  if (row.kind === 'gap') return <div className="gd-kb-diff-gap">{t('knowledge.history.gap')}</div>;
  const sign = row.kind === 'del' ? '−' : row.kind === 'add' ? '+' : ' ';
  const Changed = row.kind === 'del' ? 'del' : 'ins';
  const whole = value && row.parts.length === 1 ? value(row.parts[0].text) : null;
  return (
    <div className={`gd-kb-diff-line is-${row.kind}`}>
      <span className="gd-kb-diff-sign" aria-hidden>
        {sign}
      </span>
      {row.kind !== 'same' && (
        <span className="gd-visually-hidden">
          {row.kind === 'del' ? t('knowledge.history.removedLine') : t('knowledge.history.addedLine')}
        </span>
      )}
      <span className="gd-kb-diff-text">
        {whole !== null
          ? row.kind === 'same' ? whole : <Changed>{whole}</Changed>
          : row.parts.map((part, index) =>
              part.changed ? <Changed key={index}>{part.text}</Changed> : <span key={index}>{part.text}</span>,
            )}
      </span>
    </div>
  );
}
