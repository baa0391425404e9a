-- ---------------------------------------------------------------------------
-- ledger: the client ledger, an append-only history of every change to a
-- client's balance and paid-to-date. A client's balance and paid_to_date
-- are only ever changed together with an entry, in the same statement
-- sequence under the client's row lock, so they always equal what the
-- ledger says:
--
--   clients.balance       = sum(amount)              of its entries
--   clients.paid_to_date  = sum(paid_to_date_change) of its entries
--   entry n's balance_after / paid_to_date_after = the running sums to n
--
-- ledger_check() proves it. Entries are numbered 1, 2, 3... per client
-- (seq, no gaps), and occurred_at never goes backwards along seq, so the
-- posting order, the date order, running balances and date-range totals
-- all agree. A mistake is corrected with a reversing entry.
--
-- A client's money never changes currency by a settings change. The first
-- entry pins the client's effective currency as a client-level setting
-- (clients.settings.currency), so that its group's, the company's or a
-- new group's currency no longer reaches it; from then on the pin cannot
-- change or go (a change of the client's own currency is refused with a
-- 409), and every entry must be in it. Each entry also stores its own
-- currency, which is what its amounts are in.
--
-- Ledger days follow the time zone setting: a date given as from/to is
-- that day in the client's effective time zone (the company's for the
-- list across clients), and the summary's daily points and the CSV
-- statement's dates are days in that zone. Exact times (RFC 3339) are
-- unaffected.
-- ---------------------------------------------------------------------------

-- Entries are never updated or deleted (the app role has no such
-- privilege either); the only way an entry goes is with its client
-- (purge) or its company.
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

-- The sign and paid-to-date rules of the entry's kind, read from
-- ledger_kinds (written by `clientd migrate` from api/src/core/ledger.c,
-- the one definition): a positive kind's amount is > 0, a negative one's
-- < 0, either's <> 0; a kind that moves paid-to-date moves it by -amount,
-- others not at all. The daemon refuses a wrong entry before it gets here;
-- this keeps the table right whoever writes to it. Kinds that cannot be
-- posted (merge) are written by this file's own functions with the
-- amounts they carry, and follow no rule here. An unknown kind is left
-- to the foreign key.
CREATE FUNCTION ledger_entries_rules() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
	k ledger_kinds%ROWTYPE;
BEGIN
	SELECT * INTO k FROM ledger_kinds WHERE kind = NEW.kind;
	IF NOT FOUND OR NOT k.postable THEN
		RETURN NEW;
	END IF;
	IF (k.sign = 'positive' AND NEW.amount <= 0)
	    OR (k.sign = 'negative' AND NEW.amount >= 0) OR NEW.amount = 0 THEN
		RAISE EXCEPTION 'amount of a ledger entry of kind "%" must be %', NEW.kind,
		    CASE k.sign WHEN 'either' THEN 'positive or negative' ELSE k.sign END
		    USING ERRCODE = 'CD422', COLUMN = 'amount',
			  DETAIL = format('The amount is %s.', NEW.amount);
	END IF;
	IF NEW.paid_to_date_change <> (CASE WHEN k.moves_paid_to_date
	    THEN -NEW.amount ELSE 0 END) THEN
		RAISE EXCEPTION 'paid_to_date_change of a ledger entry of kind "%" must be %',
		    NEW.kind, CASE WHEN k.moves_paid_to_date THEN '-amount' ELSE '0' END
		    USING ERRCODE = 'CD422', COLUMN = 'paid_to_date_change',
			  DETAIL = format('It is %s with amount %s.', NEW.paid_to_date_change,
			      NEW.amount);
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER ledger_entries_rules BEFORE INSERT ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entries_rules();

-- The currency rule, whoever writes the entry: the client's first entry
-- pins its currency (a client-level setting, so that no group or company
-- change reaches it), and every later entry must be in that currency.
CREATE FUNCTION ledger_entries_currency() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
	v_pin text;
BEGIN
	SELECT c.settings ->> 'currency' INTO v_pin FROM clients c WHERE c.id = NEW.client_id;
	IF v_pin IS NULL THEN
		UPDATE clients SET settings = settings || jsonb_build_object('currency', NEW.currency)
		WHERE id = NEW.client_id;
	ELSIF v_pin <> NEW.currency THEN
		RAISE EXCEPTION 'ledger entry in % for a client whose currency is %', NEW.currency, v_pin
		    USING ERRCODE = 'CD409', COLUMN = 'currency',
			  DETAIL = 'A client''s ledger entries are all in the currency of its first entry.';
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER ledger_entries_currency BEFORE INSERT ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entries_currency();

-- And the pin stays: once a client has entries, its own currency setting
-- (the pin) cannot change or be removed. Group and company currencies do
-- not reach such a client at all, so no settings change moves its money
-- into another currency.
CREATE FUNCTION clients_currency_fixed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
	n int;
BEGIN
	IF (OLD.settings -> 'currency') IS NOT DISTINCT FROM (NEW.settings -> 'currency') THEN
		RETURN NEW;
	END IF;
	SELECT max(e.seq) INTO n FROM ledger_entries e WHERE e.client_id = OLD.id;
	IF n IS NOT NULL THEN
		RAISE EXCEPTION 'the currency of a client with ledger entries cannot change'
		    USING ERRCODE = 'CD409', COLUMN = 'currency',
			  DETAIL = format('Client "%s" has %s ledger %s in %s, and its balance is kept in it.',
			      OLD.public_id, n, CASE WHEN n = 1 THEN 'entry' ELSE 'entries' END,
			      OLD.settings ->> 'currency'),
			  HINT = 'Amounts keep the currency they were posted in; use another client for business in another currency.';
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER clients_currency_fixed BEFORE UPDATE OF settings ON clients
    FOR EACH ROW EXECUTE FUNCTION clients_currency_fixed();

-- An entry as the API shows it.
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

-- Appends one entry to client c, whose row the caller holds locked (FOR
-- UPDATE), and moves the client's balance and paid-to-date with it.
-- p_occurred_at NULL means now. The rules that need stored state are
-- checked here; the request's shape, the kind and the sign were checked by
-- the daemon (core/ledger.c) and are kept by ledger_entries_rules() too.
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
-- Whether the entry moves paid-to-date is its kind's rule (ledger_kinds).
CREATE FUNCTION ledger_post(p_client text, p_entry jsonb, p_key text)
    RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	c clients%ROWTYPE := client_find(p_client, true);
	v_amount numeric := (p_entry ->> 'amount')::numeric;
	v_kind text := p_entry ->> 'kind';
	k ledger_kinds%ROWTYPE;
	e ledger_entries%ROWTYPE;
	p int;
BEGIN
	SELECT * INTO k FROM ledger_kinds WHERE kind = v_kind;
	IF NOT FOUND OR NOT k.postable THEN
		RAISE EXCEPTION 'ledger entries of kind "%" cannot be posted', v_kind
		    USING ERRCODE = 'CD422', COLUMN = 'kind',
			  HINT = 'GET /api/v1/ledger/kinds lists the kinds that can.';
	END IF;
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
	    CASE WHEN k.moves_paid_to_date THEN -v_amount ELSE 0 END,
	    p_entry ->> 'reference', p_entry ->> 'notes',
	    (p_entry ->> 'occurred_at')::timestamptz, p_key);
	p := (SELECT precision FROM currencies WHERE code = e.currency);
	PERFORM event_add('ledger_entry.created', 'ledger_entry', e.id, e.public_id,
	    jsonb_build_object(
		'kind', jsonb_build_object('before', NULL, 'after', e.kind),
		'currency', jsonb_build_object('before', NULL, 'after', e.currency),
		'amount', jsonb_build_object('before', NULL, 'after', money_text(e.amount, p)),
		'reference', jsonb_build_object('before', NULL, 'after', e.reference),
		'balance', jsonb_build_object('before', money_text(c.balance, p),
		    'after', money_text(e.balance_after, p)),
		'paid_to_date', jsonb_build_object('before', money_text(c.paid_to_date, p),
		    'after', money_text(e.paid_to_date_after, p)))
	    -- the first entry pinned the client's currency (the trigger above)
	    || CASE WHEN c.settings ? 'currency' THEN '{}'::jsonb
		ELSE jsonb_build_object('settings.currency', jsonb_build_object(
		    'before', NULL, 'after', e.currency)) END, c.id);
	RETURN ledger_entry_json(e, c);
END
$$;

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

-- The balance at the end of each day with entries in the range (days in
-- the client's time zone), for charts: one point per day, never more than
-- p_max_points (the latest).
CREATE FUNCTION ledger_balance_points(p_client text,
    p_from timestamptz, p_to timestamptz, p_max_points int) RETURNS json
    LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT COALESCE(json_agg(json_build_object('date', d.day, 'balance',
	    money_text(d.balance_after, COALESCE(cur.precision, 2)),
	    'paid_to_date', money_text(d.paid_to_date_after, COALESCE(cur.precision, 2)))
	    ORDER BY d.day), '[]')
	FROM (SELECT DISTINCT ON ((e.occurred_at AT TIME ZONE z.tz)::date)
		(e.occurred_at AT TIME ZONE z.tz)::date AS day, e.balance_after,
		e.paid_to_date_after, e.currency
	    FROM ledger_entries e, (SELECT client_timezone(p_client) AS tz) z
	    WHERE e.client_id = client_internal_id(p_client)
		AND e.company_id = app_company_id()
		AND (p_from IS NULL OR e.occurred_at >= p_from)
		AND (p_to IS NULL OR e.occurred_at <= p_to)
	    ORDER BY (e.occurred_at AT TIME ZONE z.tz)::date DESC, e.seq DESC
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
	SELECT e.company_id, c.public_id, e.public_id, 'entry is not in the client''s currency',
	    c.settings ->> 'currency', e.currency
	FROM ledger_entries e JOIN clients c ON c.id = e.client_id
	WHERE e.currency IS DISTINCT FROM c.settings ->> 'currency'
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

-- A from/to bound as the daemon sends it: an RFC 3339 time as it is, or a
-- local time without an offset (a date turned into the start or the end of
-- that day) in the time zone p_tz. NULL stays NULL (no bound).
CREATE FUNCTION ledger_bound(p text, p_tz text) RETURNS timestamptz
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN CASE WHEN p ~ '^\d{4}-\d{2}-\d{2}T[0-9:.]+$'
	THEN p::timestamp AT TIME ZONE p_tz ELSE p::timestamptz END;
