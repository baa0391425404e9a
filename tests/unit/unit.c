/* Helpers shared by the unit tests (unit.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/wait.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/api_error.h"
#include "core/cbuf.h"
#include "core/core.h"
#include "unit.h"

int
aborts(void (*fn)(void))
{
	pid_t pid;
	int   status, fd;

	if ((pid = fork()) == -1)
		fail_msg("fork failed");
	if (pid == 0) {
		/* Keep core_fatal's message out of the test report. */
		if ((fd = open("/dev/null", O_WRONLY)) != -1)
			dup2(fd, STDERR_FILENO);
		fn();
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		fail_msg("waitpid failed");
	return (WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
}

char *
repeat(const char *s, size_t n)
{
	struct cbuf b;
	size_t	    i;

	cbuf_init(&b, strlen(s) * n + 1);
	for (i = 0; i < n; i++)
		cbuf_appendstr(&b, s);
	return (cbuf_release(&b, NULL));
}

json_t *
load(const char *text)
{
	json_error_t jerr;
	json_t	    *j;

	if ((j = json_loads(text, JSON_DECODE_ANY, &jerr)) == NULL)
		fail_msg("test input %.80s is not JSON: %s", text, jerr.text);
	return (j);
}

const char *
field_error(const struct api_error *err, size_t i, char *buf, size_t len)
{
	json_t *fe;

	if ((fe = json_array_get(err->errors, i)) == NULL)
		fail_msg("no field error %zu", i);
	snprintf(buf, len, "%s/%s",
	    json_string_value(json_object_get(fe, "field")),
	    json_string_value(json_object_get(fe, "code")));
	return (buf);
}

void
expect_valid(json_t *body, unit_validator fn, const char *what)
{
	struct api_error err;
	char		 buf[256];

	api_error_init(&err, API_ERR_BAD_REQUEST);
	if (fn(body, &err) != 0)
		fail_msg("%.80s rejected: %s", what,
		    field_error(&err, 0, buf, sizeof(buf)));
	assert_null(err.errors);
	assert_int_equal(err.status, 400);
	api_error_cleanup(&err);
	json_decref(body);
}

void
expect_invalid(
    json_t *body, unit_validator fn, const char *want, const char *what)
{
	struct api_error err;
	char		 buf[256];
	size_t		 flen;

	api_error_init(&err, API_ERR_BAD_REQUEST);
	if (fn(body, &err) != CORE_E_INVALID)
		fail_msg("%.80s accepted", what);
	assert_int_equal(err.status, 422);
	assert_string_equal(err.code, "validation_failed");
	if (json_array_size(err.errors) != 1)
		fail_msg("%.80s: %zu field errors, first %s", what,
		    json_array_size(err.errors),
		    field_error(&err, 0, buf, sizeof(buf)));
	if (strcmp(field_error(&err, 0, buf, sizeof(buf)), want) != 0)
		fail_msg("%.80s: got %s, want %s", what, buf, want);
	/* The envelope names the same field as the first field error. */
	flen = strcspn(want, "/");
	if (strlen(err.field) != flen || strncmp(want, err.field, flen) != 0)
		fail_msg("%.80s: envelope names field \"%s\", want %.*s", what,
		    err.field, (int)flen, want);
	api_error_cleanup(&err);
	json_decref(body);
}

json_t *
body_at(const char *path, json_t *v)
{
	const char *dot;
	char	    outer[64];

	if ((dot = strchr(path, '.')) == NULL)
		return (json_pack("{s:o}", path, v));
	snprintf(outer, sizeof(outer), "%.*s", (int)(dot - path), path);
	return (json_pack("{s:{s:o}}", outer, dot + 1, v));
}

json_t *
contact_at(const char *key, json_t *v)
{
	return (json_pack("{s:[{s:o}]}", "contacts", key, v));
}
