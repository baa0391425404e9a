// The migration runner (issue 2, item 3): recorded with checksums, and an
// edited or unknown migration stops the CLI, the worker and the daemon.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
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

// Starts a second daemon against the same database and returns its exit
// code and output (it must refuse to start, so it exits by itself).
function startDaemon() {
  const dir = mkdtempSync(join(tmpdir(), 'clientd-mig-'));
  const conf = readFileSync(join(SOURCE, 'api/conf/clientd.conf.in'), 'utf8')
    .replaceAll('@PORT@', '18897').replaceAll('@MODULE@', join(dirname(BIN), 'clientd.so'))
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

test('migrations-1.1: every migration in sql/ is recorded with its checksum', async () => {
  const rows = (await asOwner((db) => db.query('SELECT version, name, checksum FROM schema_migrations ORDER BY version'))).rows;
  assert.ok(rows.length >= 2);
  for (const r of rows) {
    const sum = createHash('sha256').update(readFileSync(join(SOURCE, 'sql', r.name))).digest('hex');
    assert.equal(r.checksum, sum, r.name);
  }
  assert.equal(run(['migrate']).out.trim().split('\n').pop().startsWith('database is up to date'), true);
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
      [createHash('sha256').update(readFileSync(join(SOURCE, 'sql/0001_foundation.sql'))).digest('hex')]));
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
