-- ---------------------------------------------------------------------------
-- common: the formats and checks every subsystem shares: times and money as
-- the API shows them, the before/after changes events record, and If-Match.
-- ---------------------------------------------------------------------------

-- RFC 3339 in UTC with microseconds, the API's one time format. STABLE, as
-- to_char() is: an IMMUTABLE function that calls a STABLE one is never
-- inlined, and a call of a SQL function that is not inlined costs an
-- executor of its own, per row (the daemon's lists render times
-- themselves: core/render.c).
CREATE FUNCTION rfc3339(t timestamptz) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
END;

-- Money in the API: an exact decimal string with the currency's places.
CREATE FUNCTION money_text(v numeric, p_precision int) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN round(v, p_precision)::text;

-- {"field": {"before": x, "after": y}} for every key whose value differs.
CREATE FUNCTION json_changes(p_before jsonb, p_after jsonb) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $$
BEGIN
	RETURN (SELECT COALESCE(jsonb_object_agg(k, jsonb_build_object('before',
	    p_before -> k, 'after', p_after -> k)), '{}')
	FROM jsonb_object_keys(COALESCE(p_before, '{}') || COALESCE(p_after, '{}')) AS k
	WHERE (p_before -> k) IS DISTINCT FROM (p_after -> k));
END
$$;

-- A snapshot without its empty values: what a created record's event shows.
-- (PL/pgSQL: its plan is kept, and every created record's event calls it.)
CREATE FUNCTION jsonb_nonempty(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $$
DECLARE
	out jsonb := '{}';
	k text;
	v jsonb;
BEGIN
	FOR k, v IN SELECT key, value FROM jsonb_each(p) LOOP
		IF v IN ('""', 'null', '[]') THEN
			CONTINUE;
		END IF;
		IF jsonb_typeof(v) = 'object' THEN
			v := jsonb_nonempty(v);
			IF v = '{}' THEN
				CONTINUE;
			END IF;
			-- (an object keeps its values as they were, empty ones too)
			v := p -> k;
		END IF;
		out := out || jsonb_build_object(k, v);
	END LOOP;
	RETURN out;
END
$$;

-- Raises 412 unless p_version is NULL (no If-Match) or the current one.
CREATE FUNCTION version_check(p_current int, p_expected int) RETURNS void
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	IF p_expected IS NOT NULL AND p_expected <> p_current THEN
		RAISE EXCEPTION 'resource has changed since it was read'
		    USING ERRCODE = 'CD412',
			  DETAIL = format('If-Match names version %s; the current version is %s.',
			      p_expected, p_current),
			  HINT = 'Read it again (GET), reapply your change, and retry with the new ETag.';
	END IF;
END
$$;
