// Secrets are stored so that a database dump gives nothing away (issue 2,
// item 5): argon2id password hashes, SHA-256 of tokens and sessions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { api, login } from './lib/http.mjs';
import { newCompany } from './lib/fixtures.mjs';
import { asOwner } from './lib/db.mjs';

test('secrets-1.1: passwords are argon2id hashes that do not contain the password', async () => {
  const co = newCompany('Secrets');
  const r = await asOwner((db) => db.query('SELECT password_hash FROM users WHERE email = $1', [co.email]));
  const hash = r.rows[0].password_hash;
  assert.match(hash, /^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
  assert.ok(!hash.includes(co.password));
  assert.ok(!hash.includes(Buffer.from(co.password).toString('base64').replace(/=+$/, '')));
  // Two users with the same password get different hashes (salted).
  const again = await asOwner((db) => db.query(
    "SELECT count(DISTINCT password_hash)::int AS n FROM users WHERE email IN ('owner@demo.test', 'owner@other.test')"));
  assert.equal(again.rows[0].n, 2);
});

test('secrets-1.2: a database-level write of a plain password is refused', async () => {
  await assert.rejects(asOwner((db) => db.query(
    "UPDATE users SET password_hash = 'clientd-demo' WHERE email = 'owner@demo.test'")), /check constraint/);
});

test('secrets-1.3: tokens are stored as their SHA-256 only', async () => {
  const co = newCompany('Secrets');
  const s = await login(co.email, co.password);
  const t = (await api('POST', '/api/v1/tokens', { session: s, body: { name: 'hashme' } })).json;
  const r = await asOwner((db) => db.query(
    'SELECT t.*, encode(token_hash, \'hex\') AS hex FROM api_tokens t WHERE public_id = $1', [t.id]));
  const row = r.rows[0];
  assert.equal(row.hex, createHash('sha256').update(t.token).digest('hex'));
  assert.ok(!JSON.stringify(row).includes(t.token));
  const anywhere = await asOwner((db) => db.query(
    "SELECT count(*)::int AS n FROM events WHERE changes::text LIKE '%' || $1 || '%'", [t.token.slice(12)]));
  assert.equal(anywhere.rows[0].n, 0);
});

test('secrets-1.4: sessions are stored as the SHA-256 of the cookie', async () => {
  const co = newCompany('Secrets');
  const s = await login(co.email, co.password);
  const r = await asOwner((db) => db.query(
    "SELECT count(*)::int AS n FROM sessions WHERE token_hash = decode($1, 'hex')",
    [createHash('sha256').update(s.cookie).digest('hex')]));
  assert.equal(r.rows[0].n, 1);
});
