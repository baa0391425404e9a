/* Cursors as a client passes them back, for every sort they may name. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/cursor.h"
#include "core/public_id.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const char *const sorts[] = { "created_at", "name", "ledger",
		"activity", "contacts" };
	char  *s, pid[PUBLIC_ID_LEN + 1], value[CURSOR_VALUE_MAX];
	char   again[CURSOR_LEN];
	size_t i;

	static const char *const types[] = { "text", "int", "numeric",
		"timestamptz" };

	s = fuzz_string(data, len);
	/* A decoded value of any type: checked without a crash or a read
	 * past its end, whatever the bytes. */
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		(void)cursor_value_valid(types[i], s);
	for (i = 0; i < sizeof(sorts) / sizeof(sorts[0]); i++) {
		/* What decodes must encode to the same cursor again. */
		if (cursor_decode(s, sorts[i], 1, pid, sizeof(pid), value,
			sizeof(value)) == 0) {
			cursor_encode(
			    sorts[i], 1, pid, value, again, sizeof(again));
			if (cursor_decode(again, sorts[i], 1, pid, sizeof(pid),
				value, sizeof(value)) != 0)
				abort();
		}
	}
	free(s);
	return (0);
}
