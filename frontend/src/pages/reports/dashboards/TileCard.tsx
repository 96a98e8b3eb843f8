import { useDraggable } from '@dnd-kit/core';
import { Alert, Button, Card, Space, Spin, Tooltip } from 'antd';
import { useCallback, useEffect, useState, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, buildUrl } from '../../../api';
import { DeleteOutlined, EditOutlined } from '../../../icons';
import { describeApiError } from '../../../utils/errors';
import ChartFigure, { type Figure } from '../ChartFigure';
import type { Tile } from './tileApi';

interface TileData {
  figure: Figure;
}

interface Props {
  dashboardId: string;
  tile: Tile;
  /** Whether the tile as drawn is the saved one (else its data would be the old tile's). */
  saved: boolean;
  tick: number;
  version: number;
  editable: boolean;
  draggable: boolean;
  problem?: string;
  onEdit: () => void;
  onRemove: () => void;
  onDrill: (url: string) => void;
}

/** One tile: its server-built figure, CSV and PNG downloads, click-through to the ticket list; a drag handle (the
 * title bar) and a resize corner for @dnd-kit. */
export default function TileCard({ dashboardId, tile, saved, tick, version, editable, draggable, problem, onEdit, onRemove, onDrill }: Props) {
  const { t } = useTranslation();
  const [data, setData] = useState<TileData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [plot, setPlot] = useState<HTMLElement | null>(null);
  const title = tile.title || t(`dashboards.metric.${tile.metric}` as 'dashboards.metric.volume', { defaultValue: tile.metric });
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const path = `/reports/dashboards/${encodeURIComponent(dashboardId)}/tiles/${encodeURIComponent(tile.id)}`;

  useEffect(() => {
    if (!saved) return undefined;
    const controller = new AbortController();
    api.get<TileData>(path, { tz }, { signal: controller.signal }).then(
      (result) => {
        setData(result);
        setError(null);
      },
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        setError(failure instanceof ApiError ? describeApiError(failure, t) : String(failure));
      },
    );
    return () => controller.abort();
  }, [path, saved, tick, version, tz, t]);

  const move = useDraggable({ id: `move:${tile.id}`, disabled: !draggable });
  const resize = useDraggable({ id: `resize:${tile.id}`, disabled: !draggable });
  const style: CSSProperties & Record<string, string | number> = {
    '--x': tile.layout.x + 1,
    '--y': tile.layout.y + 1,
    '--w': tile.layout.w,
    '--h': tile.layout.h,
  };
  if (move.transform) {
    style.transform = `translate(${move.transform.x}px, ${move.transform.y}px)`;
    style.zIndex = 10;
  }

  const png = useCallback(() => {
    if (!plot) return;
    void import('plotly.js-basic-dist-min').then(({ default: Plotly }) => Plotly.downloadImage(plot, { format: 'png', filename: `${dashboardId}-${tile.id}` }));
  }, [plot, dashboardId, tile.id]);

  const onPlot = useCallback((element: HTMLElement | null) => setPlot(element), []);

  return (
    <div className="gd-dash-tile" style={style} data-tile={tile.id}>
      <Card
        size="small"
        className="gd-dash-card"
        title={
          <div className="gd-dash-handle" ref={move.setNodeRef} {...(draggable ? { ...move.listeners, ...move.attributes } : {})} aria-label={draggable ? t('dashboards.move', { title }) : undefined}>
            <h2 className="gd-chart-title">{title}</h2>
          </div>
        }
        extra={
          <Space size={0} wrap>
            <Button size="small" type="link" href={saved ? buildUrl(`${path}.csv`, { tz }) : undefined} disabled={!saved} download>
              {t('dashboards.csv')}
            </Button>
            <Button size="small" type="link" onClick={png} disabled={!plot}>
              {t('dashboards.png')}
            </Button>
            {editable && (
              <>
                <Tooltip title={t('dashboards.edit')}>
                  <Button size="small" type="text" icon={<EditOutlined />} onClick={onEdit} aria-label={`${t('dashboards.edit')} ${title}`} />
                </Tooltip>
                <Tooltip title={t('dashboards.remove')}>
                  <Button size="small" type="text" icon={<DeleteOutlined />} onClick={onRemove} aria-label={`${t('dashboards.remove')} ${title}`} />
                </Tooltip>
              </>
            )}
          </Space>
        }
      >
        {problem && <Alert type="error" showIcon message={problem} />}
        {!saved && <Alert type="info" message={t('dashboards.notSaved')} />}
        {saved && error && <Alert type="warning" showIcon message={error} />}
        {saved && !error && !data && <Spin />}
        {saved && !error && data && <ChartFigure figure={data.figure} title={title} onPoint={onDrill} onPlot={onPlot} />}
      </Card>
      {draggable && (
        <div
          className="gd-dash-resize"
          ref={resize.setNodeRef}
          {...resize.listeners}
          {...resize.attributes}
          aria-label={t('dashboards.resize', { title })}
          style={resize.transform ? { transform: `translate(${resize.transform.x}px, ${resize.transform.y}px)` } : undefined}
        />
      )}
    </div>
  );
}
