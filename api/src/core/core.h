/*
 * clientd core: pure logic shared by the daemon, the CLI and the worker.
 * Nothing here knows Kore or libpq, so the unit tests link it alone.
 *
 * Conventions: functions return 0 or a negative CORE_E_* code; running out
 * of memory is fatal (xmalloc and friends abort), never an error value.
 * Buffers carry their length. Names say who owns what: _init/_cleanup for
 * embedded structs, _alloc/_free for heap ones, _release hands bytes over.
 */
#ifndef CLIENTD_CORE_H
#define CLIENTD_CORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define CORE_E_INVALID		(-1)	/* malformed input */
#define CORE_E_TOOBIG		(-2)	/* a limit was exceeded */
#define CORE_E_NOTFOUND		(-3)
#define CORE_E_METHOD		(-4)	/* path known, method not */
#define CORE_E_CRYPTO		(-5)

#define CORE_ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

/* mem.c */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
void	 core_fatal(const char *, ...)
	    __attribute__((noreturn, format(printf, 1, 2)));

/* A growable byte buffer; data is always NUL-terminated. */
struct cbuf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

void	 cbuf_init(struct cbuf *, size_t);
void	 cbuf_cleanup(struct cbuf *);
void	 cbuf_reset(struct cbuf *);
void	 cbuf_append(struct cbuf *, const void *, size_t);
void	 cbuf_appendstr(struct cbuf *, const char *);
void	 cbuf_appendf(struct cbuf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 cbuf_append_json_string(struct cbuf *, const char *);
void	 cbuf_append_json_min(struct cbuf *, const char *);
char	*cbuf_release(struct cbuf *, size_t *);

/* error.c */
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
	API_ERR__COUNT
};

struct api_error_def {
	enum api_error_kind	 kind;
	int			 status;
	const char		*code;
	const char		*message;
};

/*
 * One error response. message, detail, hint and field are copied in;
 * errors (field errors for 422) is an owned JSON array or NULL.
 */
struct api_error {
	int		 status;
	const char	*code;
	char		 message[256];
	char		 detail[512];
	char		 hint[512];
	char		 field[128];
	json_t		*errors;
};

const struct api_error_def	*api_error_def(enum api_error_kind);
void	 api_error_init(struct api_error *, enum api_error_kind);
void	 api_error_cleanup(struct api_error *);
void	 api_error_setf(struct api_error *, enum api_error_kind,
	    const char *, ...) __attribute__((format(printf, 3, 4)));
void	 api_error_vsetf(struct api_error *, enum api_error_kind,
	    const char *, va_list) __attribute__((format(printf, 3, 0)));
void	 api_error_detail(struct api_error *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 api_error_hint(struct api_error *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 api_error_field(struct api_error *, const char *);
void	 api_error_add_field(struct api_error *, const char *, const char *,
	    const char *, ...) __attribute__((format(printf, 4, 5)));
char	*api_error_json(const struct api_error *, const char *, size_t *);
json_t	*json_string_lossy(const char *);

/* validate.c */
enum field_type {
	FIELD_STRING,
	FIELD_TEXT,		/* a string without a line-length limit */
	FIELD_EMAIL,
	FIELD_BOOL,
	FIELD_INT,
	FIELD_TIMESTAMP,	/* RFC 3339 */
	FIELD_COUNTRY,		/* ISO 3166-1 alpha-2 */
	FIELD_ID,		/* a public id */
	FIELD_ENUM,
	FIELD_DECIMAL,		/* exact decimal as a string */
	FIELD_ARRAY,
	FIELD_OBJECT,
	FIELD_URL
};

#define FIELD_REQUIRED	0x01
#define FIELD_NULLABLE	0x02
#define FIELD_NONEMPTY	0x04

struct field_spec {
	const char		*name;
	enum field_type		 type;
	unsigned int		 flags;
	size_t			 max;		/* characters, or elements */
	const char *const	*values;	/* FIELD_ENUM, NULL-terminated */
	int64_t			 min_int;
	int64_t			 max_int;
};

/*
 * Checks obj against specs: every key must be known, of the right type and
 * within limits; every FIELD_REQUIRED key must be present. Each problem is
 * added to err as a field error named prefix + key (prefix may be NULL).
 * Returns 0 when obj is valid, CORE_E_INVALID otherwise.
 */
int	 validate_object(json_t *, const struct field_spec *, size_t,
	    const char *, struct api_error *);
int	 validate_email(const char *);
int	 validate_timestamp(const char *);
int	 validate_date(const char *);
int	 validate_country(const char *);
int	 validate_decimal(const char *, int, int);
int	 validate_url(const char *);
int	 validate_one_of(const char *, const char *const *);
int	 validate_has_control(const char *, int);
size_t	 utf8_length(const char *);
size_t	 utf8_seq_len(const char *, size_t);
int	 utf8_valid(const char *, size_t);

/* query.c */
#define QS_MAX_PAIRS	32
#define QS_MAX_VALUE	1536

struct qs_pair {
	char	*name;
	char	*value;
};

struct qs {
	size_t		n;
	struct qs_pair	pairs[QS_MAX_PAIRS];
};

void		 qs_init(struct qs *);
void		 qs_cleanup(struct qs *);
int		 qs_parse(struct qs *, const char *, struct api_error *);
const char	*qs_get(const struct qs *, const char *);
size_t		 qs_count(const struct qs *, const char *);
int		 qs_check_allowed(const struct qs *, const char *const *,
		    struct api_error *);
int		 qs_get_int(const struct qs *, const char *, long, long, long,
		    long *, struct api_error *);
int		 url_decode(char *, size_t *);
int		 qs_bad_param(struct api_error *, const char *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
int		 qs_check_single(const struct qs *, const char *const *,
		    struct api_error *);

/* csv.c: writing CSV (RFC 4180) for exports */
#define CSV_TEXT	0x01	/* user text: neutralise spreadsheet formulas */
#define CSV_FIRST	0x02	/* the first cell of a row */

void	 csv_append_cell(struct cbuf *, const char *, unsigned int);
void	 csv_end_row(struct cbuf *);

/* router.c */
#define ROUTE_GET	0x01
#define ROUTE_POST	0x02
#define ROUTE_PUT	0x04
#define ROUTE_PATCH	0x08
#define ROUTE_DELETE	0x10
#define ROUTE_HEAD	0x20
#define ROUTE_OPTIONS	0x40

#define ROUTE_MAX_PARAMS	4
#define ROUTE_PARAM_LEN		64

struct route_def {
	unsigned int	 method;
	const char	*pattern;	/* "/api/v1/tokens/{id}" */
};

struct route_match {
	int		index;
	size_t		nparams;
	char		params[ROUTE_MAX_PARAMS][ROUTE_PARAM_LEN];
	unsigned int	allowed;	/* methods for the path, on CORE_E_METHOD */
};

/*
 * Finds the route for method and path in defs (stride bytes apart, so the
 * caller's table may embed struct route_def first). Returns 0 and fills m,
 * CORE_E_NOTFOUND when no pattern matches the path, or CORE_E_METHOD with
 * m->allowed set when the path matches under other methods only.
 */
int		 router_match(const void *, size_t, size_t, unsigned int,
		    const char *, struct route_match *);
const char	*router_method_name(unsigned int);
void		 router_allow_header(unsigned int, char *, size_t);

/* crypto.c */
#define SHA256_LEN		32
#define TOKEN_PREFIX		"cdt_"
#define TOKEN_LEN		47	/* "cdt_" + 43 base64url characters */
#define TOKEN_SHOWN_PREFIX	12
#define SESSION_TOKEN_LEN	43
#define CSRF_TOKEN_LEN		43
#define PASSWORD_HASH_MAX	128

int	 crypto_init(void);
void	 crypto_random_b64(char *, size_t);
void	 crypto_new_api_token(char [TOKEN_LEN + 1]);
void	 crypto_new_session_token(char [SESSION_TOKEN_LEN + 1]);
void	 crypto_sha256(const void *, size_t, unsigned char [SHA256_LEN]);
void	 crypto_sha256_hex(const void *, size_t, char [SHA256_LEN * 2 + 1]);
void	 crypto_bytea_hex(const unsigned char *, size_t, char *, size_t);
void	 crypto_csrf_token(const char *, char [CSRF_TOKEN_LEN + 1]);
int	 crypto_equal(const char *, const char *);
int	 password_hash(const char *, char [PASSWORD_HASH_MAX]);
int	 password_verify(const char *, const char *);
void	 password_verify_dummy(const char *);
int	 password_acceptable(const char *, struct api_error *);
int	 api_token_well_formed(const char *);

/* httputil.c */
int	 http_cookie_find(const char *, const char *, char *, size_t);
int	 http_content_type_is_json(const char *);
int	 http_bearer_token(const char *, const char **);
int	 http_client_ip(const char *, const char *, const char *, char *,
	    size_t);
int	 http_ip_in_list(const char *, const char *);

/* ids.c */
#define PUBLIC_ID_LEN	12
int	 public_id_valid(const char *);

#endif
