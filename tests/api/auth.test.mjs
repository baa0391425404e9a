// Login, sessions, CSRF, logout and throttling (issue 2, item 5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, cookieFrom, fieldErrors, login } from './lib/http.mjs';
import { newCompany, uid } from './lib/fixtures.mjs';

test('auth-1.1: the demo owner logs in with the documented password', async () => {
  const r = await api('POST', '/api/v1/login', {
    body: { email: 'owner@demo.test', password: 'clientd-demo' },
    headers: { 'X-Forwarded-For': '198.51.100.1' },
  });
  assert.equal(r.status, 200);
  assert.equal(r.json.company.name, 'Demo Company');
  assert.equal(r.json.user.role, 'owner');
  assert.equal(r.json.auth.method, 'session');
  assert.ok(r.json.auth.csrf_token);
});

test('auth-1.2: the session cookie is HttpOnly, SameSite=Lax, not Secure on plain HTTP', async () => {
  const co = newCompany('Auth');
  const r = await api('POST', '/api/v1/login', { body: { email: co.email, password: co.password } });
  const set = r.headers.get('set-cookie');
  assert.match(set, /^clientd_session=[A-Za-z0-9_-]{43}; /);
  assert.match(set, /HttpOnly/);
  assert.match(set, /SameSite=Lax/);
  assert.match(set, /Path=\//);
  assert.doesNotMatch(set, /Secure/);
  assert.doesNotMatch(set, /Domain=/);
});

test('auth-1.3: behind a TLS proxy the cookie is Secure', async () => {
  const co = newCompany('Auth');
  const r = await api('POST', '/api/v1/login', {
    body: { email: co.email, password: co.password },
    headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.9' },
  });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('set-cookie'), /; Secure/);
});

test('auth-1.4: wrong password and unknown email get the same 401', async () => {
  const co = newCompany('Auth');
  const wrong = await api('POST', '/api/v1/login', { body: { email: co.email, password: 'not-it-at-all' } });
  const unknown = await api('POST', '/api/v1/login', { body: { email: `nobody-${uid()}@test.example`, password: 'whatever1' } });
  assert.equal(wrong.status, 401);
  assert.equal(unknown.status, 401);
  assert.equal(wrong.json.error.message, unknown.json.error.message);
  assert.equal(wrong.headers.get('set-cookie'), null);
});

test('auth-1.5: email is matched case-insensitively', async () => {
  const co = newCompany('Auth');
  const s = await login(co.email.toUpperCase(), co.password);
  assert.equal(s.me.user.email, co.email);
});

test('auth-1.6: login validates its body', async () => {
  const r = await api('POST', '/api/v1/login', { body: { email: 'not-an-email', password: 'x' } });
  assert.equal(r.status, 422);
  assert.deepEqual(fieldErrors(r), ['email:invalid_format']);
  const r2 = await api('POST', '/api/v1/login', { body: { email: 'a@b.example' } });
  assert.deepEqual(fieldErrors(r2), ['password:required']);
  const r3 = await api('POST', '/api/v1/login', { body: { email: 'a@b.example', password: 'x', remember: true } });
  assert.deepEqual(fieldErrors(r3), ['remember:unknown_field']);
});

test('auth-1.7: /me works with the cookie and with a token in either header', async () => {
  const co = newCompany('Auth');
  const s = await login(co.email, co.password);
  const bySession = await api('GET', '/api/v1/me', { session: s });
  assert.equal(bySession.status, 200);
  assert.equal(bySession.json.auth.method, 'session');
  assert.equal(bySession.json.auth.csrf_token, s.csrf);
  const byToken = await api('GET', '/api/v1/me', { token: co.token });
  assert.equal(byToken.json.auth.method, 'token');
  assert.equal(byToken.json.auth.csrf_token, null);
  assert.ok(byToken.json.auth.token_id);
  const byBearer = await api('GET', '/api/v1/me', { bearer: co.token });
  assert.equal(byBearer.json.user.email, co.email);
});

test('auth-1.8: cookie-authenticated writes need the CSRF token', async () => {
  const co = newCompany('Auth');
  const s = await login(co.email, co.password);
  const without = await api('POST', '/api/v1/tokens', { session: s, csrf: false, body: { name: 'x' } });
  assert.equal(without.status, 403);
  assert.equal(without.json.error.code, 'csrf_failed');
  const wrong = await api('POST', '/api/v1/tokens', {
    session: { cookie: s.cookie, csrf: 'A'.repeat(43) }, body: { name: 'x' },
  });
  assert.equal(wrong.status, 403);
  const ok = await api('POST', '/api/v1/tokens', { session: s, body: { name: 'x' } });
  assert.equal(ok.status, 201);
  // Token-authenticated writes need no CSRF token: tokens are not ambient.
  const byToken = await api('POST', '/api/v1/clients', { token: co.token, body: { name: 'y' } });
  assert.equal(byToken.status, 201);
});

test('auth-1.9: logout ends the session for good and clears the cookie', async () => {
  const co = newCompany('Auth');
  const s = await login(co.email, co.password);
  const noCsrf = await api('POST', '/api/v1/logout', { session: s, csrf: false });
  assert.equal(noCsrf.status, 403);
  const out = await api('POST', '/api/v1/logout', { session: s });
  assert.equal(out.status, 204);
  assert.match(out.headers.get('set-cookie'), /clientd_session=; .*Max-Age=0/);
  const after = await api('GET', '/api/v1/me', { session: s });
  assert.equal(after.status, 401);
  const tokenLogout = await api('POST', '/api/v1/logout', { token: co.token });
  assert.equal(tokenLogout.status, 400);
  assert.equal((await api('POST', '/api/v1/logout')).status, 401);
});

test('auth-1.10: five failures lock the account with 429 and Retry-After, even for the right password', async () => {
  const co = newCompany('Throttle');
  for (let i = 0; i < 5; i++) {
    const r = await api('POST', '/api/v1/login', {
      body: { email: co.email, password: `wrong-${i}-password` },
      headers: { 'X-Forwarded-For': `192.0.2.${10 + i}` },
    });
    assert.equal(r.status, 401);
  }
  const locked = await api('POST', '/api/v1/login', {
    body: { email: co.email, password: co.password }, headers: { 'X-Forwarded-For': '192.0.2.99' },
  });
  assert.equal(locked.status, 429);
  assert.equal(locked.json.error.code, 'too_many_requests');
  const retry = Number(locked.headers.get('retry-after'));
  assert.ok(retry > 0 && retry <= 900, `Retry-After ${retry}`);
  // The throttle is per account: another account from that address is fine.
  const other = newCompany('Throttle');
  await login(other.email, other.password, { 'X-Forwarded-For': '192.0.2.99' });
});

test('auth-1.11: thirty failures from one address lock that address for every account', async () => {
  const ip = `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
  for (let i = 0; i < 30; i++) {
    const r = await api('POST', '/api/v1/login', {
      body: { email: `spray-${uid()}@test.example`, password: 'guess-guess' },
      headers: { 'X-Forwarded-For': ip },
    });
    assert.equal(r.status, 401, `attempt ${i}`);
  }
  const co = newCompany('Throttle');
  const r = await api('POST', '/api/v1/login', {
    body: { email: co.email, password: co.password }, headers: { 'X-Forwarded-For': ip },
  });
  assert.equal(r.status, 429);
  assert.ok(Number(r.headers.get('retry-after')) > 0);
  await login(co.email, co.password, { 'X-Forwarded-For': '198.19.0.1' });
});

test('auth-1.12: a successful login resets the account failure count', async () => {
  const co = newCompany('Throttle');
  for (let i = 0; i < 4; i++) {
    await api('POST', '/api/v1/login', { body: { email: co.email, password: 'nope-nope-nope' } });
  }
  await login(co.email, co.password);
  for (let i = 0; i < 4; i++) {
    const r = await api('POST', '/api/v1/login', { body: { email: co.email, password: 'nope-nope-nope' } });
    assert.equal(r.status, 401);
  }
  await login(co.email, co.password);
});

test('auth-1.13: a forged session cookie is refused', async () => {
  const r = await api('GET', '/api/v1/me', { session: { cookie: 'x'.repeat(43) } });
  assert.equal(r.status, 401);
  const s = cookieFrom({ headers: new Headers() });
  assert.equal(s, undefined);
});
