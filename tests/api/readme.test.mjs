// README's API examples, run as they are written (issue 10, finding 2):
// every curl command of README's "Using it" part is taken from README.md,
// given real ids and a token for <id> and $T, and run with curl (the
// client README tells users to use) against the stack, in README's order.
// Each must answer the status listed below, which openapi.yaml documents
// for its operation; an example without a listed status, or a listed one
// README no longer has, fails the test, so README cannot drift from what
// the API does. Before issue 10 the archive example got a bare 411.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE, SOURCE } from './lib/env.mjs';
import { api } from './lib/http.mjs';
import { findTemplate, spec } from './lib/openapi.mjs';
import { tokenMaker } from './lib/fixtures.mjs';
import { createClient } from './lib/clients.mjs';

// "METHOD path" (README's placeholders kept, no query) -> status.
const EXPECTED = new Map([
  ['GET /me', 200],
  ['GET /tokens', 200],
  ['POST /tokens', 201],
  ['DELETE /tokens/<id>', 204],
  ['POST /clients', 201],
  ['GET /clients', 200],
  ['GET /clients/<id>', 200],
  ['PATCH /clients/<id>', 200],
  ['POST /clients/<id>/archive', 200],
  ['DELETE /clients/<id>', 200],
  ['POST /clients/bulk', 200],
  ['POST /clients/<id>/merge', 200],
  ['POST /clients/<id>/contacts', 201],
  ['GET /contacts', 200],
  ['GET /clients/<id>/activity', 200],
  ['GET /settings', 200],
  ['POST /groups', 201],
  ['GET /clients/<id>/settings', 200],
  ['PATCH /clients/<id>/settings', 200],
  ['PATCH /settings', 200],
  ['GET /settings/client-number-preview', 200],
  ['POST /clients/<id>/ledger', 201],
  ['GET /clients/<id>/ledger', 200],
  ['GET /clients/<id>/ledger/summary', 200],
  ['GET /clients/<id>/ledger/statement', 200],
  ['GET /ledger', 200],
  ['GET /ledger/check', 200],
  ['GET /profile', 200],
  ['PATCH /profile', 200],
  // README's "..." placeholders: the new password is too short.
  ['POST /profile/password', 422],
  ['GET /users', 200],
  ['GET /groups/<group id>', 200],
  ['POST /webhooks', 201],
  ['GET /webhooks/events', 200],
  ['GET /webhooks/sample', 200],
  ['POST /webhooks/<id>/test', 202],
  ['GET /webhooks/<id>/deliveries', 200],
  ['POST /webhooks/<id>/deliveries/<delivery id>/retry', 202],
  ['POST /webhooks/<id>/rotate-secret', 200],
  ['PATCH /webhooks/<id>', 200],
  ['DELETE /webhooks/<id>', 204],
  ['POST /clients/<id>/documents', 201],
  ['GET /clients/<id>/documents', 200],
  ['GET /documents', 200],
  ['GET /documents/<document>/download', 200],
  ['PATCH /documents/<document>', 200],
  ['DELETE /documents/<document>', 204],
]);

// README's shell blocks of "Using it", split into commands (a command goes
// on while its line ends in "\" or a single quote is open).
function readmeCommands() {
  const readme = readFileSync(join(SOURCE, 'README.md'), 'utf8');
  const part = readme.slice(readme.indexOf('\n## Using it'), readme.indexOf('\n## Operating it'));
  assert.ok(part.length > 100, 'README has its "Using it" part');
  const commands = [];
  for (const [, block] of part.matchAll(/```sh\n([\s\S]*?)```/g)) {
    let cur = '';
    for (const full of block.split('\n')) {
      if (cur === '' && (full.trim() === '' || full.trim().startsWith('#'))) continue;
      const line = full.replace(/\s+#\s.*$/, '');
      cur += (cur ? '\n' : '') + line;
      const quotes = (cur.replace(/"[^"']*"/g, '').match(/'/g) ?? []).length;
      if (line.endsWith('\\') || quotes % 2 === 1) continue;
      commands.push(cur);
      cur = '';
    }
  }
  return commands;
}

// "METHOD path" of a curl command line.
function operation(cmd) {
  const m = /-X ([A-Z]+)/.exec(cmd);
  const method = m ? m[1] : / -d | -F /.test(cmd) ? 'POST' : 'GET';
  const u = /(?:\$U|http:\/\/127\.0\.0\.1:8888\/api\/v1)(\/(?:<[^>]*>|[^\s"?'])*)/.exec(cmd);
  assert.ok(u, `no API URL in: ${cmd}`);
  return `${method} ${u[1]}`;
}

function documented(op, status) {
  const method = op.slice(0, op.indexOf(' '));
  const path = op.slice(op.indexOf(' ') + 1);
  const tpl = findTemplate(`/api/v1${path.replace(/<[^>]+>/g, 'x')}`);
  assert.ok(tpl, `${op} is not in openapi.yaml`);
  return Boolean(spec.paths[tpl][method.toLowerCase()]?.responses?.[String(status)]);
}

test('readme-1.1: every curl example of README runs as written, with its documented status', async () => {
  const commands = readmeCommands();
  const curls = commands.filter((c) => c.startsWith('curl '));
  assert.ok(curls.length >= 25, `README has ${curls.length} curl examples`);

  // README's list matches the statuses above, both ways.
  const ops = curls.map(operation);
  for (const op of ops) assert.ok(EXPECTED.has(op), `README's "${op}" has no expected status here`);
  for (const op of EXPECTED.keys()) assert.ok(ops.includes(op), `README no longer has "${op}"`);
  for (const [op, status] of EXPECTED) assert.ok(documented(op, status), `openapi.yaml does not document ${status} for ${op}`);

  // A company of its own, its owner's token made by the CLI as scripts/run
  // makes the demo's, with tokens.create as the demo's owner has it; two
  // more clients and a group for the examples that need them before
  // README makes its own.
  const co = await tokenMaker('Readme');
  const ids = {
    '<id2>': (await createClient(co.token)).id,
    '<duplicate id>': (await createClient(co.token)).id,
    '<group id>': (await api('POST', '/api/v1/groups', { token: co.token, body: { name: 'Readme group' } })).json.id,
  };
  assert.equal((await api('DELETE', `/api/v1/clients/${ids['<id2>']}`, { token: co.token })).status, 200);
  const made = {};
  let previous = '';
  const dir = mkdtempSync(join(tmpdir(), 'clientd-readme-'));
  const assignments = [];
  let ran = 0;
  try {
    for (const cmd of commands) {
      if (/^T=/.test(cmd)) continue;
      if (!cmd.startsWith('curl ')) {
        // H=...; J=...; U=...: kept for the commands that follow.
        assignments.push(cmd.replaceAll('http://127.0.0.1:8888', BASE));
        continue;
      }
      const op = operation(cmd);
      const kind = op.split(' ')[1].split('/')[1];
      let run = cmd.replaceAll('http://127.0.0.1:8888', BASE)
        .replaceAll('<id>', made[kind] ?? made.clients)
        .replaceAll('<id2>', ids['<id2>']).replaceAll('<duplicate id>', ids['<duplicate id>'])
        .replaceAll('<group id>', made.groups ?? ids['<group id>']).replaceAll('<document>', made.documents);
      // A delivery of the webhook: the test ping's, queued just before.
      if (run.includes('<delivery id>')) {
        const d = await api('GET', `/api/v1/webhooks/${made.webhooks}/deliveries`, { token: co.token });
        run = run.replaceAll('<delivery id>', d.json.data[0].id);
      }
      // README's ETag "3" is the one the example before it printed.
      const etag = /etag: (\S+)/i.exec(previous);
      if (etag) run = run.replace(`If-Match: "3"`, `If-Match: ${etag[1]}`);
      assert.doesNotMatch(run, /<[a-z_ ]+>|undefined/, `a placeholder is left in: ${run}`);
      const script = [
        'set -e',
        `curl() { command curl -sS -w '%{stderr}STATUS %{http_code}\\n' "$@"; }`,
        ...assignments,
        run,
      ].join('\n');
      const r = spawnSync('bash', ['-c', script], {
        cwd: dir, env: { ...process.env, T: co.token }, encoding: 'utf8',
      });
      const out = r.stdout;
      assert.equal(r.status, 0, `${cmd}\nfailed: ${r.stderr}${out}`);
      const status = Number(/STATUS (\d{3})/.exec(r.stderr)?.[1]);
      previous = out;
      ran++;
      assert.ok(status, `no status for ${cmd}`);
      assert.equal(status, EXPECTED.get(op), `${cmd}\nanswered ${status}: ${out.slice(0, 600)}`);
      if (status === 201 && op.startsWith('POST /') && op.split('/').length === 2) {
        made[kind] = JSON.parse(out).id;
      }
      // An upload answers its documents: the first is README's <document>.
      if (status === 201 && op === 'POST /clients/<id>/documents') made.documents = JSON.parse(out).data[0].id;
    }
    assert.equal(ran, curls.length, 'every example ran');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
