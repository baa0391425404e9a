// Helpers for the client suites.
import assert from 'node:assert/strict';
import { api } from './http.mjs';
import { uid } from './fixtures.mjs';

export async function createClient(token, body = {}, headers = {}) {
  const r = await api('POST', '/api/v1/clients', {
    token, headers,
    body: { name: `Client ${uid()}`, ...body },
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

export async function getClient(token, id) {
  const r = await api('GET', `/api/v1/clients/${id}`, { token });
  assert.equal(r.status, 200, r.text);
  return r.json;
}

export async function activity(token, id) {
  const r = await api('GET', `/api/v1/clients/${id}/activity?per_page=100`, { token });
  assert.equal(r.status, 200, r.text);
  return r.json.data;
}
