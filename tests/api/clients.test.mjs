// Clients (issue 3): fields, ids, validation, safe writes, lifecycle, merge,
// purge, bulk, permissions. Lists are in clients-lists, contacts and events
// in their own suites.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, concurrently, fieldErrors, login } from './lib/http.mjs';
import { newCompany, newUser, setPermissions, uid } from './lib/fixtures.mjs';
import { asOwner } from './lib/db.mjs';
import { createClient, getClient } from './lib/clients.mjs';

const co = newCompany('Clients');
const other = newCompany('Clients-other');

const FULL = {
  name: 'Acme Trading GmbH',
  website: 'https://acme.example',
  phone: '+49 30 1234567',
  vat_number: 'DE123456789',
  id_number: 'CRM-42',
  address: { address1: 'Hauptstraße 1', address2: 'Hof 2', city: 'Berlin', state: 'BE', postal_code: '10115', country: 'DE' },
  shipping_address: { address1: '1 Dock Road', address2: '', city: 'Hamburg', state: 'HH', postal_code: '20457', country: 'DE' },
  public_notes: 'Invoices in German, please.\nThanks!',
  private_notes: 'Pays late in December.',
  custom_value1: 'c1', custom_value2: 'c2', custom_value3: 'c3', custom_value4: 'c4',
  contacts: [
    { first_name: 'Ann', last_name: 'Lee', email: 'ann@acme.example', phone: '+49 170 1', send_email: true,
      custom_value1: 'k1', custom_value2: 'k2', custom_value3: 'k3', custom_value4: 'k4' },
    { first_name: 'Bob', last_name: 'Ray', email: 'bob@acme.example', phone: '', send_email: false },
  ],
};

test('clients-1.1: every field is stored and returned as sent', async () => {
  const r = await api('POST', '/api/v1/clients', { token: co.token, body: { ...FULL, number: `N-${uid()}` } });
  assert.equal(r.status, 201, r.text);
  const c = r.json;
  for (const k of ['name', 'website', 'phone', 'vat_number', 'id_number', 'public_notes', 'private_notes',
    'custom_value1', 'custom_value2', 'custom_value3', 'custom_value4']) {
    assert.equal(c[k], FULL[k], k);
  }
  assert.deepEqual(c.address, FULL.address);
  assert.deepEqual(c.shipping_address, FULL.shipping_address);
  assert.equal(c.contacts.length, 2);
  assert.deepEqual(
    c.contacts.map((k) => [k.first_name, k.last_name, k.email, k.phone, k.send_email, k.is_primary]),
    [['Ann', 'Lee', 'ann@acme.example', '+49 170 1', true, true], ['Bob', 'Ray', 'bob@acme.example', '', false, false]]);
  assert.deepEqual([c.contacts[0].custom_value1, c.contacts[0].custom_value4], ['k1', 'k4']);
  assert.equal(c.balance, '0.00');
  assert.equal(c.paid_to_date, '0.00');
  assert.equal(c.status, 'active');
  assert.equal(c.group, null);
  assert.equal(c.assigned_user, null);
  assert.deepEqual(c.counts, { contacts: 2, activity: 1, ledger_entries: 0, documents: 0 });
  assert.equal(r.headers.get('etag'), `"${c.version}"`);
  assert.equal(r.headers.get('location'), `/api/v1/clients/${c.id}`);
  assert.deepEqual(await getClient(co.token, c.id), c);
});

test('clients-1.2: ids are short, opaque and non-sequential; numbers are generated and padded', async () => {
  const fresh = newCompany('Numbers');
  const a = await createClient(fresh.token);
  const b = await createClient(fresh.token);
  assert.match(a.id, /^[0-9a-hjkmnp-tv-z]{12}$/);
  assert.notEqual(a.id.slice(0, 6), b.id.slice(0, 6), 'ids do not share a counter prefix');
  assert.equal(a.number, '0001');
  assert.equal(b.number, '0002');
  // A number taken by hand is skipped by the generator.
  await createClient(fresh.token, { number: '0003' });
  assert.equal((await createClient(fresh.token)).number, '0004');
});

test('clients-1.3: display_name is the name, else the primary contact\'s name, else its email', async () => {
  const named = await createClient(co.token, { name: 'Named Ltd', contacts: [{ first_name: 'X', last_name: 'Y' }] });
  assert.equal(named.display_name, 'Named Ltd');
  const person = await createClient(co.token, { name: '', contacts: [{ first_name: 'Jane', last_name: 'Doe', email: 'jd@x.example' }] });
  assert.equal(person.display_name, 'Jane Doe');
  const mail = await createClient(co.token, { name: null, contacts: [{ email: 'only@mail.example' }] });
  assert.equal(mail.display_name, 'only@mail.example');
  // Renaming the primary contact renames the client.
  const r = await api('PATCH', `/api/v1/clients/${person.id}/contacts/${person.contacts[0].id}`, {
    token: co.token, body: { first_name: 'Janet' },
  });
  assert.equal(r.status, 200);
  assert.equal((await getClient(co.token, person.id)).display_name, 'Janet Doe');
});

test('clients-1.4: a client needs a name or a contact with a name or email', async () => {
  const r = await api('POST', '/api/v1/clients', { token: co.token, body: { website: 'https://x.example' } });
  assert.equal(r.status, 422);
  assert.deepEqual(fieldErrors(r), ['name:invalid_value']);
  const r2 = await api('POST', '/api/v1/clients', { token: co.token, body: { name: '', contacts: [{ phone: '+1 555 0100' }] } });
  assert.equal(r2.status, 422);
});

test('clients-1.23: website is an http(s) URL and phone a phone number, for clients and contacts (issue 11)', async () => {
  const good = await createClient(co.token, {
    website: 'https://www.acme.example/shop', phone: '+1 (555) 123-4567 ext. 89',
    contacts: [{ first_name: 'Ann', phone: '030/1234567' }],
  });
  assert.deepEqual([good.website, good.phone, good.contacts[0].phone], ['https://www.acme.example/shop', '+1 (555) 123-4567 ext. 89', '030/1234567']);
  const cases = [
    [{ website: 'not a url' }, ['website:invalid_format']],
    [{ website: 'www.acme.example' }, ['website:invalid_format']],
    [{ website: 'mailto:x@acme.example' }, ['website:invalid_format']],
    [{ phone: 'abc' }, ['phone:invalid_format']],
    [{ phone: '12' }, ['phone:invalid_format']],
    [{ phone: '1-800-FLOWERS' }, ['phone:invalid_format']],
    [{ contacts: [{ first_name: 'B', phone: 'call me' }] }, ['contacts[0].phone:invalid_format']],
  ];
  for (const [body, want] of cases) {
    const r = await api('PATCH', `/api/v1/clients/${good.id}`, { token: co.token, body });
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.deepEqual(fieldErrors(r), want, JSON.stringify(body));
  }
  const r = await api('PATCH', `/api/v1/clients/${good.id}`, { token: co.token, body: { phone: 'abc' } });
  assert.match(r.json.error.errors[0].message, /^field "phone" is not a phone number \(digits, optionally with a leading \+.*\): "abc"$/);
  const k = await api('PATCH', `/api/v1/clients/${good.id}/contacts/${good.contacts[0].id}`, { token: co.token, body: { phone: 'x' } });
  assert.deepEqual(fieldErrors(k), ['phone:invalid_format']);
  // "" and null clear either.
  const cleared = await api('PATCH', `/api/v1/clients/${good.id}`, { token: co.token, body: { website: '', phone: null } });
  assert.deepEqual([cleared.json.website, cleared.json.phone], ['', '']);
});

test('clients-1.5: wrong types and bad values are 422 naming each field, and create nothing', async () => {
  const before = (await api('GET', '/api/v1/clients?per_page=1', { token: co.token })).json.meta.pagination.total;
  const cases = [
    [{ name: 7 }, ['name:invalid_type']],
    [{ name: 'x', website: [] }, ['website:invalid_type']],
    [{ name: 'x', address: 'Berlin' }, ['address:invalid_type']],
    [{ name: 'x', address: { town: 'Berlin' } }, ['address.town:unknown_field']],
    [{ name: 'x', address: { country: 'Germany' } }, ['address.country:invalid_value']],
    [{ name: 'x', shipping_address: { country: 'XX' } }, ['shipping_address.country:invalid_value']],
    [{ name: 'x', contacts: {} }, ['contacts:invalid_type']],
    [{ name: 'x', contacts: ['ann'] }, ['contacts[0]:invalid_type']],
    [{ name: 'x', contacts: [{ email: 'not-an-email' }] }, ['contacts[0].email:invalid_format']],
    [{ name: 'x', contacts: [{ is_primary: 'yes' }] }, ['contacts[0].is_primary:invalid_type']],
    [{ name: 'x', contacts: [{ first_name: 'a', is_primary: true }, { first_name: 'b', is_primary: true }] },
      ['contacts[1].is_primary:invalid_value']],
    [{ name: 'x', contacts: [{ email: 'a@b.example' }, { email: 'A@B.example' }] }, ['contacts[1].email:duplicate']],
    [{ name: 'x'.repeat(201) }, ['name:too_long']],
    [{ name: 'x', public_notes: 'n'.repeat(10001) }, ['public_notes:too_long']],
    [{ name: 'x', group: 'not an id' }, ['group:invalid_format']],
    [{ name: 'x', assigned_user: 12 }, ['assigned_user:invalid_type']],
    [{ name: 'x', balance: '10.00' }, ['balance:unknown_field']],
    [{ name: 'x', id: 'abc' }, ['id:unknown_field']],
    [{ name: 'x', contacts: Array.from({ length: 51 }, () => ({})) }, ['contacts:too_long']],
    [{ name: 'line\u0001break' }, ['name:invalid_format']],
  ];
  for (const [body, want] of cases) {
    const r = await api('POST', '/api/v1/clients', { token: co.token, body });
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.deepEqual(fieldErrors(r), want, JSON.stringify(body));
  }
  const after = (await api('GET', '/api/v1/clients?per_page=1', { token: co.token })).json.meta.pagination.total;
  assert.equal(after, before);
});

test('clients-1.6: a group or assigned user of another company is refused', async () => {
  const otherMe = (await api('GET', '/api/v1/me', { token: other.token })).json;
  const r = await api('POST', '/api/v1/clients', { token: co.token, body: { name: 'x', assigned_user: otherMe.user.id } });
  assert.equal(r.status, 422);
  assert.deepEqual(fieldErrors(r), ['assigned_user:invalid_value']);
  const g = await asOwner(async (db) => (await db.query(
    "INSERT INTO client_groups (company_id, name) SELECT company_id, 'G' FROM users WHERE email = $1 RETURNING public_id",
    [other.email])).rows[0].public_id);
  const r2 = await api('POST', '/api/v1/clients', { token: co.token, body: { name: 'x', group: g } });
  assert.deepEqual(fieldErrors(r2), ['group:invalid_value']);
  const me = (await api('GET', '/api/v1/me', { token: co.token })).json;
  const ok = await createClient(co.token, { assigned_user: me.user.id });
  assert.equal(ok.assigned_user, me.user.id);
});

test('clients-1.7: a duplicate number is 409, also against archived and deleted clients', async () => {
  const n = `D-${uid()}`;
  const a = await createClient(co.token, { number: n });
  const r = await api('POST', '/api/v1/clients', { token: co.token, body: { name: 'x', number: n } });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.field, 'number');
  await api('DELETE', `/api/v1/clients/${a.id}`, { token: co.token });
  const r2 = await api('POST', '/api/v1/clients', { token: co.token, body: { name: 'x', number: n } });
  assert.equal(r2.status, 409);
  const b = await createClient(co.token);
  const r3 = await api('PATCH', `/api/v1/clients/${b.id}`, { token: co.token, body: { number: n } });
  assert.equal(r3.status, 409);
  // Numbers are per company: another company may use it.
  assert.equal((await createClient(other.token, { number: n })).number, n);
});

test('clients-1.8: another company\'s client is 404 for every operation', async () => {
  const theirs = await createClient(other.token);
  const ops = [
    ['GET', `/api/v1/clients/${theirs.id}`],
    ['PATCH', `/api/v1/clients/${theirs.id}`, { name: 'mine now' }],
    ['DELETE', `/api/v1/clients/${theirs.id}`],
    ['POST', `/api/v1/clients/${theirs.id}/archive`],
    ['POST', `/api/v1/clients/${theirs.id}/restore`],
    ['GET', `/api/v1/clients/${theirs.id}/activity`],
    ['GET', `/api/v1/clients/${theirs.id}/contacts`],
    ['GET', `/api/v1/clients/${theirs.id}/contacts/${theirs.contacts[0]?.id ?? 'aaaaaaaaaaaa'}`],
    ['POST', `/api/v1/clients/${theirs.id}/contacts`, { first_name: 'x' }],
  ];
  for (const [m, p, body] of ops) {
    const r = await api(m, p, { token: co.token, body });
    assert.equal(r.status, 404, `${m} ${p}`);
    assert.equal(r.json.error.code, 'not_found');
  }
  assert.equal((await getClient(other.token, theirs.id)).name, theirs.name);
  for (const id of ['nope', 'AAAAAAAAAAAA', '0000000000000000']) {
    assert.equal((await api('GET', `/api/v1/clients/${id}`, { token: co.token })).status, 404);
  }
});

test('clients-1.9: PATCH changes only what it names; null and "" clear', async () => {
  const c = await createClient(co.token, { ...FULL, number: undefined, contacts: undefined, name: 'Patch me' });
  const r = await api('PATCH', `/api/v1/clients/${c.id}`, {
    token: co.token, body: { website: null, address: { city: 'Munich', country: null }, custom_value2: '' },
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.website, '');
  assert.equal(r.json.custom_value2, '');
  assert.equal(r.json.custom_value1, 'c1');
  assert.deepEqual(r.json.address, { ...FULL.address, city: 'Munich', country: null });
  assert.deepEqual(r.json.shipping_address, FULL.shipping_address);
  assert.equal(r.json.name, 'Patch me');
  assert.equal(r.json.version, c.version + 1);
  const empty = await api('PATCH', `/api/v1/clients/${c.id}`, { token: co.token, body: {} });
  assert.equal(empty.status, 422);
  // A PATCH that changes nothing does not make a new version.
  const same = await api('PATCH', `/api/v1/clients/${c.id}`, { token: co.token, body: { name: 'Patch me' } });
  assert.equal(same.json.version, r.json.version);
});

test('clients-1.10: ETag and If-Match: a stale write is 412 and changes nothing', async () => {
  const c = await createClient(co.token);
  const g = await api('GET', `/api/v1/clients/${c.id}`, { token: co.token });
  const etag = g.headers.get('etag');
  assert.equal(etag, `"${c.version}"`);
  const nm = await api('GET', `/api/v1/clients/${c.id}`, { token: co.token, headers: { 'If-None-Match': etag } });
  assert.equal(nm.status, 304);
  const ok = await api('PATCH', `/api/v1/clients/${c.id}`, { token: co.token, headers: { 'If-Match': etag }, body: { name: 'first' } });
  assert.equal(ok.status, 200);
  assert.notEqual(ok.headers.get('etag'), etag);
  const stale = await api('PATCH', `/api/v1/clients/${c.id}`, { token: co.token, headers: { 'If-Match': etag }, body: { name: 'second' } });
  assert.equal(stale.status, 412);
  assert.equal(stale.json.error.code, 'precondition_failed');
  assert.equal((await getClient(co.token, c.id)).name, 'first');
  const weak = await api('PATCH', `/api/v1/clients/${c.id}`, {
    token: co.token, headers: { 'If-Match': `W/${ok.headers.get('etag')}` }, body: { name: 'third' },
  });
  assert.equal(weak.status, 200);
  const garbage = await api('PATCH', `/api/v1/clients/${c.id}`, { token: co.token, headers: { 'If-Match': 'xyz' }, body: { name: 'x' } });
  assert.equal(garbage.status, 412);
  const star = await api('PATCH', `/api/v1/clients/${c.id}`, { token: co.token, headers: { 'If-Match': '*' }, body: { name: 'star' } });
  assert.equal(star.status, 200);
  const staleDelete = await api('DELETE', `/api/v1/clients/${c.id}`, { token: co.token, headers: { 'If-Match': etag } });
  assert.equal(staleDelete.status, 412);
});

test('clients-1.11: contacts sent with a client update replace its contact list', async () => {
  const c = await createClient(co.token, { contacts: [{ first_name: 'A', email: 'a@x.example' }, { first_name: 'B', email: 'b@x.example' }] });
  const [a, b] = c.contacts;
  const r = await api('PATCH', `/api/v1/clients/${c.id}`, {
    token: co.token,
    body: { contacts: [{ id: b.id, first_name: 'B2', is_primary: true }, { first_name: 'C', email: 'c@x.example' }] },
  });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.contacts.map((k) => [k.first_name, k.email, k.is_primary]),
    [['B2', 'b@x.example', true], ['C', 'c@x.example', false]]);
  assert.equal(r.json.contacts[0].id, b.id);
  assert.ok(!r.json.contacts.some((k) => k.id === a.id));
  // Emails may move between contacts in one update.
  const swap = await api('PATCH', `/api/v1/clients/${c.id}`, {
    token: co.token,
    body: { contacts: [{ id: b.id, email: 'c@x.example' }, { id: r.json.contacts[1].id, email: 'b@x.example' }] },
  });
  assert.equal(swap.status, 200, swap.text);
  // An id of another client's contact is refused.
  const d = await createClient(co.token, { contacts: [{ first_name: 'D' }] });
  const bad = await api('PATCH', `/api/v1/clients/${c.id}`, { token: co.token, body: { contacts: [{ id: d.contacts[0].id }] } });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.error.field, 'contacts[0].id');
  // Everyone opting out of email while someone has an address is refused.
  const mute = await api('PATCH', `/api/v1/clients/${c.id}`, {
    token: co.token, body: { contacts: [{ id: b.id, send_email: false }] },
  });
  assert.equal(mute.status, 422);
  assert.equal(mute.json.error.field, 'contacts');
});

test('clients-1.12: archive, restore, delete and restore again', async () => {
  const c = await createClient(co.token);
  const a = await api('POST', `/api/v1/clients/${c.id}/archive`, { token: co.token });
  assert.equal(a.status, 200);
  assert.equal(a.json.status, 'archived');
  assert.ok(a.json.archived_at);
  const again = await api('POST', `/api/v1/clients/${c.id}/archive`, { token: co.token });
  assert.equal(again.json.version, a.json.version, 'archiving twice changes nothing');
  const r = await api('POST', `/api/v1/clients/${c.id}/restore`, { token: co.token });
  assert.equal(r.json.status, 'active');
  assert.equal(r.json.archived_at, null);
  const d = await api('DELETE', `/api/v1/clients/${c.id}`, { token: co.token });
  assert.equal(d.status, 200);
  assert.equal(d.json.status, 'deleted');
  const arch = await api('POST', `/api/v1/clients/${c.id}/archive`, { token: co.token });
  assert.equal(arch.status, 409);
  const edit = await api('PATCH', `/api/v1/clients/${c.id}`, { token: co.token, body: { name: 'x' } });
  assert.equal(edit.status, 409);
  assert.equal((await getClient(co.token, c.id)).status, 'deleted');
  const back = await api('POST', `/api/v1/clients/${c.id}/restore`, { token: co.token });
  assert.equal(back.json.status, 'active');
  assert.equal(back.json.deleted_at, null);
  const body = await api('POST', `/api/v1/clients/${c.id}/archive`, { token: co.token, body: { reason: 'x' } });
  assert.equal(body.status, 422);
});

test('clients-1.13: purge is for owners, asks for the password, and leaves the history', async () => {
  const c = await createClient(co.token);
  const me = (await api('GET', '/api/v1/me', { token: co.token })).json;
  const admin = newUser(me.company.id, 'admin');
  const byAdmin = await api('POST', `/api/v1/clients/${c.id}/purge`, { token: admin.token, body: { password: admin.password } });
  assert.equal(byAdmin.status, 403);
  const wrong = await api('POST', `/api/v1/clients/${c.id}/purge`, { token: co.token, body: { password: 'not-my-password' } });
  assert.equal(wrong.status, 403);
  assert.equal(wrong.json.error.field, 'password');
  const none = await api('POST', `/api/v1/clients/${c.id}/purge`, { token: co.token, body: {} });
  assert.equal(none.status, 422);
  assert.equal((await getClient(co.token, c.id)).id, c.id);
  const ok = await api('POST', `/api/v1/clients/${c.id}/purge`, { token: co.token, body: { password: co.password } });
  assert.equal(ok.status, 204);
  assert.equal((await api('GET', `/api/v1/clients/${c.id}`, { token: co.token })).status, 404);
  const ev = await asOwner((db) => db.query('SELECT type FROM events WHERE entity_public_id = $1 ORDER BY id', [c.id]));
  assert.deepEqual(ev.rows.map((r) => r.type), ['client.created', 'client.purged']);
  const rows = await asOwner((db) => db.query('SELECT count(*)::int AS n FROM client_contacts k JOIN clients x ON x.id = k.client_id WHERE x.public_id = $1', [c.id]));
  assert.equal(rows.rows[0].n, 0);
});

test('clients-1.14: wrong purge passwords are throttled like logins', async () => {
  const t = newCompany('Purge');
  const c = await createClient(t.token);
  for (let i = 0; i < 5; i++) {
    const r = await api('POST', `/api/v1/clients/${c.id}/purge`, { token: t.token, body: { password: `wrong-${i}-pw` } });
    assert.equal(r.status, 403);
  }
  const r = await api('POST', `/api/v1/clients/${c.id}/purge`, { token: t.token, body: { password: t.password } });
  assert.equal(r.status, 429);
  assert.ok(Number(r.headers.get('retry-after')) > 0);
  assert.equal((await getClient(t.token, c.id)).id, c.id);
});

test('clients-1.15: merge moves contacts, adds balances and deletes the source', async () => {
  const target = await createClient(co.token, { contacts: [{ first_name: 'T', email: 'same@merge.example' }] });
  const source = await createClient(co.token, {
    contacts: [{ first_name: 'S1', email: 'SAME@merge.example' }, { first_name: 'S2', email: 's2@merge.example' }],
  });
  const postEntry = async (id, kind, amount) => {
    const e = await api('POST', `/api/v1/clients/${id}/ledger`, { token: co.token, headers: { 'Idempotency-Key': uid() }, body: { kind, amount } });
    assert.equal(e.status, 201, e.text);
  };
  await postEntry(target.id, 'invoice', '140.25');
  await postEntry(target.id, 'payment', '-40.00');
  await postEntry(source.id, 'invoice', '12.25');
  await postEntry(source.id, 'payment', '-2.50');
  const r = await api('POST', `/api/v1/clients/${target.id}/merge`, { token: co.token, body: { source: source.id } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.contacts.map((k) => [k.first_name, k.is_primary]), [['T', true], ['S2', false]]);
  assert.equal(r.json.balance, '110.00');
  assert.equal(r.json.paid_to_date, '42.50');
  const s = await getClient(co.token, source.id);
  assert.equal(s.status, 'deleted');
  assert.equal(s.contacts.length, 0);
  assert.equal(s.balance, '0.00');
  const self = await api('POST', `/api/v1/clients/${target.id}/merge`, { token: co.token, body: { source: target.id } });
  assert.equal(self.status, 422);
  const deleted = await api('POST', `/api/v1/clients/${target.id}/merge`, { token: co.token, body: { source: source.id } });
  assert.equal(deleted.status, 409);
  const theirs = await createClient(other.token);
  const foreign = await api('POST', `/api/v1/clients/${target.id}/merge`, { token: co.token, body: { source: theirs.id } });
  assert.equal(foreign.status, 422);
  assert.equal(foreign.json.error.field, 'source');
  const bad = await api('POST', `/api/v1/clients/${target.id}/merge`, { token: co.token, body: { source: 12 } });
  assert.deepEqual(fieldErrors(bad), ['source:invalid_type']);
});

test('clients-1.16: bulk actions answer per id', async () => {
  const a = await createClient(co.token);
  const b = await createClient(co.token);
  const theirs = await createClient(other.token);
  await api('POST', `/api/v1/clients/${b.id}/archive`, { token: co.token });
  const r = await api('POST', '/api/v1/clients/bulk', {
    token: co.token, body: { action: 'archive', ids: [a.id, b.id, theirs.id] },
  });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.results.map((x) => [x.id, x.result, x.status ?? x.error.code]), [
    [a.id, 'changed', 'archived'], [b.id, 'unchanged', 'archived'], [theirs.id, 'error', 'not_found']]);
  assert.equal((await getClient(other.token, theirs.id)).status, 'active');
  const d = await api('POST', '/api/v1/clients/bulk', { token: co.token, body: { action: 'delete', ids: [a.id] } });
  assert.equal(d.json.results[0].status, 'deleted');
  const arch = await api('POST', '/api/v1/clients/bulk', { token: co.token, body: { action: 'archive', ids: [a.id] } });
  assert.equal(arch.json.results[0].result, 'error');
  assert.equal(arch.json.results[0].error.status, 409);
  const cases = [
    [{ action: 'explode', ids: [a.id] }, ['action:invalid_value']],
    [{ action: 'archive', ids: [] }, ['ids:empty']],
    [{ action: 'archive' }, ['ids:required']],
    [{ action: 'archive', ids: ['x', 3] }, ['ids[0]:invalid_format', 'ids[1]:invalid_format']],
    [{ action: 'archive', ids: Array.from({ length: 101 }, () => a.id) }, ['ids:too_long']],
  ];
  for (const [body, want] of cases) {
    const x = await api('POST', '/api/v1/clients/bulk', { token: co.token, body });
    assert.equal(x.status, 422, JSON.stringify(body));
    assert.deepEqual(fieldErrors(x), want, JSON.stringify(body));
  }
});

test('clients-1.17: permissions: create, view own, edit own', async () => {
  const t = newCompany('Perms');
  const me = (await api('GET', '/api/v1/me', { token: t.token })).json;
  const mine = await createClient(t.token, { name: 'Owner made' });
  const member = newUser(me.company.id, 'member');
  const memberMe = (await api('GET', '/api/v1/me', { token: member.token })).json;
  const assigned = await createClient(t.token, { name: 'Assigned', assigned_user: memberMe.user.id });
  await setPermissions(member.email, ['clients.view.own']);
  const list = await api('GET', '/api/v1/clients', { token: member.token });
  assert.deepEqual(list.json.data.map((c) => c.name), ['Assigned']);
  assert.equal(list.json.meta.pagination.total, 1);
  assert.equal((await api('GET', `/api/v1/clients/${mine.id}`, { token: member.token })).status, 404);
  const create = await api('POST', '/api/v1/clients', { token: member.token, body: { name: 'x' } });
  assert.equal(create.status, 403);
  assert.equal(create.json.error.code, 'forbidden');
  const edit = await api('PATCH', `/api/v1/clients/${assigned.id}`, { token: member.token, body: { name: 'y' } });
  assert.equal(edit.status, 403);
  await setPermissions(member.email, ['clients.view.all', 'clients.create', 'clients.edit.own']);
  assert.equal((await api('GET', '/api/v1/clients', { token: member.token })).json.meta.pagination.total, 2);
  const made = await api('POST', '/api/v1/clients', { token: member.token, body: { name: 'Member made' } });
  assert.equal(made.status, 201);
  assert.equal((await api('PATCH', `/api/v1/clients/${made.json.id}`, { token: member.token, body: { name: 'ok' } })).status, 200);
  assert.equal((await api('PATCH', `/api/v1/clients/${assigned.id}`, { token: member.token, body: { name: 'ok' } })).status, 200);
  assert.equal((await api('PATCH', `/api/v1/clients/${mine.id}`, { token: member.token, body: { name: 'no' } })).status, 404);
  const merge = await api('POST', `/api/v1/clients/${made.json.id}/merge`, { token: member.token, body: { source: assigned.id } });
  assert.equal(merge.status, 403);
});

test('clients-1.18: 200 concurrent creates without numbers get 200 distinct numbers', async () => {
  const t = newCompany('Concurrent');
  const results = await concurrently(200, (i) =>
    api('POST', '/api/v1/clients', { token: t.token, body: { name: `C${i}` } }));
  assert.deepEqual([...new Set(results.map((r) => r.status))], [201]);
  const numbers = new Set(results.map((r) => r.json.number));
  assert.equal(numbers.size, 200);
  assert.deepEqual([...numbers].sort(), Array.from({ length: 200 }, (_, i) => String(i + 1).padStart(4, '0')));
});

test('clients-1.19: Idempotency-Key replays the first response; another body is 409', async () => {
  const key = `key-${uid()}`;
  const body = { name: `Idem ${key}`, contacts: [{ first_name: 'I', email: `${key}@x.example` }] };
  const first = await api('POST', '/api/v1/clients', { token: co.token, headers: { 'Idempotency-Key': key }, body });
  assert.equal(first.status, 201);
  const again = await api('POST', '/api/v1/clients', {
    token: co.token, raw: JSON.stringify(body, null, 2),
    headers: { 'Idempotency-Key': key, 'Content-Type': 'application/json' },
  });
  assert.equal(again.status, 201);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(again.text, first.text);
  assert.equal(again.headers.get('location'), first.headers.get('location'));
  assert.equal(again.headers.get('etag'), first.headers.get('etag'));
  const list = await api('GET', `/api/v1/clients?q=${encodeURIComponent(key)}`, { token: co.token });
  assert.equal(list.json.meta.pagination.total, 1);
  const changed = await api('POST', '/api/v1/clients', { token: co.token, headers: { 'Idempotency-Key': key }, body: { name: 'other' } });
  assert.equal(changed.status, 409);
  // Keys belong to whoever used them: another company may use the same key.
  const theirs = await api('POST', '/api/v1/clients', { token: other.token, headers: { 'Idempotency-Key': key }, body });
  assert.equal(theirs.status, 201);
  assert.equal(theirs.headers.get('idempotent-replayed'), null);
});

test('clients-1.20: concurrent requests with one key create one client', async () => {
  const key = `race-${uid()}`;
  const body = { name: `Race ${key}` };
  const rs = await Promise.all(Array.from({ length: 12 }, () =>
    api('POST', '/api/v1/clients', { token: co.token, headers: { 'Idempotency-Key': key }, body })));
  assert.deepEqual([...new Set(rs.map((r) => r.status))], [201]);
  assert.equal(new Set(rs.map((r) => r.json.id)).size, 1);
  assert.equal(rs.filter((r) => r.headers.get('idempotent-replayed') !== 'true').length, 1);
  const list = await api('GET', `/api/v1/clients?q=${encodeURIComponent(key)}`, { token: co.token });
  assert.equal(list.json.meta.pagination.total, 1);
});

test('clients-1.21: Idempotency-Key is validated and refused where it is not supported', async () => {
  const bad = await api('POST', '/api/v1/clients', { token: co.token, headers: { 'Idempotency-Key': 'has space' }, body: { name: 'x' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'Idempotency-Key');
  const long = await api('POST', '/api/v1/clients', { token: co.token, headers: { 'Idempotency-Key': 'k'.repeat(256) }, body: { name: 'x' } });
  assert.equal(long.status, 400);
  const tok = await api('POST', '/api/v1/tokens', { token: co.token, headers: { 'Idempotency-Key': 'abc' }, body: { name: 'x' } });
  assert.equal(tok.status, 400);
  assert.match(tok.json.error.hint, /shown only once/);
  const c = await createClient(co.token);
  const patch = await api('PATCH', `/api/v1/clients/${c.id}`, { token: co.token, headers: { 'Idempotency-Key': 'abc' }, body: { name: 'x' } });
  assert.equal(patch.status, 400);
});

test('clients-1.22: a session user works the same, with CSRF on writes', async () => {
  const s = await login(co.email, co.password);
  const no = await api('POST', '/api/v1/clients', { session: s, csrf: false, body: { name: 'x' } });
  assert.equal(no.status, 403);
  const ok = await api('POST', '/api/v1/clients', { session: s, body: { name: 'From the browser' } });
  assert.equal(ok.status, 201);
  const ev = await api('GET', `/api/v1/clients/${ok.json.id}/activity`, { session: s });
  assert.equal(ev.json.data[0].actor.type, 'user');
  assert.equal(ev.json.data[0].actor.name, co.email);
});
