// A client's ledger: its entries, the summary the chart draws, the CSV
// statement, posting an entry, and the kinds of entry with their sign
// rules as the API applies them (GET /ledger/kinds, loaded once).
import { api, type QueryOf, type ResponseOf } from './client';
import type { LedgerEntry, LedgerEntryWrite, LedgerKindRule, LedgerSummary } from './types';

/** A ledger range as the API takes it: exact instants (RFC 3339), either end open. */
export interface LedgerRangeQuery {
  from?: string | undefined;
  to?: string | undefined;
}

/** The range and, for the list of entries, a comma-separated list of kinds. */
export type LedgerListQuery = LedgerRangeQuery & Pick<QueryOf<'/clients/{id}/ledger', 'get'>, 'kind'>;

/** A page of entries, with the range's opening and closing balance in meta.ledger. */
export type LedgerPage = ResponseOf<'/clients/{id}/ledger', 'get'>;

const path = (id: string) => ({ path: { id } });

/** The client's entries, newest first, 25 at a time. */
export async function listLedger(id: string, q: LedgerListQuery, cursor: string | null, signal?: AbortSignal): Promise<LedgerPage> {
  const query = cursor ? { ...q, cursor, per_page: 25 } : { ...q, per_page: 25 };
  return (await api.get('/clients/{id}/ledger', { signal, params: { ...path(id), query } })).data;
}

/** Balances, totals per kind and the balance at the end of each day, for the chart. */
export async function getLedgerSummary(id: string, q: LedgerRangeQuery, signal?: AbortSignal): Promise<LedgerSummary> {
  return (await api.get('/clients/{id}/ledger/summary', { signal, params: { ...path(id), query: q } })).data;
}

/**
 * Posts one entry. The same key for the same entry, always: a retry after
 * a lost answer then replays the first answer instead of posting twice.
 */
export async function postLedgerEntry(id: string, body: LedgerEntryWrite, idempotencyKey: string): Promise<LedgerEntry> {
  return (await api.post('/clients/{id}/ledger', { body, params: { ...path(id), header: { 'Idempotency-Key': idempotencyKey } } })).data;
}

/** The CSV statement's URL: a plain link downloads it with the session cookie. */
export function statementHref(id: string, q: LedgerRangeQuery): string {
  return api.href('/clients/{id}/ledger/statement', { ...path(id), query: q });
}

let kinds: Promise<LedgerKindRule[]> | null = null;

/**
 * Every kind of entry with its sign rule, in the order a form offers
 * them. The rules are the server's and do not change while it runs, so
 * they are asked for once per page load and shared (no caller's signal
 * aborts the shared request); a failure is not kept, the next call asks
 * again.
 */
export function listLedgerKinds(): Promise<LedgerKindRule[]> {
  if (kinds === null) {
    kinds = api.get('/ledger/kinds').then(
      (r) => r.data.data,
      (e: unknown) => {
        kinds = null;
        throw e;
      },
    );
  }
  return kinds;
}

/** Forgets the loaded kinds (for tests). */
export function forgetLedgerKinds(): void {
  kinds = null;
}
