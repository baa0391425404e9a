// Probes and the headers every response carries (issue 2, item 6).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api } from './lib/http.mjs';

test('health-1.1: /healthz answers without the database', async () => {
  const r = await api('GET', '/healthz');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { status: 'ok' });
});

test('health-1.2: /readyz reports the database and a live worker', async () => {
  const r = await api('GET', '/readyz');
  assert.equal(r.status, 200);
  assert.equal(r.json.database, 'ok');
  assert.ok(r.json.worker, 'a worker heartbeat is recorded');
  assert.ok(r.json.worker.seconds_since_heartbeat < 60);
});

test('health-1.3: security headers on API responses, and no HSTS on plain HTTP', async () => {
  for (const path of ['/healthz', '/api/v1/me', '/api/v1/nope']) {
    const r = await api('GET', path);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
    assert.equal(r.headers.get('x-frame-options'), 'DENY', path);
    assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'none'/, path);
    assert.equal(r.headers.get('strict-transport-security'), null, path);
    assert.equal(r.headers.get('cache-control'), 'no-store', path);
    assert.ok(r.headers.get('x-request-id'), path);
  }
});

test('health-1.4: the SPA is served with a CSP, and client-side routes fall back to it', async () => {
  for (const path of ['/', '/clients', '/portal/login']) {
    const r = await api('GET', path);
    assert.equal(r.status, 200, path);
    assert.match(r.headers.get('content-type'), /^text\/html/, path);
    assert.match(r.headers.get('content-security-policy'), /default-src 'self'/, path);
    assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'none'/, path);
    assert.equal(r.headers.get('x-frame-options'), 'DENY');
    assert.equal(r.headers.get('strict-transport-security'), null);
  }
});

test('health-1.5: hashed assets are cached for good, missing files are a JSON 404', async () => {
  const index = await api('GET', '/');
  const m = /src="(\/assets\/[^"]+\.js)"/.exec(index.text);
  assert.ok(m, 'index.html references a hashed script');
  const asset = await api('GET', m[1]);
  assert.equal(asset.status, 200);
  assert.match(asset.headers.get('cache-control'), /immutable/);
  const etag = asset.headers.get('etag');
  const again = await api('GET', m[1], { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  const missing = await api('GET', '/assets/nope-123.js');
  assert.equal(missing.status, 404);
  assert.equal(missing.json.error.code, 'route_not_found');
  assert.equal(index.headers.get('cache-control'), 'no-cache');
});

test('health-1.6: an idle keep-alive connection gets no stray 408 (Kore 4.1 header timeout)', async () => {
  // Regression: Kore restarts its 10 s header timeout after each response;
  // an idle keep-alive connection then got an unsolicited 408, which a
  // client reusing the connection took for its next response.
  const net = await import('node:net');
  const { BASE } = await import('./lib/env.mjs');
  const url = new URL(BASE);
  const sock = net.connect(Number(url.port), url.hostname);
  let data = '';
  sock.on('data', (d) => { data += d; });
  const req = `GET /healthz HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`;
  await new Promise((r) => sock.once('connect', r));
  sock.write(req);
  await new Promise((r) => setTimeout(r, 300));
  assert.match(data, /^HTTP\/1\.1 200/);
  data = '';
  await new Promise((r) => setTimeout(r, 11000));
  assert.equal(data, '', 'nothing arrives on an idle connection');
  assert.equal(sock.destroyed, false);
  sock.write(req);
  await new Promise((r) => setTimeout(r, 300));
  assert.match(data, /^HTTP\/1\.1 200/);
  sock.destroy();
});
