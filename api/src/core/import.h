/*
 * Importing clients from CSV, the parts without a database (core/import.c):
 * what a column can be mapped onto, the suggested mapping from header
 * names, the options, the values as a file writes them (amounts with
 * currency signs and thousands separators, countries by name, yes/no,
 * "Net 30"), and the rows of a file turned into the JSON a client is
 * created or updated with, checked by the API's own rules
 * (clients_validate(), settings_validate_patch()) with every problem
 * pinned to its row and column.
 */
#ifndef CLIENTD_CORE_IMPORT_H
#define CLIENTD_CORE_IMPORT_H

#include <stddef.h>

#include <jansson.h>

#include "core/api_error.h"
#include "core/contacts.h"
#include "core/csv_read.h"
#include "core/settings.h"

#define IMPORT_FILE_MAX	      (100L * 1024 * 1024)
#define IMPORT_ROWS_MAX	      1000000
#define IMPORT_CONTACTS_MAX   CONTACTS_MAX
#define IMPORT_FIELD_NAME_MAX 48
#define IMPORT_KEY_MAX	      256
#define IMPORT_AMOUNT_MAX     40
#define IMPORT_GROUP_BYTES    ((size_t)256 * 1024) /* cells of one client's rows */

/* ---- fields ------------------------------------------------------------- */

enum import_kind {
	IMPORT_NONE,
	IMPORT_CLIENT,	 /* a field of the client itself */
	IMPORT_ADDRESS,	 /* address.<key> */
	IMPORT_SHIPPING, /* shipping_address.<key> */
	IMPORT_CONTACT,	 /* contact<n>.<key> */
	IMPORT_SETTING,	 /* settings.<key> */
	IMPORT_GROUP,	 /* group, by name */
	IMPORT_BALANCE	 /* opening_balance */
};

/* What one column is mapped onto. */
struct import_target {
	enum import_kind	  kind;
	const char		 *key;	   /* the JSON key (static) */
	unsigned int		  contact; /* IMPORT_CONTACT: 1..max */
	const struct setting_def *setting;
};

/*
 * A field name ("name", "address.city", "contact2.email",
 * "settings.currency", "group", "opening_balance") as a target. Returns 0,
 * or CORE_E_NOTFOUND.
 */
int  import_target_parse(const char *, struct import_target *);
void import_target_name(const struct import_target *, char *, size_t);
/* Every field, with its label and section, for the mapping screen. */
json_t *import_fields_json(void);

/* ---- suggestions ----------------------------------------------------------- */

/* A header as suggestions compare it: lower-case letters and digits. */
void import_header_norm(const char *, char *, size_t);
/*
 * The suggested field of each of n headers into out[i] ("" for none):
 * synonyms of every field, including the column names of clientd's own
 * export and of the client exports of Invoice Ninja (v4, v5), Zoho
 * Invoice, Wave, FreshBooks and Invoicely. No field is suggested twice; a
 * repeated contact field goes to the next contact.
 */
void import_suggest(
    const char *const *, size_t, char (*)[IMPORT_FIELD_NAME_MAX]);
/* The hex SHA-256 of the normalised headers: templates match on it. */
void import_header_key(const char *const *, size_t, char[65]);

/* ---- options and mapping ------------------------------------------------------ */

enum import_match {
	IMPORT_MATCH_NUMBER,
	IMPORT_MATCH_ID_NUMBER,
	IMPORT_MATCH_EMAIL,
	IMPORT_MATCH_NAME
};
enum import_action { IMPORT_SKIP, IMPORT_UPDATE, IMPORT_CREATE };
enum import_mode { IMPORT_ALL_OR_NOTHING, IMPORT_VALID_ROWS };

struct import_options {
	enum import_match  match;
	enum import_action action;
	enum import_mode   mode;
	int		   create_groups;
	int		   group_rows; /* consecutive rows of one client */
	char		   decimal;    /* '.', ',' or 0 (by column) */
};

void import_options_default(struct import_options *);
/* Reads options (an object, or NULL for the defaults); field errors are
 * named "options.<key>". Returns 0, or CORE_E_INVALID. */
int import_options_parse(json_t *, struct import_options *, struct api_error *);
json_t	   *import_options_json(const struct import_options *);
const char *import_match_name(enum import_match);

struct import_mapping {
	size_t		      ncols;
	struct import_target *cols;
	char		     *decimal; /* per column: '.', ',' or 0 */
};

/*
 * Reads a mapping: an array with one field name or null per column of
 * the file. Field errors: "mapping[i]" (unknown field, a field mapped
 * twice), "mapping" (wrong length), "options.match_key" (the key's field
 * is not mapped). decimals (may be NULL) is the file's per-column decimal
 * separator (".", "," or null). Returns 0, or CORE_E_INVALID.
 */
int  import_mapping_parse(json_t *, size_t, json_t *,
     const struct import_options *, struct import_mapping *, struct api_error *);
void import_mapping_cleanup(struct import_mapping *);

/* ---- values --------------------------------------------------------------------- */

/*
 * An amount as files write it ("$-1,142.85", "1.142,85 €", "(42.00)",
 * "CHF 1'000", "−5") as an exact decimal ("-1142.85") in out. decimal is
 * the decimal separator ('.' or ','), or 0 to decide from the value alone
 * (both present: the last; one of them twice: a thousands separator;
 * once: the decimal point, unless followed by exactly three digits with
 * the other one nowhere, when '.' is a decimal point and ',' thousands).
 * Returns 0, or CORE_E_INVALID with why in reason.
 */
int import_amount_parse(const char *, char, char *, size_t, char *, size_t);

/* Evidence of a column's decimal separator, value by value. */
struct import_decimal_stats {
	unsigned long dot;
	unsigned long comma;
};
void import_decimal_sniff(struct import_decimal_stats *, const char *);
char import_decimal_guess(const struct import_decimal_stats *);

/* yes/no, true/false, 1/0, y/n, x/"": 1, 0, or -1 when neither. */
int import_bool_parse(const char *);

/*
 * A cell as a spreadsheet would show it: the apostrophe clientd's export
 * puts before text that starts like a formula is removed.
 */
const char *import_cell_text(const char *);

/* ---- rows ------------------------------------------------------------------------ */

/* A row's place in the file. */
struct import_rowpos {
	unsigned long row;
	unsigned long line;
};

/*
 * One client's rows: a single row, or consecutive rows of the same
 * client (same number, else id number, else name; no other client field
 * disagreeing) when options.group_rows, each adding its contacts.
 */
struct import_group {
	const struct import_mapping *map;
	const struct import_options *opt;
	size_t			     nrows;
	struct import_rowpos	     pos[IMPORT_CONTACTS_MAX];
	json_t			    *cells; /* array of arrays of strings */
	size_t			     bytes;
	char			     identity[IMPORT_KEY_MAX];
	json_t			    *body;     /* the client's JSON */
	json_t			    *settings; /* settings patch, or NULL */
	char			     group_name[256];
	char			     opening[IMPORT_AMOUNT_MAX];
	size_t			     ncontacts;
	struct {
		size_t	     row;  /* in the group */
		unsigned int slot; /* contact<slot> columns */
	} contact_src[IMPORT_CONTACTS_MAX];
	json_t *errors; /* [{row, line, column, field, value, code, message}] */
};

void import_group_init(struct import_group *, const struct import_mapping *,
    const struct import_options *);
void import_group_cleanup(struct import_group *);
/* The group emptied for its next client. */
void import_group_reset(struct import_group *);
/*
 * Adds a data row. Returns 0, or 1 when the row is another client's (the
 * caller finishes this group and starts the next with the row).
 */
int import_group_add(struct import_group *, const struct csv_read_record *);
/*
 * Converts and checks the group's values by the API's rules; every
 * problem goes to g->errors with its row and column. Returns the number
 * of errors (0: the group may go to SQL).
 */
int import_group_check(struct import_group *);
/*
 * Pins a problem with field (as the API or SQL names it: "name",
 * "address.country", "contacts[1].email", "settings.currency", "group",
 * "opening_balance"; NULL or unknown: the row itself) to its row and
 * column and adds it to g->errors.
 */
void import_group_error(
    struct import_group *, const char *, const char *, const char *);
/* The match key's value ("" when the row has none). */
void import_group_key(const struct import_group *, char *, size_t);
/* The file's cells of row i of the group, and the header names. */
json_t *import_group_row_cells(const struct import_group *, size_t);

#endif
