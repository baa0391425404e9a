/*
 * SQL statements from fragments with named parameters (see stmt.h).
 *
 * A name is ':' followed by a letter and then letters, digits or '_',
 * where the ':' is not part of '::'; text inside quoted literals and
 * identifiers is copied as it is. A name may appear any number of times
 * and is one parameter. Every name the text uses must be bound, and every
 * bound name used: either is a bug in the caller, and fatal.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cbuf.h"
#include "core/core.h"
#include "core/crypto.h"
#include "core/mem.h"
#include "core/stmt.h"

#define INTERN_SLOTS ((size_t)STMT_INTERNED_MAX * 2) /* open addressing */

static char  *interned[INTERN_SLOTS];
static size_t ninterned;

void
stmt_init(struct stmt *st)
{
	memset(st, 0, sizeof(*st));
	cbuf_init(&st->text, 512);
}

void
stmt_cleanup(struct stmt *st)
{
	cbuf_cleanup(&st->text);
	st->n = 0;
	st->used = 0;
}

/* The parameter called name (len bytes), added when new. */
static struct stmt_param *
param(struct stmt *st, const char *name, size_t len)
{
	struct stmt_param *p;
	size_t		   i;

	if (len == 0 || len >= STMT_NAME_MAX)
		core_fatal("stmt: bad parameter name \"%.*s\"", (int)len, name);
	for (i = 0; i < st->n; i++) {
		p = &st->params[i];
		if (strlen(p->name) == len && strncmp(p->name, name, len) == 0)
			return (p);
	}
	if (st->n == STMT_PARAMS_MAX)
		core_fatal("stmt: more than %d parameters", STMT_PARAMS_MAX);
	p = &st->params[st->n++];
	memcpy(p->name, name, len);
	p->name[len] = '\0';
	return (p);
}

static int
name_start(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

static int
name_char(char c)
{
	return (name_start(c) || (c >= '0' && c <= '9') || c == '_');
}

/* Appends :name at s as $n; returns the end of the name. */
static const char *
append_param(struct stmt *st, const char *s)
{
	struct stmt_param *p;
	const char	  *e;

	for (e = s + 1; name_char(*e); e++)
		;
	p = param(st, s + 1, (size_t)(e - s - 1));
	if (p->num == 0)
		p->num = ++st->used;
	cbuf_appendf(&st->text, "$%d", p->num);
	return (e);
}

void
stmt_append(struct stmt *st, const char *frag)
{
	const char *s = frag;
	char	    quote = 0;

	while (*s != '\0') {
		if (quote == 0 && *s == ':' && s[1] == ':') {
			cbuf_append(&st->text, s, 2);
			s += 2;
		} else if (quote == 0 && *s == ':' && name_start(s[1])) {
			s = append_param(st, s);
		} else {
			if (quote == 0 && (*s == '\'' || *s == '"'))
				quote = *s;
			else if (quote != 0 && *s == quote)
				quote = 0;
			cbuf_append(&st->text, s, 1);
			s++;
		}
	}
	if (quote != 0)
		core_fatal("stmt: unterminated quote in \"%.60s\"", frag);
}

void
stmt_appendf(struct stmt *st, const char *fmt, ...)
{
	va_list ap;
	char   *s;
	int	rc;

	va_start(ap, fmt);
	rc = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (rc == -1)
		core_fatal("stmt_appendf: out of memory");
	stmt_append(st, s);
	free(s);
}

void
stmt_bind(struct stmt *st, const char *name, const char *value)
{
	struct stmt_param *p;

	p = param(st, name, strlen(name));
	if (p->bound)
		core_fatal("stmt: \"%s\" bound twice", name);
	p->bound = 1;
	p->value = value;
}

static uint64_t
text_hash(const char *s)
{
	unsigned char d[SHA256_LEN];
	uint64_t      h;

	crypto_sha256(s, strlen(s), d);
	memcpy(&h, d, sizeof(h));
	return (h);
}

/*
 * The one copy of text kept for the process: found, or added while there
 * is room (NULL once STMT_INTERNED_MAX texts are kept).
 */
static const char *
intern(const char *text)
{
	size_t i;

	i = (size_t)(text_hash(text) % INTERN_SLOTS);
	while (interned[i] != NULL) {
		if (strcmp(interned[i], text) == 0)
			return (interned[i]);
		i = (i + 1) % INTERN_SLOTS;
	}
	if (ninterned == STMT_INTERNED_MAX)
		return (NULL);
	interned[i] = mem_strdup(text);
	ninterned++;
	return (interned[i]);
}

/* Every name used is bound and every bound one used, or it is fatal. */
static void
check(const struct stmt *st)
{
	size_t i;

	for (i = 0; i < st->n; i++) {
		if (st->params[i].num != 0 && !st->params[i].bound)
			core_fatal("stmt: :%s is used but not bound",
			    st->params[i].name);
		if (st->params[i].num == 0)
			core_fatal("stmt: :%s is bound but not used",
			    st->params[i].name);
	}
}

const char *
stmt_text(struct stmt *st)
{
	check(st);
	return (intern(st->text.data));
}

const char *const *
stmt_values(struct stmt *st, int *n)
{
	size_t i;

	check(st);
	for (i = 0; i < st->n; i++)
		st->values[st->params[i].num - 1] = st->params[i].value;
	*n = st->used;
	return (st->values);
}
