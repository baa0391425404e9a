-- ---------------------------------------------------------------------------
-- 0002_clients: clients, their contacts, client groups (the table; its API
-- comes later), and the functions every client write goes through.
--
-- A client is a person or a company. display_name is derived: name, else
-- the primary contact's "first last", else its email. Three ids: public_id
-- (opaque), number (generated when not given, unique per company, also
-- among archived and deleted clients), id_number (free text from another
-- system). Lifecycle: active -> archived (archived_at) -> deleted
-- (deleted_at, restorable) -> purged (row removed).
--
-- Writes go through the SECURITY INVOKER functions below (RLS applies):
-- each one changes the rows and writes exactly one event per client it
-- changes, in the same transaction. They raise CDxxx SQLSTATEs that the
-- daemon maps to HTTP statuses (xxx), with PostgreSQL-style messages and
-- the offending field in COLUMN.
-- ---------------------------------------------------------------------------

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Reference data: ISO 4217 currencies and their minor-unit precision (what
-- money is rounded to when shown, and the most decimals an amount may have).
CREATE TABLE currencies (
	code		text PRIMARY KEY CHECK (code ~ '^[A-Z]{3}$'),
	name		text NOT NULL,
	precision	smallint NOT NULL CHECK (precision BETWEEN 0 AND 4)
);
INSERT INTO currencies (code, name, precision) VALUES
	('AED', 'UAE Dirham', 2), ('AFN', 'Afghani', 2), ('ALL', 'Lek', 2),
	('AMD', 'Armenian Dram', 2), ('ANG', 'Netherlands Antillean Guilder', 2),
	('AOA', 'Kwanza', 2), ('ARS', 'Argentine Peso', 2), ('AUD', 'Australian Dollar', 2),
	('AWG', 'Aruban Florin', 2), ('AZN', 'Azerbaijan Manat', 2),
	('BAM', 'Convertible Mark', 2), ('BBD', 'Barbados Dollar', 2), ('BDT', 'Taka', 2),
	('BGN', 'Bulgarian Lev', 2), ('BHD', 'Bahraini Dinar', 3), ('BIF', 'Burundi Franc', 0),
	('BMD', 'Bermudian Dollar', 2), ('BND', 'Brunei Dollar', 2), ('BOB', 'Boliviano', 2),
	('BRL', 'Brazilian Real', 2), ('BSD', 'Bahamian Dollar', 2), ('BTN', 'Ngultrum', 2),
	('BWP', 'Pula', 2), ('BYN', 'Belarusian Ruble', 2), ('BZD', 'Belize Dollar', 2),
	('CAD', 'Canadian Dollar', 2), ('CDF', 'Congolese Franc', 2), ('CHF', 'Swiss Franc', 2),
	('CLP', 'Chilean Peso', 0), ('CNY', 'Yuan Renminbi', 2), ('COP', 'Colombian Peso', 2),
	('CRC', 'Costa Rican Colon', 2), ('CUP', 'Cuban Peso', 2), ('CVE', 'Cabo Verde Escudo', 2),
	('CZK', 'Czech Koruna', 2), ('DJF', 'Djibouti Franc', 0), ('DKK', 'Danish Krone', 2),
	('DOP', 'Dominican Peso', 2), ('DZD', 'Algerian Dinar', 2), ('EGP', 'Egyptian Pound', 2),
	('ERN', 'Nakfa', 2), ('ETB', 'Ethiopian Birr', 2), ('EUR', 'Euro', 2),
	('FJD', 'Fiji Dollar', 2), ('FKP', 'Falkland Islands Pound', 2), ('GBP', 'Pound Sterling', 2),
	('GEL', 'Lari', 2), ('GHS', 'Ghana Cedi', 2), ('GIP', 'Gibraltar Pound', 2),
	('GMD', 'Dalasi', 2), ('GNF', 'Guinean Franc', 0), ('GTQ', 'Quetzal', 2),
	('GYD', 'Guyana Dollar', 2), ('HKD', 'Hong Kong Dollar', 2), ('HNL', 'Lempira', 2),
	('HTG', 'Gourde', 2), ('HUF', 'Forint', 2), ('IDR', 'Rupiah', 2),
	('ILS', 'New Israeli Sheqel', 2), ('INR', 'Indian Rupee', 2), ('IQD', 'Iraqi Dinar', 3),
	('IRR', 'Iranian Rial', 2), ('ISK', 'Iceland Krona', 0), ('JMD', 'Jamaican Dollar', 2),
	('JOD', 'Jordanian Dinar', 3), ('JPY', 'Yen', 0), ('KES', 'Kenyan Shilling', 2),
	('KGS', 'Som', 2), ('KHR', 'Riel', 2), ('KMF', 'Comorian Franc', 0),
	('KPW', 'North Korean Won', 2), ('KRW', 'Won', 0), ('KWD', 'Kuwaiti Dinar', 3),
	('KYD', 'Cayman Islands Dollar', 2), ('KZT', 'Tenge', 2), ('LAK', 'Lao Kip', 2),
	('LBP', 'Lebanese Pound', 2), ('LKR', 'Sri Lanka Rupee', 2), ('LRD', 'Liberian Dollar', 2),
	('LSL', 'Loti', 2), ('LYD', 'Libyan Dinar', 3), ('MAD', 'Moroccan Dirham', 2),
	('MDL', 'Moldovan Leu', 2), ('MGA', 'Malagasy Ariary', 2), ('MKD', 'Denar', 2),
	('MMK', 'Kyat', 2), ('MNT', 'Tugrik', 2), ('MOP', 'Pataca', 2), ('MRU', 'Ouguiya', 2),
	('MUR', 'Mauritius Rupee', 2), ('MVR', 'Rufiyaa', 2), ('MWK', 'Malawi Kwacha', 2),
	('MXN', 'Mexican Peso', 2), ('MYR', 'Malaysian Ringgit', 2), ('MZN', 'Mozambique Metical', 2),
	('NAD', 'Namibia Dollar', 2), ('NGN', 'Naira', 2), ('NIO', 'Cordoba Oro', 2),
	('NOK', 'Norwegian Krone', 2), ('NPR', 'Nepalese Rupee', 2), ('NZD', 'New Zealand Dollar', 2),
	('OMR', 'Rial Omani', 3), ('PAB', 'Balboa', 2), ('PEN', 'Sol', 2), ('PGK', 'Kina', 2),
	('PHP', 'Philippine Peso', 2), ('PKR', 'Pakistan Rupee', 2), ('PLN', 'Zloty', 2),
	('PYG', 'Guarani', 0), ('QAR', 'Qatari Rial', 2), ('RON', 'Romanian Leu', 2),
	('RSD', 'Serbian Dinar', 2), ('RUB', 'Russian Ruble', 2), ('RWF', 'Rwanda Franc', 0),
	('SAR', 'Saudi Riyal', 2), ('SBD', 'Solomon Islands Dollar', 2), ('SCR', 'Seychelles Rupee', 2),
	('SDG', 'Sudanese Pound', 2), ('SEK', 'Swedish Krona', 2), ('SGD', 'Singapore Dollar', 2),
	('SHP', 'Saint Helena Pound', 2), ('SLE', 'Leone', 2), ('SOS', 'Somali Shilling', 2),
	('SRD', 'Surinam Dollar', 2), ('SSP', 'South Sudanese Pound', 2), ('STN', 'Dobra', 2),
	('SYP', 'Syrian Pound', 2), ('SZL', 'Lilangeni', 2), ('THB', 'Baht', 2),
	('TJS', 'Somoni', 2), ('TMT', 'Turkmenistan New Manat', 2), ('TND', 'Tunisian Dinar', 3),
	('TOP', 'Pa''anga', 2), ('TRY', 'Turkish Lira', 2), ('TTD', 'Trinidad and Tobago Dollar', 2),
	('TWD', 'New Taiwan Dollar', 2), ('TZS', 'Tanzanian Shilling', 2), ('UAH', 'Hryvnia', 2),
	('UGX', 'Uganda Shilling', 0), ('USD', 'US Dollar', 2), ('UYU', 'Peso Uruguayo', 2),
	('UZS', 'Uzbekistan Sum', 2), ('VES', 'Bolivar Soberano', 2), ('VND', 'Dong', 0),
	('VUV', 'Vatu', 0), ('WST', 'Tala', 2), ('XAF', 'CFA Franc BEAC', 0),
	('XCD', 'East Caribbean Dollar', 2), ('XOF', 'CFA Franc BCEAO', 0), ('XPF', 'CFP Franc', 0),
	('YER', 'Yemeni Rial', 2), ('ZAR', 'Rand', 2), ('ZMW', 'Zambian Kwacha', 2),
	('ZWG', 'Zimbabwe Gold', 2);
GRANT SELECT ON currencies TO clientd_app, clientd_worker;

-- The built-in default of every setting, written by `clientd migrate` from
-- the registry in the code (api/src/core/settings.c), which is the one
-- place settings are declared; SQL reads them here.
CREATE TABLE setting_defaults (
	key		text PRIMARY KEY,
	value		jsonb NOT NULL
);
GRANT SELECT ON setting_defaults TO clientd_app, clientd_worker;

-- A setting's value for a client: the client's, else its group's, else
-- the company's, else the default (stored objects never hold nulls: a
-- PATCH with null removes the key). The same rule as settings_resolve().
CREATE FUNCTION setting_pick(p_key text, p_client jsonb, p_group jsonb,
    p_company jsonb, p_default jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN COALESCE(p_client -> p_key, p_group -> p_key, p_company -> p_key,
	p_default);

-- The same with the registry's default looked up (setting_pick() without
-- the lookup is the one to use per row of a list: it is inlined).
CREATE FUNCTION setting_value(p_key text, p_client jsonb, p_group jsonb,
    p_company jsonb) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN setting_pick(p_key, p_client, p_group, p_company,
	(SELECT d.value FROM setting_defaults d WHERE d.key = p_key));

CREATE TABLE client_groups (
	id		bigserial PRIMARY KEY,
	public_id	text NOT NULL UNIQUE DEFAULT new_public_id(),
	company_id	bigint NOT NULL REFERENCES companies ON DELETE CASCADE,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	settings	jsonb NOT NULL DEFAULT '{}',
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX client_groups_name_key ON client_groups (company_id, lower(name));

CREATE TABLE clients (
	id		bigserial PRIMARY KEY,
	public_id	text NOT NULL UNIQUE DEFAULT new_public_id(),
	company_id	bigint NOT NULL REFERENCES companies ON DELETE CASCADE,
	number		text NOT NULL CHECK (length(number) BETWEEN 1 AND 64),
	name		text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
	display_name	text NOT NULL DEFAULT '',
	website		text NOT NULL DEFAULT '' CHECK (length(website) <= 255),
	phone		text NOT NULL DEFAULT '' CHECK (length(phone) <= 64),
	vat_number	text NOT NULL DEFAULT '' CHECK (length(vat_number) <= 64),
	id_number	text NOT NULL DEFAULT '' CHECK (length(id_number) <= 64),
	address1	text NOT NULL DEFAULT '' CHECK (length(address1) <= 200),
	address2	text NOT NULL DEFAULT '' CHECK (length(address2) <= 200),
	city		text NOT NULL DEFAULT '' CHECK (length(city) <= 100),
	state		text NOT NULL DEFAULT '' CHECK (length(state) <= 100),
	postal_code	text NOT NULL DEFAULT '' CHECK (length(postal_code) <= 32),
	country		text CHECK (country ~ '^[A-Z]{2}$'),
	shipping_address1 text NOT NULL DEFAULT '' CHECK (length(shipping_address1) <= 200),
	shipping_address2 text NOT NULL DEFAULT '' CHECK (length(shipping_address2) <= 200),
	shipping_city	text NOT NULL DEFAULT '' CHECK (length(shipping_city) <= 100),
	shipping_state	text NOT NULL DEFAULT '' CHECK (length(shipping_state) <= 100),
	shipping_postal_code text NOT NULL DEFAULT '' CHECK (length(shipping_postal_code) <= 32),
	shipping_country text CHECK (shipping_country ~ '^[A-Z]{2}$'),
	public_notes	text NOT NULL DEFAULT '' CHECK (length(public_notes) <= 10000),
	private_notes	text NOT NULL DEFAULT '' CHECK (length(private_notes) <= 10000),
	custom_value1	text NOT NULL DEFAULT '' CHECK (length(custom_value1) <= 255),
	custom_value2	text NOT NULL DEFAULT '' CHECK (length(custom_value2) <= 255),
	custom_value3	text NOT NULL DEFAULT '' CHECK (length(custom_value3) <= 255),
	custom_value4	text NOT NULL DEFAULT '' CHECK (length(custom_value4) <= 255),
	group_id	bigint REFERENCES client_groups ON DELETE SET NULL,
	settings	jsonb NOT NULL DEFAULT '{}',
	user_id		bigint REFERENCES users ON DELETE SET NULL,
	assigned_user_id bigint REFERENCES users ON DELETE SET NULL,
	balance		numeric(20, 6) NOT NULL DEFAULT 0,
	paid_to_date	numeric(20, 6) NOT NULL DEFAULT 0,
	version		integer NOT NULL DEFAULT 1,
	search		text NOT NULL DEFAULT '',
	merged_into_id	bigint REFERENCES clients ON DELETE SET NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	archived_at	timestamptz,
	deleted_at	timestamptz,
	-- Stored, so that the planner has statistics for status filters.
	status		text NOT NULL GENERATED ALWAYS AS (CASE
			    WHEN deleted_at IS NOT NULL THEN 'deleted'
			    WHEN archived_at IS NOT NULL THEN 'archived'
			    ELSE 'active' END) STORED,
	CONSTRAINT clients_number_key UNIQUE (company_id, number)
);
-- Lists sort on these, with public_id as the tie-breaker (cursors carry it:
-- the row number would leak counts).
CREATE INDEX clients_created_idx ON clients (company_id, created_at, public_id);
CREATE INDEX clients_updated_idx ON clients (company_id, updated_at, public_id);
CREATE INDEX clients_name_idx ON clients (company_id, lower(display_name), public_id);
CREATE INDEX clients_number_idx ON clients (company_id, number, public_id);
CREATE INDEX clients_balance_idx ON clients (company_id, balance, public_id);
CREATE INDEX clients_group_idx ON clients (company_id, group_id) WHERE group_id IS NOT NULL;
CREATE INDEX clients_search_idx ON clients USING gin (search gin_trgm_ops);
CREATE INDEX clients_company_status_idx ON clients (company_id, status);
CREATE INDEX events_client_time_idx ON events (company_id, client_id, created_at, public_id)
    WHERE client_id IS NOT NULL;

CREATE TABLE client_contacts (
	id		bigserial PRIMARY KEY,
	public_id	text NOT NULL UNIQUE DEFAULT new_public_id(),
	company_id	bigint NOT NULL REFERENCES companies ON DELETE CASCADE,
	client_id	bigint NOT NULL REFERENCES clients ON DELETE CASCADE,
	first_name	text NOT NULL DEFAULT '' CHECK (length(first_name) <= 100),
	last_name	text NOT NULL DEFAULT '' CHECK (length(last_name) <= 100),
	email		text NOT NULL DEFAULT '' CHECK (length(email) <= 254),
	phone		text NOT NULL DEFAULT '' CHECK (length(phone) <= 64),
	is_primary	boolean NOT NULL DEFAULT false,
	send_email	boolean NOT NULL DEFAULT true,
	custom_value1	text NOT NULL DEFAULT '' CHECK (length(custom_value1) <= 255),
	custom_value2	text NOT NULL DEFAULT '' CHECK (length(custom_value2) <= 255),
	custom_value3	text NOT NULL DEFAULT '' CHECK (length(custom_value3) <= 255),
	custom_value4	text NOT NULL DEFAULT '' CHECK (length(custom_value4) <= 255),
	position	integer NOT NULL DEFAULT 0,
	version		integer NOT NULL DEFAULT 1,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
-- At most one primary per client (the write functions keep exactly one),
-- and an email address at most once per client, compared case-insensitively.
CREATE UNIQUE INDEX client_contacts_primary_key ON client_contacts (client_id)
    WHERE is_primary;
CREATE UNIQUE INDEX client_contacts_email_key ON client_contacts (client_id, lower(email))
    WHERE email <> '';
CREATE INDEX client_contacts_client_idx ON client_contacts (client_id, position, id);
CREATE INDEX client_contacts_email_idx ON client_contacts (company_id, lower(email));
CREATE INDEX client_contacts_created_idx ON client_contacts (company_id, created_at, public_id);

-- Per-company client counts by status, kept by a trigger, so that a list's
-- total costs a row read instead of a count over every client.
CREATE TABLE client_stats (
	company_id	bigint PRIMARY KEY REFERENCES companies ON DELETE CASCADE,
	active		bigint NOT NULL DEFAULT 0,
	archived	bigint NOT NULL DEFAULT 0,
	deleted		bigint NOT NULL DEFAULT 0
);

-- ---------------------------------------------------------------------------
-- Derived text: display_name and the search text, kept by triggers.
-- ---------------------------------------------------------------------------

CREATE FUNCTION client_derive(p_client_id bigint) RETURNS void
    LANGUAGE sql VOLATILE
    AS $$
	UPDATE clients c SET
	    display_name = COALESCE(NULLIF(c.name, ''),
		(SELECT COALESCE(NULLIF(trim(k.first_name || ' ' || k.last_name), ''),
		    NULLIF(k.email, ''))
		 FROM client_contacts k WHERE k.client_id = c.id AND k.is_primary), ''),
	    search = lower(concat_ws(' ', c.name, c.number, c.id_number, c.phone,
		c.vat_number,
		(SELECT string_agg(concat_ws(' ', k.first_name, k.last_name, k.email,
		    k.phone), ' ') FROM client_contacts k WHERE k.client_id = c.id)))
	WHERE c.id = p_client_id
$$;

CREATE FUNCTION clients_derive_trigger() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
	PERFORM client_derive(NEW.id);
	RETURN NULL;
END
$$;

CREATE TRIGGER clients_derive AFTER INSERT OR UPDATE OF name, number,
    id_number, phone, vat_number ON clients
    FOR EACH ROW EXECUTE FUNCTION clients_derive_trigger();

CREATE FUNCTION contacts_derive_trigger() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM client_derive(OLD.client_id);
	END IF;
	IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.client_id <> OLD.client_id) THEN
		PERFORM client_derive(NEW.client_id);
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER contacts_derive AFTER INSERT OR DELETE OR UPDATE OF first_name,
    last_name, email, phone, is_primary, client_id ON client_contacts
    FOR EACH ROW EXECUTE FUNCTION contacts_derive_trigger();

CREATE FUNCTION client_status(p_archived timestamptz, p_deleted timestamptz)
    RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT CASE WHEN p_deleted IS NOT NULL THEN 'deleted'
	WHEN p_archived IS NOT NULL THEN 'archived' ELSE 'active' END;
END;

CREATE FUNCTION client_stats_trigger() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
	d_active int := 0;
	d_archived int := 0;
	d_deleted int := 0;
	s text;
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		s := client_status(OLD.archived_at, OLD.deleted_at);
		d_active := d_active - (s = 'active')::int;
		d_archived := d_archived - (s = 'archived')::int;
		d_deleted := d_deleted - (s = 'deleted')::int;
	END IF;
	IF TG_OP IN ('UPDATE', 'INSERT') THEN
		s := client_status(NEW.archived_at, NEW.deleted_at);
		d_active := d_active + (s = 'active')::int;
		d_archived := d_archived + (s = 'archived')::int;
		d_deleted := d_deleted + (s = 'deleted')::int;
	END IF;
	IF d_active <> 0 OR d_archived <> 0 OR d_deleted <> 0 THEN
		INSERT INTO client_stats AS t (company_id, active, archived, deleted)
		VALUES (COALESCE(NEW.company_id, OLD.company_id), d_active, d_archived, d_deleted)
		ON CONFLICT (company_id) DO UPDATE SET active = t.active + d_active,
		    archived = t.archived + d_archived, deleted = t.deleted + d_deleted;
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER clients_stats AFTER INSERT OR DELETE OR UPDATE OF archived_at,
    deleted_at ON clients
    FOR EACH ROW EXECUTE FUNCTION client_stats_trigger();

-- ---------------------------------------------------------------------------
-- JSON: what the API shows, and the snapshots events compare.
-- ---------------------------------------------------------------------------

-- Money in the API: an exact decimal string with the currency's places.
CREATE FUNCTION money_text(v numeric, p_precision int) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN round(v, p_precision)::text;

-- The effective currency of a client and its precision.
CREATE FUNCTION client_currency(c clients) RETURNS currencies
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	r currencies%ROWTYPE;
BEGIN
	SELECT * INTO r FROM currencies cur WHERE cur.code = setting_value('currency',
	    c.settings, (SELECT g.settings FROM client_groups g WHERE g.id = c.group_id),
	    (SELECT co.settings FROM companies co WHERE co.id = c.company_id)) #>> '{}';
	RETURN r;
END
$$;

CREATE FUNCTION contact_json(k client_contacts) RETURNS json
    LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT json_build_object('id', k.public_id, 'first_name', k.first_name,
	    'last_name', k.last_name, 'email', k.email, 'phone', k.phone,
	    'is_primary', k.is_primary, 'send_email', k.send_email,
	    'custom_value1', k.custom_value1, 'custom_value2', k.custom_value2,
	    'custom_value3', k.custom_value3, 'custom_value4', k.custom_value4,
	    'created_at', rfc3339(k.created_at), 'updated_at', rfc3339(k.updated_at),
	    'version', k.version);
END;

-- The client as lists show it: every field and the primary contact. The
-- caller joins the primary contact, the group and the assigned user, so a
-- list is one query with no lookups per row.
CREATE FUNCTION client_row_json(c clients, pc client_contacts, p_group text,
    p_assigned text, p_currency text, p_precision int) RETURNS json
    LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT json_build_object('id', c.public_id, 'number', c.number,
	    'name', c.name, 'display_name', c.display_name,
	    'website', c.website, 'phone', c.phone, 'vat_number', c.vat_number,
	    'id_number', c.id_number,
	    'address', json_build_object('address1', c.address1,
		'address2', c.address2, 'city', c.city, 'state', c.state,
		'postal_code', c.postal_code, 'country', c.country),
	    'shipping_address', json_build_object('address1', c.shipping_address1,
		'address2', c.shipping_address2, 'city', c.shipping_city,
		'state', c.shipping_state, 'postal_code', c.shipping_postal_code,
		'country', c.shipping_country),
	    'public_notes', c.public_notes, 'private_notes', c.private_notes,
	    'custom_value1', c.custom_value1, 'custom_value2', c.custom_value2,
	    'custom_value3', c.custom_value3, 'custom_value4', c.custom_value4,
	    'group', p_group, 'assigned_user', p_assigned,
	    'currency', p_currency,
	    'balance', money_text(c.balance, p_precision),
	    'paid_to_date', money_text(c.paid_to_date, p_precision),
	    'status', client_status(c.archived_at, c.deleted_at),
	    'created_at', rfc3339(c.created_at), 'updated_at', rfc3339(c.updated_at),
	    'archived_at', rfc3339(c.archived_at), 'deleted_at', rfc3339(c.deleted_at),
	    'version', c.version,
	    'primary_contact', CASE WHEN pc.id IS NULL THEN NULL ELSE contact_json(pc) END);
END;

CREATE FUNCTION client_json(c clients) RETURNS json
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	RETURN (SELECT client_row_json(c, pc, g.public_id, u.public_id, cur.code,
	    cur.precision)
	FROM (SELECT 1) one
	LEFT JOIN client_contacts pc ON pc.client_id = c.id AND pc.is_primary
	LEFT JOIN client_groups g ON g.id = c.group_id
	LEFT JOIN users u ON u.id = c.assigned_user_id
	CROSS JOIN client_currency(c) cur);
END
$$;

-- The client as GET /clients/{id} shows it: also every contact and the
-- counts of related records (more arrive with documents and the ledger).
CREATE FUNCTION client_full_json(c clients) RETURNS json
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	RETURN (SELECT (client_json(c)::jsonb || jsonb_build_object(
	    'contacts', COALESCE((SELECT jsonb_agg(contact_json(k) ORDER BY k.position, k.id)
		FROM client_contacts k WHERE k.client_id = c.id), '[]'),
	    'counts', jsonb_build_object(
		'contacts', (SELECT count(*) FROM client_contacts k WHERE k.client_id = c.id),
		'activity', (SELECT count(*) FROM events e WHERE e.company_id = c.company_id
		    AND e.client_id = c.id))))::json);
END
$$;

-- What an event compares: the API's JSON without what nobody edits
-- directly (ids, derived and bookkeeping fields).
CREATE FUNCTION client_snapshot(c clients) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	RETURN client_json(c)::jsonb - '{id,display_name,currency,balance,paid_to_date,created_at,updated_at,archived_at,deleted_at,version,primary_contact}'::text[];
END
$$;

CREATE FUNCTION contact_snapshot(k client_contacts) RETURNS jsonb
    LANGUAGE sql STABLE
    RETURN contact_json(k)::jsonb - '{created_at,updated_at,version}'::text[];

CREATE FUNCTION contacts_snapshot(p_client_id bigint) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	RETURN (SELECT COALESCE(jsonb_agg(contact_snapshot(k) ORDER BY k.position, k.id), '[]')
	FROM client_contacts k WHERE k.client_id = p_client_id);
END
$$;

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
CREATE FUNCTION jsonb_nonempty(p jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
	SELECT COALESCE(jsonb_object_agg(key, value), '{}') FROM jsonb_each(p)
	WHERE value NOT IN ('""', 'null', '[]')
	    AND NOT (jsonb_typeof(value) = 'object'
		AND jsonb_nonempty(value) = '{}')
$$;

-- ---------------------------------------------------------------------------
-- Lookups that raise the API's errors.
-- ---------------------------------------------------------------------------

CREATE FUNCTION app_scope_all() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT COALESCE(current_setting('app.scope', true), 'all') = 'all';
END;

-- The client with public id p_id in the current tenant, within the
-- caller's scope (members with "own" see clients they created or are
-- assigned to), locked for update when p_lock. Raises 404 otherwise.
CREATE FUNCTION client_find(p_id text, p_lock boolean) RETURNS clients
    LANGUAGE plpgsql
    AS $$
DECLARE
	c clients%ROWTYPE;
BEGIN
	IF p_lock THEN
		SELECT * INTO c FROM clients WHERE public_id = p_id
		    AND company_id = app_company_id()
		    AND (app_scope_all() OR user_id = app_user_id()
			OR assigned_user_id = app_user_id())
		FOR UPDATE;
	ELSE
		SELECT * INTO c FROM clients WHERE public_id = p_id
		    AND company_id = app_company_id()
		    AND (app_scope_all() OR user_id = app_user_id()
			OR assigned_user_id = app_user_id());
	END IF;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'client not found'
		    USING ERRCODE = 'CD404',
			  DETAIL = format('No client has the id "%s".', p_id);
	END IF;
	RETURN c;
END
$$;

-- The ids of the current tenant's clients whose search text matches the
-- LIKE pattern p_like. Row-level security keeps a LIKE (not a leakproof
-- operator) from being an index condition, so the trigram index would go
-- unused under it; this runs as the owner instead, and filters by the
-- tenant itself.
CREATE FUNCTION client_search_ids(p_like text) RETURNS SETOF bigint
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    ROWS 50
    BEGIN ATOMIC
	SELECT id FROM clients WHERE company_id = app_company_id()
	    AND search LIKE lower(p_like);
    END;
REVOKE ALL ON FUNCTION client_search_ids(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION client_search_ids(text) TO clientd_app;

CREATE FUNCTION client_group_find(p_id text, p_field text) RETURNS bigint
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	v bigint;
BEGIN
	IF p_id IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT id INTO v FROM client_groups WHERE public_id = p_id
	    AND company_id = app_company_id();
	IF NOT FOUND THEN
		RAISE EXCEPTION 'field "%" names no group of this company: "%"', p_field, p_id
		    USING ERRCODE = 'CD422', COLUMN = p_field;
	END IF;
	RETURN v;
END
$$;

CREATE FUNCTION company_user_find(p_id text, p_field text) RETURNS bigint
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	v bigint;
BEGIN
	IF p_id IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT id INTO v FROM users WHERE public_id = p_id
	    AND company_id = app_company_id() AND is_active;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'field "%" names no active user of this company: "%"', p_field, p_id
		    USING ERRCODE = 'CD422', COLUMN = p_field;
	END IF;
	RETURN v;
END
$$;

-- A generated number: template with its counter marks (chr(1), put there by
-- the daemon's pattern engine) replaced by the counter, zero-padded to
-- p_padding digits (never cut: number_from_template() in the code).
CREATE FUNCTION number_format(p_template text, p_counter bigint, p_padding int)
    RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN replace(p_template, chr(1), CASE WHEN length(p_counter::text) >= p_padding
	THEN p_counter::text ELSE lpad(p_counter::text, p_padding, '0') END);

-- The next free number for template, counting on the group's counter
-- (p_group_id) or the company's: client_number_counter in that level's
-- settings, advanced under the row's lock (held until commit, so two
-- creates never get the same counter), skipping numbers any client of the
-- company already has, whatever its status. Consuming counter values is
-- bookkeeping, not a change anyone made: it writes no event (the client's
-- created event shows the number).
CREATE FUNCTION client_next_number(p_template text, p_padding int,
    p_group_id bigint) RETURNS text
    LANGUAGE plpgsql
    AS $$
DECLARE
	n bigint;
	candidate text;
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
		candidate := number_format(p_template, n, p_padding);
		EXIT WHEN NOT EXISTS (SELECT 1 FROM clients WHERE company_id = app_company_id()
		    AND number = candidate);
	END LOOP;
	RETURN candidate;
END
$$;

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

-- ---------------------------------------------------------------------------
-- Contacts of one client: apply an array (the client payload's way), keep
-- the rules, and write contacts one at a time (the sub-resource's way).
-- ---------------------------------------------------------------------------

-- Exactly one primary while any contact exists (the first by position when
-- none is), and at least one contact with an email receives email.
CREATE FUNCTION contacts_enforce(p_client_id bigint) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM client_contacts WHERE client_id = p_client_id AND is_primary) THEN
		UPDATE client_contacts SET is_primary = true
		WHERE id = (SELECT id FROM client_contacts WHERE client_id = p_client_id
		    ORDER BY position, id LIMIT 1);
	END IF;
	IF EXISTS (SELECT 1 FROM client_contacts WHERE client_id = p_client_id AND email <> '')
	    AND NOT EXISTS (SELECT 1 FROM client_contacts WHERE client_id = p_client_id
		AND email <> '' AND send_email) THEN
		RAISE EXCEPTION 'at least one contact with an email address must receive email'
		    USING ERRCODE = 'CD422', COLUMN = 'contacts',
			  HINT = 'Set send_email to true on one of the contacts.';
	END IF;
END
$$;

-- Writes one contact from JSON p (validated by the daemon) into the client:
-- a new one when p_contact is NULL, else updates it (only keys present in
-- p change). Clears another primary first when this one becomes primary.
CREATE FUNCTION contact_write(p_client_id bigint, p_contact client_contacts,
    p jsonb, p_position int) RETURNS client_contacts
    LANGUAGE plpgsql
    AS $$
DECLARE
	k client_contacts%ROWTYPE;
	dup text;
BEGIN
	IF (p ->> 'is_primary')::boolean THEN
		UPDATE client_contacts SET is_primary = false, version = version + 1,
		    updated_at = now()
		WHERE client_id = p_client_id AND is_primary
		    AND id IS DISTINCT FROM (p_contact).id;
	END IF;
	IF p ? 'email' AND COALESCE(p ->> 'email', '') <> '' THEN
		SELECT public_id INTO dup FROM client_contacts WHERE client_id = p_client_id
		    AND lower(email) = lower(p ->> 'email') AND id IS DISTINCT FROM (p_contact).id;
		IF FOUND THEN
			RAISE EXCEPTION 'email "%" is already used by another contact of this client', p ->> 'email'
			    USING ERRCODE = 'CD409', COLUMN = 'email',
				  DETAIL = format('Contact "%s" has it.', dup);
		END IF;
	END IF;

	IF p_contact.id IS NULL THEN
		INSERT INTO client_contacts (company_id, client_id, first_name, last_name,
		    email, phone, is_primary, send_email, custom_value1, custom_value2,
		    custom_value3, custom_value4, position)
		VALUES (app_company_id(), p_client_id,
		    COALESCE(p ->> 'first_name', ''), COALESCE(p ->> 'last_name', ''),
		    COALESCE(p ->> 'email', ''), COALESCE(p ->> 'phone', ''),
		    COALESCE((p ->> 'is_primary')::boolean, false),
		    COALESCE((p ->> 'send_email')::boolean, true),
		    COALESCE(p ->> 'custom_value1', ''), COALESCE(p ->> 'custom_value2', ''),
		    COALESCE(p ->> 'custom_value3', ''), COALESCE(p ->> 'custom_value4', ''),
		    COALESCE(p_position, (SELECT COALESCE(max(position) + 1, 0)
			FROM client_contacts WHERE client_id = p_client_id)))
		RETURNING * INTO k;
	ELSE
		UPDATE client_contacts SET
		    first_name = CASE WHEN p ? 'first_name' THEN COALESCE(p ->> 'first_name', '') ELSE first_name END,
		    last_name = CASE WHEN p ? 'last_name' THEN COALESCE(p ->> 'last_name', '') ELSE last_name END,
		    email = CASE WHEN p ? 'email' THEN COALESCE(p ->> 'email', '') ELSE email END,
		    phone = CASE WHEN p ? 'phone' THEN COALESCE(p ->> 'phone', '') ELSE phone END,
		    is_primary = CASE WHEN p ? 'is_primary' THEN (p ->> 'is_primary')::boolean ELSE is_primary END,
		    send_email = CASE WHEN p ? 'send_email' THEN (p ->> 'send_email')::boolean ELSE send_email END,
		    custom_value1 = CASE WHEN p ? 'custom_value1' THEN COALESCE(p ->> 'custom_value1', '') ELSE custom_value1 END,
		    custom_value2 = CASE WHEN p ? 'custom_value2' THEN COALESCE(p ->> 'custom_value2', '') ELSE custom_value2 END,
		    custom_value3 = CASE WHEN p ? 'custom_value3' THEN COALESCE(p ->> 'custom_value3', '') ELSE custom_value3 END,
		    custom_value4 = CASE WHEN p ? 'custom_value4' THEN COALESCE(p ->> 'custom_value4', '') ELSE custom_value4 END,
		    position = COALESCE(p_position, position)
		WHERE id = p_contact.id
		RETURNING * INTO k;
		IF contact_snapshot(k) IS DISTINCT FROM contact_snapshot(p_contact) THEN
			UPDATE client_contacts SET version = version + 1, updated_at = now()
			WHERE id = k.id RETURNING * INTO k;
		END IF;
	END IF;
	RETURN k;
END
$$;

-- Makes the client's contacts what the array p says: elements with an "id"
-- update that contact, elements without one are new, contacts left out are
-- removed. Order is the array's order.
CREATE FUNCTION contacts_apply(p_client_id bigint, p jsonb) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
	e jsonb;
	i int := 0;
	k client_contacts%ROWTYPE;
	keep bigint[] := '{}';
BEGIN
	-- Ids must belong to this client.
	FOR e IN SELECT value FROM jsonb_array_elements(p) LOOP
		IF e ? 'id' AND NOT EXISTS (SELECT 1 FROM client_contacts
		    WHERE client_id = p_client_id AND public_id = e ->> 'id') THEN
			RAISE EXCEPTION 'contact "%" is not a contact of this client', e ->> 'id'
			    USING ERRCODE = 'CD422', COLUMN = format('contacts[%s].id', i);
		END IF;
		i := i + 1;
	END LOOP;
	-- Removed contacts go first, then primaries are cleared, so that the
	-- unique indexes never see a transient duplicate.
	DELETE FROM client_contacts WHERE client_id = p_client_id
	    AND public_id NOT IN (SELECT value ->> 'id' FROM jsonb_array_elements(p)
		WHERE value ? 'id');
	UPDATE client_contacts SET is_primary = false WHERE client_id = p_client_id
	    AND is_primary AND EXISTS (SELECT 1 FROM jsonb_array_elements(p)
		WHERE (value ->> 'is_primary')::boolean);
	UPDATE client_contacts SET email = '' WHERE client_id = p_client_id
	    AND email <> '' AND EXISTS (SELECT 1 FROM jsonb_array_elements(p) x
		WHERE x.value ->> 'id' = client_contacts.public_id AND x.value ? 'email');

	i := 0;
	FOR e IN SELECT value FROM jsonb_array_elements(p) LOOP
		k := NULL;
		IF e ? 'id' THEN
			SELECT * INTO k FROM client_contacts WHERE client_id = p_client_id
			    AND public_id = e ->> 'id';
		END IF;
		k := contact_write(p_client_id, k, e - 'id', i);
		i := i + 1;
	END LOOP;
	PERFORM contacts_enforce(p_client_id);
END
$$;

-- ---------------------------------------------------------------------------
-- Client writes.
-- ---------------------------------------------------------------------------

-- Sets the client's own columns from JSON p (only the keys present).
CREATE FUNCTION client_apply(c clients, p jsonb) RETURNS clients
    LANGUAGE plpgsql
    AS $$
DECLARE
	a jsonb := COALESCE(p -> 'address', '{}');
	s jsonb := COALESCE(p -> 'shipping_address', '{}');
	r clients%ROWTYPE;
BEGIN
	IF p ? 'number' AND COALESCE(p ->> 'number', '') <> '' THEN
		PERFORM client_number_check(p ->> 'number', c.id);
	END IF;
	UPDATE clients SET
	    number = CASE WHEN COALESCE(p ->> 'number', '') <> '' THEN p ->> 'number' ELSE number END,
	    name = CASE WHEN p ? 'name' THEN COALESCE(p ->> 'name', '') ELSE name END,
	    website = CASE WHEN p ? 'website' THEN COALESCE(p ->> 'website', '') ELSE website END,
	    phone = CASE WHEN p ? 'phone' THEN COALESCE(p ->> 'phone', '') ELSE phone END,
	    vat_number = CASE WHEN p ? 'vat_number' THEN COALESCE(p ->> 'vat_number', '') ELSE vat_number END,
	    id_number = CASE WHEN p ? 'id_number' THEN COALESCE(p ->> 'id_number', '') ELSE id_number END,
	    address1 = CASE WHEN a ? 'address1' THEN COALESCE(a ->> 'address1', '') ELSE address1 END,
	    address2 = CASE WHEN a ? 'address2' THEN COALESCE(a ->> 'address2', '') ELSE address2 END,
	    city = CASE WHEN a ? 'city' THEN COALESCE(a ->> 'city', '') ELSE city END,
	    state = CASE WHEN a ? 'state' THEN COALESCE(a ->> 'state', '') ELSE state END,
	    postal_code = CASE WHEN a ? 'postal_code' THEN COALESCE(a ->> 'postal_code', '') ELSE postal_code END,
	    country = CASE WHEN a ? 'country' THEN a ->> 'country' ELSE country END,
	    shipping_address1 = CASE WHEN s ? 'address1' THEN COALESCE(s ->> 'address1', '') ELSE shipping_address1 END,
	    shipping_address2 = CASE WHEN s ? 'address2' THEN COALESCE(s ->> 'address2', '') ELSE shipping_address2 END,
	    shipping_city = CASE WHEN s ? 'city' THEN COALESCE(s ->> 'city', '') ELSE shipping_city END,
	    shipping_state = CASE WHEN s ? 'state' THEN COALESCE(s ->> 'state', '') ELSE shipping_state END,
	    shipping_postal_code = CASE WHEN s ? 'postal_code' THEN COALESCE(s ->> 'postal_code', '') ELSE shipping_postal_code END,
	    shipping_country = CASE WHEN s ? 'country' THEN s ->> 'country' ELSE shipping_country END,
	    public_notes = CASE WHEN p ? 'public_notes' THEN COALESCE(p ->> 'public_notes', '') ELSE public_notes END,
	    private_notes = CASE WHEN p ? 'private_notes' THEN COALESCE(p ->> 'private_notes', '') ELSE private_notes END,
	    custom_value1 = CASE WHEN p ? 'custom_value1' THEN COALESCE(p ->> 'custom_value1', '') ELSE custom_value1 END,
	    custom_value2 = CASE WHEN p ? 'custom_value2' THEN COALESCE(p ->> 'custom_value2', '') ELSE custom_value2 END,
	    custom_value3 = CASE WHEN p ? 'custom_value3' THEN COALESCE(p ->> 'custom_value3', '') ELSE custom_value3 END,
	    custom_value4 = CASE WHEN p ? 'custom_value4' THEN COALESCE(p ->> 'custom_value4', '') ELSE custom_value4 END,
	    group_id = CASE WHEN p ? 'group' THEN client_group_find(p ->> 'group', 'group') ELSE group_id END,
	    assigned_user_id = CASE WHEN p ? 'assigned_user' THEN company_user_find(p ->> 'assigned_user', 'assigned_user') ELSE assigned_user_id END
	WHERE id = c.id
	RETURNING * INTO r;
	RETURN r;
END
$$;

-- A client needs something to be called by: a name, or a contact with a
-- name or an email address.
CREATE FUNCTION client_require_identity(c clients) RETURNS void
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	IF c.name = '' AND NOT EXISTS (SELECT 1 FROM client_contacts k
	    WHERE k.client_id = c.id AND (k.first_name <> '' OR k.last_name <> ''
		OR k.email <> '')) THEN
		RAISE EXCEPTION 'a client needs a name or a contact with a name or an email address'
		    USING ERRCODE = 'CD422', COLUMN = 'name';
	END IF;
END
$$;

-- Creates a client from JSON p. Without a number in p, the next one is
-- generated from p_template and p_padding (the daemon expands the pattern
-- that applies), on the counter of the client's group when p_group_counter
-- and the client has a group, else on the company's.
CREATE FUNCTION client_create(p jsonb, p_template text, p_padding int,
    p_group_counter boolean) RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	c clients%ROWTYPE;
	v_number text := NULLIF(p ->> 'number', '');
BEGIN
	IF v_number IS NULL THEN
		IF p_template IS NULL THEN
			RAISE EXCEPTION 'no number pattern given' USING ERRCODE = 'XX000';
		END IF;
		v_number := client_next_number(p_template, p_padding,
		    CASE WHEN p_group_counter THEN client_group_find(p ->> 'group', 'group') END);
	ELSE
		PERFORM client_number_check(v_number, NULL);
	END IF;
	INSERT INTO clients (company_id, number, user_id)
	VALUES (app_company_id(), v_number, app_user_id())
	RETURNING * INTO c;
	c := client_apply(c, p - 'number');
	IF p ? 'contacts' THEN
		PERFORM contacts_apply(c.id, p -> 'contacts');
	END IF;
	SELECT * INTO c FROM clients WHERE id = c.id;
	PERFORM client_require_identity(c);
	PERFORM event_add('client.created', 'client', c.id, c.public_id,
	    json_changes('{}', jsonb_nonempty(client_snapshot(c)
		|| jsonb_build_object('contacts', contacts_snapshot(c.id)))), c.id);
	RETURN client_full_json(c);
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

CREATE FUNCTION client_update(p_id text, p jsonb, p_version int) RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	c clients%ROWTYPE;
	before jsonb;
	after jsonb;
	ch jsonb;
BEGIN
	c := client_find(p_id, true);
	PERFORM version_check(c.version, p_version);
	IF c.deleted_at IS NOT NULL THEN
		RAISE EXCEPTION 'client is deleted'
		    USING ERRCODE = 'CD409', HINT = 'Restore it first (POST /api/v1/clients/{id}/restore).';
	END IF;
	before := client_snapshot(c) || jsonb_build_object('contacts', contacts_snapshot(c.id));
	c := client_apply(c, p);
	IF p ? 'contacts' THEN
		PERFORM contacts_apply(c.id, p -> 'contacts');
	END IF;
	SELECT * INTO c FROM clients WHERE id = c.id;
	PERFORM client_require_identity(c);
	after := client_snapshot(c) || jsonb_build_object('contacts', contacts_snapshot(c.id));
	ch := json_changes(before, after);
	IF ch <> '{}' THEN
		UPDATE clients SET version = version + 1, updated_at = now()
		WHERE id = c.id RETURNING * INTO c;
		PERFORM event_add('client.updated', 'client', c.id, c.public_id, ch, c.id);
	END IF;
	RETURN client_full_json(c);
END
$$;

CREATE FUNCTION client_get(p_id text) RETURNS json
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	RETURN (SELECT client_full_json(client_find(p_id, false)));
END
$$;

-- archive, restore or delete one client; NULL when nothing changed.
CREATE FUNCTION client_transition(c clients, p_action text) RETURNS clients
    LANGUAGE plpgsql
    AS $$
DECLARE
	r clients%ROWTYPE;
	before jsonb := jsonb_build_object('archived_at', rfc3339(c.archived_at),
	    'deleted_at', rfc3339(c.deleted_at));
	v_type text;
BEGIN
	IF p_action = 'archive' THEN
		IF c.deleted_at IS NOT NULL THEN
			RAISE EXCEPTION 'client is deleted'
			    USING ERRCODE = 'CD409', HINT = 'Restore it first; a restored client can then be archived.';
		END IF;
		IF c.archived_at IS NOT NULL THEN
			RETURN NULL;
		END IF;
		UPDATE clients SET archived_at = now(), version = version + 1, updated_at = now()
		WHERE id = c.id RETURNING * INTO r;
		v_type := 'client.archived';
	ELSIF p_action = 'restore' THEN
		IF c.archived_at IS NULL AND c.deleted_at IS NULL THEN
			RETURN NULL;
		END IF;
		UPDATE clients SET archived_at = NULL, deleted_at = NULL,
		    version = version + 1, updated_at = now()
		WHERE id = c.id RETURNING * INTO r;
		v_type := 'client.restored';
	ELSIF p_action = 'delete' THEN
		IF c.deleted_at IS NOT NULL THEN
			RETURN NULL;
		END IF;
		UPDATE clients SET deleted_at = now(), version = version + 1, updated_at = now()
		WHERE id = c.id RETURNING * INTO r;
		v_type := 'client.deleted';
	ELSE
		RAISE EXCEPTION 'unknown action "%"', p_action USING ERRCODE = 'CD422', COLUMN = 'action';
	END IF;
	PERFORM event_add(v_type, 'client', r.id, r.public_id,
	    json_changes(before, jsonb_build_object('archived_at', rfc3339(r.archived_at),
		'deleted_at', rfc3339(r.deleted_at))), r.id);
	RETURN r;
END
$$;

-- Puts a client in a group (NULL: no group); NULL when nothing changed.
CREATE FUNCTION client_assign_group(c clients, p_group_id bigint) RETURNS clients
    LANGUAGE plpgsql
    AS $$
DECLARE
	r clients%ROWTYPE;
BEGIN
	IF c.group_id IS NOT DISTINCT FROM p_group_id THEN
		RETURN NULL;
	END IF;
	IF c.deleted_at IS NOT NULL THEN
		RAISE EXCEPTION 'client is deleted' USING ERRCODE = 'CD409';
	END IF;
	UPDATE clients SET group_id = p_group_id, version = version + 1, updated_at = now()
	WHERE id = c.id RETURNING * INTO r;
	PERFORM event_add('client.updated', 'client', r.id, r.public_id,
	    jsonb_build_object('group', jsonb_build_object(
		'before', (SELECT public_id FROM client_groups WHERE id = c.group_id),
		'after', (SELECT public_id FROM client_groups WHERE id = p_group_id))), r.id);
	RETURN r;
END
$$;

CREATE FUNCTION client_state(p_id text, p_action text, p_version int)
    RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	c clients%ROWTYPE;
	r clients%ROWTYPE;
BEGIN
	c := client_find(p_id, true);
	PERFORM version_check(c.version, p_version);
	r := client_transition(c, p_action);
	RETURN client_full_json(COALESCE(r, c));
END
$$;

-- Per-id results of archive, restore, delete or assign_group (to p_group,
-- NULL for none) over up to 100 ids.
CREATE FUNCTION client_bulk(p_action text, p_ids text[], p_group text) RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	v_id text;
	c clients%ROWTYPE;
	r clients%ROWTYPE;
	out jsonb := '[]';
	v_group bigint;
BEGIN
	IF p_action = 'assign_group' THEN
		v_group := client_group_find(p_group, 'group');
	END IF;
	FOREACH v_id IN ARRAY p_ids LOOP
		SELECT * INTO c FROM clients WHERE public_id = v_id
		    AND company_id = app_company_id()
		    AND (app_scope_all() OR user_id = app_user_id() OR assigned_user_id = app_user_id())
		FOR UPDATE;
		IF NOT FOUND THEN
			out := out || jsonb_build_object('id', v_id, 'result', 'error',
			    'error', jsonb_build_object('status', 404, 'code', 'not_found',
				'message', 'client not found'));
			CONTINUE;
		END IF;
		BEGIN
			IF p_action = 'assign_group' THEN
				r := client_assign_group(c, v_group);
			ELSE
				r := client_transition(c, p_action);
			END IF;
			IF r.id IS NOT NULL THEN
				c := r;
			END IF;
			out := out || jsonb_build_object('id', v_id,
			    'result', CASE WHEN r.id IS NULL THEN 'unchanged' ELSE 'changed' END,
			    'status', client_status(c.archived_at, c.deleted_at));
		EXCEPTION WHEN SQLSTATE 'CD409' THEN
			out := out || jsonb_build_object('id', v_id, 'result', 'error',
			    'error', jsonb_build_object('status', 409, 'code', 'conflict',
				'message', SQLERRM));
		END;
	END LOOP;
	RETURN json_build_object('action', p_action, 'results', out);
END
$$;

-- Hard delete. The events stay: the history of what happened is kept.
CREATE FUNCTION client_purge(p_id text) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
	c clients%ROWTYPE;
BEGIN
	c := client_find(p_id, true);
	PERFORM event_add('client.purged', 'client', c.id, c.public_id,
	    json_changes(client_snapshot(c), '{}'), c.id);
	DELETE FROM clients WHERE id = c.id;
END
$$;

-- Moves the source's contacts to the target (those whose email the target
-- already has are dropped), adds its balance and paid-to-date to the
-- target's, and deletes the source (restorable, empty). One event each.
CREATE FUNCTION client_merge(p_target text, p_source text) RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	t clients%ROWTYPE;
	s clients%ROWTYPE;
	moved jsonb;
	dropped jsonb;
	before jsonb;
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

	UPDATE clients SET balance = balance + s.balance,
	    paid_to_date = paid_to_date + s.paid_to_date,
	    version = version + 1, updated_at = now()
	WHERE id = t.id RETURNING * INTO t;
	UPDATE clients SET balance = 0, paid_to_date = 0, deleted_at = now(),
	    merged_into_id = t.id, version = version + 1, updated_at = now()
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

-- ---------------------------------------------------------------------------
-- Contacts as a sub-resource.
-- ---------------------------------------------------------------------------

CREATE FUNCTION contact_find(c clients, p_id text) RETURNS client_contacts
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	k client_contacts%ROWTYPE;
BEGIN
	SELECT * INTO k FROM client_contacts WHERE public_id = p_id AND client_id = c.id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'contact not found'
		    USING ERRCODE = 'CD404',
			  DETAIL = format('Client "%s" has no contact with the id "%s".', c.public_id, p_id);
	END IF;
	RETURN k;
END
$$;

-- After a contact change: bump the client's version (its representation
-- includes the contacts) and write the one event.
CREATE FUNCTION contact_changed(c clients, p_type text, k_id bigint, k_public text,
    p_before jsonb, p_after jsonb) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
	UPDATE clients SET version = version + 1, updated_at = now() WHERE id = c.id;
	PERFORM event_add(p_type, 'contact', k_id, k_public,
	    json_changes(p_before, p_after), c.id);
END
$$;

CREATE FUNCTION contact_create(p_client text, p jsonb) RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	c clients%ROWTYPE;
	k client_contacts%ROWTYPE;
BEGIN
	c := client_find(p_client, true);
	IF c.deleted_at IS NOT NULL THEN
		RAISE EXCEPTION 'client is deleted' USING ERRCODE = 'CD409';
	END IF;
	k := contact_write(c.id, NULL, p, NULL);
	PERFORM contacts_enforce(c.id);
	SELECT * INTO k FROM client_contacts WHERE id = k.id;
	PERFORM contact_changed(c, 'contact.created', k.id, k.public_id, '{}',
	    jsonb_nonempty(contact_snapshot(k)));
	RETURN contact_json(k);
END
$$;

CREATE FUNCTION contact_update(p_client text, p_id text, p jsonb, p_version int)
    RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	c clients%ROWTYPE;
	k client_contacts%ROWTYPE;
	old client_contacts%ROWTYPE;
BEGIN
	c := client_find(p_client, true);
	IF c.deleted_at IS NOT NULL THEN
		RAISE EXCEPTION 'client is deleted' USING ERRCODE = 'CD409';
	END IF;
	old := contact_find(c, p_id);
	PERFORM version_check(old.version, p_version);
	IF (p ->> 'is_primary')::boolean IS FALSE AND old.is_primary THEN
		RAISE EXCEPTION 'a client always has a primary contact'
		    USING ERRCODE = 'CD422', COLUMN = 'is_primary',
			  HINT = 'Make another contact primary instead; this one then stops being primary.';
	END IF;
	k := contact_write(c.id, old, p, NULL);
	PERFORM contacts_enforce(c.id);
	SELECT * INTO k FROM client_contacts WHERE id = k.id;
	IF contact_snapshot(k) IS DISTINCT FROM contact_snapshot(old) THEN
		PERFORM contact_changed(c, 'contact.updated', k.id, k.public_id,
		    contact_snapshot(old), contact_snapshot(k));
	END IF;
	RETURN contact_json(k);
END
$$;

CREATE FUNCTION contact_delete(p_client text, p_id text, p_version int) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
	c clients%ROWTYPE;
	k client_contacts%ROWTYPE;
BEGIN
	c := client_find(p_client, true);
	IF c.deleted_at IS NOT NULL THEN
		RAISE EXCEPTION 'client is deleted' USING ERRCODE = 'CD409';
	END IF;
	k := contact_find(c, p_id);
	PERFORM version_check(k.version, p_version);
	DELETE FROM client_contacts WHERE id = k.id;
	PERFORM contacts_enforce(c.id);
	SELECT * INTO c FROM clients WHERE id = c.id;
	PERFORM client_require_identity(c);
	PERFORM contact_changed(c, 'contact.deleted', k.id, k.public_id,
	    contact_snapshot(k), '{}');
END
$$;

CREATE FUNCTION contact_get(p_client text, p_id text) RETURNS json
    LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT contact_json(contact_find(client_find(p_client, false), p_id));
END;

-- ---------------------------------------------------------------------------
-- Activity: the events of a client, as the API shows them.
-- ---------------------------------------------------------------------------

CREATE FUNCTION event_json(e events) RETURNS json
    LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT json_build_object('id', e.public_id, 'type', e.type,
	    'entity', json_build_object('type', e.entity_type, 'id', e.entity_public_id),
	    'actor', json_build_object('type', e.actor_type, 'id', e.actor_id,
		'name', e.actor_name),
	    'changes', e.changes, 'created_at', rfc3339(e.created_at));
END;

-- The client's internal id, for list queries that take a public id.
CREATE FUNCTION client_internal_id(p_id text) RETURNS bigint
    LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT (client_find(p_id, false)).id;
END;

-- Re-authentication for destructive actions (purge): the signed-in user's
-- own password hash, or a positive retry_after while that account is
-- throttled. Failures count as failed logins of the account.
CREATE FUNCTION reauth_lookup() RETURNS TABLE (password_hash text, retry_after int)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	u users%ROWTYPE;
	v_retry int;
BEGIN
	SELECT * INTO u FROM users WHERE id = app_user_id();
	v_retry := login_retry_after(u.email, NULL);
	IF v_retry > 0 THEN
		RETURN QUERY SELECT NULL::text, v_retry;
	ELSE
		RETURN QUERY SELECT u.password_hash, 0;
	END IF;
END
$$;

CREATE FUNCTION reauth_fail() RETURNS void
    LANGUAGE sql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$ INSERT INTO login_failures (email, ip)
	SELECT email, NULL FROM users WHERE id = app_user_id() $$;

REVOKE ALL ON FUNCTION reauth_lookup(), reauth_fail() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reauth_lookup(), reauth_fail() TO clientd_app;

-- ---------------------------------------------------------------------------
-- Security.
-- ---------------------------------------------------------------------------

DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['client_groups', 'clients', 'client_contacts',
	    'client_stats'] LOOP
		EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format('CREATE POLICY tenant ON %I USING (company_id = app_company_id()) '
		    'WITH CHECK (company_id = app_company_id())', t);
	END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON clients, client_contacts, client_groups,
    client_stats TO clientd_app;
GRANT USAGE ON SEQUENCE clients_id_seq, client_contacts_id_seq,
    client_groups_id_seq TO clientd_app;
