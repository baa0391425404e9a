/*
 * The route table matcher. Routes are data (core/routes.c); this finds
 * the one for a request, captures its {param} segments, and tells a path
 * that exists under other methods (405, with Allow) from one that does not
 * exist at all (404). Patterns are literal segments and whole-segment
 * {name} placeholders; a placeholder never matches an empty segment.
 */
#include <stdio.h>
#include <string.h>

#include "core/core.h"
#include "core/router.h"

/*
 * Matches path against pattern; on success copies placeholders into m.
 * Returns 1 on a match, 0 otherwise. A trailing slash is not the same path.
 */
static int
pattern_match(const char *pattern, const char *path, struct route_match *m)
{
	const char *p = pattern, *s = path, *end;
	size_t	    len;

	m->nparams = 0;
	while (*p != '\0' && *s != '\0') {
		if (*p == '{') {
			if ((end = strchr(p, '}')) == NULL)
				return (0);
			len = strcspn(s, "/");
			if (len == 0 || len >= ROUTE_PARAM_LEN ||
			    m->nparams == ROUTE_MAX_PARAMS)
				return (0);
			memcpy(m->params[m->nparams], s, len);
			m->params[m->nparams][len] = '\0';
			m->nparams++;
			p = end + 1;
			s += len;
			continue;
		}
		if (*p != *s)
			return (0);
		p++;
		s++;
	}
	return (*p == '\0' && *s == '\0');
}

int
router_match(const void *table, size_t n, size_t stride, unsigned int method,
    const char *path, struct route_match *m)
{
	const struct route_def *r;
	struct route_match	tmp;
	unsigned int		want;
	size_t			i;

	memset(m, 0, sizeof(*m));
	m->index = -1;
	/* HEAD is served by GET routes. */
	want = method == ROUTE_HEAD ? ROUTE_GET : method;

	for (i = 0; i < n; i++) {
		r = (const struct route_def *)(const void *)((const char *)
								 table +
		    i * stride);
		if (!pattern_match(r->pattern, path, &tmp))
			continue;
		m->allowed |= r->method;
		if (r->method == want && m->index == -1) {
			memcpy(m->params, tmp.params, sizeof(m->params));
			m->nparams = tmp.nparams;
			m->index = (int)i;
		}
	}

	if (m->index >= 0)
		return (0);
	if (m->allowed != 0)
		return (CORE_E_METHOD);
	return (CORE_E_NOTFOUND);
}

static const struct {
	unsigned int bit;
	const char  *name;
} method_names[] = {
	{ ROUTE_GET, "GET" },
	{ ROUTE_HEAD, "HEAD" },
	{ ROUTE_POST, "POST" },
	{ ROUTE_PUT, "PUT" },
	{ ROUTE_PATCH, "PATCH" },
	{ ROUTE_DELETE, "DELETE" },
	{ ROUTE_OPTIONS, "OPTIONS" },
};

const char *
router_method_name(unsigned int bit)
{
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(method_names); i++) {
		if (method_names[i].bit == bit)
			return (method_names[i].name);
	}
	return ("?");
}

/*
 * Writes an Allow header value for the method bits (GET implies HEAD).
 * When len is too small, out ends after the last whole method name.
 */
void
router_allow_header(unsigned int allowed, char *out, size_t len)
{
	size_t i, off = 0;
	int    n;

	if (allowed & ROUTE_GET)
		allowed |= ROUTE_HEAD;
	allowed |= ROUTE_OPTIONS;
	out[0] = '\0';
	for (i = 0; i < CORE_ARRAY_LEN(method_names); i++) {
		if (!(allowed & method_names[i].bit))
			continue;
		n = snprintf(out + off, len - off, "%s%s", off ? ", " : "",
		    method_names[i].name);
		if (n < 0 || (size_t)n >= len - off) {
			out[off] = '\0';
			return;
		}
		off += (size_t)n;
	}
}
