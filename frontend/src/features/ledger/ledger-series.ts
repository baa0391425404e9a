// The balance chart's data: the summary's points (the balance at the end
// of each day with entries, in the client's time zone) as series for the chart, from the range's
// opening balance to its closing one, and a sentence that says what the
// chart shows. The chart plots JavaScript numbers (a pixel does not need
// more); everything written out uses the exact strings.
import type { LedgerSummary } from '../../api/types';
import { utcDaySeconds } from '../../lib/days';
import { compareDecimal } from '../../lib/money';

export interface SeriesPoint {
  /** a day, YYYY-MM-DD */
  day: string;
  balance: string;
  paid: string;
  /** the day before the only day there is, at the balance before it (so that one day draws a line) */
  before?: true;
}

export interface BalanceSeries {
  points: SeriesPoint[];
  /** unix seconds of the days */
  xs: number[];
  balance: (number | null)[];
  paid: (number | null)[];
}

function dayBefore(day: string): string {
  return new Date((utcDaySeconds(day) - 86400) * 1000).toISOString().slice(0, 10);
}

function plotted(value: string): number | null {
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/**
 * The points of the chart: the range's opening balance on its first day
 * (when it has one and no entry that day), each day with entries, and the
 * closing balance carried to the range's last day (or `today`, a UTC day,
 * whichever is earlier), so that the line shows the balance throughout.
 */
export function balanceSeries(s: LedgerSummary, today: string): BalanceSeries {
  const points: SeriesPoint[] = s.points.map((p) => ({ day: p.date, balance: p.balance, paid: p.paid_to_date }));
  const from = s.range.from?.slice(0, 10);
  if (from && (points.length === 0 || points[0]!.day > from)) {
    points.unshift({ day: from, balance: s.range.opening_balance, paid: s.range.opening_paid_to_date });
  }
  const to = s.range.to?.slice(0, 10);
  const end = to && to < today ? to : today;
  if (points.length > 0 && points[points.length - 1]!.day < end) {
    points.push({ day: end, balance: s.range.closing_balance, paid: s.range.closing_paid_to_date });
  }
  // One day alone (a new client's first day, or a range of one day) is a
  // dot on an axis that spans nothing: start the line the day before, at
  // the balance before that day's entries.
  if (points.length === 1) {
    points.unshift({ day: dayBefore(points[0]!.day), balance: s.range.opening_balance, paid: s.range.opening_paid_to_date, before: true });
  }
  return {
    points,
    xs: points.map((p) => utcDaySeconds(p.day)),
    balance: points.map((p) => plotted(p.balance)),
    paid: points.map((p) => plotted(p.paid)),
  };
}

function extreme(points: SeriesPoint[], sign: 1 | -1): SeriesPoint {
  return points.reduce((best, p) => (compareDecimal(p.balance, best.balance) === sign ? p : best));
}

/**
 * What the chart shows, in a sentence: its caption (and what a screen
 * reader reads for it).
 */
export function chartSummary(s: LedgerSummary, series: BalanceSeries, money: (v: string) => string, day: (d: string) => string): string {
  const n = s.points.length;
  if (n === 0) {
    if (!s.range.from && !s.range.to) return 'No entries yet: the balance is ' + money(s.range.closing_balance) + '.';
    return `No entries in this range: the balance stayed at ${money(s.range.closing_balance)}.`;
  }
  // the point made up before a lone day is not part of what the chart says
  const pts = series.points.filter((p) => !p.before);
  const first = pts[0]!;
  const last = pts[pts.length - 1]!;
  const hi = extreme(pts, 1);
  const lo = extreme(pts, -1);
  const span = first.day === last.day ? `on ${day(first.day)}` : `from ${day(first.day)} to ${day(last.day)}`;
  return (
    `Balance ${span}: ${money(s.range.opening_balance)} at the start, ${money(s.range.closing_balance)} at the end; ` +
    `highest ${money(hi.balance)} on ${day(hi.day)}, lowest ${money(lo.balance)} on ${day(lo.day)}. ` +
    `${n} day${n === 1 ? '' : 's'} with entries.`
  );
}
