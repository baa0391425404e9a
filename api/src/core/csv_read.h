/*
 * Reading CSV (core/csv_read.c): RFC 4180 records from UTF-8 text fed in
 * pieces of any size, through libcsv, with caps on the size of a field, a
 * line and a record and on the number of columns, and with the row and
 * line every record starts on; and the sniffing of a file's delimiter and
 * header row from its first bytes.
 */
#ifndef CLIENTD_CORE_CSV_READ_H
#define CLIENTD_CORE_CSV_READ_H

#include <stddef.h>

#include <csv.h>

#include "core/cbuf.h"

#define CSV_READ_FIELD_MAX ((size_t)64 * 1024)
#define CSV_READ_RECORD_MAX \
	((size_t)1024 * 1024) /* bytes of a line or a record */
#define CSV_READ_COLUMNS_MAX 1000
#define CSV_READ_STOPPED     1 /* the record callback asked to stop */

struct csv_read_field {
	const char *s; /* NUL-terminated */
	size_t	    len;
};

struct csv_read_record {
	const struct csv_read_field *fields;
	size_t			     n;
	unsigned long		     row;  /* spreadsheet row: records and
						      blank lines, from 1 */
	unsigned long		     line; /* the text line it starts on */
};

/* Where and why reading stopped on a bad file. */
struct csv_read_error {
	unsigned long row;
	unsigned long line;
	unsigned long column; /* from 1; 0 when none applies */
	char	      message[200];
	char	      hint[240];
};

/* 0 to go on; anything else stops the reader (CSV_READ_STOPPED). */
typedef int (*csv_read_cb)(const struct csv_read_record *, void *);

struct csv_read {
	struct csv_parser      p;
	csv_read_cb	       cb;
	void		      *arg;
	char		       delim;
	size_t		       max_field;
	size_t		       max_record;
	size_t		       max_columns;
	struct cbuf	       buf; /* the record's fields, each NUL-ended */
	size_t		      *offs;
	size_t		      *lens;
	struct csv_read_field *fields;
	size_t		       nf;
	size_t		       capf;
	unsigned long	       line; /* the line being fed */
	unsigned long	       row;  /* the last row counted */
	unsigned long	       rec_line;
	unsigned long	       rec_row;
	size_t		       line_len;
	size_t		       rec_len;
	int		       at_line_start;
	int		       between; /* no record is open */
	int		       pending_cr;
	int		       status; /* 0, CSV_READ_STOPPED, CORE_E_* */
	struct csv_read_error  err;
};

/*
 * Starts a reader of records separated by delim (',' ';' '\t' '|') that
 * calls cb with each record; the caps are the CSV_READ_*_MAX defaults
 * (the fields of struct csv_read may lower them before the first feed).
 */
void csv_read_init(struct csv_read *, char, csv_read_cb, void *);
/*
 * Reads len more bytes of UTF-8 text. Returns 0, CSV_READ_STOPPED, or
 * CORE_E_INVALID (bad quoting, a NUL byte) or CORE_E_TOOBIG (a cap) with
 * r->err saying what and where; once not 0, it stays so.
 */
int csv_read_feed(struct csv_read *, const char *, size_t);
/* The end of the text: the last record, or the error of an open quote. */
int  csv_read_finish(struct csv_read *);
void csv_read_cleanup(struct csv_read *);

/* What the first bytes of a file say about its layout. */
struct csv_sniff {
	char	      delim;
	size_t	      columns;	  /* of the widest usual record */
	unsigned long header_row; /* 0: the file has no header row */
	unsigned long first_row;  /* the first data row */
};

/*
 * Guesses the delimiter (the one of , ; tab | that splits the most
 * records into the same number of cells) and the header row (the first
 * record that wide with most cells filled, after any title lines; none
 * when it looks like data: an email address, or mostly numbers) from the
 * first len bytes of a file; whole says that they are all of it (else
 * the last, maybe cut, record is left out).
 */
void	    csv_read_sniff(const char *, size_t, int, struct csv_sniff *);
const char *csv_read_delim_name(char);

#endif
