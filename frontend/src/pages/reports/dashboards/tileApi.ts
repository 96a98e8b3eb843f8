// Tiles as the API stores them (runtime/dashboards/tiles.py) and as the tile panel's form edits them.
import type { Box } from './grid';

export const KINDS = ['kpi', 'line', 'bar', 'stacked', 'pie', 'table', 'gauge'] as const;
export const RANGES = ['last_7_days', 'last_30_days', 'this_month', 'last_month', 'last_90_days'] as const;
export const BUCKETS = ['hour', 'day', 'week', 'month'] as const;
export const BREAKDOWNS = ['type', 'team', 'assignee', 'priority', 'status', 'status_category', 'source', 'category'] as const;
export const STATUS_CATEGORIES = ['new', 'open', 'pending', 'resolved', 'closed'] as const;
export type Kind = (typeof KINDS)[number];

export interface TileFilters {
  type?: string;
  team?: string;
  priority?: string;
  status?: string;
  status_category?: string;
  source?: string;
  assignee?: number | 'me';
  clock?: string;
}

export interface Tile {
  id: string;
  title?: string;
  kind: Kind;
  metric: string;
  measure: string | string[];
  by?: string;
  bucket?: string;
  filters: TileFilters;
  range: string;
  layout: Box;
}

/** What the tile panel edits: one field per control, empty meaning "not set". */
export interface TileForm {
  title?: string;
  kind: Kind;
  metric: string;
  measures: string[];
  by?: string;
  bucket?: string;
  type?: string;
  team?: string;
  priority?: string;
  status_category?: string;
  mine?: boolean;
  range: string;
}

export interface Dashboard {
  id: string;
  name: string;
  builtin: boolean;
  owner: { id: number; name: string } | null;
  shared_with: { roles: string[]; teams: string[] };
  is_default_for: string | null;
  tiles: Tile[];
  refresh_seconds: number | null;
  version: number;
  editable: boolean;
}

export interface MetricInfo {
  key: string;
  unit: string;
  measures: string[];
  uses_range: boolean;
  default_by: string | null;
}

const DEFAULT_SIZE: Record<Kind, [number, number]> = {
  kpi: [3, 2],
  gauge: [4, 3],
  line: [6, 4],
  bar: [6, 4],
  stacked: [6, 4],
  pie: [4, 4],
  table: [6, 4],
};

export function defaultSize(kind: Kind): { w: number; h: number } {
  const [w, h] = DEFAULT_SIZE[kind];
  return { w, h };
}

const blank = (value: string | undefined | null) => (value === undefined || value === null || value.trim() === '' ? undefined : value.trim());

export function toForm(tile: Tile): TileForm {
  const f = tile.filters ?? {};
  return {
    title: tile.title ?? '',
    kind: tile.kind,
    metric: tile.metric,
    measures: Array.isArray(tile.measure) ? [...tile.measure] : [tile.measure],
    by: tile.by,
    bucket: tile.bucket,
    type: f.type,
    team: f.team,
    priority: f.priority,
    status_category: f.status_category,
    mine: f.assignee === 'me',
    range: tile.range,
  };
}

/** The tile the form describes, keeping the filters the form does not show (status, source, clock, an assignee id). */
export function fromForm(form: TileForm, id: string, layout: Box, previous?: Tile): Tile {
  const kept: TileFilters = { ...(previous?.filters ?? {}) };
  for (const key of ['type', 'team', 'priority', 'status_category'] as const) delete kept[key];
  if (kept.assignee === 'me') delete kept.assignee;
  const filters: TileFilters = { ...kept };
  for (const key of ['type', 'team', 'priority', 'status_category'] as const) {
    const value = blank(form[key]);
    if (value) filters[key] = value;
  }
  if (form.mine) filters.assignee = 'me';
  const tile: Tile = {
    id,
    kind: form.kind,
    metric: form.metric,
    measure: form.measures.length === 1 ? form.measures[0] : [...form.measures],
    filters,
    range: form.range,
    layout,
  };
  const title = blank(form.title);
  if (title) tile.title = title;
  if (blank(form.by)) tile.by = blank(form.by);
  if (blank(form.bucket)) tile.bucket = blank(form.bucket);
  return tile;
}

/** A tile id not used yet on this dashboard. */
export function newTileId(tiles: readonly Tile[], metric: string): string {
  const base = metric.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 50) || 'tile';
  let n = 1;
  while (tiles.some((t) => t.id === `${base}-${n}`)) n += 1;
  return `${base}-${n}`;
}

/** The body of a save. */
export function toBody(dashboard: Pick<Dashboard, 'name' | 'tiles' | 'shared_with' | 'refresh_seconds' | 'is_default_for'>) {
  return {
    name: dashboard.name,
    tiles: dashboard.tiles,
    shared_with: dashboard.shared_with,
    refresh_seconds: dashboard.refresh_seconds,
    is_default_for: dashboard.is_default_for,
  };
}

/** A 422's pointer as the tile and the field it names: "/tiles/2/filters/team" -> {index: 2, field: "filters/team"}. */
export function tileProblem(path: string | undefined): { index: number; field: string } | null {
  const match = /^\/tiles\/(\d+)(?:\/(.*))?$/.exec(path ?? '');
  return match ? { index: Number(match[1]), field: match[2] ?? '' } : null;
}

/** Whether the saved and the edited dashboard differ (what "Discard changes" would undo). */
export function isDirty(saved: Dashboard | null, draft: Dashboard | null): boolean {
  if (!saved || !draft) return false;
  return JSON.stringify(toBody(saved)) !== JSON.stringify(toBody(draft));
}
