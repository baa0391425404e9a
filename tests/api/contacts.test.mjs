// Contacts one at a time, and across clients (issue 3, item 2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, fieldErrors } from './lib/http.mjs';
import { newCompany, uid } from './lib/fixtures.mjs';
import { createClient, getClient } from './lib/clients.mjs';

const co = newCompany('Contacts');
const other = newCompany('Contacts-other');

const path = (c, k) => `/api/v1/clients/${c}/contacts${k ? `/${k}` : ''}`;

test('contacts-1.1: the first contact of a client is primary; a new one is not', async () => {
  const c = await createClient(co.token);
  const a = await api('POST', path(c.id), { token: co.token, body: { first_name: 'A', email: 'a@c.example' } });
  assert.equal(a.status, 201, a.text);
  assert.equal(a.json.is_primary, true);
  assert.equal(a.json.send_email, true);
  assert.equal(a.headers.get('location'), `${path(c.id, a.json.id)}`);
  const b = await api('POST', path(c.id), { token: co.token, body: { first_name: 'B' } });
  assert.equal(b.json.is_primary, false);
  const list = await api('GET', path(c.id), { token: co.token });
  assert.deepEqual(list.json.data.map((k) => k.first_name), ['A', 'B']);
  assert.equal(list.json.meta.pagination.total, 2);
  const one = await api('GET', path(c.id, b.json.id), { token: co.token });
  assert.deepEqual(one.json, b.json);
  assert.equal(one.headers.get('etag'), `"${b.json.version}"`);
});

test('contacts-1.2: making a contact primary demotes the old primary; un-making it is refused', async () => {
  const c = await createClient(co.token, { contacts: [{ first_name: 'A' }, { first_name: 'B' }] });
  const [a, b] = c.contacts;
  const r = await api('PATCH', path(c.id, b.id), { token: co.token, body: { is_primary: true } });
  assert.equal(r.status, 200);
  assert.equal(r.json.is_primary, true);
  const after = await getClient(co.token, c.id);
  assert.deepEqual(after.contacts.map((k) => k.is_primary), [false, true]);
  assert.equal(after.primary_contact.id, b.id);
  const off = await api('PATCH', path(c.id, b.id), { token: co.token, body: { is_primary: false } });
  assert.equal(off.status, 422);
  assert.equal(off.json.error.field, 'is_primary');
  const created = await api('POST', path(c.id), { token: co.token, body: { first_name: 'C', is_primary: true } });
  assert.equal(created.json.is_primary, true);
  assert.deepEqual((await getClient(co.token, c.id)).contacts.filter((k) => k.is_primary).map((k) => k.id), [created.json.id]);
  assert.ok(a);
});

test('contacts-1.3: removing the primary promotes the next contact', async () => {
  const c = await createClient(co.token, { contacts: [{ first_name: 'A' }, { first_name: 'B' }, { first_name: 'C' }] });
  const del = await api('DELETE', path(c.id, c.contacts[0].id), { token: co.token });
  assert.equal(del.status, 204);
  const after = await getClient(co.token, c.id);
  assert.deepEqual(after.contacts.map((k) => [k.first_name, k.is_primary]), [['B', true], ['C', false]]);
  assert.equal((await api('GET', path(c.id, c.contacts[0].id), { token: co.token })).status, 404);
  assert.equal((await api('DELETE', path(c.id, c.contacts[0].id), { token: co.token })).status, 404);
});

test('contacts-1.4: a client without a name keeps a contact to be called by', async () => {
  const c = await createClient(co.token, { name: '', contacts: [{ first_name: 'Solo', email: 'solo@c.example' }] });
  const r = await api('DELETE', path(c.id, c.contacts[0].id), { token: co.token });
  assert.equal(r.status, 422);
  assert.equal((await getClient(co.token, c.id)).contacts.length, 1);
});

test('contacts-1.5: emails are validated and unique within a client, case-insensitively', async () => {
  const c = await createClient(co.token, { contacts: [{ first_name: 'A', email: 'Dup@C.example' }] });
  const dup = await api('POST', path(c.id), { token: co.token, body: { email: 'dup@c.example' } });
  assert.equal(dup.status, 409);
  assert.equal(dup.json.error.field, 'email');
  const bad = await api('POST', path(c.id), { token: co.token, body: { email: 'dup at c' } });
  assert.equal(bad.status, 422);
  assert.deepEqual(fieldErrors(bad), ['email:invalid_format']);
  // The same address on another client is fine.
  const d = await createClient(co.token);
  assert.equal((await api('POST', path(d.id), { token: co.token, body: { email: 'DUP@c.example' } })).status, 201);
  const none = await api('POST', path(d.id), { token: co.token, body: { first_name: 'No mail', email: '' } });
  assert.equal(none.status, 201);
});

test('contacts-1.6: contact bodies are checked field by field', async () => {
  const c = await createClient(co.token);
  const cases = [
    [{ id: 'abc' }, ['id:unknown_field']],
    [{ first_name: 3 }, ['first_name:invalid_type']],
    [{ send_email: 'no' }, ['send_email:invalid_type']],
    [{ last_name: 'x'.repeat(101) }, ['last_name:too_long']],
    [{ nickname: 'x' }, ['nickname:unknown_field']],
  ];
  for (const [body, want] of cases) {
    const r = await api('POST', path(c.id), { token: co.token, body });
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.deepEqual(fieldErrors(r), want, JSON.stringify(body));
  }
  const k = (await api('POST', path(c.id), { token: co.token, body: { first_name: 'x' } })).json;
  const empty = await api('PATCH', path(c.id, k.id), { token: co.token, body: {} });
  assert.equal(empty.status, 422);
});

test('contacts-1.7: If-Match on contacts', async () => {
  const c = await createClient(co.token, { contacts: [{ first_name: 'A' }, { first_name: 'B' }] });
  const b = c.contacts[1];
  const ok = await api('PATCH', path(c.id, b.id), { token: co.token, headers: { 'If-Match': `"${b.version}"` }, body: { phone: '+1 555 0101' } });
  assert.equal(ok.status, 200);
  const stale = await api('PATCH', path(c.id, b.id), { token: co.token, headers: { 'If-Match': `"${b.version}"` }, body: { phone: '+1 555 0102' } });
  assert.equal(stale.status, 412);
  const staleDel = await api('DELETE', path(c.id, b.id), { token: co.token, headers: { 'If-Match': `"${b.version}"` } });
  assert.equal(staleDel.status, 412);
  // A contact change is a change of the client too.
  assert.ok((await getClient(co.token, c.id)).version > c.version);
});

test('contacts-1.8: contacts of deleted clients cannot change', async () => {
  const c = await createClient(co.token, { contacts: [{ first_name: 'A' }] });
  await api('DELETE', `/api/v1/clients/${c.id}`, { token: co.token });
  assert.equal((await api('POST', path(c.id), { token: co.token, body: { first_name: 'x' } })).status, 409);
  assert.equal((await api('PATCH', path(c.id, c.contacts[0].id), { token: co.token, body: { first_name: 'x' } })).status, 409);
  assert.equal((await api('DELETE', path(c.id, c.contacts[0].id), { token: co.token })).status, 409);
});

test('contacts-1.9: another client\'s or company\'s contact is 404', async () => {
  const c = await createClient(co.token, { contacts: [{ first_name: 'A' }] });
  const d = await createClient(co.token, { contacts: [{ first_name: 'B' }] });
  assert.equal((await api('GET', path(c.id, d.contacts[0].id), { token: co.token })).status, 404);
  assert.equal((await api('PATCH', path(c.id, d.contacts[0].id), { token: co.token, body: { first_name: 'x' } })).status, 404);
  const theirs = await createClient(other.token, { contacts: [{ first_name: 'T' }] });
  assert.equal((await api('GET', path(theirs.id, theirs.contacts[0].id), { token: co.token })).status, 404);
  assert.equal((await api('DELETE', path(theirs.id, theirs.contacts[0].id), { token: co.token })).status, 404);
});

test('contacts-1.10: /contacts lists across clients, by exact email or by text', async () => {
  const tag = uid();
  const c = await createClient(co.token, { name: `Across ${tag}`, contacts: [{ first_name: 'Mia', last_name: tag, email: `mia.${tag}@across.example` }] });
  await createClient(co.token, { name: `Across2 ${tag}`, contacts: [{ first_name: 'Max', last_name: tag, email: `max.${tag}@across.example` }] });
  await createClient(other.token, { contacts: [{ first_name: 'Hidden', email: `mia.${tag}@across.example` }] });
  const byEmail = await api('GET', `/api/v1/contacts?email=${encodeURIComponent(`MIA.${tag}@ACROSS.example`)}`, { token: co.token });
  assert.equal(byEmail.status, 200);
  assert.equal(byEmail.json.data.length, 1);
  assert.equal(byEmail.json.data[0].client.id, c.id);
  assert.equal(byEmail.json.data[0].client.display_name, `Across ${tag}`);
  const byText = await api('GET', `/api/v1/contacts?q=${tag}&per_page=1`, { token: co.token });
  assert.equal(byText.json.meta.pagination.total, 2);
  assert.ok(byText.json.meta.next_cursor);
  const next = await api('GET', `/api/v1/contacts?q=${tag}&per_page=1&cursor=${byText.json.meta.next_cursor}`, { token: co.token });
  assert.equal(next.json.data.length, 1);
  assert.notEqual(next.json.data[0].id, byText.json.data[0].id);
  const bad = await api('GET', '/api/v1/contacts?mail=x', { token: co.token });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'mail');
});

test('contacts-1.11: Idempotency-Key on contact creation', async () => {
  const c = await createClient(co.token);
  const key = `k-${uid()}`;
  const a = await api('POST', path(c.id), { token: co.token, headers: { 'Idempotency-Key': key }, body: { first_name: 'Once' } });
  const b = await api('POST', path(c.id), { token: co.token, headers: { 'Idempotency-Key': key }, body: { first_name: 'Once' } });
  assert.equal(a.status, 201);
  assert.equal(b.status, 201);
  assert.equal(b.json.id, a.json.id);
  assert.equal(b.headers.get('location'), a.headers.get('location'));
  assert.equal((await getClient(co.token, c.id)).contacts.length, 1);
});
