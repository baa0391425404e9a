// Clients: the list, one client, its lifecycle (archive, restore, delete,
// merge, purge), its activity and its settings. Every path, parameter and
// answer is typed from openapi.yaml through the one client (client.ts).
import { api, etagOf, newIdempotencyKey, type QueryOf, type ResponseOf } from './client';
import type { ClientFull, ClientStatus, ClientWrite, EffectiveSettings, Event, ListOf, Client, SettingsPatch } from './types';

/** How GET /clients sorts: "name", "-balance" ... */
export type ClientSort = NonNullable<QueryOf<'/clients', 'get'>['sort']>;

export interface ClientListParams {
  q?: string | undefined;
  /** several are sent as a comma-separated list; none means active */
  status?: ClientStatus[];
  sort?: ClientSort;
  page?: number;
  per_page?: number;
  /** a group's id: only its members; "none": the clients in no group */
  group?: string | undefined;
}

const path = (id: string) => ({ path: { id } });

export async function listClients(p: ClientListParams, signal?: AbortSignal): Promise<ListOf<Client>> {
  const query: QueryOf<'/clients', 'get'> = { q: p.q, status: p.status?.join(','), sort: p.sort, page: p.page, per_page: p.per_page, group: p.group };
  return (await api.get('/clients', { signal, params: { query } })).data;
}

export async function getClient(id: string, signal?: AbortSignal): Promise<ClientFull> {
  return (await api.get('/clients/{id}', { signal, params: path(id) })).data;
}

export async function createClient(body: ClientWrite, idempotencyKey: string): Promise<ClientFull> {
  return (await api.post('/clients', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } })).data;
}

/** 412 when `version` is no longer the client's current one. */
export async function updateClient(id: string, body: ClientWrite, version: number): Promise<ClientFull> {
  return (await api.patch('/clients/{id}', { body, params: { ...path(id), header: { 'If-Match': etagOf(version) } } })).data;
}

export type LifecycleAction = 'archive' | 'restore' | 'delete';

/** Archives, restores or deletes (restorably); with a version, 412 when it is stale. */
export async function changeStatus(id: string, action: LifecycleAction, version?: number): Promise<ClientFull> {
  const ifMatch = version === undefined ? undefined : etagOf(version);
  if (action === 'delete') return (await api.del('/clients/{id}', { params: { ...path(id), header: { 'If-Match': ifMatch } } })).data;
  const params = { ...path(id), header: { 'If-Match': ifMatch, 'Idempotency-Key': newIdempotencyKey() } };
  if (action === 'archive') return (await api.post('/clients/{id}/archive', { params })).data;
  return (await api.post('/clients/{id}/restore', { params })).data;
}

export type BulkResult = ResponseOf<'/clients/bulk', 'post'>;

export async function bulkAction(action: LifecycleAction, ids: string[]): Promise<BulkResult> {
  return (await api.post('/clients/bulk', { body: { action, ids }, params: { header: { 'Idempotency-Key': newIdempotencyKey() } } })).data;
}

/** Puts up to 100 clients in a group (null: in none), with a result per id. */
export async function assignGroup(ids: string[], group: string | null): Promise<BulkResult> {
  return (await api.post('/clients/bulk', { body: { action: 'assign_group', ids, group }, params: { header: { 'Idempotency-Key': newIdempotencyKey() } } })).data;
}

/** Merges `sourceId` into `targetId`; answers the merged target. */
export async function mergeClients(targetId: string, sourceId: string): Promise<ClientFull> {
  const params = { ...path(targetId), header: { 'Idempotency-Key': newIdempotencyKey() } };
  return (await api.post('/clients/{id}/merge', { body: { source: sourceId }, params })).data;
}

/** Deletes for good. A wrong password is a 403 naming the field "password". */
export async function purgeClient(id: string, password: string): Promise<void> {
  await api.post('/clients/{id}/purge', { body: { password }, params: path(id) });
}

export async function listActivity(id: string, cursor: string | null, signal?: AbortSignal): Promise<ListOf<Event>> {
  const query = cursor ? { cursor, per_page: 25 } : { per_page: 25 };
  return (await api.get('/clients/{id}/activity', { signal, params: { ...path(id), query } })).data;
}

export interface SettingsRead {
  settings: EffectiveSettings;
  /** what a change sends back as If-Match */
  etag: string | null;
}

/** The client's settings as in effect, and the ETag a change must send. */
export async function getClientSettings(id: string, signal?: AbortSignal): Promise<SettingsRead> {
  const r = await api.get('/clients/{id}/settings', { signal, params: path(id) });
  return { settings: r.data, etag: r.etag };
}

/** Overrides keys for the client (null clears one); 412 when `etag` is stale. */
export async function updateClientSettings(id: string, patch: SettingsPatch, etag: string | null): Promise<SettingsRead> {
  const r = await api.patch('/clients/{id}/settings', { body: patch, params: { ...path(id), header: { 'If-Match': etag ?? undefined } } });
  return { settings: r.data, etag: r.etag };
}
