-- ---------------------------------------------------------------------------
-- mail: the outbox. A mail is rendered from the company's template and
-- written to mail_outbox in the transaction that causes it (an invitation,
-- a reset request, a registration), with a "mail" job that the worker
-- runs: it sends over SMTP (api/src/worker/mailer.c), records each attempt
-- in mail_attempts, retries with back-off, and gives up a day after the
-- mail was written, keeping the last reason.
--
-- Templates are the company setting email_templates (core/settings.c has
-- the built-in ones): per kind a subject, a text and optionally an HTML
-- body with the placeholders {{company}}, {{name}}, {{email}}, {{link}}
-- and {{expires}}. A company's template of a kind replaces the built-in
-- one of that kind only.
-- ---------------------------------------------------------------------------

-- The template of kind p_kind for company p_company: the company's own,
-- else the built-in one.
CREATE FUNCTION mail_template(p_company bigint, p_kind text) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
BEGIN
	RETURN COALESCE((SELECT settings -> 'email_templates' -> p_kind
	    FROM companies WHERE id = p_company),
	    (SELECT value -> p_kind FROM setting_defaults WHERE key = 'email_templates'));
END
$$;
REVOKE ALL ON FUNCTION mail_template(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mail_template(bigint, text) TO clientd_app;

-- p_text with each {{key}} of p_vars replaced by its value (HTML-escaped
-- when p_html); placeholders without a value are left as they are.
CREATE FUNCTION mail_fill(p_text text, p_vars jsonb, p_html boolean) RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $$
DECLARE
	k text;
	v text;
	r text := p_text;
BEGIN
	IF r IS NULL THEN
		RETURN NULL;
	END IF;
	FOR k, v IN SELECT key, value FROM jsonb_each_text(p_vars) LOOP
		IF p_html THEN
			v := replace(replace(replace(replace(COALESCE(v, ''), '&', '&amp;'),
			    '<', '&lt;'), '>', '&gt;'), '"', '&quot;');
		END IF;
		r := replace(r, '{{' || k || '}}', COALESCE(v, ''));
	END LOOP;
	RETURN r;
END
$$;

-- Writes a mail of kind p_kind to p_to for the current tenant, rendered
-- with p_vars (company is added), and queues the job that sends it.
-- Returns the outbox row's id.
CREATE FUNCTION mail_queue(p_kind text, p_to text, p_vars jsonb, p_client bigint,
    p_contact bigint, p_link bigint) RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	t jsonb := mail_template(app_company_id(), p_kind);
	v jsonb;
	v_id bigint;
BEGIN
	IF app_company_id() IS NULL OR t IS NULL THEN
		RAISE EXCEPTION 'mail_queue: no tenant or no template "%"', p_kind;
	END IF;
	v := jsonb_build_object('company', (SELECT name FROM companies
	    WHERE id = app_company_id())) || COALESCE(p_vars, '{}');
	INSERT INTO mail_outbox (company_id, kind, to_address, subject, body_text,
	    body_html, client_id, contact_id, link_id, next_attempt_at)
	VALUES (app_company_id(), p_kind, p_to,
	    -- One line: a subject never carries a line break into the header.
	    left(regexp_replace(mail_fill(t ->> 'subject', v, false), '[\r\n]+', ' ', 'g'), 250),
	    mail_fill(t ->> 'text', v, false),
	    NULLIF(mail_fill(t ->> 'html', v, true), ''),
	    p_client, p_contact, p_link, now())
	RETURNING id INTO v_id;
	INSERT INTO jobs (company_id, kind, payload, max_attempts)
	VALUES (app_company_id(), 'mail', jsonb_build_object('mail', v_id), 3);
	PERFORM pg_notify('clientd_jobs', '');
	RETURN v_id;
END
$$;
REVOKE ALL ON FUNCTION mail_queue(text, text, jsonb, bigint, bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mail_queue(text, text, jsonb, bigint, bigint, bigint) TO clientd_app;

-- Takes the link's secret out of the bodies of the mails that carried it,
-- once the link has been used or has expired: the secret is stored in
-- plain text only while it can still be used (as in any mail queue).
CREATE FUNCTION mail_redact(p_link bigint, p_word text) RETURNS void
    LANGUAGE sql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
	UPDATE mail_outbox SET
	    body_text = regexp_replace(body_text, '#[A-Za-z0-9_-]{43}', '#' || p_word, 'g'),
	    body_html = regexp_replace(body_html, '#[A-Za-z0-9_-]{43}', '#' || p_word, 'g')
	WHERE link_id = p_link
$$;
REVOKE ALL ON FUNCTION mail_redact(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mail_redact(bigint, text) TO clientd_app;

-- A mail as GET /mail lists it, and with its bodies and attempts.
CREATE FUNCTION mail_json(m mail_outbox, p_full boolean) RETURNS json
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	j jsonb;
BEGIN
	j := jsonb_build_object('id', m.public_id, 'kind', m.kind, 'to', m.to_address,
	    'subject', m.subject, 'status', m.status, 'attempts', m.attempts,
	    'last_error', m.last_error,
	    'client', (SELECT public_id FROM clients WHERE id = m.client_id),
	    'contact', (SELECT public_id FROM client_contacts WHERE id = m.contact_id),
	    'created_at', rfc3339(m.created_at), 'sent_at', rfc3339(m.sent_at),
	    'failed_at', rfc3339(m.failed_at),
	    'next_attempt_at', CASE WHEN m.status = 'queued'
		THEN rfc3339(m.next_attempt_at) END);
	IF p_full THEN
		j := j || jsonb_build_object('text', m.body_text, 'html', m.body_html,
		    'attempt_log', COALESCE((SELECT jsonb_agg(jsonb_build_object(
			'at', rfc3339(a.at), 'ok', a.ok, 'error', a.error,
			'duration_ms', a.duration_ms) ORDER BY a.id)
			FROM mail_attempts a WHERE a.mail_id = m.id), '[]'));
	END IF;
	RETURN j;
END
$$;

-- The worker: the mail to send for job payload p_mail, locked, with the
-- company's name and the sender; no row when it is not queued any more.
CREATE FUNCTION mail_next(p_mail bigint)
    RETURNS TABLE (id bigint, to_address text, subject text, body_text text,
	body_html text, company_name text, public_id text)
    LANGUAGE sql VOLATILE
    AS $$
	SELECT m.id, m.to_address, m.subject, m.body_text, m.body_html,
	    (SELECT c.name FROM companies c WHERE c.id = m.company_id), m.public_id
	FROM mail_outbox m WHERE m.id = p_mail AND m.status = 'queued'
	    AND m.company_id = app_company_id()
	FOR UPDATE OF m
$$;
GRANT EXECUTE ON FUNCTION mail_next(bigint) TO clientd_worker;

-- The worker: the attempt's outcome. A failure schedules the next attempt
-- (p_base seconds, doubling each time, at most an hour apart) as a new
-- job, or gives up when the mail is a day old; returns the mail's status.
CREATE FUNCTION mail_attempted(p_mail bigint, p_ok boolean, p_error text,
    p_ms int, p_base int) RETURNS text
    LANGUAGE plpgsql VOLATILE
    AS $$
DECLARE
	m mail_outbox%ROWTYPE;
	v_next timestamptz;
BEGIN
	INSERT INTO mail_attempts (company_id, mail_id, ok, error, duration_ms)
	VALUES (app_company_id(), p_mail, p_ok, left(p_error, 1000), GREATEST(p_ms, 0));
	IF p_ok THEN
		UPDATE mail_outbox SET status = 'sent', sent_at = now(),
		    attempts = attempts + 1, last_error = NULL, next_attempt_at = NULL
		WHERE id = p_mail RETURNING * INTO m;
		RETURN m.status;
	END IF;
	SELECT * INTO m FROM mail_outbox WHERE id = p_mail;
	v_next := now() + least(interval '1 hour',
	    make_interval(secs => GREATEST(p_base, 1) * power(2, LEAST(m.attempts, 20))));
	IF v_next > m.created_at + interval '1 day' THEN
		UPDATE mail_outbox SET status = 'failed', failed_at = now(),
		    attempts = attempts + 1, last_error = left(p_error, 1000),
		    next_attempt_at = NULL
		WHERE id = p_mail RETURNING * INTO m;
	ELSE
		UPDATE mail_outbox SET attempts = attempts + 1,
		    last_error = left(p_error, 1000), next_attempt_at = v_next
		WHERE id = p_mail RETURNING * INTO m;
		INSERT INTO jobs (company_id, kind, payload, run_at, max_attempts)
		VALUES (app_company_id(), 'mail', jsonb_build_object('mail', p_mail), v_next, 3);
	END IF;
	RETURN m.status;
END
$$;
GRANT EXECUTE ON FUNCTION mail_attempted(bigint, boolean, text, int, int) TO clientd_worker;
