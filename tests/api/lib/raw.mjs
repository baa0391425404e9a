// Raw HTTP/1.1 over a socket, for the requests fetch cannot send (a POST
// without Content-Length, a space in the target, two Content-Length
// headers, a lower-case method, bytes after a body, half a header) and to
// reach Kore's own unix socket behind nginx's back, where its patches
// (api/kore/patches/) are tested without the proxy in front.
import assert from 'node:assert/strict';
import net from 'node:net';
import { BASE, KORE_SOCKET } from './env.mjs';
import { validateSchema } from './openapi.mjs';

export const url = new URL(BASE);

// A connection to nginx (what users reach; localAddress picks the client
// address, 127.0.0.2 being another loopback address on Linux) or to Kore.
export function connect(where = 'nginx', localAddress = undefined) {
  if (where === 'kore') {
    if (!KORE_SOCKET) throw new Error('CLIENTD_KORE_SOCKET is not set: run the API tests through scripts/test');
    return net.connect({ path: KORE_SOCKET });
  }
  return net.connect({ host: url.hostname, port: Number(url.port), localAddress });
}

// The responses in text, one after the other (Content-Length framed).
export function parseResponses(raw) {
  const out = [];
  let rest = raw;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const [line, ...fields] = rest.slice(0, end).split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(line);
    if (!m) break;
    const headers = {};
    for (const f of fields) {
      const i = f.indexOf(':');
      headers[f.slice(0, i).trim().toLowerCase()] = f.slice(i + 1).trim();
    }
    const len = Number(headers['content-length'] ?? 0);
    const bodyStart = end + 4;
    if (Buffer.byteLength(rest.slice(bodyStart), 'latin1') < len) break;
    out.push({ status: Number(m[1]), line, headers, body: rest.slice(bodyStart, bodyStart + len) });
    rest = rest.slice(bodyStart + len);
  }
  return out;
}

// Sends data and reads what comes back until the server closes the
// connection, `wait` ms have passed, or `responses` responses are in and
// `linger` ms more have passed (then it is closed here). ms is how long it
// took to the end of the last response or the close; closed says whether
// the server closed (or reset) the connection.
export function exchange(data, { where = 'nginx', localAddress, wait = 5000, responses, linger = 0 } = {}) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const sock = connect(where, localAddress);
    let raw = '';
    let closed = false;
    let done = false;
    let ms;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ raw, responses: parseResponses(raw), closed, ms: ms ?? Date.now() - started });
    };
    let timer = setTimeout(finish, wait);
    sock.setEncoding('latin1');
    sock.on('connect', () => sock.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data));
    sock.on('data', (d) => {
      raw += d;
      if (responses && ms === undefined && parseResponses(raw).length >= responses) {
        ms = Date.now() - started;
        clearTimeout(timer);
        timer = setTimeout(finish, linger);
      }
    });
    sock.on('error', (e) => {
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE') {
        closed = true;
        finish();
      } else if (!done) {
        done = true;
        clearTimeout(timer);
        reject(e);
      }
    });
    sock.on('close', () => {
      closed = true;
      finish();
    });
  });
}

// One request and its response (the first), as exchange() gives them;
// closed says whether the server closed the connection within 300 ms.
export async function request(data, opts = {}) {
  const r = await exchange(data, { responses: 1, linger: 300, ...opts });
  assert.ok(r.responses.length > 0, `no response to ${JSON.stringify(data.toString().slice(0, 80))}: ${JSON.stringify(r.raw.slice(0, 300))}`);
  return { ...r.responses[0], all: r.responses, closed: r.closed, ms: r.ms, raw: r.raw };
}

// res is the JSON error envelope with this status (and code), its request
// id also in X-Request-Id; returns the envelope's error object.
export function assertEnvelope(res, status, code) {
  assert.equal(res.status, status, res.raw?.slice(0, 600));
  assert.match(res.headers['content-type'] ?? '', /^application\/json/, res.raw?.slice(0, 600));
  const body = JSON.parse(res.body);
  validateSchema('#/components/schemas/Error', body, `${status} ${code}`);
  assert.equal(body.error.status, status);
  if (code) assert.equal(body.error.code, code);
  assert.ok(body.error.request_id, 'a request id');
  assert.equal(res.headers['x-request-id'], body.error.request_id);
  return body.error;
}

// "Name: value\r\n" lines for a request.
export function head(method, target, fields = {}) {
  const lines = [`${method} ${target} HTTP/1.1`, `Host: ${url.host}`];
  for (const [k, v] of Object.entries(fields)) lines.push(v === '' ? `${k}:` : `${k}: ${v}`);
  return lines.join('\r\n') + '\r\n\r\n';
}
