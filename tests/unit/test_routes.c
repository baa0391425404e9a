/*
 * Unit tests for core/routes.c: the route table is data, so these check
 * its shape (unique routes, one operation per op, sane patterns) and that
 * the router finds every route in it. The contract test compares it with
 * openapi.yaml; this one catches a broken table without a running stack.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/cbuf.h"
#include "core/router.h"
#include "core/routes.h"

/* A method bit that names exactly one method. */
static int
one_method(unsigned int m)
{
	return (m != 0 && (m & (m - 1)) == 0 &&
	    strcmp(router_method_name(m), "?") != 0);
}

/* routes-1.1: each entry is well formed. */
static void
test_entries(void **state)
{
	const struct route *r;
	const char *const  *q;
	size_t		    i;

	assert_true(routes_count > 0);
	for (i = 0; i < routes_count; i++) {
		r = &routes_table[i];
		if (r->def.pattern == NULL || r->def.pattern[0] != '/')
			fail_msg("route %zu: pattern must start with /", i);
		/* router_match compares the bit exactly: one per entry. */
		if (!one_method(r->def.method))
			fail_msg("%s: method must be one method bit",
			    r->def.pattern);
		if ((int)r->op < 0 || r->op >= OP__COUNT)
			fail_msg("%s: op %d out of range", r->def.pattern,
			    (int)r->op);
		if (r->operation_id == NULL || r->operation_id[0] == '\0')
			fail_msg("%s: no operation_id", r->def.pattern);
		if (r->auth != AUTH_NONE && r->auth != AUTH_REQUIRED &&
		    r->auth != AUTH_PORTAL)
			fail_msg("%s: bad auth", r->def.pattern);
		if (r->body != BODY_NONE && r->body != BODY_JSON &&
		    r->body != BODY_OPTIONAL && r->body != BODY_MULTIPART)
			fail_msg("%s: bad body", r->def.pattern);
		/* Only POST, PUT and PATCH carry a body that may be absent. */
		if (r->body == BODY_OPTIONAL &&
		    !(r->def.method & (ROUTE_POST | ROUTE_PUT | ROUTE_PATCH)))
			fail_msg("%s: an optional body without a method "
				 "that carries one",
			    r->def.pattern);
		for (q = r->query; q != NULL && *q != NULL; q++) {
			if ((*q)[0] == '\0')
				fail_msg(
				    "%s: empty query name", r->def.pattern);
		}
	}
}

/* routes-1.2: no two entries share method and pattern, or operation_id. */
static void
test_unique(void **state)
{
	const struct route *a, *b;
	size_t		    i, j;

	for (i = 0; i < routes_count; i++) {
		a = &routes_table[i];
		for (j = 0; j < i; j++) {
			b = &routes_table[j];
			if (a->def.method == b->def.method &&
			    strcmp(a->def.pattern, b->def.pattern) == 0)
				fail_msg("%s %s declared twice",
				    router_method_name(a->def.method),
				    a->def.pattern);
			if (strcmp(a->operation_id, b->operation_id) == 0)
				fail_msg("operation_id %s used twice",
				    a->operation_id);
		}
	}
}

/* routes-1.3: every op has a route. */
static void
test_ops_covered(void **state)
{
	int    seen[OP__COUNT];
	size_t i;
	int    op;

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < routes_count; i++) {
		if ((int)routes_table[i].op >= 0 &&
		    routes_table[i].op < OP__COUNT)
			seen[routes_table[i].op]++;
	}
	for (op = 0; op < OP__COUNT; op++) {
		if (seen[op] == 0)
			fail_msg("op %d has no route", op);
	}
}

/* Turns a pattern into a path, filling each {param} with fill. */
static void
instantiate(const char *pattern, const char *fill, char *out, size_t len)
{
	struct cbuf b;
	const char *p, *end;

	cbuf_init(&b, 0);
	for (p = pattern; *p != '\0'; p++) {
		if (*p == '{' && (end = strchr(p, '}')) != NULL) {
			cbuf_appendstr(&b, fill);
			p = end;
		} else
			cbuf_append(&b, p, 1);
	}
	if (snprintf(out, len, "%s", b.data) >= (int)len)
		fail_msg("path too long");
	cbuf_cleanup(&b);
}

/* routes-1.4: the router finds each route under its own method. */
static void
test_router_finds_all(void **state)
{
	const struct route *r;
	struct route_match  m;
	char		    path[256];
	size_t		    i;

	for (i = 0; i < routes_count; i++) {
		r = &routes_table[i];
		instantiate(r->def.pattern, "0123456789ab", path, sizeof(path));
		if (router_match(routes_table, routes_count,
			sizeof(routes_table[0]), r->def.method, path, &m) != 0)
			fail_msg("%s %s not found",
			    router_method_name(r->def.method), path);
		if ((size_t)m.index != i)
			fail_msg("%s %s found as route %d, not %zu",
			    router_method_name(r->def.method), path, m.index,
			    i);

		/* Twin: the same path with a trailing slash is not a route. */
		if (strlen(path) + 2 > sizeof(path))
			fail_msg("path too long");
		strcat(path, "/");
		if (router_match(routes_table, routes_count,
			sizeof(routes_table[0]), r->def.method, path, &m) == 0)
			fail_msg("%s %s found",
			    router_method_name(r->def.method), path);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries),
		cmocka_unit_test(test_unique),
		cmocka_unit_test(test_ops_covered),
		cmocka_unit_test(test_router_finds_all),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
