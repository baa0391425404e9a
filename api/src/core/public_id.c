/*
 * Public ids: what the API shows instead of row numbers. They are made by
 * new_public_id() in PostgreSQL (12 characters of Crockford's base32, 60
 * random bits); here they are only recognised, so that a malformed id in
 * a path is a 404 without a database round trip.
 */
#include <string.h>

#include "core/public_id.h"

int
public_id_valid(const char *s)
{
	static const char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
	size_t		  i;

	if (strlen(s) != PUBLIC_ID_LEN)
		return (0);
	for (i = 0; i < PUBLIC_ID_LEN; i++) {
		if (strchr(alphabet, s[i]) == NULL || s[i] == '\0')
			return (0);
	}
	return (1);
}
