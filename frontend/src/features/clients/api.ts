// The clients endpoints, typed from openapi.yaml. Everything goes through
// the one API client (src/api/client.ts).
import { api, newIdempotencyKey } from '../../api/client';
import type { paths } from '../../api/schema';
import type { ClientFull, Client, ClientStatus, ClientWrite, Event, ListOf } from '../../api/types';

export interface ListParams {
  q?: string;
  status?: ClientStatus[];
  sort?: string;
  page?: number;
  per_page?: number;
}

export async function listClients(p: ListParams, signal?: AbortSignal): Promise<ListOf<Client>> {
  const r = await api.get<ListOf<Client>>('/clients', {
    signal,
    query: { q: p.q, status: p.status?.join(','), sort: p.sort, page: p.page, per_page: p.per_page },
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
