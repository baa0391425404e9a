// The worker (issue 2, item 1): it runs queued jobs from PostgreSQL and
// keeps a heartbeat; a job it cannot run is retried, never crashes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { asApp, asOwner } from './lib/db.mjs';
import { api } from './lib/http.mjs';

async function enqueue(kind) {
  return asApp(async (db) => {
    await db.query('BEGIN');
    await db.query("SELECT set_config('app.company_id', '1', true)");
    const r = await db.query('INSERT INTO jobs (company_id, kind) VALUES (1, $1) RETURNING id', [kind]);
    await db.query("NOTIFY clientd_jobs");
    await db.query('COMMIT');
    return r.rows[0].id;
  });
}

async function job(id) {
  return (await asOwner((db) => db.query('SELECT * FROM jobs WHERE id = $1', [id]))).rows[0];
}

test('worker-1.1: a queued job is run and marked finished', async () => {
  const id = await enqueue('heartbeat');
  let j;
  for (let i = 0; i < 50; i++) {
    j = await job(id);
    if (j.finished_at) break;
    await sleep(100);
  }
  assert.ok(j.finished_at, 'finished within 5 s');
  assert.equal(j.attempts, 1);
  assert.equal(j.last_error, null);
});

test('worker-1.2: a job of an unknown kind fails, is scheduled again, and the worker lives on', async () => {
  const id = await enqueue('no-such-kind');
  let j;
  for (let i = 0; i < 50; i++) {
    j = await job(id);
    if (j.last_error) break;
    await sleep(100);
  }
  assert.match(j.last_error, /unknown job kind "no-such-kind"/);
  assert.equal(j.finished_at, null);
  assert.ok(new Date(j.run_at) > new Date(), 'retried later');
  const ok = await enqueue('heartbeat');
  for (let i = 0; i < 50 && !(await job(ok)).finished_at; i++) await sleep(100);
  assert.ok((await job(ok)).finished_at, 'the worker still runs jobs');
  await asOwner((db) => db.query('DELETE FROM jobs WHERE id = $1', [id]));
});

test('worker-1.3: the heartbeat shows in /readyz', async () => {
  const r = await api('GET', '/readyz');
  assert.ok(r.json.worker.count >= 1);
});
