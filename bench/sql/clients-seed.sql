-- Seed for bench/clients.sh: :n clients (each with a primary contact, every
-- third with a second one) and their client.created events for the company
-- :cid, owned by user :uid. :k (1..10) varies the data between companies.
-- Runs as the owner (no row-level security) in one transaction.
--
-- Derived data is what the triggers of sql/functions/clients.sql and
-- contacts.sql would make, only made once per client instead of once per
-- inserted row (with the triggers on, 10,000 clients take 13 s, mostly re-deriving each client for
-- each contact and updating the one client_stats row 10,000 times): the
-- triggers are off during the inserts (ALTER TABLE is transactional, so a
-- failure leaves them on), then client_derive() itself fills display_name
-- and search for each new client, and client_stats gets the counts the
-- stats trigger would have added.
--
-- Names, emails, phones and addresses are picked from fixed lists by a hash
-- of (client, company), so every run makes the same data, and searching for
-- a surname, a brand, a city, a phone or a number finds a realistic share
-- of the clients.

\set ON_ERROR_STOP 1
BEGIN;
SELECT set_config('app.company_id', :'cid', true),
    set_config('app.user_id', :'uid', true),
    set_config('app.actor_type', 'system', true),
    set_config('app.actor_name', 'bench/clients.sh', true) \g /dev/null

-- An email address's local part and domain from a name: lower case, no
-- spaces, accents dropped.
CREATE FUNCTION pg_temp.slug(s text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT translate(lower(replace(replace(s, ' ', ''), '&', '')),
	'éèáóíúüöäśřçëïžšńł', 'eeaoiuuoasrceizsnl') $$;

ALTER TABLE clients DISABLE TRIGGER clients_derive,
    DISABLE TRIGGER clients_stats;
ALTER TABLE client_contacts DISABLE TRIGGER contacts_derive;

WITH words AS (
	SELECT
	    ARRAY['Acme', 'Northwind', 'Globex', 'Initech', 'Umbrella', 'Stark',
		'Wayne', 'Wonka', 'Tyrell', 'Cyberdyne', 'Hooli', 'Vandelay',
		'Pied Piper', 'Soylent', 'Gringotts', 'Oscorp', 'Duff', 'Monarch',
		'Aperture', 'Massive Dynamic', 'Blue Harbor', 'Red Fern',
		'Silver Oak', 'Golden Gate', 'Iron Ridge', 'Maple Leaf',
		'Nordlicht', 'Sonnenhof', 'Alpenrose', 'Bella Vista', 'Casa Verde',
		'Polaris', 'Zenith', 'Orion', 'Vega', 'Atlas', 'Helios', 'Kestrel',
		'Lynx', 'Falcon'] AS brand,
	    ARRAY['Logistics', 'Software', 'Bakery', 'Consulting', 'Dental',
		'Architects', 'Printing', 'Solar', 'Robotics', 'Foods',
		'Textiles', 'Media', 'Legal', 'Travel', 'Fitness', 'Optics',
		'Pharma', 'Plumbing', 'Florists', 'Motors', 'Analytics',
		'Catering', 'Design', 'Energy', 'Insurance', 'Labs', 'Marine',
		'Security', 'Studios', 'Tools'] AS sector,
	    ARRAY['Ltd', 'GmbH', 'Inc.', 'LLC', 'S.A.', 'B.V.', 'AB', 'Oy',
		'& Co', 'Partners', 'SARL', 'S.r.l.'] AS suffix,
	    ARRAY['Anna', 'Ben', 'Chloé', 'David', 'Eva', 'Farid', 'Grace',
		'Hugo', 'Inès', 'Jonas', 'Kemal', 'Lena', 'Mateo', 'Nora',
		'Oskar', 'Priya', 'Quentin', 'Rosa', 'Sven', 'Tomás', 'Amira',
		'Bruno', 'Carla', 'Dmitri', 'Elif', 'Felix', 'Greta', 'Hannah',
		'Ivan', 'Julia', 'Kenji', 'Laura', 'Marek', 'Nadia', 'Olga',
		'Paolo', 'Rahul', 'Sofia', 'Théo', 'Ursula', 'Viktor', 'Wen',
		'Yusuf', 'Zoë', 'Lars', 'Mia', 'Noah', 'Sara'] AS first,
	    ARRAY['Müller', 'Smith', 'García', 'Rossi', 'Dubois', 'Novak',
		'Jensen', 'Kowalski', 'Silva', 'Ahmed', 'Tanaka', 'Olsen',
		'Meyer', 'Brown', 'Costa', 'Virtanen', 'Nagy', 'Ivanova',
		'Okafor', 'Lindqvist', 'Schmidt', 'Johnson', 'Martínez',
		'Bianchi', 'Lefèvre', 'Horvat', 'Nielsen', 'Wiśniewski', 'Santos',
		'Khan', 'Suzuki', 'Hansen', 'Fischer', 'Wilson', 'Ferreira',
		'Korhonen', 'Kovács', 'Petrova', 'Mensah', 'Berg', 'Weber',
		'Taylor', 'López', 'Romano', 'Moreau', 'Dvořák', 'Larsen',
		'Nowak'] AS last,
	    ARRAY['Berlin', 'Hamburg', 'London', 'Leeds', 'Boston', 'Austin',
		'Lyon', 'Paris', 'Utrecht', 'Rotterdam', 'Malmö', 'Uppsala',
		'Valencia', 'Bilbao', 'Turin', 'Bologna', 'Graz', 'Vienna',
		'Basel', 'Zürich'] AS city,
	    ARRAY['DE', 'DE', 'GB', 'GB', 'US', 'US', 'FR', 'FR', 'NL', 'NL',
		'SE', 'SE', 'ES', 'ES', 'IT', 'IT', 'AT', 'AT', 'CH', 'CH']
		AS country,
	    ARRAY['+49', '+49', '+44', '+44', '+1', '+1', '+33', '+33', '+31',
		'+31', '+46', '+46', '+34', '+34', '+39', '+39', '+43', '+43',
		'+41', '+41'] AS cc,
	    ARRAY['Market Street', 'Hauptstraße', 'Rue de la Paix',
		'Kerkstraat', 'Via Roma', 'Calle Mayor', 'Storgatan',
		'Bahnhofstrasse', 'High Street', 'Main Street', 'Ringstraße',
		'Avenue Foch'] AS street
), src AS (
	-- One row per client: its hashes and the words picked for it.
	SELECT i, h1, h2,
	    w.brand[1 + h1 % 40] AS brand, w.sector[1 + (h1 / 40) % 30] AS sector,
	    w.suffix[1 + (h1 / 1200) % 12] AS suffix,
	    w.city[1 + h2 % 20] AS city, w.country[1 + h2 % 20] AS country,
	    w.cc[1 + h2 % 20] AS cc, w.street[1 + (h2 / 7) % 12] AS street,
	    w.first[1 + (h1 / 11) % 48] AS first0, w.last[1 + (h2 / 48) % 48] AS last0,
	    w.first[1 + (h1 / 11 + 17) % 48] AS first1,
	    w.last[1 + (h2 / 48 + 29) % 48] AS last1
	FROM generate_series(1, :n) AS i, words w,
	    LATERAL (SELECT hashint4(i * 16 + :k)::bigint + 2147483648 AS h1,
		hashint4(-(i * 16 + :k))::bigint + 2147483648 AS h2) hh
), c AS (
	INSERT INTO clients (company_id, number, name, website, phone,
	    vat_number, id_number, address1, city, postal_code, country,
	    public_notes, private_notes, user_id, balance, paid_to_date,
	    created_at, updated_at)
	SELECT :cid, lpad(i::text, greatest(5, length(i::text)), '0'),
	    CASE WHEN i % 10 = 0 THEN ''
		ELSE brand || ' ' || sector || ' ' || suffix END,
	    CASE WHEN i % 3 = 0 OR i % 10 = 0 THEN ''
		ELSE 'https://www.' || pg_temp.slug(brand) || '-'
		    || pg_temp.slug(sector) || '.example' END,
	    cc || ' ' || (20 + h2 / 20 % 80) || ' '
		|| lpad((h2 / 1600 % 10000000)::text, 7, '0'),
	    CASE WHEN i % 4 = 0 THEN country
		|| lpad((h1 % 1000000000)::text, 9, '0') ELSE '' END,
	    CASE WHEN i % 5 = 0 THEN 'CRM-' || (:k * 100000 + i) ELSE '' END,
	    (1 + h1 % 180) || ' ' || street,
	    city, lpad((h1 / 13 % 99999)::text, 5, '0'), country,
	    CASE WHEN i % 7 = 0 THEN 'Prefers invoices by email.' ELSE '' END,
	    CASE WHEN i % 11 = 0 THEN 'Slow payer; call before sending reminders.'
		ELSE '' END,
	    :uid,
	    CASE WHEN i % 3 = 0 THEN 0 ELSE (h1 % 500000) / 100.0 END,
	    (h2 % 2000000) / 100.0,
	    now() - (:n - i) * interval '41 minutes' - :k * interval '1 second',
	    now() - (:n - i) * interval '41 minutes' - :k * interval '1 second'
		+ least((:n - i) * 41, h1 % 20000) * interval '1 minute' / 2
	FROM src
	RETURNING id, public_id, number, created_at
), k AS (
	INSERT INTO client_contacts (company_id, client_id, first_name,
	    last_name, email, phone, is_primary, send_email, position,
	    created_at, updated_at)
	SELECT :cid, c.id, f, l,
	    CASE WHEN j = 0 THEN pg_temp.slug(f) || '.' || pg_temp.slug(l)
		ELSE pg_temp.slug(f) END
		|| CASE WHEN s.i % 10 = 0 THEN s.i || '@mail' || (s.h2 % 7) || '.example'
		   ELSE '@' || pg_temp.slug(s.brand) || '-' || pg_temp.slug(s.sector)
			|| '.example' END,
	    CASE WHEN j = 0 THEN s.cc || ' 1' || (50 + s.h1 / 7 % 30) || ' '
		|| lpad((s.h1 / 3 % 10000000)::text, 7, '0') ELSE '' END,
	    j = 0, true, j, c.created_at, c.created_at
	FROM c JOIN src s ON s.i = c.number::int,
	    generate_series(0, CASE WHEN s.i % 3 = 0 THEN 1 ELSE 0 END) AS j,
	    LATERAL (SELECT CASE j WHEN 0 THEN s.first0 ELSE s.first1 END AS f,
		CASE j WHEN 0 THEN s.last0 ELSE s.last1 END AS l) names
	RETURNING client_id
)
SELECT count(*) AS events FROM (
	SELECT event_add('client.created', 'client', c.id, c.public_id,
	    jsonb_build_object('number', jsonb_build_object('before', NULL,
		'after', c.number)), c.id)
	FROM c
) e;

SELECT count(*) AS derived FROM (
	SELECT client_derive(id) FROM clients WHERE company_id = :cid
) d;

INSERT INTO client_stats AS t (company_id, active, archived, deleted)
SELECT :cid,
    count(*) FILTER (WHERE client_status(archived_at, deleted_at) = 'active'),
    count(*) FILTER (WHERE client_status(archived_at, deleted_at) = 'archived'),
    count(*) FILTER (WHERE client_status(archived_at, deleted_at) = 'deleted')
FROM clients WHERE company_id = :cid
ON CONFLICT (company_id) DO UPDATE SET active = t.active + excluded.active,
    archived = t.archived + excluded.archived,
    deleted = t.deleted + excluded.deleted;

ALTER TABLE clients ENABLE TRIGGER clients_derive,
    ENABLE TRIGGER clients_stats;
ALTER TABLE client_contacts ENABLE TRIGGER contacts_derive;

-- The next generated client number: a column of companies before
-- 0003_settings, a key of companies.settings since.
SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'companies'::regclass
    AND attname = 'client_number_counter' AND NOT attisdropped) AS counter_column \gset
\if :counter_column
UPDATE companies SET client_number_counter = :n + 1 WHERE id = :cid;
\else
UPDATE companies SET settings = settings
    || jsonb_build_object('client_number_counter', :n + 1) WHERE id = :cid;
\endif
COMMIT;
