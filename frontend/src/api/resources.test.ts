// The resource modules send what the API expects: these stub the global
// fetch that the app's client uses and look at the requests.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './client';
import { changeStatus, listClients, updateClient } from './clients';
import { deleteGroup, listAllGroups } from './groups';
import { forgetLedgerKinds, listLedger, listLedgerKinds, postLedgerEntry, statementHref } from './ledger';
import { previewClientNumber } from './settings';
import { exportHref, listImportIssues, rejectedRowsHref, startDryRun, updateImport, uploadImport } from './imports';

interface Sent {
  line: string;
  headers: Headers;
  body: string | null;
}

let sent: Sent[] = [];
let answer: (req: Request) => Response = () => json(200, {});

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

beforeEach(() => {
  sent = [];
  answer = () => json(200, {});
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const u = new URL(req.url);
      sent.push({ line: `${req.method} ${u.pathname}${u.search}`, headers: req.headers, body: req.body === null ? null : await req.text() });
      return answer(req);
    }),
  );
  forgetLedgerKinds();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

const RULES = [
  { kind: 'invoice', sign: 'positive', moves_paid_to_date: false, postable: true, example: '120.00' },
  { kind: 'merge', sign: 'either', moves_paid_to_date: true, postable: false, example: null },
];

describe('api/clients', () => {
  it('sends several statuses as one comma-separated list, and leaves out what is not set', async () => {
    await listClients({ q: undefined, status: ['active', 'archived'], sort: '-balance', page: 2, per_page: 50 });
    expect(sent[0]!.line).toBe('GET /api/v1/clients?status=active%2Carchived&sort=-balance&page=2&per_page=50');
  });

  it('quotes the version in If-Match and makes an Idempotency-Key for lifecycle POSTs', async () => {
    await updateClient('btt3y5jhez9n', { name: 'A' }, 3);
    await changeStatus('btt3y5jhez9n', 'archive', 4);
    await changeStatus('btt3y5jhez9n', 'delete');
    expect(sent.map((s) => s.line)).toEqual(['PATCH /api/v1/clients/btt3y5jhez9n', 'POST /api/v1/clients/btt3y5jhez9n/archive', 'DELETE /api/v1/clients/btt3y5jhez9n']);
    expect(sent[0]!.headers.get('If-Match')).toBe('"3"');
    expect(sent[0]!.body).toBe('{"name":"A"}');
    expect(sent[1]!.headers.get('If-Match')).toBe('"4"');
    expect(sent[1]!.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent[2]!.headers.get('If-Match')).toBeNull();
  });
});

describe('api/groups and api/settings', () => {
  it('asks for the first 100 groups, detaches members only when asked, previews a group’s number', async () => {
    await listAllGroups();
    answer = () => new Response(null, { status: 204 });
    await deleteGroup('g1');
    await deleteGroup('g1', true);
    answer = () => json(200, {});
    await previewClientNumber({ group: 'g1' });
    expect(sent.map((s) => s.line)).toEqual([
      'GET /api/v1/groups?per_page=100',
      'DELETE /api/v1/groups/g1',
      'DELETE /api/v1/groups/g1?detach=true',
      'GET /api/v1/settings/client-number-preview?group=g1',
    ]);
  });
});

describe('api/ledger', () => {
  it('pages entries by cursor and posts with the given Idempotency-Key', async () => {
    await listLedger('c1', { from: '2026-01-01T00:00:00.000Z', to: undefined, kind: 'payment,refund' }, null);
    await listLedger('c1', {}, 'next');
    await postLedgerEntry('c1', { kind: 'payment', amount: '-40.00' }, 'key-1');
    expect(sent.map((s) => s.line)).toEqual([
      'GET /api/v1/clients/c1/ledger?from=2026-01-01T00%3A00%3A00.000Z&kind=payment%2Crefund&per_page=25',
      'GET /api/v1/clients/c1/ledger?cursor=next&per_page=25',
      'POST /api/v1/clients/c1/ledger',
    ]);
    expect(sent[2]!.headers.get('Idempotency-Key')).toBe('key-1');
  });

  it('makes the statement link without a request', () => {
    expect(statementHref('c1', { from: undefined, to: '2026-12-31T23:59:59.999Z' })).toBe('/api/v1/clients/c1/ledger/statement?to=2026-12-31T23%3A59%3A59.999Z');
    expect(sent).toEqual([]);
  });

  it('loads the kinds once and shares them', async () => {
    answer = () => json(200, { data: RULES });
    const [a, b] = await Promise.all([listLedgerKinds(), listLedgerKinds()]);
    expect(await listLedgerKinds()).toBe(a);
    expect(b).toBe(a);
    expect(a.map((k) => k.kind)).toEqual(['invoice', 'merge']);
    expect(sent.map((s) => s.line)).toEqual(['GET /api/v1/ledger/kinds']);
  });

  it('does not keep a failure: the next call asks again', async () => {
    answer = () => json(503, { error: { status: 503, code: 'unavailable', message: 'the database is not available' } });
    await expect(listLedgerKinds()).rejects.toBeInstanceOf(ApiError);
    answer = () => json(200, { data: RULES });
    expect(await listLedgerKinds()).toHaveLength(2);
    expect(sent).toHaveLength(2);
  });
});

describe('api/imports', () => {
  it('uploads the file in the field "file" as multipart/form-data', async () => {
    answer = () => json(201, { id: 'imp1' });
    const imp = await uploadImport(new File(['Name\nAcme\n'], 'people.csv', { type: 'text/csv' }));
    expect(imp).toEqual({ id: 'imp1' });
    expect(sent[0]!.line).toBe('POST /api/v1/imports');
    expect(sent[0]!.headers.get('Content-Type')).toMatch(/^multipart\/form-data; boundary=/);
    expect(sent[0]!.body).toMatch(/name="file"; filename="people.csv"/);
  });

  it('sends the mapping and options as JSON, and a bodiless POST to start a dry run', async () => {
    await updateImport('btt3y5jhez9n', { mapping: ['name', null], options: { mode: 'valid_rows' } }, 2);
    await startDryRun('btt3y5jhez9n');
    expect(sent.map((s) => s.line)).toEqual(['PATCH /api/v1/imports/btt3y5jhez9n', 'POST /api/v1/imports/btt3y5jhez9n/dry-run']);
    expect(sent[0]!.body).toBe('{"mapping":["name",null],"options":{"mode":"valid_rows"}}');
    expect(sent[0]!.headers.get('If-Match')).toBe('"2"');
    expect(sent[1]!.body).toBe('');
  });

  it('asks for one phase and kind of rows with errors, a page at a time', async () => {
    answer = () => json(200, { data: [], meta: {} });
    await listImportIssues('btt3y5jhez9n', { phase: 'dry_run', kind: 'error', page: 2, perPage: 20 });
    expect(sent[0]!.line).toBe('GET /api/v1/imports/btt3y5jhez9n/errors?phase=dry_run&kind=error&page=2&per_page=20');
  });

  it('links the export with the list\'s filters, and the rows with errors', () => {
    expect(exportHref({ q: 'acme', status: 'active,archived', sort: '-balance', group: undefined })).toBe('/api/v1/clients/export.csv?q=acme&status=active%2Carchived&sort=-balance');
    expect(exportHref({ status: 'active' }, true)).toBe('/api/v1/clients/export.csv?status=active&bom=true');
    expect(rejectedRowsHref('btt3y5jhez9n', 'run')).toBe('/api/v1/imports/btt3y5jhez9n/rejected.csv?phase=run');
    expect(sent).toHaveLength(0);
  });
});
