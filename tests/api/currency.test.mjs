// A client's money never changes currency by a settings change (issue 11,
// item 1). Its first ledger entry pins its currency as the client's own
// setting; from then on joining or leaving a group, a group's or the
// company's currency changing leave it as it was, and a change of its own
// is a 409 that says why. Every entry keeps the currency stored with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api } from './lib/http.mjs';
import { newCompany, uid } from './lib/fixtures.mjs';
import { createClient, getClient, activity } from './lib/clients.mjs';

const co = newCompany('Currency');

async function ok(method, path, body, status = 200) {
  const r = await api(method, path, { token: co.token, body, headers: method === 'POST' ? { 'Idempotency-Key': randomUUID() } : {} });
  assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
  return r.json;
}

const settings = async (id) => (await ok('GET', `/api/v1/clients/${id}/settings`)).settings.currency;

test('currency-1.1: the first entry pins the client\'s currency; every path that could move it leaves it', async () => {
  const usd = await ok('POST', '/api/v1/groups', { name: `USD ${uid()}`, settings: { currency: 'USD' } }, 201);
  const eur = await ok('POST', '/api/v1/groups', { name: `EUR ${uid()}`, settings: { currency: 'EUR' } }, 201);
  const c = await createClient(co.token, { group: usd.id });
  assert.equal(c.currency, 'USD');
  assert.deepEqual(await settings(c.id), { value: 'USD', source: 'group', levels: ['company', 'group', 'client'], type: 'currency', section: 'general' },
    'before its first entry the client follows its group, and nothing is fixed');

  const inv = await ok('POST', `/api/v1/clients/${c.id}/ledger`, { kind: 'invoice', amount: '1250.00', reference: 'Invoice 1' }, 201);
  assert.equal(inv.currency, 'USD');
  const pinned = await settings(c.id);
  assert.deepEqual([pinned.value, pinned.source, pinned.fixed.reason], ['USD', 'client', 'ledger_entries'],
    'the entry made USD the client\'s own value, fixed by its ledger');
  assert.match(pinned.fixed.message, /ledger entries in USD/);
  const first = (await activity(co.token, c.id)).find((e) => e.type === 'ledger_entry.created');
  assert.deepEqual(first.changes['settings.currency'], { before: null, after: 'USD' }, 'the entry\'s event says it pinned the currency');
  assert.deepEqual(first.changes.currency, { before: null, after: 'USD' });

  // Every path that used to move the client's money into another currency.
  const paths = [
    ['joins a EUR group', () => ok('PATCH', `/api/v1/clients/${c.id}`, { group: eur.id })],
    ['its group\'s currency changes', () => ok('PATCH', `/api/v1/groups/${eur.id}/settings`, { currency: 'CHF' })],
    ['the company\'s currency changes', () => ok('PATCH', '/api/v1/settings', { currency: 'GBP' })],
    ['it leaves its group', () => ok('PATCH', `/api/v1/clients/${c.id}`, { group: null })],
    ['it joins a group by the bulk action', () => ok('POST', '/api/v1/clients/bulk', { action: 'assign_group', ids: [c.id], group: eur.id })],
  ];
  for (const [what, step] of paths) {
    await step();
    const now = await getClient(co.token, c.id);
    assert.equal(now.currency, 'USD', `the client's currency stays USD when ${what}`);
    assert.equal(now.balance, '1250.00', `and its balance is the same amount when ${what}`);
    assert.equal((await settings(c.id)).value, 'USD');
  }

  // Its own currency: refused with a 409 that says why.
  const etag = (await api('GET', `/api/v1/clients/${c.id}/settings`, { token: co.token })).headers.get('etag');
  for (const value of ['EUR', null]) {
    const r = await api('PATCH', `/api/v1/clients/${c.id}/settings`, { token: co.token, headers: { 'If-Match': etag }, body: { currency: value } });
    assert.equal(r.status, 409, r.text);
    assert.equal(r.json.error.message, 'the currency of a client with ledger entries cannot change');
    assert.equal(r.json.error.field, 'currency');
    assert.match(r.json.error.detail, /has 1 ledger entry in USD/);
    assert.match(r.json.error.hint, /keep the currency they were posted in/);
  }
  // The same value again, and other keys, are fine.
  const same = await ok('PATCH', `/api/v1/clients/${c.id}/settings`, { currency: 'USD', payment_terms: 30 });
  assert.equal(same.settings.currency.value, 'USD');
  assert.equal(same.settings.payment_terms.value, 30);

  // The ledger keeps the amounts in the currency stored with them.
  await ok('POST', `/api/v1/clients/${c.id}/ledger`, { kind: 'payment', amount: '-250.00' }, 201);
  const list = await ok('GET', `/api/v1/clients/${c.id}/ledger`);
  assert.deepEqual(list.data.map((e) => [e.currency, e.amount, e.balance_after]), [['USD', '-250.00', '1000.00'], ['USD', '1250.00', '1250.00']]);
  const summary = await ok('GET', `/api/v1/clients/${c.id}/ledger/summary`);
  assert.equal(summary.range.currency, 'USD');
  assert.deepEqual((await ok('GET', '/api/v1/ledger/check')).differences, []);
});

test('currency-1.2: (twin) a client without entries follows every settings change, and may change its own', async () => {
  await ok('PATCH', '/api/v1/settings', { currency: 'GBP' });
  const g = await ok('POST', '/api/v1/groups', { name: `G ${uid()}`, settings: { currency: 'EUR' } }, 201);
  const c = await createClient(co.token);
  assert.equal(c.currency, 'GBP');
  await ok('PATCH', `/api/v1/clients/${c.id}`, { group: g.id });
  assert.equal((await getClient(co.token, c.id)).currency, 'EUR');
  await ok('PATCH', `/api/v1/groups/${g.id}/settings`, { currency: 'CHF' });
  assert.equal((await getClient(co.token, c.id)).currency, 'CHF');
  const own = await ok('PATCH', `/api/v1/clients/${c.id}/settings`, { currency: 'JPY' });
  assert.deepEqual([own.settings.currency.value, own.settings.currency.source, own.settings.currency.fixed], ['JPY', 'client', undefined]);
  const back = await ok('PATCH', `/api/v1/clients/${c.id}/settings`, { currency: null });
  assert.equal(back.settings.currency.value, 'CHF');
  // ... until its first entry, in the currency in effect then.
  const e = await ok('POST', `/api/v1/clients/${c.id}/ledger`, { kind: 'opening_balance', amount: '99.95' }, 201);
  assert.equal(e.currency, 'CHF');
  await ok('PATCH', `/api/v1/clients/${c.id}`, { group: null });
  assert.equal((await getClient(co.token, c.id)).currency, 'CHF');
});

test('currency-1.3: a client whose own currency was set before its first entry keeps it the same way', async () => {
  const c = await createClient(co.token);
  await ok('PATCH', `/api/v1/clients/${c.id}/settings`, { currency: 'JPY' });
  await ok('POST', `/api/v1/clients/${c.id}/ledger`, { kind: 'invoice', amount: '5000' }, 201);
  const s = await settings(c.id);
  assert.deepEqual([s.value, s.source, s.fixed.reason], ['JPY', 'client', 'ledger_entries']);
  const r = await api('PATCH', `/api/v1/clients/${c.id}/settings`, { token: co.token, body: { currency: null } });
  assert.equal(r.status, 409, r.text);
  // The entry's event says nothing was pinned: the client had set it.
  const ev = (await activity(co.token, c.id)).find((x) => x.type === 'ledger_entry.created');
  assert.equal(ev.changes['settings.currency'], undefined);
});

test('currency-1.4: a merge into a client without entries pins its currency too; other currencies cannot be merged', async () => {
  const source = await createClient(co.token);
  await ok('PATCH', `/api/v1/clients/${source.id}/settings`, { currency: 'SEK' });
  await ok('POST', `/api/v1/clients/${source.id}/ledger`, { kind: 'invoice', amount: '100.00' }, 201);
  const target = await createClient(co.token);
  await ok('PATCH', `/api/v1/clients/${target.id}/settings`, { currency: 'NOK' });
  const refused = await api('POST', `/api/v1/clients/${target.id}/merge`, { token: co.token, body: { source: source.id } });
  assert.equal(refused.status, 409, refused.text);
  await ok('PATCH', `/api/v1/clients/${target.id}/settings`, { currency: 'SEK' });
  const merged = await ok('POST', `/api/v1/clients/${target.id}/merge`, { source: source.id });
  assert.deepEqual([merged.currency, merged.balance], ['SEK', '100.00']);
  assert.equal((await settings(target.id)).fixed.reason, 'ledger_entries');
  const ev = (await activity(co.token, target.id)).find((x) => x.type === 'client.merged');
  assert.deepEqual([ev.changes.balance, ev.changes.currency], [{ before: '0.00', after: '100.00' }, { before: null, after: 'SEK' }],
    'the merge event shows money with its currency and its decimals');
  const entries = await ok('GET', `/api/v1/clients/${target.id}/ledger`);
  assert.match(entries.data[0].notes, /^Balance moved from Client \S+ \(number \d+\)\.$/, 'the merge note names the client, not its id');
});
