/*
 * A request's statements as one libpq pipeline over a connection from
 * Kore's pgsql pool (http/db.c): one network round trip, one implicit
 * transaction. Handlers queue statements (constant SQL text with $n
 * parameters, or text built with named parameters by core/stmt.c),
 * pipeline.c runs them, and
 * results are read by statement index and column name.
 */
#ifndef CLIENTD_HTTP_DB_H
#define CLIENTD_HTTP_DB_H

#include <kore/kore.h>
#include <kore/pgsql.h>

#include <libpq-fe.h>

#include "core/api_error.h"
#include "core/cbuf.h"
#include "core/render.h"
#include "core/stmt.h"

#define DB_STMTS_MAX  16
#define DB_PARAMS_MAX 48

#define DB_OK	    0
#define DB_ERR_SQL  (-1) /* a statement failed: see db_error() */
#define DB_ERR_DOWN (-2) /* no usable connection */

struct db_stmt {
	const char *sql;
	int	    prepare; /* sql lives for the process: prepare it */
	int	    n;
	const char *params[DB_PARAMS_MAX];
	int	    lengths[DB_PARAMS_MAX]; /* of binary parameters */
	int	    formats[DB_PARAMS_MAX]; /* 1: binary */
	int	    binary;		    /* some parameter is binary */
	int	    binary_result;	    /* results in binary format */
};

struct db {
	struct kore_pgsql pg;
	int		  n;
	struct db_stmt	  stmts[DB_STMTS_MAX];
	PGresult	 *res[DB_STMTS_MAX];
	PGresult	 *prep[DB_STMTS_MAX]; /* failed prepares */
	int		  failed; /* index of the failing statement */
	PGresult	 *err;	  /* its result, in res[] */
	char		  down_reason[256];
	int		  auth_stmt; /* auth_begin()'s index, or -1 */
	int		  idem_stmt; /* idem_begin()'s index, or -1 */
	int		  held;	     /* a transaction spans round trips */
	unsigned int	  trips;     /* round trips made */
	double		  ms;	     /* time spent in them */
};

void	    db_init(struct db *);
void	    db_cleanup(struct db *);
int	    db_add(struct db *, const char *, int, const char *const *);
int	    db_add_stmt(struct db *, struct stmt *);
int	    db_run(struct db *, int);
void	    db_bind_binary(struct db *, int, int, const void *, size_t);
void	    db_binary_result(struct db *, int);
void	    db_hold(struct db *);
void	    db_next(struct db *);
PGresult   *db_res(struct db *, int);
const char *db_get(struct db *, int, int, const char *);
int	    db_isnull(struct db *, int, int, const char *);
int	    db_rows(struct db *, int);
const char *db_sqlstate(struct db *);
void db_columns(struct db *, int, const struct render_field *, size_t, int *);
void db_render(struct db *, int, int, const struct render_field *, size_t,
    const int *, struct cbuf *);
void db_error(struct db *, struct api_error *);

#define DB_NARGS(...) \
	((int)(sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(const char *)))
#define DB_ADD(db, sql, ...) \
	db_add(db, sql, DB_NARGS(__VA_ARGS__), \
	    (const char *const[]){ __VA_ARGS__ })
#define DB_ADD0(db, sql) db_add(db, sql, 0, NULL)

#endif
