/*
 * UTF-8: validating sequences, counting code points, and making a JSON
 * string of text that may not be valid UTF-8.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/mem.h"
#include "core/utf8.h"

/*
 * Length of the valid UTF-8 sequence at s (at most len bytes), or 0 if it
 * is not one. Overlong forms, surrogates and code points past U+10FFFF are
 * invalid.
 */
size_t
utf8_seq_len(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t		     n, i;
	uint32_t	     cp;

	if (len == 0)
		return (0);
	if (p[0] < 0x80)
		return (1);
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		cp = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		cp = p[0] & 0x07;
	} else {
		return (0);
	}
	if (len < n)
		return (0);
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return (0);
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return (0);
	return (n);
}

int
utf8_valid(const char *s, size_t len)
{
	size_t i, n;

	for (i = 0; i < len; i += n) {
		if ((n = utf8_seq_len(s + i, len - i)) == 0)
			return (0);
	}
	return (1);
}

/* Code points in the first len bytes of valid UTF-8. */
size_t
utf8_length_n(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len && s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	}
	return (n);
}

/* Code points in a valid UTF-8 string. */
size_t
utf8_length(const char *s)
{
	size_t n;

	for (n = 0; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	}
	return (n);
}
/* A JSON string of s, with any invalid UTF-8 replaced by '?'. */
json_t *
utf8_json_lossy(const char *s)
{
	json_t *j;
	char   *copy;
	size_t	len, i, n;

	if ((j = json_string(s)) != NULL)
		return (j);
	len = strlen(s);
	copy = mem_strdup(s);
	for (i = 0; i < len; i += n) {
		if ((n = utf8_seq_len(copy + i, len - i)) == 0) {
			copy[i] = '?';
			n = 1;
		}
	}
	if ((j = json_string(copy)) == NULL)
		j = json_string("?");
	free(copy);
	return (j);
}
