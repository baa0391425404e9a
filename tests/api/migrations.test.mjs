// The migration runner (issue 2, item 3; issue 9): migrations and function
// files recorded with checksums, and an edited or unknown migration or
// function files that differ stop the CLI, the worker and the daemon.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createHash } from 'node:crypto';
import { BIN, SOURCE, APP_DSN, OWNER_DSN } from './lib/env.mjs';
import { asOwner } from './lib/db.mjs';

function run(args, dsnVar = 'DATABASE_OWNER_URL', dsn = OWNER_DSN) {
  try {
    const out = execFileSync(BIN, args, { env: { ...process.env, [dsnVar]: dsn }, encoding: 'utf8', stdio: 'pipe' });
    return { code: 0, out };
  } catch (e) {
    return { code: e.status, out: `${e.stdout}${e.stderr}` };
  }
}

const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');

// The migrations in sql/ and the function files in the order of
// sql/functions/ORDER, as the build embeds them.
function sqlFiles() {
  const migrations = readdirSync(join(SOURCE, 'sql')).filter((f) => /^\d{4}_.*\.sql$/.test(f)).sort()
    .map((name) => ({ version: Number(name.slice(0, 4)), name, checksum: sha256(join(SOURCE, 'sql', name)) }));
  const functions = readFileSync(join(SOURCE, 'sql/functions/ORDER'), 'utf8').split('\n')
    .map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))
    .map((name) => ({ name, checksum: sha256(join(SOURCE, 'sql/functions', name)) }));
  return { migrations, functions };
}

// A TCP port nobody listens on now (the kernel's pick), so that parallel
// runs of the suite do not collide.
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Starts a second daemon against the same database and returns its exit
// code and output (it must refuse to start, so it exits by itself).
async function startDaemon() {
  const dir = mkdtempSync(join(tmpdir(), 'clientd-mig-'));
  const conf = readFileSync(join(SOURCE, 'api/conf/clientd.conf.in'), 'utf8')
    .replaceAll('@PORT@', String(await freePort())).replaceAll('@METRICS_PORT@', String(await freePort()))
    .replaceAll('@MODULE@', join(dirname(BIN), 'clientd.so')).replaceAll('@KORE_SOCKET@', join(dir, 'kore.sock'))
    .replaceAll('@RUNDIR@', dir).replaceAll('@WORKERS@', '1');
  mkdirSync(join(dir, 'bodies'));
  writeFileSync(join(dir, 'clientd.conf'), conf);
  return new Promise((resolve) => {
    const p = spawn(process.env.CLIENTD_KORE ?? 'kore', ['-f', '-n', '-r', '-c', join(dir, 'clientd.conf')], {
      cwd: dir,
      env: {
        ...process.env, CLIENTD_DATABASE_URL: APP_DSN, CLIENTD_DB_WAIT: '0', TZ: 'UTC0',
        ASAN_OPTIONS: 'detect_leaks=0',
      },
    });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    const timer = setTimeout(() => p.kill('SIGKILL'), 15000);
    p.on('exit', (code) => { clearTimeout(timer); resolve({ code, out }); });
  });
}

test('migrations-1.1: every migration and function file in sql/ is recorded with its checksum', async () => {
  const want = sqlFiles();
  const rows = (await asOwner((db) => db.query('SELECT version, name, checksum FROM schema_migrations ORDER BY version'))).rows;
  assert.deepEqual(rows, want.migrations);
  const fns = (await asOwner((db) => db.query('SELECT name, checksum FROM schema_function_files ORDER BY name'))).rows;
  assert.deepEqual(fns, [...want.functions].sort((a, b) => a.name.localeCompare(b.name)));
  assert.ok(want.functions.length > 0);
  assert.equal(run(['migrate']).out.trim().split('\n').pop().startsWith('database is up to date'), true);
  const status = run(['migrate', '--status']).out.trim().split('\n');
  assert.deepEqual(status, [...want.migrations.map((m) => `applied  ${m.name}`),
    ...want.functions.map((f) => `applied  functions/${f.name}`)]);
  assert.equal(run(['check'], 'DATABASE_URL', APP_DSN).code, 0);
});

test('migrations-1.2: an edited migration is refused by migrate, check and the daemon', async () => {
  await asOwner((db) => db.query("UPDATE schema_migrations SET checksum = 'deadbeef' || substr(checksum, 9) WHERE version = 1"));
  try {
    const m = run(['migrate']);
    assert.equal(m.code, 1);
    assert.match(m.out, /migration 0001_foundation\.sql was edited after it was applied/);
    assert.match(m.out, /forward-only/);
    assert.equal(run(['check'], 'DATABASE_URL', APP_DSN).code, 1);
    const d = await startDaemon();
    assert.notEqual(d.code, 0);
    assert.match(d.out, /refusing to start: migration 0001_foundation\.sql was edited/);
  } finally {
    await asOwner((db) => db.query(
      'UPDATE schema_migrations SET checksum = $1 WHERE version = 1',
      [sha256(join(SOURCE, 'sql/0001_foundation.sql'))]));
  }
});

test('migrations-1.3: a migration this build does not know is refused', async () => {
  await asOwner((db) => db.query("INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, '9999_future.sql', 'x')"));
  try {
    const m = run(['migrate']);
    assert.equal(m.code, 1);
    assert.match(m.out, /database has migration 9999 \(9999_future\.sql\), which this build does not know/);
    const d = await startDaemon();
    assert.notEqual(d.code, 0);
    assert.match(d.out, /refusing to start: database has migration 9999/);
  } finally {
    await asOwner((db) => db.query('DELETE FROM schema_migrations WHERE version = 9999'));
  }
});

test('migrations-1.4: a database that is behind is refused until migrated', async () => {
  const last = (await asOwner((db) => db.query('SELECT * FROM schema_migrations ORDER BY version DESC LIMIT 1'))).rows[0];
  await asOwner((db) => db.query('DELETE FROM schema_migrations WHERE version = $1', [last.version]));
  try {
    const c = run(['check'], 'DATABASE_URL', APP_DSN);
    assert.equal(c.code, 1);
    assert.match(c.out, /run "clientd migrate" first/);
  } finally {
    await asOwner((db) => db.query('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)',
      [last.version, last.name, last.checksum, last.applied_at]));
  }
});

test('migrations-1.5: the daemon refuses to run as a role that bypasses RLS', async () => {
  const c = run(['check'], 'DATABASE_URL', OWNER_DSN);
  assert.equal(c.code, 1);
  assert.match(c.out, /owns the tables/);
});

test('migrations-1.6: function files that differ from the build are refused until migrate applies them again', async () => {
  await asOwner((db) => db.query("UPDATE schema_function_files SET checksum = 'deadbeef' WHERE name = 'ledger.sql'"));
  const c = run(['check'], 'DATABASE_URL', APP_DSN);
  assert.equal(c.code, 1);
  assert.match(c.out, /the SQL functions in the database differ from this build's \(functions\/ledger\.sql\): run "clientd migrate"/);
  assert.match(run(['migrate', '--status']).out, /^changed {2}functions\/ledger\.sql$/m);
  const d = await startDaemon();
  assert.notEqual(d.code, 0);
  assert.match(d.out, /refusing to start: the SQL functions in the database differ/);
  // migrate applies every function file again, in one transaction, while
  // this suite's daemon keeps serving.
  const m = run(['migrate']);
  assert.equal(m.code, 0, m.out);
  assert.match(m.out, /^applied functions\/tenancy\.sql$/m);
  assert.match(m.out, /^applied functions\/ledger\.sql$/m);
  assert.equal(run(['check'], 'DATABASE_URL', APP_DSN).code, 0);
  const fns = (await asOwner((db) => db.query("SELECT checksum FROM schema_function_files WHERE name = 'ledger.sql'"))).rows;
  assert.equal(fns[0].checksum, sha256(join(SOURCE, 'sql/functions/ledger.sql')));
});

test('migrations-1.7: the ledger kinds in the database are the build\'s, and checked at start', async () => {
  const kinds = (await asOwner((db) => db.query('SELECT kind, sign, moves_paid_to_date, postable FROM ledger_kinds ORDER BY kind'))).rows;
  assert.deepEqual(kinds.map((k) => k.kind), ['adjustment', 'credit', 'invoice', 'merge', 'opening_balance', 'payment', 'refund']);
  await asOwner((db) => db.query("UPDATE ledger_kinds SET sign = 'either' WHERE kind = 'invoice'"));
  try {
    const c = run(['check'], 'DATABASE_URL', APP_DSN);
    assert.equal(c.code, 1);
    assert.match(c.out, /ledger_kinds in the database differs from this build's: run "clientd migrate"/);
  } finally {
    assert.equal(run(['migrate']).code, 0);
  }
  assert.equal(run(['check'], 'DATABASE_URL', APP_DSN).code, 0);
});
