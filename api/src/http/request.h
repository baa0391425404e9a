/*
 * One API request as the daemon sees it (http/request.c): the Kore request,
 * the matched route, the query string and the checked JSON body, the
 * credentials and who they turned out to be, the Idempotency-Key, and the
 * database cost so far. edge.c fills it before any handler runs; handlers
 * read it through the accessors below and answer through reply.c.
 */
#ifndef CLIENTD_HTTP_REQUEST_H
#define CLIENTD_HTTP_REQUEST_H

#include <sys/types.h>

#include <kore/kore.h>
#include <kore/http.h>

#include <jansson.h>

#include "core/api_error.h"
#include "core/crypto.h"
#include "core/idempotency.h"
#include "core/public_id.h"
#include "core/qs.h"
#include "core/router.h"
#include "core/routes.h"

enum cred_kind { CRED_NONE, CRED_SESSION, CRED_TOKEN, CRED_PORTAL };

/* Who the request acts as, read from auth_begin()'s row (auth.c). */
struct auth_user {
	char	user_id[PUBLIC_ID_LEN + 1];
	char	email[256];
	char	name[256];
	char	role[16];
	char	company_id[PUBLIC_ID_LEN + 1];
	char	company_name[256];
	char	credential_id[PUBLIC_ID_LEN + 1];
	char	scope[8];
	json_t *permissions;
};

/* Who a portal request acts as, read from portal_begin()'s row. */
struct portal_user {
	char contact_id[PUBLIC_ID_LEN + 1];
	char client_id[PUBLIC_ID_LEN + 1];
	char impersonator[256]; /* "" unless staff entered as the contact */
	/* For a second batch: the client its first batch read (or ""). */
	char expect_client[PUBLIC_ID_LEN + 1];
};

struct request {
	struct http_request *http;
	const struct route  *route;
	struct route_match   match;
	struct qs	     qs;
	json_t		    *body;
	unsigned int	     method; /* ROUTE_GET ... */
	char		     request_id[24];
	char		     client_ip[64];
	int		     secure;	       /* reached us over TLS */
	int		     metrics_listener; /* came to the metrics server */

	enum cred_kind	   cred;
	char		   cred_hash[2 + 2 * SHA256_LEN + 1];
	char		   session_token[SESSION_TOKEN_LEN + 1];
	struct auth_user   user;
	struct portal_user portal; /* CRED_PORTAL */

	struct idempotency idem; /* key "" without one */

	unsigned int db_trips;
	double	     db_ms;
	int	     db_unavailable; /* answered 503: the database was down */
	double	     t_begin_ms;     /* its handler's start (monotonic) */
	double	     wait_ms;	     /* from Kore reading it to then */
	int	     responded;
	int	     preview;	/* a document shown inline: framed by the app */
	int	     suspended; /* handed to a task thread (hashing.c) */
};

typedef void (*request_handler)(struct request *);

void	    request_init(struct request *, struct http_request *);
void	    request_cleanup(struct request *);
const char *request_header(struct request *, const char *);
const char *request_param(struct request *, size_t);
const char *request_if_match(struct request *, char *, size_t);
int	    request_read_body(struct request *, size_t, struct api_error *);
char	   *request_body_text(struct request *);

#endif
