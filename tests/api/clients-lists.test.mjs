// GET /api/v1/clients (issue 3, item 4): search, filters, sorting, pages,
// cursors, and their bad-input twins.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api } from './lib/http.mjs';
import { newCompany, uid } from './lib/fixtures.mjs';
import { asOwner } from './lib/db.mjs';
import { createClient } from './lib/clients.mjs';

const co = newCompany('Lists');
const tag = uid();
const made = [];

async function list(query) {
  const r = await api('GET', `/api/v1/clients?${query}`, { token: co.token });
  assert.equal(r.status, 200, r.text);
  return r.json;
}

before(async () => {
  // 12 clients with distinct names, numbers, balances and contacts.
  for (let i = 0; i < 12; i++) {
    made.push(await createClient(co.token, {
      name: i === 5 ? '' : `${['Zeta', 'Alpha', 'Mango', 'beta', 'Kilo', 'x', 'Echo', 'Delta', 'Golf', 'Hotel', 'India', 'Juliet'][i]} ${tag}`,
      id_number: `EXT-${tag}-${i}`,
      phone: `+1 555 ${1000 + i}`,
      contacts: [{ first_name: `First${i}`, last_name: i === 3 ? 'Özdemir' : `Last${i}`,
        email: `person${i}.${tag}@lists.example`, phone: `+44 20 ${7000 + i}` }],
    }));
  }
  // Balances come from the ledger: an opening balance each.
  for (const [i, c] of made.entries()) {
    const r = await api('POST', `/api/v1/clients/${c.id}/ledger`, {
      token: co.token, headers: { 'Idempotency-Key': `open-${tag}-${i}` },
      body: { kind: 'opening_balance', amount: `${i * 100 - 300}.50` },
    });
    assert.equal(r.status, 201, r.text);
  }
  await api('POST', `/api/v1/clients/${made[10].id}/archive`, { token: co.token });
  await api('DELETE', `/api/v1/clients/${made[11].id}`, { token: co.token });
});

test('lists-1.1: the default list is active clients, newest first, each with its primary contact', async () => {
  const r = await list('per_page=100');
  assert.equal(r.meta.pagination.total, 10);
  assert.deepEqual(r.data.map((c) => c.id), made.slice(0, 10).reverse().map((c) => c.id));
  assert.ok(r.data.every((c) => c.primary_contact && c.primary_contact.is_primary));
  assert.ok(r.data.every((c) => !('contacts' in c)));
  assert.equal(r.meta.next_cursor, null);
});

test('lists-1.2: status filters, alone and combined', async () => {
  assert.deepEqual((await list('status=archived')).data.map((c) => c.id), [made[10].id]);
  assert.deepEqual((await list('status=deleted')).data.map((c) => c.id), [made[11].id]);
  assert.equal((await list('status=active,archived,deleted')).meta.pagination.total, 12);
  assert.equal((await list('status=archived&status=deleted')).meta.pagination.total, 2);
  const r = await api('GET', '/api/v1/clients?status=gone', { token: co.token });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'status');
});

test('lists-1.3: q finds names, numbers, id numbers, phones and contacts, case-insensitively', async () => {
  const find = async (q) => (await list(`status=active,archived,deleted&q=${encodeURIComponent(q)}`)).data.map((c) => c.id);
  assert.deepEqual(await find(`mango ${tag}`), [made[2].id]);
  assert.deepEqual(await find(made[4].number), [made[4].id]);
  assert.deepEqual(await find(`EXT-${tag}-7`), [made[7].id]);
  assert.deepEqual(await find('+1 555 1008'), [made[8].id]);
  assert.deepEqual(await find(`PERSON9.${tag}@LISTS`), [made[9].id]);
  assert.deepEqual(await find('+44 20 7001'), [made[1].id]);
  assert.deepEqual(await find('özdemir'), [made[3].id]);
  assert.deepEqual(await find(`first5 last5`), [made[5].id], 'a client without a name is found by its contact');
  assert.deepEqual(await find(`nothing-like-this-${tag}`), []);
  // LIKE wildcards in q are literal characters.
  assert.deepEqual(await find(`%${tag}%_`), []);
  const long = await api('GET', `/api/v1/clients?q=${'a'.repeat(101)}`, { token: co.token });
  assert.equal(long.status, 400);
  assert.equal(long.json.error.field, 'q');
});

test('lists-1.4: sorting by each column, both ways', async () => {
  const all = 'status=active,archived,deleted&per_page=100';
  const names = (await list(`${all}&sort=name`)).data.map((c) => c.display_name.toLowerCase());
  assert.deepEqual(names, [...names].sort());
  const desc = (await list(`${all}&sort=-name`)).data.map((c) => c.display_name.toLowerCase());
  assert.deepEqual(desc, [...names].reverse());
  const bal = (await list(`${all}&sort=balance`)).data.map((c) => Number(c.balance));
  assert.deepEqual(bal, [...bal].sort((a, b) => a - b));
  const nums = (await list(`${all}&sort=-number`)).data.map((c) => c.number);
  assert.deepEqual(nums, [...nums].sort().reverse());
  const upd = (await list(`${all}&sort=updated_at`)).data.map((c) => c.updated_at);
  assert.deepEqual(upd, [...upd].sort());
  const created = (await list(`${all}&sort=created_at`)).data.map((c) => c.id);
  assert.deepEqual(created, made.map((c) => c.id));
  const bad = await api('GET', '/api/v1/clients?sort=email', { token: co.token });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'sort');
});

test('lists-1.5: balance comparisons', async () => {
  const ids = async (q) => (await list(`status=active,archived,deleted&per_page=100&${q}`)).data.map((c) => c.id).sort();
  // balances are -299.50, -199.50, ..., 800.50
  assert.deepEqual(await ids('balance=gt:500'), made.slice(8).map((c) => c.id).sort());
  assert.deepEqual(await ids('balance=lte:-199.50'), made.slice(0, 2).map((c) => c.id).sort());
  assert.deepEqual(await ids('balance=gte:0&balance=lt:200.5'), made.slice(3, 5).map((c) => c.id).sort());
  assert.deepEqual(await ids('balance=eq:100.50'), [made[4].id]);
  for (const bad of ['balance=100', 'balance=gt:abc', 'balance=ne:5', 'balance=gt:1e5', 'balance=gt:']) {
    const r = await api('GET', `/api/v1/clients?${bad}`, { token: co.token });
    assert.equal(r.status, 400, bad);
    assert.equal(r.json.error.field, 'balance', bad);
  }
});

test('lists-1.6: updated_since returns what changed since then', async () => {
  const since = new Date().toISOString();
  await new Promise((r) => setTimeout(r, 20));
  await api('PATCH', `/api/v1/clients/${made[6].id}`, { token: co.token, body: { public_notes: 'changed' } });
  const r = await list(`updated_since=${encodeURIComponent(since)}`);
  assert.deepEqual(r.data.map((c) => c.id), [made[6].id]);
  const bad = await api('GET', '/api/v1/clients?updated_since=yesterday', { token: co.token });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'updated_since');
});

test('lists-1.7: group filter', async () => {
  const g = await asOwner(async (db) => (await db.query(
    "INSERT INTO client_groups (company_id, name) SELECT company_id, 'VIP' FROM users WHERE email = $1 RETURNING public_id",
    [co.email])).rows[0].public_id);
  await api('PATCH', `/api/v1/clients/${made[2].id}`, { token: co.token, body: { group: g } });
  assert.deepEqual((await list(`group=${g}`)).data.map((c) => c.id), [made[2].id]);
  assert.equal((await list(`group=${'a'.repeat(12)}`)).meta.pagination.total, 0);
  const bad = await api('GET', '/api/v1/clients?group=VIP', { token: co.token });
  assert.equal(bad.status, 400);
  // group=none: the clients in no group (issue 11).
  const none = (await list('group=none&per_page=100')).data.map((c) => c.id);
  assert.ok(!none.includes(made[2].id) && none.includes(made[1].id));
  assert.equal((await list('group=none')).meta.pagination.total, (await list('')).meta.pagination.total - 1);
  assert.equal((await api('GET', '/api/v1/clients?group=None', { token: co.token })).status, 400);
});

test('lists-1.8: pages carry totals', async () => {
  const p1 = await list('per_page=4');
  assert.deepEqual(p1.meta.pagination, { total: 10, count: 4, per_page: 4, current_page: 1, total_pages: 3 });
  const p3 = await list('per_page=4&page=3');
  assert.equal(p3.data.length, 2);
  const p4 = await list('per_page=4&page=4');
  assert.equal(p4.data.length, 0);
  assert.equal(p4.meta.pagination.total, 10);
  const seen = [...p1.data, ...(await list('per_page=4&page=2')).data, ...p3.data].map((c) => c.id);
  assert.equal(new Set(seen).size, 10);
  for (const bad of ['per_page=0', 'per_page=101', 'page=-1', 'page=x', 'per_page=2&per_page=3']) {
    assert.equal((await api('GET', `/api/v1/clients?${bad}`, { token: co.token })).status, 400, bad);
  }
});

test('lists-1.9: a cursor walks every client exactly once, in any sort', async () => {
  for (const sort of ['created_at', '-created_at', 'name', '-name', 'balance', '-number', 'updated_at']) {
    const seen = [];
    let cursor = null;
    let pages = 0;
    do {
      const r = await list(`status=active,archived,deleted&per_page=5&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...r.data.map((c) => c.id));
      cursor = r.meta.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    assert.equal(seen.length, 12, sort);
    assert.equal(new Set(seen).size, 12, sort);
    const plain = (await list(`status=active,archived,deleted&per_page=100&sort=${sort}`)).data.map((c) => c.id);
    assert.deepEqual(seen, plain, `${sort}: cursor order is the list order`);
  }
});

test('lists-1.10: cursors are checked', async () => {
  const r = await list('per_page=3');
  const cur = r.meta.next_cursor;
  assert.ok(cur);
  const both = await api('GET', `/api/v1/clients?per_page=3&page=2&cursor=${cur}`, { token: co.token });
  assert.equal(both.status, 400);
  const otherSort = await api('GET', `/api/v1/clients?per_page=3&sort=name&cursor=${cur}`, { token: co.token });
  assert.equal(otherSort.status, 400);
  assert.equal(otherSort.json.error.field, 'cursor');
  for (const bad of ['x', 'Zm9v', '%00', Buffer.from('c1|created_at|d|xx|2020').toString('base64url')]) {
    const x = await api('GET', `/api/v1/clients?cursor=${bad}`, { token: co.token });
    assert.equal(x.status, 400, bad);
  }
});

test('lists-1.11: lists never show another company\'s clients', async () => {
  const other = newCompany('Lists-other');
  await createClient(other.token, { name: `Mango ${tag} elsewhere` });
  const r = await list(`q=${encodeURIComponent(`mango ${tag}`)}&status=active,archived,deleted`);
  assert.deepEqual(r.data.map((c) => c.id), [made[2].id]);
  const theirs = await api('GET', `/api/v1/clients?q=${encodeURIComponent(`mango ${tag}`)}`, { token: other.token });
  assert.equal(theirs.json.data.length, 1);
  assert.notEqual(theirs.json.data[0].id, made[2].id);
});

test('lists-1.12: a list read is one round trip', async () => {
  const r = await api('GET', '/api/v1/clients?q=alpha&sort=-balance', { token: co.token });
  assert.match(r.headers.get('server-timing'), /desc="1 round trip"/);
});

test('lists-1.13: cursors work for the longest sort values (200-character names in 3-byte UTF-8)', async () => {
  // Regression: a cursor carrying a long name once overflowed its buffer.
  const t = newCompany('Long names');
  const long = (ch) => ch.repeat(200);
  for (const ch of ['語', '漢', '字']) await createClient(t.token, { name: long(ch) });
  const seen = [];
  let cursor = null;
  for (let i = 0; i < 5; i++) {
    const r = await api('GET', `/api/v1/clients?sort=name&per_page=1${cursor ? `&cursor=${cursor}` : ''}`, { token: t.token });
    assert.equal(r.status, 200, r.text);
    seen.push(...r.json.data.map((c) => c.name[0]));
    cursor = r.json.meta.next_cursor;
    if (!cursor) break;
  }
  assert.deepEqual(seen, ['字', '漢', '語'].sort());
});

test('lists-1.14: a search\'s total is its number of matches on the first page (counted as it is found), later pages, past the end and after a cursor', async () => {
  // 10 active clients carry the tag (made[10] is archived, made[11] deleted).
  const first = await list(`q=${tag}&per_page=3`);
  assert.equal(first.meta.pagination.total, 10);
  assert.equal(first.meta.pagination.total_pages, 4);
  assert.equal(first.data.length, 3);
  const second = await list(`q=${tag}&per_page=3&page=2`);
  assert.equal(second.meta.pagination.total, 10, 'a later page counts apart, the same');
  const past = await list(`q=${tag}&per_page=3&page=9`);
  assert.deepEqual([past.data.length, past.meta.pagination.total], [0, 10], 'a page past the end still has the total');
  const after = await list(`q=${tag}&per_page=3&cursor=${encodeURIComponent(first.meta.next_cursor)}`);
  assert.equal(after.meta.pagination.total, 10, 'and so does a page after a cursor');
  assert.equal(after.data.length, 3);
  const all = await list(`q=${tag}&per_page=100&status=active,archived,deleted`);
  assert.deepEqual([all.data.length, all.meta.pagination.total], [12, 12], 'every status asked for is counted');
});

test('lists-1.15: (twin) a search that finds nothing is total 0 on its first page and on any other', async () => {
  for (const page of [1, 2]) {
    const none = await list(`q=nothing-${tag}&page=${page}`);
    assert.deepEqual([none.data.length, none.meta.pagination.total, none.meta.pagination.total_pages, none.meta.next_cursor],
      [0, 0, 0, null], `page ${page}`);
  }
});
