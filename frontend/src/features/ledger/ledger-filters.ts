// The Ledger tab's filters live in the URL query, so reload, back and
// shared links show the same entries:
//   /clients/ID/ledger?from=2026-01-01&to=2026-03-31&kind=payment,refund
// The days are the browser's calendar days; the API gets the instants
// that bound them. The date range applies to everything on the tab (the
// balances, the chart, the statement); the kinds only to the table.
import type { LedgerKind } from '../../api/types';
import { dayEnd, dayStart, isDay } from '../../lib/days';
import { LEDGER_KINDS } from '../../lib/ledger-kinds';
import type { LedgerListQuery, LedgerRangeQuery } from '../../api/ledger';

export interface LedgerFilters {
  /** YYYY-MM-DD or "" */
  from: string;
  to: string;
  /** in LEDGER_KINDS order, no repeats; none means every kind */
  kinds: LedgerKind[];
}

export const NO_FILTERS: LedgerFilters = { from: '', to: '', kinds: [] };

/** Reads the filters from the URL query; what is not a real day or a known kind is dropped. */
export function parseLedgerQuery(query: Record<string, string | undefined>): LedgerFilters {
  const wanted = new Set((query.kind ?? '').split(','));
  return {
    from: isDay(query.from) ? query.from : '',
    to: isDay(query.to) ? query.to : '',
    kinds: LEDGER_KINDS.filter((k) => wanted.has(k.id)).map((k) => k.id),
  };
}

/** The query string of the filters ("" when there are none). */
export function ledgerQueryString(f: LedgerFilters): string {
  const p = new URLSearchParams();
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (f.kinds.length > 0) p.set('kind', f.kinds.join(','));
  const s = p.toString().replace(/%2C/g, ',');
  return s ? `?${s}` : '';
}

export function hasFilters(f: LedgerFilters): boolean {
  return f.from !== '' || f.to !== '' || f.kinds.length > 0;
}

/** Why the range cannot be asked for, or null. */
export function rangeProblem(f: LedgerFilters): string | null {
  return f.from && f.to && f.to < f.from ? 'The end date is before the start date.' : null;
}

/** The range as the API takes it (summary, statement). */
export function rangeQuery(f: LedgerFilters): LedgerRangeQuery {
  return { from: f.from ? dayStart(f.from) : undefined, to: f.to ? dayEnd(f.to) : undefined };
}

/** The range and the kinds (the list of entries). */
export function listQuery(f: LedgerFilters): LedgerListQuery {
  return { ...rangeQuery(f), kind: f.kinds.length > 0 ? f.kinds.join(',') : undefined };
}

/** "1 Jan 2026 – 31 Mar 2026", "Since 1 Jan 2026", "Until 31 Mar 2026", "All time". */
export function rangeLabel(f: LedgerFilters, day: (d: string) => string): string {
  if (f.from && f.to) return `${day(f.from)} – ${day(f.to)}`;
  if (f.from) return `Since ${day(f.from)}`;
  if (f.to) return `Until ${day(f.to)}`;
  return 'All time';
}
