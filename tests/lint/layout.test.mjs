// layout.mjs must fail on each rule it checks (a check that cannot fail is
// a defect): a small tree per rule, written under build/ or the OS's tmp.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';

const checker = new URL('./layout.mjs', import.meta.url).pathname;

function tree(files) {
  const root = mkdtempSync(join(tmpdir(), 'clientd-layout-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function check(files) {
  const root = tree(files);
  const r = spawnSync(process.execPath, [checker, root], { encoding: 'utf8' });
  rmSync(root, { recursive: true, force: true });
  return r;
}

const good = {
  'api/src/core/a.h': '#include "core/b.h"\nint a_one(void);\n',
  'api/src/core/a.c': '#include "core/a.h"\n\nint\na_one(void)\n{\n\treturn (b_two());\n}\n\nstatic int\nhelper(void)\n{\n\treturn (0);\n}\n',
  'api/src/core/b.h': 'int b_two(void);\n',
  'api/src/core/b.c': '#include "core/b.h"\n\nint\nb_two(void)\n{\n\treturn (2);\n}\n',
};

test('layout-1.1: a clean tree passes', () => {
  const r = check(good);
  assert.equal(r.status, 0, r.stderr);
});

test('layout-1.2: two files with one base name fail', () => {
  const r = check({ ...good, 'api/src/http/a.c': '#include "core/a.h"\n' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /two files named a\.c/);
});

test('layout-1.3: an export without the file prefix fails', () => {
  const r = check({ ...good, 'api/src/core/b.c': '#include "core/b.h"\n\nint\nb_two(void)\n{\n\treturn (2);\n}\n\nint\nother_name(void)\n{\n\treturn (3);\n}\n' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /exports other_name\(\)/);
});

test('layout-1.4: an include cycle fails, with its path', () => {
  const r = check({ ...good, 'api/src/core/b.c': '#include "core/b.h"\n#include "core/a.h"\n' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /include cycle: api\/src\/core\/(a -> api\/src\/core\/b -> api\/src\/core\/a|b -> api\/src\/core\/a -> api\/src\/core\/b)/);
});

test('layout-1.5: an include not by its path fails', () => {
  const r = check({ ...good, 'api/src/core/b.c': '#include "b.h"\n' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /include "b\.h" by its path/);
});
