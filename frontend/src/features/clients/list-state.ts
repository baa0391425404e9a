// The clients list's state lives in the URL query, so reload, back and
// shared links show the same list: ?q=acme&status=archived&sort=-balance&page=3
// (and ?group=ID for one group's members, ?group=none for the clients in no group).
import type { ClientStatus } from '../../api/types';
import type { ClientListParams, ClientSort } from '../../api/clients';

export type StatusFilter = ClientStatus | 'all';

export interface ListState {
  q: string;
  status: StatusFilter;
  sort: ClientSort;
  page: number;
  perPage: number;
  /** only the clients of this group (its id), or of none ("none") */
  group?: string;
}

export const SORTS = ['created_at', 'updated_at', 'name', 'number', 'balance'] as const satisfies readonly ClientSort[];
type SortKey = (typeof SORTS)[number];
export const PER_PAGE = [25, 50, 100] as const;
export const DEFAULTS: ListState = { q: '', status: 'active', sort: '-created_at', page: 1, perPage: 25 };
const STATUSES: StatusFilter[] = ['active', 'archived', 'deleted', 'all'];
const PUBLIC_ID = /^[0-9a-hjkmnp-tv-z]{12}$/;
/** the group filter's value for the clients in no group */
export const NO_GROUP = 'none';

/** The sorts as a phone offers them (it has no column headers to click), in words. */
export const SORT_CHOICES: readonly { value: ClientSort; label: string }[] = [
  { value: '-created_at', label: 'Newest first' },
  { value: 'created_at', label: 'Oldest first' },
  { value: 'name', label: 'Name, A to Z' },
  { value: '-name', label: 'Name, Z to A' },
  { value: 'number', label: 'Number, lowest first' },
  { value: '-number', label: 'Number, highest first' },
  { value: '-balance', label: 'Balance, highest first' },
  { value: 'balance', label: 'Balance, lowest first' },
  { value: '-updated_at', label: 'Recently changed first' },
  { value: 'updated_at', label: 'Least recently changed first' },
];

function int(v: string | undefined, min: number, max: number, dflt: number): number {
  if (v === undefined || !/^\d+$/.test(v)) return dflt;
  const n = Number(v);
  return n < min || n > max ? dflt : n;
}

/** Reads the state from a query object; anything unknown or out of range falls back to the default. */
export function parseListQuery(query: Record<string, string | undefined>): ListState {
  const status = STATUSES.includes(query.status as StatusFilter) ? (query.status as StatusFilter) : DEFAULTS.status;
  const sortKey = (query.sort ?? '').replace(/^-/, '');
  const sort = isSortKey(sortKey) ? (query.sort as ClientSort) : DEFAULTS.sort;
  const perPage = (PER_PAGE as readonly number[]).includes(Number(query.per_page)) ? Number(query.per_page) : DEFAULTS.perPage;
  const s: ListState = {
    q: (query.q ?? '').slice(0, 100),
    status,
    sort,
    page: int(query.page, 1, 1_000_000, 1),
    perPage,
  };
  if (query.group !== undefined && (PUBLIC_ID.test(query.group) || query.group === NO_GROUP)) s.group = query.group;
  return s;
}

/** The query string for a state, leaving out defaults ("" for the default list). */
export function listQueryString(s: ListState): string {
  const p = new URLSearchParams();
  if (s.q.trim() !== '') p.set('q', s.q);
  if (s.group) p.set('group', s.group);
  if (s.status !== DEFAULTS.status) p.set('status', s.status);
  if (s.sort !== DEFAULTS.sort) p.set('sort', s.sort);
  if (s.page !== 1) p.set('page', String(s.page));
  if (s.perPage !== DEFAULTS.perPage) p.set('per_page', String(s.perPage));
  const q = p.toString();
  return q ? `?${q}` : '';
}

/** A change of search, filter, sort or page size starts again at page 1. */
export function withChange(s: ListState, change: Partial<ListState>): ListState {
  const resets = change.q !== undefined || change.status !== undefined || change.sort !== undefined || change.perPage !== undefined || 'group' in change;
  const next = { ...s, ...change, page: change.page ?? (resets ? 1 : s.page) };
  if (!next.group) delete next.group;
  return next;
}

function isSortKey(key: string): key is SortKey {
  return (SORTS as readonly string[]).includes(key);
}

/**
 * Clicking a column: a new column sorts ascending (newest first for
 * dates and largest first for balance), the same column flips. A column
 * the API cannot sort by leaves the sort as it is.
 */
export function nextSort(current: ClientSort, key: string): ClientSort {
  if (!isSortKey(key)) return current;
  if (current === key) return `-${key}`;
  if (current === `-${key}`) return key;
  return key === 'created_at' || key === 'updated_at' || key === 'balance' ? `-${key}` : key;
}

export function toApiParams(s: ListState): ClientListParams {
  return {
    q: s.q.trim() || undefined,
    status: s.status === 'all' ? ['active', 'archived', 'deleted'] : [s.status],
    sort: s.sort,
    page: s.page,
    per_page: s.perPage,
    group: s.group,
  };
}
