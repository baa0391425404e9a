// A webhook receiver for the tests: a real HTTP server on loopback (ports
// 18930-18949) that records every request (headers, raw body, when) and
// answers as the test says, per request: status, headers, body, delay.
import http from 'node:http';
import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

export const RECEIVER_HOST = '127.0.0.1';
// Each test run may shift every port by CLIENTD_TEST_RECEIVER_OFFSET, so
// that two runs on one machine (two worktrees) do not collide.
export const PORT_OFFSET = Number(process.env.CLIENTD_TEST_RECEIVER_OFFSET ?? 0);
/** The port a test names (18930-18949), shifted for this run. */
export const rport = (n) => n + PORT_OFFSET;

export async function receiver(basePort, answer = () => ({ status: 200, body: 'ok' })) {
  const port = rport(basePort);
  const requests = [];
  const inflight = new Map();
  let maxInflight = new Map();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks);
      const r = { path: req.url, headers: req.headers, raw, at: Date.now() };
      try { r.json = JSON.parse(raw.toString('utf8')); } catch { r.json = undefined; }
      const lane = req.url;
      inflight.set(lane, (inflight.get(lane) ?? 0) + 1);
      maxInflight.set(lane, Math.max(maxInflight.get(lane) ?? 0, inflight.get(lane)));
      requests.push(r);
      const a = (await answer(r, requests.length)) ?? {};
      if (a.delay) await sleep(a.delay);
      inflight.set(lane, inflight.get(lane) - 1);
      if (a.destroy) { req.socket.destroy(); return; }
      res.writeHead(a.status ?? 200, { 'content-type': 'text/plain', ...(a.headers ?? {}) });
      res.end(a.body ?? '');
    });
  });
  server.keepAliveTimeout = 30000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, RECEIVER_HOST, resolve);
  });
  return {
    port,
    url: (path = '/') => `http://${RECEIVER_HOST}:${port}${path}`,
    requests,
    maxInflight: (lane) => maxInflight.get(lane) ?? 0,
    setAnswer(fn) { answer = fn; },
    async waitFor(pred, timeoutMs = 10000, what = 'the deliveries') {
      const end = Date.now() + timeoutMs;
      for (;;) {
        if (pred(requests)) return requests;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}; got ${requests.length} requests`);
        await sleep(50);
      }
    },
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}

// Standard Webhooks verification, as a receiver does it (README's examples
// do the same; webhooks-readme runs those).
export function signatures(secret, id, ts, raw) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return 'v1,' + createHmac('sha256', key).update(`${id}.${ts}.`).update(raw).digest('base64');
}

export function verified(secret, r) {
  const want = signatures(secret, r.headers['webhook-id'], r.headers['webhook-timestamp'], r.raw);
  const ts = Number(r.headers['webhook-timestamp']);
  return Math.abs(Date.now() / 1000 - ts) < 300 &&
    (r.headers['webhook-signature'] ?? '').split(' ').includes(want);
}
