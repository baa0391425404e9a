// Events (issue 3, item 6): every change to a client writes exactly one
// event, in the same transaction, with the fields' before and after; the
// activity endpoint shows them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api } from './lib/http.mjs';
import { newCompany } from './lib/fixtures.mjs';
import { asOwner } from './lib/db.mjs';
import { activity, createClient } from './lib/clients.mjs';

const co = newCompany('Events');

async function eventsOf(publicId) {
  return (await asOwner((db) => db.query(
    `SELECT e.type, e.entity_type, e.entity_public_id, e.actor_type, e.changes
     FROM events e JOIN clients c ON c.id = e.client_id WHERE c.public_id = $1 ORDER BY e.id`,
    [publicId]))).rows;
}

// Runs fn and returns the events it added for the client.
async function added(publicId, fn) {
  const before = (await eventsOf(publicId)).length;
  await fn();
  return (await eventsOf(publicId)).slice(before);
}

test('events-1.1: create writes client.created with the non-empty fields as after', async () => {
  const c = await createClient(co.token, { name: 'Ev Ltd', address: { city: 'Oslo' }, contacts: [{ first_name: 'E', email: 'e@ev.example' }] });
  const ev = await eventsOf(c.id);
  assert.equal(ev.length, 1);
  assert.equal(ev[0].type, 'client.created');
  assert.equal(ev[0].actor_type, 'token');
  assert.deepEqual(ev[0].changes.name, { before: null, after: 'Ev Ltd' });
  assert.deepEqual(ev[0].changes.address.after.city, 'Oslo');
  assert.equal(ev[0].changes.contacts.after[0].email, 'e@ev.example');
  assert.equal(ev[0].changes.website, undefined, 'empty fields are left out');
});

test('events-1.2: every mutation writes exactly one event with the right before and after', async () => {
  const c = await createClient(co.token, { name: 'Before', contacts: [{ first_name: 'K', email: 'k@ev.example' }] });
  const k = c.contacts[0].id;
  const steps = [
    ['update', () => api('PATCH', `/api/v1/clients/${c.id}`, { token: co.token, body: { name: 'After', phone: '123' } }),
      'client.updated', { name: { before: 'Before', after: 'After' }, phone: { before: '', after: '123' } }],
    ['address', () => api('PATCH', `/api/v1/clients/${c.id}`, { token: co.token, body: { address: { country: 'NO' } } }),
      'client.updated', (ch) => assert.deepEqual([ch.address.before.country, ch.address.after.country], [null, 'NO'])],
    ['contacts via client', () => api('PATCH', `/api/v1/clients/${c.id}`, { token: co.token,
      body: { contacts: [{ id: k, first_name: 'K2' }, { first_name: 'New', email: 'new@ev.example' }] } }),
    'client.updated', (ch) => {
      assert.deepEqual(Object.keys(ch), ['contacts']);
      assert.deepEqual(ch.contacts.before.map((x) => x.first_name), ['K']);
      assert.deepEqual(ch.contacts.after.map((x) => x.first_name), ['K2', 'New']);
    }],
    ['archive', () => api('POST', `/api/v1/clients/${c.id}/archive`, { token: co.token }),
      'client.archived', (ch) => assert.equal(ch.archived_at.before, null)],
    ['archive again', () => api('POST', `/api/v1/clients/${c.id}/archive`, { token: co.token }), null],
    ['restore', () => api('POST', `/api/v1/clients/${c.id}/restore`, { token: co.token }),
      'client.restored', (ch) => assert.equal(ch.archived_at.after, null)],
    ['delete', () => api('DELETE', `/api/v1/clients/${c.id}`, { token: co.token }),
      'client.deleted', (ch) => assert.ok(ch.deleted_at.after)],
    ['restore deleted', () => api('POST', `/api/v1/clients/${c.id}/restore`, { token: co.token }),
      'client.restored', (ch) => assert.equal(ch.deleted_at.after, null)],
    ['contact created', () => api('POST', `/api/v1/clients/${c.id}/contacts`, { token: co.token, body: { first_name: 'Sub', email: 'sub@ev.example' } }),
      'contact.created', (ch) => assert.deepEqual(ch.email, { before: null, after: 'sub@ev.example' })],
    ['contact updated', () => api('PATCH', `/api/v1/clients/${c.id}/contacts/${k}`, { token: co.token, body: { phone: '+1 555 0100' } }),
      'contact.updated', { phone: { before: '', after: '+1 555 0100' } }],
    ['contact unchanged', () => api('PATCH', `/api/v1/clients/${c.id}/contacts/${k}`, { token: co.token, body: { phone: '+1 555 0100' } }), null],
    ['contact deleted', () => api('DELETE', `/api/v1/clients/${c.id}/contacts/${k}`, { token: co.token }),
      'contact.deleted', (ch) => assert.deepEqual(ch.first_name, { before: 'K2', after: null })],
    ['no-op update', () => api('PATCH', `/api/v1/clients/${c.id}`, { token: co.token, body: { name: 'After' } }), null],
    ['failed update', () => api('PATCH', `/api/v1/clients/${c.id}`, { token: co.token, body: { number: 'x'.repeat(65) } }), null],
  ];
  for (const [what, fn, type, check] of steps) {
    const ev = await added(c.id, async () => {
      const r = await fn();
      assert.ok(r.status < 500, what);
    });
    if (type === null) {
      assert.equal(ev.length, 0, `${what}: no event`);
      continue;
    }
    assert.equal(ev.length, 1, `${what}: exactly one event`);
    assert.equal(ev[0].type, type, what);
    if (typeof check === 'function') check(ev[0].changes);
    else assert.deepEqual(ev[0].changes, check, what);
  }
});

test('events-1.3: merge writes one event on each client', async () => {
  const t = await createClient(co.token, { name: 'T' });
  const s = await createClient(co.token, { name: 'S', contacts: [{ first_name: 'Moving', email: 'm@ev.example' }] });
  const before = [(await eventsOf(t.id)).length, (await eventsOf(s.id)).length];
  const r = await api('POST', `/api/v1/clients/${t.id}/merge`, { token: co.token, body: { source: s.id } });
  assert.equal(r.status, 200);
  const te = (await eventsOf(t.id)).slice(before[0]);
  const se = (await eventsOf(s.id)).slice(before[1]);
  assert.deepEqual(te.map((e) => e.type), ['client.merged']);
  assert.equal(te[0].changes.merged_from.after.id, s.id);
  assert.deepEqual(te[0].changes.merged_from.after.contacts_moved.length, 1);
  assert.deepEqual(se.map((e) => e.type), ['client.deleted']);
  assert.equal(se[0].changes.merged_into.after, t.id);
});

test('events-1.4: bulk writes one event per changed client', async () => {
  const a = await createClient(co.token);
  const b = await createClient(co.token);
  await api('POST', `/api/v1/clients/${b.id}/archive`, { token: co.token });
  const n = [(await eventsOf(a.id)).length, (await eventsOf(b.id)).length];
  await api('POST', '/api/v1/clients/bulk', { token: co.token, body: { action: 'archive', ids: [a.id, b.id] } });
  assert.equal((await eventsOf(a.id)).length, n[0] + 1);
  assert.equal((await eventsOf(b.id)).length, n[1], 'an unchanged client gets no event');
});

test('events-1.5: the activity endpoint lists a client\'s events, newest first, with cursors', async () => {
  const c = await createClient(co.token, { name: 'A0' });
  for (let i = 1; i <= 5; i++) {
    await api('PATCH', `/api/v1/clients/${c.id}`, { token: co.token, body: { name: `A${i}` } });
  }
  const all = await activity(co.token, c.id);
  assert.deepEqual(all.map((e) => e.type), [...Array(5).fill('client.updated'), 'client.created']);
  assert.deepEqual(all[0].changes.name, { before: 'A4', after: 'A5' });
  assert.deepEqual(all[0].entity, { type: 'client', id: c.id });
  assert.equal(all[0].actor.type, 'token');
  const p = await api('GET', `/api/v1/clients/${c.id}/activity?per_page=2`, { token: co.token });
  assert.equal(p.json.meta.pagination.total, 6);
  const seen = [...p.json.data];
  let cur = p.json.meta.next_cursor;
  while (cur) {
    const n = await api('GET', `/api/v1/clients/${c.id}/activity?per_page=2&cursor=${cur}`, { token: co.token });
    seen.push(...n.json.data);
    cur = n.json.meta.next_cursor;
  }
  assert.deepEqual(seen.map((e) => e.id), all.map((e) => e.id));
  assert.equal((await api('GET', `/api/v1/clients/${c.id}/activity?per_page=0`, { token: co.token })).status, 400);
  const other = newCompany('Events-other');
  assert.equal((await api('GET', `/api/v1/clients/${c.id}/activity`, { token: other.token })).status, 404);
  const g = await api('GET', `/api/v1/clients/${c.id}`, { token: co.token });
  assert.equal(g.json.counts.activity, 6);
});

test('events-1.7: the activity names what changes reference by id: groups (deleted ones too), users, merged clients', async () => {
  const me = (await api('GET', '/api/v1/me', { token: co.token })).json;
  const g1 = (await api('POST', '/api/v1/groups', { token: co.token, body: { name: 'Gold tier' } })).json;
  const g2 = (await api('POST', '/api/v1/groups', { token: co.token, body: { name: 'Silver tier' } })).json;
  const c = await createClient(co.token, { name: 'Referenced', group: g1.id });
  await api('PATCH', `/api/v1/clients/${c.id}`, { token: co.token, body: { group: g2.id, assigned_user: me.user.id } });
  await api('DELETE', `/api/v1/groups/${g1.id}`, { token: co.token });
  const src = await createClient(co.token, { name: 'Merged Away' });
  await api('POST', `/api/v1/clients/${c.id}/merge`, { token: co.token, body: { source: src.id } });
  const ev = await activity(co.token, c.id);
  const moved = ev.find((e) => e.changes.group?.after === g2.id);
  assert.deepEqual(moved.references, {
    [g1.id]: { type: 'group', name: 'Gold tier', exists: false },
    [g2.id]: { type: 'group', name: 'Silver tier', exists: true },
    [me.user.id]: { type: 'user', name: 'Test Owner', exists: true },
  });
  const merged = ev.find((e) => e.type === 'client.merged');
  assert.deepEqual(merged.references, { [src.id]: { type: 'client', name: 'Merged Away', exists: true } });
  const source = await activity(co.token, src.id);
  assert.deepEqual(source[0].references, { [c.id]: { type: 'client', name: 'Referenced', exists: true } });
  // Twin: an event that names nothing by id has no references.
  assert.deepEqual(source.find((e) => e.type === 'client.created').references, {});
});

test('events-1.6: no client row changes without an event (database check)', async () => {
  // Every client of this company was created through the API: each has a
  // created event, and its version never exceeds its event count + 1.
  const rows = (await asOwner((db) => db.query(`
    SELECT c.public_id, c.version, (SELECT count(*)::int FROM events e WHERE e.client_id = c.id) AS n
    FROM clients c JOIN users u ON u.company_id = c.company_id WHERE u.email = $1`, [co.email]))).rows;
  assert.ok(rows.length > 5);
  for (const r of rows) {
    assert.ok(r.n >= 1, `${r.public_id} has a created event`);
    assert.ok(r.version <= r.n, `${r.public_id}: version ${r.version} with ${r.n} events`);
  }
});
