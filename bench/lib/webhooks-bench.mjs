// The webhook benchmark (bench/webhooks.sh sets up the cluster, the
// daemon and the receiver and runs this): deliveries per second from one
// worker and from two to an instant receiver and to one that answers
// after 200 ms, and the lag from commit to delivery at a steady rate.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = process.env.CLIENTD_ROOT;
const pg = createRequire(join(ROOT, 'tests', 'package.json'))('pg');
const { URL_BASE, TOKEN, RX, WORKER, BENCH_RATE = '200', BENCH_SECONDS = '20', BENCH_ONLY = '' } = process.env;

function dsn(s) {
  const o = {};
  for (const m of s.matchAll(/(\w+)=('(?:[^'\\]|\\.)*'|\S+)/g)) o[m[1]] = m[2].replace(/^'|'$/g, '');
  return { host: o.host, port: Number(o.port), database: o.dbname, user: o.user, password: o.password };
}

const db = new pg.Client(dsn(process.env.DATABASE_OWNER_URL));
await db.connect();
const company = (await db.query("SELECT id FROM companies WHERE name = 'Bench Hooks'")).rows[0].id;
const client = (await db.query('SELECT id, public_id FROM clients WHERE company_id = $1 LIMIT 1', [company])).rows[0];
const gen = [];
for (let i = 0; i < 4; i++) {
  const c = new pg.Client(dsn(process.env.DATABASE_OWNER_URL));
  await c.connect();
  gen.push(c);
}

async function call(method, path, body) {
  const r = await fetch(URL_BASE + path, { method, headers: { 'X-API-Token': TOKEN, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  if (!r.ok && r.status !== 204) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.status === 204 ? null : r.json();
}

async function hooks(n, prefix) {
  for (const w of (await call('GET', '/api/v1/webhooks?per_page=100')).data) await call('DELETE', `/api/v1/webhooks/${w.id}`);
  for (let i = 0; i < n; i++) await call('POST', '/api/v1/webhooks', { url: `${RX}/${prefix}/${i}`, events: ['client.updated'] });
}

// Events numbered from..to in one transaction (all queued at once).
async function burst(from, to) {
  await db.query('BEGIN');
  await db.query("SELECT set_config('app.company_id', $1::text, true)", [company]);
  await db.query(`SELECT event_add('client.updated', 'client', $1, $2,
      jsonb_build_object('seq', jsonb_build_object('before', n, 'after', n)), $1)
    FROM generate_series($3::int, $4::int) n ORDER BY n`, [client.id, client.public_id, from, to]);
  await db.query('COMMIT');
}

// One event in its own transaction (one statement: the tenant, then the
// event), on connection c; the time its COMMIT returned.
async function one(c, seq) {
  await c.query(`SELECT event_add('client.updated', 'client', $2, $3,
      jsonb_build_object('seq', jsonb_build_object('before', $4::int, 'after', $4::int)), $2)
    FROM (SELECT set_config('app.company_id', $1::text, true)) t`, [company, client.id, client.public_id, seq]);
  return Date.now();
}

const stats = async () => (await fetch(`${RX}/__stats`)).json();

function workers(n) {
  return Array.from({ length: n }, () => spawn(WORKER, [], { stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, CLIENTD_DATABASE_URL: process.env.WORKER_DATABASE_URL } }));
}
async function stop(ps) {
  await Promise.all(ps.map((p) => new Promise((r) => { p.once('exit', r); p.kill('SIGTERM'); })));
}

async function until(want, timeoutMs) {
  let got = [];
  const end = Date.now() + timeoutMs;
  while (got.length < want && Date.now() < end) {
    await sleep(50);
    got = got.concat(await stats());
  }
  return got;
}

const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function throughput(label, lanes, perLane, nworkers, prefix) {
  await hooks(lanes, prefix);
  await stats();
  await burst(1, perLane);
  const load0 = loadavg()[0];
  const t0 = Date.now();
  const ps = workers(nworkers);
  const got = await until(lanes * perLane, 300000);
  const secs = (got.length ? got[got.length - 1].at - t0 : Date.now() - t0) / 1000;
  await stop(ps);
  const ids = new Set(got.map((a) => `${a.path} ${a.id}`));
  console.log(`${label.padEnd(44)} ${String(got.length).padStart(6)} deliveries in ${secs.toFixed(1).padStart(5)} s = ${(got.length / secs).toFixed(0).padStart(5)}/s` +
    `   (duplicates ${got.length - ids.size}, load ${load0.toFixed(1)} -> ${loadavg()[0].toFixed(1)})`);
  if (lanes === 1) await split();
}

// Where one busy lane's time goes: per attempt, the HTTP request
// (latency_ms, as the worker measured it) and the rest of the step from
// one attempt's start to the next one's (recording it, taking the next
// delivery, the loop), from the attempts the worker recorded.
async function split() {
  const r = (await db.query(`SELECT count(*)::int AS n, avg(latency_ms)::float AS http,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY gap)::float AS step50,
      avg(gap)::float AS step FROM (
        SELECT a.latency_ms, extract(epoch FROM a.started_at - lag(a.started_at) OVER (ORDER BY a.started_at)) * 1000 AS gap
        FROM webhook_attempts a) x WHERE gap IS NOT NULL`)).rows[0];
  console.log(`  one lane's step: ${r.step.toFixed(2)} ms per delivery (median ${r.step50.toFixed(2)}), of which HTTP ${r.http.toFixed(2)} ms` +
    ` and the rest ${(r.step - r.http).toFixed(2)} ms (record, next, loop; ${r.n} attempts)`);
}

async function lag(rate, seconds, nworkers) {
  await hooks(1, 'lag');
  await stats();
  const ps = workers(nworkers);
  await sleep(1000);
  const committed = new Map();
  const n = rate * seconds;
  const load0 = loadavg()[0];
  const t0 = Date.now();
  // Four connections, so that one slow commit (fsync) does not hold up
  // the events due after it: each is sent when it is due.
  const pending = [];
  for (let i = 1; i <= n; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    pending.push(one(gen[i % gen.length], i).then((at) => committed.set(i, at)));
  }
  await Promise.all(pending);
  const sent = (Date.now() - t0) / 1000;
  const got = await until(n, 60000);
  await stop(ps);
  const lags = got.filter((a) => committed.has(a.seq)).map((a) => a.at - committed.get(a.seq)).sort((a, b) => a - b);
  console.log(`lag at ${rate}/s for ${seconds} s, ${nworkers} worker${nworkers > 1 ? 's' : ''} (${n} events in ${sent.toFixed(1)} s, ${got.length} delivered):` +
    ` p50 ${pct(lags, 50)} ms, p90 ${pct(lags, 90)} ms, p99 ${pct(lags, 99)} ms, max ${lags[lags.length - 1]} ms` +
    `  (target p99 <= 1000 ms: ${pct(lags, 99) <= 1000 ? 'met' : 'NOT met'}; load ${load0.toFixed(1)} -> ${loadavg()[0].toFixed(1)})`);
}

console.log(`# ${new Date().toISOString()}, ${process.env.NPROC} CPUs, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
if (BENCH_ONLY !== 'lag') {
  await throughput('instant receiver, 1 webhook, 1 worker', 1, 2000, 1, 'fast');
  await throughput('instant receiver, 8 webhooks, 1 worker', 8, 500, 1, 'fast');
  await throughput('instant receiver, 8 webhooks, 2 workers', 8, 500, 2, 'fast');
  await throughput('200 ms receiver, 48 webhooks, 1 worker', 48, 10, 1, 'slow');
  await throughput('200 ms receiver, 48 webhooks, 2 workers', 48, 10, 2, 'slow');
}
if (BENCH_ONLY !== 'throughput') {
  await lag(Number(BENCH_RATE), Number(BENCH_SECONDS), 1);
  await lag(Number(BENCH_RATE), Number(BENCH_SECONDS), 2);
}
await db.end();
for (const c of gen) await c.end();
