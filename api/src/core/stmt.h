/*
 * SQL statements assembled from fragments, with parameters by name
 * (core/stmt.c). A fragment names a value as :name (a cast stays ::type);
 * each distinct name becomes $1, $2... in the order the text first uses
 * it, and its value is bound by name, before or after the fragment that
 * uses it. So a list statement carries only the predicates its request
 * uses, and a reader follows each value by its name.
 *
 * stmt_text() interns the finished text: the same text is the same
 * pointer for the life of the process, so the daemon prepares each
 * distinct statement once per connection (its plan cache keys on the
 * address).
 */
#ifndef CLIENTD_CORE_STMT_H
#define CLIENTD_CORE_STMT_H

#include <stddef.h>

#include "core/cbuf.h"

#define STMT_PARAMS_MAX	  32
#define STMT_NAME_MAX	  32
#define STMT_INTERNED_MAX 4096 /* distinct texts a process keeps */

struct stmt_param {
	char	    name[STMT_NAME_MAX];
	const char *value; /* borrowed; NULL is SQL NULL */
	int	    bound;
	int	    num; /* its $n, 0 while the text has not used it */
};

struct stmt {
	struct cbuf	  text;
	size_t		  n;	/* params in use */
	int		  used; /* the highest $n */
	struct stmt_param params[STMT_PARAMS_MAX];
	const char	 *values[STMT_PARAMS_MAX]; /* in $n order */
};

void stmt_init(struct stmt *);
void stmt_cleanup(struct stmt *);

/* Appends SQL text with :name parameters (fragment is copied). */
void stmt_append(struct stmt *, const char *);

/*
 * The same for text formatted from constants (a sort key's expression,
 * say): never format a request's value into SQL, bind it.
 */
void stmt_appendf(struct stmt *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* Binds value (borrowed until the statement has run; NULL is SQL NULL). */
void stmt_bind(struct stmt *, const char *, const char *);

/*
 * The finished statement: its interned text (stable for the process's
 * life, or NULL once STMT_INTERNED_MAX texts are kept: run it from
 * st->text.data, unprepared), and its values in $n order (*n of them).
 * Fatal when a used name is unbound or a bound one unused.
 */
const char	  *stmt_text(struct stmt *);
const char *const *stmt_values(struct stmt *, int *);

#endif
