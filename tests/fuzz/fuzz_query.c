/*
 * Query strings: parsed, held to a route's allowed names, and read as the
 * client and ledger lists' parameters; the predicates a client list adds
 * are built too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/api_error.h"
#include "core/clients.h"
#include "core/ledger.h"
#include "core/qs.h"
#include "core/stmt.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const allowed[] = { "page", "per_page", "cursor", "q",
	"status", "updated_since", "group", "balance", "sort", "from", "to",
	"kind", "client", NULL };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct api_error   err;
	struct qs	   qs;
	struct client_list cl;
	struct ledger_list ll;
	struct stmt	   st;
	char		  *s;
	long		   n;

	s = fuzz_string(data, len);
	qs_init(&qs);
	api_error_init(&err, API_ERR_BAD_REQUEST);
	if (qs_parse(&qs, s, &err) == 0 &&
	    qs_check_allowed(&qs, allowed, &err) == 0) {
		(void)qs_get_int(&qs, "page", 1, 1000000, 1, &n, &err);
		if (clients_list_parse(&qs, &cl, &err) == 0) {
			stmt_init(&st);
			clients_list_where(&cl, &st);
			(void)stmt_text(&st);
			stmt_cleanup(&st);
		}
		(void)ledger_list_parse(&qs, &ll, &err);
	}
	api_error_cleanup(&err);
	qs_cleanup(&qs);
	free(s);
	return (0);
}
