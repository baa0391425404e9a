-- The client ledger: an append-only history of every change to a client's
-- balance and paid-to-date. A client's balance and paid_to_date are only
-- ever changed together with an entry, in the same statement sequence under
-- the client's row lock, so they always equal what the ledger says:
--
--   clients.balance       = sum(amount)              of its entries
--   clients.paid_to_date  = sum(paid_to_date_change) of its entries
--   entry n's balance_after / paid_to_date_after = the running sums to n
--
-- ledger_check() proves it. Entries are numbered 1, 2, 3... per client
-- (seq, no gaps), and occurred_at never goes backwards along seq, so the
-- posting order, the date order, running balances and date-range totals
-- all agree. Entries are never updated or deleted: the app role has no
-- such privilege and a trigger refuses it to everyone else; a mistake is
-- corrected with a reversing entry. The only way an entry goes is with its
-- client (purge) or its company.

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

CREATE FUNCTION ledger_entries_immutable() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
	-- Depth 1 is a statement on ledger_entries itself; deeper is the
	-- ON DELETE CASCADE of a purged client or a deleted company.
	IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
		RETURN OLD;
	END IF;
	RAISE EXCEPTION 'ledger entries cannot be changed or deleted'
	    USING ERRCODE = 'CD409',
		  HINT = 'Correct a mistake with a reversing entry.';
END
$$;

CREATE TRIGGER ledger_entries_immutable BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entries_immutable();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_immutable();

-- ---------------------------------------------------------------------------
-- JSON.
-- ---------------------------------------------------------------------------

CREATE FUNCTION ledger_entry_json(e ledger_entries, c clients) RETURNS json
    LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT json_build_object('id', e.public_id, 'client_id', c.public_id,
	    'client', json_build_object('id', c.public_id, 'number', c.number,
		'display_name', c.display_name),
	    'seq', e.seq, 'kind', e.kind, 'currency', e.currency,
	    'amount', money_text(e.amount, cur.precision),
	    'paid_to_date_change', money_text(e.paid_to_date_change, cur.precision),
	    'balance_after', money_text(e.balance_after, cur.precision),
	    'paid_to_date_after', money_text(e.paid_to_date_after, cur.precision),
	    'reference', e.reference, 'notes', e.notes,
	    'occurred_at', rfc3339(e.occurred_at), 'created_at', rfc3339(e.created_at),
	    'created_by', json_build_object('type', e.actor_type, 'id', e.actor_id,
		'name', e.actor_name),
	    'idempotency_key', e.idempotency_key)
	FROM currencies cur WHERE cur.code = e.currency;
END;

-- ---------------------------------------------------------------------------
-- Posting.
-- ---------------------------------------------------------------------------

-- Appends one entry to client c, whose row the caller holds locked (FOR
-- UPDATE), and moves the client's balance and paid-to-date with it.
-- p_occurred_at NULL means now. The
-- rules that need stored state are checked here; the request's shape, the
-- kind and the sign were checked by the daemon (core/ledger.c) and are
-- kept by the table's constraints too.
CREATE FUNCTION ledger_append(c clients, p_kind text, p_amount numeric,
    p_paid_change numeric, p_reference text, p_notes text,
    p_occurred_at timestamptz, p_key text) RETURNS ledger_entries
    LANGUAGE plpgsql
    AS $$
DECLARE
	cur currencies%ROWTYPE := client_currency(c);
	last ledger_entries%ROWTYPE;
	e ledger_entries%ROWTYPE;
BEGIN
	SELECT * INTO last FROM ledger_entries WHERE client_id = c.id
	ORDER BY seq DESC LIMIT 1;
	IF scale(trim_scale(p_amount)) > cur.precision THEN
		RAISE EXCEPTION 'amount has more decimals than % allows', cur.code
		    USING ERRCODE = 'CD422', COLUMN = 'amount',
			  DETAIL = format('The client''s currency is %s, with %s decimal places.',
			      cur.code, cur.precision);
	END IF;
	IF p_kind = 'opening_balance' AND last.id IS NOT NULL THEN
		RAISE EXCEPTION 'an opening balance must be the first ledger entry'
		    USING ERRCODE = 'CD422', COLUMN = 'kind',
			  DETAIL = format('The client already has %s entries.', last.seq),
			  HINT = 'Post an adjustment instead.';
	END IF;
	-- Without a time, the entry happens now: after the latest entry, even
	-- when this transaction started before that one committed.
	p_occurred_at := COALESCE(p_occurred_at, greatest(clock_timestamp(), last.occurred_at));
	IF p_occurred_at > now() + interval '5 minutes' THEN
		RAISE EXCEPTION 'occurred_at is in the future'
		    USING ERRCODE = 'CD422', COLUMN = 'occurred_at',
			  HINT = 'Post an entry when it has happened.';
	END IF;
	IF p_occurred_at < last.occurred_at THEN
		RAISE EXCEPTION 'occurred_at is earlier than the client''s latest ledger entry'
		    USING ERRCODE = 'CD422', COLUMN = 'occurred_at',
			  DETAIL = format('Entry %s occurred at %s; the ledger runs forward in time.',
			      last.public_id, rfc3339(last.occurred_at)),
			  HINT = 'Post it dated then or later, and give the original date in reference or notes.';
	END IF;
	IF abs(c.balance + p_amount) >= 1e14 OR abs(c.paid_to_date + p_paid_change) >= 1e14 THEN
		RAISE EXCEPTION 'amount would take the balance out of range'
		    USING ERRCODE = 'CD422', COLUMN = 'amount',
			  DETAIL = 'Balances stay below 100,000,000,000,000 either way.';
	END IF;
	IF p_key IS NOT NULL AND EXISTS (SELECT 1 FROM ledger_entries x
	    WHERE x.company_id = c.company_id AND x.idempotency_key = p_key
	    AND x.actor_type = COALESCE(NULLIF(current_setting('app.actor_type', true), ''), 'system')
	    AND COALESCE(x.actor_id, '') = COALESCE(current_setting('app.actor_id', true), '')) THEN
		RAISE EXCEPTION 'idempotency key already posted a ledger entry'
		    USING ERRCODE = 'CD409',
			  DETAIL = format('Key "%s" posted an entry more than 24 hours ago.', p_key),
			  HINT = 'Use a new key for a new entry.';
	END IF;

	INSERT INTO ledger_entries (company_id, client_id, seq, kind, amount,
	    paid_to_date_change, balance_after, paid_to_date_after, currency,
	    reference, notes, occurred_at, actor_type, actor_id, actor_name,
	    idempotency_key)
	VALUES (c.company_id, c.id, COALESCE(last.seq, 0) + 1, p_kind, p_amount,
	    p_paid_change, c.balance + p_amount, c.paid_to_date + p_paid_change,
	    cur.code, COALESCE(p_reference, ''), COALESCE(p_notes, ''), p_occurred_at,
	    COALESCE(NULLIF(current_setting('app.actor_type', true), ''), 'system'),
	    NULLIF(current_setting('app.actor_id', true), ''),
	    NULLIF(current_setting('app.actor_name', true), ''), p_key)
	RETURNING * INTO e;
	UPDATE clients SET balance = e.balance_after,
	    paid_to_date = e.paid_to_date_after, version = version + 1,
	    updated_at = now()
	WHERE id = c.id;
	RETURN e;
END
$$;

-- POST /clients/{id}/ledger and POST /ledger: p_entry holds kind, amount,
-- and optionally reference, notes, occurred_at (checked by the daemon).
CREATE FUNCTION ledger_post(p_client text, p_entry jsonb, p_key text)
    RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	c clients%ROWTYPE := client_find(p_client, true);
	v_amount numeric := (p_entry ->> 'amount')::numeric;
	v_kind text := p_entry ->> 'kind';
	e ledger_entries%ROWTYPE;
	p int;
BEGIN
	IF c.deleted_at IS NOT NULL OR c.archived_at IS NOT NULL THEN
		RAISE EXCEPTION 'client is %', CASE WHEN c.deleted_at IS NOT NULL
		    THEN 'deleted' ELSE 'archived' END
		    USING ERRCODE = 'CD409',
			  DETAIL = format('Client "%s" cannot take ledger entries while it is %s.',
			      c.public_id, CASE WHEN c.deleted_at IS NOT NULL THEN 'deleted'
			      ELSE 'archived' END),
			  HINT = 'Restore the client first.';
	END IF;
	e := ledger_append(c, v_kind, v_amount,
	    CASE WHEN v_kind IN ('payment', 'refund') THEN -v_amount ELSE 0 END,
	    p_entry ->> 'reference', p_entry ->> 'notes',
	    (p_entry ->> 'occurred_at')::timestamptz, p_key);
	p := (SELECT precision FROM currencies WHERE code = e.currency);
	PERFORM event_add('ledger_entry.created', 'ledger_entry', e.id, e.public_id,
	    jsonb_build_object(
		'kind', jsonb_build_object('before', NULL, 'after', e.kind),
		'amount', jsonb_build_object('before', NULL, 'after', money_text(e.amount, p)),
		'reference', jsonb_build_object('before', NULL, 'after', e.reference),
		'balance', jsonb_build_object('before', money_text(c.balance, p),
		    'after', money_text(e.balance_after, p)),
		'paid_to_date', jsonb_build_object('before', money_text(c.paid_to_date, p),
		    'after', money_text(e.paid_to_date_after, p))), c.id);
	RETURN ledger_entry_json(e, c);
END
$$;

-- ---------------------------------------------------------------------------
-- Reading.
-- ---------------------------------------------------------------------------

-- Opening and closing balance of a client for [p_from, p_to] (either may
-- be NULL, meaning open-ended): the balance after the last entry before
-- the range, and after the last entry in it. Exact because occurred_at
-- never goes backwards along seq.
CREATE FUNCTION ledger_range(p_client text, p_from timestamptz, p_to timestamptz)
    RETURNS json
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	c clients%ROWTYPE := client_find(p_client, false);
	cur currencies%ROWTYPE := client_currency(c);
	v_open numeric;
	v_close numeric;
	v_open_paid numeric;
	v_close_paid numeric;
BEGIN
	SELECT balance_after, paid_to_date_after INTO v_open, v_open_paid
	FROM ledger_entries WHERE client_id = c.id AND company_id = c.company_id
	    AND p_from IS NOT NULL AND occurred_at < p_from
	ORDER BY occurred_at DESC, seq DESC LIMIT 1;
	SELECT balance_after, paid_to_date_after INTO v_close, v_close_paid
	FROM ledger_entries WHERE client_id = c.id AND company_id = c.company_id
	    AND (p_to IS NULL OR occurred_at <= p_to)
	ORDER BY occurred_at DESC, seq DESC LIMIT 1;
	RETURN json_build_object('currency', cur.code,
	    'from', rfc3339(p_from), 'to', rfc3339(p_to),
	    'opening_balance', money_text(COALESCE(v_open, 0), cur.precision),
	    'closing_balance', money_text(COALESCE(v_close, v_open, 0), cur.precision),
	    'opening_paid_to_date', money_text(COALESCE(v_open_paid, 0), cur.precision),
	    'closing_paid_to_date', money_text(COALESCE(v_close_paid, v_open_paid, 0),
		cur.precision));
END
$$;

-- The balance at the end of each day with entries in the range (UTC days),
-- for charts: one point per day, never more than p_max_points (the latest).
CREATE FUNCTION ledger_balance_points(p_client text, p_from timestamptz,
    p_to timestamptz, p_max_points int) RETURNS json
    LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT COALESCE(json_agg(json_build_object('date', d.day, 'balance',
	    money_text(d.balance_after, COALESCE(cur.precision, 2)),
	    'paid_to_date', money_text(d.paid_to_date_after, COALESCE(cur.precision, 2)))
	    ORDER BY d.day), '[]')
	FROM (SELECT DISTINCT ON ((e.occurred_at AT TIME ZONE 'UTC')::date)
		(e.occurred_at AT TIME ZONE 'UTC')::date AS day, e.balance_after,
		e.paid_to_date_after, e.currency
	    FROM ledger_entries e
	    WHERE e.client_id = client_internal_id(p_client)
		AND e.company_id = app_company_id()
		AND (p_from IS NULL OR e.occurred_at >= p_from)
		AND (p_to IS NULL OR e.occurred_at <= p_to)
	    ORDER BY (e.occurred_at AT TIME ZONE 'UTC')::date DESC, e.seq DESC
	    LIMIT p_max_points) d
	LEFT JOIN currencies cur ON cur.code = d.currency;
END;

-- GET /clients/{id}/ledger/summary: the range's balances, what each kind
-- of entry added up to in it, and the balance over time.
CREATE FUNCTION ledger_summary(p_client text, p_from timestamptz, p_to timestamptz)
    RETURNS json
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	r json := ledger_range(p_client, p_from, p_to);
	cur currencies%ROWTYPE;
	c clients%ROWTYPE := client_find(p_client, false);
BEGIN
	SELECT * INTO cur FROM currencies WHERE code = r ->> 'currency';
	RETURN json_build_object('client_id', c.public_id,
	    'balance', money_text(c.balance, cur.precision),
	    'paid_to_date', money_text(c.paid_to_date, cur.precision),
	    'range', r,
	    'totals', (SELECT COALESCE(json_object_agg(t.kind, json_build_object(
		    'count', t.n, 'amount', money_text(t.total, cur.precision))), '{}')
		FROM (SELECT e.kind, count(*) AS n, sum(e.amount) AS total
		    FROM ledger_entries e WHERE e.client_id = c.id
			AND e.company_id = c.company_id
			AND (p_from IS NULL OR e.occurred_at >= p_from)
			AND (p_to IS NULL OR e.occurred_at <= p_to)
		    GROUP BY e.kind) t),
	    'points', ledger_balance_points(p_client, p_from, p_to, 1000));
END
$$;

-- ---------------------------------------------------------------------------
-- Integrity.
-- ---------------------------------------------------------------------------

-- Every difference between the clients' balances and their ledgers, for
-- every client the caller can see (the app role: its company; the owner
-- role: all companies). Empty means the ledger and the balances agree.
CREATE FUNCTION ledger_check()
    RETURNS TABLE (company_id bigint, client_id text, entry_id text,
	problem text, expected text, actual text)
    LANGUAGE sql STABLE
BEGIN ATOMIC
	WITH run AS (
		SELECT e.company_id, e.client_id, e.public_id, e.seq,
		    e.balance_after, e.paid_to_date_after,
		    sum(e.amount) OVER w AS run_balance,
		    sum(e.paid_to_date_change) OVER w AS run_paid,
		    row_number() OVER w AS n,
		    lag(e.occurred_at) OVER w AS prev_occurred_at, e.occurred_at
		FROM ledger_entries e
		WINDOW w AS (PARTITION BY e.client_id ORDER BY e.seq)
	), totals AS (
		SELECT e.client_id, sum(e.amount) AS balance,
		    sum(e.paid_to_date_change) AS paid
		FROM ledger_entries e GROUP BY e.client_id
	)
	SELECT r.company_id, c.public_id, r.public_id, 'balance_after is not the running sum',
	    r.run_balance::text, r.balance_after::text
	FROM run r JOIN clients c ON c.id = r.client_id
	WHERE r.balance_after <> r.run_balance
	UNION ALL
	SELECT r.company_id, c.public_id, r.public_id, 'paid_to_date_after is not the running sum',
	    r.run_paid::text, r.paid_to_date_after::text
	FROM run r JOIN clients c ON c.id = r.client_id
	WHERE r.paid_to_date_after <> r.run_paid
	UNION ALL
	SELECT r.company_id, c.public_id, r.public_id, 'entry numbers have a gap',
	    r.n::text, r.seq::text
	FROM run r JOIN clients c ON c.id = r.client_id
	WHERE r.seq <> r.n
	UNION ALL
	SELECT r.company_id, c.public_id, r.public_id, 'occurred_at goes backwards',
	    rfc3339(r.prev_occurred_at), rfc3339(r.occurred_at)
	FROM run r JOIN clients c ON c.id = r.client_id
	WHERE r.occurred_at < r.prev_occurred_at
	UNION ALL
	SELECT c.company_id, c.public_id, NULL, 'balance is not the sum of the ledger',
	    COALESCE(t.balance, 0)::text, c.balance::text
	FROM clients c LEFT JOIN totals t ON t.client_id = c.id
	WHERE c.balance <> COALESCE(t.balance, 0)
	UNION ALL
	SELECT c.company_id, c.public_id, NULL, 'paid_to_date is not the sum of the ledger',
	    COALESCE(t.paid, 0)::text, c.paid_to_date::text
	FROM clients c LEFT JOIN totals t ON t.client_id = c.id
	WHERE c.paid_to_date <> COALESCE(t.paid, 0);
END;

-- The check as the API's JSON (GET /ledger/check), with the counts checked.
CREATE FUNCTION ledger_check_json() RETURNS json
    LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT json_build_object(
	    'clients_checked', (SELECT count(*) FROM clients WHERE company_id = app_company_id()),
	    'entries_checked', (SELECT count(*) FROM ledger_entries WHERE company_id = app_company_id()),
	    'differences', COALESCE((SELECT json_agg(json_build_object('client_id', k.client_id,
		'entry_id', k.entry_id, 'problem', k.problem, 'expected', k.expected,
		'actual', k.actual) ORDER BY k.client_id, k.entry_id)
		FROM ledger_check() k WHERE k.company_id = app_company_id()), '[]'),
	    'checked_at', rfc3339(now()));
END;

-- ---------------------------------------------------------------------------
-- Merging clients moves the source's balance through the ledger: a merge
-- entry on the source takes it to zero, one on the target adds it.
-- ---------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION client_merge(p_target text, p_source text) RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	t clients%ROWTYPE;
	s clients%ROWTYPE;
	moved jsonb;
	dropped jsonb;
	before jsonb;
	v_when timestamptz;
BEGIN
	IF p_target = p_source THEN
		RAISE EXCEPTION 'a client cannot be merged into itself'
		    USING ERRCODE = 'CD422', COLUMN = 'source';
	END IF;
	-- Lock in id order, so that two opposite merges cannot deadlock.
	PERFORM 1 FROM clients WHERE public_id IN (p_target, p_source)
	    AND company_id = app_company_id() ORDER BY id FOR UPDATE;
	t := client_find(p_target, true);
	BEGIN
		s := client_find(p_source, true);
	EXCEPTION WHEN SQLSTATE 'CD404' THEN
		RAISE EXCEPTION 'source client not found'
		    USING ERRCODE = 'CD422', COLUMN = 'source',
			  DETAIL = format('No client has the id "%s".', p_source);
	END;
	IF t.deleted_at IS NOT NULL OR s.deleted_at IS NOT NULL THEN
		RAISE EXCEPTION 'deleted clients cannot be merged'
		    USING ERRCODE = 'CD409', HINT = 'Restore the client first.';
	END IF;
	IF (s.balance <> 0 OR s.paid_to_date <> 0)
	    AND (client_currency(s)).code IS DISTINCT FROM (client_currency(t)).code THEN
		RAISE EXCEPTION 'clients with different currencies cannot be merged'
		    USING ERRCODE = 'CD409',
			  DETAIL = format('Client "%s" has a balance in %s; client "%s" is in %s.',
			      s.public_id, (client_currency(s)).code, t.public_id,
			      (client_currency(t)).code),
			  HINT = 'Give both clients the same currency first.';
	END IF;
	before := client_snapshot(t) || jsonb_build_object('contacts', contacts_snapshot(t.id),
	    'balance', money_text(t.balance, 6), 'paid_to_date', money_text(t.paid_to_date, 6));

	SELECT COALESCE(jsonb_agg(contact_snapshot(k)), '[]') INTO dropped
	FROM client_contacts k WHERE k.client_id = s.id AND k.email <> ''
	    AND EXISTS (SELECT 1 FROM client_contacts x WHERE x.client_id = t.id
		AND lower(x.email) = lower(k.email));
	DELETE FROM client_contacts k WHERE k.client_id = s.id AND k.email <> ''
	    AND EXISTS (SELECT 1 FROM client_contacts x WHERE x.client_id = t.id
		AND lower(x.email) = lower(k.email));
	SELECT COALESCE(jsonb_agg(k.public_id), '[]') INTO moved
	FROM client_contacts k WHERE k.client_id = s.id;
	UPDATE client_contacts SET client_id = t.id, is_primary = false,
	    position = position + 1000, version = version + 1, updated_at = now()
	WHERE client_id = s.id;
	PERFORM contacts_enforce(t.id);

	IF s.balance <> 0 OR s.paid_to_date <> 0 THEN
		v_when := greatest(clock_timestamp(), (SELECT max(occurred_at)
		    FROM ledger_entries WHERE client_id IN (s.id, t.id)));
		PERFORM ledger_append(s, 'merge', -s.balance, -s.paid_to_date,
		    'Merged into ' || t.number, format('Balance moved to client %s (%s).',
			t.public_id, t.display_name), v_when, NULL);
		PERFORM ledger_append(t, 'merge', s.balance, s.paid_to_date,
		    'Merged from ' || s.number, format('Balance moved from client %s (%s).',
			s.public_id, s.display_name), v_when, NULL);
	END IF;
	UPDATE clients SET version = version + 1, updated_at = now()
	WHERE id = t.id RETURNING * INTO t;
	UPDATE clients SET deleted_at = now(), merged_into_id = t.id,
	    version = version + 1, updated_at = now()
	WHERE id = s.id RETURNING * INTO s;

	PERFORM event_add('client.merged', 'client', t.id, t.public_id,
	    json_changes(before, client_snapshot(t) || jsonb_build_object(
		'contacts', contacts_snapshot(t.id), 'balance', money_text(t.balance, 6),
		'paid_to_date', money_text(t.paid_to_date, 6)))
	    || jsonb_build_object('merged_from', jsonb_build_object('before', NULL,
		'after', jsonb_build_object('id', s.public_id, 'number', s.number,
		    'display_name', s.display_name, 'contacts_moved', moved,
		    'contacts_dropped', dropped))), t.id);
	PERFORM event_add('client.deleted', 'client', s.id, s.public_id,
	    jsonb_build_object('deleted_at', jsonb_build_object('before', NULL,
		'after', rfc3339(s.deleted_at)), 'merged_into', jsonb_build_object(
		'before', NULL, 'after', t.public_id)), s.id);
	RETURN client_full_json(t);
END
$$;

-- A client's overview counts its ledger entries too (the latest seq: the
-- entries are numbered without gaps).
CREATE OR REPLACE FUNCTION client_full_json(c clients) RETURNS json
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	RETURN (SELECT (client_json(c)::jsonb || jsonb_build_object(
	    'contacts', COALESCE((SELECT jsonb_agg(contact_json(k) ORDER BY k.position, k.id)
		FROM client_contacts k WHERE k.client_id = c.id), '[]'),
	    'counts', jsonb_build_object(
		'contacts', (SELECT count(*) FROM client_contacts k WHERE k.client_id = c.id),
		'activity', (SELECT count(*) FROM events e WHERE e.company_id = c.company_id
		    AND e.client_id = c.id),
		'ledger_entries', COALESCE((SELECT max(l.seq) FROM ledger_entries l
		    WHERE l.client_id = c.id), 0))))::json);
END
$$;

-- ---------------------------------------------------------------------------
-- Security: the app may read and append, nothing else.
-- ---------------------------------------------------------------------------

ALTER TABLE ledger_entries ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON ledger_entries USING (company_id = app_company_id())
    WITH CHECK (company_id = app_company_id());
GRANT SELECT, INSERT ON ledger_entries TO clientd_app;
GRANT SELECT ON ledger_entries TO clientd_worker;
