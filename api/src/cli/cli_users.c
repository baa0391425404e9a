/*
 * Accounts from the command line: create-user (optionally with a new
 * company), set-password and create-token. They run as the owner role, set the tenant
 * and a "system" actor themselves, and write their events like the API.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "cli/cli_users.h"
#include "core/api_error.h"
#include "core/cbuf.h"
#include "core/crypto.h"
#include "core/password.h"
#include "core/validate.h"
#include "pq/pq.h"

/* clang-format off */
static const char sql_company_new[] =
    "INSERT INTO companies (name) VALUES ($1) RETURNING id, public_id";

static const char sql_company_find[] =
    "SELECT id, public_id FROM companies WHERE public_id = $1";

static const char sql_actor[] =
    "SELECT set_config('app.company_id', $1, true), "
    "    set_config('app.actor_type', 'system', true), "
    "    set_config('app.actor_name', $2, true)";

static const char sql_user_new[] =
    "INSERT INTO users (company_id, email, name, password_hash, role, "
    "    permissions) "
    "VALUES ($1::bigint, $2, $3, $4, $5, CASE $5 WHEN 'member' THEN "
    "    '{clients.view.all,clients.create,clients.edit.own}'::text[] "
    "    ELSE '{}'::text[] END) "
    "RETURNING id, public_id";

static const char sql_event[] =
    "SELECT event_add($1, $2, $3::bigint, $4, $5::jsonb)";

static const char sql_user_find[] =
    "SELECT id, company_id FROM users WHERE lower(email) = lower($1) "
    "    AND is_active";

static const char sql_token_replace[] =
    "UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1::bigint "
    "    AND name = $2 AND revoked_at IS NULL";

/*
 * A new password set by an operator ends the account's sessions and
 * forgets its failed logins (it is how a locked-out owner gets back in),
 * and is recorded like any change.
 */
static const char sql_set_password[] =
    "WITH u AS (UPDATE users SET password_hash = $2, updated_at = now() "
    "    WHERE lower(email) = lower($1) RETURNING id, public_id, company_id, "
    "    email), "
    "s AS (DELETE FROM sessions WHERE user_id IN (SELECT id FROM u)), "
    "a AS (DELETE FROM login_attempts WHERE lower(email) = lower($1) "
    "    AND outcome <> 'succeeded') "
    "SELECT id, public_id, company_id FROM u";

static const char sql_token_new[] =
    "INSERT INTO api_tokens (company_id, user_id, name, prefix, token_hash) "
    "VALUES ($1::bigint, $2::bigint, $3, $4, $5::bytea) "
    "RETURNING id, public_id";
/* clang-format on */

static const char *const roles[] = { "owner", "admin", "member", NULL };

/* Reads a password from stdin (one line) or, on a terminal, twice. */
static int
read_password(int from_stdin, char *out, size_t len)
{
	struct termios old, noecho;
	char	       again[1024];
	int	       tty;

	tty = !from_stdin && isatty(STDIN_FILENO);
	if (tty) {
		tcgetattr(STDIN_FILENO, &old);
		noecho = old;
		noecho.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSANOW, &noecho);
		fprintf(stderr, "Password: ");
	}
	if (fgets(out, (int)len, stdin) == NULL)
		out[0] = '\0';
	out[strcspn(out, "\r\n")] = '\0';
	if (tty) {
		fprintf(stderr, "\nAgain: ");
		if (fgets(again, sizeof(again), stdin) == NULL)
			again[0] = '\0';
		again[strcspn(again, "\r\n")] = '\0';
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
		fprintf(stderr, "\n");
		if (strcmp(out, again) != 0) {
			cli_error("the passwords differ");
			return (-1);
		}
	}
	return (0);
}

int
cli_users_tx(PGconn *conn, const char *what)
{
	char err[512];

	if (pq_exec(conn, what, err, sizeof(err)) != 0) {
		cli_error("%s", err);
		return (-1);
	}
	return (0);
}

/*
 * Inserts a user (and a company when company_name is set), writing the
 * events, inside the caller's transaction. Fills out (the user's public
 * id). Returns 0, or -1 after printing why (the caller rolls back).
 */
int
cli_users_insert(PGconn *conn, const char *company, const char *company_name,
    const char *email, const char *name, const char *role, const char *hash,
    char *out, size_t outlen)
{
	PGresult   *c = NULL, *u = NULL, *r;
	char	    err[1024], changes[1024];
	struct cbuf b;
	int	    rc = -1;

	if (company_name != NULL)
		c = PQ_QUERY(
		    conn, sql_company_new, err, sizeof(err), company_name);
	else
		c = PQ_QUERY(conn, sql_company_find, err, sizeof(err), company);
	if (c == NULL || PQntuples(c) != 1) {
		cli_error("%s", c == NULL ? err : "no company has that id");
		goto out;
	}
	r = PQ_QUERY(conn, sql_actor, err, sizeof(err), PQgetvalue(c, 0, 0),
	    "clientd create-user");
	if (r == NULL)
		goto fail;
	PQclear(r);
	if (company_name != NULL) {
		cbuf_init(&b, 128);
		cbuf_appendstr(&b, "{\"name\":{\"before\":null,\"after\":");
		cbuf_append_json_string(&b, company_name);
		cbuf_appendstr(&b, "}}");
		r = PQ_QUERY(conn, sql_event, err, sizeof(err),
		    "company.created", "company", PQgetvalue(c, 0, 0),
		    PQgetvalue(c, 0, 1), b.data);
		cbuf_cleanup(&b);
		if (r == NULL)
			goto fail;
		PQclear(r);
	}
	u = PQ_QUERY(conn, sql_user_new, err, sizeof(err), PQgetvalue(c, 0, 0),
	    email, name, hash, role);
	if (u == NULL)
		goto fail;
	snprintf(changes, sizeof(changes),
	    "{\"role\":{\"before\":null,"
	    "\"after\":\"%s\"}}",
	    role);
	r = PQ_QUERY(conn, sql_event, err, sizeof(err), "user.created", "user",
	    PQgetvalue(u, 0, 0), PQgetvalue(u, 0, 1), changes);
	if (r == NULL)
		goto fail;
	PQclear(r);
	snprintf(out, outlen, "%s", PQgetvalue(u, 0, 1));
	rc = 0;
	goto out;
fail:
	if (strstr(err, "users_email_key") != NULL)
		cli_error("a user with the email \"%s\" already exists", email);
	else
		cli_error("%s", err);
out:
	if (c != NULL)
		PQclear(c);
	if (u != NULL)
		PQclear(u);
	return (rc);
}

int
cli_users_create(const struct cli_opts *o)
{
	struct api_error err;
	PGconn		*conn = NULL;
	const char	*role;
	char		 password[1024], hash[PASSWORD_HASH_MAX];
	char		 id[32];
	size_t		 i;
	int		 rc = 1;

	api_error_init(&err, API_ERR_VALIDATION);
	role = o->role != NULL ? o->role
			       : (o->company_name != NULL ? "owner" : "member");
	for (i = 0; roles[i] != NULL && strcmp(roles[i], role) != 0; i++)
		;
	if (roles[i] == NULL || o->email == NULL || !validate_email(o->email) ||
	    (o->company == NULL) == (o->company_name == NULL)) {
		cli_error(
		    "create-user needs a valid --email, one of --company "
		    "or --company-name, and --role owner, admin or member");
		api_error_cleanup(&err);
		return (2);
	}
	if (read_password(o->password_stdin, password, sizeof(password)) != 0)
		goto out;
	if (password_acceptable(password, "password", &err) != 0) {
		cli_error("%s", err.message);
		goto out;
	}
	if (password_hash(password, hash) != 0) {
		cli_error("could not hash the password");
		goto out;
	}
	if ((conn = cli_connect(o->database_url, "DATABASE_OWNER_URL")) == NULL)
		goto out;
	if (cli_users_tx(conn, "BEGIN") != 0)
		goto out;
	if (cli_users_insert(conn, o->company, o->company_name, o->email,
		o->name != NULL ? o->name : "", role, hash, id,
		sizeof(id)) == 0 &&
	    cli_users_tx(conn, "COMMIT") == 0) {
		printf("created user %s (%s, %s)\n", id, o->email, role);
		rc = 0;
	} else {
		(void)cli_users_tx(conn, "ROLLBACK");
	}
out:
	sodium_memzero(password, sizeof(password));
	if (conn != NULL)
		PQfinish(conn);
	api_error_cleanup(&err);
	return (rc);
}

/*
 * Mints a token for the user with email; with replace, tokens of the same
 * name are revoked first. Fills token and its public id.
 */
int
cli_users_insert_token(PGconn *conn, const char *email, const char *name,
    int replace, char *token, size_t toklen, char *id, size_t idlen)
{
	PGresult     *u = NULL, *r;
	unsigned char digest[SHA256_LEN];
	char	      err[1024], hash[80], prefix[TOKEN_SHOWN_PREFIX + 1];
	char	      rowid[32];
	int	      rc = -1;

	if (toklen < TOKEN_LEN + 1 || cli_users_tx(conn, "BEGIN") != 0)
		return (-1);
	u = PQ_QUERY(conn, sql_user_find, err, sizeof(err), email);
	if (u == NULL || PQntuples(u) != 1) {
		cli_error(
		    "%s", u == NULL ? err : "no active user has that email");
		goto out;
	}
	if ((r = PQ_QUERY(conn, sql_actor, err, sizeof(err),
		 PQgetvalue(u, 0, 1), "clientd create-token")) == NULL)
		goto fail;
	PQclear(r);
	if (replace) {
		if ((r = PQ_QUERY(conn, sql_token_replace, err, sizeof(err),
			 PQgetvalue(u, 0, 0), name)) == NULL)
			goto fail;
		PQclear(r);
	}
	crypto_new_api_token(token);
	snprintf(prefix, sizeof(prefix), "%.*s", TOKEN_SHOWN_PREFIX, token);
	crypto_sha256(token, strlen(token), digest);
	crypto_bytea_hex(digest, sizeof(digest), hash, sizeof(hash));
	if ((r = PQ_QUERY(conn, sql_token_new, err, sizeof(err),
		 PQgetvalue(u, 0, 1), PQgetvalue(u, 0, 0), name, prefix,
		 hash)) == NULL)
		goto fail;
	snprintf(rowid, sizeof(rowid), "%s", PQgetvalue(r, 0, 0));
	snprintf(id, idlen, "%s", PQgetvalue(r, 0, 1));
	PQclear(r);
	if ((r = PQ_QUERY(conn, sql_event, err, sizeof(err), "token.created",
		 "token", rowid, id, "{}")) == NULL)
		goto fail;
	PQclear(r);
	rc = cli_users_tx(conn, "COMMIT");
	goto out;
fail:
	cli_error("%s", err);
out:
	if (rc != 0)
		(void)pq_exec(conn, "ROLLBACK", err, sizeof(err));
	if (u != NULL)
		PQclear(u);
	return (rc);
}

int
cli_users_create_token(const struct cli_opts *o)
{
	PGconn *conn;
	char	token[TOKEN_LEN + 1], id[32];
	int	rc = 1;

	if (o->email == NULL || o->token_name == NULL) {
		cli_error("create-token needs --email and --token-name");
		return (2);
	}
	if ((conn = cli_connect(o->database_url, "DATABASE_OWNER_URL")) == NULL)
		return (1);
	if (cli_users_insert_token(conn, o->email, o->token_name, o->replace,
		token, sizeof(token), id, sizeof(id)) == 0) {
		printf("%s\n", token);
		rc = 0;
	}
	sodium_memzero(token, sizeof(token));
	PQfinish(conn);
	return (rc);
}

/* The event of a change to user id (public pid) of company, by the CLI. */
static int
user_event(PGconn *conn, const char *company, const char *id, const char *pid,
    const char *type)
{
	PGresult *r;
	char	  err[1024];

	r = PQ_QUERY(
	    conn, sql_actor, err, sizeof(err), company, "clientd set-password");
	if (r != NULL) {
		PQclear(r);
		r = PQ_QUERY(conn, sql_event, err, sizeof(err), type, "user",
		    id, pid, "{}");
	}
	if (r == NULL) {
		cli_error("%s", err);
		return (-1);
	}
	PQclear(r);
	return (0);
}

/*
 * clientd set-password --email E [--password-stdin]: a new password for an
 * account (the way back in for an owner who forgot theirs, until mail can
 * carry a reset link). Ends the account's sessions.
 */
int
cli_users_set_password(const struct cli_opts *o)
{
	struct api_error err;
	PGconn		*conn = NULL;
	PGresult	*r = NULL;
	char		 password[1024], hash[PASSWORD_HASH_MAX], cerr[512];
	int		 rc = 1;

	api_error_init(&err, API_ERR_VALIDATION);
	if (o->email == NULL || !validate_email(o->email)) {
		cli_error("set-password needs a valid --email");
		api_error_cleanup(&err);
		return (2);
	}
	if (read_password(o->password_stdin, password, sizeof(password)) != 0)
		goto out;
	if (password_acceptable(password, "password", &err) != 0) {
		cli_error("%s", err.message);
		goto out;
	}
	if (password_hash(password, hash) != 0) {
		cli_error("could not hash the password");
		goto out;
	}
	if ((conn = cli_connect(o->database_url, "DATABASE_OWNER_URL")) == NULL)
		goto out;
	if (cli_users_tx(conn, "BEGIN") != 0)
		goto out;
	r = PQ_QUERY(
	    conn, sql_set_password, cerr, sizeof(cerr), o->email, hash);
	if (r == NULL || PQntuples(r) != 1) {
		cli_error("%s", r == NULL ? cerr : "no account has that email");
		(void)cli_users_tx(conn, "ROLLBACK");
		goto out;
	}
	if (user_event(conn, PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 0),
		PQgetvalue(r, 0, 1), "user.password_set") != 0 ||
	    cli_users_tx(conn, "COMMIT") != 0) {
		(void)cli_users_tx(conn, "ROLLBACK");
		goto out;
	}
	printf("set the password of %s; its sessions ended\n", o->email);
	rc = 0;
out:
	sodium_memzero(password, sizeof(password));
	if (r != NULL)
		PQclear(r);
	if (conn != NULL)
		PQfinish(conn);
	api_error_cleanup(&err);
	return (rc);
}
