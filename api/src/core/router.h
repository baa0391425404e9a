/*
 * Matching a method and path against a table of patterns (core/router.c).
 */
#ifndef CLIENTD_CORE_ROUTER_H
#define CLIENTD_CORE_ROUTER_H

#include <stddef.h>

#define ROUTE_GET     0x01
#define ROUTE_POST    0x02
#define ROUTE_PUT     0x04
#define ROUTE_PATCH   0x08
#define ROUTE_DELETE  0x10
#define ROUTE_HEAD    0x20
#define ROUTE_OPTIONS 0x40

#define ROUTE_MAX_PARAMS 4
#define ROUTE_PARAM_LEN	 64

struct route_def {
	unsigned int method;
	const char  *pattern; /* "/api/v1/tokens/{id}" */
};

struct route_match {
	int	     index;
	size_t	     nparams;
	char	     params[ROUTE_MAX_PARAMS][ROUTE_PARAM_LEN];
	unsigned int allowed; /* methods for the path, on CORE_E_METHOD */
};

/*
 * Finds the route for method and path in defs (stride bytes apart, so the
 * caller's table may embed struct route_def first). Returns 0 and fills m,
 * CORE_E_NOTFOUND when no pattern matches the path, or CORE_E_METHOD with
 * m->allowed set when the path matches under other methods only.
 */
int router_match(const void *, size_t, size_t, unsigned int, const char *,
    struct route_match *);
const char *router_method_name(unsigned int);
void	    router_allow_header(unsigned int, char *, size_t);

#endif
