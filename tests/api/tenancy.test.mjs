// Tenant isolation twice over (issue 2, item 4): row-level security on
// every tenant table for the daemon's role, and 404 for another tenant's
// ids over HTTP. Also the round-trip cost of an authenticated read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api } from './lib/http.mjs';
import { newCompany } from './lib/fixtures.mjs';
import { asApp, asOwner } from './lib/db.mjs';

// Every table of the public schema with a company_id column, plus companies.
async function tenantTables() {
  return asOwner(async (db) => (await db.query(`
    SELECT c.relname AS name, c.relrowsecurity AS rls,
      (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND (c.relname = 'companies'
      OR EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
        AND a.attname = 'company_id' AND NOT a.attisdropped))
    ORDER BY 1`)).rows);
}

test('tenancy-1.1: every tenant table has row-level security and a policy', async () => {
  const tables = await tenantTables();
  assert.ok(tables.length >= 8, `found ${tables.map((t) => t.name)}`);
  for (const t of tables) {
    assert.equal(t.rls, true, `${t.name} has RLS enabled`);
    assert.ok(Number(t.policies) > 0, `${t.name} has a policy`);
  }
});

test('tenancy-1.2: with no tenant set the daemon\'s role sees nothing in any tenant table', async () => {
  newCompany('Tenancy');
  const tables = await tenantTables();
  for (const t of tables) {
    const owner = await asOwner((db) => db.query(`SELECT count(*)::int AS n FROM ${t.name}`));
    const app = await asApp((db) => db.query(`SELECT count(*)::int AS n FROM ${t.name}`));
    assert.equal(app.rows[0].n, 0, `${t.name}: clientd_app sees ${app.rows[0].n} rows without a tenant`);
    if (['companies', 'users', 'api_tokens', 'events', 'clients', 'client_contacts'].includes(t.name)) {
      assert.ok(owner.rows[0].n > 0, `${t.name} has rows to hide`);
    }
  }
});

test('tenancy-1.3: with a tenant set the daemon\'s role sees only that tenant', async () => {
  const counts = await asApp(async (db) => {
    await db.query('BEGIN');
    await db.query(`SELECT set_config('app.company_id', (SELECT 1)::text, true)`);
    const r = await db.query('SELECT DISTINCT company_id FROM users');
    const c = await db.query('SELECT id FROM companies');
    await db.query('ROLLBACK');
    return { users: r.rows, companies: c.rows };
  });
  assert.deepEqual(counts.users.map((r) => Number(r.company_id)), [1]);
  assert.deepEqual(counts.companies.map((r) => Number(r.id)), [1]);
});

test('tenancy-1.4: the daemon\'s role cannot write into another tenant', async () => {
  await asApp(async (db) => {
    await db.query('BEGIN');
    await db.query(`SELECT set_config('app.company_id', '1', true)`);
    await assert.rejects(db.query(
      `INSERT INTO events (company_id, type, entity_type, actor_type) VALUES (2, 'x', 'y', 'system')`),
    /row-level security/);
    await db.query('ROLLBACK');
  });
});

test('tenancy-1.5: the daemon\'s role does not own tables and does not bypass RLS', async () => {
  const r = await asApp((db) => db.query(`
    SELECT rolsuper, rolbypassrls,
      (SELECT count(*)::int FROM pg_tables WHERE tableowner = current_user) AS owned
    FROM pg_roles WHERE rolname = current_user`));
  assert.deepEqual(r.rows[0], { rolsuper: false, rolbypassrls: false, owned: 0 });
});

test('tenancy-1.6: an authenticated read costs one database round trip', async () => {
  const co = newCompany('Tenancy');
  for (const path of ['/api/v1/me', '/api/v1/tokens']) {
    const r = await api('GET', path, { token: co.token });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('server-timing'), /desc="1 round trip"/, path);
  }
});
