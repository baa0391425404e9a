-- ---------------------------------------------------------------------------
-- portal: the client portal's identities, links, sessions, sign-in,
-- registration, and what contacts may see and change.
--
-- A portal account is a company and an email address: contacts of several
-- clients of one company with the same email share its password and pick
-- the client after signing in. A contact may use the portal while its
-- client is active (not archived, not deleted) and the portal_enabled
-- setting that applies to the client is true.
--
-- Links (invitation 72 h, reset 1 h, magic sign-in 10 min, registration
-- confirmation 72 h, staff entering the portal 60 s) are single use. Only
-- the SHA-256 of a link's secret is stored; a link belongs to a contact
-- and the email the contact had when it was made, so it stops working when
-- the contact is deleted or its email changes, and keeps working when
-- anything else about the contact changes.
--
-- What runs before the tenant is known (sign-in, links, registration) is
-- SECURITY DEFINER, finds the company by its slug and sets the tenant for
-- the rest of the transaction, as auth_begin() does for staff. Every
-- function that reads or changes a client takes the client from the
-- session (app.portal_client_id, set by portal_begin()), never from the
-- request.
-- ---------------------------------------------------------------------------

-- ---- companies' portal addresses ----------------------------------------

-- The slug a name gives: letters and digits, lower case, "-" between
-- words, at most 48 characters; "company" when nothing is left.
CREATE FUNCTION company_slug_base(p_name text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN COALESCE(NULLIF(trim(BOTH '-' FROM left(trim(BOTH '-' FROM
	regexp_replace(lower(p_name), '[^a-z0-9]+', '-', 'g')), 48)), ''), 'company');

-- A new company gets the slug of its name, with -2, -3 ... when taken.
CREATE FUNCTION companies_slug_trigger() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	base text;
	n int := 1;
BEGIN
	IF NEW.slug IS NOT NULL THEN
		RETURN NEW;
	END IF;
	base := company_slug_base(NEW.name);
	NEW.slug := base;
	WHILE EXISTS (SELECT 1 FROM companies WHERE slug = NEW.slug) LOOP
		n := n + 1;
		NEW.slug := base || '-' || n;
	END LOOP;
	RETURN NEW;
END
$$;

REVOKE ALL ON FUNCTION companies_slug_trigger() FROM PUBLIC;

CREATE TRIGGER companies_slug BEFORE INSERT ON companies
    FOR EACH ROW EXECUTE FUNCTION companies_slug_trigger();

-- A client restored (approved) no longer awaits approval.
CREATE FUNCTION clients_approval_trigger() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
	IF NEW.awaiting_approval AND NEW.archived_at IS NULL AND NEW.deleted_at IS NULL THEN
		NEW.awaiting_approval := false;
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER clients_approval BEFORE UPDATE OF archived_at, deleted_at ON clients
    FOR EACH ROW EXECUTE FUNCTION clients_approval_trigger();

-- ---- throttling -----------------------------------------------------------

-- Seconds to wait before another attempt of realm p_realm for key p_key
-- from address p_ip (0: go ahead), within p_window: p_key_failed attempts
-- that did not succeed since the key's last success, p_key_any of any
-- outcome, and the same per address (a NULL limit is none).
CREATE FUNCTION portal_retry_after(p_realm text, p_key text, p_ip inet,
    p_window interval, p_key_failed int, p_key_any int, p_ip_failed int,
    p_ip_any int) RETURNS int
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
BEGIN
	RETURN (WITH recent AS (
		SELECT at, outcome, email = p_key AS mine,
		    p_ip IS NOT NULL AND ip = p_ip AS here
		FROM login_attempts
		WHERE realm = p_realm AND at > now() - p_window
		    AND (email = p_key OR (p_ip IS NOT NULL AND ip = p_ip))),
	forgiven AS (
		SELECT COALESCE(max(at), '-infinity') AS before FROM recent
		WHERE mine AND outcome = 'succeeded'),
	limits (who, failed_only, n) AS (VALUES
		('key', true, p_key_failed), ('key', false, p_key_any),
		('address', true, p_ip_failed), ('address', false, p_ip_any))
	SELECT COALESCE(max(w.wait), 0)::int FROM limits l, forgiven f, LATERAL (
		SELECT ceil(extract(epoch FROM min(r.at) + p_window - now())) AS wait
		FROM (SELECT at FROM recent
		      WHERE CASE l.who WHEN 'key' THEN mine ELSE here END
			  AND (NOT l.failed_only OR (outcome <> 'succeeded'
			      AND (l.who = 'address' OR at > f.before)))
		      ORDER BY at DESC LIMIT l.n) r
		HAVING count(*) >= l.n) w
	WHERE l.n IS NOT NULL);
END
$$;
REVOKE ALL ON FUNCTION portal_retry_after(text, text, inet, interval, int, int, int, int) FROM PUBLIC;

-- Counts an attempt before its work is done, under the key's and the
-- address's locks, so that racing attempts cannot pass a limit together.
-- Returns the attempt's id, or retry_after > 0 (nothing counted).
CREATE FUNCTION portal_attempt(p_realm text, p_key text, p_ip inet,
    p_window interval, p_key_failed int, p_key_any int, p_ip_failed int,
    p_ip_any int, OUT attempt_id bigint, OUT retry_after int)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(hashtextextended(p_realm || ':' || p_key, 0));
	IF p_ip IS NOT NULL THEN
		PERFORM pg_advisory_xact_lock(hashtextextended(p_realm || '-ip:' || host(p_ip), 0));
	END IF;
	retry_after := portal_retry_after(p_realm, p_key, p_ip, p_window,
	    p_key_failed, p_key_any, p_ip_failed, p_ip_any);
	IF retry_after > 0 THEN
		RETURN;
	END IF;
	INSERT INTO login_attempts (email, ip, realm) VALUES (left(p_key, 300), p_ip, p_realm)
	RETURNING id INTO attempt_id;
END
$$;
REVOKE ALL ON FUNCTION portal_attempt(text, text, inet, interval, int, int, int, int) FROM PUBLIC;

CREATE FUNCTION portal_attempt_end(p_attempt bigint, p_ok boolean) RETURNS void
    LANGUAGE sql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
	UPDATE login_attempts SET outcome = CASE WHEN p_ok THEN 'succeeded' ELSE 'failed' END
	WHERE id = p_attempt AND outcome = 'pending'
$$;
REVOKE ALL ON FUNCTION portal_attempt_end(bigint, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION portal_attempt_end(bigint, boolean) TO clientd_app;

-- ---- the company of a request -------------------------------------------

-- The company whose portal is at p_slug, and the tenant set to it for the
-- rest of the transaction (as a contact, not yet known). 404 when no
-- company has the slug or its portal is off.
CREATE FUNCTION portal_company(p_slug text) RETURNS companies
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	co companies%ROWTYPE;
BEGIN
	SELECT * INTO co FROM companies WHERE slug = p_slug;
	IF NOT FOUND OR NOT (setting_value('portal_enabled', NULL, NULL, co.settings) #>> '{}')::boolean THEN
		RAISE EXCEPTION 'portal not found'
		    USING ERRCODE = 'CD404',
			  DETAIL = format('No client portal is at "%s".', p_slug),
			  HINT = 'Check the address in the email you received.';
	END IF;
	PERFORM set_config('app.company_id', co.id::text, true),
		set_config('app.user_id', '', true),
		set_config('app.role', '', true),
		set_config('app.scope', 'all', true),
		set_config('app.actor_type', 'contact', true),
		set_config('app.actor_id', '', true),
		set_config('app.actor_name', '', true),
		set_config('app.impersonator_id', '', true),
		set_config('app.impersonator_name', '', true);
	RETURN co;
END
$$;
REVOKE ALL ON FUNCTION portal_company(text) FROM PUBLIC;

-- The company setting p_key (a portal key: company level only).
CREATE FUNCTION portal_setting(co companies, p_key text) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	RETURN setting_value(p_key, NULL, NULL, co.settings);
END
$$;

-- What the portal's pages need before anyone signs in.
CREATE FUNCTION portal_info(p_slug text) RETURNS json
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	co companies%ROWTYPE := portal_company(p_slug);
BEGIN
	RETURN json_build_object('name', co.name, 'slug', co.slug,
	    'registration', (portal_setting(co, 'portal_registration') #>> '{}')::boolean,
	    'registration_fields', CASE WHEN (portal_setting(co, 'portal_registration') #>> '{}')::boolean
		THEN portal_setting(co, 'portal_registration_fields') END,
	    'magic_links', (portal_setting(co, 'portal_magic_links') #>> '{}')::boolean);
END
$$;
REVOKE ALL ON FUNCTION portal_info(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION portal_info(text) TO clientd_app;

-- ---- who may use the portal ------------------------------------------------

-- Whether contact k may use the portal now: its client is active and the
-- portal is on for it (the portal_enabled setting that applies).
CREATE FUNCTION portal_contact_ok(k client_contacts) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	c clients%ROWTYPE;
BEGIN
	SELECT * INTO c FROM clients WHERE id = k.client_id;
	RETURN c.archived_at IS NULL AND c.deleted_at IS NULL
	    AND (setting_value('portal_enabled', c.settings,
		(SELECT g.settings FROM client_groups g WHERE g.id = c.group_id),
		(SELECT co.settings FROM companies co WHERE co.id = c.company_id)) #>> '{}')::boolean;
END
$$;
REVOKE ALL ON FUNCTION portal_contact_ok(client_contacts) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION portal_contact_ok(client_contacts) TO clientd_app;

-- The contacts of company p_company with email p_email that may use the
-- portal, in the order the picker shows their clients.
CREATE FUNCTION portal_contacts(p_company bigint, p_email text)
    RETURNS SETOF client_contacts
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
	SELECT k.* FROM client_contacts k JOIN clients c ON c.id = k.client_id
	WHERE k.company_id = p_company AND p_email <> '' AND lower(k.email) = p_email
	    AND portal_contact_ok(k)
	ORDER BY lower(c.display_name), c.id
$$;
REVOKE ALL ON FUNCTION portal_contacts(bigint, text) FROM PUBLIC;

-- The portal status of a contact, from when its email's portal account got
-- a password (0013_reads: exactly when it has one) and its latest
-- invitation: active, invited, invitation_expired or not_invited. Inlined
-- where it is used: the daemon's lists of clients join the account and the
-- invitation themselves (api_clients.c).
CREATE FUNCTION portal_status_name(p_password_set timestamptz,
    p_invited timestamptz, p_expires timestamptz, p_used timestamptz)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN CASE WHEN p_password_set IS NOT NULL THEN 'active'
	WHEN p_invited IS NOT NULL AND p_used IS NULL AND p_expires > now() THEN 'invited'
	WHEN p_invited IS NOT NULL THEN 'invitation_expired'
	ELSE 'not_invited' END;

-- The portal status staff see on a contact: whether it has been invited,
-- whether its email has a portal password, when it last signed in.
CREATE FUNCTION portal_status_json(k client_contacts) RETURNS json
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
	SELECT json_build_object(
	    'status', portal_status_name(a.password_set_at, i.created_at,
		i.expires_at, i.used_at),
	    'invited_at', rfc3339(i.created_at),
	    'invitation_expires_at', CASE WHEN i.used_at IS NULL THEN rfc3339(i.expires_at) END,
	    'last_login_at', rfc3339(a.last_login_at))
	FROM (SELECT 1) one
	LEFT JOIN portal_accounts a ON k.email <> '' AND a.company_id = k.company_id
	    AND a.email = lower(k.email)
	LEFT JOIN LATERAL (SELECT * FROM portal_links l WHERE l.contact_id = k.id
	    AND l.kind = 'invitation' AND l.email = lower(k.email)
	    ORDER BY l.created_at DESC LIMIT 1) i ON true
$$;
REVOKE ALL ON FUNCTION portal_status_json(client_contacts) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION portal_status_json(client_contacts) TO clientd_app;

-- ---- sessions ---------------------------------------------------------------

-- What the portal shows about the signed-in contact (GET /portal/{company}/me).
CREATE FUNCTION portal_me_json(s portal_sessions) RETURNS json
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	k client_contacts%ROWTYPE;
	c clients%ROWTYPE;
	co companies%ROWTYPE;
	fields jsonb;
BEGIN
	SELECT * INTO k FROM client_contacts WHERE id = s.contact_id;
	SELECT * INTO c FROM clients WHERE id = k.client_id;
	SELECT * INTO co FROM companies WHERE id = s.company_id;
	fields := portal_setting(co, 'portal_client_fields');
	RETURN json_build_object(
	    'contact', json_build_object('id', k.public_id, 'first_name', k.first_name,
		'last_name', k.last_name, 'email', k.email, 'phone', k.phone),
	    'client', json_build_object('id', c.public_id, 'display_name', c.display_name,
		'number', c.number),
	    'clients', COALESCE((SELECT json_agg(json_build_object('id', x.public_id,
		'display_name', x.display_name, 'number', x.number)
		ORDER BY lower(x.display_name), x.id)
		FROM clients x WHERE CASE WHEN s.impersonator_id IS NOT NULL THEN x.id = c.id
		    ELSE x.id IN (SELECT p.client_id
			FROM portal_contacts(s.company_id, s.email) p) END), '[]'),
	    'company', json_build_object('name', co.name, 'slug', co.slug),
	    'impersonated_by', (SELECT json_build_object('name', COALESCE(NULLIF(u.name, ''), u.email))
		FROM users u WHERE u.id = s.impersonator_id),
	    'editable_fields', COALESCE((SELECT json_agg(key ORDER BY key)
		FROM jsonb_each(fields) WHERE value = 'true'), '[]'),
	    'expires_at', rfc3339(LEAST(s.expires_at, s.last_seen_at + interval '8 hours')));
END
$$;
REVOKE ALL ON FUNCTION portal_me_json(portal_sessions) FROM PUBLIC;

-- Opens a session for contact k (7 days, 8 idle hours; 1 hour when staff
-- enter as the contact), at most 20 per account.
CREATE FUNCTION portal_session_open(k client_contacts, p_hash bytea, p_ip inet,
    p_agent text, p_impersonator bigint) RETURNS portal_sessions
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	s portal_sessions%ROWTYPE;
BEGIN
	INSERT INTO portal_sessions (company_id, contact_id, email, token_hash,
	    impersonator_id, ip, user_agent, expires_at)
	VALUES (k.company_id, k.id, lower(k.email), p_hash, p_impersonator, p_ip,
	    left(p_agent, 256), now() + CASE WHEN p_impersonator IS NULL
		THEN interval '7 days' ELSE interval '1 hour' END)
	RETURNING * INTO s;
	DELETE FROM portal_sessions WHERE id IN (SELECT id FROM portal_sessions
	    WHERE company_id = k.company_id AND email = lower(k.email)
		AND impersonator_id IS NULL
	    ORDER BY last_seen_at DESC, id DESC OFFSET 20);
	RETURN s;
END
$$;
REVOKE ALL ON FUNCTION portal_session_open(client_contacts, bytea, inet, text, bigint) FROM PUBLIC;

-- Acts as the session's contact for the rest of the transaction.
CREATE FUNCTION portal_act(s portal_sessions, k client_contacts) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	u users%ROWTYPE;
BEGIN
	SELECT * INTO u FROM users WHERE id = s.impersonator_id;
	PERFORM set_config('app.company_id', s.company_id::text, true),
		set_config('app.user_id', '', true),
		set_config('app.role', '', true),
		set_config('app.scope', 'all', true),
		set_config('app.actor_type', 'contact', true),
		set_config('app.actor_id', k.public_id, true),
		set_config('app.actor_name', COALESCE(NULLIF(trim(k.first_name || ' ' || k.last_name), ''),
		    NULLIF(k.email, ''), k.public_id), true),
		set_config('app.impersonator_id', COALESCE(u.public_id, ''), true),
		set_config('app.impersonator_name', COALESCE(NULLIF(u.name, ''), u.email, ''), true),
		set_config('app.portal_session_id', s.id::text, true),
		set_config('app.portal_contact_id', k.id::text, true),
		set_config('app.portal_client_id', k.client_id::text, true);
END
$$;
REVOKE ALL ON FUNCTION portal_act(portal_sessions, client_contacts) FROM PUBLIC;

-- Every portal request with a session starts here (http/portal_auth.c):
-- the session of cookie hash p_hash, at the portal of p_slug, acting as
-- its contact. 401 when the session is unknown, expired, of another
-- company, or its contact may not use the portal (deleted, email changed,
-- client archived or deleted, portal off). p_client, when given, must be
-- the session's client (a request that read it before).
CREATE FUNCTION portal_begin(p_hash bytea, p_slug text, p_client text)
    RETURNS TABLE (contact_id text, contact_name text, client_id text,
	company_id text, company_name text, impersonator text)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	s portal_sessions%ROWTYPE;
	k client_contacts%ROWTYPE;
	co companies%ROWTYPE;
BEGIN
	SELECT * INTO s FROM portal_sessions WHERE token_hash = p_hash
	    AND expires_at > now() AND last_seen_at > now() - interval '8 hours';
	SELECT * INTO co FROM companies WHERE id = s.company_id;
	SELECT * INTO k FROM client_contacts WHERE id = s.contact_id;
	IF s.id IS NULL OR co.slug IS DISTINCT FROM p_slug OR k.id IS NULL
	    OR lower(k.email) <> s.email OR NOT portal_contact_ok(k)
	    OR NOT (portal_setting(co, 'portal_enabled') #>> '{}')::boolean
	    OR (p_client IS NOT NULL AND p_client <> (SELECT public_id FROM clients WHERE id = k.client_id)) THEN
		RAISE EXCEPTION 'invalid or expired portal session'
		    USING ERRCODE = 'CD401',
			  HINT = 'Sign in to the portal again.';
	END IF;
	IF s.last_seen_at < now() - interval '1 minute' THEN
		UPDATE portal_sessions SET last_seen_at = now() WHERE id = s.id;
	END IF;
	PERFORM portal_act(s, k);
	RETURN QUERY SELECT k.public_id, current_setting('app.actor_name'),
	    (SELECT public_id FROM clients WHERE id = k.client_id), co.public_id, co.name,
	    NULLIF(current_setting('app.impersonator_name'), '');
END
$$;
REVOKE ALL ON FUNCTION portal_begin(bytea, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION portal_begin(bytea, text, text) TO clientd_app;

-- The current session (after portal_begin()).
CREATE FUNCTION portal_session() RETURNS portal_sessions
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
	SELECT * FROM portal_sessions
	WHERE id = NULLIF(current_setting('app.portal_session_id', true), '')::bigint
$$;
REVOKE ALL ON FUNCTION portal_session() FROM PUBLIC;

CREATE FUNCTION portal_me() RETURNS json
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
BEGIN
	RETURN portal_me_json(portal_session());
END
$$;
REVOKE ALL ON FUNCTION portal_me() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION portal_me() TO clientd_app;

-- Switches the session to the contact of client p_client with the same
-- email (the picker). 404 for a client the contact has no access to.
CREATE FUNCTION portal_select(p_client text) RETURNS json
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	s portal_sessions%ROWTYPE := portal_session();
	k client_contacts%ROWTYPE;
BEGIN
	SELECT p.* INTO k FROM portal_contacts(s.company_id, s.email) p
	JOIN clients c ON c.id = p.client_id WHERE c.public_id = p_client
	    AND s.impersonator_id IS NULL
	LIMIT 1;
	IF k.id IS NULL THEN
		RAISE EXCEPTION 'client not found'
		    USING ERRCODE = 'CD404', COLUMN = 'client',
			  DETAIL = format('You have no access to a client with the id "%s".', p_client);
	END IF;
	UPDATE portal_sessions SET contact_id = k.id WHERE id = s.id RETURNING * INTO s;
	PERFORM portal_act(s, k);
	RETURN portal_me_json(s);
END
$$;
REVOKE ALL ON FUNCTION portal_select(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION portal_select(text) TO clientd_app;

-- Ends a session: the hash is the capability.
CREATE FUNCTION portal_session_end(p_hash bytea) RETURNS boolean
    LANGUAGE sql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
	WITH d AS (DELETE FROM portal_sessions WHERE token_hash = p_hash RETURNING 1)
	SELECT count(*) > 0 FROM d
$$;
REVOKE ALL ON FUNCTION portal_session_end(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION portal_session_end(bytea) TO clientd_app;

-- ---- signing in -------------------------------------------------------------

-- Starts a sign-in at p_slug: counts the attempt (per company and email:
-- 5 that did not succeed and 20 of any outcome in 15 minutes; per address
-- 30 and 100), and returns the account's hash (NULL when it has none: the
-- daemon checks a dummy as slowly), or retry_after > 0.
CREATE FUNCTION portal_login_begin(p_slug text, p_email text, p_ip inet)
    RETURNS TABLE (attempt_id bigint, password_hash text, retry_after int)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	co companies%ROWTYPE := portal_company(p_slug);
	a record;
BEGIN
	SELECT * INTO a FROM portal_attempt('portal', co.id || ':' || lower(p_email), p_ip,
	    interval '15 minutes', 5, 20, 30, 100);
	IF a.retry_after > 0 THEN
		RETURN QUERY SELECT NULL::bigint, NULL::text, a.retry_after;
		RETURN;
	END IF;
	RETURN QUERY SELECT a.attempt_id, (SELECT x.password_hash FROM portal_accounts x
	    WHERE x.company_id = co.id AND x.email = lower(p_email)), 0;
END
$$;
REVOKE ALL ON FUNCTION portal_login_begin(text, text, inet) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION portal_login_begin(text, text, inet) TO clientd_app;

-- The password matched: a session for the first contact (by client name)
-- with that email that may use the portal; 403 when none may. p_rehash
-- replaces a hash made with older parameters.
CREATE FUNCTION portal_login_succeed(p_slug text, p_attempt bigint, p_email text,
    p_hash bytea, p_ip inet, p_agent text, p_rehash text) RETURNS json
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	co companies%ROWTYPE := portal_company(p_slug);
	k client_contacts%ROWTYPE;
	s portal_sessions%ROWTYPE;
BEGIN
	PERFORM portal_attempt_end(p_attempt, true);
	SELECT * INTO k FROM portal_contacts(co.id, lower(p_email)) LIMIT 1;
	IF k.id IS NULL THEN
		RAISE EXCEPTION 'portal access is closed'
		    USING ERRCODE = 'CD403',
			  DETAIL = 'No client of this account may use the portal now.',
			  HINT = 'If you registered recently, the company has yet to approve the registration; otherwise ask the company.';
	END IF;
	UPDATE portal_accounts SET last_login_at = now(),
	    password_hash = COALESCE(p_rehash, password_hash)
	WHERE company_id = co.id AND email = lower(p_email);
	s := portal_session_open(k, p_hash, p_ip, p_agent, NULL);
	PERFORM portal_act(s, k);
	RETURN portal_me_json(s);
END
$$;
REVOKE ALL ON FUNCTION portal_login_succeed(text, bigint, text, bytea, inet, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION portal_login_succeed(text, bigint, text, bytea, inet, text, text) TO clientd_app;

-- ---- links --------------------------------------------------------------------

-- A new link of kind p_kind for contact k, valid for p_ttl; earlier
-- unused links of the same kind for the contact stop working.
CREATE FUNCTION portal_link_make(k client_contacts, p_kind text, p_hash bytea,
    p_ttl interval, p_by bigint, p_pending text) RETURNS portal_links
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	l portal_links%ROWTYPE;
BEGIN
	UPDATE portal_links SET expires_at = now()
	WHERE contact_id = k.id AND kind = p_kind AND used_at IS NULL AND expires_at > now();
	INSERT INTO portal_links (company_id, contact_id, email, kind, secret_hash,
	    created_by, pending_password_hash, expires_at)
	VALUES (k.company_id, k.id, lower(k.email), p_kind, p_hash, p_by, p_pending,
	    now() + p_ttl)
	RETURNING * INTO l;
	RETURN l;
END
$$;
REVOKE ALL ON FUNCTION portal_link_make(client_contacts, text, bytea, interval, bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION portal_link_make(client_contacts, text, bytea, interval, bigint, text) TO clientd_app;

-- The portal page a link of kind p_kind opens, with its secret in the
-- fragment (never sent to a server, so never in a log).
CREATE FUNCTION portal_link_url(p_base text, co companies, p_kind text, p_secret text)
    RETURNS text
    LANGUAGE sql IMMUTABLE
    RETURN rtrim(p_base, '/') || '/portal/' || co.slug || '/' || CASE p_kind
	WHEN 'invitation' THEN 'welcome' WHEN 'reset' THEN 'reset'
	WHEN 'magic' THEN 'magic' WHEN 'verify' THEN 'confirm'
	ELSE 'enter' END || '#' || p_secret;

-- The usable link with secret hash p_hash at the portal of p_slug, locked
-- when p_lock. 410 for any other: unknown, used, expired, of another
-- company, or whose contact is gone or has another email now.
CREATE FUNCTION portal_link_find(p_slug text, p_hash bytea, p_lock boolean)
    RETURNS portal_links
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	co companies%ROWTYPE := portal_company(p_slug);
	l portal_links%ROWTYPE;
BEGIN
	IF p_lock THEN
		SELECT * INTO l FROM portal_links WHERE secret_hash = p_hash FOR UPDATE;
	ELSE
		SELECT * INTO l FROM portal_links WHERE secret_hash = p_hash;
	END IF;
	IF l.id IS NULL OR l.company_id <> co.id OR l.used_at IS NOT NULL
	    OR l.expires_at <= now() OR NOT EXISTS (SELECT 1 FROM client_contacts k
		WHERE k.id = l.contact_id AND lower(k.email) = l.email) THEN
		RAISE EXCEPTION 'link is invalid, used or expired'
		    USING ERRCODE = 'CD410',
			  DETAIL = 'Each link works once, for a limited time, and only while the contact it was sent to keeps its email address.',
			  HINT = 'Ask for a new one: "Forgot your password?" on the sign-in page, or ask the company for a new invitation.';
	END IF;
	RETURN l;
END
$$;
REVOKE ALL ON FUNCTION portal_link_find(text, bytea, boolean) FROM PUBLIC;

-- What a link is, without using it (the page shows the right form).
CREATE FUNCTION portal_link_check(p_slug text, p_hash bytea) RETURNS json
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	l portal_links%ROWTYPE := portal_link_find(p_slug, p_hash, false);
BEGIN
	RETURN json_build_object('kind', l.kind, 'email', l.email,
	    'expires_at', rfc3339(l.expires_at),
	    'needs_password', l.kind IN ('invitation', 'reset'));
END
$$;
REVOKE ALL ON FUNCTION portal_link_check(text, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION portal_link_check(text, bytea) TO clientd_app;

-- Follows a link: marks it used, takes its secret out of the mail that
-- carried it, sets the password (invitation, reset: p_password_hash) or
-- the registration's, ends the account's other sessions when its password
-- changes, and opens a session (p_session_hash) for the link's contact.
-- Staff entering the portal are recorded in the client's activity under
-- their own name.
CREATE FUNCTION portal_link_redeem(p_slug text, p_hash bytea, p_password_hash text,
    p_session_hash bytea, p_ip inet, p_agent text) RETURNS json
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	l portal_links%ROWTYPE := portal_link_find(p_slug, p_hash, true);
	k client_contacts%ROWTYPE;
	s portal_sessions%ROWTYPE;
	u users%ROWTYPE;
	v_hash text;
	v_first boolean;
BEGIN
	IF l.kind IN ('invitation', 'reset') AND p_password_hash IS NULL THEN
		RAISE EXCEPTION 'field "password" is required'
		    USING ERRCODE = 'CD422', COLUMN = 'password',
			  HINT = 'This link sets a password: send the new one with it.';
	ELSIF l.kind NOT IN ('invitation', 'reset') AND p_password_hash IS NOT NULL THEN
		RAISE EXCEPTION 'unknown field "password"'
		    USING ERRCODE = 'CD422', COLUMN = 'password',
			  HINT = 'This link signs in without a password.';
	END IF;
	UPDATE portal_links SET used_at = now() WHERE id = l.id;
	PERFORM mail_redact(l.id, 'used');
	SELECT * INTO k FROM client_contacts WHERE id = l.contact_id;

	v_hash := COALESCE(p_password_hash, l.pending_password_hash);
	IF v_hash IS NOT NULL THEN
		v_first := NOT EXISTS (SELECT 1 FROM portal_accounts WHERE company_id = l.company_id
		    AND email = l.email AND password_hash IS NOT NULL);
		INSERT INTO portal_accounts AS a (company_id, email, password_hash, password_set_at)
		VALUES (l.company_id, l.email, v_hash, now())
		ON CONFLICT (company_id, email) DO UPDATE SET password_hash = EXCLUDED.password_hash,
		    password_set_at = now();
		DELETE FROM portal_sessions WHERE company_id = l.company_id AND email = l.email
		    AND impersonator_id IS NULL;
	END IF;

	IF l.kind = 'impersonation' THEN
		IF NOT portal_contact_ok(k) THEN
			RAISE EXCEPTION 'portal access is closed'
			    USING ERRCODE = 'CD403',
				  DETAIL = 'The client is archived or deleted, or its portal is off.';
		END IF;
		SELECT * INTO u FROM users WHERE id = l.created_by AND is_active;
		IF u.id IS NULL THEN
			RAISE EXCEPTION 'link is invalid, used or expired' USING ERRCODE = 'CD410';
		END IF;
		-- The entry itself is the staff member's action.
		PERFORM set_config('app.actor_type', 'user', true),
			set_config('app.actor_id', u.public_id, true),
			set_config('app.actor_name', COALESCE(NULLIF(u.name, ''), u.email), true);
		PERFORM event_add('contact.portal_entered', 'contact', k.id, k.public_id,
		    jsonb_build_object('portal', jsonb_build_object('before', NULL,
			'after', 'entered by ' || COALESCE(NULLIF(u.name, ''), u.email))), k.client_id);
		s := portal_session_open(k, p_session_hash, p_ip, p_agent, u.id);
	ELSE
		IF NOT portal_contact_ok(k) THEN
			SELECT * INTO k FROM portal_contacts(l.company_id, l.email) LIMIT 1;
		END IF;
		IF k.id IS NULL THEN
			RAISE EXCEPTION 'portal access is closed'
			    USING ERRCODE = 'CD403',
				  DETAIL = 'No client of this account may use the portal now.',
				  HINT = 'If you registered recently, the company has yet to approve the registration; otherwise ask the company.';
		END IF;
		s := portal_session_open(k, p_session_hash, p_ip, p_agent, NULL);
		PERFORM portal_act(s, k);
		IF v_hash IS NOT NULL THEN
			PERFORM event_add('contact.password_set', 'contact', k.id, k.public_id,
			    jsonb_build_object('portal', jsonb_build_object(
				'before', CASE WHEN v_first THEN 'invited' ELSE 'active' END,
				'after', 'active')), k.client_id);
		END IF;
		UPDATE portal_accounts SET last_login_at = now()
		WHERE company_id = l.company_id AND email = l.email;
	END IF;
	PERFORM portal_act(s, k);
	RETURN portal_me_json(s);
END
$$;
REVOKE ALL ON FUNCTION portal_link_redeem(text, bytea, text, bytea, inet, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION portal_link_redeem(text, bytea, text, bytea, inet, text) TO clientd_app;

-- "Forgot password?" (p_kind reset, 1 hour) and magic sign-in links (magic,
-- 10 minutes) asked for by email at p_slug. Counted per company and email
-- (5 an hour) and per address (30 an hour); the answer is the same
-- whether the email is known or not: only retry_after (> 0 when paused).
CREATE FUNCTION portal_mail_request(p_slug text, p_kind text, p_email text,
    p_ip inet, p_secret text, p_hash bytea, p_base text) RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	co companies%ROWTYPE := portal_company(p_slug);
	a record;
	k client_contacts%ROWTYPE;
	l portal_links%ROWTYPE;
BEGIN
	IF p_kind = 'magic' AND NOT (portal_setting(co, 'portal_magic_links') #>> '{}')::boolean THEN
		RAISE EXCEPTION 'sign-in links are off at this portal'
		    USING ERRCODE = 'CD404', HINT = 'Sign in with your password.';
	END IF;
	SELECT * INTO a FROM portal_attempt('portal_mail', co.id || ':' || lower(p_email), p_ip,
	    interval '1 hour', NULL, 5, NULL, 30);
	IF a.retry_after > 0 THEN
		RETURN a.retry_after;
	END IF;
	PERFORM portal_attempt_end(a.attempt_id, true);
	SELECT * INTO k FROM portal_contacts(co.id, lower(p_email)) LIMIT 1;
	IF k.id IS NULL THEN
		RETURN 0;
	END IF;
	l := portal_link_make(k, p_kind, p_hash, CASE p_kind WHEN 'reset'
	    THEN interval '1 hour' ELSE interval '10 minutes' END, NULL, NULL);
	PERFORM mail_queue(p_kind, k.email, jsonb_build_object(
	    'name', COALESCE(NULLIF(trim(k.first_name || ' ' || k.last_name), ''), k.email),
	    'email', k.email, 'link', portal_link_url(p_base, co, p_kind, p_secret),
	    'expires', CASE p_kind WHEN 'reset' THEN '1 hour' ELSE '10 minutes' END),
	    k.client_id, k.id, l.id);
	RETURN 0;
END
$$;
REVOKE ALL ON FUNCTION portal_mail_request(text, text, text, inet, text, bytea, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION portal_mail_request(text, text, text, inet, text, bytea, text) TO clientd_app;

-- ---- staff: invitations and entering the portal -------------------------

-- The contact p_contact of client p_client (within the caller's scope)
-- that may receive a link: it has an email, its client is not deleted.
CREATE FUNCTION portal_staff_contact(p_client text, p_contact text)
    RETURNS client_contacts
    LANGUAGE plpgsql VOLATILE
    AS $$
DECLARE
	c clients%ROWTYPE := client_find(p_client, true);
	k client_contacts%ROWTYPE := contact_find(c, p_contact);
BEGIN
	IF c.deleted_at IS NOT NULL THEN
		RAISE EXCEPTION 'client is deleted'
		    USING ERRCODE = 'CD409', HINT = 'Restore it first.';
	END IF;
	RETURN k;
END
$$;

-- POST /clients/{id}/contacts/{contact_id}/invitation: a 72-hour link to
-- set a portal password, by mail; earlier invitations stop working.
CREATE FUNCTION portal_invite(p_client text, p_contact text, p_secret text,
    p_hash bytea, p_base text) RETURNS json
    LANGUAGE plpgsql VOLATILE
    AS $$
DECLARE
	k client_contacts%ROWTYPE := portal_staff_contact(p_client, p_contact);
	co companies%ROWTYPE;
	l portal_links%ROWTYPE;
	v_mail bigint;
BEGIN
	IF k.email = '' THEN
		RAISE EXCEPTION 'the contact has no email address'
		    USING ERRCODE = 'CD422', COLUMN = 'email',
			  HINT = 'Give the contact an email address first.';
	END IF;
	SELECT * INTO co FROM companies WHERE id = app_company_id();
	IF NOT (portal_setting(co, 'portal_enabled') #>> '{}')::boolean THEN
		RAISE EXCEPTION 'the client portal is off'
		    USING ERRCODE = 'CD409', HINT = 'Turn it on in the portal settings (portal_enabled).';
	END IF;
	l := portal_link_make(k, 'invitation', p_hash, interval '72 hours', app_user_id(), NULL);
	v_mail := mail_queue('invitation', k.email, jsonb_build_object(
	    'name', COALESCE(NULLIF(trim(k.first_name || ' ' || k.last_name), ''), k.email),
	    'email', k.email, 'link', portal_link_url(p_base, co, 'invitation', p_secret),
	    'expires', '72 hours'), k.client_id, k.id, l.id);
	PERFORM event_add('contact.invited', 'contact', k.id, k.public_id,
	    jsonb_build_object('portal', jsonb_build_object('before', NULL,
		'after', 'invited ' || k.email)), k.client_id);
	RETURN json_build_object('mail', (SELECT public_id FROM mail_outbox WHERE id = v_mail),
	    'expires_at', rfc3339(l.expires_at), 'portal', portal_status_json(k));
END
$$;

-- POST /clients/{id}/contacts/{contact_id}/portal-link: a 60-second,
-- single-use link that opens the portal as the contact (for staff with
-- edit rights; the daemon builds the URL from the slug).
CREATE FUNCTION portal_enter_link(p_client text, p_contact text, p_hash bytea)
    RETURNS json
    LANGUAGE plpgsql VOLATILE
    AS $$
DECLARE
	k client_contacts%ROWTYPE := portal_staff_contact(p_client, p_contact);
	co companies%ROWTYPE;
	l portal_links%ROWTYPE;
BEGIN
	SELECT * INTO co FROM companies WHERE id = app_company_id();
	IF NOT portal_contact_ok(k) OR NOT (portal_setting(co, 'portal_enabled') #>> '{}')::boolean THEN
		RAISE EXCEPTION 'the client cannot use the portal'
		    USING ERRCODE = 'CD409',
			  DETAIL = 'The client is archived, or the portal is off for it.';
	END IF;
	l := portal_link_make(k, 'impersonation', p_hash, interval '60 seconds', app_user_id(), NULL);
	RETURN json_build_object('slug', co.slug, 'expires_at', rfc3339(l.expires_at));
END
$$;

-- ---- registration -------------------------------------------------------------

-- Starts a registration at p_slug: 404 when the company does not take
-- registrations; counts it per address (5 an hour; retry_after > 0 when
-- paused); and what the daemon needs to make the client's number.
CREATE FUNCTION portal_register_begin(p_slug text, p_ip inet)
    RETURNS TABLE (retry_after int, pattern text, padding int,
	group_counter boolean, has_group boolean, local_time text)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	co companies%ROWTYPE := portal_company(p_slug);
	a record;
BEGIN
	IF NOT (portal_setting(co, 'portal_registration') #>> '{}')::boolean THEN
		RAISE EXCEPTION 'registration not found'
		    USING ERRCODE = 'CD404',
			  DETAIL = format('The portal at "%s" does not take registrations.', p_slug);
	END IF;
	SELECT * INTO a FROM portal_attempt('portal_register', 'register', p_ip, interval '1 hour',
	    NULL, NULL, NULL, 5);
	IF a.retry_after > 0 THEN
		RETURN QUERY SELECT a.retry_after, NULL::text, NULL::int, NULL::boolean,
		    NULL::boolean, NULL::text;
		RETURN;
	END IF;
	RETURN QUERY SELECT 0, x.pattern, x.padding, x.group_counter, x.has_group,
	    x.local_time FROM client_number_context(NULL) x;
END
$$;
REVOKE ALL ON FUNCTION portal_register_begin(text, inet) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION portal_register_begin(text, inet) TO clientd_app;

-- Holds the registration p (checked for types by the daemon) to the
-- registration_fields setting: a field the form does not show is unknown,
-- a required one must not be empty.
CREATE FUNCTION portal_register_check(co companies, p jsonb) RETURNS void
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	f jsonb := portal_setting(co, 'portal_registration_fields');
	k text;
BEGIN
	FOR k IN SELECT jsonb_object_keys(p) LOOP
		IF k IN ('email', 'password') THEN
			CONTINUE;
		END IF;
		IF NOT COALESCE((f -> k ->> 'visible')::boolean, false) THEN
			RAISE EXCEPTION 'unknown field "%"', k
			    USING ERRCODE = 'CD422', COLUMN = k,
				  HINT = 'The registration form of this portal does not ask for it.';
		END IF;
	END LOOP;
	FOR k IN SELECT key FROM jsonb_each(f) WHERE (value ->> 'required')::boolean
	    AND (value ->> 'visible')::boolean LOOP
		IF COALESCE(p ->> k, '') = '' THEN
			RAISE EXCEPTION 'field "%" is required', k
			    USING ERRCODE = 'CD422', COLUMN = k;
		END IF;
	END LOOP;
END
$$;

-- Registers at p_slug: a client (numbered from p_template and p_padding,
-- as any client) with p's fields and its primary contact, and a 72-hour
-- confirmation link that sets the password (argon2id p_hash) and signs in.
-- The client is archived and awaits approval when the company approves
-- registrations. An email a contact of the company already has gets a
-- mail saying so instead, and the same answer: nothing is returned.
CREATE FUNCTION portal_register(p_slug text, p jsonb, p_template text,
    p_padding int, p_hash text, p_secret text, p_secret_hash bytea, p_base text)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	co companies%ROWTYPE := portal_company(p_slug);
	v_email text := lower(p ->> 'email');
	v_name text := trim(COALESCE(p ->> 'first_name', '') || ' ' || COALESCE(p ->> 'last_name', ''));
	body jsonb;
	c json;
	v_client clients%ROWTYPE;
	k client_contacts%ROWTYPE;
	l portal_links%ROWTYPE;
BEGIN
	IF NOT (portal_setting(co, 'portal_registration') #>> '{}')::boolean THEN
		RAISE EXCEPTION 'registration not found' USING ERRCODE = 'CD404';
	END IF;
	PERFORM portal_register_check(co, p - 'email' - 'password');
	IF EXISTS (SELECT 1 FROM client_contacts WHERE company_id = co.id
	    AND lower(email) = v_email) THEN
		PERFORM mail_queue('registration_exists', p ->> 'email', jsonb_build_object(
		    'name', COALESCE(NULLIF(v_name, ''), p ->> 'email'), 'email', p ->> 'email',
		    'link', rtrim(p_base, '/') || '/portal/' || co.slug || '/login'),
		    NULL, NULL, NULL);
		RETURN;
	END IF;

	PERFORM set_config('app.actor_name', COALESCE(NULLIF(v_name, ''), p ->> 'email')
	    || ' (portal registration)', true);
	body := jsonb_strip_nulls(jsonb_build_object('name', p -> 'name',
	    'website', p -> 'website', 'phone', p -> 'phone', 'vat_number', p -> 'vat_number',
	    'address', NULLIF(jsonb_strip_nulls(jsonb_build_object('address1', p -> 'address1',
		'city', p -> 'city', 'postal_code', p -> 'postal_code',
		'country', p -> 'country')), '{}'),
	    'contacts', jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
		'first_name', p -> 'first_name', 'last_name', p -> 'last_name',
		'email', p -> 'email', 'phone', p -> 'phone', 'is_primary', true)))));
	c := client_create(body, p_template, p_padding, false);
	SELECT * INTO v_client FROM clients WHERE public_id = c ->> 'id';
	SELECT * INTO k FROM client_contacts WHERE client_id = v_client.id AND is_primary;
	IF (portal_setting(co, 'portal_registration_approval') #>> '{}')::boolean THEN
		PERFORM client_transition(v_client, 'archive');
		UPDATE clients SET awaiting_approval = true WHERE id = v_client.id;
	END IF;
	l := portal_link_make(k, 'verify', p_secret_hash, interval '72 hours', NULL, p_hash);
	PERFORM mail_queue('registration', k.email, jsonb_build_object(
	    'name', COALESCE(NULLIF(v_name, ''), k.email), 'email', k.email,
	    'link', portal_link_url(p_base, co, 'verify', p_secret), 'expires', '72 hours'),
	    v_client.id, k.id, l.id);
END
$$;
REVOKE ALL ON FUNCTION portal_register(text, jsonb, text, int, text, text, bytea, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION portal_register(text, jsonb, text, int, text, text, bytea, text) TO clientd_app;

-- ---- the signed-in contact's own things -------------------------------------

-- The session's client, locked when p_lock (after portal_begin()).
CREATE FUNCTION portal_client_row(p_lock boolean) RETURNS clients
    LANGUAGE plpgsql VOLATILE
    AS $$
DECLARE
	c clients%ROWTYPE;
	v_id bigint := NULLIF(current_setting('app.portal_client_id', true), '')::bigint;
BEGIN
	IF p_lock THEN
		SELECT * INTO c FROM clients WHERE id = v_id AND company_id = app_company_id() FOR UPDATE;
	ELSE
		SELECT * INTO c FROM clients WHERE id = v_id AND company_id = app_company_id();
	END IF;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no portal session' USING ERRCODE = 'CD401';
	END IF;
	RETURN c;
END
$$;

-- The client as the portal shows it: what the contact may see, not the
-- private notes, settings, group or assigned user.
CREATE FUNCTION portal_client_json(c clients) RETURNS json
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	j jsonb := client_json(c)::jsonb;
BEGIN
	RETURN (j - '{private_notes,group,assigned_user,status,archived_at,deleted_at,primary_contact,awaiting_approval}'::text[])::json;
END
$$;

CREATE FUNCTION portal_client_get() RETURNS json
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	RETURN portal_client_json(portal_client_row(false));
END
$$;
GRANT EXECUTE ON FUNCTION portal_client_get() TO clientd_app;

-- PATCH /portal/{company}/client: only the fields the company lets
-- contacts edit (the portal_client_fields setting); any other is a 422
-- naming it. The change is the client's usual event, by the contact.
CREATE FUNCTION portal_client_update(p jsonb) RETURNS json
    LANGUAGE plpgsql VOLATILE
    AS $$
DECLARE
	c clients%ROWTYPE := portal_client_row(true);
	f jsonb := setting_value('portal_client_fields', NULL, NULL,
	    (SELECT settings FROM companies WHERE id = c.company_id));
	k text;
BEGIN
	FOR k IN SELECT jsonb_object_keys(p) LOOP
		IF NOT COALESCE((f ->> k)::boolean, false) THEN
			RAISE EXCEPTION 'field "%" cannot be changed in the portal', k
			    USING ERRCODE = 'CD422', COLUMN = k,
				  HINT = 'Ask the company to change it.';
		END IF;
	END LOOP;
	PERFORM client_update(c.public_id, p, NULL);
	RETURN portal_client_json(portal_client_row(false));
END
$$;
GRANT EXECUTE ON FUNCTION portal_client_update(jsonb) TO clientd_app;

-- PATCH /portal/{company}/me: the contact's own name and phone.
CREATE FUNCTION portal_profile_update(p jsonb) RETURNS json
    LANGUAGE plpgsql VOLATILE
    AS $$
DECLARE
	c clients%ROWTYPE := portal_client_row(true);
	k client_contacts%ROWTYPE;
BEGIN
	SELECT * INTO k FROM client_contacts
	WHERE id = NULLIF(current_setting('app.portal_contact_id', true), '')::bigint;
	PERFORM contact_update(c.public_id, k.public_id, p, NULL);
	RETURN portal_me();
END
$$;
GRANT EXECUTE ON FUNCTION portal_profile_update(jsonb) TO clientd_app;

-- The password change of the signed-in contact: the account's hash (to
-- check the current password against) ...
CREATE FUNCTION portal_password_hash() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
	SELECT a.password_hash FROM portal_accounts a, portal_session() s
	WHERE a.company_id = s.company_id AND a.email = s.email
$$;
REVOKE ALL ON FUNCTION portal_password_hash() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION portal_password_hash() TO clientd_app;

-- ... and the new one, which ends the account's other sessions; an event
-- by the contact, and a notification when portal_notifications is on.
CREATE FUNCTION portal_password_change(p_hash text) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	s portal_sessions%ROWTYPE := portal_session();
	k client_contacts%ROWTYPE;
	c clients%ROWTYPE;
BEGIN
	IF s.impersonator_id IS NOT NULL THEN
		RAISE EXCEPTION 'staff cannot change a contact''s password'
		    USING ERRCODE = 'CD403',
			  HINT = 'Send the contact an invitation instead; it lets the contact set a new password.';
	END IF;
	UPDATE portal_accounts SET password_hash = p_hash, password_set_at = now()
	WHERE company_id = s.company_id AND email = s.email;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no portal password to change' USING ERRCODE = 'CD409';
	END IF;
	DELETE FROM portal_sessions WHERE company_id = s.company_id AND email = s.email
	    AND id <> s.id AND impersonator_id IS NULL;
	SELECT * INTO k FROM client_contacts WHERE id = s.contact_id;
	SELECT * INTO c FROM clients WHERE id = k.client_id;
	PERFORM event_add('contact.password_set', 'contact', k.id, k.public_id,
	    jsonb_build_object('portal', jsonb_build_object('before', 'active',
		'after', 'active')), k.client_id);
	IF (setting_value('portal_notifications', c.settings,
	    (SELECT g.settings FROM client_groups g WHERE g.id = c.group_id),
	    (SELECT co.settings FROM companies co WHERE co.id = c.company_id)) #>> '{}')::boolean THEN
		PERFORM mail_queue('password_changed', k.email, jsonb_build_object(
		    'name', COALESCE(NULLIF(trim(k.first_name || ' ' || k.last_name), ''), k.email),
		    'email', k.email, 'link', ''), c.id, k.id, NULL);
	END IF;
END
$$;
REVOKE ALL ON FUNCTION portal_password_change(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION portal_password_change(text) TO clientd_app;

-- ---- housekeeping -----------------------------------------------------------

-- Expired sessions, links a month past their end, and the secrets of
-- expired links out of the mails that carried them.
CREATE FUNCTION portal_housekeeping() RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	n int;
	m int;
	l bigint;
BEGIN
	DELETE FROM portal_sessions WHERE expires_at < now()
	    OR last_seen_at < now() - interval '8 hours';
	GET DIAGNOSTICS n = ROW_COUNT;
	FOR l IN SELECT DISTINCT o.link_id FROM mail_outbox o JOIN portal_links p ON p.id = o.link_id
	    WHERE p.expires_at < now() AND p.used_at IS NULL
		AND o.body_text ~ '#[A-Za-z0-9_-]{43}' LOOP
		PERFORM mail_redact(l, 'expired');
	END LOOP;
	DELETE FROM portal_links WHERE expires_at < now() - interval '30 days';
	GET DIAGNOSTICS m = ROW_COUNT;
	RETURN n + m;
END
$$;
REVOKE ALL ON FUNCTION portal_housekeeping() FROM PUBLIC;
