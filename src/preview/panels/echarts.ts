// ECharts' server-side SVG renderer: no DOM, no canvas, no animation. Text is measured by ECharts'
// own estimate (no fonts are read), so the same option gives the same bytes on any machine.
import * as echarts from "echarts";

export type ChartOption = echarts.EChartsOption;

/** An <svg> of `width`×`height`; zrender's per-instance ids are renamed after `id` so renders are byte-stable and never clash. */
export function renderChart(option: ChartOption, width: number, height: number, id: string): string {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  try {
    chart.setOption({ animation: false, useUTC: true, ...option });
    // zrender numbers instances and hover-style classes process-wide: renumber both per chart.
    const classes = new Map<string, number>();
    return chart
      .renderToSVGString()
      .replace(/\bzr\d+-cls-(\d+)\b/g, (_, n: string) => {
        if (!classes.has(n)) classes.set(n, classes.size);
        return `${id}-cls-${classes.get(n)}`;
      })
      .replace(/\bzr\d+-/g, `${id}-`);
  } finally {
    chart.dispose();
  }
}
