-- ---------------------------------------------------------------------------
-- 0002_clients: clients and their contacts.
--
-- A client is a person or a company; display_name is computed (name, else
-- the primary contact's "first last", else its email). Three ids: public_id
-- (opaque), number (generated when not given, unique per company, also
-- among archived and deleted clients), id_number (free text from another
-- system). Lifecycle: active -> archived (archived_at) -> deleted
-- (deleted_at, restorable) -> purged (row removed).
--
-- clients.search is the text the q filter matches (trigram index): the
-- client's name, numbers and phone, and every contact's names, email and
-- phone. Triggers keep it current.
-- ---------------------------------------------------------------------------

CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE companies ADD COLUMN client_number_counter bigint NOT NULL DEFAULT 1;

CREATE TABLE clients (
	id		bigserial PRIMARY KEY,
	public_id	text NOT NULL UNIQUE DEFAULT new_public_id(),
	company_id	bigint NOT NULL REFERENCES companies ON DELETE CASCADE,
	number		text NOT NULL CHECK (length(number) BETWEEN 1 AND 64),
	name		text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
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
	group_id	bigint,
	user_id		bigint REFERENCES users ON DELETE SET NULL,
	assigned_user_id bigint REFERENCES users ON DELETE SET NULL,
	balance		numeric(20, 6) NOT NULL DEFAULT 0,
	paid_to_date	numeric(20, 6) NOT NULL DEFAULT 0,
	version		integer NOT NULL DEFAULT 1,
	search		text NOT NULL DEFAULT '',
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	archived_at	timestamptz,
	deleted_at	timestamptz,
	CONSTRAINT clients_number_key UNIQUE (company_id, number)
);
CREATE INDEX clients_search_idx ON clients USING gin (search gin_trgm_ops);
CREATE INDEX clients_created_idx ON clients (company_id, created_at, id);
CREATE INDEX clients_updated_idx ON clients (company_id, updated_at, id);
CREATE INDEX clients_name_idx ON clients (company_id, lower(name), id);
CREATE INDEX clients_balance_idx ON clients (company_id, balance, id);
CREATE INDEX clients_group_idx ON clients (company_id, group_id) WHERE group_id IS NOT NULL;

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
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
-- At most one primary per client (exactly one is kept by the write
-- functions), and one contact per email address within a client.
CREATE UNIQUE INDEX client_contacts_primary_key ON client_contacts (client_id)
    WHERE is_primary;
CREATE UNIQUE INDEX client_contacts_email_key ON client_contacts (client_id, lower(email))
    WHERE email <> '';
CREATE INDEX client_contacts_client_idx ON client_contacts (client_id, position, id);
CREATE INDEX client_contacts_company_email_idx ON client_contacts (company_id, lower(email));

-- The search text of one client, from its row and its contacts.
CREATE FUNCTION client_search_text(p_client_id bigint) RETURNS text
    LANGUAGE sql STABLE
    AS $$
	SELECT lower(concat_ws(' ', c.name, c.number, c.id_number, c.phone,
	    c.vat_number,
	    (SELECT string_agg(concat_ws(' ', k.first_name, k.last_name,
		k.email, k.phone), ' ')
	     FROM client_contacts k WHERE k.client_id = c.id)))
	FROM clients c WHERE c.id = p_client_id
$$;

CREATE FUNCTION clients_search_trigger() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
	NEW.search := lower(concat_ws(' ', NEW.name, NEW.number, NEW.id_number,
	    NEW.phone, NEW.vat_number,
	    (SELECT string_agg(concat_ws(' ', k.first_name, k.last_name,
		k.email, k.phone), ' ')
	     FROM client_contacts k WHERE k.client_id = NEW.id)));
	RETURN NEW;
END
$$;

CREATE TRIGGER clients_search BEFORE INSERT OR UPDATE OF name, number,
    id_number, phone, vat_number ON clients
    FOR EACH ROW EXECUTE FUNCTION clients_search_trigger();

CREATE FUNCTION contacts_search_trigger() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		UPDATE clients SET search = client_search_text(OLD.client_id)
		WHERE id = OLD.client_id;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') AND
	    (TG_OP = 'INSERT' OR NEW.client_id <> OLD.client_id) THEN
		UPDATE clients SET search = client_search_text(NEW.client_id)
		WHERE id = NEW.client_id;
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER contacts_search AFTER INSERT OR DELETE OR UPDATE OF first_name,
    last_name, email, phone, client_id ON client_contacts
    FOR EACH ROW EXECUTE FUNCTION contacts_search_trigger();

ALTER TABLE clients ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON clients USING (company_id = app_company_id())
    WITH CHECK (company_id = app_company_id());
ALTER TABLE client_contacts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON client_contacts USING (company_id = app_company_id())
    WITH CHECK (company_id = app_company_id());

GRANT SELECT, INSERT, UPDATE, DELETE ON clients, client_contacts TO clientd_app;
GRANT USAGE ON SEQUENCE clients_id_seq, client_contacts_id_seq TO clientd_app;
GRANT UPDATE (client_number_counter) ON companies TO clientd_app;
