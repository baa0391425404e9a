// A worker killed in the middle of an import (issue 16): after it starts
// again (scripts/lib.sh runs it under a supervisor, as systemd would), the
// whole file is imported once, or, all or nothing, nothing until the
// whole of it is. Never half a file under all or nothing, never a row
// twice. The worker is found by the lock on the import's job
// (host:pid:random) and killed with SIGKILL: no clean-up of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { api } from './lib/http.mjs';
import { newCompany } from './lib/fixtures.mjs';
import { asOwner } from './lib/db.mjs';
import { configure, manyRows, uploadOk, waitIdle } from './lib/imports.mjs';

const MINUTES = 60 * 1000;

async function committed(email) {
  const r = await asOwner((db) => db.query(`SELECT count(c.id)::int AS n, count(DISTINCT c.number)::int AS d,
      (SELECT count(*)::int FROM events e WHERE e.company_id = u.company_id AND e.type = 'client.created') AS created,
      (SELECT count(*)::int FROM events e WHERE e.company_id = u.company_id AND e.type = 'import.completed') AS completed
    FROM users u LEFT JOIN clients c ON c.company_id = u.company_id WHERE u.email = $1
    GROUP BY u.company_id`, [email]));
  return r.rows[0];
}

// Starts the run and waits until the worker has done `rows` rows.
async function runUntil(token, id, rows) {
  const r = await api('POST', `/api/v1/imports/${id}/run`, { token });
  assert.equal(r.status, 202, r.text);
  const until = Date.now() + 30 * MINUTES;
  for (;;) {
    const g = await api('GET', `/api/v1/imports/${id}`, { token });
    if (g.json.status !== 'running' && g.json.status !== 'queued') {
      throw new Error(`the import ended (${g.json.status}) before row ${rows}`);
    }
    if ((g.json.progress?.rows_done ?? 0) >= rows) return;
    if (Date.now() > until) throw new Error('no progress');
    await sleep(250);
  }
}

// Kills the worker that holds the import's job; returns its pid.
async function killWorker(id) {
  const r = await asOwner((db) => db.query(`SELECT locked_by, attempts FROM jobs
    WHERE kind = 'import' AND finished_at IS NULL
    AND payload ->> 'import' = (SELECT id::text FROM imports WHERE public_id = $1)`, [id]));
  assert.equal(r.rows.length, 1, 'one job, claimed');
  const [host, pid] = r.rows[0].locked_by.split(':');
  assert.equal(host, hostname().slice(0, 63), 'a worker of this machine (the test stack\'s)');
  process.kill(Number(pid), 'SIGKILL');
  return Number(pid);
}

async function attempts(id) {
  const r = await asOwner((db) => db.query(`SELECT attempts, finished_at IS NOT NULL AS done FROM jobs
    WHERE kind = 'import' AND payload ->> 'import' = (SELECT id::text FROM imports WHERE public_id = $1)`, [id]));
  return r.rows[0];
}

test('imports-8.1: valid rows: a worker killed halfway through 8,000 rows; the restarted one resumes, no row twice',
  { timeout: 60 * MINUTES }, async () => {
    const c = newCompany('KillValid');
    const up = await uploadOk(c.token, 'kill.csv', manyRows(8000, 'V'));
    assert.equal(up.file.rows, 8000);
    assert.equal((await configure(c.token, up.id, up.suggested_mapping,
      { match_key: 'number', mode: 'valid_rows' })).status, 200);
    await runUntil(c.token, up.id, 4000);
    await killWorker(up.id);
    const atKill = await committed(c.email);
    assert.ok(atKill.n > 0 && atKill.n < 8000, `batches committed before the kill: ${atKill.n}`);
    const done = await waitIdle(c.token, up.id, 60 * MINUTES);
    assert.equal(done.status, 'completed', JSON.stringify(done.result));
    assert.equal(done.result.rows, 8000);
    assert.equal(done.result.created, 8000);
    assert.equal(done.result.rejected, 0);
    assert.deepEqual(await committed(c.email), { n: 8000, d: 8000, created: 8000, completed: 1 },
      'every row once: 8,000 clients, numbers and created events, one import.completed');
    assert.deepEqual(await attempts(up.id), { attempts: 2, done: true }, 'taken over once, then finished');
  });

test('imports-8.2: all or nothing: a worker killed halfway leaves nothing; the restarted one imports it all once',
  { timeout: 60 * MINUTES }, async () => {
    const c = newCompany('KillAll');
    const up = await uploadOk(c.token, 'kill.csv', manyRows(4000, 'A'));
    assert.equal((await configure(c.token, up.id, up.suggested_mapping,
      { match_key: 'number', mode: 'all_or_nothing' })).status, 200);
    await runUntil(c.token, up.id, 2000);
    await killWorker(up.id);
    // Its transaction died with it: nothing of it is anywhere.
    await sleep(500);
    assert.deepEqual(await committed(c.email), { n: 0, d: 0, created: 0, completed: 0 },
      'nothing of a half-done all-or-nothing run');
    const done = await waitIdle(c.token, up.id, 60 * MINUTES);
    assert.equal(done.status, 'completed', JSON.stringify(done.result));
    assert.equal(done.result.created, 4000);
    assert.deepEqual(await committed(c.email), { n: 4000, d: 4000, created: 4000, completed: 1 });
    assert.deepEqual(await attempts(up.id), { attempts: 2, done: true });
  });
