/*
 * The API's one error envelope (core/api_error.c): an error kind gives the
 * HTTP status and the stable code; message, detail, hint and field follow
 * PostgreSQL's error message style; a 422 lists every field error.
 */
#ifndef CLIENTD_CORE_API_ERROR_H
#define CLIENTD_CORE_API_ERROR_H

#include <stdarg.h>
#include <stddef.h>

#include <jansson.h>

enum api_error_kind {
	API_ERR_BAD_REQUEST,
	API_ERR_INVALID_JSON,
	API_ERR_INVALID_UTF8,
	API_ERR_VALIDATION,
	API_ERR_UNAUTHORIZED,
	API_ERR_CSRF,
	API_ERR_FORBIDDEN,
	API_ERR_NOT_FOUND,
	API_ERR_ROUTE_NOT_FOUND,
	API_ERR_METHOD,
	API_ERR_CONFLICT,
	API_ERR_PRECONDITION,
	API_ERR_TOO_LARGE,
	API_ERR_MEDIA_TYPE,
	API_ERR_THROTTLED,
	API_ERR_INTERNAL,
	API_ERR_UNAVAILABLE,
	API_ERR_PRECONDITION_REQUIRED,
	API_ERR_GONE,
	API_ERR_RANGE,
	API_ERR__COUNT
};

struct api_error_def {
	enum api_error_kind kind;
	int		    status;
	const char	   *code;
	const char	   *message;
};

/*
 * One error response. message, detail, hint and field are copied in;
 * errors (field errors for 422) is an owned JSON array or NULL.
 */
struct api_error {
	int	    status;
	const char *code;
	char	    message[256];
	char	    detail[512];
	char	    hint[512];
	char	    field[128];
	json_t	   *errors;
};

const struct api_error_def *api_error_def(enum api_error_kind);
void api_error_init(struct api_error *, enum api_error_kind);
void api_error_cleanup(struct api_error *);
void api_error_setf(struct api_error *, enum api_error_kind, const char *, ...)
    __attribute__((format(printf, 3, 4)));
void api_error_vsetf(struct api_error *, enum api_error_kind, const char *,
    va_list) __attribute__((format(printf, 3, 0)));
void api_error_detail(struct api_error *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
void api_error_hint(struct api_error *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
void  api_error_field(struct api_error *, const char *);
void  api_error_add_field(struct api_error *, const char *, const char *,
     const char *, ...) __attribute__((format(printf, 4, 5)));
char *api_error_json(const struct api_error *, const char *, size_t *);

#endif
