/*
 * Documents (core/documents.c): what the daemon decides about a file
 * without the database: its stored name, what its first bytes say it is,
 * the type it is served as and whether it may ever be shown inline, the
 * Content-Disposition that names it, and the byte range a request asks for.
 */
#ifndef CLIENTD_CORE_DOCUMENTS_H
#define CLIENTD_CORE_DOCUMENTS_H

#include <stddef.h>
#include <stdint.h>

#define DOCUMENTS_NAME_MAX   255 /* bytes of a stored name */
#define DOCUMENTS_TYPE_MAX   128
#define DOCUMENTS_SNIFF_LEN  512 /* first bytes looked at */
#define DOCUMENTS_HARD_LIMIT ((uint64_t)100 * 1024 * 1024)

/*
 * The name a file is stored under, from an upload's file name: path
 * separators, control characters, quotes and invalid UTF-8 replaced, no
 * leading dots, at most DOCUMENTS_NAME_MAX bytes (cut at a character,
 * keeping a short extension); "file" when nothing is left. out has at
 * least DOCUMENTS_NAME_MAX + 1 bytes.
 */
void documents_name(const char *, size_t, char *);
/*
 * 0 when a name given by PATCH is acceptable as it is (1 to 255 bytes of
 * UTF-8, no control character, no / or \, not "." or ".."), else
 * CORE_E_INVALID (or CORE_E_TOOBIG) with why in msg.
 */
int documents_name_check(const char *, char *, size_t);

/* The media type the first bytes show ("application/octet-stream" else). */
const char *documents_sniff(const unsigned char *, size_t);
/*
 * A declared Content-Type reduced to "type/subtype" in lower case into
 * out (DOCUMENTS_TYPE_MAX bytes); 0, or CORE_E_INVALID when it is not a
 * media type.
 */
int documents_type_normalize(const char *, char *);
/* The type to serve: the declared one when usable, else the sniffed one. */
void documents_type_choose(const char *, const char *, char *);
/* 1 when a document may be shown inline (a preview): images and PDF only. */
int documents_inline_ok(const char *, const char *);

/*
 * Content-Disposition for name (disposition "attachment" or "inline"):
 * an ASCII filename="..." and RFC 6266's filename*=UTF-8''... into out.
 * Returns 0, or CORE_E_TOOBIG when out is too small.
 */
int documents_disposition(const char *, const char *, char *, size_t);

#define DOCUMENTS_RANGE_WHOLE	      0 /* no range, or one to ignore */
#define DOCUMENTS_RANGE_PARTIAL	      1
#define DOCUMENTS_RANGE_UNSATISFIABLE 2
/*
 * A Range header (RFC 9110 bytes=, one range) against a body of size
 * bytes: DOCUMENTS_RANGE_PARTIAL with [*first, *last], or WHOLE (none,
 * several ranges, another unit, malformed), or UNSATISFIABLE.
 */
int documents_range(const char *, uint64_t, uint64_t *, uint64_t *);

#endif
