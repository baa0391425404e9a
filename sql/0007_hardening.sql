-- ---------------------------------------------------------------------------
-- 0007_hardening: every login attempt, not only the failed ones, so
-- that attempts of any outcome are limited per account and per address,
-- and an attempt is counted before its password is checked (concurrent
-- attempts cannot slip past the limit). login_failures becomes
-- login_attempts; its rows were failures. And API tokens remember the
-- token that made them, so that revoking a token revokes what it made.
-- ---------------------------------------------------------------------------

ALTER TABLE login_failures RENAME TO login_attempts;
ALTER SEQUENCE login_failures_id_seq RENAME TO login_attempts_id_seq;
ALTER TABLE login_attempts RENAME CONSTRAINT login_failures_pkey
    TO login_attempts_pkey;
ALTER INDEX login_failures_email_idx RENAME TO login_attempts_email_idx;
ALTER INDEX login_failures_ip_idx RENAME TO login_attempts_ip_idx;
-- pending: counted, its password not yet checked (a crash leaves it
-- counting as a failure until it leaves the window).
ALTER TABLE login_attempts ADD COLUMN outcome text NOT NULL DEFAULT 'failed'
    CHECK (outcome IN ('pending', 'failed', 'succeeded'));
ALTER TABLE login_attempts ALTER COLUMN outcome SET DEFAULT 'pending';

ALTER TABLE api_tokens ADD COLUMN parent_id bigint
    REFERENCES api_tokens ON DELETE CASCADE;
CREATE INDEX api_tokens_parent_idx ON api_tokens (parent_id)
    WHERE parent_id IS NOT NULL;

-- The integer settings' ranges, from the registry (core/settings.c,
-- written by `clientd migrate` like setting_defaults), for the SQL that
-- moves a value itself: the client number counters stop at their top.
CREATE TABLE setting_limits (
	key	text PRIMARY KEY,
	min	bigint NOT NULL,
	max	bigint NOT NULL
);
GRANT SELECT ON setting_limits TO clientd_app, clientd_worker;
