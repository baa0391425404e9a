-- ---------------------------------------------------------------------------
-- 0008_webhooks: webhook subscriptions and their deliveries (issue 15).
--
-- Every change writes an event in its own transaction (0001). When a
-- company has active webhooks that want an event's type, a trigger on
-- events (sql/functions/webhooks.sql) renders the payload once, into
-- webhook_messages, and queues one webhook_deliveries row per webhook, in
-- that same transaction: an event is never lost between the change and
-- its delivery, and never queued twice. clientd-worker sends them
-- (api/src/worker/webhooks.c) and records every attempt in
-- webhook_attempts. Deliveries of one webhook go out one at a time in
-- the order they were queued (a "lane"); tests and resends go outside that
-- order.
--
-- Signing secrets are stored sealed with the key in CLIENTD_SECRET_KEY
-- (api/src/core/vault.c): a dump of this database alone cannot sign.
-- ---------------------------------------------------------------------------

-- The event types webhooks deliver, as api/src/core/events.c declares
-- them (written by `clientd migrate`, api/src/pq/registry.c).
CREATE TABLE webhook_event_types (
	type		text PRIMARY KEY,
	entity		text NOT NULL,
	description	text NOT NULL
);

CREATE TABLE webhooks (
	id		bigserial PRIMARY KEY,
	public_id	text NOT NULL UNIQUE DEFAULT new_public_id(),
	company_id	bigint NOT NULL REFERENCES companies ON DELETE CASCADE,
	user_id		bigint REFERENCES users ON DELETE SET NULL,	-- who created it
	url		text NOT NULL CHECK (length(url) BETWEEN 8 AND 2048),
	events		text[] NOT NULL CHECK (cardinality(events) BETWEEN 1 AND 50),
	headers		jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(headers) = 'object'),
	description	text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
	status		text NOT NULL DEFAULT 'active'
			    CHECK (status IN ('active', 'paused', 'disabled')),
	disabled_reason	text CHECK (disabled_reason IN ('gone', 'failing')),
	disabled_at	timestamptz,
	secret		bytea NOT NULL,		-- sealed (core/vault.c)
	secret_hint	text NOT NULL,		-- "whsec_" and 4 characters
	previous_secret	bytea,			-- sealed; signs too until:
	previous_secret_expires_at timestamptz,
	failing_since	timestamptz,		-- first failure since the last success
	last_success_at	timestamptz,
	last_failure_at	timestamptz,
	version		int NOT NULL DEFAULT 1,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT webhooks_disabled CHECK ((status = 'disabled') = (disabled_reason IS NOT NULL))
);

-- One webhook per URL in a company: a tool that subscribes again gets a
-- conflict naming the existing one instead of a duplicate that would
-- deliver every event twice.
CREATE UNIQUE INDEX webhooks_url_key ON webhooks (company_id, url);

CREATE INDEX webhooks_company_idx ON webhooks (company_id, created_at);

-- One payload per event (or per test ping), shared by its deliveries.
CREATE TABLE webhook_messages (
	id		bigserial PRIMARY KEY,
	public_id	text NOT NULL,		-- webhook-id: the event's public id
	company_id	bigint NOT NULL REFERENCES companies ON DELETE CASCADE,
	event_id	bigint UNIQUE REFERENCES events ON DELETE CASCADE,	-- NULL: a ping
	type		text NOT NULL,
	created_at	timestamptz NOT NULL,	-- the event's
	data		json NOT NULL,		-- json, not jsonb: the API's key order
	previous_attributes json
);

CREATE INDEX webhook_messages_type_idx ON webhook_messages (company_id, type, id);

CREATE TABLE webhook_deliveries (
	id		bigserial PRIMARY KEY,
	public_id	text NOT NULL UNIQUE DEFAULT new_public_id(),
	company_id	bigint NOT NULL REFERENCES companies ON DELETE CASCADE,
	webhook_id	bigint NOT NULL REFERENCES webhooks ON DELETE CASCADE,
	message_id	bigint NOT NULL REFERENCES webhook_messages ON DELETE CASCADE,
	ordered		boolean NOT NULL DEFAULT true,	-- false: a test or a resend
	resend_of	bigint REFERENCES webhook_deliveries ON DELETE SET NULL,
	status		text NOT NULL DEFAULT 'pending'
			    CHECK (status IN ('pending', 'delivered', 'failed')),
	attempts	int NOT NULL DEFAULT 0,
	next_attempt_at	timestamptz DEFAULT now(),	-- while pending
	first_attempt_at timestamptz,
	last_attempt_at	timestamptz,
	delivered_at	timestamptz,
	last_status_code int,
	last_error	text,
	created_at	timestamptz NOT NULL DEFAULT now()
);

-- A lane's next delivery: the oldest pending one it has.
CREATE INDEX webhook_deliveries_lane_idx ON webhook_deliveries (webhook_id, id)
    WHERE status = 'pending' AND ordered;

CREATE INDEX webhook_deliveries_manual_idx ON webhook_deliveries (webhook_id, id)
    WHERE status = 'pending' AND NOT ordered;

-- The delivery log, newest first.
CREATE INDEX webhook_deliveries_log_idx ON webhook_deliveries (webhook_id, id);

CREATE INDEX webhook_deliveries_message_idx ON webhook_deliveries (message_id);

CREATE INDEX webhook_deliveries_done_idx ON webhook_deliveries (created_at)
    WHERE status <> 'pending';

CREATE TABLE webhook_attempts (
	id		bigserial PRIMARY KEY,
	company_id	bigint NOT NULL REFERENCES companies ON DELETE CASCADE,
	delivery_id	bigint NOT NULL REFERENCES webhook_deliveries ON DELETE CASCADE,
	started_at	timestamptz NOT NULL,
	latency_ms	int NOT NULL CHECK (latency_ms >= 0),
	status_code	int,			-- NULL: no answer
	outcome		text NOT NULL CHECK (outcome IN ('delivered', 'retry', 'failed', 'gone')),
	error		text,
	response_excerpt text,
	next_attempt_at	timestamptz,
	worker		text
);

CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, id);

ALTER TABLE webhooks ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_attempts ENABLE ROW LEVEL SECURITY;

GRANT SELECT ON webhook_event_types TO clientd_app, clientd_worker;

-- The daemon manages webhooks and reads their log; the worker reaches them
-- only through the SECURITY DEFINER functions that claim and record
-- deliveries (functions/webhooks.sql).
GRANT SELECT, INSERT, UPDATE, DELETE ON webhooks TO clientd_app;
GRANT USAGE ON SEQUENCE webhooks_id_seq TO clientd_app;
GRANT SELECT, INSERT ON webhook_messages TO clientd_app;
GRANT USAGE ON SEQUENCE webhook_messages_id_seq TO clientd_app;
GRANT SELECT, INSERT, UPDATE (next_attempt_at) ON webhook_deliveries TO clientd_app;
GRANT USAGE ON SEQUENCE webhook_deliveries_id_seq TO clientd_app;
GRANT SELECT ON webhook_attempts TO clientd_app;
