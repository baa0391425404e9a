// Webhooks (issue 15): subscriptions over the API, and deliveries by the
// stack's worker to real HTTP receivers on loopback (ports 18930-18939;
// scripts/test lets this stack deliver to loopback over http).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { asOwner } from './lib/db.mjs';
import { api, fieldErrors } from './lib/http.mjs';
import { newCompany, newUser, setPermissions, uid } from './lib/fixtures.mjs';
import { createClient } from './lib/clients.mjs';
import { importFile } from './lib/imports.mjs';
import { spec, validateSchema } from './lib/openapi.mjs';
import { receiver, rport, verified } from './lib/receiver.mjs';
import { waitForMail } from './lib/portal.mjs';

async function createHook(token, body, status = 201) {
  const r = await api('POST', '/api/v1/webhooks', { token, body });
  assert.equal(r.status, status, r.text);
  return r.json;
}

async function log(token, id, query = '') {
  const r = await api('GET', `/api/v1/webhooks/${id}/deliveries${query}`, { token });
  assert.equal(r.status, 200, r.text);
  return r.json.data;
}

async function until(fn, timeoutMs = 10000, what = 'a condition') {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function companyOf(token) {
  return (await api('GET', '/api/v1/me', { token })).json.company.id;
}

test('webhooks-1.1: create shows the secret once; reads never show it', async () => {
  const co = newCompany('Hooks');
  const w = await createHook(co.token, {
    url: `http://127.0.0.1:${rport(18939)}/created`, events: ['client.created', 'contact.*'],
    headers: { 'X-Receiver-Token': 'abc' }, description: 'CRM sync',
  });
  assert.match(w.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
  assert.equal(w.secret_hint, w.secret.slice(0, 10));
  assert.equal(w.status, 'active');
  const got = await api('GET', `/api/v1/webhooks/${w.id}`, { token: co.token });
  assert.equal(got.status, 200);
  assert.equal(got.json.secret, undefined);
  assert.equal(got.headers.get('etag'), '"1"');
  const list = await api('GET', '/api/v1/webhooks', { token: co.token });
  assert.deepEqual(list.json.data.map((x) => x.id), [w.id]);
  assert.ok(!list.text.includes(w.secret.slice(6)), 'the list never holds the secret');
  const stored = await asOwner((db) => db.query('SELECT secret FROM webhooks WHERE public_id = $1', [w.id]));
  assert.ok(!stored.rows[0].secret.toString('latin1').includes(w.secret.slice(6, 20)),
    'the database holds the secret sealed, not as it was shown');
});

test('webhooks-1.2: bad subscriptions are 422 naming the field (each with its twin above)', async () => {
  const co = newCompany('Hooks');
  const bad = [
    [{ url: 'ftp://x.example/', events: ['*'] }, 'url:invalid_value'],
    [{ url: 'https://user:pw@x.example/', events: ['*'] }, 'url:invalid_value'],
    [{ url: 'https://x.example/#frag', events: ['*'] }, 'url:invalid_value'],
    [{ url: 'https://169.254.169.254/latest', events: ['*'] }, 'url:invalid_value'],
    [{ url: 'https://x.example/', events: ['client.exploded'] }, 'events[0]:invalid_value'],
    [{ url: 'https://x.example/', events: ['*', '*'] }, 'events[1]:duplicate'],
    [{ url: 'https://x.example/', events: [] }, 'events:empty'],
    [{ url: 'https://x.example/' }, 'events:required'],
    [{ url: 'https://x.example/', events: ['*'], headers: { 'Content-Type': 'text/plain' } }, 'headers.Content-Type:invalid_value'],
    [{ url: 'https://x.example/', events: ['*'], headers: { 'webhook-id': 'x' } }, 'headers.webhook-id:invalid_value'],
    [{ url: 'https://x.example/', events: ['*'], headers: { 'X-A': 'one\r\nX-B: two' } }, 'headers.X-A:invalid_value'],
    [{ url: 'https://x.example/', events: ['*'], headers: { 'Bad Name': 'x' } }, 'headers.Bad Name:invalid_value'],
    [{ url: 'https://x.example/', events: ['*'], status: 'disabled' }, 'status:invalid_value'],
    [{ url: 'https://x.example/', events: ['*'], colour: 'red' }, 'colour:unknown_field'],
  ];
  for (const [body, want] of bad) {
    const r = await api('POST', '/api/v1/webhooks', { token: co.token, body });
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.deepEqual(fieldErrors(r), [want], JSON.stringify(body));
  }
  const r = await api('POST', '/api/v1/webhooks', { token: co.token, body: { url: 'https://x.example/', events: ['*'] } });
  assert.equal(r.status, 201, 'the twin: a good one is created');
  assert.equal((await api('GET', '/api/v1/webhooks', { token: co.token })).json.data.length, 1, 'and only it');
});

test('webhooks-1.3: one webhook per URL: subscribing again is a 409 naming it', async () => {
  const co = newCompany('Hooks');
  const w = await createHook(co.token, { url: 'https://dup.example/hook', events: ['*'] });
  const r = await api('POST', '/api/v1/webhooks', { token: co.token, body: { url: 'https://dup.example/hook', events: ['client.created'] } });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.field, 'url');
  assert.match(r.json.error.detail, new RegExp(w.id));
  const other = newCompany('Hooks');
  await createHook(other.token, { url: 'https://dup.example/hook', events: ['*'] });
});

test('webhooks-1.4: another company\'s webhook is a 404 everywhere', async () => {
  const a = newCompany('Hooks');
  const b = newCompany('Hooks');
  const w = await createHook(a.token, { url: 'https://a.example/hook', events: ['*'] });
  const d = (await api('POST', `/api/v1/webhooks/${w.id}/test`, { token: a.token })).json;
  for (const [m, p, body] of [
    ['GET', `/api/v1/webhooks/${w.id}`], ['PATCH', `/api/v1/webhooks/${w.id}`, { description: 'x' }],
    ['DELETE', `/api/v1/webhooks/${w.id}`], ['POST', `/api/v1/webhooks/${w.id}/test`],
    ['POST', `/api/v1/webhooks/${w.id}/rotate-secret`], ['GET', `/api/v1/webhooks/${w.id}/deliveries`],
    ['GET', `/api/v1/webhooks/${w.id}/deliveries/${d.id}`],
    ['POST', `/api/v1/webhooks/${w.id}/deliveries/${d.id}/retry`],
  ]) {
    const r = await api(m, p, { token: b.token, body });
    assert.equal(r.status, 404, `${m} ${p}: ${r.text}`);
  }
  assert.equal((await api('GET', `/api/v1/webhooks/${w.id}`, { token: a.token })).status, 200, 'twin: its own company reads it');
});

test('webhooks-1.5: the webhooks permission: owners and admins have it, members only when given', async () => {
  const co = newCompany('Hooks');
  const company = await companyOf(co.token);
  const admin = newUser(company, 'admin');
  const member = newUser(company, 'member');
  await createHook(admin.token, { url: 'https://admin.example/', events: ['*'] });
  const r = await api('GET', '/api/v1/webhooks', { token: member.token });
  assert.equal(r.status, 403);
  assert.match(r.json.error.detail, /"webhooks"/);
  await setPermissions(member.email, ['webhooks']);
  assert.equal((await api('GET', '/api/v1/webhooks', { token: member.token })).status, 200);
});

test('webhooks-1.6: update with If-Match, pause and restart', async () => {
  const co = newCompany('Hooks');
  const w = await createHook(co.token, { url: 'https://u.example/', events: ['*'] });
  const stale = await api('PATCH', `/api/v1/webhooks/${w.id}`, { token: co.token, headers: { 'If-Match': '"7"' }, body: { status: 'paused' } });
  assert.equal(stale.status, 412);
  const p = await api('PATCH', `/api/v1/webhooks/${w.id}`, { token: co.token, headers: { 'If-Match': '"1"' }, body: { status: 'paused', events: ['client.*'] } });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.status, 'paused');
  assert.deepEqual(p.json.events, ['client.*']);
  assert.equal(p.headers.get('etag'), '"2"');
  const empty = await api('PATCH', `/api/v1/webhooks/${w.id}`, { token: co.token, body: {} });
  assert.deepEqual(fieldErrors(empty), ['body:empty']);
});

test('webhooks-1.7: the event catalog is the documented one', async () => {
  const co = newCompany('Hooks');
  const r = await api('GET', '/api/v1/webhooks/events', { token: co.token });
  assert.deepEqual(r.json.data.map((e) => e.type).sort(),
    [...spec.components.schemas.WebhookEventTypeName.enum].sort());
});

test('webhooks-2.1: every event type arrives once, signed, in the documented shape, in order', async () => {
  const co = newCompany('Hooks');
  const rx = await receiver(18930);
  try {
    const w = await createHook(co.token, { url: rx.url('/all'), events: ['*'], headers: { 'X-Receiver-Token': 't0k' } });
    const T = co.token;
    const c = await createClient(T, { phone: '+1 555 1', contacts: [{ first_name: 'Ann', email: `ann-${uid()}@x.example` }] });
    await api('PATCH', `/api/v1/clients/${c.id}`, { token: T, body: { phone: '+1 555 2' } });
    const k = (await api('POST', `/api/v1/clients/${c.id}/contacts`, { token: T, body: { first_name: 'Bob' } })).json;
    await api('PATCH', `/api/v1/clients/${c.id}/contacts/${k.id}`, { token: T, body: { last_name: 'Lee' } });
    await api('DELETE', `/api/v1/clients/${c.id}/contacts/${k.id}`, { token: T });
    const g = (await api('POST', '/api/v1/groups', { token: T, body: { name: `G ${uid()}` } })).json;
    await api('PATCH', `/api/v1/groups/${g.id}`, { token: T, body: { name: `H ${uid()}` } });
    await api('DELETE', `/api/v1/groups/${g.id}`, { token: T });
    await api('PATCH', '/api/v1/settings', { token: T, body: { currency: 'EUR' } });
    const led = await api('POST', `/api/v1/clients/${c.id}/ledger`, {
      token: T, headers: { 'Idempotency-Key': randomUUID() }, body: { kind: 'invoice', amount: '12.50' } });
    assert.equal(led.status, 201, led.text);
    await api('POST', `/api/v1/clients/${c.id}/archive`, { token: T });
    await api('POST', `/api/v1/clients/${c.id}/restore`, { token: T });
    const d = await createClient(T);
    const m = await api('POST', `/api/v1/clients/${c.id}/merge`, { token: T, body: { source: d.id } });
    assert.equal(m.status, 200, m.text);
    await api('DELETE', `/api/v1/clients/${c.id}`, { token: T });
    const pu = await api('POST', `/api/v1/clients/${c.id}/purge`, { token: T, body: { password: co.password } });
    assert.equal(pu.status, 204, pu.text);

    const want = ['client.created', 'client.updated', 'contact.created', 'contact.updated',
      'contact.deleted', 'group.created', 'group.updated', 'group.deleted', 'settings.updated',
      'ledger_entry.created', 'client.archived', 'client.restored', 'client.created', 'client.merged',
      'client.deleted', 'client.deleted', 'client.purged'];
    await rx.waitFor((rs) => rs.length >= want.length, 20000);
    await sleep(300);
    const got = rx.requests.map((r) => r.json.type);
    assert.deepEqual(got, want, JSON.stringify(got));
    assert.equal(new Set(rx.requests.map((r) => r.headers['webhook-id'])).size, got.length, 'once each');
    for (const r of rx.requests) {
      assert.ok(verified(w.secret, r), `${r.json.type}: the signature verifies`);
      assert.equal(r.headers['webhook-id'], r.json.id);
      assert.equal(r.headers['content-type'], 'application/json');
      assert.equal(r.headers['x-receiver-token'], 't0k');
      assert.match(r.headers['user-agent'], /^clientd-webhooks\//);
      validateSchema('#/components/schemas/WebhookEvent', r.json, `${r.json.type} payload`);
    }
    const upd = rx.requests.find((r) => r.json.type === 'client.updated');
    assert.equal(upd.json.data.phone, '+1 555 2');
    assert.deepEqual(upd.json.previous_attributes, { phone: '+1 555 1' });
    assert.equal(rx.requests[0].json.previous_attributes, null, 'a created record replaced nothing');
    const settings = rx.requests.find((r) => r.json.type === 'settings.updated');
    assert.deepEqual(settings.json.data.settings.currency, { value: 'EUR', source: 'company' });
    assert.equal(rx.requests.find((r) => r.json.type === 'contact.deleted').json.data.last_name, 'Lee');

    // Their log says so.
    const entries = await log(T, w.id, '?per_page=100');
    assert.equal(entries.length, got.length);
    assert.ok(entries.every((e) => e.status === 'delivered' && e.attempt_log.length === 1
      && e.attempt_log[0].status_code === 200));
    const one = await api('GET', `/api/v1/webhooks/${w.id}/deliveries/${entries[0].id}`, { token: T });
    assert.equal(one.json.payload.type, 'client.purged');
  } finally {
    await rx.close();
  }
});

test('webhooks-2.2: samples are recent real payloads of a type, newest first', async () => {
  const co = newCompany('Hooks');
  const a = await createClient(co.token, { name: 'First' });
  const b = await createClient(co.token, { name: 'Second' });
  const r = await api('GET', '/api/v1/webhooks/sample?event=client.created&limit=5', { token: co.token });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.data.map((p) => p.data.id), [b.id, a.id]);
  const none = await api('GET', '/api/v1/webhooks/sample?event=group.deleted', { token: co.token });
  assert.deepEqual(none.json.data, []);
  for (const q of ['', '?event=client.exploded', '?event=*', '?event=client.created&limit=0', '?event=client.created&limit=26']) {
    assert.equal((await api('GET', `/api/v1/webhooks/sample${q}`, { token: co.token })).status, 400, q);
  }
});

test('webhooks-2.3: a receiver down for a while gets everything once it is back, once each, in order', async () => {
  const co = newCompany('Hooks');
  const port = rport(18931); // nothing listens yet: connection refused
  const w = await createHook(co.token, { url: `http://127.0.0.1:${port}/down`, events: ['client.updated'] });
  const c = await createClient(co.token);
  for (let i = 1; i <= 5; i++) {
    await api('PATCH', `/api/v1/clients/${c.id}`, { token: co.token, body: { phone: `+1 555 ${i}` } });
  }
  const first = await until(async () => {
    const d = (await log(co.token, w.id)).find((x) => x.attempts > 0);
    return d;
  }, 10000, 'the first failed attempt');
  assert.equal(first.status, 'pending');
  assert.equal(first.attempt_log[0].outcome, 'retry');
  assert.equal(first.attempt_log[0].status_code, null);
  assert.match(first.attempt_log[0].error, /connect/i);
  assert.ok(first.next_attempt_at);
  const waiting = await log(co.token, w.id);
  assert.equal(waiting.filter((x) => x.attempts > 0).length, 1, 'the others wait behind the first: nothing overtakes it');

  const rx = await receiver(18931);
  try {
    // The first retry comes after 30 s (± 20%).
    await rx.waitFor((rs) => rs.length >= 5, 50000, 'the backlog');
    await sleep(500);
    assert.deepEqual(rx.requests.map((r) => r.json.data.phone), ['+1 555 1', '+1 555 2', '+1 555 3', '+1 555 4', '+1 555 5']);
    assert.equal(new Set(rx.requests.map((r) => r.headers['webhook-id'])).size, 5);
    assert.ok(rx.requests.every((r) => verified(w.secret, r)));
  } finally {
    await rx.close();
  }
});

test('webhooks-2.4: 410 Gone disables the webhook and tells its owner', async () => {
  const co = newCompany('Hooks');
  const rx = await receiver(18932, () => ({ status: 410, body: 'unsubscribed' }));
  try {
    const w = await createHook(co.token, { url: rx.url('/gone'), events: ['client.*'] });
    const c = await createClient(co.token);
    const got = await until(async () => {
      const r = (await api('GET', `/api/v1/webhooks/${w.id}`, { token: co.token })).json;
      return r.status === 'disabled' && r;
    }, 10000, 'the webhook to be disabled');
    assert.equal(got.disabled_reason, 'gone');
    const d = (await log(co.token, w.id))[0];
    assert.equal(d.status, 'failed');
    assert.equal(d.attempt_log[0].outcome, 'gone');
    assert.equal(d.attempt_log[0].response_excerpt, 'unsubscribed');
    const ev = await asOwner((db) => db.query(
      "SELECT changes FROM events WHERE type = 'webhook.disabled' AND entity_public_id = $1", [w.id]));
    assert.equal(ev.rows.length, 1);
    assert.equal(ev.rows[0].changes.disabled_reason.after, 'gone');
    // ...and by email (issue 15), through the worker and SMTP.
    const mail = await waitForMail(co.email);
    assert.equal(mail.subject.endsWith('was disabled'), true, mail.subject);
    assert.ok(mail.text.includes(rx.url('/gone')), mail.text);
    assert.match(mail.text, /410 Gone/);
    assert.ok(mail.text.includes(`/integrations/webhooks/${w.id}`), 'the link to its page');
    assert.ok(mail.text.includes(`PATCH /api/v1/webhooks/${w.id}`), 'and the API call that restarts it');
    const box = await api('GET', `/api/v1/mail?to=${encodeURIComponent(co.email)}`, { token: co.token });
    assert.deepEqual(box.json.data.map((m) => m.kind), ['webhook_disabled']);
    // Nothing more is queued for it...
    await api('PATCH', `/api/v1/clients/${c.id}`, { token: co.token, body: { phone: '+1 555 9' } });
    await sleep(500);
    assert.equal(rx.requests.length, 1);
    assert.equal((await log(co.token, w.id)).length, 1);
    // ...until it is restarted.
    rx.setAnswer(() => ({ status: 204 }));
    const re = await api('PATCH', `/api/v1/webhooks/${w.id}`, { token: co.token, body: { status: 'active' } });
    assert.equal(re.json.status, 'active');
    assert.equal(re.json.disabled_reason, null);
    await api('PATCH', `/api/v1/clients/${c.id}`, { token: co.token, body: { phone: '+1 555 10' } });
    await rx.waitFor((rs) => rs.length === 2);
  } finally {
    await rx.close();
  }
});

test('webhooks-2.12: a webhook failing for three days is disabled, and its owner mailed once', async () => {
  const co = newCompany('Hooks');
  const rx = await receiver(18944, () => ({ status: 503, body: 'down for maintenance' }));
  try {
    const w = await createHook(co.token, { url: rx.url('/failing'), events: ['client.*'], description: 'ERP feed' });
    await createClient(co.token);
    const d = await until(async () => (await log(co.token, w.id)).find((x) => x.attempts >= 1), 10000, 'a first failure');
    assert.equal(d.status, 'pending');
    assert.equal((await api('GET', `/api/v1/webhooks/${w.id}`, { token: co.token })).json.status, 'active',
      'the twin: one failure does not disable it');
    // Three days of failures, as the clock would have it: the streak
    // started longer ago than the retry window; the next attempt now.
    await asOwner((db) => db.query(
      "UPDATE webhooks SET failing_since = now() - interval '3 days 1 minute' WHERE public_id = $1", [w.id]));
    const retry = await api('POST', `/api/v1/webhooks/${w.id}/deliveries/${d.id}/retry`, { token: co.token });
    assert.equal(retry.status, 202, retry.text);
    const got = await until(async () => {
      const r = (await api('GET', `/api/v1/webhooks/${w.id}`, { token: co.token })).json;
      return r.status === 'disabled' && r;
    }, 10000, 'the webhook to be disabled');
    assert.equal(got.disabled_reason, 'failing');
    const mail = await waitForMail(co.email);
    assert.match(mail.text, /ERP feed \(http:\/\/127\.0\.0\.1:\d+\/failing\)/);
    assert.match(mail.text, /failed for three days .*the last one: HTTP 503/s);
    assert.ok(mail.text.includes(`/integrations/webhooks/${w.id}`));
    // Restarted, and failing again at once: it is active, not disabled
    // again (the streak started over), and nobody is mailed twice.
    const re = await api('PATCH', `/api/v1/webhooks/${w.id}`, { token: co.token, body: { status: 'active' } });
    assert.equal(re.json.status, 'active');
    await api('POST', `/api/v1/webhooks/${w.id}/deliveries/${d.id}/retry`, { token: co.token });
    await rx.waitFor((rs) => rs.length >= 3, 10000, 'the queue to go out again');
    await sleep(500);
    assert.equal((await api('GET', `/api/v1/webhooks/${w.id}`, { token: co.token })).json.status, 'active');
    const box = await api('GET', `/api/v1/mail?to=${encodeURIComponent(co.email)}`, { token: co.token });
    assert.deepEqual(box.json.data.map((m) => m.kind), ['webhook_disabled']);
  } finally {
    await rx.close();
  }
});

test('webhooks-2.5: 500 and 429 are retried (Retry-After followed); 400 fails at once and the queue goes on', async () => {
  const co = newCompany('Hooks');
  const plan = [{ status: 500, headers: { 'Retry-After': '1' } }, { status: 429, headers: { 'Retry-After': '1' } },
    { status: 200 }, { status: 400, body: 'bad' }, { status: 200 }];
  const rx = await receiver(18933, (_, n) => plan[n - 1] ?? { status: 200 });
  try {
    const w = await createHook(co.token, { url: rx.url('/flaky'), events: ['client.updated'] });
    const c = await createClient(co.token);
    await api('PATCH', `/api/v1/clients/${c.id}`, { token: co.token, body: { phone: '+1 555 1' } });
    await api('PATCH', `/api/v1/clients/${c.id}`, { token: co.token, body: { phone: '+1 555 2' } });
    await api('PATCH', `/api/v1/clients/${c.id}`, { token: co.token, body: { phone: '+1 555 3' } });
    await rx.waitFor((rs) => rs.length >= 5, 15000);
    const seen = rx.requests.map((r) => r.json.data.phone);
    assert.deepEqual(seen, ['+1 555 1', '+1 555 1', '+1 555 1', '+1 555 2', '+1 555 3']);
    assert.ok(rx.requests[1].at - rx.requests[0].at >= 900, 'Retry-After: 1 was waited for');
    assert.equal(new Set(rx.requests.slice(0, 3).map((r) => r.headers['webhook-id'])).size, 1, 'one message, three attempts');
    await sleep(300);
    const [d3, d2, d1] = await log(co.token, w.id);
    assert.deepEqual(d1.attempt_log.map((a) => [a.status_code, a.outcome]), [[500, 'retry'], [429, 'retry'], [200, 'delivered']]);
    assert.equal(d2.status, 'failed');
    assert.deepEqual(d2.attempt_log.map((a) => [a.status_code, a.outcome]), [[400, 'failed']]);
    assert.equal(d3.status, 'delivered');
    const failed = await log(co.token, w.id, '?status=failed');
    assert.deepEqual(failed.map((d) => d.id), [d2.id]);
    assert.equal((await api('GET', `/api/v1/webhooks/${w.id}/deliveries?status=lost`, { token: co.token })).status, 400);
  } finally {
    await rx.close();
  }
});

test('webhooks-2.6: a slow receiver delays only its own webhook', async () => {
  const co = newCompany('Hooks');
  const slow = await receiver(18934, () => ({ status: 200, delay: 3000 }));
  const fast = await receiver(18935);
  try {
    await createHook(co.token, { url: slow.url('/slow'), events: ['client.updated'] });
    await createHook(co.token, { url: fast.url('/fast'), events: ['client.updated'] });
    const c = await createClient(co.token);
    const t0 = Date.now();
    for (let i = 1; i <= 3; i++) {
      await api('PATCH', `/api/v1/clients/${c.id}`, { token: co.token, body: { phone: `+1 555 ${i}` } });
    }
    await fast.waitFor((rs) => rs.length === 3, 10000);
    assert.ok(Date.now() - t0 < 2500, `the fast receiver had all three after ${Date.now() - t0} ms`);
    assert.ok(slow.requests.length <= 1, 'while the slow one was still on its first');
    await slow.waitFor((rs) => rs.length === 3, 15000);
    assert.equal(slow.maxInflight('/slow'), 1, 'one request at a time per webhook');
  } finally {
    await slow.close();
    await fast.close();
  }
});

test('webhooks-2.7: test pings and resends, with the same webhook-id', async () => {
  const co = newCompany('Hooks');
  const rx = await receiver(18936);
  try {
    const w = await createHook(co.token, { url: rx.url('/ping'), events: ['client.created'], status: 'paused' });
    const t = await api('POST', `/api/v1/webhooks/${w.id}/test`, { token: co.token });
    assert.equal(t.status, 202);
    assert.equal(t.json.kind, 'test');
    await rx.waitFor((rs) => rs.length === 1);
    assert.equal(rx.requests[0].json.type, 'ping');
    assert.equal(rx.requests[0].json.data.id, w.id);
    assert.ok(verified(w.secret, rx.requests[0]), 'even a paused webhook gets its ping, signed');
    await until(async () => (await log(co.token, w.id))[0].status === 'delivered', 5000, 'the ping delivered');
    const again = await api('POST', `/api/v1/webhooks/${w.id}/deliveries/${t.json.id}/retry`, { token: co.token });
    assert.equal(again.status, 202);
    assert.equal(again.json.kind, 'resend');
    assert.equal(again.json.resend_of, t.json.id);
    await rx.waitFor((rs) => rs.length === 2);
    assert.equal(rx.requests[1].headers['webhook-id'], rx.requests[0].headers['webhook-id']);
    assert.equal((await api('POST', `/api/v1/webhooks/${w.id}/deliveries/nosuchdelivr/retry`, { token: co.token })).status, 404);
  } finally {
    await rx.close();
  }
});

test('webhooks-2.8: a rotated secret: both sign during the overlap, only the new one after', async () => {
  const co = newCompany('Hooks');
  const rx = await receiver(18937);
  try {
    const w = await createHook(co.token, { url: rx.url('/rotate'), events: ['client.created'] });
    const r = await api('POST', `/api/v1/webhooks/${w.id}/rotate-secret`, { token: co.token });
    assert.equal(r.status, 200, r.text);
    assert.notEqual(r.json.secret, w.secret);
    assert.ok(r.json.previous_secret_expires_at);
    await createClient(co.token);
    await rx.waitFor((rs) => rs.length === 1);
    assert.equal(rx.requests[0].headers['webhook-signature'].split(' ').length, 2);
    assert.ok(verified(w.secret, rx.requests[0]), 'the old secret still verifies');
    assert.ok(verified(r.json.secret, rx.requests[0]), 'and so does the new one');
    const r2 = await api('POST', `/api/v1/webhooks/${w.id}/rotate-secret`, { token: co.token, body: { overlap_seconds: 0 } });
    assert.equal(r2.json.previous_secret_expires_at, null);
    await createClient(co.token);
    await rx.waitFor((rs) => rs.length === 2);
    assert.ok(verified(r2.json.secret, rx.requests[1]));
    assert.ok(!verified(r.json.secret, rx.requests[1]), 'the replaced secret no longer signs');
    const bad = await api('POST', `/api/v1/webhooks/${w.id}/rotate-secret`, { token: co.token, body: { overlap_seconds: 90000 } });
    assert.deepEqual(fieldErrors(bad), ['overlap_seconds:out_of_range']);
  } finally {
    await rx.close();
  }
});

test('webhooks-2.9: redirects are not followed, and answers are read up to a cap', async () => {
  const co = newCompany('Hooks');
  const rx = await receiver(18938, (r) => (r.path === '/moved'
    ? { status: 302, headers: { Location: 'http://127.0.0.1:18938/elsewhere' } }
    : { status: 200, body: 'x'.repeat(100000) }));
  try {
    const moved = await createHook(co.token, { url: rx.url('/moved'), events: ['client.created'] });
    const big = await createHook(co.token, { url: rx.url('/big'), events: ['client.created'] });
    await createClient(co.token);
    await rx.waitFor((rs) => rs.length === 2);
    await sleep(300);
    assert.ok(!rx.requests.some((r) => r.path === '/elsewhere'), 'the redirect was not followed');
    const m = (await log(co.token, moved.id))[0];
    assert.equal(m.status, 'failed');
    assert.match(m.attempt_log[0].error, /redirect not followed \(Location: http:\/\/127\.0\.0\.1:18938\/elsewhere\)/);
    const b = await until(async () => (await log(co.token, big.id))[0].status === 'delivered' && (await log(co.token, big.id))[0], 5000);
    assert.equal(b.attempt_log[0].response_excerpt.length, 2048);
  } finally {
    await rx.close();
  }
});

test('webhooks-2.10: unsubscribing (DELETE) stops deliveries and removes the log', async () => {
  const co = newCompany('Hooks');
  const rx = await receiver(18939);
  try {
    const w = await createHook(co.token, { url: rx.url('/bye'), events: ['client.created'] });
    await createClient(co.token);
    await rx.waitFor((rs) => rs.length === 1);
    assert.equal((await api('DELETE', `/api/v1/webhooks/${w.id}`, { token: co.token })).status, 204);
    assert.equal((await api('GET', `/api/v1/webhooks/${w.id}`, { token: co.token })).status, 404);
    await createClient(co.token);
    await sleep(500);
    assert.equal(rx.requests.length, 1);
  } finally {
    await rx.close();
  }
});

test('webhooks-2.11: an import delivers each client it made and then import.completed with its result', async () => {
  const co = newCompany('Hooks');
  const rx = await receiver(18945);
  try {
    const w = await createHook(co.token, { url: rx.url('/import'), events: ['import.*', 'client.created'] });
    const csv = `Name,Email\nAcme ${uid()},ann-${uid()}@x.example\nGlobex ${uid()},bob-${uid()}@x.example\n`;
    const done = await importFile(co.token, 'two.csv', Buffer.from(csv));
    assert.equal(done.status, 'completed', JSON.stringify(done));
    await rx.waitFor((rs) => rs.length >= 3);
    await sleep(300);
    assert.deepEqual(rx.requests.map((r) => r.json.type), ['client.created', 'client.created', 'import.completed']);
    const end = rx.requests[2];
    assert.ok(verified(w.secret, end), 'the signature verifies');
    validateSchema('#/components/schemas/WebhookEvent', end.json, 'import.completed payload');
    assert.equal(end.json.data.id, done.id);
    assert.equal(end.json.data.result.created, 2);
    assert.equal(end.json.previous_attributes, null, 'a result replaces nothing');
    // the twin: a webhook for client events only gets no import.completed
    const only = await createHook(co.token, { url: rx.url('/clients-only'), events: ['client.*'] });
    await importFile(co.token, 'one.csv', Buffer.from(`Name\nInitech ${uid()}\n`), { options: { match_key: 'name' } });
    await rx.waitFor((rs) => rs.some((r) => r.path === '/clients-only'));
    await sleep(500);
    assert.deepEqual(rx.requests.filter((r) => r.path === '/clients-only').map((r) => r.json.type), ['client.created']);
    assert.ok(only.id);
  } finally {
    await rx.close();
  }
});
