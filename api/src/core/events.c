/*
 * The events webhooks deliver: their catalog, the patterns subscriptions
 * use, and the payload.
 *
 * Every change writes an event in its own transaction (events.sql); the
 * types listed here are the ones webhooks deliver (token and webhook
 * events are the company's audit trail, not integration triggers). A new
 * kind of record (documents, as imports did) adds its types here and its
 * rendering in webhooks.sql's webhook_render(), and the next `clientd
 * migrate` makes them deliverable.
 *
 * A subscription names types exactly, "<entity>.*" for every type of one
 * entity, or "*" for all of them (present and future).
 */
#include <string.h>

#include "core/cbuf.h"
#include "core/core.h"
#include "core/events.h"

const struct events_type events_types[] = {
	{ "client.created", "client", "A client was created." },
	{ "client.updated", "client",
	    "A client's fields, contacts, group or settings changed." },
	{ "client.archived", "client", "A client was archived." },
	{ "client.restored", "client",
	    "An archived or deleted client was restored." },
	{ "client.deleted", "client",
	    "A client was deleted (restorable), or merged into another." },
	{ "client.merged", "client",
	    "Another client was merged into this one." },
	{ "client.purged", "client", "A client was removed for good." },
	{ "contact.created", "contact", "A contact was added to a client." },
	{ "contact.updated", "contact", "A contact changed." },
	{ "contact.deleted", "contact", "A contact was removed." },
	{ "group.created", "group", "A client group was created." },
	{ "group.updated", "group",
	    "A group was renamed or its settings "
	    "changed." },
	{ "group.deleted", "group", "A group was deleted." },
	{ "settings.updated", "settings", "The company's settings changed." },
	{ "ledger_entry.created", "ledger_entry",
	    "An entry was posted to a client's ledger." },
	{ "import.completed", "import",
	    "A CSV import of clients ended: what it created, updated, "
	    "skipped and refused (each client also has its own event)." },
	{ "document.created", "document",
	    "A document was uploaded for a client or a group." },
	{ "document.updated", "document",
	    "A document was renamed, or shown to or hidden from the client." },
	{ "document.deleted", "document", "A document was deleted." },
};

const size_t events_types_count = CORE_ARRAY_LEN(events_types);

const struct events_type *
events_find(const char *type)
{
	size_t i;

	for (i = 0; i < events_types_count; i++) {
		if (strcmp(events_types[i].type, type) == 0)
			return (&events_types[i]);
	}
	return (NULL);
}

/* "<entity>.*" when the entity has types in the catalog. */
static int
entity_wildcard(const char *pattern)
{
	size_t i, n = strlen(pattern);

	if (n < 3 || strcmp(pattern + n - 2, ".*") != 0)
		return (0);
	for (i = 0; i < events_types_count; i++) {
		if (strlen(events_types[i].entity) == n - 2 &&
		    strncmp(events_types[i].entity, pattern, n - 2) == 0)
			return (1);
	}
	return (0);
}

/* 1 when a subscription may name pattern: a type, "<entity>.*" or "*". */
int
events_pattern_ok(const char *pattern)
{
	return (strcmp(pattern, "*") == 0 || events_find(pattern) != NULL ||
	    entity_wildcard(pattern));
}

/* 1 when pattern (events_pattern_ok) selects event type. */
int
events_matches(const char *pattern, const char *type)
{
	size_t n = strlen(pattern);

	if (strcmp(pattern, "*") == 0 || strcmp(pattern, type) == 0)
		return (1);
	return (n > 2 && strcmp(pattern + n - 2, ".*") == 0 &&
	    strncmp(pattern, type, n - 1) == 0);
}

/* The catalog as the registry table and GET /webhooks/events show it. */
json_t *
events_types_json(void)
{
	json_t *a;
	size_t	i;

	a = json_array();
	for (i = 0; i < events_types_count; i++) {
		if (json_array_append_new(a,
			json_pack("{s:s, s:s, s:s}", "type",
			    events_types[i].type, "entity",
			    events_types[i].entity, "description",
			    events_types[i].description)) != 0)
			core_fatal("events_types_json: json_pack failed");
	}
	return (a);
}

/*
 * Appends the payload of one delivery to b: id, type and created_at as
 * JSON strings, data and previous as the JSON text they are (the
 * database's rendering; previous NULL or "" for null). The same inputs
 * always give the same bytes, so every attempt of a message is signed
 * over the same body.
 */
void
events_payload(struct cbuf *b, const char *id, const char *type,
    const char *created_at, const char *data, const char *previous)
{
	cbuf_appendstr(b, "{\"id\":");
	cbuf_append_json_string(b, id);
	cbuf_appendstr(b, ",\"type\":");
	cbuf_append_json_string(b, type);
	cbuf_appendstr(b, ",\"created_at\":");
	cbuf_append_json_string(b, created_at);
	cbuf_appendstr(b, ",\"data\":");
	cbuf_append_json_min(
	    b, data != NULL && data[0] != '\0' ? data : "null");
	cbuf_appendstr(b, ",\"previous_attributes\":");
	cbuf_append_json_min(
	    b, previous != NULL && previous[0] != '\0' ? previous : "null");
	cbuf_appendstr(b, "}");
}
