-- Demo data: 200 clients with contacts for the current tenant (clientd demo
-- sets app.company_id to Demo Company first). Names are built from fixed
-- lists so that every run produces the same data.

WITH words AS (
	SELECT
	    ARRAY['Acme', 'Northwind', 'Globex', 'Initech', 'Umbrella', 'Stark',
		'Wayne', 'Wonka', 'Tyrell', 'Cyberdyne', 'Hooli', 'Vandelay',
		'Pied Piper', 'Soylent', 'Gringotts', 'Oscorp', 'Duff',
		'Monarch', 'Aperture', 'Massive Dynamic'] AS brand,
	    ARRAY['Ltd', 'GmbH', 'Inc.', 'LLC', 'S.A.', 'B.V.', 'AB', 'Oy',
		'& Co', 'Partners'] AS suffix,
	    ARRAY['Anna', 'Ben', 'Chloé', 'David', 'Eva', 'Farid', 'Grace',
		'Hugo', 'Ines', 'Jonas', 'Kemal', 'Lena', 'Mateo', 'Nora',
		'Oskar', 'Priya', 'Quentin', 'Rosa', 'Sven', 'Tomás'] AS first,
	    ARRAY['Müller', 'Smith', 'García', 'Rossi', 'Dubois', 'Novak',
		'Jensen', 'Kowalski', 'Silva', 'Ahmed', 'Tanaka', 'Olsen',
		'Meyer', 'Brown', 'Costa', 'Virtanen', 'Nagy', 'Ivanova',
		'Okafor', 'Lindqvist'] AS last,
	    ARRAY['DE', 'GB', 'US', 'FR', 'NL', 'SE', 'ES', 'IT', 'AT', 'CH']
		AS country,
	    ARRAY['Berlin', 'London', 'Boston', 'Lyon', 'Utrecht', 'Malmö',
		'Valencia', 'Turin', 'Graz', 'Basel'] AS city
), c AS (
	INSERT INTO clients (company_id, number, name, website, phone,
	    vat_number, id_number, address1, city, postal_code, country,
	    public_notes, private_notes, user_id, created_at, updated_at)
	SELECT app_company_id(), lpad(i::text, 4, '0'),
	    CASE WHEN i % 10 = 0 THEN ''
		ELSE w.brand[1 + i % 20] || ' ' || w.suffix[1 + (i / 20) % 10]
		    || CASE WHEN i > 100 THEN ' ' || (i / 20)::text ELSE '' END
	    END,
	    CASE WHEN i % 3 = 0 THEN '' ELSE 'https://' ||
		lower(replace(w.brand[1 + i % 20], ' ', '')) || i || '.example' END,
	    '+49 30 ' || lpad((1000000 + i * 7919 % 9000000)::text, 7, '0'),
	    CASE WHEN i % 4 = 0 THEN 'DE' || lpad((100000000 + i * 104729 % 899999999)::text, 9, '0') ELSE '' END,
	    CASE WHEN i % 5 = 0 THEN 'CRM-' || (5000 + i) ELSE '' END,
	    (i % 97 + 1) || ' Market Street',
	    w.city[1 + i % 10], lpad((10000 + i * 37 % 89999)::text, 5, '0'),
	    w.country[1 + i % 10],
	    CASE WHEN i % 7 = 0 THEN 'Prefers invoices by email.' ELSE '' END,
	    CASE WHEN i % 11 = 0 THEN 'Slow payer; call before sending reminders.' ELSE '' END,
	    app_user_id(),
	    now() - (200 - i) * interval '1 day',
	    now() - (200 - i) * interval '1 day'
	FROM generate_series(1, 200) AS i, words w
	RETURNING id, public_id, number
), k AS (
	INSERT INTO client_contacts (company_id, client_id, first_name,
	    last_name, email, phone, is_primary, send_email, position)
	SELECT app_company_id(), c.id, w.first[1 + (n + j) % 20],
	    w.last[1 + (n * 7 + j) % 20],
	    lower(translate(w.first[1 + (n + j) % 20], 'éáóíü', 'eaoiu')) || '.' ||
		lower(translate(w.last[1 + (n * 7 + j) % 20], 'éáóíüÉ', 'eaoiuE')) ||
		n || '@client' || n || '.example',
	    CASE WHEN j = 0 THEN '+49 170 ' || lpad((n * 104723 % 9999999)::text, 7, '0') ELSE '' END,
	    j = 0, true, j
	FROM c, words w, LATERAL (SELECT c.number::int AS n) x,
	    generate_series(0, CASE WHEN c.number::int % 2 = 0 THEN 1 ELSE 0 END) AS j
	RETURNING client_id
)
SELECT event_add('client.created', 'client', c.id, c.public_id,
    jsonb_build_object('number', jsonb_build_object('before', NULL, 'after', c.number)),
    c.id)
FROM c;

UPDATE companies SET settings = settings || '{"client_number_counter": 201}' WHERE id = app_company_id();
