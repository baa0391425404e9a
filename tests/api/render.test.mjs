// The daemon writes the JSON of GET /clients and GET /clients/{id} itself
// from columns (issue 12: core/render.c, the tables in api_clients.c), while
// events, webhooks and the other endpoints take it from SQL
// (client_row_json(), client_full_json(), contact_json()). Both must say
// the same: these tests render clients in every state through the API and
// through SQL and compare them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api } from './lib/http.mjs';
import { newCompany, uid } from './lib/fixtures.mjs';
import { asOwner } from './lib/db.mjs';

const co = newCompany('Render');

async function ok(method, path, body, status = 200) {
  const r = await api(method, path, { token: co.token, body, headers: method === 'POST' ? { 'Idempotency-Key': randomUUID() } : {} });
  assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
  return r.json;
}

// What SQL says about client id: client_json() (a list's item) and
// client_full_json() (GET /clients/{id}).
async function fromSql(id) {
  return asOwner(async (db) => {
    const r = await db.query(`SELECT client_json(c) AS item, client_full_json(c) AS full
      FROM clients c WHERE c.public_id = $1`, [id]);
    return r.rows[0];
  });
}

async function listItem(id, query = '') {
  const page = await ok('GET', `/api/v1/clients?per_page=100${query}`);
  return page.data.find((c) => c.id === id);
}

// A contact with every portal state: an account with a password and a
// login, an open invitation, an expired one, a used one, none.
async function portalStates(contacts) {
  const [active, invited, expired, used] = contacts;
  await asOwner(async (db) => {
    const k = async (id) => (await db.query(
      'SELECT id, company_id, lower(email) AS email FROM client_contacts WHERE public_id = $1', [id])).rows[0];
    const a = await k(active.id);
    await db.query(`INSERT INTO portal_accounts (company_id, email, password_hash, password_set_at, last_login_at)
      VALUES ($1, $2, '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g', now() - interval '2 days', '2026-01-02 03:04:05.6+00')`,
    [a.company_id, a.email]);
    const link = async (id, created, expires, usedAt) => {
      const c = await k(id);
      await db.query(`INSERT INTO portal_links (company_id, contact_id, email, kind, secret_hash, created_at, expires_at, used_at)
        VALUES ($1, $2, $3, 'invitation', sha256(convert_to($4, 'UTF8')), $5, $6, $7)`,
      [c.company_id, c.id, c.email, randomUUID(), created, expires, usedAt]);
    };
    await link(invited.id, '2026-02-01 10:00:00+00', '2099-01-01 00:00:00+00', null);
    await link(expired.id, '2025-02-01 10:00:00.123+00', '2025-02-08 10:00:00+00', null);
    await link(used.id, '2026-02-01 10:00:00+00', '2026-02-08 10:00:00+00', '2026-02-02 11:00:00+00');
    // An older invitation of the invited contact does not count.
    await link(invited.id, '2025-01-01 10:00:00+00', '2025-01-08 10:00:00+00', null);
  });
}

test('render-1.1: a client with every field, contacts in every portal state, a group, an assigned user and money: the API and SQL agree', async () => {
  const group = await ok('POST', '/api/v1/groups', { name: `Render ${uid()}`, settings: { currency: 'JPY' } }, 201);
  const me = await ok('GET', '/api/v1/me');
  const c = await ok('POST', '/api/v1/clients', {
    name: 'Ünïcode "Quoted" \\ Client', number: `R-${uid()}`, website: 'https://render.example',
    phone: '+49 30 1234567', vat_number: 'DE123456789', id_number: 'HRB 1',
    address: { address1: 'Line 1', address2: 'Line 2', city: 'Köln', state: 'NRW', postal_code: '50667', country: 'DE' },
    shipping_address: { address1: 'Dock 4', city: 'Hamburg', country: 'DE' },
    public_notes: 'Public <b>', private_notes: 'Private 😀', custom_value1: 'a', custom_value2: 'b', custom_value3: '', custom_value4: 'd',
    group: group.id, assigned_user: me.user.id,
    contacts: [
      { first_name: 'Ann', last_name: 'Active', email: `ann-${uid()}@render.example`, is_primary: true },
      { first_name: 'Ivo', last_name: 'Invited', email: `ivo-${uid()}@render.example`, custom_value1: 'x' },
      { first_name: 'Eve', last_name: 'Expired', email: `eve-${uid()}@render.example`, send_email: false },
      { first_name: 'Uma', last_name: 'Used', email: `uma-${uid()}@render.example` },
      { first_name: 'Nia', last_name: 'None', email: '', phone: '+1 555 0100' },
    ],
  }, 201);
  await portalStates(c.contacts);
  await ok('POST', `/api/v1/clients/${c.id}/ledger`, { kind: 'invoice', amount: '1234', reference: 'Invoice 1' }, 201);

  const sql = await fromSql(c.id);
  const full = await ok('GET', `/api/v1/clients/${c.id}`);
  assert.deepEqual(full, sql.full, 'GET /clients/{id} is client_full_json()');
  assert.deepEqual(full.contacts.map((k) => k.portal.status), ['active', 'invited', 'invitation_expired', 'invitation_expired', 'not_invited'],
    'each portal state is there (an invitation used without setting a password is over, as an expired one)');
  assert.equal(full.contacts[0].portal.last_login_at, '2026-01-02T03:04:05.600000Z');
  assert.equal(full.contacts[2].portal.invited_at, '2025-02-01T10:00:00.123000Z');
  assert.equal(full.currency, 'JPY');
  assert.equal(full.balance, '1234');
  assert.equal(full.counts.ledger_entries, 1);
  const item = await listItem(c.id);
  assert.deepEqual(item, sql.item, 'its item in GET /clients is client_json()');
  assert.deepEqual(await listItem(c.id, `&q=${encodeURIComponent('Quoted')}`), sql.item, 'and in a search');
});

test('render-1.2: (twin) a bare client: no contacts, no group, archived, then deleted: nulls where SQL has them', async () => {
  const c = await ok('POST', '/api/v1/clients', { name: `Bare ${uid()}` }, 201);
  for (const [method, path, status] of [['POST', '/archive', 'archived'], ['DELETE', '', 'deleted']]) {
    await ok(method, `/api/v1/clients/${c.id}${path}`);
    const sql = await fromSql(c.id);
    const full = await ok('GET', `/api/v1/clients/${c.id}`);
    assert.deepEqual(full, sql.full, `GET /clients/{id} is client_full_json() when ${status}`);
    assert.equal(full.primary_contact, null);
    assert.deepEqual(full.contacts, []);
    assert.equal(full.status, status);
    assert.deepEqual(await listItem(c.id, `&status=${status}`), sql.item, `the list's item is client_json() when ${status}`);
  }
});

test('render-1.3: (twin) an id that is not a client, or is another company\'s, is the same 404 as before', async () => {
  const other = newCompany('Render other');
  const theirs = (await api('POST', '/api/v1/clients', { token: other.token, body: { name: 'Theirs' }, headers: { 'Idempotency-Key': randomUUID() } })).json;
  for (const id of ['nope', theirs.id]) {
    const r = await api('GET', `/api/v1/clients/${id}`, { token: co.token });
    assert.equal(r.status, 404, r.text);
    assert.equal(r.json.error.code, 'not_found');
    assert.equal(r.json.error.message, 'client not found');
    assert.equal(r.json.error.detail, `No client has the id "${id}".`);
  }
});
