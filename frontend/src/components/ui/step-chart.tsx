// A line chart of values that hold until the next change (a balance), on
// uPlot: small, fast, canvas-drawn. uPlot is loaded on first use, so the
// screens without a chart do not carry it. The canvas is decoration for
// assistive tech (aria-hidden): whoever uses the chart gives it a caption
// that says what it shows.
import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import type uPlot from 'uplot';

type UPlot = typeof uPlot;

let loading: Promise<UPlot> | null = null;

function loadUPlot(): Promise<UPlot> {
  if (!loading) {
    loading = import('uplot').then((m) => m.default);
    loading.catch(() => {
      loading = null; // a later chart tries again
    });
  }
  return loading;
}

export interface ChartLine {
  label: string;
  values: (number | null)[];
  /** custom properties for its colours: "--c-accent" */
  stroke: string;
  fill?: string;
}

interface StepChartProps {
  /** x values, ascending: unix seconds (of UTC days) */
  xs: number[];
  lines: ChartLine[];
  height: number;
  /** a y-axis label */
  formatY: (v: number) => string;
  /** the index of the point under the pointer; null when it leaves */
  onHover?: (index: number | null) => void;
}

function axis(ink: string, grid: string): uPlot.Axis {
  return { stroke: ink, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1, size: 4 }, font: '12px system-ui, sans-serif' };
}

/** `latest` holds the current props: the callbacks read it when they run, never a stale copy. */
function options(U: UPlot, el: HTMLElement, latest: { current: StepChartProps }): uPlot.Options {
  const p = latest.current;
  const css = getComputedStyle(el);
  const color = (name: string) => css.getPropertyValue(name).trim() || '#667085';
  const ink = color('--c-text-muted');
  const grid = color('--c-border');
  const stepped = U.paths.stepped?.({ align: 1 });
  return {
    width: Math.max(el.clientWidth, 120),
    height: p.height,
    legend: { show: false },
    cursor: { y: false, drag: { x: false, y: false }, points: { size: 8 } },
    tzDate: (ts) => U.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    scales: {
      x: { time: true },
      y: { range: (_u, min, max) => U.rangeNum(Math.min(0, min), Math.max(0, max), 0.1, true) },
    },
    axes: [
      axis(ink, grid),
      {
        ...axis(ink, grid),
        values: (_u, ticks) => ticks.map((v) => latest.current.formatY(v)),
        size: (_u, values) => 16 + 7 * Math.max(4, ...(values ?? []).map((v) => String(v).length)),
      },
    ],
    series: [
      {},
      ...p.lines.map((l): uPlot.Series => ({
        label: l.label,
        stroke: color(l.stroke),
        fill: l.fill ? color(l.fill) : undefined,
        width: 2,
        paths: stepped,
        points: { show: true, size: 6, fill: color('--c-surface') },
      })),
    ],
    hooks: { setCursor: [(u) => latest.current.onHover?.(u.cursor.idx ?? null)] },
  };
}

/** A stepped line chart as wide as its container, redrawn when the container resizes. */
export function StepChart(props: StepChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const [U, setU] = useState<UPlot | null>(null);
  const [failed, setFailed] = useState(false);
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    let live = true;
    loadUPlot()
      .then((c) => live && setU(() => c))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, []);

  // A new chart for new data: at most a thousand points (the summary's limit), drawn in no time.
  const dataKey = JSON.stringify([props.xs, props.lines]);
  useEffect(() => {
    const el = box.current;
    if (!U || !el) return;
    const p = latest.current;
    const plot = new U(options(U, el, latest), [p.xs, ...p.lines.map((l) => l.values)] as uPlot.AlignedData, el);
    let width = el.clientWidth;
    const ro = new ResizeObserver(() => {
      if (el.clientWidth === width) return;
      width = el.clientWidth;
      plot.setSize({ width: Math.max(width, 120), height: p.height });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [U, dataKey, props.height]);

  return (
    <div ref={box} class="step-chart" style={{ height: `${props.height}px` }} aria-hidden="true" data-ready={U ? 'true' : undefined}>
      {failed ? <p class="step-chart__failed">The chart could not be loaded.</p> : null}
    </div>
  );
}
