/*
 * Text encodings of uploaded files (core/encoding.c): which one a file is
 * in, found from its bytes as they stream past, and its conversion to
 * UTF-8, also streaming (a multi-byte sequence may straddle two reads).
 */
#ifndef CLIENTD_CORE_ENCODING_H
#define CLIENTD_CORE_ENCODING_H

#include <stddef.h>
#include <stdint.h>

#include "core/cbuf.h"

enum encoding_kind {
	ENCODING_UTF8,
	ENCODING_UTF8_BOM,
	ENCODING_UTF16LE, /* with a byte order mark only */
	ENCODING_UTF16BE,
	ENCODING_WINDOWS_1252,
	ENCODING_LATIN1
};

/*
 * What the bytes seen so far say. A file is UTF-8 while every sequence
 * is valid (a BOM says so at once); else it is single-byte: Windows-1252
 * when any byte is in 0x80-0x9f (printable there, C1 controls in
 * ISO-8859-1, which nobody types), else ISO-8859-1 (the two agree on every
 * other byte). UTF-16 is recognised by its byte order mark.
 */
struct encoding_detect {
	uint64_t      bytes;
	unsigned char head[3];
	int	      utf8_ok;
	int	      has_c1;
	unsigned int  need; /* continuation bytes still expected */
	uint32_t      cp;   /* the code point being read */
	unsigned int  seq;  /* length of the sequence being read */
};

void encoding_detect_init(struct encoding_detect *);
void encoding_detect_feed(struct encoding_detect *, const void *, size_t);
enum encoding_kind encoding_detect_result(const struct encoding_detect *);
const char	  *encoding_name(enum encoding_kind);
int		   encoding_from_name(const char *, enum encoding_kind *);

/*
 * A streaming conversion to UTF-8. A byte order mark is dropped. Input
 * that the encoding cannot hold (invalid UTF-8, a lone UTF-16 surrogate)
 * stops the conversion: encoding_conv_feed() returns CORE_E_INVALID and
 * conv->bad_offset is the offset of the offending byte in the input.
 */
struct encoding_conv {
	enum encoding_kind kind;
	uint64_t	   offset; /* input bytes consumed */
	uint64_t	   bad_offset;
	unsigned char	   pend[4]; /* a sequence cut by the end of a read */
	size_t		   npend;
	uint32_t	   high; /* a UTF-16 high surrogate waiting */
	int		   bom_checked;
};

void encoding_conv_init(struct encoding_conv *, enum encoding_kind);
int  encoding_conv_feed(
     struct encoding_conv *, const void *, size_t, struct cbuf *);
int encoding_conv_finish(struct encoding_conv *);

/*
 * How many bytes at the start of s[0..len) are whole UTF-8 sequences: a
 * cut point for storing UTF-8 text in pieces (len when nothing is cut).
 */
size_t encoding_utf8_cut(const char *, size_t);

#endif
