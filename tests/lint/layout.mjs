// The source tree's layout rules (issue 9), checked from the files alone:
//
//   1. no two C files share a base name (x.c / x.h pairs sit side by side);
//   2. a file's name is the prefix of what it exports: every function
//      defined without `static` in x.c is x_* (or exactly x), except
//      main() and the hooks Kore looks up by name (kore_*);
//   3. no include cycle between modules: x.c and x.h are module x, and
//      `#include "dir/y.h"` makes x depend on y; a cycle is reported with
//      its path.
//
// Usage: node tests/lint/layout.mjs [root]   (exit 1 on any violation)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, basename, extname } from 'node:path';
import process from 'node:process';

const root = process.argv[2] ?? new URL('../..', import.meta.url).pathname;
const trees = ['api/src', 'tests/unit', 'tests/fuzz'];
const problems = [];

function walk(dir) {
  let out = [];
  let names;
  try { names = readdirSync(dir); } catch { return out; }
  for (const n of names) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out = out.concat(walk(p));
    else if (/\.[ch]$/.test(n)) out.push(p);
  }
  return out;
}

const files = trees.flatMap((t) => walk(join(root, t)));
const stem = (f) => basename(f, extname(f));

// 1. Base names.
const seen = new Map();
for (const f of files) {
  const key = `${stem(f)}${extname(f)}`;
  const other = seen.get(key);
  if (other) problems.push(`two files named ${key}: ${relative(root, other)} and ${relative(root, f)}`);
  else seen.set(key, f);
}
for (const f of files.filter((x) => x.endsWith('.h'))) {
  const c = seen.get(`${stem(f)}.c`);
  if (c && dirname(c) !== dirname(f))
    problems.push(`${relative(root, f)} and ${relative(root, c)} share a name but not a directory`);
}

// 2. Exports. A definition: a line starting with an identifier and "(",
// the line above holding its return type without `static`.
const stripComments = (s) => s.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '));
for (const f of files.filter((x) => x.endsWith('.c') && x.includes('/api/src/'))) {
  const lines = stripComments(readFileSync(f, 'utf8')).split('\n');
  const prefix = stem(f);
  lines.forEach((line, i) => {
    const m = /^([A-Za-z_]\w*)\(/.exec(line);
    if (!m || i === 0) return;
    const type = lines[i - 1];
    if (/^\s*$/.test(type) || /\bstatic\b/.test(type) || /[;{}]\s*$/.test(type) || /^#/.test(type)) return;
    const name = m[1];
    if (name === 'main' || name.startsWith('kore_')) return;
    if (name !== prefix && !name.startsWith(`${prefix}_`))
      problems.push(`${relative(root, f)}:${i + 1}: exports ${name}(), which does not start with "${prefix}_"`);
  });
}

// 3. Include cycles between modules.
const moduleOf = (f) => relative(root, f).replace(/\.[ch]$/, '');
const byPath = new Map(files.map((f) => [relative(root, f), f]));
const edges = new Map();
for (const f of files) {
  const from = moduleOf(f);
  const base = f.includes('/api/src/') ? join(root, 'api/src') : dirname(f);
  for (const m of readFileSync(f, 'utf8').matchAll(/^#include "([^"]+)"/gm)) {
    let target = relative(root, join(base, m[1]));
    if (!byPath.has(target)) target = relative(root, join(root, 'api/src', m[1]));
    if (!byPath.has(target)) {
      if (f.includes('/api/src/') && !m[1].includes('/'))
        problems.push(`${relative(root, f)}: include "${m[1]}" by its path from api/src`);
      continue;
    }
    const to = target.replace(/\.[ch]$/, '');
    if (to === from) continue;
    if (!edges.has(from)) edges.set(from, new Set());
    edges.get(from).add(to);
  }
}
const state = new Map();
const stack = [];
function visit(n) {
  state.set(n, 1);
  stack.push(n);
  for (const m of edges.get(n) ?? []) {
    if (state.get(m) === 1) {
      problems.push(`include cycle: ${stack.slice(stack.indexOf(m)).concat(m).join(' -> ')}`);
    } else if (!state.has(m)) {
      visit(m);
    }
  }
  stack.pop();
  state.set(n, 2);
}
for (const n of edges.keys()) if (!state.has(n)) visit(n);

if (problems.length) {
  for (const p of problems) console.error(p);
  console.error(`layout: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`layout: ${files.length} files, ${edges.size} modules with includes, no shared names, no cycles`);
