import { Alert, Statistic, Table } from 'antd';
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
export default function ChartFigure({ figure, title }: { figure: Figure; title: string }) {
  const first = figure.data[0] ?? {};
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
    return <Table size="small" columns={columns} dataSource={rows} pagination={false} scroll={{ x: true }} aria-label={title} />;
  }
  if (first.type === 'indicator') {
    const indicator = first as { value?: number; title?: { text?: string } };
    return <Statistic title={indicator.title?.text} value={indicator.value ?? 0} />;
  }
  return <PlotlyChart figure={figure} title={title} />;
}

function PlotlyChart({ figure, title }: { figure: Figure; title: string }) {
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
        void Plotly.newPlot(element, figure.data, layout, { responsive: true, displaylogo: false, displayModeBar: false });
        purge = () => Plotly.purge(element);
      })
      .catch(() => setFailed(true));
    return () => {
      cancelled = true;
      purge?.();
    };
  }, [figure]);

  if (failed) return <Alert type="error" showIcon message={t('charts.loadFailed')} />;
  return <div ref={root} className="gd-chart" role="img" aria-label={title} />;
}
