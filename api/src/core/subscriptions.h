/*
 * A webhook subscription's fields as the API takes them
 * (core/subscriptions.c): the target URL (core/netpolicy.c), the event
 * patterns (core/events.c), custom headers and the description.
 */
#ifndef CLIENTD_CORE_SUBSCRIPTIONS_H
#define CLIENTD_CORE_SUBSCRIPTIONS_H

#include <stddef.h>

#include <jansson.h>

#include "core/api_error.h"
#include "core/netpolicy.h"

#define SUBSCRIPTIONS_EVENTS_MAX       50
#define SUBSCRIPTIONS_HEADERS_MAX      10
#define SUBSCRIPTIONS_HEADER_NAME_MAX  64
#define SUBSCRIPTIONS_HEADER_VALUE_MAX 1024
#define SUBSCRIPTIONS_DESCRIPTION_MAX  500

int subscriptions_header_check(const char *, const char *, char *, size_t);
int subscriptions_validate(
    json_t *, int, const struct netpolicy *, struct api_error *);

#endif
