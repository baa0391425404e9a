// The route table and openapi.yaml describe the same API (STYLE principle 2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { BIN } from './lib/env.mjs';
import { spec } from './lib/openapi.mjs';

test('contract-1.1: every route is documented and every documented operation is routed', () => {
  const routes = execFileSync(BIN, ['routes'], { encoding: 'utf8' }).trim().split('\n')
    .map((l) => l.split(' ')).map(([m, p, op]) => `${m} ${p} ${op}`).sort();
  const documented = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const m of ['get', 'post', 'put', 'patch', 'delete']) {
      if (item[m]) documented.push(`${m.toUpperCase()} ${path} ${item[m].operationId}`);
    }
  }
  assert.deepEqual(routes, documented.sort());
});
