-- ---------------------------------------------------------------------------
-- numbers: generated client numbers. The daemon expands a number pattern
-- ("C-{$year}-{$counter}", api/src/core/numbers.c) into a template with a
-- counter mark, chr(1), where the counter goes; these functions pick the
-- counter and format the number, skipping numbers already taken.
-- ---------------------------------------------------------------------------

-- A generated number: template with its counter marks (chr(1), put there by
-- the daemon's pattern engine) replaced by the counter, zero-padded to
-- p_padding digits (never cut). The one implementation: the daemon has
-- none of its own. A template without a mark is refused: it would give
-- every client the same number, and client_next_number() would look for a
-- free one forever (the daemon refuses such a pattern when it is saved).
CREATE FUNCTION number_format(p_template text, p_counter bigint, p_padding int)
    RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $$
BEGIN
	IF strpos(p_template, chr(1)) = 0 THEN
		RAISE EXCEPTION 'number pattern has no counter'
		    USING ERRCODE = 'CD422', COLUMN = 'number',
			  DETAIL = format('"%s" would give every client the same number.', p_template),
			  HINT = 'A pattern needs {$counter} or {$group_counter}.';
	END IF;
	RETURN replace(p_template, chr(1), CASE WHEN length(p_counter::text) >= p_padding
	    THEN p_counter::text ELSE lpad(p_counter::text, p_padding, '0') END);
END
$$;

-- The next free number for template, counting on the group's counter
-- (p_group_id) or the company's: client_number_counter in that level's
-- settings, advanced under the row's lock (held until commit, so two
-- creates never get the same counter), skipping numbers any client of the
-- company already has, whatever its status. Consuming counter values is
-- bookkeeping, not a change anyone made: it writes no event (the client's
-- created event shows the number). The stored counter (the next value)
-- stays within the registry's range (setting_limits): when it has reached
-- its top, the counter is exhausted and the create is refused, naming the
-- number. A number longer than a client number may be (the pattern with a
-- long {$client_id_number}) is refused the same way.
CREATE FUNCTION client_next_number(p_template text, p_padding int,
    p_group_id bigint) RETURNS text
    LANGUAGE plpgsql
    AS $$
DECLARE
	n bigint;
	candidate text;
	v_max bigint := (SELECT max FROM setting_limits WHERE key = 'client_number_counter');
BEGIN
	LOOP
		IF p_group_id IS NULL THEN
			UPDATE companies SET settings = jsonb_set(settings,
			    '{client_number_counter}', to_jsonb(COALESCE((settings ->>
			    'client_number_counter')::bigint, 1) + 1))
			WHERE id = app_company_id()
			RETURNING (settings ->> 'client_number_counter')::bigint - 1 INTO n;
		ELSE
			UPDATE client_groups SET settings = jsonb_set(settings,
			    '{client_number_counter}', to_jsonb(COALESCE((settings ->>
			    'client_number_counter')::bigint, 1) + 1))
			WHERE id = p_group_id
			RETURNING (settings ->> 'client_number_counter')::bigint - 1 INTO n;
		END IF;
		IF n >= v_max THEN
			RAISE EXCEPTION 'the client number counter is exhausted'
			    USING ERRCODE = 'CD409', COLUMN = 'number',
				  DETAIL = format('The %s counter has reached %s, its largest value.',
				      CASE WHEN p_group_id IS NULL THEN 'company''s' ELSE 'group''s' END, v_max),
				  HINT = 'Give the number by hand, or change the pattern and restart the counter.';
		END IF;
		candidate := number_format(p_template, n, p_padding);
		IF length(candidate) > 64 THEN
			RAISE EXCEPTION 'the generated number is longer than 64 characters'
			    USING ERRCODE = 'CD422', COLUMN = 'number',
				  DETAIL = format('The pattern makes "%s".', left(candidate, 80)),
				  HINT = 'Give the number by hand, or a shorter id_number.';
		END IF;
		EXIT WHEN NOT EXISTS (SELECT 1 FROM clients WHERE company_id = app_company_id()
		    AND number = candidate);
	END LOOP;
	RETURN candidate;
END
$$;

-- A number given by hand must be free (409 on the number otherwise).
CREATE FUNCTION client_number_check(p_number text, p_except bigint) RETURNS void
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM clients WHERE company_id = app_company_id()
	    AND number = p_number AND id IS DISTINCT FROM p_except) THEN
		RAISE EXCEPTION 'number "%" is already in use', p_number
		    USING ERRCODE = 'CD409', COLUMN = 'number',
			  DETAIL = 'Client numbers are unique within a company, among archived and deleted clients too.',
			  HINT = 'Leave the number out to have the next free one generated.';
	END IF;
END
$$;

-- What the daemon needs to expand the number pattern for a new client in
-- group p_group (NULL for none): the pattern and padding that apply (the
-- group's, else the company's, else the defaults), whether the group keeps
-- its own counter, and the local time in the time zone that applies.
CREATE FUNCTION client_number_context(p_group text,
    OUT pattern text, OUT padding int, OUT group_counter boolean,
    OUT has_group boolean, OUT local_time text)
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	g client_groups%ROWTYPE;
	co companies%ROWTYPE;
BEGIN
	SELECT * INTO co FROM companies WHERE id = app_company_id();
	IF p_group IS NOT NULL THEN
		SELECT * INTO g FROM client_groups
		WHERE id = client_group_find(p_group, 'group');
	END IF;
	pattern := setting_value('client_number_pattern', NULL, g.settings, co.settings) #>> '{}';
	padding := (setting_value('counter_padding', NULL, g.settings, co.settings) #>> '{}')::int;
	group_counter := g.settings ? 'client_number_counter';
	has_group := g.id IS NOT NULL;
	local_time := to_char(now() AT TIME ZONE (setting_value('timezone', NULL,
	    g.settings, co.settings) #>> '{}'), 'YYYY-MM-DD HH24:MI:SS');
END
$$;

-- The number the next client would get, without using it: from counter
-- p_start when given (a preview of an unsaved counter), else the stored one.
CREATE FUNCTION client_number_peek(p_template text, p_padding int,
    p_group text, p_start bigint, OUT number text, OUT counter bigint)
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	g client_groups%ROWTYPE;
BEGIN
	IF p_start IS NOT NULL THEN
		counter := p_start;
	ELSIF p_group IS NOT NULL THEN
		g := group_find(p_group, false);
		counter := COALESCE((g.settings ->> 'client_number_counter')::bigint, 1);
	ELSE
		counter := COALESCE((SELECT (settings ->> 'client_number_counter')::bigint
		    FROM companies WHERE id = app_company_id()), 1);
	END IF;
	LOOP
		number := number_format(p_template, counter, p_padding);
		EXIT WHEN NOT EXISTS (SELECT 1 FROM clients c WHERE c.company_id = app_company_id()
		    AND c.number = client_number_peek.number);
		counter := counter + 1;
	END LOOP;
END
$$;
