import { Alert, Progress, Statistic, Table } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A plotly figure as the server built it (runtime/reports/charts.py): `data` traces and a `layout`. */
export interface Figure {
  data: Array<Record<string, unknown>>;
  layout: Record<string, unknown>;
}

interface TableTrace {
  header: { values: string[] };
  cells: { values: unknown[][] };
}

/** Tables and single numbers are drawn with antd (the basic plotly.js bundle has neither trace); bar, line, area
 * and pie charts with plotly.js, loaded on first use from its own chunk so no other page carries it. The basic
 * bundle needs no eval, so the CSP stays `script-src 'self'`. */
interface Props {
  figure: Figure;
  title: string;
  /** A point, bar, slice or table row was clicked: its `customdata` (a dashboard tile's drill URL). */
  onPoint?: (customdata: string) => void;
  /** The element plotly drew into (for PNG downloads), or null when the figure is not a plotly chart. */
  onPlot?: (element: HTMLElement | null) => void;
}

export default function ChartFigure({ figure, title, onPoint, onPlot }: Props) {
  const first = figure.data[0] ?? {};
  const plotly = first.type !== 'table' && first.type !== 'indicator';
  useEffect(() => {
    if (!plotly) onPlot?.(null);
  }, [plotly, onPlot]);
  if (first.type === 'table') {
    const trace = first as unknown as TableTrace;
    const rows = (trace.cells.values[0] ?? []).map((_, i) => {
      const row: Record<string, unknown> = { key: i };
      trace.cells.values.forEach((column, j) => (row[`c${j}`] = column[i]));
      return row;
    });
    const columns = trace.header.values.map((name, j) => ({
      title: name,
      dataIndex: `c${j}`,
      key: `c${j}`,
      align: (typeof trace.cells.values[j]?.[0] === 'number' ? 'right' : 'left') as 'right' | 'left',
    }));
    const drills = (first as { customdata?: string[] }).customdata;
    return (
      <Table
        size="small"
        columns={columns}
        dataSource={rows}
        pagination={false}
        scroll={{ x: true }}
        aria-label={title}
        onRow={(_, index) => (drills && onPoint && index !== undefined && drills[index] ? { onClick: () => onPoint(drills[index]), className: 'gd-chart-drill' } : {})}
      />
    );
  }
  if (first.type === 'indicator') {
    const indicator = first as { value?: number | null; mode?: string; title?: { text?: string }; number?: { suffix?: string } };
    if (indicator.mode?.includes('gauge')) {
      const percent = Math.round((indicator.value ?? 0) * 10) / 10;
      return (
        <div className="gd-chart-gauge">
          <Progress type="dashboard" size={110} percent={percent} format={() => (indicator.value === null || indicator.value === undefined ? '–' : `${percent}%`)} />
          <div>{indicator.title?.text}</div>
        </div>
      );
    }
    const known = indicator.value !== null && indicator.value !== undefined;
    return <Statistic title={indicator.title?.text} value={known ? indicator.value ?? 0 : '–'} suffix={known ? indicator.number?.suffix?.trim() : undefined} />;
  }
  return <PlotlyChart figure={figure} title={title} onPoint={onPoint} onPlot={onPlot} />;
}

function PlotlyChart({ figure, title, onPoint, onPlot }: Props) {
  const { t } = useTranslation();
  const root = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const element = root.current;
    if (!element) return undefined;
    let cancelled = false;
    let purge: (() => void) | undefined;
    import('plotly.js-basic-dist-min')
      .then(({ default: Plotly }) => {
        if (cancelled) return;
        // The card shows the title; the figure's own would repeat it.
        const layout = { ...figure.layout, title: undefined, autosize: true, margin: { l: 48, r: 16, t: figure.layout.showlegend ? 40 : 16, b: 48 } };
        void Plotly.newPlot(element, figure.data, layout, { responsive: true, displaylogo: false, displayModeBar: false }).then(() => {
          if (cancelled) return;
          onPlot?.(element);
          if (onPoint) {
            (element as unknown as { on(event: string, handler: (e: { points?: Array<{ customdata?: unknown }> }) => void): void }).on(
              'plotly_click',
              (event) => {
                const target = event.points?.[0]?.customdata;
                if (typeof target === 'string') onPoint(target);
              },
            );
          }
        });
        purge = () => Plotly.purge(element);
      })
      .catch(() => setFailed(true));
    return () => {
      cancelled = true;
      purge?.();
    };
  }, [figure, onPoint, onPlot]);

  if (failed) return <Alert type="error" showIcon message={t('charts.loadFailed')} />;
  return <div ref={root} className={onPoint ? 'gd-chart gd-chart-drill' : 'gd-chart'} role="img" aria-label={title} />;
}
