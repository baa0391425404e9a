// What an outside probe found (issue 10): each test is the reproducer of
// one finding, and fails on the code before its fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, fieldErrors, login } from './lib/http.mjs';
import { newCompany, uid } from './lib/fixtures.mjs';
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
