// What the document tests share (issue 14): uploads as multipart, a
// download read as bytes (not text) and checked against openapi.yaml, and
// what the database holds for a company.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { api } from './http.mjs';
import { asOwner } from './db.mjs';
import { BASE } from './env.mjs';
import { validateResponse } from './openapi.mjs';

export const sha256 = (b) => createHash('sha256').update(b).digest('hex');
export const bytes = (n) => randomBytes(n);

// POST multipart to path: files [{ name, data, type }], and fields.
export function uploadTo(path, files, opts = {}) {
  const form = new FormData();
  for (const f of files) {
    form.append(f.field ?? 'file', new Blob([f.data], { type: f.type ?? 'application/octet-stream' }), f.name);
  }
  for (const [k, v] of Object.entries(opts.fields ?? {})) form.append(k, v);
  return api('POST', path, { ...opts, raw: form });
}

export async function uploadOk(token, owner, id, files, fields) {
  const r = await uploadTo(`/api/v1/${owner}/${id}/documents`, files, { token, fields });
  assert.equal(r.status, 201, r.text);
  return r.json.data;
}

// GET a download as bytes; headers as given (a token, a portal cookie ...).
export async function download(path, headers = {}, method = 'GET') {
  const res = await fetch(BASE + path, { method, headers });
  const body = Buffer.from(await res.arrayBuffer());
  const ctype = res.headers.get('content-type') ?? '';
  if (res.status >= 500) throw new Error(`${path} answered ${res.status}: ${body.toString().slice(0, 300)}`);
  validateResponse(method, path.split('?')[0], res.status, ctype,
    ctype.startsWith('application/json') ? JSON.parse(body.toString()) : (body.length ? body.toString('latin1') : undefined));
  return { status: res.status, headers: res.headers, body, json: ctype.startsWith('application/json') ? JSON.parse(body.toString()) : undefined };
}

// The company's documents, blobs and chunks (by its owner's email).
export async function stored(email) {
  const r = await asOwner((db) => db.query(`SELECT
      (SELECT count(*)::int FROM documents d WHERE d.company_id = u.company_id) AS documents,
      (SELECT count(*)::int FROM document_blobs b WHERE b.company_id = u.company_id) AS blobs,
      (SELECT count(*)::int FROM document_chunks k WHERE k.company_id = u.company_id) AS chunks,
      (SELECT count(*)::int FROM document_chunks k WHERE k.company_id = u.company_id
          AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.blob_id = k.blob_id)) AS orphans
    FROM users u WHERE u.email = $1`, [email]));
  return r.rows[0];
}
