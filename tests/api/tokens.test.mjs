// API tokens: shown once, listed by prefix, revoked at once (issue 2, item 5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, fieldErrors, login } from './lib/http.mjs';
import { newCompany, newUser, setPermissions, tokenMaker } from './lib/fixtures.mjs';
import { asOwner } from './lib/db.mjs';

test('tokens-1.1: a new token is returned once, then listed by its prefix only', async () => {
  const co = await tokenMaker('Tokens');
  const r = await api('POST', '/api/v1/tokens', { token: co.token, body: { name: 'zapier' } });
  assert.equal(r.status, 201);
  assert.match(r.json.token, /^cdt_[A-Za-z0-9_-]{43}$/);
  assert.equal(r.json.prefix, r.json.token.slice(0, 12));
  assert.equal(r.headers.get('location'), `/api/v1/tokens/${r.json.id}`);
  const list = await api('GET', '/api/v1/tokens', { token: co.token });
  const listed = list.json.data.find((t) => t.id === r.json.id);
  assert.equal(listed.prefix, r.json.prefix);
  assert.ok(!JSON.stringify(list.json).includes(r.json.token), 'the secret never appears again');
  const me = await api('GET', '/api/v1/me', { token: r.json.token });
  assert.equal(me.json.auth.token_id, r.json.id);
});

test('tokens-1.2: a revoked token is refused at once, in both headers', async () => {
  const co = await tokenMaker('Tokens');
  const t = (await api('POST', '/api/v1/tokens', { token: co.token, body: { name: 'temp' } })).json;
  assert.equal((await api('GET', '/api/v1/me', { token: t.token })).status, 200);
  const del = await api('DELETE', `/api/v1/tokens/${t.id}`, { token: co.token });
  assert.equal(del.status, 204);
  assert.equal((await api('GET', '/api/v1/me', { token: t.token })).status, 401);
  assert.equal((await api('GET', '/api/v1/me', { bearer: t.token })).status, 401);
  const again = await api('DELETE', `/api/v1/tokens/${t.id}`, { token: co.token });
  assert.equal(again.status, 404);
  const list = await api('GET', '/api/v1/tokens', { token: co.token });
  assert.ok(!list.json.data.some((x) => x.id === t.id));
});

test('tokens-1.3: a token can revoke itself', async () => {
  const co = await tokenMaker('Tokens');
  const t = (await api('POST', '/api/v1/tokens', { token: co.token, body: { name: 'self' } })).json;
  assert.equal((await api('DELETE', `/api/v1/tokens/${t.id}`, { token: t.token })).status, 204);
  assert.equal((await api('GET', '/api/v1/me', { token: t.token })).status, 401);
});

test('tokens-1.4: another company\'s token id is 404 and stays valid', async () => {
  const a = await tokenMaker('Tokens');
  const b = await tokenMaker('Tokens');
  const tb = (await api('POST', '/api/v1/tokens', { token: b.token, body: { name: 'b' } })).json;
  const r = await api('DELETE', `/api/v1/tokens/${tb.id}`, { token: a.token });
  assert.equal(r.status, 404);
  assert.equal(r.json.error.code, 'not_found');
  assert.equal((await api('GET', '/api/v1/me', { token: tb.token })).status, 200);
  const list = await api('GET', '/api/v1/tokens', { token: a.token });
  assert.ok(!list.json.data.some((x) => x.id === tb.id));
});

test('tokens-1.5: members see and revoke only their own tokens; owners see all', async () => {
  const co = await tokenMaker('Tokens');
  const me = (await api('GET', '/api/v1/me', { token: co.token })).json;
  const member = newUser(me.company.id, 'member');
  const ownerList = await api('GET', '/api/v1/tokens', { token: co.token });
  assert.equal(ownerList.json.meta.pagination.total, 2);
  const memberList = await api('GET', '/api/v1/tokens', { token: member.token });
  assert.equal(memberList.json.meta.pagination.total, 1);
  const ownerTokenId = ownerList.json.data.find((t) => t.user.email === co.email).id;
  const r = await api('DELETE', `/api/v1/tokens/${ownerTokenId}`, { token: member.token });
  assert.equal(r.status, 404);
  assert.equal((await api('GET', '/api/v1/me', { token: co.token })).status, 200);
});

test('tokens-1.6: token input is validated', async () => {
  const co = await tokenMaker('Tokens');
  const cases = [
    [{}, ['name:required']],
    [{ name: '' }, ['name:empty']],
    [{ name: '   ' }, ['name:empty']],
    [{ name: 'x'.repeat(101) }, ['name:too_long']],
    [{ name: 'tab\there' }, ['name:invalid_format']],
    [{ name: 'ok', expires_at: 'tomorrow' }, ['expires_at:invalid_format']],
    [{ name: 'ok', expires_at: '2020-01-01T00:00:00Z' }, ['expires_at:invalid_value']],
    [{ name: 'ok', expires_at: '2030-02-30T00:00:00Z' }, ['expires_at:invalid_format']],
  ];
  for (const [body, want] of cases) {
    const r = await api('POST', '/api/v1/tokens', { token: co.token, body });
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.deepEqual(fieldErrors(r), want, JSON.stringify(body));
  }
  const ok = await api('POST', '/api/v1/tokens', {
    token: co.token, body: { name: 'x'.repeat(100), expires_at: '2099-01-01T00:00:00+02:00' },
  });
  assert.equal(ok.status, 201);
  assert.equal(ok.json.expires_at, '2098-12-31T22:00:00.000000Z');
});

test('tokens-1.7: an expired token is refused', async () => {
  const co = await tokenMaker('Tokens');
  const t = (await api('POST', '/api/v1/tokens', {
    token: co.token, body: { name: 'short', expires_at: new Date(Date.now() + 60000).toISOString() },
  })).json;
  assert.equal((await api('GET', '/api/v1/me', { token: t.token })).status, 200);
  await asOwner((db) => db.query("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE public_id = $1", [t.id]));
  assert.equal((await api('GET', '/api/v1/me', { token: t.token })).status, 401);
});

test('tokens-1.8: token changes write events', async () => {
  const co = await tokenMaker('Tokens');
  const t = (await api('POST', '/api/v1/tokens', { token: co.token, body: { name: 'evented' } })).json;
  await api('DELETE', `/api/v1/tokens/${t.id}`, { token: co.token });
  const rows = await asOwner((db) => db.query(
    'SELECT type, actor_type, changes FROM events WHERE entity_public_id = $1 ORDER BY id', [t.id]));
  assert.deepEqual(rows.rows.map((r) => r.type), ['token.created', 'token.revoked']);
  assert.equal(rows.rows[0].actor_type, 'token');
  assert.deepEqual(rows.rows[0].changes.name, { before: null, after: 'evented' });
});

test('tokens-1.9: lists paginate with totals', async () => {
  const co = await tokenMaker('Tokens');
  for (let i = 0; i < 4; i++) await api('POST', '/api/v1/tokens', { token: co.token, body: { name: `p${i}` } });
  const p1 = await api('GET', '/api/v1/tokens?per_page=2', { token: co.token });
  assert.deepEqual(p1.json.meta.pagination, { total: 5, count: 2, per_page: 2, current_page: 1, total_pages: 3 });
  const p3 = await api('GET', '/api/v1/tokens?per_page=2&page=3', { token: co.token });
  assert.equal(p3.json.data.length, 1);
  const p9 = await api('GET', '/api/v1/tokens?per_page=2&page=9', { token: co.token });
  assert.equal(p9.json.data.length, 0);
  assert.equal(p9.json.meta.pagination.total, 5);
  const s = await login(co.email, co.password);
  assert.equal((await api('GET', '/api/v1/tokens', { session: s })).json.meta.pagination.total, 5);
});

// hardening-7: tokens minting tokens.
test('tokens-2.1: a token makes tokens only with the explicit tokens.create permission', async () => {
  const co = newCompany('Tokens');
  const r = await api('POST', '/api/v1/tokens', { token: co.token, body: { name: 'minted' } });
  assert.equal(r.status, 403);
  assert.equal(r.json.error.code, 'forbidden');
  assert.match(r.json.error.detail, /tokens\.create/);
  const list = await api('GET', '/api/v1/tokens', { token: co.token });
  assert.equal(list.json.meta.pagination.total, 1, 'nothing was made');
  // Twin: a signed-in person needs no such permission; nor does a token once granted it.
  const s = await login(co.email, co.password);
  assert.equal((await api('POST', '/api/v1/tokens', { session: s, body: { name: 'by hand' } })).status, 201);
  await setPermissions(co.email, ['tokens.create']);
  assert.equal((await api('POST', '/api/v1/tokens', { token: co.token, body: { name: 'minted' } })).status, 201);
});

test('tokens-2.2: a token never outlives the token that made it', async () => {
  const co = await tokenMaker('Tokens');
  const soon = new Date(Date.now() + 3600e3);
  const parent = (await api('POST', '/api/v1/tokens', {
    token: co.token, body: { name: 'parent', expires_at: soon.toISOString() },
  })).json;
  const later = await api('POST', '/api/v1/tokens', {
    token: parent.token, body: { name: 'child', expires_at: new Date(soon.getTime() + 1000).toISOString() },
  });
  assert.equal(later.status, 422);
  assert.deepEqual(fieldErrors(later), ['expires_at:invalid_value']);
  const never = await api('POST', '/api/v1/tokens', { token: parent.token, body: { name: 'child' } });
  assert.equal(never.status, 201);
  assert.equal(never.json.expires_at, parent.expires_at, 'no expiry given: the maker\'s');
  // Twin: an earlier expiry is fine.
  const earlier = await api('POST', '/api/v1/tokens', {
    token: parent.token, body: { name: 'child', expires_at: new Date(soon.getTime() - 60e3).toISOString() },
  });
  assert.equal(earlier.status, 201);
});

test('tokens-2.3: revoking a token revokes the tokens it made, and theirs', async () => {
  const co = await tokenMaker('Tokens');
  const parent = (await api('POST', '/api/v1/tokens', { token: co.token, body: { name: 'parent' } })).json;
  const child = (await api('POST', '/api/v1/tokens', { token: parent.token, body: { name: 'child' } })).json;
  const grandchild = (await api('POST', '/api/v1/tokens', { token: child.token, body: { name: 'grandchild' } })).json;
  const s = await login(co.email, co.password);
  const sibling = (await api('POST', '/api/v1/tokens', { session: s, body: { name: 'sibling' } })).json;
  for (const t of [parent, child, grandchild]) {
    assert.equal((await api('GET', '/api/v1/me', { token: t.token })).status, 200);
  }
  assert.equal((await api('DELETE', `/api/v1/tokens/${parent.id}`, { token: co.token })).status, 204);
  for (const t of [parent, child, grandchild]) {
    assert.equal((await api('GET', '/api/v1/me', { token: t.token })).status, 401, t.name);
  }
  // Twin: the maker's own token and unrelated tokens keep working.
  assert.equal((await api('GET', '/api/v1/me', { token: co.token })).status, 200);
  assert.equal((await api('GET', '/api/v1/me', { token: sibling.token })).status, 200);
});

// hardening-8.3: /tokens walks by cursor like every other list.
test('tokens-2.4: the token list walks by cursor; a tampered cursor is a 400', async () => {
  const co = await tokenMaker('Tokens');
  for (let i = 0; i < 4; i++) await api('POST', '/api/v1/tokens', { token: co.token, body: { name: `c${i}` } });
  const all = (await api('GET', '/api/v1/tokens', { token: co.token })).json.data.map((t) => t.id);
  const seen = [];
  let url = '/api/v1/tokens?per_page=2';
  for (let pages = 0; pages < 5; pages++) {
    const r = await api('GET', url, { token: co.token });
    assert.equal(r.status, 200);
    seen.push(...r.json.data.map((t) => t.id));
    if (!r.json.meta.next_cursor) break;
    url = `/api/v1/tokens?per_page=2&cursor=${r.json.meta.next_cursor}`;
  }
  assert.deepEqual(seen, all);
  assert.equal(seen.length, 5);
  const bad = await api('GET', '/api/v1/tokens?cursor=abc', { token: co.token });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'cursor');
});
