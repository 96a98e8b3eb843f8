import { DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type DragEndEvent, type KeyboardCoordinateGetter } from '@dnd-kit/core';
import { Alert, App, Button, Empty, Form, Input, Modal, Popconfirm, Select, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../../../api';
import PageHeader from '../../../components/PageHeader';
import { PlusOutlined, SaveOutlined, TeamOutlined } from '../../../icons';
import { useIsDesktop } from '../../../layout/useMediaQuery';
import type { ItemList, PortalType } from '../../../types';
import { useErrorHandler } from '../../../utils/errors';
import './dashboards.css';
import { cellsOf, freeSpot, moveTile, readingOrder, resizeTile } from './grid';
import './i18n';
import TileCard from './TileCard';
import TileDrawer from './TileDrawer';
import { defaultSize, fromForm, isDirty, newTileId, tileProblem, toBody, type Dashboard, type MetricInfo, type Tile, type TileForm } from './tileApi';

const ROW_HEIGHT = 90; // px per grid row (dashboards.css: grid-auto-rows)
const GAP = 12;
const CELL_STEP = 40; // px a keyboard arrow moves a dragged tile: about a cell, rounded by cellsOf

/** Arrow keys move a tile (or a resize corner) by one cell while it is picked up with Space. */
const cellKeys: KeyboardCoordinateGetter = (event, { currentCoordinates }) => {
  const grid = document.querySelector('.gd-dash-grid');
  const width = grid ? (grid.clientWidth - 11 * GAP) / 12 + GAP : CELL_STEP;
  const moves: Record<string, [number, number]> = { ArrowRight: [width, 0], ArrowLeft: [-width, 0], ArrowDown: [0, ROW_HEIGHT + GAP], ArrowUp: [0, -(ROW_HEIGHT + GAP)] };
  const step = moves[event.code];
  if (!step) return undefined;
  event.preventDefault();
  return { x: currentCoordinates.x + step[0], y: currentCoordinates.y + step[1] };
};

const tileKey = (tile: Tile) => JSON.stringify({ ...tile, layout: undefined });

/** Dashboards: pick one, arrange its tiles on a 12-column grid, add and edit tiles, share, auto-refresh, drill down. */
export default function DashboardsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const navigate = useNavigate();
  const desktop = useIsDesktop();
  const [params, setParams] = useSearchParams();
  const selected = params.get('id');
  const [list, setList] = useState<Dashboard[]>([]);
  const [saved, setSaved] = useState<Dashboard | null>(null);
  const [draft, setDraft] = useState<Dashboard | null>(null);
  const [metrics, setMetrics] = useState<MetricInfo[]>([]);
  const [teams, setTeams] = useState<Array<{ key: string; name: string }>>([]);
  const [roles, setRoles] = useState<string[]>([]);
  const [types, setTypes] = useState<PortalType[]>([]);
  const [editing, setEditing] = useState<{ tile?: Tile } | null>(null);
  const [sharing, setSharing] = useState(false);
  const [creating, setCreating] = useState(false);
  const [conflict, setConflict] = useState(false);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [tick, setTick] = useState(0);
  const [busy, setBusy] = useState(false);
  const gridRef = useRef<HTMLDivElement>(null);
  const [nameForm] = Form.useForm<{ name: string }>();
  const [shareForm] = Form.useForm<{ roles: string[]; teams: string[] }>();

  const loadList = useCallback(
    () =>
      api.get<ItemList<Dashboard>>('/reports/dashboards').then((page) => {
        setList(page.items);
        return page.items;
      }),
    [],
  );

  useEffect(() => {
    loadList().then((items) => {
      if (!params.get('id') && items.length) setParams({ id: items[0].id }, { replace: true });
    }, handleError);
    api.get<{ items: MetricInfo[] }>('/reports/metrics').then((page) => setMetrics(page.items), handleError);
    api.get<ItemList<{ key: string; name: string }>>('/teams', { limit: 200 }).then((page) => setTeams(page.items), () => setTeams([]));
    api.get<ItemList<{ name: string }>>('/roles').then((page) => setRoles(page.items.map((r) => r.name)), () => setRoles([]));
    api.get<ItemList<PortalType>>('/portal/ticket-types').then((page) => setTypes(page.items), () => setTypes([]));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const open = useCallback(
    (id: string) =>
      api.get<Dashboard>(`/reports/dashboards/${encodeURIComponent(id)}`).then((dashboard) => {
        setSaved(dashboard);
        setDraft(structuredClone(dashboard));
        setProblems({});
        setConflict(false);
      }, handleError),
    [handleError],
  );

  useEffect(() => {
    if (selected) void open(selected);
  }, [selected, open]);

  const refresh = draft?.refresh_seconds ?? null;
  useEffect(() => {
    if (!refresh) return undefined;
    const timer = window.setInterval(() => setTick((n) => n + 1), refresh * 1000);
    return () => window.clearInterval(timer);
  }, [refresh]);

  const dirty = isDirty(saved, draft);
  const editable = !!draft && (draft.editable || draft.builtin);
  const savedTiles = useMemo(() => new Map((saved?.tiles ?? []).map((tile) => [tile.id, tileKey(tile)])), [saved]);
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 6 } }), useSensor(KeyboardSensor, { coordinateGetter: cellKeys }));

  const setTiles = (tiles: Tile[]) => setDraft((d) => (d ? { ...d, tiles } : d));

  const onDragEnd = (event: DragEndEvent) => {
    if (!draft || !gridRef.current) return;
    const [what, id] = String(event.active.id).split(':');
    const grid = gridRef.current;
    const cell = { width: (grid.clientWidth - 11 * GAP) / 12 + GAP, height: ROW_HEIGHT + GAP };
    const { dx, dy } = cellsOf(event.delta, cell);
    const tile = draft.tiles.find((item) => item.id === id);
    if (!tile || (dx === 0 && dy === 0)) return;
    setTiles(
      what === 'move'
        ? moveTile(draft.tiles, id, { x: tile.layout.x + dx, y: tile.layout.y + dy })
        : resizeTile(draft.tiles, id, { w: tile.layout.w + dx, h: tile.layout.h + dy }),
    );
  };

  const applyTile = (form: TileForm) => {
    if (!draft) return;
    const previous = editing?.tile;
    if (previous) {
      setTiles(draft.tiles.map((tile) => (tile.id === previous.id ? fromForm(form, previous.id, previous.layout, previous) : tile)));
    } else {
      const { w, h } = defaultSize(form.kind);
      setTiles([...draft.tiles, fromForm(form, newTileId(draft.tiles, form.metric), freeSpot(draft.tiles, w, h))]);
    }
    setEditing(null);
  };

  const showProblems = (error: unknown) => {
    if (!(error instanceof ApiError) || error.status !== 422 || !draft) return false;
    const found: Record<string, string> = {};
    for (const detail of error.details) {
      const problem = tileProblem(detail.path);
      const tile = problem ? draft.tiles[problem.index] : undefined;
      if (tile) found[tile.id] = [found[tile.id], `${problem?.field}: ${detail.message}`].filter(Boolean).join(' ');
    }
    setProblems(found);
    return Object.keys(found).length > 0;
  };

  const save = async () => {
    if (!draft) return;
    setBusy(true);
    try {
      const body = toBody(draft);
      const result = draft.builtin
        ? await api.post<Dashboard>('/reports/dashboards', body)
        : await api.put<Dashboard>(`/reports/dashboards/${draft.id}`, body, { headers: { 'If-Match': `"${draft.version}"` } });
      setSaved(result);
      setDraft(structuredClone(result));
      setProblems({});
      void message.success(t('dashboards.saved'));
      await loadList();
      if (result.id !== draft.id) setParams({ id: result.id });
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) setConflict(true);
      else if (!showProblems(error)) handleError(error);
      else handleError(error);
    } finally {
      setBusy(false);
    }
  };

  const create = async ({ name }: { name: string }) => {
    try {
      const result = await api.post<Dashboard>('/reports/dashboards', { name: name.trim(), tiles: [] });
      setCreating(false);
      nameForm.resetFields();
      await loadList();
      setParams({ id: result.id });
    } catch (error) {
      handleError(error, nameForm);
    }
  };

  const remove = async () => {
    if (!draft) return;
    try {
      await api.delete(`/reports/dashboards/${draft.id}`);
      void message.success(t('dashboards.deleted'));
      const items = await loadList();
      setParams(items.length ? { id: items[0].id } : {});
    } catch (error) {
      handleError(error);
    }
  };

  const ordered = draft ? readingOrder(draft.tiles) : [];
  const canDrag = editable && desktop;

  return (
    <>
      <PageHeader title={t('dashboards.title')}>
        <Space wrap className="gd-dash-toolbar">
          <label htmlFor="gd-dashboard">{t('dashboards.pick')}</label>
          <Select
            id="gd-dashboard"
            style={{ minWidth: 220 }}
            value={selected ?? undefined}
            options={list.map((d) => ({
              value: d.id,
              label: d.builtin ? `${d.name} (${t('dashboards.builtin')})` : d.editable || !d.owner ? d.name : `${d.name} — ${t('dashboards.sharedBy', { name: d.owner.name })}`,
            }))}
            onChange={(value: string) => setParams({ id: value })}
          />
          <Button icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('dashboards.new')}
          </Button>
        </Space>
      </PageHeader>
      {draft && (
        <Space wrap className="gd-dash-actions">
          {editable && (
            <Button icon={<PlusOutlined />} onClick={() => setEditing({})}>
              {t('dashboards.addTile')}
            </Button>
          )}
          {editable && (
            <Button type="primary" icon={<SaveOutlined />} loading={busy} disabled={!dirty && !draft.builtin} onClick={() => void save()}>
              {draft.builtin ? t('dashboards.saveAs') : t('dashboards.save')}
            </Button>
          )}
          {editable && (
            <Button disabled={!dirty} onClick={() => saved && setDraft(structuredClone(saved))}>
              {t('dashboards.discard')}
            </Button>
          )}
          {draft.editable && (
            <Button
              icon={<TeamOutlined />}
              onClick={() => {
                shareForm.setFieldsValue(draft.shared_with);
                setSharing(true);
              }}
            >
              {t('dashboards.share')}
            </Button>
          )}
          <label htmlFor="gd-dash-refresh">{t('dashboards.refresh')}</label>
          <Select
            id="gd-dash-refresh"
            style={{ minWidth: 150 }}
            value={draft.refresh_seconds ?? 0}
            options={[
              { value: 0, label: t('dashboards.refreshOff') },
              { value: 60, label: t('dashboards.refresh60') },
              { value: 300, label: t('dashboards.refresh300') },
            ]}
            onChange={(value: number) => setDraft({ ...draft, refresh_seconds: value || null })}
          />
          {draft.editable && !draft.builtin && (
            <Popconfirm title={t('dashboards.deleteConfirm', { name: draft.name })} onConfirm={() => void remove()}>
              <Button danger>{t('dashboards.delete')}</Button>
            </Popconfirm>
          )}
          {dirty && <Tag color="orange">{t('dashboards.unsaved')}</Tag>}
        </Space>
      )}
      {draft && !editable && <Alert className="gd-dash-note" type="info" showIcon message={t('dashboards.readOnly')} />}
      {conflict && (
        <Alert
          className="gd-dash-note"
          type="warning"
          showIcon
          message={t('dashboards.conflict')}
          action={
            <Button size="small" onClick={() => selected && void open(selected)}>
              {t('dashboards.reload')}
            </Button>
          }
        />
      )}
      {draft && draft.tiles.length > 0 && <Typography.Paragraph type="secondary">{t('dashboards.drillHint')}</Typography.Paragraph>}
      {draft && draft.tiles.length === 0 && <Empty description={t('dashboards.empty')} />}
      {draft && (
        <DndContext sensors={sensors} onDragEnd={onDragEnd}>
          <div className="gd-dash-grid" ref={gridRef}>
            {ordered.map((tile) => (
              <TileCard
                key={tile.id}
                dashboardId={draft.id}
                tile={tile}
                saved={savedTiles.get(tile.id) === tileKey(tile)}
                tick={tick}
                version={saved?.version ?? 0}
                editable={editable}
                draggable={canDrag}
                problem={problems[tile.id]}
                onEdit={() => setEditing({ tile })}
                onRemove={() => setTiles(draft.tiles.filter((item) => item.id !== tile.id))}
                onDrill={(url) => navigate(url)}
              />
            ))}
          </div>
        </DndContext>
      )}
      <TileDrawer open={!!editing} tile={editing?.tile} metrics={metrics} teams={teams} types={types} onApply={applyTile} onClose={() => setEditing(null)} />
      <Modal open={creating} title={t('dashboards.new')} okText={t('dashboards.create')} onOk={() => nameForm.submit()} onCancel={() => setCreating(false)} destroyOnHidden>
        <Form form={nameForm} layout="vertical" onFinish={create}>
          <Form.Item name="name" label={t('dashboards.newName')} rules={[{ required: true, whitespace: true, max: 200 }]}>
            <Input autoFocus />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={sharing}
        title={t('dashboards.shareTitle')}
        onOk={() => {
          const values = shareForm.getFieldsValue();
          if (draft) setDraft({ ...draft, shared_with: { roles: values.roles ?? [], teams: values.teams ?? [] } });
          setSharing(false);
        }}
        onCancel={() => setSharing(false)}
      >
        <Typography.Paragraph type="secondary">{t('dashboards.shareHint')}</Typography.Paragraph>
        <Form form={shareForm} layout="vertical">
          <Form.Item name="roles" label={t('dashboards.shareRoles')}>
            <Select mode="multiple" options={roles.map((r) => ({ value: r, label: r }))} />
          </Form.Item>
          <Form.Item name="teams" label={t('dashboards.shareTeams')}>
            <Select mode="multiple" options={teams.map((team) => ({ value: team.key, label: team.name }))} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
