// The README's signature verification examples (section "Webhooks"), run
// as written on a real delivery from the stack (issue 15): each must
// accept it, and refuse it tampered, signed with another secret, or old.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SOURCE } from './lib/env.mjs';
import { api } from './lib/http.mjs';
import { newCompany } from './lib/fixtures.mjs';
import { createClient } from './lib/clients.mjs';
import { receiver } from './lib/receiver.mjs';

const OUT = join(SOURCE, 'var', 'webhooks-readme');

// The fenced block that follows "<!-- webhooks-readme: NAME -->".
function example(name) {
  const readme = readFileSync(join(SOURCE, 'README.md'), 'utf8');
  const m = new RegExp(`<!-- webhooks-readme: ${name} -->\\n\`\`\`\\w+\\n([\\s\\S]*?)\\n\`\`\``).exec(readme);
  assert.ok(m, `README.md has the ${name} example`);
  return m[1];
}

async function delivery() {
  const co = newCompany('Readme');
  const rx = await receiver(18943);
  try {
    const w = (await api('POST', '/api/v1/webhooks', { token: co.token, body: { url: rx.url('/readme'), events: ['client.created'] } })).json;
    await createClient(co.token, { name: 'Ünïcode GmbH' });
    await rx.waitFor((rs) => rs.length === 1);
    const r = rx.requests[0];
    const headers = Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, r.headers[h]]));
    return { secret: w.secret, headers, body: r.raw.toString('base64') };
  } finally {
    await rx.close();
  }
}

// The cases each example is run on: [what, case, expected].
function cases(d) {
  const other = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
  const body = Buffer.from(d.body, 'base64');
  const tampered = Buffer.from(body.toString('utf8').replace('GmbH', 'GmbX')).toString('base64');
  const old = { ...d.headers, 'webhook-timestamp': String(Number(d.headers['webhook-timestamp']) - 3600) };
  return [
    ['the delivery as it came', d, true],
    ['a tampered body', { ...d, body: tampered }, false],
    ['another secret', { ...d, secret: other }, false],
    ['an old timestamp', { ...d, headers: old }, false],
  ];
}

test('webhooks-readme-1.1: the Python example verifies a real delivery and refuses forgeries', async () => {
  mkdirSync(OUT, { recursive: true });
  const d = await delivery();
  writeFileSync(join(OUT, 'verify.py'), example('python') + `

import json, sys
for c in json.load(open(sys.argv[1])):
    print("valid" if verify_webhook(c["secret"], c["headers"], base64.b64decode(c["body"])) else "invalid")
`);
  const cs = cases(d);
  writeFileSync(join(OUT, 'cases.json'), JSON.stringify(cs.map(([, c]) => c)));
  const out = execFileSync('python3', [join(OUT, 'verify.py'), join(OUT, 'cases.json')], { encoding: 'utf8' });
  assert.deepEqual(out.trim().split('\n'), cs.map(([, , ok]) => (ok ? 'valid' : 'invalid')), out);
});

test('webhooks-readme-1.2: the JavaScript example verifies a real delivery and refuses forgeries', async () => {
  mkdirSync(OUT, { recursive: true });
  const d = await delivery();
  writeFileSync(join(OUT, 'verify.mjs'), example('javascript'));
  const { verifyWebhook } = await import(join(OUT, 'verify.mjs'));
  for (const [what, c, ok] of cases(d)) {
    assert.equal(verifyWebhook(c.secret, c.headers, Buffer.from(c.body, 'base64')), ok, what);
  }
});
