/*
 * Unit tests for core/api_error.c: the error table and the one envelope every
 * error response uses. The envelope is checked by parsing it with jansson,
 * as a client would, rather than by comparing text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/wait.h>

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/api_error.h"
#include "core/utf8.h"
#include "unit.h"

/*
 * Serialises err and parses it back; returns the root (json_decref it)
 * and points *inner at the "error" object. Checks *len and ASCII output.
 */
static json_t *
envelope(const struct api_error *err, const char *request_id, json_t **inner)
{
	json_error_t jerr;
	json_t	    *root;
	char	    *s;
	size_t	     len, i;

	s = api_error_json(err, request_id, &len);
	assert_non_null(s);
	assert_int_equal(len, strlen(s));
	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] >= 0x80 || (unsigned char)s[i] < 0x20)
			fail_msg("byte 0x%02x in envelope %s",
			    (unsigned char)s[i], s);
	}
	if ((root = json_loads(s, JSON_REJECT_DUPLICATES, &jerr)) == NULL)
		fail_msg("envelope %s is not JSON: %s", s, jerr.text);
	free(s);
	assert_int_equal(json_object_size(root), 1);
	*inner = json_object_get(root, "error");
	assert_true(json_is_object(*inner));
	return (root);
}

static const char *
str(json_t *obj, const char *key)
{
	json_t *v;

	v = json_object_get(obj, key);
	if (!json_is_string(v))
		fail_msg("\"%s\" is not a string", key);
	return (json_string_value(v));
}

static void
assert_json_null(json_t *obj, const char *key)
{
	json_t *v;

	v = json_object_get(obj, key);
	if (v == NULL || !json_is_null(v))
		fail_msg("\"%s\" is missing or not null", key);
}

/* error-1.1: every kind has a status, a unique code and a message. */
static void
test_error_table(void **state)
{
	const struct api_error_def *d, *e;
	int			    k, l;
	const char		   *p;

	for (k = 0; k < API_ERR__COUNT; k++) {
		d = api_error_def((enum api_error_kind)k);
		assert_int_equal(d->kind, k);
		assert_in_range(d->status, 400, 599);
		assert_non_null(d->code);
		assert_non_null(d->message);
		assert_true(d->code[0] != '\0');
		for (p = d->code; *p != '\0'; p++) {
			if (!((*p >= 'a' && *p <= 'z') || *p == '_' ||
				(*p >= '0' && *p <= '9')))
				fail_msg("code %s is not snake_case", d->code);
		}
		/* PostgreSQL style: the primary message is lower case. */
		if (!(d->message[0] >= 'a' && d->message[0] <= 'z'))
			fail_msg(
			    "message \"%s\" is not lower case", d->message);
		for (l = 0; l < k; l++) {
			e = api_error_def((enum api_error_kind)l);
			if (strcmp(d->code, e->code) == 0)
				fail_msg("code %s used twice", d->code);
		}
	}
	assert_int_equal(api_error_def(API_ERR_VALIDATION)->status, 422);
	assert_int_equal(api_error_def(API_ERR_METHOD)->status, 405);
}

static void
def_past_end(void)
{
	(void)api_error_def(API_ERR__COUNT);
}

static void
def_negative(void)
{
	(void)api_error_def((enum api_error_kind) - 1);
}

static void
def_first(void)
{
	(void)api_error_def(API_ERR_BAD_REQUEST);
}

/* error-1.2: a kind outside the table is fatal, not a wild read. */
static void
test_error_def_range(void **state)
{
	assert_true(aborts(def_past_end));
	assert_true(aborts(def_negative));

	/* Twin: a kind inside the table returns normally. */
	assert_false(aborts(def_first));
}

/* error-2.1: a bare error has null detail, hint, field, and no errors. */
static void
test_envelope_minimal(void **state)
{
	struct api_error err;
	json_t		*root, *e;

	api_error_init(&err, API_ERR_NOT_FOUND);
	root = envelope(&err, "req-1", &e);
	assert_int_equal(json_integer_value(json_object_get(e, "status")), 404);
	assert_string_equal(str(e, "code"), "not_found");
	assert_string_equal(str(e, "message"), "resource not found");
	assert_json_null(e, "detail");
	assert_json_null(e, "hint");
	assert_json_null(e, "field");
	assert_null(json_object_get(e, "errors"));
	assert_string_equal(str(e, "request_id"), "req-1");
	json_decref(root);
	api_error_cleanup(&err);

	/* Twin: without a request id, request_id is null, not absent. */
	api_error_init(&err, API_ERR_INTERNAL);
	root = envelope(&err, NULL, &e);
	assert_int_equal(json_integer_value(json_object_get(e, "status")), 500);
	assert_json_null(e, "request_id");
	json_decref(root);
	api_error_cleanup(&err);
}

/* error-2.2: setf, detail, hint and field all reach the envelope. */
static void
test_envelope_full(void **state)
{
	struct api_error err;
	json_t		*root, *e;

	api_error_init(&err, API_ERR_INTERNAL);
	api_error_setf(&err, API_ERR_CONFLICT, "token \"%s\" exists", "ci");
	api_error_detail(&err, "Key (name)=(%s) already exists.", "ci");
	api_error_hint(&err, "Choose another %s.", "name");
	api_error_field(&err, "name");
	root = envelope(&err, "r", &e);
	assert_int_equal(json_integer_value(json_object_get(e, "status")), 409);
	assert_string_equal(str(e, "code"), "conflict");
	assert_string_equal(str(e, "message"), "token \"ci\" exists");
	assert_string_equal(
	    str(e, "detail"), "Key (name)=(ci) already exists.");
	assert_string_equal(str(e, "hint"), "Choose another name.");
	assert_string_equal(str(e, "field"), "name");
	json_decref(root);

	/* Twin: setf starts over; the old detail, hint and field are gone. */
	api_error_setf(&err, API_ERR_BAD_REQUEST, "again");
	root = envelope(&err, "r", &e);
	assert_string_equal(str(e, "code"), "bad_request");
	assert_json_null(e, "detail");
	assert_json_null(e, "hint");
	assert_json_null(e, "field");
	json_decref(root);
	api_error_cleanup(&err);
}

/* error-2.3: field errors make a 422 with a list; the first names it. */
static void
test_envelope_field_errors(void **state)
{
	struct api_error err;
	json_t		*root, *e, *list, *fe;

	api_error_init(&err, API_ERR_BAD_REQUEST);
	api_error_add_field(&err, "email", "invalid_format",
	    "field \"%s\" is not a valid email address", "email");
	api_error_add_field(
	    &err, "name", "required", "field \"%s\" is required", "name");
	assert_int_equal(err.status, 422);

	root = envelope(&err, "r", &e);
	assert_int_equal(json_integer_value(json_object_get(e, "status")), 422);
	assert_string_equal(str(e, "code"), "validation_failed");
	assert_string_equal(str(e, "field"), "email");
	assert_string_equal(
	    str(e, "message"), "field \"email\" is not a valid email address");
	list = json_object_get(e, "errors");
	assert_true(json_is_array(list));
	assert_int_equal(json_array_size(list), 2);
	fe = json_array_get(list, 0);
	assert_int_equal(json_object_size(fe), 3);
	assert_string_equal(str(fe, "field"), "email");
	assert_string_equal(str(fe, "code"), "invalid_format");
	assert_string_equal(
	    str(fe, "message"), "field \"email\" is not a valid email address");
	fe = json_array_get(list, 1);
	assert_string_equal(str(fe, "field"), "name");
	assert_string_equal(str(fe, "code"), "required");
	json_decref(root);

	/* Twin: a later setf drops the list (LeakSanitizer sees no leak). */
	api_error_setf(&err, API_ERR_FORBIDDEN, "permission denied");
	assert_null(err.errors);
	root = envelope(&err, "r", &e);
	assert_null(json_object_get(e, "errors"));
	assert_int_equal(json_integer_value(json_object_get(e, "status")), 403);
	json_decref(root);
	api_error_cleanup(&err);
	api_error_cleanup(&err);
}

/* error-2.4: invalid UTF-8 is replaced by '?', never dropped. */
static void
test_envelope_invalid_utf8(void **state)
{
	struct api_error err;
	json_t		*root, *e, *fe;

	api_error_init(&err, API_ERR_BAD_REQUEST);
	api_error_setf(&err, API_ERR_BAD_REQUEST, "bad \xff byte");
	api_error_detail(&err, "Got \"\xc0\x80\".");
	api_error_hint(&err, "cut \xe2\x82");
	api_error_field(&err, "f\xed\xa0\x80");
	root = envelope(&err, "r", &e);
	assert_string_equal(str(e, "message"), "bad ? byte");
	assert_string_equal(str(e, "detail"), "Got \"??\".");
	assert_string_equal(str(e, "hint"), "cut ??");
	assert_string_equal(str(e, "field"), "f???");
	json_decref(root);

	api_error_init(&err, API_ERR_BAD_REQUEST);
	api_error_add_field(&err, "n\xfe", "invalid_format", "value \"%s\"",
	    "\xf4\x90\x80\x80");
	root = envelope(&err, "r", &e);
	fe = json_array_get(json_object_get(e, "errors"), 0);
	assert_non_null(fe);
	assert_string_equal(str(fe, "field"), "n?");
	assert_string_equal(str(fe, "message"), "value \"????\"");
	json_decref(root);
	api_error_cleanup(&err);

	/* Twin: valid UTF-8 comes through unchanged (escaped as \u). */
	api_error_init(&err, API_ERR_BAD_REQUEST);
	api_error_setf(
	    &err, API_ERR_BAD_REQUEST, "caf\xc3\xa9 \xf0\x9f\x98\x80");
	root = envelope(&err, "r", &e);
	assert_string_equal(str(e, "message"), "caf\xc3\xa9 \xf0\x9f\x98\x80");
	json_decref(root);
	api_error_cleanup(&err);
}

/* error-2.5: a message cut at the buffer's end is still a valid envelope. */
static void
test_envelope_truncation(void **state)
{
	struct api_error err;
	json_t		*root, *e;
	char		 big[1024];
	size_t		 i;

	/*
	 * Two-byte characters fill the buffers, whose last byte is the NUL:
	 * the cut falls inside a character, whose lead byte becomes '?'.
	 */
	memset(big, 0, sizeof(big));
	for (i = 0; i + 2 < sizeof(big); i += 2) {
		big[i] = '\xc3';
		big[i + 1] = '\xa9';
	}
	api_error_init(&err, API_ERR_BAD_REQUEST);
	api_error_setf(&err, API_ERR_BAD_REQUEST, "%s", big);
	api_error_detail(&err, "%s", big);
	assert_int_equal(strlen(err.message), sizeof(err.message) - 1);
	assert_int_equal(strlen(err.detail), sizeof(err.detail) - 1);
	root = envelope(&err, "r", &e);
	assert_int_equal(
	    utf8_length(str(e, "message")), sizeof(err.message) / 2);
	assert_int_equal(str(e, "message")[sizeof(err.message) - 2], '?');
	assert_int_equal(utf8_length(str(e, "detail")), sizeof(err.detail) / 2);
	json_decref(root);

	/* Twin: a message that fits is not cut. */
	api_error_setf(&err, API_ERR_BAD_REQUEST, "%.*s", 255, "short");
	root = envelope(&err, "r", &e);
	assert_string_equal(str(e, "message"), "short");
	json_decref(root);
	api_error_cleanup(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_table),
		cmocka_unit_test(test_error_def_range),
		cmocka_unit_test(test_envelope_minimal),
		cmocka_unit_test(test_envelope_full),
		cmocka_unit_test(test_envelope_field_errors),
		cmocka_unit_test(test_envelope_invalid_utf8),
		cmocka_unit_test(test_envelope_truncation),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
