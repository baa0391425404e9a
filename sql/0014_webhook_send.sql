-- ---------------------------------------------------------------------------
-- 0014_webhook_send: what sending one webhook delivery takes, as one row
-- type (sql/functions/webhooks.sql).
--
-- The worker's functions that hand out deliveries (webhook_next_batch(),
-- webhook_claim(), webhook_record(), webhook_record_batch()) each spelt out
-- the same fourteen columns; they now return this type, so the row the
-- worker reads (api/src/worker/webhooks.c, SEND_COLUMNS) is defined once.
-- ---------------------------------------------------------------------------

CREATE TYPE webhook_send AS (
	lane			bigint,	-- the webhook: deliveries go in its order
	delivery		bigint,
	delivery_public_id	text,
	url			text,
	headers			text,	-- the webhook's own headers, a JSON object
	secret			bytea,
	previous_secret		bytea,	-- while it still signs, else NULL
	message_id		text,
	type			text,
	created_at		text,
	data			text,
	previous		text,
	attempts		int,
	first_attempt_epoch	bigint
);
