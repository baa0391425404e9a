// The groups endpoints (and the group's settings and next number), typed
// from openapi.yaml, through the one API client.
import { api, newIdempotencyKey } from '../../api/client';
import type { paths } from '../../api/schema';
import type { Client, EffectiveSettings, Group, ListOf, SettingsPatch } from '../../api/types';

const path = (id: string) => `/groups/${encodeURIComponent(id)}`;

export interface GroupListParams {
  q?: string;
  page?: number;
  per_page?: number;
}

export async function listGroups(p: GroupListParams, signal?: AbortSignal): Promise<ListOf<Group>> {
  return (await api.get<ListOf<Group>>('/groups', { signal, query: { q: p.q, page: p.page, per_page: p.per_page } })).data;
}

export async function getGroup(id: string, signal?: AbortSignal): Promise<Group> {
  return (await api.get<Group>(path(id), { signal })).data;
}

/** A name used by another group (in any case) is a 409 naming the field "name". */
export async function createGroup(name: string, idempotencyKey: string = newIdempotencyKey()): Promise<Group> {
  return (await api.post<Group>('/groups', { body: { name }, idempotencyKey })).data;
}

export async function renameGroup(id: string, name: string): Promise<Group> {
  return (await api.patch<Group>(path(id), { body: { name } })).data;
}

/** 409 while clients belong to the group, unless `detach` takes them out of it first. */
export async function deleteGroup(id: string, detach = false): Promise<void> {
  await api.del<void>(path(id), { query: detach ? { detach: 'true' } : undefined });
}

export async function getGroupSettings(id: string, signal?: AbortSignal): Promise<EffectiveSettings> {
  return (await api.get<EffectiveSettings>(`${path(id)}/settings`, { signal })).data;
}

/** A value overrides a key for the group; null clears the override. */
export async function updateGroupSettings(id: string, patch: SettingsPatch): Promise<EffectiveSettings> {
  return (await api.patch<EffectiveSettings>(`${path(id)}/settings`, { body: patch })).data;
}

export type NumberPreview = paths['/api/v1/settings/client-number-preview']['get']['responses'][200]['content']['application/json'];

/** The number the next client of the group would get. */
export async function previewGroupNumber(id: string, signal?: AbortSignal): Promise<NumberPreview> {
  return (await api.get<NumberPreview>('/settings/client-number-preview', { signal, query: { group: id } })).data;
}

/** The group's first clients by name (deleted ones left out, as in member_count). */
export async function listMembers(id: string, perPage: number, signal?: AbortSignal): Promise<ListOf<Client>> {
  return (await api.get<ListOf<Client>>('/clients', { signal, query: { group: id, status: 'active,archived', sort: 'name', per_page: perPage } })).data;
}
