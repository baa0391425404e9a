-- ---------------------------------------------------------------------------
-- 0010_currency_pin: a client's money never changes currency by a settings
-- change (issue 11).
--
-- From now on a client's first ledger entry pins its effective currency as
-- a client-level setting (clients.settings.currency), which then cannot
-- change; group and company currencies no longer reach it (the rule, for
-- every writer: the triggers of sql/functions/ledger.sql). This data move
-- pins the clients that already have entries: to the currency of their
-- latest entry, which is what their balance was last posted in. (Before
-- this change a client could post in one currency, join a group with
-- another and post in that one; `clientd check-ledger` lists the entries
-- of such a mixed ledger that are not in the pinned currency.) A client
-- that already sets its own currency keeps it.
--
-- And an index for the activity: an event names a deleted group by its id,
-- and the name it had is in that group's group.deleted event
-- (event_reference() in sql/functions/events.sql).
-- ---------------------------------------------------------------------------

UPDATE clients c
SET settings = c.settings || jsonb_build_object('currency', e.currency)
FROM (SELECT DISTINCT ON (client_id) client_id, currency
      FROM ledger_entries ORDER BY client_id, seq DESC) e
WHERE e.client_id = c.id AND NOT (c.settings ? 'currency');

CREATE INDEX events_group_public_idx ON events (company_id, entity_public_id)
    WHERE entity_type = 'group';
