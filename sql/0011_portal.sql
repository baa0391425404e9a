-- ---------------------------------------------------------------------------
-- 0011_portal: the client portal (issue 13). Contacts sign in with their
-- email and a password of their own; staff invite them and may enter the
-- portal as one of them; a company may let new clients register; mail
-- leaves through an outbox that the worker sends over SMTP.
--
--   companies.slug     the company's portal address (/portal/<slug>), unique
--                      and URL-safe; made from the name when a company is
--                      created (portal.sql's trigger), editable later.
--   portal_accounts    one per (company, email): the password contacts with
--                      that email share, whichever client they belong to.
--   portal_links       single-use links (invitation, password reset, magic
--                      sign-in, registration confirmation, staff entering the
--                      portal): only the SHA-256 of the secret is kept.
--   portal_sessions    contacts' sessions, apart from staff sessions.
--   mail_outbox        every mail, written in the transaction that caused
--                      it; mail_attempts one row per SMTP attempt.
--
-- The functions: sql/functions/portal.sql and mail.sql; the policies:
-- tenancy.sql.
-- ---------------------------------------------------------------------------

-- The portal address: the name's letters and digits, lower case, words
-- joined by "-"; a name that gives nothing is "company"; a slug another
-- company already has gets the company's id appended.
ALTER TABLE companies ADD COLUMN slug text;
UPDATE companies c SET slug = s.slug FROM (
	SELECT id, CASE WHEN row_number() OVER (PARTITION BY base ORDER BY id) = 1
	    THEN base ELSE base || '-' || id END AS slug
	FROM (SELECT id, COALESCE(NULLIF(left(trim(BOTH '-' FROM
	    regexp_replace(lower(name), '[^a-z0-9]+', '-', 'g')), 48), ''),
	    'company') AS base FROM companies) b) s
WHERE s.id = c.id;
ALTER TABLE companies ALTER COLUMN slug SET NOT NULL;
ALTER TABLE companies ADD CONSTRAINT companies_slug_check
    CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$');
CREATE UNIQUE INDEX companies_slug_key ON companies (slug);
GRANT UPDATE (slug) ON companies TO clientd_app;

-- Clients created by self-registration while the company approves new
-- registrations: archived and awaiting approval until staff restore them.
ALTER TABLE clients ADD COLUMN awaiting_approval boolean NOT NULL DEFAULT false;

-- Who acted for whom: a staff member inside the portal as a contact.
ALTER TABLE events ADD COLUMN impersonator_id text;
ALTER TABLE events ADD COLUMN impersonator_name text;

-- Attempts of the portal are counted apart from staff logins: realm
-- "portal" (sign-in, per company and email, and per address),
-- "portal_mail" (reset and magic-link requests), "portal_register"
-- (registrations, per address).
ALTER TABLE login_attempts ADD COLUMN realm text NOT NULL DEFAULT 'staff'
    CHECK (realm IN ('staff', 'portal', 'portal_mail', 'portal_register'));

CREATE TABLE portal_accounts (
	id		bigserial PRIMARY KEY,
	company_id	bigint NOT NULL REFERENCES companies ON DELETE CASCADE,
	email		text NOT NULL CHECK (email = lower(email)
			    AND length(email) BETWEEN 3 AND 254),
	password_hash	text CHECK (password_hash LIKE '$argon2id$%'),
	password_set_at	timestamptz,
	last_login_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (company_id, email)
);

CREATE TABLE portal_links (
	id		bigserial PRIMARY KEY,
	company_id	bigint NOT NULL REFERENCES companies ON DELETE CASCADE,
	contact_id	bigint NOT NULL REFERENCES client_contacts ON DELETE CASCADE,
	-- The contact's email when the link was made (lower case): a link
	-- stops working when the contact's email changes.
	email		text NOT NULL,
	kind		text NOT NULL CHECK (kind IN ('invitation', 'reset', 'magic',
			    'verify', 'impersonation')),
	secret_hash	bytea NOT NULL UNIQUE CHECK (length(secret_hash) = 32),
	created_by	bigint REFERENCES users ON DELETE CASCADE,
	-- A registration's password, argon2id, until its confirmation link
	-- is followed (the address is then known to be the registrant's).
	pending_password_hash text CHECK (pending_password_hash LIKE '$argon2id$%'),
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	used_at		timestamptz
);
CREATE INDEX portal_links_contact_idx ON portal_links (contact_id, kind, created_at);
CREATE INDEX portal_links_expires_idx ON portal_links (expires_at);

CREATE TABLE portal_sessions (
	id		bigserial PRIMARY KEY,
	company_id	bigint NOT NULL REFERENCES companies ON DELETE CASCADE,
	-- The contact the session acts as (the client it shows); the picker
	-- moves it among the contacts with the same email.
	contact_id	bigint NOT NULL REFERENCES client_contacts ON DELETE CASCADE,
	email		text NOT NULL,
	token_hash	bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	impersonator_id	bigint REFERENCES users ON DELETE CASCADE,
	ip		inet,
	user_agent	text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_seen_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL
);
CREATE INDEX portal_sessions_contact_idx ON portal_sessions (contact_id);
CREATE INDEX portal_sessions_expires_idx ON portal_sessions (expires_at);

CREATE TABLE mail_outbox (
	id		bigserial PRIMARY KEY,
	public_id	text NOT NULL UNIQUE DEFAULT new_public_id(),
	company_id	bigint NOT NULL REFERENCES companies ON DELETE CASCADE,
	kind		text NOT NULL,
	to_address	text NOT NULL CHECK (length(to_address) BETWEEN 3 AND 254),
	subject		text NOT NULL,
	body_text	text NOT NULL,
	body_html	text,
	client_id	bigint REFERENCES clients ON DELETE SET NULL,
	contact_id	bigint REFERENCES client_contacts ON DELETE SET NULL,
	link_id		bigint REFERENCES portal_links ON DELETE SET NULL,
	status		text NOT NULL DEFAULT 'queued'
			    CHECK (status IN ('queued', 'sent', 'failed')),
	attempts	int NOT NULL DEFAULT 0,
	last_error	text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	next_attempt_at	timestamptz,
	sent_at		timestamptz,
	failed_at	timestamptz
);
CREATE INDEX mail_outbox_company_idx ON mail_outbox (company_id, created_at, public_id);
CREATE INDEX mail_outbox_link_idx ON mail_outbox (link_id) WHERE link_id IS NOT NULL;

CREATE TABLE mail_attempts (
	id		bigserial PRIMARY KEY,
	company_id	bigint NOT NULL REFERENCES companies ON DELETE CASCADE,
	mail_id		bigint NOT NULL REFERENCES mail_outbox ON DELETE CASCADE,
	at		timestamptz NOT NULL DEFAULT now(),
	ok		boolean NOT NULL,
	error		text,
	duration_ms	int NOT NULL DEFAULT 0
);
CREATE INDEX mail_attempts_mail_idx ON mail_attempts (mail_id, id);

ALTER TABLE portal_accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE portal_links ENABLE ROW LEVEL SECURITY;
ALTER TABLE portal_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE mail_outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE mail_attempts ENABLE ROW LEVEL SECURITY;

-- Not password_hash: the daemon verifies and sets passwords through the
-- definer functions of portal.sql.
GRANT SELECT (id, company_id, email, password_set_at, last_login_at, created_at)
    ON portal_accounts TO clientd_app;
GRANT SELECT (id, company_id, contact_id, email, kind, created_by, created_at,
    expires_at, used_at) ON portal_links TO clientd_app;
GRANT SELECT, DELETE ON portal_sessions TO clientd_app;
GRANT SELECT, INSERT, UPDATE (body_text, body_html) ON mail_outbox TO clientd_app;
GRANT SELECT ON mail_attempts TO clientd_app;
GRANT USAGE ON SEQUENCE portal_links_id_seq, mail_outbox_id_seq TO clientd_app;
GRANT SELECT, UPDATE (status, attempts, last_error, next_attempt_at, sent_at,
    failed_at) ON mail_outbox TO clientd_worker;
GRANT SELECT, INSERT ON mail_attempts TO clientd_worker;
GRANT USAGE ON SEQUENCE mail_attempts_id_seq TO clientd_worker;
GRANT SELECT (id, kind, expires_at, used_at) ON portal_links TO clientd_worker;
GRANT SELECT (id, slug, name) ON companies TO clientd_worker;
