/*
 * Client rules without a database: request validation, list parameters,
 * cursors, idempotency fingerprints and If-Match (core/clients.c).
 */
#ifndef CLIENTD_CLIENTS_H
#define CLIENTD_CLIENTS_H

#include "core.h"

#define CLIENT_CONTACTS_MAX	50
#define CLIENT_BULK_MAX		100
#define CLIENT_Q_MAX		100
#define CLIENT_LIKE_LEN		(CLIENT_Q_MAX * 8 + 8)
/*
 * A cursor carries the last row's sort value: at most a display name (201
 * characters of a contact's names, or a 254-character email) in UTF-8, so
 * 1024 bytes; base64url makes the cursor 4/3 of that. Both fit in a query
 * parameter (QS_MAX_VALUE) and in Kore's request line (2000 bytes).
 */
#define CURSOR_VALUE_MAX	1024
#define CURSOR_LEN		1500

enum client_sort_key {
	CLIENT_SORT_CREATED,
	CLIENT_SORT_UPDATED,
	CLIENT_SORT_NAME,
	CLIENT_SORT_NUMBER,
	CLIENT_SORT_BALANCE,
	CLIENT_SORT__COUNT
};

struct client_sort {
	const char		*name;
	enum client_sort_key	 key;
};

/* GET /clients parameters, as SQL parameter text ("" = not given). */
struct client_list {
	char				 statuses[32];	/* "{active,archived}" */
	char				 like[CLIENT_LIKE_LEN];
	char				 updated_since[64];
	char				 group[PUBLIC_ID_LEN + 1];
	char				 balance[5][32];	/* gt gte lt lte eq */
	const struct client_sort	*sort;
	int				 desc;
};

int	 client_validate(json_t *, int, struct api_error *);
int	 contact_validate(json_t *, struct api_error *);
int	 like_pattern(const char *, char *, size_t);
int	 client_list_parse(const struct qs *, struct client_list *,
	    struct api_error *);
const struct client_sort	*client_sort_find(const char *);
void	 cursor_encode(const char *, int, const char *, const char *, char *,
	    size_t);
int	 cursor_decode(const char *, const char *, int, char *, size_t,
	    char *, size_t);
int	 idempotency_key_valid(const char *);
void	 idempotency_fingerprint(const char *, const char *, json_t *,
	    char [SHA256_LEN * 2 + 1]);
void	 if_match_version(const char *, long *);

#endif
