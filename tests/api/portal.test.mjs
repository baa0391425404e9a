// The client portal (issue 13): contacts' identities, invitations read
// from a real SMTP listener, reset and magic links, the client picker,
// another company's links and cookies, staff and contact credentials kept
// apart, what contacts may edit, registration, staff entering as a
// contact, the outbox and its retries, and no secret in any log line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { api, login, fieldErrors } from './lib/http.mjs';
import { newCompany, newUser, setPermissions, uid } from './lib/fixtures.mjs';
import { asOwner } from './lib/db.mjs';
import { activity, createClient } from './lib/clients.mjs';
import {
  papi, portalLogin, sessionOf, slugOf, waitForMail, mailsTo, secretsUsed,
  startSink, stopSink, testAddress, RUNDIR,
} from './lib/portal.mjs';

const PW = () => `portal-${uid()}-pw`;

async function company(label = 'Portal') {
  const co = newCompany(label);
  co.slug = await slugOf(co.token);
  co.me = (await api('GET', '/api/v1/me', { token: co.token })).json;
  secretsUsed.add(co.password);
  secretsUsed.add(co.token);
  return co;
}

async function clientWithContact(co, email = `c-${uid()}@portal.example`, extra = {}) {
  const c = await createClient(co.token, {
    contacts: [{ first_name: 'Ann', last_name: `Lee ${uid()}`, email }], ...extra,
  });
  return { client: c, contact: c.contacts[0], email };
}

async function invite(co, client, contact) {
  return api('POST', `/api/v1/clients/${client.id}/contacts/${contact.id}/invitation`, { token: co.token });
}

// Invites, reads the mail, sets a password: a signed-in contact.
async function activate(co, email) {
  const { client, contact } = await clientWithContact(co, email);
  const before = mailsTo(contact.email).length;
  const r = await invite(co, client, contact);
  assert.equal(r.status, 202, r.text);
  const mail = await waitForMail(contact.email, { n: before + 1 });
  const password = PW();
  secretsUsed.add(password);
  const s = sessionOf(await papi('POST', co.slug, '/links/redeem',
    { body: { token: mail.secret, password } }));
  return { client, contact, email: contact.email, password, s, mail };
}

async function setSettings(co, patch) {
  const r = await api('PATCH', '/api/v1/settings', { token: co.token, body: patch });
  assert.equal(r.status, 200, r.text);
}

test('portal-1.1: an invitation read from the SMTP listener sets a password, and the contact signs in', async () => {
  const co = await company();
  const { client, contact } = await clientWithContact(co);
  const r = await invite(co, client, contact);
  assert.equal(r.status, 202, r.text);
  assert.equal(r.json.portal.status, 'invited');

  const mail = await waitForMail(contact.email);
  assert.match(mail.subject, new RegExp(co.me.company.name));
  assert.match(mail.text, /72 hours/);
  assert.ok(mail.link.startsWith(`${process.env.CLIENTD_URL}/portal/${co.slug}/welcome#`), mail.link);
  assert.equal(mail.secret.length, 43);
  // The body carries the link and nothing else secret: no session, no hash.
  assert.equal((mail.text.match(/[A-Za-z0-9_-]{40,}/g) ?? []).length, 1);

  const check = await papi('POST', co.slug, '/links/check', { body: { token: mail.secret } });
  assert.equal(check.status, 200);
  assert.deepEqual([check.json.kind, check.json.needs_password], ['invitation', true]);

  const password = PW();
  secretsUsed.add(password);
  const s = sessionOf(await papi('POST', co.slug, '/links/redeem',
    { body: { token: mail.secret, password } }));
  assert.equal(s.me.contact.id, contact.id);
  assert.equal(s.me.client.id, client.id);
  assert.equal(s.me.impersonated_by, null);

  const again = await portalLogin(co.slug, contact.email.toUpperCase(), password);
  assert.equal(again.status, 200, again.text);
  assert.match(again.headers.get('set-cookie'), /Path=\/api\/v1\/portal\/; .*HttpOnly; SameSite=Lax/);

  const staff = await api('GET', `/api/v1/clients/${client.id}`, { token: co.token });
  assert.equal(staff.json.contacts[0].portal.status, 'active');
  assert.ok(staff.json.contacts[0].portal.last_login_at);
  const events = await activity(co.token, client.id);
  const set = events.find((e) => e.type === 'contact.password_set');
  assert.deepEqual([set.actor.type, set.actor.id], ['contact', contact.id]);
  const inv = events.find((e) => e.type === 'contact.invited');
  assert.equal(inv.actor.type, 'token');
});

test('portal-1.2: an invitation works once; a reused one is refused (410)', async () => {
  const co = await company();
  const a = await activate(co);
  const r = await papi('POST', co.slug, '/links/redeem', { body: { token: a.mail.secret, password: PW() } });
  assert.equal(r.status, 410);
  assert.equal(r.json.error.code, 'gone');
  // The mail in the outbox no longer holds the secret.
  const list = await api('GET', `/api/v1/mail?to=${encodeURIComponent(a.email)}`, { token: co.token });
  const full = await api('GET', `/api/v1/mail/${list.json.data[0].id}`, { token: co.token });
  assert.ok(!full.json.text.includes(a.mail.secret));
  assert.match(full.json.text, /#used/);
});

test('portal-1.3: an expired invitation is refused; a fresh one works', async () => {
  const co = await company();
  const { client, contact } = await clientWithContact(co);
  await invite(co, client, contact);
  const mail = await waitForMail(contact.email);
  await asOwner((db) => db.query(
    "UPDATE portal_links SET expires_at = now() - interval '1 second' WHERE contact_id = (SELECT id FROM client_contacts WHERE public_id = $1)",
    [contact.id]));
  assert.equal((await papi('POST', co.slug, '/links/check', { body: { token: mail.secret } })).status, 410);
  assert.equal((await papi('POST', co.slug, '/links/redeem', { body: { token: mail.secret, password: PW() } })).status, 410);
  const staff = await api('GET', `/api/v1/clients/${client.id}`, { token: co.token });
  assert.equal(staff.json.contacts[0].portal.status, 'invitation_expired');
  await invite(co, client, contact);
  const fresh = await waitForMail(contact.email, { n: 2 });
  sessionOf(await papi('POST', co.slug, '/links/redeem', { body: { token: fresh.secret, password: PW() } }));
});

test('portal-1.4: a new invitation ends the earlier one; a password that is too short is a 422', async () => {
  const co = await company();
  const { client, contact } = await clientWithContact(co);
  await invite(co, client, contact);
  const first = await waitForMail(contact.email);
  await invite(co, client, contact);
  const second = await waitForMail(contact.email, { n: 2 });
  assert.equal((await papi('POST', co.slug, '/links/redeem', { body: { token: first.secret, password: PW() } })).status, 410);
  const short = await papi('POST', co.slug, '/links/redeem', { body: { token: second.secret, password: 'short' } });
  assert.equal(short.status, 422);
  assert.deepEqual(fieldErrors(short), ['password:too_short']);
  const none = await papi('POST', co.slug, '/links/redeem', { body: { token: second.secret } });
  assert.equal(none.status, 422);
  assert.equal(none.json.error.field, 'password');
  sessionOf(await papi('POST', co.slug, '/links/redeem', { body: { token: second.secret, password: PW() } }));
});

test('portal-1.5: links keep working when the contact changes, and stop when its email changes or it is deleted', async () => {
  const co = await company();
  const { client, contact } = await clientWithContact(co);
  const two = await api('POST', `/api/v1/clients/${client.id}/contacts`, {
    token: co.token, body: { first_name: 'Bo', email: `bo-${uid()}@portal.example` } });
  await invite(co, client, contact);
  await invite(co, client, two.json);
  const m1 = await waitForMail(contact.email);
  const m2 = await waitForMail(two.json.email);
  // Other fields change: still good.
  let r = await api('PATCH', `/api/v1/clients/${client.id}/contacts/${contact.id}`, {
    token: co.token, body: { first_name: 'Annie', phone: '+1 555' } });
  assert.equal(r.status, 200);
  assert.equal((await papi('POST', co.slug, '/links/check', { body: { token: m1.secret } })).status, 200);
  // Its email changes: the link stops.
  r = await api('PATCH', `/api/v1/clients/${client.id}/contacts/${contact.id}`, {
    token: co.token, body: { email: `new-${uid()}@portal.example` } });
  assert.equal(r.status, 200);
  assert.equal((await papi('POST', co.slug, '/links/check', { body: { token: m1.secret } })).status, 410);
  // Deleted: the link stops.
  r = await api('DELETE', `/api/v1/clients/${client.id}/contacts/${two.json.id}`, { token: co.token });
  assert.equal(r.status, 204);
  assert.equal((await papi('POST', co.slug, '/links/redeem', { body: { token: m2.secret, password: PW() } })).status, 410);
});

test('portal-1.6: invitations need an email, edit rights, and a client of the company', async () => {
  const co = await company();
  const other = await company('Other');
  const c = await createClient(co.token, { contacts: [{ first_name: 'No', last_name: 'Mail' }] });
  let r = await invite(co, c, c.contacts[0]);
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'email');
  const { client, contact } = await clientWithContact(co);
  r = await api('POST', `/api/v1/clients/${client.id}/contacts/${contact.id}/invitation`, { token: other.token });
  assert.equal(r.status, 404);
  const viewer = newUser(co.me.company.id, 'member');
  await setPermissions(viewer.email, ['clients.view.all']);
  r = await api('POST', `/api/v1/clients/${client.id}/contacts/${contact.id}/invitation`, { token: viewer.token });
  assert.equal(r.status, 403);
  r = await api('POST', `/api/v1/clients/${client.id}/contacts/nosuchcontact/invitation`, { token: co.token });
  assert.equal(r.status, 404);
});

test('portal-2.1: "Forgot your password?" answers the same for known and unknown emails, and its link works once', async () => {
  const co = await company();
  const a = await activate(co);
  const ip = testAddress();
  const known = await papi('POST', co.slug, '/password-reset', { body: { email: a.email }, headers: { 'X-Forwarded-For': ip } });
  const unknown = await papi('POST', co.slug, '/password-reset', { body: { email: `nobody-${uid()}@portal.example` }, headers: { 'X-Forwarded-For': ip } });
  assert.equal(known.status, 202);
  assert.deepEqual([unknown.status, unknown.json], [known.status, known.json]);
  const mail = await waitForMail(a.email, { n: 2 });
  assert.match(mail.link, /\/reset#/);
  assert.match(mail.text, /1 hour/);
  const password = PW();
  secretsUsed.add(password);
  sessionOf(await papi('POST', co.slug, '/links/redeem', { body: { token: mail.secret, password } }));
  // The earlier session ended with the old password.
  assert.equal((await papi('GET', co.slug, '/me', { p: a.s })).status, 401);
  assert.equal((await portalLogin(co.slug, a.email, a.password)).status, 401);
  assert.equal((await portalLogin(co.slug, a.email, password)).status, 200);
  assert.equal((await papi('POST', co.slug, '/links/redeem', { body: { token: mail.secret, password: PW() } })).status, 410);
});

test('portal-2.2: reset requests are limited per email (5 an hour), whether the email is known or not', async () => {
  const co = await company();
  const email = `flood-${uid()}@portal.example`;
  for (let i = 0; i < 5; i++) {
    assert.equal((await papi('POST', co.slug, '/password-reset', { body: { email }, headers: { 'X-Forwarded-For': testAddress() } })).status, 202);
  }
  const r = await papi('POST', co.slug, '/password-reset', { body: { email }, headers: { 'X-Forwarded-For': testAddress() } });
  assert.equal(r.status, 429);
  assert.ok(Number(r.headers.get('retry-after')) > 0);
  const bad = await papi('POST', co.slug, '/password-reset', { body: { email: 'not an email' } });
  assert.equal(bad.status, 422);
});

test('portal-3.1: a magic link signs in once, takes no password, and is off when the company turns it off', async () => {
  const co = await company();
  const a = await activate(co);
  assert.equal((await papi('POST', co.slug, '/magic-link', { body: { email: a.email } })).status, 202);
  const mail = await waitForMail(a.email, { n: 2 });
  assert.match(mail.link, /\/magic#/);
  assert.match(mail.text, /10 minutes/);
  const withPw = await papi('POST', co.slug, '/links/redeem', { body: { token: mail.secret, password: PW() } });
  assert.equal(withPw.status, 422);
  const s = sessionOf(await papi('POST', co.slug, '/links/redeem', { body: { token: mail.secret } }));
  assert.equal(s.me.contact.id, a.contact.id);
  const twice = await papi('POST', co.slug, '/links/redeem', { body: { token: mail.secret } });
  assert.equal(twice.status, 410);
  await setSettings(co, { portal_magic_links: false });
  assert.equal((await papi('POST', co.slug, '/magic-link', { body: { email: a.email } })).status, 404);
  assert.equal((await papi('GET', co.slug, '')).json.magic_links, false);
});

test('portal-4.1: a contact of company A cannot use its link or cookie at company B', async () => {
  const a = await company('A');
  const b = await company('B');
  const { client, contact } = await clientWithContact(a);
  await invite(a, client, contact);
  const mail = await waitForMail(contact.email);
  assert.equal((await papi('POST', b.slug, '/links/check', { body: { token: mail.secret } })).status, 410);
  assert.equal((await papi('POST', b.slug, '/links/redeem', { body: { token: mail.secret, password: PW() } })).status, 410);
  const s = sessionOf(await papi('POST', a.slug, '/links/redeem', { body: { token: mail.secret, password: PW() } }));
  assert.equal((await papi('GET', b.slug, '/me', { p: s })).status, 401);
  assert.equal((await papi('GET', b.slug, '/client', { p: s })).status, 401);
  assert.equal((await papi('GET', b.slug, '/ledger', { p: s })).status, 401);
  assert.equal((await papi('GET', a.slug, '/me', { p: s })).status, 200);
  assert.equal((await papi('GET', 'no-such-portal', '')).status, 404);
  assert.equal((await papi('GET', 'Not_A_Slug', '')).status, 404);
});

test('portal-4.2: staff credentials are refused by the portal, a contact cookie by staff endpoints', async () => {
  const co = await company();
  const a = await activate(co);
  const staff = await login(co.email, co.password);
  let r = await api('GET', `/api/v1/portal/${co.slug}/me`, { session: staff });
  assert.equal(r.status, 401);
  r = await api('GET', `/api/v1/portal/${co.slug}/client`, { token: co.token });
  assert.equal(r.status, 401);
  // The staff cookie's value sent as a portal cookie is no portal session.
  r = await papi('GET', co.slug, '/me', { p: { cookie: staff.cookie, csrf: staff.csrf } });
  assert.equal(r.status, 401);
  // A contact's cookie on staff endpoints, by name or as a staff cookie.
  r = await api('GET', '/api/v1/clients', { headers: { Cookie: `clientd_portal=${a.s.cookie}` } });
  assert.equal(r.status, 401);
  r = await api('GET', `/api/v1/clients/${a.client.id}`, { session: { cookie: a.s.cookie, csrf: a.s.csrf } });
  assert.equal(r.status, 401);
  r = await api('GET', '/api/v1/mail', { session: { cookie: a.s.cookie } });
  assert.equal(r.status, 401);
});

test('portal-4.3: portal writes need the session\'s CSRF token; sign-out ends the session', async () => {
  const co = await company();
  const a = await activate(co);
  let r = await papi('PATCH', co.slug, '/me', { p: a.s, csrf: false, body: { phone: '1' } });
  assert.equal(r.status, 403);
  assert.equal(r.json.error.code, 'csrf_failed');
  r = await papi('POST', co.slug, '/logout', { p: a.s });
  assert.equal(r.status, 204);
  assert.equal((await papi('GET', co.slug, '/me', { p: a.s })).status, 401);
  assert.equal((await papi('POST', co.slug, '/logout', {})).status, 401);
});

test('portal-5.1: sign-in failures are limited per account; an unknown email gets the same 401', async () => {
  const co = await company();
  const a = await activate(co);
  const unknown = await portalLogin(co.slug, `nobody-${uid()}@portal.example`, 'wrong-password');
  const wrong = await portalLogin(co.slug, a.email, 'wrong-password');
  assert.deepEqual([unknown.status, unknown.json.error.message], [wrong.status, wrong.json.error.message]);
  for (let i = 0; i < 4; i++) assert.equal((await portalLogin(co.slug, a.email, 'wrong-password')).status, 401);
  const paused = await portalLogin(co.slug, a.email, a.password);
  assert.equal(paused.status, 429);
  assert.ok(Number(paused.headers.get('retry-after')) > 0);
  // Staff logins with the same address are not affected by the portal's count.
  assert.equal((await login(co.email, co.password)).res.status, 200);
  // Another account at the same portal is not paused.
  const b = await activate(co);
  assert.equal((await portalLogin(co.slug, b.email, b.password)).status, 200);
});

test('portal-5.2: the portal is off (company or client setting): 404 at the company, 403 for the client', async () => {
  const co = await company();
  const a = await activate(co);
  let r = await api('PATCH', `/api/v1/clients/${a.client.id}/settings`, { token: co.token, body: { portal_enabled: false } });
  assert.equal(r.status, 200, r.text);
  assert.equal((await portalLogin(co.slug, a.email, a.password)).status, 403);
  assert.equal((await papi('GET', co.slug, '/me', { p: a.s })).status, 401);
  r = await api('PATCH', `/api/v1/clients/${a.client.id}/settings`, { token: co.token, body: { portal_enabled: null } });
  assert.equal((await portalLogin(co.slug, a.email, a.password)).status, 200);
  await setSettings(co, { portal_enabled: false });
  assert.equal((await papi('GET', co.slug, '')).status, 404);
  assert.equal((await portalLogin(co.slug, a.email, a.password)).status, 404);
});

test('portal-6.1: a contact edits the fields the company allows; any other is a 422 naming it', async () => {
  const co = await company();
  const a = await activate(co);
  let r = await papi('PATCH', co.slug, '/client', { p: a.s, body: { address: { city: 'Hamburg' }, website: 'https://x.example' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.address.city, 'Hamburg');
  assert.equal(r.json.private_notes, undefined);
  for (const [field, value] of [['number', 'X-1'], ['private_notes', 'x'], ['group', null],
    ['contacts', []], ['assigned_user', null], ['id_number', 'x'], ['public_notes', 'x']]) {
    r = await papi('PATCH', co.slug, '/client', { p: a.s, body: { [field]: value } });
    assert.equal(r.status, 422, `${field}: ${r.text}`);
    assert.equal(r.json.error.field, field);
  }
  r = await papi('PATCH', co.slug, '/client', { p: a.s, body: { balance: '0' } });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'balance');
  await setSettings(co, { portal_client_fields: { phone: true } });
  r = await papi('PATCH', co.slug, '/client', { p: a.s, body: { address: { city: 'Bremen' } } });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'address');
  r = await papi('PATCH', co.slug, '/client', { p: a.s, body: { phone: '+49 1' } });
  assert.equal(r.status, 200);
  const ev = (await activity(co.token, a.client.id)).filter((e) => e.type === 'client.updated');
  assert.equal(ev.length, 2);
  assert.deepEqual([ev[0].actor.type, ev[0].actor.id, ev[0].actor.impersonated_by], ['contact', a.contact.id, null]);
  assert.deepEqual(ev[1].changes.address.after.city, 'Hamburg');
  const bad = await api('PATCH', '/api/v1/settings', { token: co.token, body: { portal_client_fields: { number: true } } });
  assert.equal(bad.status, 422);
});

test('portal-6.2: a contact changes its own name and phone, never its email; and its password with the current one', async () => {
  const co = await company();
  const a = await activate(co);
  let r = await papi('PATCH', co.slug, '/me', { p: a.s, body: { first_name: 'Annabel', phone: '+44 1' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.contact.first_name, 'Annabel');
  r = await papi('PATCH', co.slug, '/me', { p: a.s, body: { email: 'x@y.example' } });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'email');
  r = await papi('PATCH', co.slug, '/me', { p: a.s, body: { is_primary: false } });
  assert.equal(r.json.error.field, 'is_primary');
  const ev = (await activity(co.token, a.client.id)).find((e) => e.type === 'contact.updated');
  assert.deepEqual([ev.actor.type, ev.changes.first_name.after], ['contact', 'Annabel']);

  r = await papi('POST', co.slug, '/me/password', { p: a.s, body: { current_password: 'wrong-one-1', password: PW() } });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'current_password');
  const other = sessionOf(await portalLogin(co.slug, a.email, a.password));
  const next = PW();
  secretsUsed.add(next);
  r = await papi('POST', co.slug, '/me/password', { p: a.s, body: { current_password: a.password, password: next } });
  assert.equal(r.status, 204, r.text);
  assert.equal((await papi('GET', co.slug, '/me', { p: a.s })).status, 200);
  assert.equal((await papi('GET', co.slug, '/me', { p: other })).status, 401);
  assert.equal((await portalLogin(co.slug, a.email, next)).status, 200);
});

test('portal-6.3: the contact reads its balance, its ledger and its statement, of its own client only', async () => {
  const co = await company();
  const a = await activate(co);
  const post = (id, body) => api('POST', `/api/v1/clients/${id}/ledger`, {
    token: co.token, body, headers: { 'Idempotency-Key': uid() } });
  assert.equal((await post(a.client.id, { kind: 'invoice', amount: '120.00', reference: 'INV-1' })).status, 201);
  assert.equal((await post(a.client.id, { kind: 'payment', amount: '-20.00', reference: 'PAY-1' })).status, 201);
  const stranger = await clientWithContact(co);
  assert.equal((await post(stranger.client.id, { kind: 'invoice', amount: '999.00', reference: 'SECRET-INV' })).status, 201);

  const c = await papi('GET', co.slug, '/client', { p: a.s });
  assert.deepEqual([c.json.balance, c.json.paid_to_date], ['100.00', '20.00']);
  const l = await papi('GET', co.slug, '/ledger?per_page=5', { p: a.s });
  assert.equal(l.status, 200);
  assert.deepEqual(l.json.data.map((e) => e.reference), ['PAY-1', 'INV-1']);
  const st = await papi('GET', co.slug, '/statement', { p: a.s });
  assert.equal(st.status, 200);
  assert.match(st.headers.get('content-type'), /text\/csv/);
  assert.match(st.text, /INV-1/);
  assert.ok(!st.text.includes('SECRET-INV'));
  assert.equal((await papi('GET', co.slug, '/ledger?client=' + stranger.client.id, { p: a.s })).status, 400);
  assert.equal((await papi('GET', co.slug, '/ledger?from=not-a-date', { p: a.s })).status, 400);
});

test('portal-6.4: a contact of several clients picks the client; never one of another email', async () => {
  const co = await company();
  const a = await activate(co);
  const second = await createClient(co.token, { name: `Zeta ${uid()}`, contacts: [{ first_name: 'Ann', email: a.email.toUpperCase() }] });
  const stranger = await clientWithContact(co);
  const s = sessionOf(await portalLogin(co.slug, a.email, a.password));
  assert.equal(s.me.clients.length, 2);
  let r = await papi('POST', co.slug, '/select', { p: s, body: { client: second.id } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.client.id, second.id);
  assert.equal((await papi('GET', co.slug, '/client', { p: s })).json.id, second.id);
  r = await papi('POST', co.slug, '/select', { p: s, body: { client: stranger.client.id } });
  assert.equal(r.status, 404);
  r = await papi('POST', co.slug, '/select', { p: s, body: {} });
  assert.equal(r.status, 422);
  // An archived client leaves the picker.
  await api('POST', `/api/v1/clients/${second.id}/archive`, { token: co.token });
  assert.equal((await papi('GET', co.slug, '/me', { p: s })).status, 401);
  const again = sessionOf(await portalLogin(co.slug, a.email, a.password));
  assert.deepEqual(again.me.clients.map((c) => c.id), [a.client.id]);
});

test('portal-7.1: registration is a 404 while the company does not take it', async () => {
  const co = await company();
  const r = await papi('POST', co.slug, '/register', { body: { email: `r-${uid()}@portal.example`, password: PW(), first_name: 'R', last_name: 'S' } });
  assert.equal(r.status, 404);
  assert.equal((await papi('GET', co.slug, '')).json.registration, false);
});

test('portal-7.2: a registration creates a numbered client and its contact; its link confirms and signs in', async () => {
  const co = await company();
  await setSettings(co, { portal_registration: true, client_number_pattern: 'R-{$counter}' });
  const email = `reg-${uid()}@portal.example`;
  const password = PW();
  secretsUsed.add(password);
  const r = await papi('POST', co.slug, '/register', {
    body: { email, password, first_name: 'Reg', last_name: 'Istrant', name: 'Reg Ltd' },
    headers: { 'X-Forwarded-For': testAddress() } });
  assert.equal(r.status, 202, r.text);
  const list = await api('GET', `/api/v1/clients?q=${encodeURIComponent(email)}`, { token: co.token });
  assert.equal(list.json.data.length, 1);
  const c = list.json.data[0];
  assert.match(c.number, /^R-\d+$/);
  assert.equal(c.status, 'active');
  const ev = await activity(co.token, c.id);
  assert.deepEqual(ev.map((e) => e.type), ['client.created']);
  assert.match(ev[0].actor.name, /portal registration/);
  // Not signed in until the address is confirmed.
  assert.equal((await portalLogin(co.slug, email, password)).status, 401);
  const mail = await waitForMail(email);
  assert.match(mail.link, /\/confirm#/);
  const s = sessionOf(await papi('POST', co.slug, '/links/redeem', { body: { token: mail.secret } }));
  assert.equal(s.me.client.id, c.id);
  assert.equal((await portalLogin(co.slug, email, password)).status, 200);
});

test('portal-7.3: an email the company already has is answered like a new one, and its owner gets a mail', async () => {
  const co = await company();
  await setSettings(co, { portal_registration: true });
  const existing = await clientWithContact(co);
  const fresh = `fresh-${uid()}@portal.example`;
  const body = (email) => ({ email, password: PW(), first_name: 'X', last_name: 'Y' });
  const a = await papi('POST', co.slug, '/register', { body: body(existing.email.toUpperCase()), headers: { 'X-Forwarded-For': testAddress() } });
  const b = await papi('POST', co.slug, '/register', { body: body(fresh), headers: { 'X-Forwarded-For': testAddress() } });
  assert.deepEqual([a.status, a.json], [b.status, b.json]);
  const total = await api('GET', '/api/v1/clients', { token: co.token });
  assert.equal(total.json.meta.pagination.total, 2, 'only the fresh registration made a client');
  const mail = await waitForMail(existing.email);
  assert.match(mail.subject, /already have an account/);
  assert.match(mail.link, new RegExp(`/portal/${co.slug}/login$`));
  assert.equal(mail.secret, undefined);
});

test('portal-7.4: registration fields follow the setting; a filled honeypot registers nothing', async () => {
  const co = await company();
  await setSettings(co, { portal_registration: true });
  const ip = () => ({ 'X-Forwarded-For': testAddress() });
  let r = await papi('POST', co.slug, '/register', { body: { email: `f-${uid()}@portal.example`, password: PW(), first_name: 'F' }, headers: ip() });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'last_name');
  r = await papi('POST', co.slug, '/register', { body: { email: `f-${uid()}@portal.example`, password: PW(), first_name: 'F', last_name: 'G', vat_number: 'DE1' }, headers: ip() });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'vat_number');
  r = await papi('POST', co.slug, '/register', { body: { email: `f-${uid()}@portal.example`, password: 'short', first_name: 'F', last_name: 'G' }, headers: ip() });
  assert.deepEqual(fieldErrors(r), ['password:too_short']);
  r = await papi('POST', co.slug, '/register', { body: { email: `f-${uid()}@portal.example`, password: PW(), first_name: 'F', last_name: 'G', colour: 'red' }, headers: ip() });
  assert.equal(r.json.error.field, 'colour');
  const bot = `bot-${uid()}@portal.example`;
  const real = await papi('POST', co.slug, '/register', { body: { email: `h-${uid()}@portal.example`, password: PW(), first_name: 'F', last_name: 'G' }, headers: ip() });
  r = await papi('POST', co.slug, '/register', { body: { email: bot, password: PW(), first_name: 'B', last_name: 'O', homepage: 'http://spam.example' }, headers: ip() });
  assert.deepEqual([r.status, r.json], [real.status, real.json]);
  const found = await api('GET', `/api/v1/clients?q=${encodeURIComponent(bot)}`, { token: co.token });
  assert.equal(found.json.data.length, 0);
  await setSettings(co, { portal_registration_fields: { first_name: { required: true, visible: true }, vat_number: { required: true, visible: true } } });
  r = await papi('POST', co.slug, '/register', { body: { email: `v-${uid()}@portal.example`, password: PW(), first_name: 'F' }, headers: ip() });
  assert.equal(r.json.error.field, 'vat_number');
  r = await papi('POST', co.slug, '/register', { body: { email: `v-${uid()}@portal.example`, password: PW(), first_name: 'F', vat_number: 'DE9' }, headers: ip() });
  assert.equal(r.status, 202);
});

test('portal-7.5: registrations are limited per address (5 an hour)', async () => {
  const co = await company();
  await setSettings(co, { portal_registration: true });
  const ip = testAddress();
  for (let i = 0; i < 5; i++) {
    const r = await papi('POST', co.slug, '/register', { body: { email: `t-${uid()}@portal.example`, password: PW(), first_name: 'T', last_name: 'U' }, headers: { 'X-Forwarded-For': ip } });
    assert.equal(r.status, 202, r.text);
  }
  const r = await papi('POST', co.slug, '/register', { body: { email: `t-${uid()}@portal.example`, password: PW(), first_name: 'T', last_name: 'U' }, headers: { 'X-Forwarded-For': ip } });
  assert.equal(r.status, 429);
  const elsewhere = await papi('POST', co.slug, '/register', { body: { email: `t-${uid()}@portal.example`, password: PW(), first_name: 'T', last_name: 'U' }, headers: { 'X-Forwarded-For': testAddress() } });
  assert.equal(elsewhere.status, 202);
});

test('portal-7.6: with approval, a registration waits archived until staff restore it', async () => {
  const co = await company();
  await setSettings(co, { portal_registration: true, portal_registration_approval: true });
  const email = `appr-${uid()}@portal.example`;
  const password = PW();
  secretsUsed.add(password);
  await papi('POST', co.slug, '/register', { body: { email, password, first_name: 'Ap', last_name: 'Proval' }, headers: { 'X-Forwarded-For': testAddress() } });
  const c = (await api('GET', `/api/v1/clients?status=archived&q=${encodeURIComponent(email)}`, { token: co.token })).json.data[0];
  assert.deepEqual([c.status, c.awaiting_approval], ['archived', true]);
  const mail = await waitForMail(email);
  const r = await papi('POST', co.slug, '/links/redeem', { body: { token: mail.secret } });
  assert.equal(r.status, 403);
  const restored = await api('POST', `/api/v1/clients/${c.id}/restore`, { token: co.token });
  assert.deepEqual([restored.json.status, restored.json.awaiting_approval], ['active', false]);
  // The rejected redemption did not use the link.
  sessionOf(await papi('POST', co.slug, '/links/redeem', { body: { token: mail.secret } }));
});

test('portal-8.1: staff enter the portal as a contact with a 60-second link that works once, recorded and attributed to both', async () => {
  const co = await company();
  const { client, contact } = await clientWithContact(co);
  const staff = await login(co.email, co.password);
  let r = await api('POST', `/api/v1/clients/${client.id}/contacts/${contact.id}/portal-link`, { session: staff });
  assert.equal(r.status, 201, r.text);
  assert.match(r.json.path, new RegExp(`^/portal/${co.slug}/enter#[A-Za-z0-9_-]{43}$`));
  const secret = r.json.path.split('#')[1];
  secretsUsed.add(secret);
  const s = sessionOf(await papi('POST', co.slug, '/links/redeem', { body: { token: secret } }));
  assert.equal(s.me.impersonated_by.name, 'Test Owner');
  assert.equal(s.me.contact.id, contact.id);
  const reused = await papi('POST', co.slug, '/links/redeem', { body: { token: secret } });
  assert.equal(reused.status, 410);

  r = await papi('PATCH', co.slug, '/client', { p: s, body: { address: { city: 'Impersonated' } } });
  assert.equal(r.status, 200);
  r = await papi('POST', co.slug, '/me/password', { p: s, body: { current_password: 'x', password: PW() } });
  assert.notEqual(r.status, 204);
  const events = await activity(co.token, client.id);
  const entered = events.filter((e) => e.type === 'contact.portal_entered');
  assert.equal(entered.length, 1, 'recorded once');
  assert.deepEqual([entered[0].actor.type, entered[0].actor.name], ['user', 'Test Owner']);
  const upd = events.find((e) => e.type === 'client.updated');
  assert.deepEqual([upd.actor.type, upd.actor.id], ['contact', contact.id]);
  assert.deepEqual(upd.actor.impersonated_by.name, 'Test Owner');
});

test('portal-8.2: a staff portal link expires after 60 seconds and needs edit rights', async () => {
  const co = await company();
  const { client, contact } = await clientWithContact(co);
  let r = await api('POST', `/api/v1/clients/${client.id}/contacts/${contact.id}/portal-link`, { token: co.token });
  const secret = r.json.path.split('#')[1];
  secretsUsed.add(secret);
  assert.ok(new Date(r.json.expires_at) - Date.now() <= 61000);
  await asOwner((db) => db.query("UPDATE portal_links SET expires_at = now() WHERE kind = 'impersonation' AND contact_id = (SELECT id FROM client_contacts WHERE public_id = $1)", [contact.id]));
  assert.equal((await papi('POST', co.slug, '/links/redeem', { body: { token: secret } })).status, 410);
  const viewer = newUser(co.me.company.id, 'member');
  await setPermissions(viewer.email, ['clients.view.all']);
  r = await api('POST', `/api/v1/clients/${client.id}/contacts/${contact.id}/portal-link`, { token: viewer.token });
  assert.equal(r.status, 403);
  await api('POST', `/api/v1/clients/${client.id}/archive`, { token: co.token });
  r = await api('POST', `/api/v1/clients/${client.id}/contacts/${contact.id}/portal-link`, { token: co.token });
  assert.equal(r.status, 409);
});

test('portal-9.1: the outbox lists mail for admins, with its body and attempts', async () => {
  const co = await company();
  const a = await activate(co);
  const list = await api('GET', '/api/v1/mail', { token: co.token });
  assert.equal(list.status, 200);
  assert.equal(list.json.data[0].kind, 'invitation');
  assert.equal(list.json.data[0].status, 'sent');
  const one = await api('GET', `/api/v1/mail/${list.json.data[0].id}`, { token: co.token });
  assert.equal(one.json.attempt_log.length, 1);
  assert.equal(one.json.attempt_log[0].ok, true);
  assert.match(one.json.text, /Hello Ann/);
  const member = newUser(co.me.company.id, 'member');
  assert.equal((await api('GET', '/api/v1/mail', { token: member.token })).status, 403);
  assert.equal((await api('GET', '/api/v1/mail?status=lost', { token: co.token })).status, 400);
  const other = await company('Other');
  assert.equal((await api('GET', `/api/v1/mail/${list.json.data[0].id}`, { token: other.token })).status, 404);
  assert.equal((await api('GET', `/api/v1/mail?status=sent&to=${encodeURIComponent(a.email)}`, { token: co.token })).json.data.length, 1);
});

test('portal-9.2: while the SMTP listener is down the worker retries, and delivers once when it is back; a day-old mail is given up', async () => {
  const co = await company();
  const { client, contact } = await clientWithContact(co);
  const old = await clientWithContact(co);
  await stopSink();
  try {
    await invite(co, client, contact);
    await invite(co, old.client, old.contact);
    await asOwner((db) => db.query(
      "UPDATE mail_outbox SET created_at = now() - interval '25 hours' WHERE to_address = $1", [old.email]));
    let m;
    for (let i = 0; i < 100; i++) {
      m = (await api('GET', `/api/v1/mail?to=${encodeURIComponent(contact.email)}`, { token: co.token })).json.data[0];
      if (m.attempts >= 2) break;
      await sleep(200);
    }
    assert.ok(m.attempts >= 2, `retried: ${JSON.stringify(m)}`);
    assert.equal(m.status, 'queued');
    assert.match(m.last_error, /connect|Couldn't|refused/i);
    // The day-old mail's one attempt may come after the other's second
    // (the worker takes due mail in its own order): wait for it too.
    let gaveUp;
    for (let i = 0; i < 100; i++) {
      gaveUp = (await api('GET', `/api/v1/mail?to=${encodeURIComponent(old.email)}`, { token: co.token })).json.data[0];
      if (gaveUp.status !== 'queued') break;
      await sleep(200);
    }
    assert.equal(gaveUp.status, 'failed', JSON.stringify(gaveUp));
    assert.match(gaveUp.last_error, /connect|Couldn't|refused/i);
  } finally {
    await startSink();
  }
  const mail = await waitForMail(contact.email, { ms: 30000 });
  assert.ok(mail.secret);
  await sleep(2500);
  assert.equal(mailsTo(contact.email).length, 1, 'delivered once');
  assert.equal(mailsTo(old.email).length, 0, 'a failed mail is not sent');
  const m = (await api('GET', `/api/v1/mail?to=${encodeURIComponent(contact.email)}`, { token: co.token })).json.data[0];
  assert.equal(m.status, 'sent');
  const full = await api('GET', `/api/v1/mail/${m.id}`, { token: co.token });
  assert.ok(full.json.attempt_log.length >= 3);
  assert.deepEqual(full.json.attempt_log.map((x) => x.ok).slice(-1), [true]);
  assert.ok(full.json.attempt_log.slice(0, -1).every((x) => !x.ok && x.error));
});

test('portal-9.3: no password, token, cookie or link secret of these tests is in any line of the daemon\'s or the worker\'s log', async () => {
  assert.ok(RUNDIR, 'CLIENTD_RUNDIR is set by the stack');
  await sleep(500);
  const logs = ['clientd.log', 'worker.log'].map((f) => readFileSync(join(RUNDIR, f), 'utf8'));
  assert.ok(secretsUsed.size > 20, `secrets collected: ${secretsUsed.size}`);
  for (const s of secretsUsed) {
    if (!s) continue;
    for (const log of logs) assert.ok(!log.includes(s), `a secret is in a log line: ${s.slice(0, 6)}…`);
  }
  // The request log does have the portal's lines (the check looked at them).
  assert.match(logs[0], /"route":"redeemPortalLink"/);
});
