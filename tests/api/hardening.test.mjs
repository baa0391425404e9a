// What an outside probe found (issue 10): each test is the reproducer of
// one finding, and fails on the code before its fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { METRICS } from './lib/env.mjs';
import { api, fieldErrors, login } from './lib/http.mjs';
import { cli, newCompany, uid } from './lib/fixtures.mjs';
import { asOwner } from './lib/db.mjs';
import { createClient } from './lib/clients.mjs';

// An address of this test's own: the login limits count per address.
function address() {
  return `198.18.${128 + Math.floor(Math.random() * 128)}.${1 + Math.floor(Math.random() * 254)}`;
}

// A full hashing queue answers 503 with Retry-After; such a login is not
// counted, and is tried again after the time it names.
async function tryLogin(email, password, ip) {
  for (;;) {
    const r = await api('POST', '/api/v1/login', {
      body: { email, password }, headers: { 'X-Forwarded-For': ip }, allow5xx: [503],
    });
    if (r.status !== 503) return r;
    const wait = Number(r.headers.get('retry-after'));
    assert.ok(wait > 0 && wait <= 5, `Retry-After ${wait}`);
    await new Promise((resolve) => { setTimeout(resolve, wait * 1000); });
  }
}

// ---------------------------------------------------------------- 1. logins

test('hardening-1.1: ten wrong passwords at once: five are checked, five wait (no race past the limit)', async () => {
  const co = newCompany('Race');
  const ip = address();
  const all = await Promise.all(Array.from({ length: 10 }, (_, i) => tryLogin(co.email, `wrong-${i}-password`, ip)));
  const statuses = all.map((r) => r.status).sort();
  assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
  const rows = await asOwner((db) => db.query(
    'SELECT count(*)::int AS n FROM login_attempts WHERE lower(email) = lower($1)', [co.email]));
  assert.equal(rows.rows[0].n, 5, 'only the attempts that were checked are counted');
});

test('hardening-1.2: the right password is limited too: 20 logins per account in 15 minutes', async () => {
  const co = newCompany('Storm');
  const ip = address();
  for (let i = 0; i < 20; i++) {
    const r = await tryLogin(co.email, co.password, ip);
    assert.equal(r.status, 200, `login ${i + 1}`);
  }
  const r = await tryLogin(co.email, co.password, ip);
  assert.equal(r.status, 429);
  assert.equal(r.json.error.code, 'too_many_requests');
  assert.ok(Number(r.headers.get('retry-after')) > 0);
  // Twin: another account from the same address is not limited by it.
  const other = newCompany('Storm');
  assert.equal((await tryLogin(other.email, other.password, ip)).status, 200);
});

test('hardening-1.3: one address gets 100 logins of any outcome in 15 minutes, whatever the accounts', async () => {
  const ip = address();
  const cos = Array.from({ length: 5 }, () => newCompany('Address'));
  for (const co of cos) {
    // Five at a time: an account's logins in flight count against its five
    // unsuccessful ones until they succeed (so that a race cannot pass them).
    for (let batch = 0; batch < 4; batch++) {
      const rs = await Promise.all(Array.from({ length: 5 }, () => tryLogin(co.email, co.password, ip)));
      assert.deepEqual(rs.map((r) => r.status), [200, 200, 200, 200, 200]);
    }
  }
  const sixth = newCompany('Address');
  const r = await tryLogin(sixth.email, sixth.password, ip);
  assert.equal(r.status, 429);
  // Twin: the same account from another address is fine.
  assert.equal((await tryLogin(sixth.email, sixth.password, address())).status, 200);
});

test('hardening-1.4: a user keeps at most 20 live sessions; a new login ends the oldest', async () => {
  const co = newCompany('Sessions');
  const first = await login(co.email, co.password);
  await asOwner((db) => db.query(
    `INSERT INTO sessions (company_id, user_id, token_hash, expires_at, last_seen_at)
     SELECT u.company_id, u.id, sha256(convert_to($2 || g, 'UTF8')), now() + interval '1 day',
            now() - interval '1 minute' * (30 - g)
     FROM users u, generate_series(1, 19) g WHERE u.email = $1`, [co.email, uid()]));
  // The first session is the least recently seen (it was used before the others).
  await asOwner((db) => db.query(
    "UPDATE sessions SET last_seen_at = now() - interval '1 hour' WHERE user_id = (SELECT id FROM users WHERE email = $1) AND ip IS NOT NULL", [co.email]));
  const count = async () => (await asOwner((db) => db.query(
    'SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1', [co.email]))).rows[0].n;
  assert.equal(await count(), 20);
  assert.equal((await api('GET', '/api/v1/me', { session: first })).status, 200);
  // That GET made the first session the most recent one: age it again.
  await asOwner((db) => db.query(
    "UPDATE sessions SET last_seen_at = now() - interval '1 hour' WHERE user_id = (SELECT id FROM users WHERE email = $1) AND ip IS NOT NULL", [co.email]));
  const latest = await login(co.email, co.password);
  assert.equal(await count(), 20, 'still 20');
  assert.equal((await api('GET', '/api/v1/me', { session: first })).status, 401, 'the oldest ended');
  assert.equal((await api('GET', '/api/v1/me', { session: latest })).status, 200);
});

test('hardening-1.5: the 401 before the last attempt warns, and says how a password is reset', async () => {
  const co = newCompany('Warn');
  const ip = address();
  const answers = [];
  for (let i = 0; i < 5; i++) answers.push((await tryLogin(co.email, `wrong-${i}-password`, ip)).json.error);
  assert.deepEqual(answers.map((e) => e.detail), [null, null, null,
    'One more failed attempt pauses logins for this account for 15 minutes.',
    'Logins for this account are now paused for 15 minutes.']);
  assert.match(answers[0].hint, /clientd set-password --email/);
  // An unknown address gets the same answers (they tell nothing about accounts).
  const ghost = `ghost-${uid()}@test.example`;
  const ghosts = [];
  for (let i = 0; i < 4; i++) ghosts.push((await tryLogin(ghost, 'wrong-password', ip)).json.error.detail);
  assert.equal(ghosts[3], answers[3].detail);
});

test('hardening-1.7: clientd set-password lets a paused owner back in and ends their sessions', async () => {
  const co = newCompany('Reset');
  const ip = address();
  const old = await login(co.email, co.password);
  for (let i = 0; i < 5; i++) await tryLogin(co.email, `wrong-${i}-password`, ip);
  assert.equal((await tryLogin(co.email, co.password, ip)).status, 429, 'paused');
  const fresh = `new-${uid()}-password`;
  cli(['set-password', '--email', co.email, '--password-stdin'], `${fresh}\n`);
  assert.equal((await api('GET', '/api/v1/me', { session: old })).status, 401, 'old sessions ended');
  assert.equal((await tryLogin(co.email, co.password, ip)).status, 401, 'the old password is gone');
  assert.equal((await tryLogin(co.email, fresh, ip)).status, 200, 'the pause is lifted');
  // Twin: an unknown account is an error, and changes nothing.
  assert.throws(() => cli(['set-password', '--email', `nobody-${uid()}@test.example`, '--password-stdin'], 'x-password-1\n'));
});

test('hardening-7.4: the demo owner may mint tokens with a token (README\'s example), the other demo owner not', async () => {
  const demo = cli(['create-token', '--email', 'owner@demo.test', '--token-name', `readme ${uid()}`]).trim();
  const other = cli(['create-token', '--email', 'owner@other.test', '--token-name', `readme ${uid()}`]).trim();
  const a = await api('POST', '/api/v1/tokens', { token: demo, body: { name: 'nightly export', expires_at: '2099-12-31T00:00:00Z' } });
  assert.equal(a.status, 201);
  await api('DELETE', `/api/v1/tokens/${a.json.id}`, { token: demo });
  const b = await api('POST', '/api/v1/tokens', { token: other, body: { name: 'nightly export' } });
  assert.equal(b.status, 403);
});

test('hardening-1.6: logins in flight do not hold up the rest of the API', async () => {
  // Ten accounts, four logins each, all at once; then /healthz and a read.
  const cos = Array.from({ length: 10 }, () => newCompany('Flight'));
  const c = await createClient(cos[0].token, { name: 'Read during logins' });
  const order = [];
  const logins = cos.flatMap((co) => Array.from({ length: 4 }, () =>
    tryLogin(co.email, co.password, address()).then((r) => { order.push(`login ${r.status}`); })));
  await new Promise((resolve) => { setTimeout(resolve, 5); });
  const others = [
    api('GET', '/healthz').then((r) => { order.push(`healthz ${r.status}`); }),
    api('GET', `/api/v1/clients/${c.id}`, { token: cos[0].token }).then((r) => { order.push(`client ${r.status}`); }),
  ];
  await Promise.all([...logins, ...others]);
  // Forty argon2id checks take far longer than two reads: the reads are
  // answered while most logins are still hashing (on the event loop, each
  // read waited for the hashes queued before it).
  const served = order.indexOf('healthz 200');
  const read = order.indexOf('client 200');
  assert.ok(served >= 0 && read >= 0, order.join(', '));
  assert.ok(Math.max(served, read) < 20, `reads answered after ${Math.max(served, read)} of 40 logins: ${order.join(', ')}`);
});

// ------------------------------------------------------ 6. number settings

test('hardening-6.1: a pattern whose numbers could outgrow the number field is refused when saved', async () => {
  const co = newCompany('Pattern');
  const six = '{$counter}'.repeat(6);
  const r = await api('PATCH', '/api/v1/settings', {
    token: co.token, body: { client_number_pattern: six, counter_padding: 10, client_number_counter: 999999999999 },
  });
  assert.equal(r.status, 422);
  assert.deepEqual(fieldErrors(r), ['client_number_pattern:invalid_value']);
  assert.match(r.json.error.message, /72 characters; a client number has at most 64/);
  const s = await api('GET', '/api/v1/settings', { token: co.token });
  assert.equal(s.json.settings.client_number_pattern.source, 'default', 'nothing was saved');
  // The same at group level.
  const g = await api('POST', '/api/v1/groups', { token: co.token, body: { name: `G ${uid()}`, settings: { client_number_pattern: six } } });
  assert.equal(g.status, 422);
  assert.deepEqual(fieldErrors(g), ['settings.client_number_pattern:invalid_value']);
  // Twin: five counters (60 characters at most) fit.
  const five = await api('PATCH', '/api/v1/settings', { token: co.token, body: { client_number_pattern: '{$counter}'.repeat(5) } });
  assert.equal(five.status, 200);
});

test('hardening-6.2: a counter below its top gives its last number, then a 409 naming "number"; it never runs past the top', async () => {
  const co = newCompany('Counter');
  const top = 999999999999; // the stored counter is the next value: at the top it is spent
  assert.equal((await api('PATCH', '/api/v1/settings', {
    token: co.token, body: { client_number_pattern: 'C{$counter}', client_number_counter: top - 1 },
  })).status, 200);
  const last = await api('POST', '/api/v1/clients', { token: co.token, body: { name: 'Last one' } });
  assert.equal(last.status, 201);
  assert.equal(last.json.number, `C${top - 1}`);
  const over = await api('POST', '/api/v1/clients', { token: co.token, body: { name: 'One too many' } });
  assert.equal(over.status, 409);
  assert.equal(over.json.error.field, 'number');
  assert.equal(over.json.error.message, 'the client number counter is exhausted');
  assert.match(over.json.error.hint, /Give the number by hand/);
  const s = await api('GET', '/api/v1/settings', { token: co.token });
  assert.equal(s.json.settings.client_number_counter.value, top, 'the counter stays at its top');
  const setPast = await api('PATCH', '/api/v1/settings', { token: co.token, body: { client_number_counter: top + 1 } });
  assert.equal(setPast.status, 422);
  assert.deepEqual(fieldErrors(setPast), ['client_number_counter:out_of_range']);
  // Twin: a client with a number of its own is still created.
  const own = await api('POST', '/api/v1/clients', { token: co.token, body: { name: 'Numbered', number: `X-${uid()}` } });
  assert.equal(own.status, 201);
});

test('hardening-6.3: every 422 names its field, a database refusal included', async () => {
  const co = newCompany('Fields');
  const c = await createClient(co.token, { name: 'Fields' });
  const cases = [
    ['POST', '/api/v1/clients', { name: 'x', number: 'n'.repeat(65) }],
    ['PATCH', `/api/v1/clients/${c.id}`, { balance_limit: 1 }],
    ['PATCH', '/api/v1/settings', { payment_terms: 99999 }],
    ['PATCH', '/api/v1/settings', { timezone: 'Mars/Olympus' }],
    ['POST', `/api/v1/clients/${c.id}/ledger`, { kind: 'payment', amount: '-1e400' }],
    ['POST', `/api/v1/clients/${c.id}/ledger`, { kind: 'payment', amount: '5.00' }],
  ];
  for (const [method, path, body] of cases) {
    const headers = path.endsWith('/ledger') ? { 'Idempotency-Key': uid() } : {};
    const r = await api(method, path, { token: co.token, body, headers });
    assert.equal(r.status, 422, `${method} ${path} ${JSON.stringify(body)}`);
    assert.ok(r.json.error.field, `${method} ${path} ${JSON.stringify(body)}: no field`);
    assert.ok(r.json.error.errors.every((e) => e.field), JSON.stringify(r.json.error.errors));
  }
});

// ----------------------------------------------------------- 8. small ones

test('hardening-8.1: an If-Match version past any integer is a 412, not a 422', async () => {
  const co = newCompany('IfMatch');
  const c = await createClient(co.token, { name: 'Versioned', contacts: [{ first_name: 'A' }] });
  for (const tag of ['"18446744073709551723"', '"2147483648"', 'W/"99999999999999999999"']) {
    const r = await api('PATCH', `/api/v1/clients/${c.id}`, { token: co.token, headers: { 'If-Match': tag }, body: { name: 'changed' } });
    assert.equal(r.status, 412, tag);
    const k = await api('PATCH', `/api/v1/clients/${c.id}/contacts/${c.contacts[0].id}`, {
      token: co.token, headers: { 'If-Match': tag }, body: { first_name: 'B' },
    });
    assert.equal(k.status, 412, `contact ${tag}`);
  }
  const after = await api('GET', `/api/v1/clients/${c.id}`, { token: co.token });
  assert.equal(after.json.name, 'Versioned', 'nothing changed');
  // Twin: the current version matches.
  const ok = await api('PATCH', `/api/v1/clients/${c.id}`, {
    token: co.token, headers: { 'If-Match': after.headers.get('etag') }, body: { name: 'changed' },
  });
  assert.equal(ok.status, 200);
});

function cursorOf(sort, desc, pid, value) {
  return Buffer.from(`c1|${sort}|${desc ? 'd' : 'a'}|${pid}|${value}`).toString('base64url');
}

test('hardening-8.2: a tampered cursor is the same 400 on every list', async () => {
  const co = newCompany('Cursor');
  const c = await createClient(co.token, { name: 'Cursor', contacts: [{ first_name: 'K', email: `k-${uid()}@test.example` }] });
  const entry = await api('POST', `/api/v1/clients/${c.id}/ledger`, {
    token: co.token, body: { kind: 'invoice', amount: '5.00' }, headers: { 'Idempotency-Key': uid() },
  });
  assert.equal(entry.status, 201);
  const pid = c.id;
  // [list, sort name, descending, a value its type cannot take, one it can]
  const lists = [
    ['/api/v1/clients?', 'created_at', true, 'yesterday', '2026-01-01 00:00:00+00'],
    ['/api/v1/clients?sort=updated_at&', 'updated_at', false, '2026-02-30 00:00:00+00', '2026-02-28 00:00:00+00'],
    ['/api/v1/clients?sort=-balance&', 'balance', true, '1e5', '-12.50'],
    [`/api/v1/clients/${c.id}/activity?`, 'activity', true, 'now', '2026-01-01 00:00:00.5+00'],
    ['/api/v1/contacts?', 'contacts', true, '2026-12-07T00:00:00Z', '2026-12-07 00:00:00+00'],
    [`/api/v1/clients/${c.id}/ledger?`, 'ledger', true, '99999999999', '2'],
    ['/api/v1/ledger?', 'ledger-all', true, 'infinity', '2026-12-07 00:00:00+01'],
    ['/api/v1/tokens?', 'tokens', true, 'not a time', '2026-12-07 00:00:00+00'],
    ['/api/v1/groups?', 'groups', false, null, 'any text'],
  ];
  for (const [path, sort, desc, bad, good] of lists) {
    for (const cursor of ['abc', ...(bad === null ? [] : [cursorOf(sort, desc, pid, bad)])]) {
      const r = await api('GET', `${path}cursor=${cursor}`, { token: co.token });
      assert.equal(r.status, 400, `${path} ${cursor}`);
      assert.equal(r.json.error.code, 'bad_request');
      assert.equal(r.json.error.field, 'cursor', path);
    }
    // Twin: a well-formed value of the right type is a page (maybe empty).
    const r = await api('GET', `${path}cursor=${cursorOf(sort, desc, pid, good)}`, { token: co.token });
    assert.equal(r.status, 200, `${path} ${good}: ${r.text}`);
  }
});

test('hardening-8.3: time zones that are not zones are refused', async () => {
  const co = newCompany('Zones');
  for (const tz of ['localtime', 'posixrules', 'Factory', 'posix/Europe/Berlin', 'right/UTC']) {
    const r = await api('PATCH', '/api/v1/settings', { token: co.token, body: { timezone: tz } });
    assert.equal(r.status, 422, tz);
    assert.deepEqual(fieldErrors(r), ['timezone:invalid_format'], tz);
  }
  const ok = await api('PATCH', '/api/v1/settings', { token: co.token, body: { timezone: 'Europe/Berlin' } });
  assert.equal(ok.status, 200);
  assert.equal(ok.json.settings.timezone.value, 'Europe/Berlin');
});

// ------------------------------------------------- 5. a worker that died

async function heartbeats() {
  return (await asOwner((db) => db.query(
    'SELECT pid, extract(epoch FROM now() - beat_at)::float AS age FROM worker_heartbeats ORDER BY beat_at DESC'))).rows;
}

test('hardening-5.1: no heartbeat for three intervals: /readyz says degraded (200), and why', async () => {
  const [newest] = await heartbeats();
  assert.ok(newest, 'a worker runs');
  // (A heartbeat can land between the two statements: then again.)
  let r;
  for (let i = 0; i < 3 && r?.json.status !== 'degraded'; i++) {
    await asOwner((db) => db.query("UPDATE worker_heartbeats SET beat_at = now() - interval '45 seconds'"));
    r = await api('GET', '/readyz');
  }
  assert.equal(r.status, 200, 'the API still serves: a late worker delays jobs, it does not stop requests');
  assert.equal(r.json.status, 'degraded');
  assert.equal(r.json.worker.status, 'late');
  assert.ok(r.json.worker.seconds_since_heartbeat >= 45);
  assert.match(r.json.worker.reason, /^no worker heartbeat for 4\d seconds/);
  // Twin: the worker's next heartbeat (every 10 s) makes it ready again.
  let again;
  for (let i = 0; i < 30; i++) {
    again = await api('GET', '/readyz');
    if (again.json.status === 'ready') break;
    await new Promise((resolve) => { setTimeout(resolve, 500); });
  }
  assert.equal(again.json.status, 'ready');
  assert.equal(again.json.worker.status, 'ok');
  assert.equal(again.json.worker.reason, null);
});

test('hardening-5.2: a worker killed with SIGKILL is started again, and runs jobs', async () => {
  const old = (await heartbeats()).find((h) => h.age < 15);
  assert.ok(old, 'a live worker');
  process.kill(old.pid, 'SIGKILL');
  let fresh;
  for (let i = 0; i < 40 && !fresh; i++) {
    await new Promise((resolve) => { setTimeout(resolve, 250); });
    fresh = (await heartbeats()).find((h) => h.pid !== old.pid && h.age < 5);
  }
  assert.ok(fresh, 'a new worker reported within 10 s');
  const r = await api('GET', '/readyz');
  assert.equal(r.json.status, 'ready');
});

// --------------------------------------------------- metrics and logs

function logLines() {
  return readFileSync(join(process.env.CLIENTD_RUNDIR, 'clientd.log'), 'utf8').split('\n')
    .filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}

async function scrape() {
  const res = await fetch(`${METRICS}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  return res.text();
}

// Every sample of the exposition, as { name, labels, value }.
function samples(text) {
  return text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => {
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(l);
    assert.ok(m, `not a sample line: ${l}`);
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    return { name: m[1], labels, value: Number(m[3]) };
  });
}

const value = (all, name, labels = {}) => all.find((s) => s.name === name
  && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

test('hardening-9.3: GET /metrics on the metrics listener: requests by route and status, latency, database, jobs, worker', async () => {
  const co = newCompany('Metrics');
  const c = await createClient(co.token, { name: 'Measured' });
  const before = samples(await scrape());
  const got0 = value(before, 'clientd_http_requests_total', { route: 'getClient', code: '200' }) ?? 0;
  const miss0 = value(before, 'clientd_http_requests_total', { route: 'getClient', code: '404' }) ?? 0;
  for (let i = 0; i < 3; i++) assert.equal((await api('GET', `/api/v1/clients/${c.id}`, { token: co.token })).status, 200);
  assert.equal((await api('GET', '/api/v1/clients/zzzzzzzzzzzz', { token: co.token })).status, 404);
  const text = await scrape();
  const all = samples(text);
  assert.equal(value(all, 'clientd_http_requests_total', { route: 'getClient', code: '200' }), got0 + 3);
  assert.equal(value(all, 'clientd_http_requests_total', { route: 'getClient', code: '404' }), miss0 + 1);
  assert.ok(value(all, 'clientd_http_request_duration_seconds_count', { route: 'getClient' }) >= got0 + 4);
  assert.ok(value(all, 'clientd_http_request_duration_seconds_bucket', { route: 'getClient', le: '+Inf' }) >= 4);
  for (const name of ['clientd_db_pipeline_seconds_count', 'clientd_db_round_trips_total',
    'clientd_db_acquire_seconds_count', 'clientd_http_request_queue_seconds_count']) {
    assert.ok(value(all, name) > 0, name);
  }
  for (const name of ['clientd_jobs_queued', 'clientd_jobs_oldest_age_seconds', 'clientd_jobs_failed',
    'clientd_workers', 'clientd_worker_heartbeat_age_seconds', 'clientd_password_hashing_in_flight',
    'clientd_password_hashing_rejected_total', 'clientd_db_connections_opened_total',
    'clientd_log_lines_suppressed_total', 'clientd_db_unavailable_total']) {
    assert.notEqual(value(all, name), undefined, name);
  }
  assert.equal(value(all, 'clientd_metrics_database_up'), 1);
  assert.ok(value(all, 'clientd_worker_heartbeat_age_seconds') < 60);
  // Every metric README lists is exposed, and README lists every one exposed.
  const readme = readFileSync(join(process.env.CLIENTD_SOURCE_DIR, 'README.md'), 'utf8');
  const documented = new Set([...readme.matchAll(/^\| `(clientd_[a-z_]+)` \|/gm)].map((m) => m[1]));
  const exposed = new Set([...text.matchAll(/^# TYPE (clientd_[a-z_]+) /gm)].map((m) => m[1]));
  assert.deepEqual([...exposed].filter((n) => !documented.has(n)), [], 'exposed but not in README');
  assert.deepEqual([...documented].filter((n) => !exposed.has(n)), [], 'in README but not exposed');
});

test('hardening-9.4: metrics are never on the public listener, and the metrics listener serves nothing else', async () => {
  const pub = await api('GET', '/metrics');
  assert.equal(pub.status, 404);
  assert.equal(pub.json.error.code, 'route_not_found');
  assert.ok(!pub.text.includes('clientd_http_requests_total'));
  for (const path of ['/readyz', '/api/v1/me', '/']) {
    const r = await fetch(`${METRICS}${path}`);
    assert.equal(r.status, 404, path);
  }
  const post = await fetch(`${METRICS}/metrics`, { method: 'POST' });
  assert.equal(post.status, 404);
});

test('hardening-9.5: one JSON log line per request, with the request id of its error body', async () => {
  const co = newCompany('Logs');
  const me = (await api('GET', '/api/v1/me', { token: co.token })).json;
  const bad = await api('GET', '/api/v1/clients/zzzzzzzzzzzz', { token: co.token });
  const id = bad.json.error.request_id;
  assert.equal(bad.headers.get('x-request-id'), id);
  let line;
  for (let i = 0; i < 20 && !line; i++) {
    line = logLines().find((l) => l.request_id === id && l.msg === 'request');
    if (!line) await new Promise((resolve) => { setTimeout(resolve, 100); });
  }
  assert.ok(line, 'the request has its line');
  assert.equal(line.method, 'GET');
  assert.equal(line.route, 'getClient');
  assert.equal(line.path, '/api/v1/clients/zzzzzzzzzzzz');
  assert.equal(line.status, 404);
  assert.equal(line.company, me.company.id);
  assert.ok(line.duration_ms >= 0 && line.duration_ms < 10000);
  assert.ok(line.db_trips >= 1);
  assert.match(line.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(logLines().filter((l) => l.request_id === id && l.msg === 'request').length, 1, 'exactly one');
  // Twin: a request without credentials has no company.
  const anon = await api('GET', '/healthz');
  const anonId = anon.headers.get('x-request-id');
  await new Promise((resolve) => { setTimeout(resolve, 100); });
  assert.equal(logLines().find((l) => l.request_id === anonId).company, null);
});
