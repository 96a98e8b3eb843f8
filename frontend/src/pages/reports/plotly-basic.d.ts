// The basic plotly.js bundle (scatter, bar, pie) ships no types; only what ChartFigure calls is declared.
declare module 'plotly.js-basic-dist-min' {
  interface PlotlyBasic {
    newPlot(root: HTMLElement, data: unknown[], layout?: Record<string, unknown>, config?: Record<string, unknown>): Promise<unknown>;
    react(root: HTMLElement, data: unknown[], layout?: Record<string, unknown>, config?: Record<string, unknown>): Promise<unknown>;
    purge(root: HTMLElement): void;
    downloadImage(root: HTMLElement, options: { format: 'png' | 'svg'; filename: string; width?: number; height?: number }): Promise<string>;
    Plots: { resize(root: HTMLElement): void };
  }
  const Plotly: PlotlyBasic;
  export default Plotly;
}
