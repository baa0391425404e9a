/*
 * The events webhooks deliver (core/events.c): the catalog of event types
 * a subscription may name, declared once (`clientd migrate` copies it to
 * the webhook_event_types table, where the SQL that fans events out to
 * subscriptions reads it), the patterns a subscription names them with,
 * and the payload every delivery carries:
 *
 *   {"id", "type", "created_at", "data", "previous_attributes"}
 */
#ifndef CLIENTD_CORE_EVENTS_H
#define CLIENTD_CORE_EVENTS_H

#include <stddef.h>

#include <jansson.h>

#include "core/cbuf.h"

#define EVENTS_TYPE_MAX 64

struct events_type {
	const char *type;
	const char *entity;
	const char *description;
};

extern const struct events_type events_types[];
extern const size_t		events_types_count;

const struct events_type *events_find(const char *);
int			  events_pattern_ok(const char *);
int			  events_matches(const char *, const char *);
json_t			 *events_types_json(void);
void events_payload(struct cbuf *, const char *, const char *, const char *,
    const char *, const char *);

#endif
