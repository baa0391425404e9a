// Client groups and their settings. A group's members are a filter of
// the clients list (listClients with `group`, in clients.ts).
import { api, newIdempotencyKey } from './client';
import type { EffectiveSettings, Group, ListOf, SettingsPatch } from './types';

export interface GroupListParams {
  q?: string | undefined;
  page?: number;
  per_page?: number;
}

const path = (id: string) => ({ path: { id } });

export async function listGroups(p: GroupListParams, signal?: AbortSignal): Promise<ListOf<Group>> {
  return (await api.get('/groups', { signal, params: { query: { q: p.q, page: p.page, per_page: p.per_page } } })).data;
}

/** The groups to choose from (by name, the first 100): the client form's group picker. */
export async function listAllGroups(signal?: AbortSignal): Promise<ListOf<Group>> {
  return listGroups({ per_page: 100 }, signal);
}

export async function getGroup(id: string, signal?: AbortSignal): Promise<Group> {
  return (await api.get('/groups/{id}', { signal, params: path(id) })).data;
}

/** A name used by another group (in any case) is a 409 naming the field "name". */
export async function createGroup(name: string, idempotencyKey: string = newIdempotencyKey()): Promise<Group> {
  return (await api.post('/groups', { body: { name }, params: { header: { 'Idempotency-Key': idempotencyKey } } })).data;
}

export async function renameGroup(id: string, name: string): Promise<Group> {
  return (await api.patch('/groups/{id}', { body: { name }, params: path(id) })).data;
}

/** 409 while clients belong to the group, unless `detach` takes them out of it first. */
export async function deleteGroup(id: string, detach = false): Promise<void> {
  await api.del('/groups/{id}', { params: { ...path(id), query: detach ? { detach: 'true' } : undefined } });
}

export async function getGroupSettings(id: string, signal?: AbortSignal): Promise<EffectiveSettings> {
  return (await api.get('/groups/{id}/settings', { signal, params: path(id) })).data;
}

/** A value overrides a key for the group; null clears the override. */
export async function updateGroupSettings(id: string, patch: SettingsPatch): Promise<EffectiveSettings> {
  return (await api.patch('/groups/{id}/settings', { body: patch, params: path(id) })).data;
}
