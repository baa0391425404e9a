-- Ledger days follow the time zone setting: a date given as from/to is
-- that day in the client's effective time zone (the company's for the
-- list across clients), and the summary's daily points and the CSV
-- statement's dates are days in that zone. Exact times (RFC 3339) are
-- unaffected.

-- The client's effective time zone: its own, else its group's, else the
-- company's, else the default (UTC).
CREATE FUNCTION client_timezone(p_client text) RETURNS text
    LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT COALESCE((SELECT setting_value('timezone', c.settings, g.settings,
	    co.settings) #>> '{}'
	    FROM clients c
	    JOIN companies co ON co.id = c.company_id
	    LEFT JOIN client_groups g ON g.id = c.group_id
	    WHERE c.id = client_internal_id(p_client)), 'UTC');
END;

-- The company's time zone setting, else the default (UTC).
CREATE FUNCTION company_timezone() RETURNS text
    LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT COALESCE((SELECT setting_value('timezone', NULL, NULL,
	    co.settings) #>> '{}'
	    FROM companies co WHERE co.id = app_company_id()), 'UTC');
END;

-- A from/to bound as the daemon sends it: an RFC 3339 time as it is, or a
-- local time without an offset (a date turned into the start or the end of
-- that day) in the time zone p_tz. NULL stays NULL (no bound).
CREATE FUNCTION ledger_bound(p text, p_tz text) RETURNS timestamptz
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN CASE WHEN p ~ '^\d{4}-\d{2}-\d{2}T[0-9:.]+$'
	THEN p::timestamp AT TIME ZONE p_tz ELSE p::timestamptz END;

-- The balance at the end of each day with entries in the range (days in
-- the client's time zone), for charts: one point per day, never more than
-- p_max_points (the latest).
CREATE OR REPLACE FUNCTION ledger_balance_points(p_client text,
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
