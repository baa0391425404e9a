// The one way tests talk to the daemon: real HTTP, every response checked
// against openapi.yaml, and never a 5xx unless the test says it expects one.
import { Agent, setGlobalDispatcher } from 'undici';
import { BASE } from './env.mjs';
import { validateResponse } from './openapi.mjs';

// A connection left idle is closed by the client after a second, long
// before the server's keep-alive timeout: otherwise a request can go out
// on a connection the server is closing at that moment ("other side
// closed", no response), which fetch does not retry. Node's own fetch
// takes this dispatcher.
setGlobalDispatcher(new Agent({ keepAliveTimeout: 1000, keepAliveMaxTimeout: 1000 }));

export async function api(method, path, opts = {}) {
  const headers = { ...(opts.headers ?? {}) };
  if (opts.token) headers['X-API-Token'] = opts.token;
  if (opts.bearer) headers.Authorization = `Bearer ${opts.bearer}`;
  if (opts.session) {
    headers.Cookie = `clientd_session=${opts.session.cookie}`;
    if (opts.session.csrf && opts.csrf !== false) headers['X-CSRF-Token'] = opts.session.csrf;
  }
  let body = opts.raw;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const res = await fetch(BASE + path, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  const ctype = res.headers.get('content-type') ?? '';
  let json;
  if (ctype.startsWith('application/json') && text.length > 0) {
    json = JSON.parse(text);
  }
  const allow5xx = opts.allow5xx ?? [];
  if (res.status >= 500 && !allow5xx.includes(res.status)) {
    throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`);
  }
  if (opts.validate !== false) {
    validateResponse(method, path.split('?')[0], res.status, ctype, json ?? (text || undefined));
  }
  return { status: res.status, headers: res.headers, json, text };
}

export function cookieFrom(res) {
  const set = res.headers.get('set-cookie') ?? '';
  const m = /clientd_session=([^;]*)/.exec(set);
  return m ? m[1] : undefined;
}

// Each test file logs in from an address of its own (198.19.1.0 and up, in
// 198.18.0.0/15, set aside for tests; the daemon trusts the loopback
// proxy's X-Forwarded-For), as users do: one address for the whole suite
// would meet the per-address login limit (hardening-1) that the tests of
// throttling exercise on purpose.
const ADDRESS = `198.19.${1 + Math.floor(Math.random() * 255)}.${1 + Math.floor(Math.random() * 254)}`;

export async function login(email, password, headers = {}) {
  const res = await api('POST', '/api/v1/login', {
    body: { email, password }, headers: { 'X-Forwarded-For': ADDRESS, ...headers },
  });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${res.text}`);
  return { cookie: cookieFrom(res), csrf: res.json.auth.csrf_token, me: res.json, res };
}

// fn(0) ... fn(n - 1), with at most `width` of them in flight, in order of
// i. The proxy answers 429 past 128 requests in progress from one address
// (api/conf/nginx.conf.in), and the tests of concurrency come from one.
export async function concurrently(n, fn, width = 100) {
  const results = new Array(n);
  let next = 0;
  const lane = async () => {
    while (next < n) {
      const i = next++;
      results[i] = await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, n) }, lane));
  return results;
}

// Field errors of a 422, as "field:code" strings.
export function fieldErrors(res) {
  return (res.json?.error?.errors ?? []).map((e) => `${e.field}:${e.code}`);
}
