// The client ledger (issue 6): posting with sign and precision rules,
// idempotency, reading with ranges and cursors, the CSV statement, the
// integrity check, append-only storage and concurrency.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, concurrently, fieldErrors } from './lib/http.mjs';
import { cli, newCompany, newUser, setPermissions } from './lib/fixtures.mjs';
import { asApp, asOwner } from './lib/db.mjs';
import { createClient, getClient, activity } from './lib/clients.mjs';

const co = newCompany('Ledger');
const other = newCompany('Ledger-other');

const path = (c, rest = '') => `/api/v1/clients/${c}/ledger${rest}`;

function post(token, client, body, key = randomUUID()) {
  return api('POST', path(client), { token, body, headers: key ? { 'Idempotency-Key': key } : {} });
}

async function posted(token, client, body) {
  const r = await post(token, client, body);
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function entries(token, client, query = '') {
  const r = await api('GET', `${path(client)}?per_page=100${query}`, { token });
  assert.equal(r.status, 200, r.text);
  return r.json;
}

async function check(token) {
  const r = await api('GET', '/api/v1/ledger/check', { token });
  assert.equal(r.status, 200, r.text);
  return r.json;
}

test('ledger-1.1: each kind posts with its sign and moves balance and paid-to-date', async () => {
  const c = await createClient(co.token);
  const steps = [
    [{ kind: 'invoice', amount: '120.00', reference: 'Invoice 0042' }, '120.00', '0.00'],
    [{ kind: 'payment', amount: '-40.00', reference: 'Payment by card' }, '80.00', '40.00'],
    [{ kind: 'credit', amount: '-15.50' }, '64.50', '40.00'],
    [{ kind: 'refund', amount: '10.00', notes: 'Overpaid' }, '74.50', '30.00'],
    [{ kind: 'adjustment', amount: '-0.50' }, '74.00', '30.00'],
    [{ kind: 'adjustment', amount: '1' }, '75.00', '30.00'],
  ];
  let seq = 0;
  for (const [body, balance, paid] of steps) {
    const e = await posted(co.token, c.id, body);
    seq += 1;
    assert.equal(e.seq, seq);
    assert.equal(e.kind, body.kind);
    assert.equal(e.balance_after, balance, body.kind);
    assert.equal(e.paid_to_date_after, paid, body.kind);
    assert.equal(e.client_id, c.id);
    assert.equal(e.created_by.type, 'token');
    const after = await getClient(co.token, c.id);
    assert.equal(after.balance, balance);
    assert.equal(after.paid_to_date, paid);
  }
  // A payment of "40.00" (positive) is refused; "-40.00" was right.
  const wrong = [
    [{ kind: 'invoice', amount: '-1.00' }, 'positive'],
    [{ kind: 'refund', amount: '-1.00' }, 'positive'],
    [{ kind: 'payment', amount: '40.00' }, 'negative'],
    [{ kind: 'credit', amount: '5' }, 'negative'],
  ];
  for (const [body, word] of wrong) {
    const r = await post(co.token, c.id, body);
    assert.equal(r.status, 422, `${body.kind} ${body.amount}`);
    assert.deepEqual(fieldErrors(r), ['amount:invalid_sign']);
    assert.match(r.json.error.message, new RegExp(`must be ${word}`));
  }
  for (const kind of ['invoice', 'payment', 'adjustment']) {
    const r = await post(co.token, c.id, { kind, amount: kind === 'payment' ? '-0.00' : '0' });
    assert.equal(r.status, 422);
    assert.deepEqual(fieldErrors(r), ['amount:invalid_value']);
  }
  assert.equal((await getClient(co.token, c.id)).balance, '75.00', 'refused postings change nothing');
  assert.equal((await getClient(co.token, c.id)).counts.ledger_entries, steps.length);
  assert.equal((await entries(co.token, c.id)).data.length, steps.length);
});

test('ledger-1.2: amounts are exact decimal strings within the currency\'s precision', async () => {
  const c = await createClient(co.token);
  for (const amount of ['10.001', '0.005']) {
    const r = await post(co.token, c.id, { kind: 'invoice', amount });
    assert.equal(r.status, 422, amount);
    assert.equal(r.json.error.field, 'amount');
    assert.match(r.json.error.message, /more decimals than USD allows/);
  }
  // Trailing zeros are the same value: 10.010 is 10.01.
  assert.equal((await posted(co.token, c.id, { kind: 'invoice', amount: '10.010' })).amount, '10.01');
  for (const amount of [10, '1e3', '+5', '10.', '.5', '1,000.00', '12.1234567', '100000000000000', '', ' 5']) {
    const r = await post(co.token, c.id, { kind: 'invoice', amount });
    assert.equal(r.status, 422, JSON.stringify(amount));
    assert.equal(r.json.error.field, 'amount', JSON.stringify(amount));
  }
  // JPY has no minor unit.
  const g = await api('POST', '/api/v1/groups', { token: co.token, body: { name: `Yen ${randomUUID()}`, settings: { currency: 'JPY' } } });
  assert.equal(g.status, 201, g.text);
  const y = await createClient(co.token, { group: g.json.id });
  assert.equal((await post(co.token, y.id, { kind: 'invoice', amount: '10.5' })).status, 422);
  const e = await posted(co.token, y.id, { kind: 'invoice', amount: '1050' });
  assert.equal(e.currency, 'JPY');
  assert.equal(e.balance_after, '1050');
  // A balance cannot leave numeric(20, 6).
  const big = await createClient(co.token);
  await posted(co.token, big.id, { kind: 'invoice', amount: '99999999999999' });
  const over = await post(co.token, big.id, { kind: 'invoice', amount: '1' });
  assert.equal(over.status, 422);
  assert.equal(over.json.error.field, 'amount');
  assert.equal((await getClient(co.token, c.id)).balance, '10.01');
});

test('ledger-1.3: unknown and unpostable kinds, unknown fields and missing fields are refused', async () => {
  const c = await createClient(co.token);
  const cases = [
    [{ kind: 'gift', amount: '1.00' }, ['kind:invalid_value']],
    [{ kind: 'merge', amount: '1.00' }, ['kind:invalid_value']],
    [{ amount: '1.00' }, ['kind:required']],
    [{ kind: 'invoice' }, ['amount:required']],
    [{ kind: 'invoice', amount: '1.00', balance_after: '1.00' }, ['balance_after:unknown_field']],
    [{ kind: 'invoice', amount: '1.00', occurred_at: 'yesterday' }, ['occurred_at:invalid_format']],
    [{ kind: 'invoice', amount: '1.00', reference: 'x'.repeat(201) }, ['reference:too_long']],
  ];
  for (const [body, errs] of cases) {
    const r = await post(co.token, c.id, body);
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.deepEqual(fieldErrors(r), errs, JSON.stringify(body));
  }
  const merge = await post(co.token, c.id, { kind: 'merge', amount: '1.00' });
  assert.match(merge.json.error.errors[0].message, /written by merging clients/);
  assert.equal((await entries(co.token, c.id)).data.length, 0);
});

test('ledger-1.4: an Idempotency-Key is required; a replay posts once; another body with the key is 409', async () => {
  const c = await createClient(co.token);
  const none = await post(co.token, c.id, { kind: 'invoice', amount: '5.00' }, null);
  assert.equal(none.status, 400);
  assert.equal(none.json.error.field, 'Idempotency-Key');
  const key = randomUUID();
  const first = await post(co.token, c.id, { kind: 'invoice', amount: '5.00' }, key);
  assert.equal(first.status, 201);
  const again = await post(co.token, c.id, { kind: 'invoice', amount: '5.00' }, key);
  assert.equal(again.status, 201);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(again.json, first.json);
  const changed = await post(co.token, c.id, { kind: 'invoice', amount: '6.00' }, key);
  assert.equal(changed.status, 409);
  const list = await entries(co.token, c.id);
  assert.equal(list.data.length, 1);
  assert.equal(list.data[0].idempotency_key, key);
  assert.equal((await getClient(co.token, c.id)).balance, '5.00');
  // Past the 24 hours of replay, the key still never posts a second entry.
  await asOwner((db) => db.query("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = $1", [key]));
  const late = await post(co.token, c.id, { kind: 'invoice', amount: '5.00' }, key);
  assert.equal(late.status, 409);
  assert.match(late.json.error.message, /already posted/);
  assert.equal((await getClient(co.token, c.id)).balance, '5.00');
  // POST /ledger (client in the body) follows the same rules.
  const k2 = randomUUID();
  const viaAll = await api('POST', '/api/v1/ledger', { token: co.token, headers: { 'Idempotency-Key': k2 }, body: { client: c.id, kind: 'payment', amount: '-5.00' } });
  assert.equal(viaAll.status, 201, viaAll.text);
  assert.equal(viaAll.json.balance_after, '0.00');
  const noClient = await api('POST', '/api/v1/ledger', { token: co.token, headers: { 'Idempotency-Key': randomUUID() }, body: { kind: 'payment', amount: '-5.00' } });
  assert.deepEqual(fieldErrors(noClient), ['client:required']);
  const noKey = await api('POST', '/api/v1/ledger', { token: co.token, body: { client: c.id, kind: 'payment', amount: '-5.00' } });
  assert.equal(noKey.status, 400);
});

test('ledger-1.5: another company\'s client is 404 everywhere, and nothing is posted', async () => {
  const mine = await createClient(other.token);
  await posted(other.token, mine.id, { kind: 'invoice', amount: '9.00' });
  assert.equal((await post(co.token, mine.id, { kind: 'invoice', amount: '1.00' })).status, 404);
  const viaAll = await api('POST', '/api/v1/ledger', { token: co.token, headers: { 'Idempotency-Key': randomUUID() }, body: { client: mine.id, kind: 'invoice', amount: '1.00' } });
  assert.equal(viaAll.status, 404);
  for (const rest of ['', '/summary', '/statement']) {
    assert.equal((await api('GET', path(mine.id, rest), { token: co.token })).status, 404, rest);
  }
  const across = await api('GET', `/api/v1/ledger?client=${mine.id}`, { token: co.token });
  assert.equal(across.json.data.length, 0);
  assert.equal((await getClient(other.token, mine.id)).balance, '9.00');
  // Row-level security: with no tenant set, the app role sees no entries.
  const rows = await asApp((db) => db.query('SELECT count(*)::int AS n FROM ledger_entries'));
  assert.equal(rows.rows[0].n, 0);
});

test('ledger-1.6: archived and deleted clients take no entries until restored', async () => {
  const c = await createClient(co.token);
  const refused = async (state) => {
    const r = await post(co.token, c.id, { kind: 'invoice', amount: '1.00' });
    assert.equal(r.status, 409, state);
    assert.match(r.json.error.message, new RegExp(state));
    assert.match(r.json.error.hint, /Restore/);
  };
  assert.equal((await api('POST', `/api/v1/clients/${c.id}/archive`, { token: co.token })).status, 200);
  await refused('archived');
  assert.equal((await api('POST', `/api/v1/clients/${c.id}/restore`, { token: co.token })).status, 200);
  assert.equal((await api('DELETE', `/api/v1/clients/${c.id}`, { token: co.token })).status, 200);
  await refused('deleted');
  assert.equal((await api('POST', `/api/v1/clients/${c.id}/restore`, { token: co.token })).status, 200);
  await posted(co.token, c.id, { kind: 'invoice', amount: '1.00' });
});

test('ledger-1.7: dates run forward; an opening balance comes first', async () => {
  const c = await createClient(co.token);
  const open = await posted(co.token, c.id, { kind: 'opening_balance', amount: '-20.00', occurred_at: '2026-01-01T00:00:00Z' });
  assert.equal(open.balance_after, '-20.00');
  const again = await post(co.token, c.id, { kind: 'opening_balance', amount: '5.00' });
  assert.equal(again.status, 422);
  assert.equal(again.json.error.field, 'kind');
  await posted(co.token, c.id, { kind: 'invoice', amount: '100.00', occurred_at: '2026-03-15T10:00:00Z' });
  const before = await post(co.token, c.id, { kind: 'payment', amount: '-10.00', occurred_at: '2026-03-01T00:00:00Z' });
  assert.equal(before.status, 422);
  assert.equal(before.json.error.field, 'occurred_at');
  assert.match(before.json.error.detail, /2026-03-15T10:00:00/);
  const future = await post(co.token, c.id, { kind: 'payment', amount: '-10.00', occurred_at: '2999-01-01T00:00:00Z' });
  assert.equal(future.status, 422);
  assert.equal(future.json.error.field, 'occurred_at');
  // The same instant as the latest entry is fine, and an offset is UTC'd.
  const same = await posted(co.token, c.id, { kind: 'payment', amount: '-10.00', occurred_at: '2026-03-15T11:00:00+01:00' });
  assert.equal(same.occurred_at, '2026-03-15T10:00:00.000000Z');
});

test('ledger-1.8: lists filter by date and kind, give the range\'s balances, and walk by cursor', async () => {
  const c = await createClient(co.token);
  const plan = [
    ['invoice', '100.00', '2026-01-10T09:00:00Z'],
    ['payment', '-60.00', '2026-01-20T09:00:00Z'],
    ['invoice', '50.00', '2026-02-05T09:00:00Z'],
    ['credit', '-5.00', '2026-02-06T09:00:00Z'],
    ['payment', '-40.00', '2026-03-01T09:00:00Z'],
    ['invoice', '30.00', '2026-03-31T23:00:00Z'],
  ];
  for (const [kind, amount, occurred_at] of plan) await posted(co.token, c.id, { kind, amount, occurred_at });
  const all = await entries(co.token, c.id);
  assert.deepEqual(all.data.map((e) => e.seq), [6, 5, 4, 3, 2, 1]);
  assert.deepEqual(all.data.map((e) => e.balance_after), ['75.00', '45.00', '85.00', '90.00', '40.00', '100.00']);
  assert.equal(all.meta.ledger.opening_balance, '0.00');
  assert.equal(all.meta.ledger.closing_balance, '75.00');
  const feb = await entries(co.token, c.id, '&from=2026-02-01&to=2026-02-28');
  assert.deepEqual(feb.data.map((e) => e.seq), [4, 3]);
  assert.equal(feb.meta.ledger.opening_balance, '40.00');
  assert.equal(feb.meta.ledger.closing_balance, '85.00');
  assert.equal(feb.meta.ledger.opening_paid_to_date, '60.00');
  assert.equal(feb.meta.ledger.from, '2026-02-01T00:00:00.000000Z');
  assert.equal(feb.meta.ledger.to, '2026-02-28T23:59:59.999999Z');
  // "to" as a date includes that whole day.
  assert.deepEqual((await entries(co.token, c.id, '&from=2026-03-31&to=2026-03-31')).data.map((e) => e.seq), [6]);
  const pays = await entries(co.token, c.id, '&kind=payment,credit');
  assert.deepEqual(pays.data.map((e) => e.kind), ['payment', 'credit', 'payment']);
  assert.equal(pays.meta.pagination.total, 3);
  assert.equal(pays.meta.ledger.closing_balance, '75.00', 'the kind filter does not change balances');
  // Cursor walk, two at a time.
  const seen = [];
  let url = `${path(c.id)}?per_page=2`;
  for (;;) {
    const r = await api('GET', url, { token: co.token });
    assert.equal(r.status, 200);
    seen.push(...r.json.data.map((e) => e.seq));
    if (!r.json.meta.next_cursor) break;
    url = `${path(c.id)}?per_page=2&cursor=${encodeURIComponent(r.json.meta.next_cursor)}`;
  }
  assert.deepEqual(seen, [6, 5, 4, 3, 2, 1]);
  for (const bad of ['from=yesterday', 'to=2026-13-01', 'kind=gift', 'from=2026-03-01&to=2026-02-01', 'from=2026-01-01&from=2026-02-01', 'cursor=abc', 'cursor=abc&page=2', 'sort=seq']) {
    const r = await api('GET', `${path(c.id)}?${bad}`, { token: co.token });
    assert.equal(r.status, 400, bad);
  }
});

test('ledger-1.9: the summary has the balances, totals per kind and a point per day', async () => {
  const c = await createClient(co.token);
  await posted(co.token, c.id, { kind: 'invoice', amount: '100.00', occurred_at: '2026-04-01T09:00:00Z' });
  await posted(co.token, c.id, { kind: 'invoice', amount: '20.00', occurred_at: '2026-04-01T15:00:00Z' });
  await posted(co.token, c.id, { kind: 'payment', amount: '-70.00', occurred_at: '2026-04-03T09:00:00Z' });
  const r = await api('GET', path(c.id, '/summary'), { token: co.token });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.balance, '50.00');
  assert.equal(r.json.paid_to_date, '70.00');
  assert.deepEqual(r.json.totals, { invoice: { count: 2, amount: '120.00' }, payment: { count: 1, amount: '-70.00' } });
  assert.deepEqual(r.json.points, [
    { date: '2026-04-01', balance: '120.00', paid_to_date: '0.00' },
    { date: '2026-04-03', balance: '50.00', paid_to_date: '70.00' },
  ]);
  const ranged = await api('GET', path(c.id, '/summary?from=2026-04-02'), { token: co.token });
  assert.equal(ranged.json.range.opening_balance, '120.00');
  assert.deepEqual(Object.keys(ranged.json.totals), ['payment']);
  assert.equal((await api('GET', path(c.id, '/summary?to=soon'), { token: co.token })).status, 400);
});

test('ledger-1.10: the CSV statement has the range\'s entries between opening and closing rows', async () => {
  const c = await createClient(co.token, { number: `ST/${randomUUID().slice(0, 6)}` });
  await posted(co.token, c.id, { kind: 'invoice', amount: '100.00', occurred_at: '2026-05-02T09:00:00Z', reference: 'Invoice, "big"' });
  await posted(co.token, c.id, { kind: 'payment', amount: '-30.00', occurred_at: '2026-05-10T09:00:00Z', reference: '=HYPERLINK("http://evil")', notes: '+1 line\nsecond' });
  await posted(co.token, c.id, { kind: 'invoice', amount: '5.00', occurred_at: '2026-06-01T09:00:00Z' });
  const r = await api('GET', path(c.id, '/statement?from=2026-05-01&to=2026-05-31'), { token: co.token });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  assert.match(r.headers.get('content-disposition'), /^attachment; filename="statement-ST_[0-9a-f-]{6}-2026-05-01-2026-05-31\.csv"$/);
  const lines = r.text.split('\r\n');
  assert.equal(lines[0], 'date,kind,reference,notes,amount,balance,paid_to_date,entry_id');
  assert.equal(lines[1], '2026-05-01,opening,,Opening balance,,0.00,0.00,');
  assert.match(lines[2], /^2026-05-02,invoice,"Invoice, ""big""",,100\.00,100\.00,0\.00,[0-9a-z]{12}$/);
  // Formulas are defused with an apostrophe; a line break stays inside its quoted cell.
  assert.match(lines[3], /^2026-05-10,payment,"'=HYPERLINK\(""http:\/\/evil""\)","'\+1 line\nsecond",-30\.00,70\.00,30\.00,[0-9a-z]{12}$/);
  assert.equal(lines[4], '2026-05-31,closing,,Closing balance,,70.00,30.00,');
  assert.equal(lines[5], '');
  assert.equal(lines.length, 6);
  assert.equal((await api('GET', path(c.id, '/statement?from=May'), { token: co.token })).status, 400);
});

test('ledger-1.18: a date as from/to is a day in the client\'s time zone (the company\'s across clients)', async () => {
  const tz = newCompany('Ledger-tz');
  let r = await api('PATCH', '/api/v1/settings', { token: tz.token, body: { timezone: 'America/New_York' } });
  assert.equal(r.status, 200, r.text);
  const kiwi = await createClient(tz.token, { name: 'Kiwi', number: 'NZ-1' });
  r = await api('PATCH', `/api/v1/clients/${kiwi.id}/settings`, { token: tz.token, body: { timezone: 'Pacific/Auckland' } });
  assert.equal(r.status, 200, r.text);
  // 23:30 on 1 May and 00:30 on 2 May in Auckland (UTC+12 in May)
  await posted(tz.token, kiwi.id, { kind: 'invoice', amount: '10.00', occurred_at: '2026-05-01T11:30:00Z' });
  await posted(tz.token, kiwi.id, { kind: 'invoice', amount: '20.00', occurred_at: '2026-05-01T12:30:00Z' });

  const may2 = await entries(tz.token, kiwi.id, '&from=2026-05-02&to=2026-05-02');
  assert.deepEqual(may2.data.map((e) => e.amount), ['20.00']);
  assert.equal(may2.meta.ledger.from, '2026-05-01T12:00:00.000000Z');
  assert.equal(may2.meta.ledger.to, '2026-05-02T11:59:59.999999Z');
  assert.equal(may2.meta.ledger.opening_balance, '10.00');
  // exact times stay exact
  assert.deepEqual((await entries(tz.token, kiwi.id, '&to=2026-05-01T12:00:00Z')).data.map((e) => e.amount), ['10.00']);

  // the summary's days and the statement's dates are Auckland days
  const sum = await api('GET', path(kiwi.id, '/summary?from=2026-05-01'), { token: tz.token });
  assert.equal(sum.status, 200, sum.text);
  assert.deepEqual(sum.json.points.map((p) => [p.date, p.balance]), [['2026-05-01', '10.00'], ['2026-05-02', '30.00']]);
  assert.equal(sum.json.range.from, '2026-04-30T12:00:00.000000Z');
  const st = await api('GET', path(kiwi.id, '/statement?from=2026-05-01&to=2026-05-01'), { token: tz.token });
  assert.equal(st.status, 200, st.text);
  assert.match(st.headers.get('content-disposition'), /filename="statement-NZ-1-2026-05-01-2026-05-01\.csv"$/);
  const lines = st.text.split('\r\n');
  assert.equal(lines[1], '2026-05-01,opening,,Opening balance,,0.00,0.00,');
  assert.match(lines[2], /^2026-05-01,invoice,,,10\.00,10\.00,0\.00,[0-9a-z]{12}$/);
  assert.equal(lines[3], '2026-05-01,closing,,Closing balance,,10.00,0.00,');
  assert.equal(lines.length, 5);
  const whole = (await api('GET', path(kiwi.id, '/statement'), { token: tz.token })).text.split('\r\n');
  assert.deepEqual(whole.slice(1, 4).map((l) => l.slice(0, 10)), ['2026-05-01', '2026-05-01', '2026-05-02']);

  // across clients the company's zone applies: both are on 1 May in New York (UTC-4)
  const all = await api('GET', '/api/v1/ledger?from=2026-05-01&to=2026-05-01', { token: tz.token });
  assert.equal(all.status, 200, all.text);
  assert.deepEqual(all.json.data.map((e) => e.amount), ['20.00', '10.00']);
  assert.deepEqual((await api('GET', '/api/v1/ledger?from=2026-05-02', { token: tz.token })).json.data, []);
  // a client without a zone of its own follows the company's
  const local = await createClient(tz.token);
  await posted(tz.token, local.id, { kind: 'invoice', amount: '1.00', occurred_at: '2026-05-02T02:00:00Z' });
  assert.deepEqual((await entries(tz.token, local.id, '&from=2026-05-02')).data, []);
  assert.equal((await entries(tz.token, local.id, '&to=2026-05-01')).data.length, 1);
});

test('ledger-1.11: the list across clients needs clients.view.all', async () => {
  const a = await createClient(co.token);
  const b = await createClient(co.token);
  const ea = await posted(co.token, a.id, { kind: 'invoice', amount: '1.00' });
  const eb = await posted(co.token, b.id, { kind: 'invoice', amount: '2.00' });
  const r = await api('GET', '/api/v1/ledger?per_page=100', { token: co.token });
  assert.equal(r.status, 200);
  const ids = r.json.data.map((e) => e.id);
  assert.ok(ids.indexOf(eb.id) < ids.indexOf(ea.id), 'newest first');
  assert.equal(r.json.data.find((e) => e.id === ea.id).client.display_name, a.display_name);
  const only = await api('GET', `/api/v1/ledger?client=${b.id}`, { token: co.token });
  assert.deepEqual(only.json.data.map((e) => e.id), [eb.id]);
  const me = await api('GET', '/api/v1/me', { token: co.token });
  const member = newUser(me.json.company.id);
  await setPermissions(member.email, ['clients.view.own', 'clients.edit.own']);
  assert.equal((await api('GET', '/api/v1/ledger', { token: member.token })).status, 403);
  assert.equal((await api('GET', '/api/v1/ledger/check', { token: member.token })).status, 403);
  await setPermissions(member.email, ['clients.view.all']);
  assert.equal((await api('GET', '/api/v1/ledger', { token: member.token })).status, 200);
  // Viewing is not posting.
  assert.equal((await post(member.token, a.id, { kind: 'invoice', amount: '1.00' })).status, 403);
});

test('ledger-1.12: every posting writes one event; merging moves the balance through the ledger', async () => {
  const target = await createClient(co.token);
  const source = await createClient(co.token);
  await posted(co.token, target.id, { kind: 'invoice', amount: '100.25' });
  await posted(co.token, target.id, { kind: 'payment', amount: '-40.00' });
  await posted(co.token, source.id, { kind: 'invoice', amount: '12.25' });
  const e = await posted(co.token, source.id, { kind: 'payment', amount: '-2.50' });
  const events = (await activity(co.token, source.id)).filter((v) => v.type === 'ledger_entry.created');
  assert.equal(events.length, 2);
  assert.equal(events[0].entity.id, e.id);
  assert.deepEqual(events[0].changes.balance, { before: '12.25', after: '9.75' });
  const r = await api('POST', `/api/v1/clients/${target.id}/merge`, { token: co.token, headers: { 'Idempotency-Key': randomUUID() }, body: { source: source.id } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.balance, '70.00');
  assert.equal(r.json.paid_to_date, '42.50');
  const t = (await entries(co.token, target.id)).data[0];
  assert.equal(t.kind, 'merge');
  assert.equal(t.amount, '9.75');
  assert.equal(t.paid_to_date_change, '2.50');
  assert.match(t.reference, /^Merged from/);
  const s = (await entries(co.token, source.id)).data[0];
  assert.equal(s.kind, 'merge');
  assert.equal(s.amount, '-9.75');
  assert.equal(s.balance_after, '0.00');
  assert.equal(s.paid_to_date_after, '0.00');
  assert.deepEqual((await check(co.token)).differences, []);
});

test('ledger-1.13: clients of different currencies with a balance cannot be merged', async () => {
  const g = await api('POST', '/api/v1/groups', { token: co.token, body: { name: `Euro ${randomUUID()}`, settings: { currency: 'EUR' } } });
  const eur = await createClient(co.token, { group: g.json.id });
  const usd = await createClient(co.token);
  await posted(co.token, eur.id, { kind: 'invoice', amount: '3.00' });
  const r = await api('POST', `/api/v1/clients/${usd.id}/merge`, { token: co.token, body: { source: eur.id } });
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /different currencies/);
  assert.equal((await getClient(co.token, eur.id)).balance, '3.00');
});

test('ledger-1.14: entries cannot be changed or deleted, by the app role or anyone', async () => {
  const c = await createClient(co.token);
  const e = await posted(co.token, c.id, { kind: 'invoice', amount: '1.00' });
  const me = await api('GET', '/api/v1/me', { token: co.token });
  const tenant = await asOwner((db) => db.query('SELECT id FROM companies WHERE public_id = $1', [me.json.company.id]));
  const companyId = String(tenant.rows[0].id);
  for (const sql of ["UPDATE ledger_entries SET amount = 2 WHERE public_id = $1", 'DELETE FROM ledger_entries WHERE public_id = $1']) {
    await asApp(async (db) => {
      await db.query('BEGIN');
      await db.query("SELECT set_config('app.company_id', $1, true)", [companyId]);
      await assert.rejects(db.query(sql, [e.id]), /permission denied for table ledger_entries/);
      await db.query('ROLLBACK');
    });
    await asOwner(async (db) => {
      await assert.rejects(db.query(sql, [e.id]), /ledger entries cannot be changed or deleted/);
    });
  }
  await asOwner(async (db) => {
    await assert.rejects(db.query('TRUNCATE ledger_entries'), /cannot be changed or deleted/);
  });
  // The app role may read and append only.
  const grants = await asOwner((db) => db.query(
    "SELECT string_agg(privilege_type, ',' ORDER BY privilege_type) AS p FROM information_schema.role_table_grants WHERE grantee = 'clientd_app' AND table_name = 'ledger_entries'"));
  assert.equal(grants.rows[0].p, 'INSERT,SELECT');
  // Purging the client (an owner's act, with a password) takes its entries with it.
  const purge = await api('POST', `/api/v1/clients/${c.id}/purge`, { token: co.token, body: { password: co.password } });
  assert.equal(purge.status, 204, purge.text);
  const left = await asOwner((db) => db.query('SELECT count(*)::int AS n FROM ledger_entries WHERE public_id = $1', [e.id]));
  assert.equal(left.rows[0].n, 0);
});

test('ledger-1.15: the integrity check finds a drifted balance (and the CLI fails on it)', async () => {
  const c = await createClient(co.token);
  await posted(co.token, c.id, { kind: 'invoice', amount: '10.00' });
  assert.deepEqual((await check(co.token)).differences, []);
  await asOwner((db) => db.query('UPDATE clients SET balance = balance + 1 WHERE public_id = $1', [c.id]));
  try {
    const r = await check(co.token);
    assert.deepEqual(r.differences, [{ client_id: c.id, entry_id: null, problem: 'balance is not the sum of the ledger', expected: '10.000000', actual: '11.000000' }]);
    assert.throws(() => cli(['check-ledger']), (err) => err.status === 1 && /1 differences/.test(err.stdout));
  } finally {
    await asOwner((db) => db.query('UPDATE clients SET balance = balance - 1 WHERE public_id = $1', [c.id]));
  }
  const ok = await check(co.token);
  assert.deepEqual(ok.differences, []);
  assert.ok(ok.entries_checked >= 1);
});

test('ledger-1.16: 1,000 concurrent postings at one client: balance = sum, every balance_after the running sum', async () => {
  const c = await createClient(co.token);
  const bodies = Array.from({ length: 1000 }, (_, i) => (i % 4 === 3
    ? { kind: 'payment', amount: `-${(i % 7) + 1}.25` }
    : { kind: 'invoice', amount: `${(i % 13) + 1}.10` }));
  const results = await concurrently(bodies.length, (i) => post(co.token, c.id, bodies[i]));
  assert.deepEqual([...new Set(results.map((r) => r.status))], [201]);
  let sum = 0n;
  let paid = 0n;
  for (const b of bodies) {
    const cents = BigInt(b.amount.replace('.', ''));
    sum += cents;
    if (b.kind === 'payment') paid -= cents;
  }
  const money = (cents) => `${cents < 0n ? '-' : ''}${(cents < 0n ? -cents : cents) / 100n}.${String((cents < 0n ? -cents : cents) % 100n).padStart(2, '0')}`;
  const after = await getClient(co.token, c.id);
  assert.equal(after.balance, money(sum));
  assert.equal(after.paid_to_date, money(paid));
  const rows = await asOwner((db) => db.query(
    `SELECT e.seq, e.amount, e.balance_after, e.paid_to_date_change, e.paid_to_date_after
     FROM ledger_entries e JOIN clients c ON c.id = e.client_id WHERE c.public_id = $1 ORDER BY e.seq`, [c.id]));
  assert.equal(rows.rows.length, 1000);
  let run = 0n;
  let runPaid = 0n;
  const cents = (v) => BigInt(Math.round(Number(v) * 100));
  rows.rows.forEach((r, i) => {
    assert.equal(r.seq, i + 1);
    run += cents(r.amount);
    runPaid += cents(r.paid_to_date_change);
    assert.equal(cents(r.balance_after), run, `seq ${r.seq}`);
    assert.equal(cents(r.paid_to_date_after), runPaid, `seq ${r.seq}`);
  });
  assert.equal(run, sum);
  assert.deepEqual((await check(co.token)).differences, []);
});

test('ledger-1.17: 64 database sessions posting at once to 4 clients keep every ledger exact', async () => {
  const clients = await Promise.all([0, 1, 2, 3].map(() => createClient(co.token)));
  const me = await api('GET', '/api/v1/me', { token: co.token });
  const ids = await asOwner((db) => db.query('SELECT c.id AS company FROM companies c WHERE c.public_id = $1', [me.json.company.id]));
  const company = String(ids.rows[0].company);
  await Promise.all(Array.from({ length: 64 }, (_, s) => asApp(async (db) => {
    for (let i = 0; i < 10; i++) {
      await db.query('BEGIN');
      await db.query("SELECT set_config('app.company_id', $1, true), set_config('app.actor_type', 'system', true)", [company]);
      await db.query('SELECT ledger_post($1, $2::jsonb, NULL)', [clients[(s + i) % 4].id, JSON.stringify({ kind: 'invoice', amount: '1.01' })]);
      await db.query('COMMIT');
    }
  })));
  for (const c of clients) {
    assert.equal((await getClient(co.token, c.id)).balance, '161.60');
  }
  assert.deepEqual((await check(co.token)).differences, []);
});

test('ledger-1.19: the kinds and their sign rules are served from the one registry the postings obey', async () => {
  const r = await api('GET', '/api/v1/ledger/kinds', { token: co.token });
  assert.equal(r.status, 200, r.text);
  const kinds = r.json.data;
  assert.deepEqual(kinds.map((k) => k.kind),
    ['invoice', 'payment', 'credit', 'refund', 'adjustment', 'opening_balance', 'merge']);
  const c = await createClient(co.token);
  for (const k of kinds) {
    if (!k.postable) {
      assert.equal(k.example, null);
      assert.equal((await post(co.token, c.id, { kind: k.kind, amount: '1.00' })).status, 422, k.kind);
      continue;
    }
    if (k.kind === 'opening_balance')
      continue; // only as the first entry; ledger-1.1x covers it
    // The example posts; the same amount with the other sign is refused
    // exactly when the rule says so.
    assert.equal((await post(co.token, c.id, { kind: k.kind, amount: k.example })).status, 201, k.kind);
    const flipped = k.example.startsWith('-') ? k.example.slice(1) : `-${k.example}`;
    const r2 = await post(co.token, c.id, { kind: k.kind, amount: flipped });
    assert.equal(r2.status, k.sign === 'either' ? 201 : 422, `${k.kind} ${flipped}`);
    const e = r2.status === 201 ? r2.json : null;
    if (e) assert.equal(e.paid_to_date_change !== '0.00', k.moves_paid_to_date, k.kind);
  }
  // Bad-input twin: not without credentials.
  assert.equal((await api('GET', '/api/v1/ledger/kinds')).status, 401);
});
