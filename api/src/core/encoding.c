/*
 * Text encodings of uploaded files: spreadsheets and invoicing tools write
 * CSV as UTF-8 (with or without a byte order mark), as Windows-1252 (Excel
 * on Windows: "CSV (Comma delimited)"), as ISO-8859-1, and sometimes as
 * UTF-16 with a byte order mark (Excel's "Unicode Text"). Detection reads
 * every byte once, as the upload streams past; conversion turns any of
 * them into UTF-8, also streaming.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "core/cbuf.h"
#include "core/core.h"
#include "core/encoding.h"

static const struct {
	enum encoding_kind kind;
	const char	  *name;
} names[] = {
	{ ENCODING_UTF8, "UTF-8" },
	{ ENCODING_UTF8_BOM, "UTF-8 with BOM" },
	{ ENCODING_UTF16LE, "UTF-16LE" },
	{ ENCODING_UTF16BE, "UTF-16BE" },
	{ ENCODING_WINDOWS_1252, "Windows-1252" },
	{ ENCODING_LATIN1, "ISO-8859-1" },
};

/* Windows-1252's 0x80-0x9f; the five it leaves undefined stay C1. */
static const uint16_t cp1252[32] = { 0x20ac, 0x0081, 0x201a, 0x0192, 0x201e,
	0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d,
	0x017d, 0x008f, 0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013,
	0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e,
	0x0178 };

const char *
encoding_name(enum encoding_kind k)
{
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(names); i++) {
		if (names[i].kind == k)
			return (names[i].name);
	}
	return ("?");
}

/* The kind named as encoding_name() names it; 0, or CORE_E_NOTFOUND. */
int
encoding_from_name(const char *s, enum encoding_kind *out)
{
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(names); i++) {
		if (strcasecmp(names[i].name, s) == 0) {
			*out = names[i].kind;
			return (0);
		}
	}
	return (CORE_E_NOTFOUND);
}

/* ---- UTF-8, one byte at a time ------------------------------------------ */

/*
 * Advances a UTF-8 validator by byte b. Returns 0 while the input is
 * valid so far, -1 at the first byte that makes it invalid (overlong
 * forms, surrogates and code points past U+10FFFF included).
 */
static int
utf8_step(unsigned int *need, unsigned int *seq, uint32_t *cp, unsigned char b)
{
	if (*need == 0) {
		if (b < 0x80)
			return (0);
		if (b >= 0xc2 && b <= 0xdf) {
			*need = 1;
			*cp = b & 0x1f;
		} else if (b >= 0xe0 && b <= 0xef) {
			*need = 2;
			*cp = b & 0x0f;
		} else if (b >= 0xf0 && b <= 0xf4) {
			*need = 3;
			*cp = b & 0x07;
		} else {
			return (-1);
		}
		*seq = *need + 1;
		return (0);
	}
	if ((b & 0xc0) != 0x80)
		return (-1);
	*cp = (*cp << 6) | (b & 0x3f);
	/* Overlong and surrogate forms show in the second byte already. */
	if (*need + 1 == *seq) {
		if ((*seq == 3 && *cp < 0x20) || (*seq == 4 && *cp < 0x10) ||
		    (*seq == 3 && *cp >= 0x360 && *cp <= 0x37f) ||
		    (*seq == 4 && *cp > 0x10f))
			return (-1);
	}
	(*need)--;
	return (0);
}

/* ---- detection ----------------------------------------------------------- */

void
encoding_detect_init(struct encoding_detect *d)
{
	memset(d, 0, sizeof(*d));
	d->utf8_ok = 1;
}

void
encoding_detect_feed(struct encoding_detect *d, const void *data, size_t len)
{
	const unsigned char *p = data, *end = p + len;
	size_t		     i;

	for (i = 0; i < len && d->bytes + i < sizeof(d->head); i++)
		d->head[d->bytes + i] = p[i];
	d->bytes += len;
	for (; p < end; p++) {
		/* Runs of ASCII, the bulk of any CSV, cost one test each. */
		if (*p < 0x80 && d->need == 0)
			continue;
		if (*p >= 0x80 && *p <= 0x9f)
			d->has_c1 = 1;
		if (d->utf8_ok && utf8_step(&d->need, &d->seq, &d->cp, *p) != 0)
			d->utf8_ok = 0;
	}
}

enum encoding_kind
encoding_detect_result(const struct encoding_detect *d)
{
	if (d->head[0] == 0xef && d->head[1] == 0xbb && d->head[2] == 0xbf)
		return (ENCODING_UTF8_BOM);
	if (d->head[0] == 0xff && d->head[1] == 0xfe)
		return (ENCODING_UTF16LE);
	if (d->head[0] == 0xfe && d->head[1] == 0xff)
		return (ENCODING_UTF16BE);
	if (d->utf8_ok && d->need == 0)
		return (ENCODING_UTF8);
	return (d->has_c1 ? ENCODING_WINDOWS_1252 : ENCODING_LATIN1);
}

/* ---- conversion ---------------------------------------------------------- */

static void
put_utf8(struct cbuf *out, uint32_t cp)
{
	unsigned char b[4];
	size_t	      n;

	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xc0 | (cp >> 6));
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xe0 | (cp >> 12));
		b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (unsigned char)(0xf0 | (cp >> 18));
		b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	cbuf_append(out, b, n);
}

void
encoding_conv_init(struct encoding_conv *c, enum encoding_kind kind)
{
	memset(c, 0, sizeof(*c));
	c->kind = kind;
}

/*
 * UTF-8 in, UTF-8 out: validated and copied. A sequence cut by the end of
 * the previous read is carried in the validator's state (npend: bytes
 * still expected, pend[0]: its length, high: its code point so far).
 */
static int
conv_utf8(struct encoding_conv *c, const unsigned char *p, size_t len,
    struct cbuf *out)
{
	unsigned int need = (unsigned int)c->npend, seq = c->pend[0];
	uint32_t     cp = c->high;
	size_t	     i;

	for (i = 0; i < len; i++) {
		if (p[i] < 0x80 && need == 0)
			continue;
		if (utf8_step(&need, &seq, &cp, p[i]) != 0) {
			cbuf_append(out, p, i);
			c->bad_offset = c->offset + i;
			return (CORE_E_INVALID);
		}
	}
	cbuf_append(out, p, len);
	c->npend = need;
	c->pend[0] = (unsigned char)seq;
	c->high = cp;
	return (0);
}

static void
conv_single(struct encoding_conv *c, const unsigned char *p, size_t len,
    struct cbuf *out)
{
	size_t i, run = 0;

	for (i = 0; i < len; i++) {
		if (p[i] < 0x80)
			continue;
		cbuf_append(out, p + run, i - run);
		if (c->kind == ENCODING_WINDOWS_1252 && p[i] <= 0x9f)
			put_utf8(out, cp1252[p[i] - 0x80]);
		else
			put_utf8(out, p[i]);
		run = i + 1;
	}
	cbuf_append(out, p + run, len - run);
}

/* One UTF-16 code unit u at input offset off. */
static int
conv_unit(struct encoding_conv *c, uint32_t u, uint64_t off, struct cbuf *out)
{
	if (c->high != 0) {
		if (u < 0xdc00 || u > 0xdfff) {
			c->bad_offset = off;
			return (CORE_E_INVALID);
		}
		put_utf8(
		    out, 0x10000 + ((c->high - 0xd800) << 10) + (u - 0xdc00));
		c->high = 0;
		return (0);
	}
	if (u >= 0xd800 && u <= 0xdbff) {
		c->high = u;
		return (0);
	}
	if (u >= 0xdc00 && u <= 0xdfff) {
		c->bad_offset = off;
		return (CORE_E_INVALID);
	}
	put_utf8(out, u);
	return (0);
}

static int
conv_utf16(struct encoding_conv *c, const unsigned char *p, size_t len,
    struct cbuf *out)
{
	size_t	 i;
	uint32_t u;

	for (i = 0; i < len; i++) {
		c->pend[c->npend++] = p[i];
		if (c->npend < 2)
			continue;
		c->npend = 0;
		if (c->kind == ENCODING_UTF16LE)
			u = (uint32_t)c->pend[0] | ((uint32_t)c->pend[1] << 8);
		else
			u = ((uint32_t)c->pend[0] << 8) | (uint32_t)c->pend[1];
		if (!c->bom_checked) {
			c->bom_checked = 1;
			if (u == 0xfeff)
				continue;
		}
		if (conv_unit(c, u, c->offset + i - 1, out) != 0)
			return (CORE_E_INVALID);
	}
	return (0);
}

/*
 * Converts len bytes of input and appends them to out as UTF-8. Returns 0,
 * or CORE_E_INVALID (c->bad_offset says where); out then holds what was
 * converted before the bad byte.
 */
int
encoding_conv_feed(
    struct encoding_conv *c, const void *data, size_t len, struct cbuf *out)
{
	static const unsigned char bom[3] = { 0xef, 0xbb, 0xbf };
	const unsigned char	  *p = data;
	int			   rc = 0;

	/* A UTF-8 BOM, possibly cut across reads, is dropped. */
	while ((c->kind == ENCODING_UTF8 || c->kind == ENCODING_UTF8_BOM) &&
	    !c->bom_checked && c->offset < sizeof(bom) && len > 0) {
		if (*p != bom[c->offset]) {
			c->bom_checked = 1;
			if (c->offset > 0) {
				/* Not a BOM after all: what was held is data. */
				rc = conv_utf8(c, bom, (size_t)c->offset, out);
				if (rc != 0)
					return (rc);
			}
			break;
		}
		p++;
		len--;
		if (++c->offset == sizeof(bom))
			c->bom_checked = 1;
	}
	switch (c->kind) {
	case ENCODING_UTF8:
	case ENCODING_UTF8_BOM:
		rc = conv_utf8(c, p, len, out);
		break;
	case ENCODING_UTF16LE:
	case ENCODING_UTF16BE:
		rc = conv_utf16(c, p, len, out);
		break;
	default:
		conv_single(c, p, len, out);
		break;
	}
	if (rc == 0)
		c->offset += len;
	return (rc);
}

/* 0 when the input ended on a whole character, else CORE_E_INVALID. */
int
encoding_conv_finish(struct encoding_conv *c)
{
	int cut;

	if (c->kind == ENCODING_UTF8 || c->kind == ENCODING_UTF8_BOM)
		cut = c->npend != 0 || (!c->bom_checked && c->offset > 0);
	else if (c->kind == ENCODING_UTF16LE || c->kind == ENCODING_UTF16BE)
		cut = c->npend != 0 || c->high != 0;
	else
		cut = 0;
	if (cut) {
		c->bad_offset = c->offset;
		return (CORE_E_INVALID);
	}
	return (0);
}

size_t
encoding_utf8_cut(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t		     j, need;

	if (len == 0)
		return (0);
	/* Back over at most three continuation bytes to the last lead. */
	for (j = len - 1; j > 0 && (p[j] & 0xc0) == 0x80 && len - j < 4; j--)
		;
	if (p[j] >= 0xf0)
		need = 4;
	else if (p[j] >= 0xe0)
		need = 3;
	else if (p[j] >= 0xc0)
		need = 2;
	else
		need = 1;
	return (len - j >= need ? len : j);
}
