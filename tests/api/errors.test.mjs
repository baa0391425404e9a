// The error contract at the edge (issue 2, item 6): every bad input gets a
// 4xx in the envelope, names what is wrong, and never a 500.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, fieldErrors } from './lib/http.mjs';
import { newCompany } from './lib/fixtures.mjs';

const co = newCompany('Errors');

function assertEnvelope(r, status, code) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error.status, status);
  assert.equal(r.json.error.code, code);
  assert.match(r.json.error.message, /^[a-z]/, 'messages start lower case');
  assert.doesNotMatch(r.json.error.message, /\.$/, 'no trailing period');
}

test('errors-1.1: an unknown API route is a JSON 404, not HTML', async () => {
  const r = await api('GET', '/api/v1/nothing-here', { token: co.token });
  assertEnvelope(r, 404, 'route_not_found');
  const r2 = await api('GET', '/api/v2/me');
  assertEnvelope(r2, 404, 'route_not_found');
});

test('errors-1.2: a known path with the wrong method is 405 with Allow', async () => {
  const r = await api('PUT', '/api/v1/me', { token: co.token, body: {} });
  assertEnvelope(r, 405, 'method_not_allowed');
  assert.equal(r.headers.get('allow'), 'GET, HEAD, OPTIONS');
  const r2 = await api('DELETE', '/api/v1/tokens', { token: co.token });
  assertEnvelope(r2, 405, 'method_not_allowed');
  assert.match(r2.headers.get('allow'), /GET/);
  assert.match(r2.headers.get('allow'), /POST/);
  const r3 = await api('POST', '/clients', { raw: 'x', headers: { 'Content-Type': 'text/plain' } });
  assertEnvelope(r3, 405, 'method_not_allowed');
});

test('errors-1.3: OPTIONS answers 204 with Allow', async () => {
  const r = await api('OPTIONS', '/api/v1/tokens');
  assert.equal(r.status, 204);
  assert.match(r.headers.get('allow'), /GET, HEAD, POST/);
});

test('errors-1.4: malformed JSON is 400 invalid_json with the position', async () => {
  const r = await api('POST', '/api/v1/tokens', {
    token: co.token, raw: '{"name": "x",', headers: { 'Content-Type': 'application/json' },
  });
  assertEnvelope(r, 400, 'invalid_json');
  assert.match(r.json.error.detail, /line 1/);
});

test('errors-1.5: invalid UTF-8 in the body is 400 invalid_utf8', async () => {
  const bad = Buffer.concat([Buffer.from('{"name": "'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
  const r = await api('POST', '/api/v1/tokens', {
    token: co.token, raw: bad, headers: { 'Content-Type': 'application/json' },
  });
  assertEnvelope(r, 400, 'invalid_utf8');
  const overlong = Buffer.concat([Buffer.from('{"name": "'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]);
  const r2 = await api('POST', '/api/v1/tokens', {
    token: co.token, raw: overlong, headers: { 'Content-Type': 'application/json' },
  });
  assertEnvelope(r2, 400, 'invalid_utf8');
});

test('errors-1.6: an unknown field is 422 naming it, and nothing is created', async () => {
  const r = await api('POST', '/api/v1/tokens', { token: co.token, body: { name: 'ok', colour: 'red' } });
  assertEnvelope(r, 422, 'validation_failed');
  assert.equal(r.json.error.field, 'colour');
  assert.deepEqual(fieldErrors(r), ['colour:unknown_field']);
  const list = await api('GET', '/api/v1/tokens', { token: co.token });
  assert.equal(list.json.data.filter((t) => t.name === 'ok').length, 0);
});

test('errors-1.7: wrong types are 422 per field', async () => {
  const r = await api('POST', '/api/v1/tokens', { token: co.token, body: { name: 42, expires_at: true } });
  assertEnvelope(r, 422, 'validation_failed');
  assert.deepEqual(fieldErrors(r).sort(), ['expires_at:invalid_type', 'name:invalid_type']);
  const r2 = await api('POST', '/api/v1/tokens', { token: co.token, body: [1, 2] });
  assertEnvelope(r2, 422, 'validation_failed');
  const r3 = await api('POST', '/api/v1/tokens', { token: co.token, body: { name: null } });
  assert.deepEqual(fieldErrors(r3), ['name:invalid_type']);
});

test('errors-1.8: duplicate keys in a JSON object are refused', async () => {
  const r = await api('POST', '/api/v1/tokens', {
    token: co.token, raw: '{"name": "a", "name": "b"}', headers: { 'Content-Type': 'application/json' },
  });
  assertEnvelope(r, 400, 'invalid_json');
  assert.match(r.json.error.detail, /duplicate/);
});

test('errors-1.9: a body over 1 MiB is 413 in the envelope', async () => {
  const big = JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) });
  const r = await api('POST', '/api/v1/tokens', {
    token: co.token, raw: big, headers: { 'Content-Type': 'application/json' },
  });
  assertEnvelope(r, 413, 'payload_too_large');
});

test('errors-1.10: a body that is not JSON is 415', async () => {
  for (const ctype of ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1']) {
    const r = await api('POST', '/api/v1/tokens', {
      token: co.token, raw: 'name=x', headers: { 'Content-Type': ctype },
    });
    assertEnvelope(r, 415, 'unsupported_media_type');
  }
  const none = await api('POST', '/api/v1/login', { raw: '{"email":"a@b.cd","password":"x"}' });
  assertEnvelope(none, 415, 'unsupported_media_type');
});

test('errors-1.11: missing credentials are 401, a malformed token too', async () => {
  assertEnvelope(await api('GET', '/api/v1/me'), 401, 'unauthorized');
  assertEnvelope(await api('GET', '/api/v1/me', { token: 'nope' }), 401, 'unauthorized');
  assertEnvelope(await api('GET', '/api/v1/me', { bearer: 'cdt_' + 'A'.repeat(43) }), 401, 'unauthorized');
  assertEnvelope(await api('GET', '/api/v1/me', { headers: { Authorization: 'Basic Zm9vOmJhcg==' } }), 401, 'unauthorized');
});

test('errors-1.12: unknown or malformed query parameters are 400 naming them', async () => {
  const r = await api('GET', '/api/v1/tokens?sort=name', { token: co.token });
  assertEnvelope(r, 400, 'bad_request');
  assert.equal(r.json.error.field, 'sort');
  const r2 = await api('GET', '/api/v1/tokens?page=%zz', { token: co.token });
  assertEnvelope(r2, 400, 'bad_request');
  const r3 = await api('GET', '/api/v1/tokens?page=0', { token: co.token });
  assertEnvelope(r3, 400, 'bad_request');
  assert.equal(r3.json.error.field, 'page');
  const r4 = await api('GET', '/api/v1/tokens?per_page=101', { token: co.token });
  assert.equal(r4.json.error.field, 'per_page');
  const r5 = await api('GET', '/api/v1/tokens?page=%C3%28', { token: co.token });
  assertEnvelope(r5, 400, 'invalid_utf8');
  const many = Array.from({ length: 40 }, (_, i) => `page=${i + 1}`).join('&');
  assertEnvelope(await api('GET', `/api/v1/tokens?${many}`, { token: co.token }), 400, 'bad_request');
});

test('errors-1.13: a body on a route that takes none must be empty or {}', async () => {
  const r = await api('POST', '/api/v1/logout', { body: { everything: true } });
  assertEnvelope(r, 422, 'validation_failed');
  assert.equal(r.json.error.field, 'everything');
});

test('errors-1.14: a required body that is missing is 422', async () => {
  const r = await api('POST', '/api/v1/tokens', {
    token: co.token, raw: '', headers: { 'Content-Type': 'application/json' },
  });
  assertEnvelope(r, 422, 'validation_failed');
});
