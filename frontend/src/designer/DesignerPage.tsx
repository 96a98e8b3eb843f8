// /designer/:key — one ticket type's draft: tabs (the form now; workflow, routing … from part 2),
// undo/redo, autosave with conflicts, problems, publish.
import { Alert, App, Badge, Button, Drawer, Input, List, Modal, Result, Skeleton, Space, Tabs, Tag, Tooltip, Typography } from 'antd';
import { Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api';
import { FullPageSpinner } from '../auth/guards';
import { ArrowLeftOutlined, RedoOutlined, UndoOutlined, WarningOutlined } from './icons';
import { useIsDesktop } from '../layout/useMediaQuery';
import { useDateTimeFormatter } from '../utils/format';
import { usePageTitle } from '../utils/usePageTitle';
import { useErrorHandler } from '../utils/errors';
import { DesignerContext, type DesignerContextValue } from './context';
import './designer.css';
import './i18n';
import { placeOf, type Problem } from './model/problems';
import { definitionOf, designerDoc, useDesigner } from './state';
import { DESIGNER_TABS } from './tabs';
import { useLeaveGuard } from './useLeaveGuard';

export default function DesignerPage() {
  const { key = '' } = useParams();
  const { t } = useTranslation('designer');
  const [params, setParams] = useSearchParams();
  const designer = useDesigner(key);
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const isDesktop = useIsDesktop();
  const formatDateTime = useDateTimeFormatter();
  const [problemsOpen, setProblemsOpen] = useState(false);
  const [publishOpen, setPublishOpen] = useState(false);
  const [focusTarget, setFocusTarget] = useState<DesignerContextValue['focusTarget']>(null);
  const tab = params.get('tab') ?? 'form';
  usePageTitle(designer.type ? t('page.title', { name: designer.type.name }) : t('home.title'));

  const { undo, redo, save, update, definition, state } = designer;
  useLeaveGuard(designer.dirty || designer.status === 'saving' || designer.status === 'error', save);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey)) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest('.gd-code')) return; // JSON editors keep the browser's own undo
      const k = event.key.toLowerCase();
      if (k === 'z' && !event.shiftKey) {
        event.preventDefault();
        undo();
      } else if ((k === 'z' && event.shiftKey) || k === 'y') {
        event.preventDefault();
        redo();
      } else if (k === 's') {
        event.preventDefault();
        save().catch(handleError);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo, redo, save, handleError]);

  useEffect(() => {
    if (definition) performance.mark('designer:rendered');
  }, [definition]);

  const setTab = useCallback(
    (next: string) => {
      const copy = new URLSearchParams(params);
      copy.set('tab', next);
      setParams(copy, { replace: true });
    },
    [params, setParams],
  );

  const focus = useCallback(
    (target: { field?: string; pointer?: string; tab?: string }) => {
      if (target.tab) setTab(target.tab);
      setFocusTarget({ field: target.field, pointer: target.pointer, nonce: Date.now() });
    },
    [setTab],
  );

  const context = useMemo<DesignerContextValue | null>(() => {
    if (!definition || !state) return null;
    return {
      designer,
      definition,
      state,
      update,
      updateDefinition: (change, group) => update((s) => designerDoc(change(definitionOf(s))), group),
      typeKey: key,
      publishedKeys: designer.publishedKeys,
      problems: designer.problems,
      focus,
      focusTarget,
    };
  }, [designer, definition, state, update, key, focus, focusTarget]);

  if (designer.loadError) {
    const missing = designer.loadError instanceof ApiError && designer.loadError.status === 404;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={missing ? t('page.missing') : t('page.loadFailed')}
        subTitle={designer.loadError instanceof Error ? designer.loadError.message : undefined}
        extra={<Link to="/designer">{t('page.backHome')}</Link>}
      />
    );
  }
  if (!context || !designer.type) return <Skeleton active />;

  const { errors, warnings } = designer.problems;
  const type = designer.type;
  const goToProblem = (problem: Problem) => {
    const place = placeOf(problem.path, context.definition);
    setProblemsOpen(false);
    if (place.area === 'field') focus({ tab: 'form', field: place.key });
    else if (place.area === 'rule') {
      const rule = (context.state.form.rules[place.index] ?? {}) as Record<string, unknown>;
      const target = ['show', 'require', 'hide'].map((k) => rule[k]).find((v) => Array.isArray(v) && v.length) as string[] | undefined;
      focus({ tab: 'form', field: target?.[0], pointer: problem.path });
    } else focus({ tab: 'json', pointer: problem.path });
  };

  const doPublish = async (changelog: string) => {
    try {
      const version = await designer.publish(changelog);
      if (version) {
        void message.success(t('publish.done', { version: version.number }));
        setPublishOpen(false);
      }
    } catch (error) {
      if (error instanceof ApiError && error.status === 422 && error.details.length) {
        designer.setProblems({ errors: error.details.map((d) => ({ path: d.path ?? '', message: d.message, code: (d as { code?: string }).code ?? '' })), warnings });
        setPublishOpen(false);
        setProblemsOpen(true);
      }
      handleError(error);
    }
  };

  const stateTag =
    type.latest_version === null ? (
      <Tag color="gold">{t('home.draftOnly')}</Tag>
    ) : (
      <Tag color="green">{t('home.published', { version: type.latest_version })}</Tag>
    );

  return (
    <DesignerContext.Provider value={context}>
      <div className="gd-designer">
        <div className="gd-designer-bar">
          <Space wrap size="small" className="gd-designer-title">
            <Link to="/designer" aria-label={t('page.backHome')}>
              <ArrowLeftOutlined />
            </Link>
            <Typography.Title level={1} className="gd-designer-name">
              {String(definition?.name ?? type.name)}
            </Typography.Title>
            {stateTag}
            <SaveState designer={designer} />
          </Space>
          <Space wrap size="small">
            <Tooltip title={t('page.undoHint')}>
              <Button icon={<UndoOutlined />} onClick={undo} disabled={!designer.canUndo} aria-label={t('page.undo')}>
                {isDesktop ? t('page.undo') : null}
              </Button>
            </Tooltip>
            <Tooltip title={t('page.redoHint')}>
              <Button icon={<RedoOutlined />} onClick={redo} disabled={!designer.canRedo} aria-label={t('page.redo')}>
                {isDesktop ? t('page.redo') : null}
              </Button>
            </Tooltip>
            <Badge count={errors.length} size="small" offset={[-4, 4]}>
              <Button icon={<WarningOutlined />} onClick={() => setProblemsOpen(true)} aria-label={t('problems.open', { errors: errors.length, warnings: warnings.length })}>
                {t('problems.button', { errors: errors.length, warnings: warnings.length })}
              </Button>
            </Badge>
            <Button type="primary" onClick={() => setPublishOpen(true)}>
              {t('publish.button')}
            </Button>
          </Space>
        </div>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          destroyInactiveTabPane
          items={DESIGNER_TABS.map((entry) => ({
            key: entry.key,
            label: entry.label(t),
            children: (
              <Suspense fallback={<FullPageSpinner />}>
                <entry.component context={context} />
              </Suspense>
            ),
          }))}
        />
      </div>
      <Drawer title={t('problems.title')} open={problemsOpen} onClose={() => setProblemsOpen(false)} width={isDesktop ? 480 : '100%'}>
        {!errors.length && !warnings.length ? (
          <Typography.Text type="secondary">{t('problems.none')}</Typography.Text>
        ) : (
          <List
            className="gd-problems"
            dataSource={[...errors.map((p) => ({ p, level: 'error' as const })), ...warnings.map((p) => ({ p, level: 'warning' as const }))]}
            renderItem={({ p, level }) => (
              <List.Item>
                <button type="button" className="gd-problem" onClick={() => goToProblem(p)}>
                  <Tag color={level === 'error' ? 'red' : 'orange'}>{level === 'error' ? t('problems.error') : t('problems.warning')}</Tag>
                  <span>{p.message}</span>
                  <code>{p.path || '/'}</code>
                </button>
              </List.Item>
            )}
          />
        )}
      </Drawer>
      <PublishDialog open={publishOpen} onClose={() => setPublishOpen(false)} onPublish={doPublish} errors={errors.length} />
      <Modal
        open={!!designer.conflict}
        title={t('conflict.title')}
        closable={false}
        maskClosable={false}
        footer={[
          <Button key="reload" onClick={() => void designer.resolveConflict('reload').catch(handleError)}>
            {t('conflict.reload')}
          </Button>,
          <Button key="keep" type="primary" onClick={() => void designer.resolveConflict('keep').catch(handleError)}>
            {t('conflict.keep')}
          </Button>,
        ]}
      >
        {designer.conflict && (
          <Typography.Paragraph>
            {t('conflict.text', {
              name: designer.conflict.updated_by?.name ?? t('conflict.someone'),
              email: designer.conflict.updated_by?.email ?? '',
              time: formatDateTime(designer.conflict.updated_at),
            })}
          </Typography.Paragraph>
        )}
        <Typography.Paragraph type="secondary">{t('conflict.help')}</Typography.Paragraph>
      </Modal>
      {designer.status === 'error' && (
        <Alert
          className="gd-designer-alert"
          type="error"
          showIcon
          message={t('save.failed')}
          action={
            <Button size="small" onClick={() => save().catch(handleError)}>
              {t('save.retry')}
            </Button>
          }
        />
      )}
    </DesignerContext.Provider>
  );
}

function SaveState({ designer }: { designer: ReturnType<typeof useDesigner> }) {
  const { t } = useTranslation('designer');
  const formatDateTime = useDateTimeFormatter();
  const text = {
    saved: designer.lastSaved
      ? t('save.savedBy', { time: formatDateTime(designer.lastSaved.at), name: designer.lastSaved.by?.name ?? '—' })
      : t('save.saved'),
    pending: t('save.pending'),
    saving: t('save.saving'),
    error: t('save.error'),
    conflict: t('save.conflict'),
  }[designer.status];
  return (
    <Typography.Text type={designer.status === 'error' || designer.status === 'conflict' ? 'danger' : 'secondary'} className="gd-save-state" aria-live="polite" data-status={designer.status}>
      {text}
    </Typography.Text>
  );
}

function PublishDialog({ open, onClose, onPublish, errors }: { open: boolean; onClose: () => void; onPublish: (changelog: string) => Promise<void>; errors: number }) {
  const { t } = useTranslation('designer');
  const [changelog, setChangelog] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open={open}
      title={t('publish.title')}
      onCancel={onClose}
      okText={t('publish.confirm')}
      okButtonProps={{ disabled: !changelog.trim(), loading: busy }}
      onOk={async () => {
        setBusy(true);
        try {
          await onPublish(changelog.trim());
          setChangelog('');
        } finally {
          setBusy(false);
        }
      }}
    >
      {errors > 0 && <Alert type="warning" showIcon message={t('publish.hasErrors', { count: errors })} style={{ marginBottom: 12 }} />}
      <label htmlFor="gd-changelog" className="gd-label">
        {t('publish.changelog')}
      </label>
      <Input.TextArea id="gd-changelog" value={changelog} onChange={(e) => setChangelog(e.target.value)} autoSize={{ minRows: 2, maxRows: 6 }} maxLength={5000} />
    </Modal>
  );
}
