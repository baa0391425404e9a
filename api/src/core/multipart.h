/*
 * multipart/form-data (RFC 7578) read as a stream (core/multipart.c): the
 * body is fed in pieces of any size and each part's content is handed on
 * as it arrives, so an upload of any size costs a few kilobytes.
 */
#ifndef CLIENTD_CORE_MULTIPART_H
#define CLIENTD_CORE_MULTIPART_H

#include <stddef.h>
#include <stdint.h>

#define MULTIPART_BOUNDARY_MAX 70 /* RFC 2046 */
#define MULTIPART_HEADERS_MAX  8192
#define MULTIPART_PARTS_MAX    16
#define MULTIPART_NAME_MAX     128
#define MULTIPART_FILENAME_MAX 512

/* A part's headers, as its content begins. */
struct multipart_part {
	char name[MULTIPART_NAME_MAX];	       /* form field name */
	char filename[MULTIPART_FILENAME_MAX]; /* "" when not a file */
	char content_type[128];		       /* "" when not given */
	int  is_file;			       /* a filename was given */
};

/*
 * What the reader calls: begin when a part's headers are read, data with
 * each piece of its content (any size, the part's bytes exactly), end when
 * the part is over. A callback returning non-zero stops the reader
 * (multipart_feed() returns MULTIPART_STOPPED).
 */
struct multipart_cb {
	int (*begin)(const struct multipart_part *, void *);
	int (*data)(const char *, size_t, void *);
	int (*end)(void *);
};

#define MULTIPART_STOPPED 1

enum multipart_state {
	MULTIPART_PREAMBLE,
	MULTIPART_AFTER_BOUNDARY,
	MULTIPART_HEADERS,
	MULTIPART_BODY,
	MULTIPART_DONE
};

struct multipart {
	const struct multipart_cb *cb;
	void			  *arg;
	char		      delim[MULTIPART_BOUNDARY_MAX + 5]; /* CRLF--b */
	size_t		      dlen;
	size_t		      matched; /* of delim, held back */
	enum multipart_state  state;
	char		      after[2]; /* "--" or CRLF after a boundary */
	size_t		      nafter;
	char		      headers[MULTIPART_HEADERS_MAX];
	size_t		      hlen;
	struct multipart_part part;
	unsigned int	      parts;
	uint64_t	      offset; /* body bytes consumed */
	int		      status;
	char		      error[160];
};

/*
 * The boundary of a Content-Type "multipart/form-data; boundary=..."
 * value (quoted or not) into out. Returns 0, or CORE_E_INVALID when the
 * type is another or the boundary is missing or malformed.
 */
int multipart_boundary(const char *, char *, size_t);

void multipart_init(
    struct multipart *, const char *, const struct multipart_cb *, void *);
/*
 * Reads len more bytes of the body. Returns 0, MULTIPART_STOPPED, or
 * CORE_E_INVALID / CORE_E_TOOBIG with m->error saying why; once not 0, it
 * stays so.
 */
int multipart_feed(struct multipart *, const char *, size_t);
/* The end of the body: CORE_E_INVALID unless the closing boundary came. */
int multipart_finish(struct multipart *);

#endif
