// A uPlot line chart that follows its container's width; the legend is ours (checkboxes), not uPlot's.
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import { useI18n } from "./i18n";

export const PALETTE = [
  "#1f4e96",
  "#b3261e",
  "#1b7a3a",
  "#7a3fb0",
  "#a65a00",
  "#00707a",
  "#8a1c5c",
  "#4d5a00",
  "#5b5b5b",
  "#2f6fdb",
  "#d0422e",
  "#2e9c50",
  "#9a66cc",
  "#c77c16",
  "#159aa6",
];

export interface ChartSeries {
  label: string;
  color: string;
}

export function LineChart(props: {
  id: string;
  title: string;
  xs: number[];
  ys: (number | null)[][];
  series: ChartSeries[];
  yLabel: string;
  height?: number;
  extraLines?: { value: number; label: string; color: string }[];
}) {
  const { locale, num } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const monthFmt = new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", timeZone: "UTC" });
    const dayFmt = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
    const extra = props.extraLines ?? [];
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height: props.height ?? 320,
      legend: { show: false },
      cursor: { drag: { x: true, y: false } },
      scales: { x: { time: true } },
      series: [
        { value: (_u, v) => (v == null ? "" : dayFmt.format(new Date(v * 1000))) },
        ...props.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          spanGaps: true,
          points: { show: props.xs.length < 60 },
          value: (_u: uPlot, v: number | null) => (v == null ? "—" : num(v)),
        })),
        ...extra.map((l) => ({
          label: l.label,
          stroke: l.color,
          width: 1,
          dash: [6, 4],
          points: { show: false },
        })),
      ],
      axes: [
        {
          values: (_u, splits) => splits.map((s) => monthFmt.format(new Date(s * 1000))),
          stroke: "#333",
          grid: { stroke: "#e3e3e3" },
        },
        {
          label: props.yLabel,
          values: (_u, splits) => splits.map((s) => num(s)),
          stroke: "#333",
          grid: { stroke: "#e3e3e3" },
          size: 60,
        },
      ],
    };
    const data = [
      props.xs,
      ...props.ys,
      ...extra.map((l) => props.xs.map(() => l.value)),
    ] as unknown as uPlot.AlignedData;
    plot.current?.destroy();
    plot.current = new uPlot(opts, data, el);
    const ro = new ResizeObserver(() => {
      if (plot.current && el.clientWidth > 0)
        plot.current.setSize({ width: el.clientWidth, height: props.height ?? 320 });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [props.xs, props.ys, props.series, locale, props.extraLines]);

  return (
    <figure class="chart" aria-labelledby={`${props.id}-caption`}>
      <figcaption id={`${props.id}-caption`}>{props.title}</figcaption>
      <div ref={box} class="chart-box" id={props.id} role="img" aria-label={props.title} />
    </figure>
  );
}

/** ISO date → uPlot seconds. */
export const toSeconds = (iso: string): number =>
  Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso) / 1000;
