// The clients endpoints, typed from openapi.yaml. Everything goes through
// the one API client (src/api/client.ts).
import { api, newIdempotencyKey } from '../../api/client';
import type { paths } from '../../api/schema';
import type { ClientFull, Client, ClientStatus, ClientWrite, EffectiveSettings, Event, Group, LedgerEntry, LedgerEntryWrite, LedgerRange, LedgerSummary, ListMeta, ListOf, SettingsPatch } from '../../api/types';

export interface ListParams {
  q?: string;
  status?: ClientStatus[];
  sort?: string;
  page?: number;
  per_page?: number;
  group?: string | undefined;
}

export async function listClients(p: ListParams, signal?: AbortSignal): Promise<ListOf<Client>> {
  const r = await api.get<ListOf<Client>>('/clients', {
    signal,
    query: { q: p.q, status: p.status?.join(','), sort: p.sort, page: p.page, per_page: p.per_page, group: p.group },
  });
  return r.data;
}

export async function getClient(id: string, signal?: AbortSignal): Promise<ClientFull> {
  return (await api.get<ClientFull>(`/clients/${encodeURIComponent(id)}`, { signal })).data;
}

export async function createClient(body: ClientWrite, idempotencyKey: string): Promise<ClientFull> {
  return (await api.post<ClientFull>('/clients', { body, idempotencyKey })).data;
}

/** 412 when `version` is no longer the client's current one. */
export async function updateClient(id: string, body: ClientWrite, version: number): Promise<ClientFull> {
  return (await api.patch<ClientFull>(`/clients/${encodeURIComponent(id)}`, { body, ifMatch: version })).data;
}

export type LifecycleAction = 'archive' | 'restore' | 'delete';

export async function changeStatus(id: string, action: LifecycleAction, version?: number): Promise<ClientFull> {
  const path = `/clients/${encodeURIComponent(id)}`;
  if (action === 'delete') return (await api.del<ClientFull>(path, { ifMatch: version })).data;
  return (await api.post<ClientFull>(`${path}/${action}`, { ifMatch: version, idempotencyKey: newIdempotencyKey() })).data;
}

export type BulkResult = paths['/api/v1/clients/bulk']['post']['responses'][200]['content']['application/json'];

export async function bulkAction(action: LifecycleAction, ids: string[]): Promise<BulkResult> {
  return (await api.post<BulkResult>('/clients/bulk', { body: { action, ids }, idempotencyKey: newIdempotencyKey() })).data;
}

/** Merges `sourceId` into `targetId`; answers the merged target. */
export async function mergeClients(targetId: string, sourceId: string): Promise<ClientFull> {
  return (
    await api.post<ClientFull>(`/clients/${encodeURIComponent(targetId)}/merge`, {
      body: { source: sourceId },
      idempotencyKey: newIdempotencyKey(),
    })
  ).data;
}

/** Deletes for good. A wrong password is a 403 naming the field "password". */
export async function purgeClient(id: string, password: string): Promise<void> {
  await api.post<void>(`/clients/${encodeURIComponent(id)}/purge`, { body: { password } });
}

export async function listActivity(id: string, cursor: string | null, signal?: AbortSignal): Promise<ListOf<Event>> {
  return (
    await api.get<ListOf<Event>>(`/clients/${encodeURIComponent(id)}/activity`, {
      signal,
      query: cursor ? { cursor, per_page: 25 } : { per_page: 25 },
    })
  ).data;
}

/** The client's settings as in effect, and the ETag a change must send. */
export async function getClientSettings(id: string, signal?: AbortSignal): Promise<{ settings: EffectiveSettings; etag: string | null }> {
  const r = await api.get<EffectiveSettings>(`/clients/${encodeURIComponent(id)}/settings`, { signal });
  return { settings: r.data, etag: r.etag };
}

/** Overrides keys for the client (null clears one); 412 when `etag` is stale. */
export async function updateClientSettings(id: string, patch: SettingsPatch, etag: string | null): Promise<{ settings: EffectiveSettings; etag: string | null }> {
  const r = await api.patch<EffectiveSettings>(`/clients/${encodeURIComponent(id)}/settings`, { body: patch, ifMatch: etag ?? undefined });
  return { settings: r.data, etag: r.etag };
}

/** A group, for its name next to the client's settings and on the form. */
export async function getGroup(id: string, signal?: AbortSignal): Promise<Group> {
  return (await api.get<Group>(`/groups/${encodeURIComponent(id)}`, { signal })).data;
}

/** The groups to choose from on the client form (by name, the first 100). */
export async function listAllGroups(signal?: AbortSignal): Promise<ListOf<Group>> {
  return (await api.get<ListOf<Group>>('/groups', { signal, query: { per_page: 100 } })).data;
}

/** A ledger range as the API takes it: exact instants (RFC 3339), either end open. */
export interface LedgerRangeQuery {
  from?: string | undefined;
  to?: string | undefined;
}

export interface LedgerPage {
  data: LedgerEntry[];
  meta: ListMeta & { ledger: LedgerRange };
}

/** The client's entries, newest first; `kind` is a comma-separated list of kinds. */
export async function listLedger(id: string, q: LedgerRangeQuery & { kind?: string | undefined }, cursor: string | null, signal?: AbortSignal): Promise<LedgerPage> {
  return (
    await api.get<LedgerPage>(`/clients/${encodeURIComponent(id)}/ledger`, {
      signal,
      query: cursor ? { ...q, cursor, per_page: 25 } : { ...q, per_page: 25 },
    })
  ).data;
}

/** Balances, totals per kind and the balance at the end of each day, for the chart. */
export async function getLedgerSummary(id: string, q: LedgerRangeQuery, signal?: AbortSignal): Promise<LedgerSummary> {
  return (await api.get<LedgerSummary>(`/clients/${encodeURIComponent(id)}/ledger/summary`, { signal, query: { ...q } })).data;
}

/**
 * Posts one entry. The same key for the same entry, always: a retry after
 * a lost answer then replays the first answer instead of posting twice.
 */
export async function postLedgerEntry(id: string, body: LedgerEntryWrite, idempotencyKey: string): Promise<LedgerEntry> {
  return (await api.post<LedgerEntry>(`/clients/${encodeURIComponent(id)}/ledger`, { body, idempotencyKey })).data;
}

/** The CSV statement's URL: a plain link downloads it with the session cookie. */
export function statementHref(id: string, q: LedgerRangeQuery): string {
  return api.href(`/clients/${encodeURIComponent(id)}/ledger/statement`, { ...q });
}
