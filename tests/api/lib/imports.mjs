// What the import tests share (issue 16): uploading a file as multipart,
// setting the mapping, running a phase and waiting for it, and reading CSV.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SOURCE } from './env.mjs';
import { api } from './http.mjs';

export const fixture = (name) => readFileSync(join(SOURCE, 'tests/fixtures/imports', name));

// POST /imports with bytes as the field "file" (or opts.field).
export async function upload(token, name, bytes, opts = {}) {
  const form = new FormData();
  form.append(opts.field ?? 'file', new Blob([bytes], { type: 'text/csv' }), name);
  return api('POST', '/api/v1/imports', { token, raw: form });
}

export async function uploadOk(token, name, bytes) {
  const r = await upload(token, name, bytes);
  assert.equal(r.status, 201, r.text);
  return r.json;
}

export async function configure(token, id, mapping, options) {
  const body = {};
  if (mapping !== undefined) body.mapping = mapping;
  if (options !== undefined) body.options = options;
  return api('PATCH', `/api/v1/imports/${id}`, { token, body });
}

const busy = new Set(['checking', 'queued', 'running']);

// Starts a phase ("dry-run" or "run") and waits until it is over.
export async function phase(token, id, which, timeoutMs = 120000) {
  const r = await api('POST', `/api/v1/imports/${id}/${which}`, { token });
  assert.equal(r.status, 202, r.text);
  return waitIdle(token, id, timeoutMs);
}

export async function waitIdle(token, id, timeoutMs = 120000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await api('GET', `/api/v1/imports/${id}`, { token });
    assert.equal(r.status, 200, r.text);
    if (!busy.has(r.json.status)) return r.json;
    if (Date.now() > until) throw new Error(`import ${id} still ${r.json.status} after ${timeoutMs} ms`);
    await sleep(200);
  }
}

// Upload, map as suggested (or as given), options, and a phase.
export async function importFile(token, name, bytes, { mapping, options, run = 'run' } = {}) {
  const up = await uploadOk(token, name, bytes);
  const c = await configure(token, up.id, mapping ?? up.suggested_mapping, options ?? {});
  assert.equal(c.status, 200, c.text);
  return phase(token, up.id, run);
}

export async function issues(token, id, query = '') {
  const r = await api('GET', `/api/v1/imports/${id}/errors?per_page=100${query}`, { token });
  assert.equal(r.status, 200, r.text);
  return r.json.data;
}

// RFC 4180 records of CSV text (arrays of strings); a BOM is dropped.
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        cell += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      // the CR of a CRLF
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += ch;
    }
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

// A CSV file as objects keyed by its header.
export function csvObjects(text) {
  const [header, ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

// A file of n clients: number, name, email (numbers prefix0, prefix1...).
export function manyRows(n, prefix) {
  const lines = ['number,name,email'];
  for (let i = 0; i < n; i++) lines.push(`${prefix}${i},Client ${prefix}${i},${prefix.toLowerCase()}${i}@many.example`);
  return Buffer.from(lines.join('\n') + '\n');
}
