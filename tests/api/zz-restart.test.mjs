// Survives the database (issue 2, item 7): while PostgreSQL is down the
// daemon answers 503 with Retry-After, and it serves again by itself once
// PostgreSQL is back, without a restart of the daemon. Runs last: it stops
// the cluster every other suite uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readFileSync } from 'node:fs';
import { SOURCE } from './lib/env.mjs';
import { api } from './lib/http.mjs';
import { tokenMaker } from './lib/fixtures.mjs';

// The daemon's JSON log lines (Kore's own start-up lines are not JSON).
function logLines() {
  return readFileSync(join(process.env.CLIENTD_RUNDIR, 'clientd.log'), 'utf8').split('\n')
    .filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}

const pgctl = (cmd) => execFileSync(join(SOURCE, 'scripts/pgctl'), [cmd], { stdio: 'pipe' });

test('restart-1.1: 503 with Retry-After while PostgreSQL is down, 200 again once it is back', async () => {
  const co = await tokenMaker('Restart');
  // Warm every pooled connection so that all of them go stale.
  for (let i = 0; i < 20; i++) assert.equal((await api('GET', '/api/v1/me', { token: co.token })).status, 200);

  const outage = logLines().length;
  pgctl('stop');
  try {
    for (let i = 0; i < 6; i++) {
      const r = await api('GET', '/api/v1/me', { token: co.token, allow5xx: [503] });
      assert.equal(r.status, 503);
      assert.equal(r.json.error.code, 'service_unavailable');
      assert.equal(r.headers.get('retry-after'), '1');
      const w = await api('POST', '/api/v1/tokens', { token: co.token, body: { name: 'during' }, allow5xx: [503] });
      assert.equal(w.status, 503);
    }
    const ready = await api('GET', '/readyz', { allow5xx: [503] });
    assert.equal(ready.status, 503);
    assert.equal((await api('GET', '/healthz')).status, 200, 'the process itself is alive');
    // hardening-4.1: the answer names nothing of the machine (no socket
    // path, no libpq text); the log has the detail.
    assert.equal(ready.json.error.message, 'database is unavailable');
    assert.equal(ready.json.error.detail, 'The database does not answer; the daemon\'s log says why.');
    assert.doesNotMatch(ready.text, /sock|PGSQL|connection to server|\/work|\/var|\/tmp|port \d/i);
    // hardening-4.2: 200 failed requests write a handful of lines, not 400.
    const before = logLines().length;
    await Promise.all(Array.from({ length: 200 }, () => api('GET', '/readyz', { allow5xx: [503] })));
    const lines = logLines().slice(before).filter((l) => l.msg !== 'request');
    assert.ok(lines.length <= 12, `${lines.length} lines for 200 failed requests: ${JSON.stringify(lines.slice(0, 10))}`);
    assert.ok(logLines().slice(outage).some((l) => /^readyz: database unavailable: .*(sock|PGSQL|connect)/i.test(l.msg)),
      'the detail is in the log');
    const access = logLines().slice(before).filter((l) => l.msg === 'request' && l.route === 'getReady');
    assert.equal(access.length, 200, 'every request still has its access line');
  } finally {
    pgctl('start');
  }

  // Stale pooled connections are noticed before use: the very first
  // requests after the restart, writes included, succeed.
  for (let i = 0; i < 4; i++) {
    const w = await api('POST', '/api/v1/tokens', { token: co.token, body: { name: `first-${i}` }, allow5xx: [503] });
    assert.equal(w.status, 201, `write ${i} after the restart: ${w.text}`);
  }

  let ok = 0;
  const statuses = [];
  for (let i = 0; i < 40 && ok < 10; i++) {
    const r = await api('GET', '/api/v1/me', { token: co.token, allow5xx: [503] });
    statuses.push(r.status);
    ok = r.status === 200 ? ok + 1 : 0;
    if (r.status !== 200) await sleep(250);
  }
  assert.equal(ok, 10, `statuses after restart: ${statuses}`);
  const w = await api('POST', '/api/v1/tokens', { token: co.token, body: { name: 'after' } });
  assert.equal(w.status, 201);
  assert.equal((await api('GET', '/readyz')).status, 200);
  // hardening-4.3: the lines held back during the outage are counted in
  // the log once their window (10 s) has passed.
  // Each Kore worker counts its own repeats and writes its count when its
  // window has passed (nginx spreads the requests over both workers).
  let counted = [];
  const repeats = () => counted.reduce((n, l) => n + l.repeated, 0);
  for (let i = 0; i < 30 && repeats() < 150; i++) {
    await sleep(500);
    await api('GET', '/healthz');
    counted = logLines().filter((l) => /^readyz: database unavailable/.test(l.msg) && l.repeated > 0);
  }
  assert.ok(counted.length > 0, 'a count of the repeated lines is written');
  assert.ok(repeats() >= 150, JSON.stringify(counted));
});

test('restart-1.2: a restart nobody noticed: the first request on each pooled connection reconnects', async () => {
  const co = await tokenMaker('Restart-quiet');
  // Concurrent requests reach every Kore worker, so each one holds a
  // pooled connection.
  const burst = (tag) =>
    Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        i % 2
          ? api('POST', '/api/v1/tokens', { token: co.token, body: { name: `${tag}-${i}` }, allow5xx: [503] })
          : api('GET', '/api/v1/me', { token: co.token, allow5xx: [503] }),
      ),
    ).then((rs) => rs.map((r) => r.status));
  const want = Array.from({ length: 24 }, (_, i) => (i % 2 ? 201 : 200));
  assert.deepEqual(await burst('warm'), want);
  // No request while PostgreSQL is down: every pooled connection holds the
  // server's FATAL message and its end of file, unread.
  pgctl('restart');
  assert.deepEqual(await burst('after'), want);
});
