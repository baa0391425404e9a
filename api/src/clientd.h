/*
 * clientd's Kore module: the private header, with a section per file.
 *
 * The request path: Kore calls clientd_request() (api.c) for every request;
 * it matches the route table (core/routes.c), checks credentials, query
 * string and body at the edge, and calls the operation's handler. Handlers
 * queue their SQL on a struct db (db.c) behind the authentication
 * statement and run it as one libpq pipeline: one network round trip,
 * one implicit transaction, with the tenant set inside it for row-level
 * security.
 */
#ifndef CLIENTD_H
#define CLIENTD_H

#include <sys/types.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>

#include <libpq-fe.h>
#include <jansson.h>

#include "core.h"
#include "routes.h"

#define API_EXPORT	__attribute__((visibility("default")))

/* init.c */
struct clientd_config {
	char		 database_url[2048];
	char		 trusted_proxies[512];
	char		 static_dir[1024];
	int		 cookie_secure;		/* -1 auto, 0 never, 1 always */
	size_t		 json_body_max;
};

extern struct clientd_config	clientd_cfg;

/* api.c */
enum cred_kind {
	CRED_NONE,
	CRED_SESSION,
	CRED_TOKEN
};

/* Who the request acts as, read from auth_begin()'s row. */
struct auth_user {
	char	user_id[PUBLIC_ID_LEN + 1];
	char	email[256];
	char	name[256];
	char	role[16];
	char	company_id[PUBLIC_ID_LEN + 1];
	char	company_name[256];
	char	credential_id[PUBLIC_ID_LEN + 1];
	char	scope[8];
	json_t	*permissions;
};

struct api_ctx {
	struct http_request	*req;
	const struct api_route	*route;
	struct route_match	 match;
	struct qs		 qs;
	json_t			*body;
	unsigned int		 method;
	char			 request_id[24];
	char			 client_ip[64];
	int			 secure;	/* reached us over TLS */

	enum cred_kind		 cred;
	char			 cred_hash[2 + 2 * SHA256_LEN + 1];
	char			 session_token[SESSION_TOKEN_LEN + 1];
	struct auth_user	 user;
	int			 auth_stmt;	/* auth_begin()'s index, or -1 */

	char			 idem_key[256];	/* "" without Idempotency-Key */
	char			 idem_fp[2 * SHA256_LEN + 1];

	unsigned int		 db_trips;
	double			 db_ms;
	int			 responded;
};

typedef void	(*api_handler)(struct api_ctx *);

API_EXPORT int	 clientd_request(struct http_request *);
void	 api_header(struct api_ctx *, const char *, const char *);
void	 api_reply(struct api_ctx *, int, const char *, size_t);
void	 api_reply_typed(struct api_ctx *, int, const char *, const char *,
	    size_t);
void	 api_reply_json(struct api_ctx *, int, json_t *);
void	 api_reply_sql_json(struct api_ctx *, int, const char *);
void	 api_reply_empty(struct api_ctx *, int);
void	 api_reply_error(struct api_ctx *, struct api_error *);
void	 api_reply_errorf(struct api_ctx *, enum api_error_kind,
	    const char *, ...) __attribute__((format(printf, 3, 4)));
void	 api_security_headers(struct http_request *, int);
const char	*api_request_header(struct api_ctx *, const char *);
const char	*api_param(struct api_ctx *, size_t);
int		 api_check_body(struct api_ctx *, const struct field_spec *,
		    size_t);
char		*api_body_text(struct api_ctx *);
const char	*api_if_match(struct api_ctx *, char *, size_t);

/* routes.c */
api_handler	 routes_handler(enum api_op);
int		 routes_verify(void);

/* db.c */
#define DB_STMTS_MAX	16
#define DB_PARAMS_MAX	48

#define DB_OK		0
#define DB_ERR_SQL	(-1)	/* a statement failed: see the error fields */
#define DB_ERR_DOWN	(-2)	/* no usable connection */

struct db_stmt {
	const char	*sql;
	int		 n;
	const char	*params[DB_PARAMS_MAX];
};

struct db {
	struct kore_pgsql	 pg;
	int			 n;
	struct db_stmt		 stmts[DB_STMTS_MAX];
	PGresult		*res[DB_STMTS_MAX];
	PGresult		*prep[DB_STMTS_MAX];	/* failed prepares */
	int			 failed;	/* index of the failing statement */
	PGresult		*err;		/* its result, in res[] */
	char			 down_reason[256];
};

void		 db_init(struct db *);
void		 db_cleanup(struct db *);
int		 db_add(struct db *, const char *, int, const char *const *);
int		 db_run(struct api_ctx *, struct db *);
PGresult	*db_res(struct db *, int);
const char	*db_get(struct db *, int, int, const char *);
int		 db_isnull(struct db *, int, int, const char *);
int		 db_rows(struct db *, int);
void		 db_to_api_error(struct db *, struct api_error *);
int		 db_ping(struct api_ctx *, char *, size_t);

#define DB_NARGS(...)	\
	((int)(sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(const char *)))
#define DB_ADD(db, sql, ...)	\
	db_add(db, sql, DB_NARGS(__VA_ARGS__), (const char *const []){ __VA_ARGS__ })
#define DB_ADD0(db, sql)	db_add(db, sql, 0, NULL)

/* auth.c */
int	 auth_credentials(struct api_ctx *, struct api_error *);
int	 auth_add(struct api_ctx *, struct db *);
int	 auth_read(struct api_ctx *, struct db *, int);
void	 auth_user_cleanup(struct auth_user *);
int	 api_exec(struct api_ctx *, struct db *);
void	 api_idem_add(struct api_ctx *, struct db *);
const char	*api_idem_key(struct api_ctx *);
void	 auth_login(struct api_ctx *);
void	 auth_logout(struct api_ctx *);
void	 auth_me(struct api_ctx *);

/* tokens.c */
void	 tokens_list(struct api_ctx *);
void	 tokens_create(struct api_ctx *);
void	 tokens_revoke(struct api_ctx *);

/* health.c */
void	 health_live(struct api_ctx *);
void	 health_ready(struct api_ctx *);

/* static.c */
int	 static_load(const char *);
void	 static_serve(struct api_ctx *);

/* list.c */
struct page {
	long	number;		/* 1-based */
	long	per_page;
	char	limit[24];	/* as SQL parameters */
	char	fetch[24];	/* limit + 1: is there a next page? */
	char	offset[24];
	const char *meta_extra;	/* more members of "meta" (JSON), or NULL */
};

int	 list_page(struct api_ctx *, struct page *);
int	 list_cursor(struct api_ctx *, const char *, int, char *, size_t,
	    char *, size_t);
void	 list_reply(struct api_ctx *, struct db *, int, int,
	    const struct page *, int, const char *);
void	 list_reply_page(struct api_ctx *, struct db *, int, int,
	    const struct page *, const char *, int);

/* ledger.c */
void	 ledger_client_list(struct api_ctx *);
void	 ledger_client_post(struct api_ctx *);
void	 ledger_summary(struct api_ctx *);
void	 ledger_statement(struct api_ctx *);
void	 ledger_list(struct api_ctx *);
void	 ledger_post(struct api_ctx *);
void	 ledger_check(struct api_ctx *);
void	 ledger_kinds(struct api_ctx *);

/* clients.c */
void	 clients_list(struct api_ctx *);
void	 clients_create(struct api_ctx *);
void	 clients_bulk(struct api_ctx *);
void	 clients_get(struct api_ctx *);
void	 clients_update(struct api_ctx *);
void	 clients_delete(struct api_ctx *);
void	 clients_archive(struct api_ctx *);
void	 clients_restore(struct api_ctx *);
void	 clients_purge(struct api_ctx *);
void	 clients_merge(struct api_ctx *);
void	 clients_activity(struct api_ctx *);

/* contacts.c */
void	 contacts_list(struct api_ctx *);
void	 contacts_create(struct api_ctx *);
void	 contacts_get(struct api_ctx *);
void	 contacts_update(struct api_ctx *);
void	 contacts_delete(struct api_ctx *);
void	 contacts_list_all(struct api_ctx *);

/* settings.c */
void	 settings_company_get(struct api_ctx *);
void	 settings_company_patch(struct api_ctx *);
void	 settings_group_get(struct api_ctx *);
void	 settings_group_patch(struct api_ctx *);
void	 settings_client_get(struct api_ctx *);
void	 settings_client_patch(struct api_ctx *);
void	 settings_number_preview(struct api_ctx *);

/* groups.c */
void	 groups_list(struct api_ctx *);
void	 groups_create(struct api_ctx *);
void	 groups_get(struct api_ctx *);
void	 groups_update(struct api_ctx *);
void	 groups_delete(struct api_ctx *);

#endif
