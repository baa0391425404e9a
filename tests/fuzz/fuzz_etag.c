/* If-Match values: any header reads as no condition, a version, or none. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/etag.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char *s;
	long  v;

	s = fuzz_string(data, len);
	etag_if_match(s, &v);
	if (v < -1)
		abort();
	free(s);
	return (0);
}
