-- ---------------------------------------------------------------------------
-- 0006_ledger_kinds: the ledger's kinds of entry and their sign rules as a
-- table, so that the database reads the rules instead of keeping a copy.
--
-- api/src/core/ledger.c declares the kinds (ledger_kinds_json()); the web
-- app reads them through GET /api/v1/ledger/kinds, and `clientd migrate`
-- writes them here (api/src/pq/registry.c) in the same transaction as the
-- migrations, as it does the settings defaults. The daemon and the worker
-- refuse to start when this table and their build disagree.
-- ledger_entries_rules() (sql/functions/ledger.sql) enforces the sign and
-- paid-to-date rules from it; a foreign key keeps unknown kinds out. They
-- replace 0004's CHECKs, which spelled the rules out a second time.
-- ---------------------------------------------------------------------------

CREATE TABLE ledger_kinds (
	kind			text PRIMARY KEY,
	sign			text NOT NULL CHECK (sign IN ('positive', 'negative', 'either')),
	moves_paid_to_date	boolean NOT NULL,	-- by -amount
	postable		boolean NOT NULL	-- through the API (not: merge)
);
GRANT SELECT ON ledger_kinds TO clientd_app, clientd_worker;

-- The kinds existing entries use, so that the foreign key holds for them.
-- Placeholders: the registry sync later in the same transaction gives them
-- their rules (and refuses to drop a kind that entries still use).
INSERT INTO ledger_kinds (kind, sign, moves_paid_to_date, postable)
SELECT DISTINCT kind, 'either', false, false FROM ledger_entries;

ALTER TABLE ledger_entries
    DROP CONSTRAINT ledger_entries_kind_check,
    DROP CONSTRAINT ledger_entries_sign,
    DROP CONSTRAINT ledger_entries_paid,
    ADD CONSTRAINT ledger_entries_kind_fkey FOREIGN KEY (kind) REFERENCES ledger_kinds;
