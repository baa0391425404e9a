// The company's users (whom a client can be assigned to) and the signed-in
// user's own account: name and password (issue 11, item 9).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, fieldErrors, login } from './lib/http.mjs';
import { newCompany, newUser, setPermissions } from './lib/fixtures.mjs';
import { asOwner } from './lib/db.mjs';
import { createClient } from './lib/clients.mjs';

const co = newCompany('Users');
const other = newCompany('Users-other');
const me = (await api('GET', '/api/v1/me', { token: co.token })).json;

test('users-1.1: GET /users lists the company\'s active users with no more than id, name, email and role', async () => {
  const admin = newUser(me.company.id, 'admin');
  const gone = newUser(me.company.id, 'member');
  await asOwner((db) => db.query('UPDATE users SET is_active = false WHERE email = $1', [gone.email]));
  const r = await api('GET', '/api/v1/users', { token: co.token });
  assert.equal(r.status, 200, r.text);
  const emails = r.json.data.map((u) => u.email);
  assert.ok(emails.includes(co.email) && emails.includes(admin.email));
  assert.ok(!emails.includes(gone.email), 'inactive users are not offered');
  assert.equal(r.json.meta.pagination.total, r.json.data.length);
  for (const u of r.json.data) assert.deepEqual(Object.keys(u).sort(), ['email', 'id', 'name', 'role']);
  const owner = r.json.data.find((u) => u.email === co.email);
  assert.deepEqual([owner.id, owner.name, owner.role], [me.user.id, 'Test Owner', 'owner']);
  // Paged like every list.
  const page = await api('GET', '/api/v1/users?per_page=1&page=2', { token: co.token });
  assert.equal(page.json.data.length, 1);
  assert.equal((await api('GET', '/api/v1/users?per_page=101', { token: co.token })).status, 400);
});

test('users-1.2: (twin) only the company\'s own users, and only for those who may see clients', async () => {
  const theirs = (await api('GET', '/api/v1/users', { token: other.token })).json.data.map((u) => u.email);
  assert.deepEqual(theirs, [other.email], 'another company sees none of ours');
  const member = newUser(me.company.id, 'member');
  await setPermissions(member.email, []);
  const denied = await api('GET', '/api/v1/users', { token: member.token });
  assert.equal(denied.status, 403);
  await setPermissions(member.email, ['clients.view.own']);
  assert.equal((await api('GET', '/api/v1/users', { token: member.token })).status, 200);
  assert.equal((await api('GET', '/api/v1/users')).status, 401);
});

test('users-1.3: a listed user can be assigned to a client; another company\'s cannot', async () => {
  const admin = newUser(me.company.id, 'admin');
  const id = (await api('GET', '/api/v1/users?per_page=100', { token: co.token })).json.data.find((u) => u.email === admin.email).id;
  const c = await createClient(co.token, { assigned_user: id });
  assert.equal(c.assigned_user, id);
  const theirs = (await api('GET', '/api/v1/users', { token: other.token })).json.data[0].id;
  const r = await api('PATCH', `/api/v1/clients/${c.id}`, { token: co.token, body: { assigned_user: theirs } });
  assert.equal(r.status, 422);
  assert.deepEqual(fieldErrors(r), ['assigned_user:invalid_value']);
});

test('users-2.1: the profile is the signed-in user\'s own; the name changes with an event', async () => {
  const u = newUser(me.company.id, 'member');
  const p = await api('GET', '/api/v1/profile', { token: u.token });
  assert.equal(p.status, 200, p.text);
  assert.deepEqual([p.json.email, p.json.name, p.json.role], [u.email, '', 'member']);
  const s = await login(u.email, u.password);
  const renamed = await api('PATCH', '/api/v1/profile', { session: s, body: { name: 'Mia Member' } });
  assert.equal(renamed.status, 200, renamed.text);
  assert.equal(renamed.json.name, 'Mia Member');
  assert.equal((await api('GET', '/api/v1/me', { session: s })).json.user.name, 'Mia Member');
  const ev = await asOwner((db) => db.query("SELECT changes FROM events WHERE type = 'user.updated' AND entity_public_id = $1", [p.json.id]));
  assert.deepEqual(ev.rows.map((r) => r.changes), [{ name: { before: '', after: 'Mia Member' } }]);
  const cleared = await api('PATCH', '/api/v1/profile', { token: u.token, body: { name: null } });
  assert.equal(cleared.json.name, '');
  // Nobody else changed.
  assert.equal((await api('GET', '/api/v1/profile', { token: co.token })).json.name, 'Test Owner');
});

test('users-2.2: (twin) a bad profile change is a 422 naming the field', async () => {
  const cases = [
    [{}, ['name:required']],
    [{ name: 'x'.repeat(201) }, ['name:too_long']],
    [{ name: 7 }, ['name:invalid_type']],
    [{ name: 'A', email: 'new@x.test' }, ['email:unknown_field']],
    [{ name: 'A\u0007' }, ['name:invalid_format']],
  ];
  for (const [body, want] of cases) {
    const r = await api('PATCH', '/api/v1/profile', { token: co.token, body });
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.deepEqual(fieldErrors(r), want);
  }
  const s = await login(co.email, co.password);
  assert.equal((await api('PATCH', '/api/v1/profile', { session: s, csrf: false, body: { name: 'X' } })).status, 403, 'CSRF as for every write');
});

test('users-3.1: a password change needs the current password; other sessions end, this one stays', async () => {
  const u = newUser(me.company.id, 'admin');
  const here = await login(u.email, u.password);
  const phone = await login(u.email, u.password);
  const r = await api('POST', '/api/v1/profile/password', { session: here, body: { current_password: u.password, new_password: 'a brand new passphrase' } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { sessions_ended: 1 });
  assert.equal((await api('GET', '/api/v1/me', { session: here })).status, 200, 'the session that changed it stays');
  assert.equal((await api('GET', '/api/v1/me', { session: phone })).status, 401, 'the other one ended');
  assert.equal((await api('GET', '/api/v1/me', { token: u.token })).status, 200, 'API tokens keep working');
  assert.equal((await api('POST', '/api/v1/login', { body: { email: u.email, password: u.password } })).status, 401, 'the old password no longer works');
  await login(u.email, 'a brand new passphrase');
  const ev = await asOwner((db) => db.query("SELECT changes::text FROM events WHERE type = 'user.password_changed' ORDER BY id DESC LIMIT 1"));
  assert.doesNotMatch(ev.rows[0].changes, /passphrase|argon2/, 'the event carries no secret');
  // With a token, every session ends.
  const t = await api('POST', '/api/v1/profile/password', { token: u.token, body: { current_password: 'a brand new passphrase', new_password: 'and another one' } });
  assert.deepEqual(t.json, { sessions_ended: 2 });
  assert.equal((await api('GET', '/api/v1/me', { session: here })).status, 401);
});

test('users-3.2: (twin) a bad new password is a 422 before the current one is checked; a wrong current one is a 403', async () => {
  const u = newUser(me.company.id, 'member');
  const cases = [
    [{ current_password: u.password, new_password: 'short' }, ['new_password:too_short']],
    [{ current_password: u.password, new_password: '         ' }, ['new_password:too_short']],
    [{ current_password: u.password, new_password: 'x'.repeat(257) }, ['new_password:too_long']],
    [{ current_password: u.password, new_password: u.password }, ['new_password:invalid_value']],
    [{ new_password: 'long enough now' }, ['current_password:required']],
    [{ current_password: u.password, new_password: 'long enough now', confirm: 'x' }, ['confirm:unknown_field']],
  ];
  for (const [body, want] of cases) {
    const r = await api('POST', '/api/v1/profile/password', { token: u.token, body });
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.deepEqual(fieldErrors(r), want);
  }
  const wrong = await api('POST', '/api/v1/profile/password', { token: u.token, body: { current_password: 'not it at all', new_password: 'long enough now' } });
  assert.equal(wrong.status, 403);
  assert.equal(wrong.json.error.field, 'current_password');
  assert.equal(wrong.json.error.message, 'password is incorrect');
  await login(u.email, u.password);
  const left = await asOwner((db) => db.query('SELECT login_attempts_left($1) AS n', [u.email]));
  assert.equal(left.rows[0].n, 5, 'a login after it forgives the failure, as usual');
});

test('users-3.3: wrong current passwords are throttled like logins', async () => {
  const u = newUser(me.company.id, 'member');
  for (let i = 0; i < 5; i++) {
    const r = await api('POST', '/api/v1/profile/password', { token: u.token, body: { current_password: `wrong-${i}-password`, new_password: 'long enough now' } });
    assert.equal(r.status, 403);
  }
  const r = await api('POST', '/api/v1/profile/password', { token: u.token, body: { current_password: u.password, new_password: 'long enough now' } });
  assert.equal(r.status, 429);
  assert.ok(Number(r.headers.get('retry-after')) > 0);
  const locked = await api('POST', '/api/v1/login', { body: { email: u.email, password: u.password } });
  assert.equal(locked.status, 429, 'they count as failed logins of the account');
  await asOwner((db) => db.query('DELETE FROM login_attempts WHERE email = $1', [u.email]));
  await login(u.email, u.password);
});
