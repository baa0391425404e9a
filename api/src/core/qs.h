/*
 * Query strings (core/qs.c): parsed once into name/value pairs, every
 * parameter checked against the route's list, repeated parameters refused
 * where they make no sense.
 */
#ifndef CLIENTD_CORE_QS_H
#define CLIENTD_CORE_QS_H

#include <stddef.h>

#include "core/api_error.h"

#define QS_MAX_PAIRS 32
#define QS_MAX_VALUE 1536

struct qs_pair {
	char *name;
	char *value;
};

struct qs {
	size_t	       n;
	struct qs_pair pairs[QS_MAX_PAIRS];
};

void	    qs_init(struct qs *);
void	    qs_cleanup(struct qs *);
int	    qs_parse(struct qs *, const char *, struct api_error *);
const char *qs_get(const struct qs *, const char *);
size_t	    qs_count(const struct qs *, const char *);
int	    qs_check_allowed(
	    const struct qs *, const char *const *, struct api_error *);
int qs_get_int(const struct qs *, const char *, long, long, long, long *,
    struct api_error *);
int qs_url_decode(char *, size_t *);
int qs_bad_param(struct api_error *, const char *, const char *, ...)
    __attribute__((format(printf, 3, 4)));
int qs_check_single(const struct qs *, const char *const *, struct api_error *);

#endif
