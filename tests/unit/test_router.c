/*
 * Unit tests for core/router.c: matching a method and path against a
 * route table, capturing {param} segments, and telling 404 from 405.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/core.h"
#include "core/router.h"

static const struct route_def table[] = {
	{ ROUTE_GET, "/healthz" },				/* 0 */
	{ ROUTE_GET, "/api/v1/tokens" },			/* 1 */
	{ ROUTE_POST, "/api/v1/tokens" },			/* 2 */
	{ ROUTE_DELETE, "/api/v1/tokens/{id}" },		/* 3 */
	{ ROUTE_GET, "/api/v1/clients/{id}/contacts/{cid}" },	/* 4 */
	{ ROUTE_PATCH, "/api/v1/clients/{id}/contacts/{cid}" }, /* 5 */
	{ ROUTE_POST, "/api/v1/login" },			/* 6 */
};

static int
match(unsigned int method, const char *path, struct route_match *m)
{
	return (router_match(
	    table, CORE_ARRAY_LEN(table), sizeof(table[0]), method, path, m));
}

/* path must be a 404 under every method. */
static void
expect_notfound(const char *path)
{
	static const unsigned int methods[] = {
		ROUTE_GET,
		ROUTE_POST,
		ROUTE_PUT,
		ROUTE_PATCH,
		ROUTE_DELETE,
		ROUTE_HEAD,
		ROUTE_OPTIONS,
	};
	struct route_match m;
	size_t		   i;

	for (i = 0; i < CORE_ARRAY_LEN(methods); i++) {
		if (match(methods[i], path, &m) != CORE_E_NOTFOUND)
			fail_msg("%s %s matched",
			    router_method_name(methods[i]), path);
		assert_int_equal(m.index, -1);
		assert_int_equal(m.allowed, 0);
	}
}

/* router-1.1: a literal pattern matches exactly that path. */
static void
test_exact(void **state)
{
	struct route_match m;

	assert_int_equal(match(ROUTE_GET, "/healthz", &m), 0);
	assert_int_equal(m.index, 0);
	assert_int_equal(m.nparams, 0);
	assert_int_equal(match(ROUTE_POST, "/api/v1/login", &m), 0);
	assert_int_equal(m.index, 6);

	/* Twin: prefixes, extensions and other case are other paths. */
	expect_notfound("/healthzz");
	expect_notfound("/health");
	expect_notfound("/Healthz");
	expect_notfound("/healthz/x");
	expect_notfound("healthz");
	expect_notfound("");
	expect_notfound("/");
	expect_notfound("/api/v1/login?x=1");
}

/* router-1.2: {param} captures one whole segment. */
static void
test_params(void **state)
{
	struct route_match m;

	assert_int_equal(match(ROUTE_DELETE, "/api/v1/tokens/abc123", &m), 0);
	assert_int_equal(m.index, 3);
	assert_int_equal(m.nparams, 1);
	assert_string_equal(m.params[0], "abc123");

	assert_int_equal(
	    match(ROUTE_PATCH, "/api/v1/clients/c1/contacts/k2", &m), 0);
	assert_int_equal(m.index, 5);
	assert_int_equal(m.nparams, 2);
	assert_string_equal(m.params[0], "c1");
	assert_string_equal(m.params[1], "k2");

	/* A parameter takes any bytes but '/', percent signs included. */
	assert_int_equal(match(ROUTE_DELETE, "/api/v1/tokens/a%2Fb.c", &m), 0);
	assert_string_equal(m.params[0], "a%2Fb.c");

	/* Twin: a parameter never spans two segments. */
	expect_notfound("/api/v1/tokens/abc/extra");
	expect_notfound("/api/v1/clients/c1/contacts");
	expect_notfound("/api/v1/clients/c1/x/contacts/k2");
}

/* router-1.3: a trailing slash makes a different path. */
static void
test_trailing_slash(void **state)
{
	struct route_match m;

	assert_int_equal(match(ROUTE_GET, "/api/v1/tokens", &m), 0);

	/* Twin. */
	expect_notfound("/healthz/");
	expect_notfound("/api/v1/tokens/abc/");
	/* "/api/v1/tokens/" is not "/api/v1/tokens" nor tokens/{id} = "". */
	expect_notfound("/api/v1/tokens/");
}

/* router-1.4: an empty segment never fills a {param}. */
static void
test_empty_segment(void **state)
{
	struct route_match m;

	assert_int_equal(
	    match(ROUTE_GET, "/api/v1/clients/a/contacts/b", &m), 0);

	/* Twin. */
	expect_notfound("/api/v1/clients//contacts/b");
	expect_notfound("/api/v1/clients/a/contacts/");
	expect_notfound("//healthz");
	expect_notfound("/api//v1/tokens");
}

/* router-1.5: a known path under another method is 405 with the methods. */
static void
test_method_not_allowed(void **state)
{
	struct route_match m;

	assert_int_equal(match(ROUTE_PUT, "/api/v1/tokens", &m), CORE_E_METHOD);
	assert_int_equal(m.index, -1);
	assert_int_equal(m.allowed, ROUTE_GET | ROUTE_POST);

	assert_int_equal(
	    match(ROUTE_GET, "/api/v1/tokens/x", &m), CORE_E_METHOD);
	assert_int_equal(m.allowed, ROUTE_DELETE);

	assert_int_equal(
	    match(ROUTE_OPTIONS, "/api/v1/clients/a/contacts/b", &m),
	    CORE_E_METHOD);
	assert_int_equal(m.allowed, ROUTE_GET | ROUTE_PATCH);

	assert_int_equal(match(ROUTE_GET, "/api/v1/login", &m), CORE_E_METHOD);
	assert_int_equal(m.allowed, ROUTE_POST);

	/* Twin: an unknown path is 404 with no methods at all. */
	assert_int_equal(
	    match(ROUTE_PUT, "/api/v1/nothing", &m), CORE_E_NOTFOUND);
	assert_int_equal(m.allowed, 0);
}

/* router-1.6: HEAD is served by the GET route of a path. */
static void
test_head(void **state)
{
	struct route_match m;

	assert_int_equal(match(ROUTE_HEAD, "/healthz", &m), 0);
	assert_int_equal(m.index, 0);
	assert_int_equal(match(ROUTE_HEAD, "/api/v1/tokens", &m), 0);
	assert_int_equal(m.index, 1);
	assert_int_equal(
	    match(ROUTE_HEAD, "/api/v1/clients/a/contacts/b", &m), 0);
	assert_string_equal(m.params[1], "b");

	/* Twin: no GET route, no HEAD. */
	assert_int_equal(
	    match(ROUTE_HEAD, "/api/v1/tokens/x", &m), CORE_E_METHOD);
	assert_int_equal(m.allowed, ROUTE_DELETE);
	assert_int_equal(match(ROUTE_HEAD, "/api/v1/login", &m), CORE_E_METHOD);
}

/* A caller's table: struct route_def first, then its own fields. */
struct big_route {
	struct route_def def;
	int		 handler;
	const char	*name;
	double		 weight;
	char		 pad[37];
};

static const struct big_route big[] = {
	{ { ROUTE_GET, "/a" }, 10, "a", 1.0, "" },
	{ { ROUTE_GET, "/b/{x}" }, 11, "b", 2.0, "" },
	{ { ROUTE_POST, "/b/{x}" }, 12, "b-post", 3.0, "" },
	{ { ROUTE_DELETE, "/c" }, 13, "c", 4.0, "" },
};

/* router-1.7: the stride lets a bigger struct embed route_def first. */
static void
test_stride(void **state)
{
	struct route_match m;

	assert_int_equal(router_match(big, CORE_ARRAY_LEN(big), sizeof(big[0]),
			     ROUTE_POST, "/b/7", &m),
	    0);
	assert_int_equal(m.index, 2);
	assert_int_equal(big[m.index].handler, 12);
	assert_string_equal(m.params[0], "7");
	assert_int_equal(router_match(big, CORE_ARRAY_LEN(big), sizeof(big[0]),
			     ROUTE_DELETE, "/c", &m),
	    0);
	assert_int_equal(big[m.index].handler, 13);

	/* Twin: a path that is not in the table, and a wrong method. */
	assert_int_equal(router_match(big, CORE_ARRAY_LEN(big), sizeof(big[0]),
			     ROUTE_GET, "/d", &m),
	    CORE_E_NOTFOUND);
	assert_int_equal(router_match(big, CORE_ARRAY_LEN(big), sizeof(big[0]),
			     ROUTE_GET, "/c", &m),
	    CORE_E_METHOD);
	assert_int_equal(m.allowed, ROUTE_DELETE);
	/* An empty table knows no path. */
	assert_int_equal(
	    router_match(big, 0, sizeof(big[0]), ROUTE_GET, "/a", &m),
	    CORE_E_NOTFOUND);
}

/* router-1.8: a parameter must fit ROUTE_PARAM_LEN with its NUL. */
static void
test_param_length(void **state)
{
	struct route_match m;
	char		   path[128];
	size_t		   off;

	off = strlen("/api/v1/tokens/");
	memcpy(path, "/api/v1/tokens/", off);
	memset(path + off, 'x', ROUTE_PARAM_LEN - 1);
	path[off + ROUTE_PARAM_LEN - 1] = '\0';
	assert_int_equal(match(ROUTE_DELETE, path, &m), 0);
	assert_int_equal(strlen(m.params[0]), ROUTE_PARAM_LEN - 1);

	/* Twin: one more byte and the path is not matched (404). */
	path[off + ROUTE_PARAM_LEN - 1] = 'x';
	path[off + ROUTE_PARAM_LEN] = '\0';
	assert_int_equal(match(ROUTE_DELETE, path, &m), CORE_E_NOTFOUND);
}

/* router-1.9: up to ROUTE_MAX_PARAMS placeholders are captured. */
static void
test_max_params(void **state)
{
	static const struct route_def four[] = {
		{ ROUTE_GET, "/{a}/{b}/{c}/{d}" },
	};
	static const struct route_def five[] = {
		{ ROUTE_GET, "/{a}/{b}/{c}/{d}/{e}" },
	};
	struct route_match m;

	assert_int_equal(
	    router_match(four, 1, sizeof(four[0]), ROUTE_GET, "/1/2/3/4", &m),
	    0);
	assert_int_equal(m.nparams, 4);
	assert_string_equal(m.params[3], "4");

	/* Twin: a fifth placeholder cannot be captured, so never matches. */
	assert_int_equal(
	    router_match(five, 1, sizeof(five[0]), ROUTE_GET, "/1/2/3/4/5", &m),
	    CORE_E_NOTFOUND);
}

/* router-1.10: of two matching routes, the first in the table wins. */
static void
test_first_wins(void **state)
{
	static const struct route_def t[] = {
		{ ROUTE_GET, "/x/{id}/y" },
		{ ROUTE_GET, "/x/me" },
		{ ROUTE_GET, "/x/{id}" },
	};
	struct route_match m;

	assert_int_equal(
	    router_match(t, 3, sizeof(t[0]), ROUTE_GET, "/x/me", &m), 0);
	assert_int_equal(m.index, 1);
	assert_int_equal(m.nparams, 0);

	/* Twin: a route that failed half-way leaves no captured params. */
	assert_int_equal(
	    router_match(t, 3, sizeof(t[0]), ROUTE_GET, "/x/7", &m), 0);
	assert_int_equal(m.index, 2);
	assert_int_equal(m.nparams, 1);
	assert_string_equal(m.params[0], "7");
}

/* router-2.1: the Allow header lists methods in a fixed order. */
static void
test_allow_header(void **state)
{
	char buf[128];

	router_allow_header(ROUTE_GET | ROUTE_POST, buf, sizeof(buf));
	assert_string_equal(buf, "GET, HEAD, POST, OPTIONS");
	router_allow_header(ROUTE_DELETE, buf, sizeof(buf));
	assert_string_equal(buf, "DELETE, OPTIONS");
	router_allow_header(
	    ROUTE_PATCH | ROUTE_GET | ROUTE_PUT, buf, sizeof(buf));
	assert_string_equal(buf, "GET, HEAD, PUT, PATCH, OPTIONS");
	router_allow_header(0x7f, buf, sizeof(buf));
	assert_string_equal(
	    buf, "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");

	/* Twin: no methods still allows OPTIONS; HEAD alone is not GET. */
	router_allow_header(0, buf, sizeof(buf));
	assert_string_equal(buf, "OPTIONS");
	router_allow_header(ROUTE_HEAD, buf, sizeof(buf));
	assert_string_equal(buf, "HEAD, OPTIONS");
}

/*
 * router-2.2: a short buffer holds whole method names only. Regression:
 * the header was cut inside a name ("GET, HEAD, PO").
 */
static void
test_allow_header_short(void **state)
{
	char buf[16];

	/* "GET, HEAD, POST" is 15 bytes: it fits exactly. */
	router_allow_header(ROUTE_GET | ROUTE_POST, buf, sizeof(buf));
	assert_string_equal(buf, "GET, HEAD, POST");

	/* Twin: "GET, HEAD, PO" would be a lie; stop after a whole name. */
	router_allow_header(ROUTE_GET | ROUTE_POST, buf, 14);
	assert_string_equal(buf, "GET, HEAD");
	router_allow_header(ROUTE_GET, buf, 2);
	assert_string_equal(buf, "");
}

/* router-2.3: method names for single bits, "?" for anything else. */
static void
test_method_name(void **state)
{
	assert_string_equal(router_method_name(ROUTE_GET), "GET");
	assert_string_equal(router_method_name(ROUTE_HEAD), "HEAD");
	assert_string_equal(router_method_name(ROUTE_DELETE), "DELETE");
	assert_string_equal(router_method_name(ROUTE_OPTIONS), "OPTIONS");

	/* Twin. */
	assert_string_equal(router_method_name(0), "?");
	assert_string_equal(router_method_name(ROUTE_GET | ROUTE_POST), "?");
	assert_string_equal(router_method_name(0x80), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_trailing_slash),
		cmocka_unit_test(test_empty_segment),
		cmocka_unit_test(test_method_not_allowed),
		cmocka_unit_test(test_head),
		cmocka_unit_test(test_stride),
		cmocka_unit_test(test_param_length),
		cmocka_unit_test(test_max_params),
		cmocka_unit_test(test_first_wins),
		cmocka_unit_test(test_allow_header),
		cmocka_unit_test(test_allow_header_short),
		cmocka_unit_test(test_method_name),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
