// Documents of a client or a group (issue 14): the lists, an upload of
// several files with the bytes sent so far, rename, visibility, delete,
// and the download's URL (the browser follows it with the session cookie;
// `inline` asks for a preview, granted for images and PDF only).
import { api, etagOf } from './client';
import type { DocumentInfo, ListOf } from './types';

export type DocumentOwner = 'client' | 'group';

const path = (id: string) => ({ path: { id } });

export async function listDocuments(owner: DocumentOwner, id: string, signal?: AbortSignal): Promise<ListOf<DocumentInfo>> {
  const query = { per_page: 100 };
  const r = owner === 'client'
    ? await api.get('/clients/{id}/documents', { signal, params: { ...path(id), query } })
    : await api.get('/groups/{id}/documents', { signal, params: { ...path(id), query } });
  return r.data;
}

/**
 * Uploads one file (a request per file, so that each has its own progress
 * and can be cancelled alone). Answers the stored document.
 */
export async function uploadDocument(
  owner: DocumentOwner,
  id: string,
  file: File,
  visible: boolean,
  onProgress?: (sent: number, total: number) => void,
  signal?: AbortSignal,
): Promise<DocumentInfo> {
  const form = new FormData();
  form.append('file', file, file.name);
  form.append('visible', visible ? 'true' : 'false');
  const init = { signal, onProgress, params: path(id) };
  const r = owner === 'client' ? await api.upload('/clients/{id}/documents', form, init) : await api.upload('/groups/{id}/documents', form, init);
  return r.data.data[0]!;
}

export interface DocumentChange {
  name?: string;
  visible?: boolean;
}

/** Renames or shows/hides a document; 412 when `version` is stale. */
export async function updateDocument(id: string, change: DocumentChange, version?: number): Promise<DocumentInfo> {
  const ifMatch = version === undefined ? undefined : etagOf(version);
  return (await api.patch('/documents/{id}', { body: change, params: { ...path(id), header: { 'If-Match': ifMatch } } })).data;
}

export async function deleteDocument(id: string): Promise<void> {
  await api.del('/documents/{id}', { params: path(id) });
}

/** The download's URL; `inline` for a preview (images and PDF). */
export function documentHref(id: string, inline = false): string {
  return api.href('/documents/{id}/download', { ...path(id), query: inline ? { disposition: 'inline' } : {} });
}
