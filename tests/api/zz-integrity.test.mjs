// Runs after every other suite (but before zz-restart): whatever they did
// (postings, merges, purges, concurrent writes), every client's balance and
// paid-to-date in the whole database equal its ledger (issue 6, item 4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli } from './lib/fixtures.mjs';

test('integrity-1.1: clientd check-ledger finds no difference across all companies', () => {
  const out = cli(['check-ledger']);
  assert.match(out, /^ledger check: \d+ clients, \d+ entries, 0 differences$/m);
  const entries = Number(/(\d+) entries/.exec(out)[1]);
  assert.ok(entries >= 1000, `the suites posted entries (${entries})`);
});
