/*
 * Client rules without a database (core/clients.c): the JSON a client is
 * written with, and the parameters of the client list.
 */
#ifndef CLIENTD_CORE_CLIENTS_H
#define CLIENTD_CORE_CLIENTS_H

#include <jansson.h>

#include "core/api_error.h"
#include "core/public_id.h"
#include "core/qs.h"
#include "core/stmt.h"

#define CLIENT_BULK_MAX 100
#define CLIENT_Q_MAX	100
#define CLIENT_LIKE_LEN (CLIENT_Q_MAX * 8 + 8)

enum client_sort_key {
	CLIENT_SORT_CREATED,
	CLIENT_SORT_UPDATED,
	CLIENT_SORT_NAME,
	CLIENT_SORT_NUMBER,
	CLIENT_SORT_BALANCE,
	CLIENT_SORT__COUNT
};

struct client_sort {
	const char	    *name;
	enum client_sort_key key;
	const char	    *expr; /* what SQL orders by */
	const char	    *type; /* its type, for the cursor's value */
};

/* GET /clients parameters, as SQL parameter text ("" = not given). */
struct client_list {
	char			  statuses[32]; /* "{active,archived}" */
	char			  like[CLIENT_LIKE_LEN];
	char			  updated_since[64];
	char			  group[PUBLIC_ID_LEN + 1];
	char			  no_group[8];	  /* "true": group=none */
	char			  balance[5][32]; /* gt gte lt lte eq */
	const struct client_sort *sort;
	int			  desc;
};

/*
 * The list's optional filters: each one the request has appends its
 * predicate to st ("AND ..."), its value bound by name. A new filter is a
 * field of struct client_list, its parsing, and a row of the table in
 * core/clients.c.
 */
void clients_list_where(const struct client_list *, struct stmt *);
int  clients_list_filtered(const struct client_list *);

int clients_validate(json_t *, int, struct api_error *);
int clients_like_pattern(const char *, char *, size_t);
int clients_list_parse(
    const struct qs *, struct client_list *, struct api_error *);
const struct client_sort *clients_sort_find(const char *);

#endif
