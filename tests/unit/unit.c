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

#include "unit.h"

int
aborts(void (*fn)(void))
{
	pid_t	pid;
	int	status, fd;

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
	struct cbuf	b;
	size_t		i;

	cbuf_init(&b, strlen(s) * n + 1);
	for (i = 0; i < n; i++)
		cbuf_appendstr(&b, s);
	return (cbuf_release(&b, NULL));
}

json_t *
load(const char *text)
{
	json_error_t	 jerr;
	json_t		*j;

	if ((j = json_loads(text, JSON_DECODE_ANY, &jerr)) == NULL)
		fail_msg("test input %.80s is not JSON: %s", text, jerr.text);
	return (j);
}

const char *
field_error(const struct api_error *err, size_t i, char *buf, size_t len)
{
	json_t	*fe;

	if ((fe = json_array_get(err->errors, i)) == NULL)
		fail_msg("no field error %zu", i);
	snprintf(buf, len, "%s/%s",
	    json_string_value(json_object_get(fe, "field")),
	    json_string_value(json_object_get(fe, "code")));
	return (buf);
}
