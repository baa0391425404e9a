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
  /** an x-axis label: a day, given as unix seconds of its UTC start */
  formatX?: (seconds: number) => string;
  /** the index of the point under the pointer; null when it leaves */
  onHover?: (index: number | null) => void;
}

const DAY = 86400;

/** The x axis steps in whole days (never hours: the data are days). */
const DAY_STEPS = [1, 2, 7, 14, 30, 61, 91, 182, 365, 730].map((d) => d * DAY);

function axis(ink: string, grid: string): uPlot.Axis {
  return { stroke: ink, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1, size: 4 }, font: '12px system-ui, sans-serif' };
}

/** "3 Dec" (and the year when the axis spans more than one). */
function shortDay(seconds: number, withYear: boolean): string {
  return new Date(seconds * 1000).toLocaleDateString(undefined, { timeZone: 'UTC', day: 'numeric', month: 'short', ...(withYear ? { year: 'numeric' } : {}) });
}

/**
 * The x range: the days plotted, at least two days wide (one day alone
 * would make uPlot guess a range of years), with half a day either side so
 * that the first and the last point are not on the frame.
 */
export function dayRange(min: number, max: number): [number, number] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, DAY];
  if (max - min < DAY) return [min - DAY, max + DAY];
  return [min - DAY / 2, max + DAY / 2];
}

/** The y range: from 0 (or below it) to the highest value, never empty. */
export function valueRange(min: number | null, max: number | null): [number, number] {
  const lo = Math.min(0, min ?? 0);
  const hi = Math.max(0, max ?? 0);
  return lo === hi ? [lo, lo + 1] : [lo, hi];
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
      x: { time: true, range: (_u, min, max) => dayRange(min, max) },
      y: {
        range: (_u, min, max) => {
          const [lo, hi] = valueRange(min, max);
          return U.rangeNum(lo, hi, 0.1, true);
        },
      },
    },
    axes: [
      {
        ...axis(ink, grid),
        incrs: DAY_STEPS,
        space: 56,
        values: (u, ticks) => {
          const span = (u.scales.x?.max ?? 0) - (u.scales.x?.min ?? 0);
          const fmt = latest.current.formatX ?? ((t: number) => shortDay(t, span > 300 * DAY));
          return ticks.map((t) => fmt(t));
        },
      },
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
    hooks: {
      setCursor: [(u) => latest.current.onHover?.(u.cursor.idx ?? null)],
      // the x range drawn (unix seconds), for whoever checks the chart from outside (the browser tests)
      setScale: [
        (u, key) => {
          if (key !== 'x') return;
          el.dataset.xMin = String(u.scales.x?.min ?? '');
          el.dataset.xMax = String(u.scales.x?.max ?? '');
        },
      ],
    },
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
