// /designer/:key/:tab — one ticket type's draft, all of it on one page: the form builder and the flow
// editors (status graph, priority, routing, SLA, automations), translations, versions and JSON as tabs
// (the tab in the URL), over one draft: one undo/redo history, one autosave with If-Match and its
// conflicts, one problems panel, one publish dialog (diff and replay), one "leaving asks first".
import { Alert, App, Badge, Button, Drawer, List, Modal, Result, Select, Skeleton, Space, Tabs, Tag, Tooltip, Typography } from 'antd';
import { lazy, memo, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api';
import { FullPageSpinner } from '../auth/guards';
import { ArrowLeftOutlined, RedoOutlined, UndoOutlined, WarningOutlined } from './icons';
import { useIsDesktop } from '../layout/useMediaQuery';
import { useDateTimeFormatter } from '../utils/format';
import { usePageTitle } from '../utils/usePageTitle';
import { useErrorHandler } from '../utils/errors';
import { DesignerContext, useDesignerContext, type DesignerContextValue } from './context';
import './designer.css';
import { FlowRefsProvider } from './flow/refs';
import { tabForPath } from './flow/tabs';
import type { Definition } from './flow/types';
import './flow/flow.css';
import './i18n';
import { changedPart } from './editGroup';
import type { JsonObject } from './model/json';
import { placeOf, type Problem } from './model/problems';
import { definitionOf, useDesigner, withDefinition, type Designer, type SaveStatus } from './state';
import { DEFAULT_TAB, DESIGNER_TABS, isDesignerTab } from './tabs';
import { useLeaveGuard } from './useLeaveGuard';
import { useStableCallback } from './form/stable';

// The publish dialog (diff, replay) loads when it is first opened.
const PublishDialog = lazy(() => import('./flow/PublishDialog'));

/** The designer's URL for a type and tab. */
export function designerPath(key: string, tab = DEFAULT_TAB): string {
  return `/designer/${encodeURIComponent(key)}${tab === DEFAULT_TAB ? '' : `/${tab}`}`;
}

/** /designer/:key/flow and /designer/:key/flow/:tab (the flow editors' page before they became tabs). */
export function FlowRedirect() {
  const { key = '', tab } = useParams();
  const { search, hash } = useLocation();
  return <Navigate replace to={`${designerPath(key, isDesignerTab(tab) ? tab : 'workflow')}${search}${hash}`} />;
}

export default function DesignerPage() {
  const { key = '', tab: tabParam } = useParams();
  const [params] = useSearchParams();
  const legacy = params.get('tab'); // /designer/:key?tab=… (before the tab was part of the path)
  if (!tabParam && legacy && isDesignerTab(legacy)) return <Navigate replace to={designerPath(key, legacy)} />;
  if (tabParam && !isDesignerTab(tabParam)) return <Navigate replace to={designerPath(key)} />;
  return <Designer typeKey={key} tab={tabParam ?? DEFAULT_TAB} />;
}

function Designer({ typeKey: key, tab }: { typeKey: string; tab: string }) {
  const { t } = useTranslation('designer');
  const navigate = useNavigate();
  const designer = useDesigner(key);
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const isDesktop = useIsDesktop();
  const [problemsOpen, setProblemsOpen] = useState(false);
  const [publishOpen, setPublishOpen] = useState(false);
  const [focusTarget, setFocusTarget] = useState<DesignerContextValue['focusTarget']>(null);
  usePageTitle(designer.type ? t('page.title', { name: designer.type.name }) : t('home.title'));

  const { save, update, definition, state } = designer;
  // Undo and redo show what they changed: a graph edit undone from the form tab opens the status graph.
  const shownBefore = useRef<JsonObject | null>(null);
  const { undo: undoDraft, redo: redoDraft, canUndo, canRedo } = designer;
  const undo = useCallback(() => {
    if (!canUndo) return;
    shownBefore.current = definition;
    undoDraft();
  }, [canUndo, definition, undoDraft]);
  const redo = useCallback(() => {
    if (!canRedo) return;
    shownBefore.current = definition;
    redoDraft();
  }, [canRedo, definition, redoDraft]);
  /** Save now and wait (simulations and publishing read the saved draft); false if it did not save. */
  const flush = useCallback(() => save().catch(() => false), [save]);
  // Other tabs of this designer are not "leaving".
  useLeaveGuard(designer.dirty || designer.status === 'saving' || designer.status === 'error', save, {
    inside: `/designer/${encodeURIComponent(key)}`,
    onDiscard: designer.discard,
  });

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

  // On a desk, once the page has settled, the status graph's layout engine (ELK, 1.6 MB, in its own worker
  // thread) is loaded and compiled in the background: the first layout of the graph tab then takes about
  // 200 ms instead of 850 (bench/bench_designer_flow.py). Phones wait until the graph is opened.
  useEffect(() => {
    if (!isDesktop) return;
    const warm = () => void import('./flow/elkWorker').then((m) => m.getElk()).catch(() => undefined);
    if (typeof window.requestIdleCallback === 'function') {
      const id = window.requestIdleCallback(warm, { timeout: 5000 });
      return () => window.cancelIdleCallback(id);
    }
    const id = setTimeout(warm, 3000);
    return () => clearTimeout(id);
  }, [isDesktop]);

  // Once, when the draft is first shown (the designer bench reads it); a mark per keystroke would only
  // grow the page's performance timeline.
  const hasDefinition = !!definition;
  useEffect(() => {
    if (hasDefinition) performance.mark('designer:rendered');
  }, [hasDefinition]);

  const setTab = useCallback(
    (next: string) => {
      if (next !== tab) navigate(designerPath(key, next));
    },
    [navigate, key, tab],
  );

  useEffect(() => {
    const before = shownBefore.current;
    if (!before || !definition || before === definition) return;
    shownBefore.current = null;
    if (tab === 'translations' || tab === 'json') return; // these show every part
    const part = changedPart(before, definition);
    const target = part === '/form' ? 'form' : part ? tabForPath(part) : null;
    if (target) setTab(target);
  }, [definition, tab, setTab]);

  const focus = useCallback(
    (target: { field?: string; pointer?: string; tab?: string }) => {
      if (target.tab) setTab(target.tab);
      setFocusTarget({ field: target.field, pointer: target.pointer, nonce: Date.now() });
    },
    [setTab],
  );

  // Where a JSON pointer of the definition is edited: a field (or its rule) in the form builder, a
  // state, transition, routing rule … in its flow tab, anything else in the JSON view.
  const definitionNow = definition;
  const show = useCallback(
    (path: string) => {
      setProblemsOpen(false);
      const place = placeOf(path, definitionNow ?? {});
      const flowTab = tabForPath(path);
      if (place.area === 'field') focus({ tab: 'form', field: place.key, pointer: path });
      else if (place.area === 'rule') {
        const rules = (state?.form.rules ?? []) as Record<string, unknown>[];
        const rule = rules[place.index] ?? {};
        const target = ['show', 'require', 'hide'].map((k) => rule[k]).find((v) => Array.isArray(v) && v.length) as string[] | undefined;
        focus({ tab: 'form', field: target?.[0], pointer: path });
      } else if (place.area === 'form') focus({ tab: 'form', pointer: path });
      else if (flowTab) focus({ tab: flowTab, pointer: path });
      else focus({ tab: 'json', pointer: path });
    },
    [definitionNow, state, focus],
  );

  const context = useMemo<DesignerContextValue | null>(() => {
    if (!definition || !state) return null;
    return {
      designer,
      definition,
      state,
      update,
      updateDefinition: (change, group) => update((s) => withDefinition(s, change(definitionOf(s))), group),
      typeKey: key,
      publishedKeys: designer.publishedKeys,
      problems: designer.problems,
      focus,
      show,
      focusTarget,
    };
  }, [designer, definition, state, update, key, focus, show, focusTarget]);

  // Stable handlers for the memoised tabs, problems drawer and conflict dialog: typing re-renders this
  // page on every keystroke, and those re-render only when what they show changes.
  const goToProblem = useStableCallback((problem: Problem) => show(problem.path));
  const closeProblems = useCallback(() => setProblemsOpen(false), []);
  const chooseTab = useStableCallback((next: string) => {
    setFocusTarget(null);
    setTab(next);
  });
  const { resolveConflict } = designer;
  const onResolveConflict = useStableCallback((choice: 'reload' | 'keep') => void resolveConflict(choice).catch(handleError));

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
  const onPublished = (version: { number: number }) => {
    void message.success(t('publish.done', { version: version.number }));
    designer.published().catch(handleError);
  };

  return (
    <DesignerContext.Provider value={context}>
      <FlowRefsProvider>
      <div className="gd-designer">
        <DesignerBar
          name={String(definition?.name ?? type.name)}
          latestVersion={type.latest_version}
          status={designer.status}
          lastSaved={designer.lastSaved}
          canUndo={designer.canUndo}
          canRedo={designer.canRedo}
          undo={undo}
          redo={redo}
          errors={errors.length}
          warnings={warnings.length}
          isDesktop={isDesktop}
          openProblems={setProblemsOpen}
          openPublish={setPublishOpen}
        />
        <DesignerTabs tab={tab} onChange={chooseTab} isDesktop={isDesktop} />
      </div>
      <ProblemsDrawer open={problemsOpen} errors={errors} warnings={warnings} isDesktop={isDesktop} onClose={closeProblems} onShow={goToProblem} />
      {publishOpen && (
        <Suspense fallback={null}>
          <PublishDialog
            open={publishOpen}
            typeKey={key}
            definition={context.definition as unknown as Definition}
            latestVersion={type.latest_version}
            flush={flush}
            onClose={() => setPublishOpen(false)}
            onShow={show}
            onPublished={onPublished}
          />
        </Suspense>
      )}
      <ConflictModal conflict={designer.conflict} onResolve={onResolveConflict} />
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
      </FlowRefsProvider>
    </DesignerContext.Provider>
  );
}

/**
 * The tabs. Each tab's content reads the draft from the designer's context, so the tab items do not
 * change while the designer types and antd's tab bar is not re-rendered (and re-measured) per keystroke.
 */
function TabContent({ entry }: { entry: (typeof DESIGNER_TABS)[number] }) {
  const context = useDesignerContext();
  return <entry.component context={context} />;
}

const DesignerTabs = memo(function DesignerTabs({ tab, onChange, isDesktop }: { tab: string; onChange: (tab: string) => void; isDesktop: boolean }) {
  const { t } = useTranslation('designer');
  const items = useMemo(
    () =>
      DESIGNER_TABS.map((entry) => ({
        key: entry.key,
        label: entry.label(t),
        children: (
          <Suspense fallback={<FullPageSpinner />}>
            <TabContent entry={entry} />
          </Suspense>
        ),
      })),
    [t],
  );
  return (
    <>
      {!isDesktop && (
        // On a phone nine tabs do not fit in a bar: a drop-down names the one shown and lists the others.
        <Select
          className="gd-designer-tab-select"
          aria-label={t('page.tabs')}
          prefix={<span className="gd-designer-tab-prefix">{t('page.tabsPrefix')}</span>}
          value={tab}
          onChange={onChange}
          // Ten parts fit without a virtual list; a plain list scrolls as a phone user expects.
          virtual={false}
          options={items.map((item) => ({ value: item.key, label: item.label }))}
        />
      )}
      <Tabs className="gd-designer-tabs" activeKey={tab} onChange={onChange} destroyOnHidden items={items} renderTabBar={isDesktop ? undefined : () => <></>} />
    </>
  );
});

/** The problems panel: while it is closed, what it would list changing does not re-render it. */
const ProblemsDrawer = memo(
  function ProblemsDrawer({ open, errors, warnings, isDesktop, onClose, onShow }: { open: boolean; errors: Problem[]; warnings: Problem[]; isDesktop: boolean; onClose: () => void; onShow: (problem: Problem) => void }) {
    const { t } = useTranslation('designer');
    return (
      <Drawer title={t('problems.title')} open={open} onClose={onClose} width={isDesktop ? 480 : '100%'}>
        {!errors.length && !warnings.length ? (
          <Typography.Text type="secondary">{t('problems.none')}</Typography.Text>
        ) : (
          <List
            className="gd-problems"
            dataSource={[...errors.map((p) => ({ p, level: 'error' as const })), ...warnings.map((p) => ({ p, level: 'warning' as const }))]}
            renderItem={({ p, level }) => (
              <List.Item>
                <button type="button" className="gd-problem" onClick={() => onShow(p)}>
                  <Tag color={level === 'error' ? 'red' : 'orange'}>{level === 'error' ? t('problems.error') : t('problems.warning')}</Tag>
                  <span>{p.message}</span>
                  <code>{p.path || '/'}</code>
                </button>
              </List.Item>
            )}
          />
        )}
      </Drawer>
    );
  },
  (a, b) => !a.open && !b.open && a.isDesktop === b.isDesktop,
);

/** Someone else saved the draft: reload theirs or keep mine (memoised: it changes only with the conflict). */
const ConflictModal = memo(function ConflictModal({ conflict, onResolve }: { conflict: Designer['conflict']; onResolve: (choice: 'reload' | 'keep') => void }) {
  const { t } = useTranslation('designer');
  const formatDateTime = useDateTimeFormatter();
  return (
    <Modal
      open={!!conflict}
      title={t('conflict.title')}
      closable={false}
      maskClosable={false}
      footer={[
        <Button key="reload" onClick={() => onResolve('reload')}>
          {t('conflict.reload')}
        </Button>,
        <Button key="keep" type="primary" onClick={() => onResolve('keep')}>
          {t('conflict.keep')}
        </Button>,
      ]}
    >
      {conflict && (
        <Typography.Paragraph>
          {t('conflict.text', {
            name: conflict.updated_by?.name ?? t('conflict.someone'),
            email: conflict.updated_by?.email ?? '',
            time: formatDateTime(conflict.updated_at),
          })}
        </Typography.Paragraph>
      )}
      <Typography.Paragraph type="secondary">{t('conflict.help')}</Typography.Paragraph>
    </Modal>
  );
});

/**
 * The bar above the tabs. Memoised: typing in the designer re-renders the page on every keystroke, and
 * these buttons, tooltips and the save state change only with what they show.
 */
const DesignerBar = memo(function DesignerBar(props: {
  name: string;
  latestVersion: number | null;
  status: SaveStatus;
  lastSaved: Designer['lastSaved'];
  canUndo: boolean;
  canRedo: boolean;
  undo: () => void;
  redo: () => void;
  errors: number;
  warnings: number;
  isDesktop: boolean;
  openProblems: (open: boolean) => void;
  openPublish: (open: boolean) => void;
}) {
  const { name, latestVersion, status, lastSaved, canUndo, canRedo, undo, redo, errors, warnings, isDesktop, openProblems, openPublish } = props;
  const { t } = useTranslation('designer');
  const stateTag =
    latestVersion === null ? (
      <Tag color="gold">{t('home.draftOnly')}</Tag>
    ) : (
      <Tag color="green">{t('home.published', { version: latestVersion })}</Tag>
    );
  return (
    <div className="gd-designer-bar">
      <Space wrap size="small" className="gd-designer-title">
        <Link to="/designer" aria-label={t('page.backHome')}>
          <ArrowLeftOutlined />
        </Link>
        <Typography.Title level={1} className="gd-designer-name">
          {name}
        </Typography.Title>
        {stateTag}
        <SaveState status={status} lastSaved={lastSaved} />
      </Space>
      <Space wrap size="small">
        <Tooltip title={t('page.undoHint')}>
          <Button icon={<UndoOutlined />} onClick={undo} disabled={!canUndo} aria-label={t('page.undo')}>
            {isDesktop ? t('page.undo') : null}
          </Button>
        </Tooltip>
        <Tooltip title={t('page.redoHint')}>
          <Button icon={<RedoOutlined />} onClick={redo} disabled={!canRedo} aria-label={t('page.redo')}>
            {isDesktop ? t('page.redo') : null}
          </Button>
        </Tooltip>
        <Badge count={errors} size="small" offset={[-4, 4]}>
          <Button icon={<WarningOutlined />} onClick={() => openProblems(true)} aria-label={t('problems.open', { errors, warnings })}>
            {t('problems.button', { errors, warnings })}
          </Button>
        </Badge>
        <Button type="primary" onClick={() => openPublish(true)}>
          {t('publish.button')}
        </Button>
      </Space>
    </div>
  );
});

function SaveState({ status, lastSaved }: { status: SaveStatus; lastSaved: Designer['lastSaved'] }) {
  const { t } = useTranslation('designer');
  const formatDateTime = useDateTimeFormatter();
  const text = {
    saved: lastSaved ? t('save.savedBy', { time: formatDateTime(lastSaved.at), name: lastSaved.by?.name ?? '—' }) : t('save.saved'),
    pending: t('save.pending'),
    saving: t('save.saving'),
    error: t('save.error'),
    conflict: t('save.conflict'),
  }[status];
  return (
    <Typography.Text type={status === 'error' || status === 'conflict' ? 'danger' : 'secondary'} className="gd-save-state" aria-live="polite" data-status={status}>
      {text}
    </Typography.Text>
  );
}
