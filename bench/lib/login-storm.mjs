// Open-loop load for bench/login.sh: probes GET /healthz and an
// authenticated GET /api/v1/clients/{id} at a steady rate each, and, when
// --logins is above 0, POST /api/v1/login at that rate, each login from an
// address of its own (X-Forwarded-For; the daemon trusts the loopback
// proxy) and the accounts taken in turn, so that no limit of the daemon
// is what is measured. Requests are sent on schedule whether or not the
// earlier ones have been answered (a slow answer does not slow the load
// down, as it would with a closed loop), and the latencies after the
// warm-up are summarised as JSON on standard output.
//
// node login-storm.mjs --url U --token T --client ID --accounts FILE
//   --password P [--probes 50] [--logins 10] [--seconds 20] [--warmup 3]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const { values: o } = parseArgs({
  options: {
    url: { type: 'string' }, token: { type: 'string' }, client: { type: 'string' },
    accounts: { type: 'string' }, password: { type: 'string' },
    probes: { type: 'string', default: '50' }, logins: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '20' }, warmup: { type: 'string', default: '3' },
  },
});
const accounts = readFileSync(o.accounts, 'utf8').split('\n').filter(Boolean);
const seconds = Number(o.seconds);
const warmup = Number(o.warmup);
const results = { healthz: [], client: [], login: [] };
const statuses = { healthz: {}, client: {}, login: {} };
let loginNo = 0;

async function timed(kind, url, init) {
  const t0 = performance.now();
  let status = 'error';
  try {
    const r = await fetch(url, init);
    await r.arrayBuffer();
    status = r.status;
  } catch {
    // counted as "error"
  }
  const ms = performance.now() - t0;
  if (t0 >= start + warmup * 1000) {
    results[kind].push(ms);
    statuses[kind][status] = (statuses[kind][status] ?? 0) + 1;
  }
}

function login() {
  const n = loginNo++;
  const ip = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  return timed('login', `${o.url}/api/v1/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': ip },
    body: JSON.stringify({ email: accounts[n % accounts.length], password: o.password }),
  });
}

// Calls fn every 1000/rate ms from the start until the end, on schedule.
function every(rate, fn, pending) {
  if (rate <= 0) return;
  const gap = 1000 / rate;
  let k = 0;
  const tick = () => {
    const now = performance.now();
    while (start + k * gap <= now && start + k * gap < end) {
      pending.push(fn());
      k++;
    }
    if (start + k * gap < end) setTimeout(tick, Math.max(0, start + k * gap - performance.now()));
  };
  tick();
}

function summary(ms) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q) => (s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] : 0);
  return { n: s.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: s.at(-1) ?? 0 };
}

const start = performance.now();
const end = start + (warmup + seconds) * 1000;
const pending = [];
every(Number(o.probes), () => timed('healthz', `${o.url}/healthz`), pending);
every(Number(o.probes), () => timed('client', `${o.url}/api/v1/clients/${o.client}`,
  { headers: { 'X-API-Token': o.token } }), pending);
every(Number(o.logins), login, pending);
await new Promise((resolve) => { setTimeout(resolve, end - performance.now() + 50); });
await Promise.all(pending);
const out = {};
for (const k of Object.keys(results)) out[k] = { ...summary(results[k]), statuses: statuses[k] };
process.stdout.write(`${JSON.stringify(out)}\n`);
