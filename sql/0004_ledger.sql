-- ---------------------------------------------------------------------------
-- 0004_ledger: the client ledger, an append-only history of every change to
-- a client's balance and paid-to-date (the rules and the functions:
-- sql/functions/ledger.sql). Entries are never updated or deleted: the app
-- role has no such privilege, and a trigger refuses it to everyone else.
-- The kind, sign and paid-to-date CHECKs below were replaced in 0006 by a
-- foreign key to ledger_kinds and a trigger that reads the rules there.
--
-- (Before issue 9 this file also defined functions, triggers and policies;
-- they are in sql/functions/ now. A database that applied that version is
-- accepted as having applied this one: see legacy_checksums in
-- api/src/pq/migrate.c.)
-- ---------------------------------------------------------------------------

CREATE TABLE ledger_entries (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id		text NOT NULL UNIQUE DEFAULT new_public_id(),
	company_id		bigint NOT NULL REFERENCES companies ON DELETE CASCADE,
	client_id		bigint NOT NULL REFERENCES clients ON DELETE CASCADE,
	seq			int NOT NULL CHECK (seq > 0),
	kind			text NOT NULL CHECK (kind IN ('invoice', 'payment',
				    'credit', 'refund', 'adjustment', 'opening_balance',
				    'merge')),
	amount			numeric(20, 6) NOT NULL,
	paid_to_date_change	numeric(20, 6) NOT NULL DEFAULT 0,
	balance_after		numeric(20, 6) NOT NULL,
	paid_to_date_after	numeric(20, 6) NOT NULL,
	currency		text NOT NULL REFERENCES currencies (code),
	reference		text NOT NULL DEFAULT '' CHECK (length(reference) <= 200),
	notes			text NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
	occurred_at		timestamptz NOT NULL,
	created_at		timestamptz NOT NULL DEFAULT clock_timestamp(),
	actor_type		text NOT NULL CHECK (actor_type IN ('user', 'token',
				    'contact', 'system')),
	actor_id		text,
	actor_name		text,
	idempotency_key		text,
	UNIQUE (client_id, seq),
	-- The sign rules of the API, kept by the database as well.
	CONSTRAINT ledger_entries_sign CHECK (CASE kind
	    WHEN 'invoice' THEN amount > 0
	    WHEN 'refund' THEN amount > 0
	    WHEN 'payment' THEN amount < 0
	    WHEN 'credit' THEN amount < 0
	    WHEN 'merge' THEN true
	    ELSE amount <> 0 END),
	-- Payments and refunds move paid-to-date by what they take off or
	-- put back on the balance; a merge carries the source's; others none.
	CONSTRAINT ledger_entries_paid CHECK (CASE kind
	    WHEN 'payment' THEN paid_to_date_change = -amount
	    WHEN 'refund' THEN paid_to_date_change = -amount
	    WHEN 'merge' THEN true
	    ELSE paid_to_date_change = 0 END)
);
CREATE INDEX ledger_entries_company_idx ON ledger_entries (company_id, occurred_at, public_id);
CREATE INDEX ledger_entries_client_time_idx ON ledger_entries (client_id, occurred_at, seq);

-- A key posts once per actor, for good (idempotency_keys replays for 24 h).
CREATE UNIQUE INDEX ledger_entries_key_idx ON ledger_entries
    (company_id, actor_type, COALESCE(actor_id, ''), idempotency_key)
    WHERE idempotency_key IS NOT NULL;

-- ---------------------------------------------------------------------------
-- Security: the app may read and append, nothing else (the policy:
-- sql/functions/tenancy.sql).
-- ---------------------------------------------------------------------------

ALTER TABLE ledger_entries ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON ledger_entries TO clientd_app;
GRANT SELECT ON ledger_entries TO clientd_worker;
