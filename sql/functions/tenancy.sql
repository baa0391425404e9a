-- ---------------------------------------------------------------------------
-- tenancy: who the current transaction acts for, and the row-level security
-- policies of every tenant table.
--
-- The daemon connects as clientd_app and the worker as clientd_worker;
-- neither owns anything, so row-level security always applies to them.
-- Tenant tables are scoped by the transaction-local setting app.company_id,
-- which the daemon sets through auth_begin() (auth.sql) in the same pipeline
-- as the request's own statements. The migrations enable row-level security
-- on each table (schema); the policies are here, in one list, so that a
-- reviewer sees every table's rule at once (tests/sql/tenancy.sql holds
-- every table with a company_id column to it).
-- ---------------------------------------------------------------------------

-- The tenant of the current transaction, or NULL when none is set (the
-- setting reads back as '' once a transaction that set it has ended).
CREATE FUNCTION app_company_id() RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT NULLIF(current_setting('app.company_id', true), '')::bigint;
END;

-- The signed-in user of the current transaction (auth_begin()), or NULL.
CREATE FUNCTION app_user_id() RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT NULLIF(current_setting('app.user_id', true), '')::bigint;
END;

-- Whether that user is an owner or an admin of the company.
CREATE FUNCTION app_is_admin() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT COALESCE(current_setting('app.role', true), '') IN ('owner', 'admin');
END;

-- Whether the request reaches every client of the company ('all'), not
-- only the user's own ('own': created by or assigned to them). No scope
-- set is 'all': the owner's tools set none.
CREATE FUNCTION app_scope_all() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT COALESCE(current_setting('app.scope', true), 'all') = 'all';
END;

-- Every table with a company_id, and companies itself: a row is visible
-- and writable only in its company's transactions. With no tenant set,
-- app_company_id() is NULL and nothing matches.
CREATE POLICY tenant ON companies USING (id = app_company_id());

DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['users', 'sessions', 'api_tokens', 'events', 'jobs',
	    'idempotency_keys', 'client_groups', 'clients', 'client_contacts',
	    'client_stats', 'ledger_entries', 'webhooks', 'webhook_messages',
	    'webhook_deliveries', 'webhook_attempts', 'import_templates', 'imports',
	    'import_chunks', 'import_progress', 'import_checkpoints', 'import_issues',
	    'import_keys', 'portal_accounts', 'portal_links', 'portal_sessions',
	    'mail_outbox', 'mail_attempts', 'document_blobs', 'document_chunks',
	    'documents'] LOOP
		EXECUTE format('CREATE POLICY tenant ON %I USING (company_id = app_company_id()) '
		    'WITH CHECK (company_id = app_company_id())', t);
	END LOOP;
END
$$;

-- The worker claims jobs of every tenant, then sets the job's tenant for
-- the work itself.
CREATE POLICY worker_claim ON jobs TO clientd_worker USING (true) WITH CHECK (true);

-- login_attempts has row-level security and no policy: nobody but the
-- owner's functions (auth.sql) reads login attempts.
