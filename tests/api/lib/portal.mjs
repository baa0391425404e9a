// Helpers for the portal suites: the portal's API with a contact's cookie,
// and the mail the worker delivered to the SMTP sink (scripts/smtp-sink,
// started with the stack: one .eml and one .json per message in
// CLIENTD_MAIL_DIR), read as a person's mail program would.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { api } from './http.mjs';
import { asOwner } from './db.mjs';
import { SOURCE } from './env.mjs';

export const MAIL_DIR = process.env.CLIENTD_MAIL_DIR;
export const RUNDIR = process.env.CLIENTD_RUNDIR;

// Every secret a test used, for the log check (portal-9).
export const secretsUsed = new Set();

export async function slugOf(token) {
  const me = await api('GET', '/api/v1/me', { token });
  const r = await asOwner((db) => db.query('SELECT slug FROM companies WHERE public_id = $1',
    [me.json.company.id]));
  return r.rows[0].slug;
}

export function portalCookie(res) {
  const m = /clientd_portal=([^;]*)/.exec(res.headers.get('set-cookie') ?? '');
  return m ? m[1] : undefined;
}

// The portal's API: p is a contact session {cookie, csrf} or undefined.
export function papi(method, slug, sub, opts = {}) {
  const headers = { ...(opts.headers ?? {}) };
  if (opts.p) {
    headers.Cookie = `clientd_portal=${opts.p.cookie}`;
    if (opts.csrf !== false) headers['X-CSRF-Token'] = opts.p.csrf;
  }
  return api(method, `/api/v1/portal/${slug}${sub}`, { ...opts, headers });
}

export function sessionOf(res) {
  assert.equal(res.status, 200, res.text);
  const s = { cookie: portalCookie(res), csrf: res.json.csrf_token, me: res.json };
  secretsUsed.add(s.cookie);
  return s;
}

export async function portalLogin(slug, email, password, ip) {
  const r = await papi('POST', slug, '/login', {
    body: { email, password }, headers: { 'X-Forwarded-For': ip ?? testAddress() },
  });
  return r;
}

export function testAddress() {
  return `198.18.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
}

// --- mail -------------------------------------------------------------------

function decodeHeader(v) {
  return v.replace(/\r?\n\s+/g, '').replace(/=\?UTF-8\?B\?([^?]*)\?=/gi,
    (_, b) => Buffer.from(b, 'base64').toString('utf8'));
}

function decodePart(headers, body) {
  if (/content-transfer-encoding:\s*base64/i.test(headers)) {
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  return body;
}

// One received message: envelope, headers, text (and html) decoded.
export function parseMail(file) {
  const raw = readFileSync(file, 'utf8');
  const env = JSON.parse(readFileSync(file.replace(/\.eml$/, '.json'), 'utf8'));
  const split = raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') : raw.indexOf('\n\n');
  const head = raw.slice(0, split);
  const rest = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const header = (n) => {
    const m = new RegExp(`^${n}:(.*(?:\\r?\\n[ \\t].*)*)`, 'mi').exec(head);
    return m ? decodeHeader(m[1].trim()) : undefined;
  };
  let text = rest;
  let html = null;
  const b = /boundary="([^"]+)"/.exec(head);
  if (b) {
    const parts = rest.split(`--${b[1]}`).slice(1, -1).map((p) => {
      const s = p.replace(/^\r?\n/, '');
      const i = s.indexOf('\r\n\r\n') >= 0 ? s.indexOf('\r\n\r\n') : s.indexOf('\n\n');
      return { h: s.slice(0, i), body: decodePart(s.slice(0, i), s.slice(i).trim()) };
    });
    text = parts.find((p) => /text\/plain/i.test(p.h))?.body ?? '';
    html = parts.find((p) => /text\/html/i.test(p.h))?.body ?? null;
  } else {
    text = decodePart(head, rest);
  }
  const link = /(https?:\/\/\S+)/.exec(text)?.[1];
  const secret = link && link.includes('#') ? link.split('#')[1] : undefined;
  if (secret) secretsUsed.add(secret);
  return { file, to: env.to, from: env.from, subject: header('Subject'), raw, text, html, link, secret };
}

export function mailsTo(address) {
  if (!MAIL_DIR || !existsSync(MAIL_DIR)) return [];
  return readdirSync(MAIL_DIR).filter((f) => f.endsWith('.eml')).sort()
    .map((f) => join(MAIL_DIR, f))
    .filter((f) => {
      try {
        return JSON.parse(readFileSync(f.replace(/\.eml$/, '.json'), 'utf8')).to
          .some((t) => t.toLowerCase() === address.toLowerCase());
      } catch {
        return false;
      }
    }).map(parseMail);
}

// Waits (up to ms) for the n-th message to address; returns it.
export async function waitForMail(address, { n = 1, ms = 15000 } = {}) {
  const end = Date.now() + ms;
  for (;;) {
    const got = mailsTo(address);
    if (got.length >= n) return got[n - 1];
    if (Date.now() > end) assert.fail(`no mail #${n} to ${address} within ${ms} ms`);
    await sleep(100);
  }
}

// --- the sink itself (portal-8: SMTP down, then back) ----------------------

const PIDFILE = RUNDIR ? join(RUNDIR, 'smtp-sink.pid') : undefined;

export async function stopSink() {
  const pid = Number(readFileSync(PIDFILE, 'utf8').trim());
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 50; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(100);
  }
  assert.fail('the SMTP sink did not stop');
}

export async function startSink() {
  const child = spawn('/usr/bin/python3', [join(SOURCE, 'scripts/smtp-sink'),
    '--port', process.env.CLIENTD_SINK_PORT, '--dir', MAIL_DIR],
  { detached: true, stdio: 'ignore' });
  child.unref();
  writeFileSync(PIDFILE, `${child.pid}\n`);
  const net = await import('node:net');
  for (let i = 0; i < 50; i++) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(Number(process.env.CLIENTD_SINK_PORT), '127.0.0.1');
      s.on('connect', () => { s.end(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(100);
  }
  assert.fail('the SMTP sink did not start');
}
