/*
 * Ledger rules without a database: the kinds of entry and their sign
 * rules, the JSON an entry is posted with, and the list parameters
 * (core/ledger.c). The rules that need stored state
 * (currency precision, the entry order, archived clients) are in
 * sql/functions/ledger.sql, which reads the sign rules from the ledger_kinds
 * table that `clientd migrate` writes from this file's kinds.
 */
#ifndef CLIENTD_CORE_LEDGER_H
#define CLIENTD_CORE_LEDGER_H

#include <jansson.h>

#include "core/api_error.h"
#include "core/public_id.h"
#include "core/qs.h"

enum ledger_sign {
	LEDGER_SIGN_POSITIVE, /* adds to what the client owes */
	LEDGER_SIGN_NEGATIVE, /* takes off what the client owes */
	LEDGER_SIGN_ANY	      /* either, never zero */
};

struct ledger_kind {
	const char	*name;
	enum ledger_sign sign;
	int		 moves_paid; /* paid_to_date moves by -amount */
	int		 postable;   /* through the API */
	const char	*example;    /* a right amount, for messages */
};

/* GET .../ledger parameters, as SQL parameter text ("" = not given). */
struct ledger_list {
	char from[40];	 /* RFC 3339, inclusive */
	char to[40];	 /* RFC 3339, inclusive */
	char kinds[128]; /* "{payment,refund}" */
	char client[PUBLIC_ID_LEN + 1];
};

#define LEDGER_REFERENCE_MAX 200
#define LEDGER_NOTES_MAX     2000

const struct ledger_kind *ledger_kind_find(const char *);
json_t			 *ledger_kinds_json(void);
int			  ledger_amount_sign(const char *);
int ledger_entry_validate(json_t *, int, struct api_error *);
int ledger_list_parse(
    const struct qs *, struct ledger_list *, struct api_error *);

#endif
