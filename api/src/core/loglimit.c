/*
 * Repeated log lines: the first of a kind passes, repeats within the
 * window are counted, the count rides on the next line that passes.
 */
#include <stdio.h>
#include <string.h>

#include "core/loglimit.h"

void
loglimit_init(struct loglimit *l)
{
	memset(l, 0, sizeof(*l));
}

/* FNV-1a of line, never 0 (0 marks a free slot). */
uint64_t
loglimit_key(const char *line)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *line != '\0'; line++) {
		h ^= (unsigned char)*line;
		h *= 1099511628211ULL;
	}
	return (h != 0 ? h : 1);
}

/*
 * The slot of key, or a slot for it: a free one, else the one whose
 * window started longest ago (its count is lost, as the line is rare
 * enough to have been pushed out by 32 others).
 */
static struct loglimit_slot *
slot_for(struct loglimit *l, uint64_t key)
{
	struct loglimit_slot *oldest = &l->slots[0];
	size_t		      i;

	for (i = 0; i < LOGLIMIT_SLOTS; i++) {
		if (l->slots[i].key == key)
			return (&l->slots[i]);
	}
	for (i = 0; i < LOGLIMIT_SLOTS; i++) {
		if (l->slots[i].key == 0)
			return (&l->slots[i]);
		if (l->slots[i].since < oldest->since)
			oldest = &l->slots[i];
	}
	return (oldest);
}

/*
 * Whether line may be written at time now (seconds, any monotonic clock).
 * When it may, *repeated is how many of it were held back since the last
 * one written (to be written with it), and a new window starts.
 */
int
loglimit_pass(
    struct loglimit *l, const char *line, double now, unsigned long *repeated)
{
	uint64_t	      key = loglimit_key(line);
	struct loglimit_slot *s = slot_for(l, key);

	*repeated = 0;
	if (s->key == key && now - s->since < LOGLIMIT_WINDOW) {
		s->suppressed++;
		return (0);
	}
	if (s->key == key)
		*repeated = s->suppressed;
	s->key = key;
	s->since = now;
	s->suppressed = 0;
	snprintf(s->line, sizeof(s->line), "%s", line);
	return (1);
}

/*
 * Reports the held-back count of every line whose window has ended with
 * repeats that no later line carried, and forgets the line.
 */
void
loglimit_flush(
    struct loglimit *l, double now, loglimit_report report, void *arg)
{
	size_t i;

	for (i = 0; i < LOGLIMIT_SLOTS; i++) {
		struct loglimit_slot *s = &l->slots[i];

		if (s->key == 0 || now - s->since < LOGLIMIT_WINDOW)
			continue;
		if (s->suppressed > 0)
			report(s->line, s->suppressed, arg);
		memset(s, 0, sizeof(*s));
	}
}
