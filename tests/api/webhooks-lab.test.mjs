// Webhook delivery under workers the test starts and kills itself
// (issue 15): a database of its own on the test cluster (clientd_hooklab,
// migrated by `clientd migrate`), where the stack's worker does not
// deliver, so that the test decides which workers run, with which
// settings. Receivers on ports 18940-18949.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BIN, OWNER_DSN, SOURCE, WORKER_DSN } from './lib/env.mjs';
import { withDb } from './lib/db.mjs';
import { api } from './lib/http.mjs';
import { newCompany, uid } from './lib/fixtures.mjs';
import { receiver, rport, verified } from './lib/receiver.mjs';

const LAB = 'clientd_hooklab';
const lab = (dsn) => dsn.replace(/dbname=\S+/, `dbname=${LAB}`);
const WORKER = join(dirname(BIN), 'clientd-worker');
const workers = new Set();
let company; // the lab's company id (internal)
let client; // a client of it: { id, public_id }
let secrets; // a webhook made on the stack: { secret, sealed, hint }

function startWorker(env = {}, name = 'w') {
  const e = { ...process.env, CLIENTD_DATABASE_URL: lab(WORKER_DSN), CLIENTD_WEBHOOKS_ALLOW_HTTP: '1',
    CLIENTD_WEBHOOKS_ALLOW_PRIVATE: 'loopback', ...env };
  for (const [k, v] of Object.entries(e)) if (v === undefined) delete e[k];
  const p = spawn(WORKER, [], { env: e, stdio: ['ignore', 'ignore', 'pipe'] });
  p.log = '';
  p.stderr.on('data', (d) => { p.log += d; });
  p.name = name;
  workers.add(p);
  p.on('exit', () => workers.delete(p));
  return p;
}

async function stopWorker(p, signal = 'SIGTERM') {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const done = new Promise((resolve) => p.once('exit', resolve));
  p.kill(signal);
  await done;
}

const asLab = (fn) => withDb(lab(OWNER_DSN), fn);

// A webhook in the lab, with a secret sealed by the stack's daemon (the
// worker has the same CLIENTD_SECRET_KEY).
async function labHook(url, events = '{*}') {
  return asLab(async (db) => (await db.query(
    `INSERT INTO webhooks (company_id, url, events, secret, secret_hint)
     VALUES ($1, $2, $3, $4, $5) RETURNING id, public_id`,
    [company, url, events, secrets.sealed, secrets.hint])).rows[0]);
}

// Events numbered from..to (each a client.updated whose previous_attributes
// is {"seq": n}), in one transaction.
async function events(from, to) {
  await asLab(async (db) => {
    await db.query('BEGIN');
    await db.query("SELECT set_config('app.company_id', $1::text, true)", [company]);
    await db.query(`SELECT event_add('client.updated', 'client', $1, $2,
        jsonb_build_object('seq', jsonb_build_object('before', n, 'after', n)), $1)
      FROM generate_series($3::int, $4::int) n ORDER BY n`, [client.id, client.public_id, from, to]);
    await db.query('COMMIT');
  });
}

const seqOf = (r) => r.json.previous_attributes.seq;

before(async () => {
  execFileSync('bash', ['-c', `. tests/sql/lib/cluster.sh; db_fresh ${LAB} >/dev/null; clientd_on ${LAB} migrate >/dev/null`],
    { cwd: SOURCE, env: { ...process.env, CLIENTD_BIN: BIN }, stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync(BIN, ['create-user', '--company-name', 'Lab', '--email', `lab-${uid()}@lab.example`,
    '--password-stdin'], { input: `pw-${uid()}-secret\n`, env: { ...process.env, DATABASE_OWNER_URL: lab(OWNER_DSN) } });
  await asLab(async (db) => {
    company = (await db.query('SELECT id FROM companies')).rows[0].id;
    client = (await db.query(
      "INSERT INTO clients (company_id, number, name) VALUES ($1, 'L-1', 'Lab client') RETURNING id, public_id",
      [company])).rows[0];
  });
  const co = newCompany('Lab keys');
  const w = (await api('POST', '/api/v1/webhooks', { token: co.token, body: { url: `https://lab-${uid()}.example/`, events: ['group.created'] } })).json;
  const { asOwner } = await import('./lib/db.mjs');
  const row = (await asOwner((db) => db.query('SELECT secret, secret_hint FROM webhooks WHERE public_id = $1', [w.id]))).rows[0];
  secrets = { secret: w.secret, sealed: row.secret, hint: row.secret_hint };
});

after(async () => {
  for (const p of [...workers]) await stopWorker(p, 'SIGKILL');
});

test('webhooks-3.1: by default a target that resolves to loopback (localhost) is refused at delivery', async () => {
  const rx = await receiver(18940);
  const w = await labHook(`http://localhost:${rport(18940)}/refused`);
  const p = startWorker({ CLIENTD_WEBHOOKS_ALLOW_PRIVATE: undefined });
  try {
    await events(1, 1);
    let d;
    for (let i = 0; i < 100; i++) {
      d = (await asLab((db) => db.query(
        `SELECT d.attempts, d.status, a.error FROM webhook_deliveries d
         LEFT JOIN webhook_attempts a ON a.delivery_id = d.id WHERE d.webhook_id = $1`, [w.id]))).rows[0];
      if (d?.attempts > 0) break;
      await sleep(100);
    }
    assert.equal(d.attempts, 1, p.log);
    assert.equal(d.status, 'pending', 'refused is retried, like any unreachable target');
    assert.match(d.error, /^refused: address (127\.0\.0\.1|::1) is loopback/);
    assert.equal(rx.requests.length, 0, 'nothing reached the receiver');
    await stopWorker(p);

    // Twin: the operator allows loopback; the same delivery goes through.
    const q = startWorker({ CLIENTD_WEBHOOKS_ALLOW_PRIVATE: 'loopback' });
    await asLab((db) => db.query('UPDATE webhook_deliveries SET next_attempt_at = now() WHERE webhook_id = $1', [w.id]));
    await rx.waitFor((rs) => rs.length === 1, 10000);
    assert.ok(verified(secrets.secret, rx.requests[0]));
    await stopWorker(q);
  } finally {
    await stopWorker(p);
    await asLab((db) => db.query('DELETE FROM webhooks WHERE id = $1', [w.id]));
    await rx.close();
  }
});

test('webhooks-3.2: two workers never deliver one event to one webhook twice, across 1,000 events', async () => {
  const rx = await receiver(18941, () => ({ status: 200, delay: Math.floor(Math.random() * 3) }));
  const hooks = [];
  for (let i = 1; i <= 4; i++) hooks.push(await labHook(rx.url(`/lane${i}`)));
  const a = startWorker({}, 'a');
  const b = startWorker({}, 'b');
  try {
    for (let n = 1; n <= 1000; n += 50) {
      await events(n, n + 49);
      await sleep(20);
    }
    await rx.waitFor((rs) => rs.length >= 4000, 120000, '4,000 deliveries');
    await sleep(1000);
    assert.equal(rx.requests.length, 4000, 'no delivery twice');
    for (let i = 1; i <= 4; i++) {
      const got = rx.requests.filter((r) => r.path === `/lane${i}`);
      assert.equal(new Set(got.map((r) => r.headers['webhook-id'])).size, 1000, `lane ${i}: 1,000 distinct messages`);
      assert.deepEqual(got.map(seqOf), Array.from({ length: 1000 }, (_, k) => k + 1), `lane ${i}: in order`);
      assert.equal(rx.maxInflight(`/lane${i}`), 1, `lane ${i}: never two at the same time`);
    }
    const by = (await asLab((db) => db.query(
      "SELECT worker, count(*)::int AS n FROM webhook_attempts GROUP BY worker"))).rows;
    const attempts = by.reduce((s, r) => s + r.n, 0);
    assert.equal(attempts, 4000, 'one attempt each');
    console.log(`# attempts by worker: ${by.map((r) => `${r.worker.split(':')[1]}=${r.n}`).join(', ')}`);
  } finally {
    await stopWorker(a);
    await stopWorker(b);
    await asLab((db) => db.query('DELETE FROM webhooks WHERE id = ANY($1)', [hooks.map((h) => h.id)]));
    await rx.close();
  }
});

test('webhooks-3.3: kill -9 of the worker in the middle loses nothing, and another carries on at once', async () => {
  const rx = await receiver(18942, () => ({ status: 200, delay: 5 }));
  const w = await labHook(rx.url('/killed'));
  await events(1, 300);
  const a = startWorker({}, 'a');
  try {
    await rx.waitFor((rs) => rs.length >= 100, 30000, '100 deliveries');
    await stopWorker(a, 'SIGKILL');
    const atKill = rx.requests.length;
    const t0 = Date.now();
    const b = startWorker({}, 'b');
    await rx.waitFor((rs) => new Set(rs.map(seqOf)).size === 300, 30000, 'the rest');
    const took = Date.now() - t0;
    await stopWorker(b);
    const seqs = rx.requests.map(seqOf);
    const first = [...new Set(seqs)];
    assert.deepEqual(first, Array.from({ length: 300 }, (_, k) => k + 1), 'everything, in order');
    assert.ok(seqs.length - 300 <= 1, `at most the one in flight twice (got ${seqs.length - 300} repeats)`);
    assert.ok(took < 15000, `the lane was free at once (the rest took ${took} ms after ${atKill})`);
    const pending = (await asLab((db) => db.query(
      "SELECT count(*)::int AS n FROM webhook_deliveries WHERE webhook_id = $1 AND status <> 'delivered'", [w.id]))).rows[0].n;
    assert.equal(pending, 0);
  } finally {
    await stopWorker(a, 'SIGKILL');
    await asLab((db) => db.query('DELETE FROM webhooks WHERE id = $1', [w.id]));
    await rx.close();
  }
});

test('webhooks-3.4: CLIENTD_WEBHOOKS_BATCH: a lane records its deliveries in batches, in order, stops at a failure, and kill -9 repeats at most one batch', async () => {
  let failed = false;
  const rx = await receiver(18946, (r) => {
    if (seqOf(r) === 50 && !failed) {
      failed = true;
      return { status: 503, headers: { 'Retry-After': '1' } };
    }
    return { status: 200, delay: 2 };
  });
  const w = await labHook(rx.url('/batched'));
  await events(1, 300);
  const a = startWorker({ CLIENTD_WEBHOOKS_BATCH: '16' }, 'a');
  try {
    await rx.waitFor((rs) => rs.length >= 120, 30000, '120 deliveries');
    assert.match(a.log, /batches of up to 16/);
    await stopWorker(a, 'SIGKILL');
    const b = startWorker({ CLIENTD_WEBHOOKS_BATCH: '16' }, 'b');
    await rx.waitFor((rs) => new Set(rs.map(seqOf)).size === 300, 30000, 'the rest');
    await stopWorker(b);
    const seqs = rx.requests.map(seqOf);
    assert.deepEqual([...new Set(seqs)], Array.from({ length: 300 }, (_, k) => k + 1), 'everything, in order');
    // The 503 ended its batch: nothing after 50 went out before 50 did.
    const fail = seqs.indexOf(50);
    const ok = seqs.indexOf(50, fail + 1);
    assert.ok(ok > fail && seqs.slice(fail + 1, ok).every((n) => n < 50), 'the retry held up the rest');
    assert.ok(rx.requests[ok].at - rx.requests[fail].at >= 900, 'for its Retry-After');
    // Repeats: the 503, and at most the batch the killed worker had sent
    // and not recorded.
    assert.ok(seqs.length - 300 - 1 <= 16, `at most one batch twice (got ${seqs.length - 301} repeats)`);
    assert.equal(rx.maxInflight('/batched'), 1, 'one at a time');
    const left = (await asLab((db) => db.query(
      "SELECT count(*)::int AS n FROM webhook_deliveries WHERE webhook_id = $1 AND status <> 'delivered'", [w.id]))).rows[0].n;
    assert.equal(left, 0);
  } finally {
    await stopWorker(a, 'SIGKILL');
    await asLab((db) => db.query('DELETE FROM webhooks WHERE id = $1', [w.id]));
    await rx.close();
  }
});
