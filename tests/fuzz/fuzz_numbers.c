/*
 * Client number patterns: checked as a setting, then expanded into the
 * template SQL fills with the counter. A pattern that passes the check
 * must expand (or say it is too long), never overrun.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/api_error.h"
#include "core/numbers.h"
#include "core/validate.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct api_error   err;
	struct number_vars vars;
	char		  *s, out[NUMBER_MAX * 4 + 1];

	s = fuzz_string(data, len);
	api_error_init(&err, API_ERR_VALIDATION);
	if (numbers_pattern_check(s, "pattern", &err) == 0) {
		memset(&vars, 0, sizeof(vars));
		vars.now.tm_year = 126;
		vars.now.tm_mon = 11;
		vars.now.tm_mday = 7;
		vars.client_id_number = "ID-1";
		vars.user_id = "0123456789ab";
		(void)numbers_template(s, &vars, out, sizeof(out));
	}
	/* Time zones and languages are pattern-like strings too. */
	(void)validate_timezone(s);
	(void)validate_language(s);
	(void)validate_currency(s);
	api_error_cleanup(&err);
	free(s);
	return (0);
}
