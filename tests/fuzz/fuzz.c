/* Helpers shared by the fuzz targets (fuzz.h). */
#include <string.h>

#include "core/mem.h"
#include "fuzz.h"

char *
fuzz_string(const uint8_t *data, size_t len)
{
	return (
	    mem_strndup((const char *)data, strnlen((const char *)data, len)));
}
