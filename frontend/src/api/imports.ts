// Imports of clients from CSV files, and the export: upload, mapping and
// options, dry run, run, cancel, the refused rows, saved mappings
// (templates), and the live progress of a dry run or a run (server-sent
// events, with polling when they cannot be had).
import { api, etagOf, type QueryOf } from './client';
import type { Import, ImportFields, ImportIssue, ImportOptionsWrite, ImportTemplate, ListOf } from './types';

const path = (id: string) => ({ path: { id } });

/**
 * Uploads a CSV file: answers its columns, first rows and the suggested
 * mapping. `onProgress` hears the bytes sent; the answer follows once the
 * server has read the whole file.
 */
export async function uploadImport(file: File, onProgress?: (sent: number, total: number) => void, signal?: AbortSignal): Promise<Import> {
  const form = new FormData();
  form.append('file', file, file.name);
  return (await api.upload('/imports', form, { signal, onProgress })).data;
}

export async function listImports(page = 1, perPage = 10, signal?: AbortSignal): Promise<ListOf<Import>> {
  return (await api.get('/imports', { signal, params: { query: { page, per_page: perPage } } })).data;
}

export async function getImport(id: string, signal?: AbortSignal): Promise<Import> {
  return (await api.get('/imports/{id}', { signal, params: path(id) })).data;
}

export interface ImportChange {
  mapping?: (string | null)[];
  options?: ImportOptionsWrite;
}

/** Maps the columns and sets the options; 412 when `version` is stale, 409 while it runs. */
export async function updateImport(id: string, change: ImportChange, version?: number): Promise<Import> {
  const ifMatch = version === undefined ? undefined : etagOf(version);
  return (await api.patch('/imports/{id}', { body: change, params: { ...path(id), header: { 'If-Match': ifMatch } } })).data;
}

export async function deleteImport(id: string): Promise<void> {
  await api.del('/imports/{id}', { params: path(id) });
}

export async function startDryRun(id: string): Promise<Import> {
  return (await api.post('/imports/{id}/dry-run', { params: path(id) })).data;
}

export async function startRun(id: string): Promise<Import> {
  return (await api.post('/imports/{id}/run', { params: path(id) })).data;
}

export async function cancelImport(id: string): Promise<Import> {
  return (await api.post('/imports/{id}/cancel', { params: path(id) })).data;
}

export type ImportPhase = 'dry_run' | 'run';
export type IssueKind = 'error' | 'duplicate';

export async function listImportIssues(
  id: string,
  q: { phase: ImportPhase; kind?: IssueKind | undefined; page?: number; perPage?: number },
  signal?: AbortSignal,
): Promise<ListOf<ImportIssue>> {
  const query: QueryOf<'/imports/{id}/errors', 'get'> = { phase: q.phase, kind: q.kind, page: q.page, per_page: q.perPage };
  return (await api.get('/imports/{id}/errors', { signal, params: { ...path(id), query } })).data;
}

/** The link to the refused rows as CSV (the file's columns and an error column). */
export function rejectedRowsHref(id: string, phase: ImportPhase): string {
  return api.href('/imports/{id}/rejected.csv', { ...path(id), query: { phase } });
}

let fields: Promise<ImportFields> | null = null;

/** The fields a column can be mapped onto; asked once. */
export function getImportFields(signal?: AbortSignal): Promise<ImportFields> {
  if (!fields) {
    fields = api.get('/import-fields', { signal }).then((r) => r.data);
    fields.catch(() => {
      fields = null;
    });
  }
  return fields;
}

export async function listTemplates(signal?: AbortSignal): Promise<ImportTemplate[]> {
  return (await api.get('/import-templates', { signal })).data.data;
}

/** Saves the import's mapping and options (or those given) under a name; the same name is replaced. */
export async function saveTemplate(name: string, importId: string, change: ImportChange = {}): Promise<ImportTemplate> {
  return (await api.post('/import-templates', { body: { name, import: importId, ...change } })).data;
}

export async function deleteTemplate(id: string): Promise<void> {
  await api.del('/import-templates/{id}', { params: path(id) });
}

/** The clients list's filters, as the export takes them. */
export type ExportQuery = Omit<QueryOf<'/clients/export.csv', 'get'>, 'bom'>;

/** The link to the clients the list shows (all pages) as CSV; `bom` for spreadsheets that need it. */
export function exportHref(query: ExportQuery, bom = false): string {
  return api.href('/clients/export.csv', { query: { ...query, bom: bom ? 'true' : undefined } });
}

/** Whether the import is doing something (a dry run or a run, queued or going). */
export function isBusy(imp: Pick<Import, 'status'>): boolean {
  return imp.status === 'checking' || imp.status === 'queued' || imp.status === 'running';
}

export interface Watch {
  stop(): void;
}

/**
 * Follows an import while it is busy: `onChange` hears each new state,
 * the last one being no longer busy. Server-sent events when the browser
 * has them; when they fail, the import is asked for every `pollMs`.
 */
export function watchImport(id: string, onChange: (imp: Import) => void, onError: (e: unknown) => void, pollMs = 1500): Watch {
  let stopped = false;
  let source: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const ac = new AbortController();

  const stop = () => {
    stopped = true;
    source?.close();
    source = null;
    if (timer !== null) clearTimeout(timer);
    ac.abort();
  };

  const poll = () => {
    if (stopped) return;
    getImport(id, ac.signal)
      .then((imp) => {
        if (stopped) return;
        onChange(imp);
        if (isBusy(imp)) timer = setTimeout(poll, pollMs);
        else stop();
      })
      .catch((e: unknown) => {
        if (stopped) return;
        onError(e);
        timer = setTimeout(poll, pollMs * 2);
      });
  };

  if (typeof EventSource === 'undefined') {
    poll();
    return { stop };
  }
  source = new EventSource(api.href('/imports/{id}/events', path(id)));
  source.addEventListener('import', (e) => {
    if (stopped) return;
    let imp: Import;
    try {
      imp = JSON.parse((e as MessageEvent<string>).data) as Import;
    } catch {
      return;
    }
    onChange(imp);
    // The stream ends after this one; the browser would connect again.
    if (!isBusy(imp)) stop();
  });
  source.onerror = () => {
    if (stopped) return;
    // A closed stream (a restart, a proxy): ask instead.
    source?.close();
    source = null;
    poll();
  };
  return { stop };
}
