-- ---------------------------------------------------------------------------
-- 0002_clients: clients, their contacts, client groups, the currencies and
-- the settings defaults they need (the functions: sql/functions/clients.sql,
-- contacts.sql, groups.sql, settings.sql, numbers.sql).
--
-- A client is a person or a company. display_name is derived: name, else
-- the primary contact's "first last", else its email (kept by triggers).
-- Three ids: public_id (opaque), number (generated when not given, unique
-- per company, also among archived and deleted clients), id_number (free
-- text from another system). Lifecycle: active -> archived (archived_at)
-- -> deleted (deleted_at, restorable) -> purged (row removed).
--
-- (Before issue 9 this file also defined functions, triggers and policies;
-- they are in sql/functions/ now. A database that applied that version is
-- accepted as having applied this one: see legacy_checksums in
-- api/src/pq/migrate.c.)
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
-- place settings are declared; SQL reads them here (setting_value()).
CREATE TABLE setting_defaults (
	key		text PRIMARY KEY,
	value		jsonb NOT NULL
);
GRANT SELECT ON setting_defaults TO clientd_app, clientd_worker;

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
-- Security (the policies: sql/functions/tenancy.sql).
-- ---------------------------------------------------------------------------

ALTER TABLE client_groups ENABLE ROW LEVEL SECURITY;
ALTER TABLE clients ENABLE ROW LEVEL SECURITY;
ALTER TABLE client_contacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE client_stats ENABLE ROW LEVEL SECURITY;

GRANT SELECT, INSERT, UPDATE, DELETE ON clients, client_contacts, client_groups,
    client_stats TO clientd_app;
GRANT USAGE ON SEQUENCE clients_id_seq, client_contacts_id_seq,
    client_groups_id_seq TO clientd_app;
