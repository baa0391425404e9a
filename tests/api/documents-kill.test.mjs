// The daemon killed in the middle of an upload (issue 14): the Kore
// worker that stores the file's chunks dies with SIGKILL (no clean-up of
// its own; Kore's parent starts a new one, as it does after any crash).
// PostgreSQL rolls back the upload's one transaction, so there is no
// partial document, no blob and no orphan chunk afterwards; the same
// upload then works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { api } from './lib/http.mjs';
import { newCompany } from './lib/fixtures.mjs';
import { asOwner } from './lib/db.mjs';
import { createClient } from './lib/clients.mjs';
import { RUNDIR } from './lib/portal.mjs';
import { bytes, sha256, stored, uploadTo, download } from './lib/documents.mjs';

const MiB = 1024 * 1024;

// The Kore workers: the children of the daemon's parent (its pidfile).
function koreWorkers() {
  const parent = Number(readFileSync(join(RUNDIR, 'clientd.pid'), 'utf8').trim());
  const pids = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) pids.push(Number(p));
    } catch { /* gone */ }
  }
  return pids;
}

// Whether a transaction is writing document chunks (their table's lock:
// pg_locks is visible to every role, pg_stat_activity's queries are not).
const STORING = `SELECT count(*)::int AS n FROM pg_locks
  WHERE relation = 'document_chunks'::regclass AND mode = 'RowExclusiveLock'`;

async function storing() {
  const r = await asOwner((db) => db.query(STORING));
  return r.rows[0].n > 0;
}

// Polls on one connection until chunks are being written (or ms pass).
async function untilStoring(ms) {
  return asOwner(async (db) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if ((await db.query(STORING)).rows[0].n > 0) return true;
      await sleep(5);
    }
    return false;
  });
}

async function ready() {
  for (let i = 0; i < 100; i++) {
    const r = await api('GET', '/readyz', { allow5xx: [502, 503], validate: false }).catch(() => null);
    if (r?.status === 200) return;
    await sleep(100);
  }
  throw new Error('the daemon did not come back');
}

test('documents-13.1: the daemon killed while it stores an upload leaves no partial document and no orphan chunk',
  { timeout: 180000 }, async () => {
    const co = newCompany('DocsKill');
    assert.equal((await api('PATCH', '/api/v1/settings', { token: co.token,
      body: { document_max_size: 100 * MiB } })).status, 200);
    const c = await createClient(co.token, { name: 'Kill' });
    const data = bytes(80 * MiB);
    const pending = uploadTo(`/api/v1/clients/${c.id}/documents`, [{ name: 'big.bin', data }],
      { token: co.token, allow5xx: [502, 503, 504], validate: false }).catch((e) => ({ error: e }));
    assert.ok(await untilStoring(60000), 'the upload got as far as storing chunks');
    for (const pid of koreWorkers()) process.kill(pid, 'SIGKILL');
    const r = await pending;
    assert.ok(r.error || r.status >= 500, `the upload did not succeed: ${r.status}`);
    await ready();
    // PostgreSQL ends the dead connection's transaction as it notices.
    for (let i = 0; i < 50 && (await storing()); i++) await sleep(100);
    assert.deepEqual(await stored(co.email), { documents: 0, blobs: 0, chunks: 0, orphans: 0 },
      'nothing of the upload is left');
    const all = await asOwner((db) => db.query(`SELECT count(*)::int AS n FROM document_chunks k
      WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.blob_id = k.blob_id)`));
    assert.equal(all.rows[0].n, 0, 'no orphan chunk in the whole database');

    // (twin) the same upload, undisturbed, is stored whole.
    const again = await uploadTo(`/api/v1/clients/${c.id}/documents`, [{ name: 'big.bin', data }], { token: co.token });
    assert.equal(again.status, 201, again.text);
    const d = again.json.data[0];
    assert.equal(d.sha256, sha256(data));
    const got = await download(`/api/v1/documents/${d.id}/download`, { 'X-API-Token': co.token });
    assert.equal(sha256(got.body), sha256(data));
    assert.deepEqual(await stored(co.email), { documents: 1, blobs: 1, chunks: 160, orphans: 0 });
  });
