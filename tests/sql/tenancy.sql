-- pgTAP: sql/functions/tenancy.sql (the tenant of a transaction and the
-- row-level security of every tenant table).
BEGIN;
\ir lib/fixture.psql
SELECT plan(134);

-- A row of each tenant table in each company (superuser: no RLS).
INSERT INTO sessions (company_id, user_id, token_hash, expires_at)
    VALUES (901, 913, sha256('sa'), now() + interval '1 day'),
	   (902, 921, sha256('sb'), now() + interval '1 day');
INSERT INTO api_tokens (company_id, user_id, name, prefix, token_hash)
    VALUES (901, 913, 'a', 'cdt_a', sha256('ta')), (902, 921, 'b', 'cdt_b', sha256('tb'));
INSERT INTO events (company_id, type, entity_type, actor_type)
    VALUES (901, 't', 'x', 'system'), (902, 't', 'x', 'system');
INSERT INTO jobs (company_id, kind) VALUES (901, 'k'), (902, 'k');
INSERT INTO idempotency_keys (company_id, actor, key, fingerprint)
    VALUES (901, 'a', 'k', 'f'), (902, 'b', 'k', 'f');
INSERT INTO client_groups (id, company_id, name) VALUES (931, 901, 'GA'), (932, 902, 'GB');
INSERT INTO clients (id, company_id, number, name)
    VALUES (941, 901, '1', 'Client A'), (942, 902, '1', 'Client B');
INSERT INTO client_contacts (company_id, client_id, first_name)
    VALUES (901, 941, 'Ann'), (902, 942, 'Bob');
INSERT INTO ledger_entries (company_id, client_id, seq, kind, amount, balance_after,
    paid_to_date_after, currency, occurred_at, actor_type)
    VALUES (901, 941, 1, 'invoice', 1, 1, 0, 'USD', now(), 'system'),
	   (902, 942, 1, 'invoice', 1, 1, 0, 'USD', now(), 'system');
INSERT INTO webhooks (id, company_id, url, events, secret, secret_hint)
    VALUES (951, 901, 'https://a.example/', '{*}', '\x01', 'whsec_aaaa'),
	   (952, 902, 'https://b.example/', '{*}', '\x01', 'whsec_bbbb');
INSERT INTO webhook_messages (id, public_id, company_id, type, created_at, data)
    VALUES (961, 'ma', 901, 'ping', now(), '{}'), (962, 'mb', 902, 'ping', now(), '{}');
INSERT INTO webhook_deliveries (id, company_id, webhook_id, message_id)
    VALUES (971, 901, 951, 961), (972, 902, 952, 962);
INSERT INTO webhook_attempts (company_id, delivery_id, started_at, latency_ms, outcome)
    VALUES (901, 971, now(), 1, 'delivered'), (902, 972, now(), 1, 'delivered');
INSERT INTO import_templates (company_id, name, header_key, headers, mapping)
    VALUES (901, 'TA', 'k', '[]', '[]'), (902, 'TB', 'k', '[]', '[]');
INSERT INTO imports (id, company_id, status, file_name)
    VALUES (951, 901, 'uploaded', 'a.csv'), (952, 902, 'uploaded', 'b.csv');
INSERT INTO import_chunks (import_id, company_id, seq, data)
    VALUES (951, 901, 0, 'a'), (952, 902, 0, 'b');
INSERT INTO import_progress (import_id, company_id, phase)
    VALUES (951, 901, 'run'), (952, 902, 'run');
INSERT INTO import_checkpoints (import_id, company_id, rows_done, last_row)
    VALUES (951, 901, 0, 0), (952, 902, 0, 0);
INSERT INTO import_issues (import_id, company_id, phase, row, line, kind)
    VALUES (951, 901, 'run', 2, 2, 'error'), (952, 902, 'run', 2, 2, 'error');
INSERT INTO import_keys (import_id, company_id, phase, kind, value, row)
    VALUES (951, 901, 'run', 'key', 'a', 2), (952, 902, 'run', 'key', 'b', 2);
INSERT INTO portal_accounts (company_id, email) VALUES (901, 'a@a.test'), (902, 'b@b.test');
INSERT INTO portal_links (company_id, contact_id, email, kind, secret_hash, expires_at)
    SELECT company_id, id, '', 'magic', sha256(first_name::bytea), now() FROM client_contacts
    WHERE client_id IN (941, 942);
INSERT INTO portal_sessions (company_id, contact_id, email, token_hash, expires_at)
    SELECT company_id, id, '', sha256(('s' || first_name)::bytea), now() FROM client_contacts
    WHERE client_id IN (941, 942);
INSERT INTO document_blobs (id, company_id, sha256, size, chunk_size, refs)
    VALUES (9801, 901, sha256('a'), 1, 1, 0), (9802, 902, sha256('b'), 1, 1, 0);
INSERT INTO document_chunks (blob_id, company_id, seq, data)
    VALUES (9801, 901, 0, 'a'), (9802, 902, 0, 'b');
INSERT INTO documents (company_id, blob_id, client_id, name, declared_type, sniffed_type,
    content_type, size, uploader_type, uploader_id)
    VALUES (901, 9801, 941, 'a', 'x/y', 'x/y', 'x/y', 1, 'user', 'u'),
	   (902, 9802, 942, 'b', 'x/y', 'x/y', 'x/y', 1, 'user', 'u');
INSERT INTO mail_outbox (id, company_id, kind, to_address, subject, body_text)
    VALUES (9901, 901, 'magic', 'a@a.test', 's', 't'), (9902, 902, 'magic', 'b@b.test', 's', 't');
INSERT INTO mail_attempts (company_id, mail_id, ok) VALUES (901, 9901, true), (902, 9902, true);

-- The tenant tables: companies and every table with a company_id.
CREATE TABLE tap.tenant_tables AS
SELECT c.relname::text AS t FROM pg_class c
WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
    AND (c.relname = 'companies' OR EXISTS (SELECT 1 FROM pg_attribute a
	WHERE a.attrelid = c.oid AND a.attname = 'company_id' AND NOT a.attisdropped));
GRANT SELECT ON tap.tenant_tables TO PUBLIC;

SELECT is(ARRAY(SELECT t FROM tap.tenant_tables ORDER BY t),
    ARRAY['api_tokens', 'client_contacts', 'client_groups', 'client_stats', 'clients',
	'companies', 'document_blobs', 'document_chunks', 'documents', 'events', 'idempotency_keys', 'import_checkpoints', 'import_chunks',
	'import_issues', 'import_keys', 'import_progress', 'import_templates', 'imports',
	'jobs', 'ledger_entries', 'mail_attempts', 'mail_outbox', 'portal_accounts',
	'portal_links', 'portal_sessions', 'sessions', 'users', 'webhook_attempts',
	'webhook_deliveries', 'webhook_messages', 'webhooks'],
    'tenancy-1.1: the tenant tables (a new one must join tenancy.sql''s list and this one)');
SELECT is(ARRAY(SELECT t FROM tap.tenant_tables tt WHERE NOT EXISTS (SELECT 1
    FROM pg_class c WHERE c.relname = tt.t AND c.relrowsecurity
	AND c.relnamespace = 'public'::regnamespace)), '{}'::text[],
    'tenancy-1.2: every tenant table has row-level security');
SELECT is(ARRAY(SELECT t FROM tap.tenant_tables tt WHERE NOT EXISTS (SELECT 1
    FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = tt.t
	AND p.policyname = 'tenant' AND p.roles = '{public}'
	AND p.qual IN ('(company_id = app_company_id())', '(id = app_company_id())'))),
    '{}'::text[], 'tenancy-1.3: every tenant table has the tenant policy, for everyone');
SELECT is(ARRAY(SELECT tablename || '.' || policyname FROM pg_policies
    WHERE schemaname = 'public' AND policyname <> 'tenant'), ARRAY['jobs.worker_claim'],
    'tenancy-1.4: the one other policy lets the worker claim any tenant''s jobs');
SELECT ok((SELECT relrowsecurity FROM pg_class WHERE oid = 'login_attempts'::regclass)
    AND NOT EXISTS (SELECT 1 FROM pg_policies WHERE tablename = 'login_attempts'),
    'tenancy-1.5: login_attempts has row-level security and no policy: nobody reads it');

-- tap.rows(table, where): how many rows the current role sees.
CREATE FUNCTION tap.rows(p_table text, p_where text DEFAULT 'true') RETURNS bigint
    LANGUAGE plpgsql
    AS $$
DECLARE
	n bigint;
BEGIN
	EXECUTE format('SELECT count(*) FROM public.%I WHERE %s', p_table, p_where) INTO n;
	RETURN n;
END
$$;
-- tap.changed(sql): how many rows sql changed.
CREATE FUNCTION tap.changed(p_sql text) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
DECLARE
	n bigint;
BEGIN
	EXECUTE p_sql;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;
CREATE FUNCTION tap.company_column(p_table text) RETURNS text
    LANGUAGE sql
    AS $$ SELECT CASE p_table WHEN 'companies' THEN 'id' ELSE 'company_id' END $$;

-- No tenant set: nothing, in every table.
SET LOCAL ROLE clientd_app;
SELECT is(tap.rows(t), 0::bigint, format('tenancy-2.1: no tenant set: %s shows nothing', t))
FROM tap.tenant_tables ORDER BY t;
-- Tenant A: its own rows, none of B's.
SELECT tap.act('ua-owner');
SELECT is(tap.rows(t, tap.company_column(t) || ' = 902'), 0::bigint,
    format('tenancy-3.1: company A sees none of company B''s %s', t))
FROM tap.tenant_tables ORDER BY t;
SELECT cmp_ok(tap.rows(t, tap.company_column(t) || ' = 901'), '>', 0::bigint,
    format('tenancy-3.2: (twin) company A sees its own %s', t))
FROM tap.tenant_tables ORDER BY t;

-- Writes into company B from company A: refused or nothing to write to.
SELECT throws_ok(sql, '42501', 'new row violates row-level security policy for table "' || t || '"',
    format('tenancy-4.1: company A cannot insert into company B''s %s', t))
FROM (VALUES
    ('api_tokens', $$INSERT INTO api_tokens (company_id, user_id, name, prefix, token_hash) VALUES (902, 921, 'x', 'x', sha256('x'))$$),
    ('events', $$INSERT INTO events (company_id, type, entity_type, actor_type) VALUES (902, 't', 'x', 'system')$$),
    ('jobs', $$INSERT INTO jobs (company_id, kind) VALUES (902, 'k')$$),
    ('idempotency_keys', $$INSERT INTO idempotency_keys (company_id, actor, key, fingerprint) VALUES (902, 'x', 'x', 'f')$$),
    ('client_groups', $$INSERT INTO client_groups (company_id, name) VALUES (902, 'X')$$),
    ('clients', $$INSERT INTO clients (company_id, number) VALUES (902, 'X')$$),
    ('client_contacts', $$INSERT INTO client_contacts (company_id, client_id) VALUES (902, 942)$$),
    ('ledger_entries', $$INSERT INTO ledger_entries (company_id, client_id, seq, kind, amount, balance_after, paid_to_date_after, currency, occurred_at, actor_type) VALUES (902, 942, 2, 'invoice', 1, 2, 0, 'USD', now(), 'system')$$),
    ('imports', $$INSERT INTO imports (company_id, file_name) VALUES (902, 'x.csv')$$),
    ('import_chunks', $$INSERT INTO import_chunks (import_id, company_id, seq, data) VALUES (952, 902, 1, 'x')$$),
    ('import_templates', $$INSERT INTO import_templates (company_id, name, header_key, headers, mapping) VALUES (902, 'X', 'k', '[]', '[]')$$),
    ('document_blobs', $$INSERT INTO document_blobs (company_id, sha256, size, chunk_size) VALUES (902, sha256('x'), 1, 1)$$)
) AS w(t, sql);
SELECT is(tap.err(sql) ->> 'state', NULL, 'tenancy-4.2: (twin) company A can insert into its own ' || t)
FROM (VALUES
    ('client_groups', $$INSERT INTO client_groups (company_id, name) VALUES (901, 'X')$$),
    ('jobs', $$INSERT INTO jobs (company_id, kind) VALUES (901, 'k')$$)) AS w(t, sql);
SELECT is(tap.changed(sql), 0::bigint, 'tenancy-4.3: company A cannot change company B''s rows: ' || sql)
FROM (VALUES
    ($$UPDATE companies SET name = 'x' WHERE id = 902$$),
    ($$UPDATE users SET name = 'x' WHERE company_id = 902$$),
    ($$UPDATE api_tokens SET revoked_at = now() WHERE company_id = 902$$),
    ($$DELETE FROM sessions WHERE company_id = 902$$),
    ($$UPDATE idempotency_keys SET status = 1 WHERE company_id = 902$$),
    ($$DELETE FROM idempotency_keys WHERE company_id = 902$$),
    ($$UPDATE client_groups SET name = 'x' WHERE company_id = 902$$),
    ($$UPDATE clients SET name = 'x' WHERE company_id = 902$$),
    ($$DELETE FROM clients WHERE company_id = 902$$),
    ($$UPDATE client_contacts SET first_name = 'x' WHERE company_id = 902$$),
    ($$UPDATE client_stats SET active = 0 WHERE company_id = 902$$),
    ($$UPDATE imports SET status = 'failed' WHERE company_id = 902$$),
    ($$DELETE FROM imports WHERE company_id = 902$$),
    ($$DELETE FROM import_chunks WHERE company_id = 902$$),
    ($$DELETE FROM import_issues WHERE company_id = 902$$),
    ($$UPDATE import_templates SET name = 'x' WHERE company_id = 902$$)) AS w(sql);
SELECT throws_ok($$UPDATE clients SET company_id = 902 WHERE id = 941$$, '42501', NULL,
    'tenancy-4.4: a row cannot be moved into another company');
SELECT is(tap.changed($$UPDATE clients SET name = 'x' WHERE company_id = 901$$), 1::bigint,
    'tenancy-4.5: (twin) company A changes its own rows');

-- The worker: any tenant's jobs, nothing else without a tenant.
RESET ROLE;
SELECT tap.none();
SET LOCAL ROLE clientd_worker;
SELECT is(tap.rows('jobs'), 3::bigint, 'tenancy-5.1: the worker sees every company''s jobs (A''s two, B''s one)');
SELECT is(tap.rows('events'), 0::bigint, 'tenancy-5.2: but no tenant''s events without a tenant');
SELECT is(tap.rows('imports') + tap.rows('import_chunks') + tap.rows('clients'), 0::bigint,
    'tenancy-5.3: nor its imports or clients (an import job sets the tenant)');
SELECT tap.act('ua-owner');
SELECT is(tap.rows('imports') + tap.rows('import_chunks'), 2::bigint,
    'tenancy-5.4: (twin) with company A set, A''s import and its file');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
