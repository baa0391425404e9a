/*
 * Mail: templates and messages.
 *
 * Templates. Each kind of mail clientd sends has a built-in template
 * (mail_templates_default, the default of the email_templates setting):
 * a subject, a text and optionally an HTML body, with the placeholders
 * {{company}}, {{name}}, {{email}}, {{link}} and {{expires}}, which
 * sql/functions/mail.sql fills in when the mail is written to the outbox.
 * A company may replace the template of any kind; mail_templates_check()
 * holds its templates to what a mail needs (a subject on one line, the
 * link in every body of a kind that has one, lines SMTP can carry).
 *
 * Messages. mail_message_build() writes what SMTP carries: the headers
 * (non-ASCII words encoded as RFC 2047 allows), a text part and, when
 * there is HTML, both as multipart/alternative; a part that is ASCII with
 * short lines goes as 7bit (readable as it is), any other as base64. A
 * header value with a line break is refused, so nothing a template or a
 * contact's name holds can add a header.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/api_error.h"
#include "core/cbuf.h"
#include "core/core.h"
#include "core/mail.h"
#include "core/utf8.h"
#include "core/validate.h"

#define FIELD_NAME_MAX 192

/*
 * The kinds of mail; all but password_changed carry a link. The first six
 * go to a client's contacts (sql/functions/portal.sql); webhook_disabled
 * to the staff who own a webhook the server stopped
 * (sql/functions/webhooks.sql), with the placeholders {{webhook}} (its
 * description and URL), {{url}}, {{description}}, {{id}}, {{reason}} and
 * {{disabled_at}} besides the common ones; its {{link}} opens the webhook
 * in the web app.
 */
static const char *const kinds[] = { "invitation", "reset", "magic",
	"registration", "registration_exists", "password_changed",
	"webhook_disabled", NULL };
static const char *const linkless[] = { "password_changed", NULL };
static const char *const parts[] = { "subject", "text", "html", NULL };

/* clang-format off */
const char mail_templates_default[] = "{"
    "\"invitation\": {"
	"\"subject\": \"Your client portal at {{company}}\", "
	"\"text\": \"Hello {{name}},\\n\\n"
	    "{{company}} invites you to its client portal, where you can see "
	    "your balance and statements and keep your details up to date.\\n\\n"
	    "Choose your password here (the link works once, for {{expires}}):"
	    "\\n\\n{{link}}\\n\\n"
	    "You sign in with your email address, {{email}}.\\n\\n"
	    "If you did not expect this email, you can ignore it.\\n\"}, "
    "\"reset\": {"
	"\"subject\": \"Reset your password at {{company}}\", "
	"\"text\": \"Hello {{name}},\\n\\n"
	    "Someone, probably you, asked to reset the password of {{email}} "
	    "at {{company}}'s client portal. Choose a new password here (the "
	    "link works once, for {{expires}}):\\n\\n{{link}}\\n\\n"
	    "If you did not ask for this, ignore this email: your password "
	    "stays as it is.\\n\"}, "
    "\"magic\": {"
	"\"subject\": \"Your sign-in link for {{company}}\", "
	"\"text\": \"Hello {{name}},\\n\\n"
	    "Sign in to {{company}}'s client portal with this link (it works "
	    "once, for {{expires}}):\\n\\n{{link}}\\n\\n"
	    "If you did not ask for it, ignore this email.\\n\"}, "
    "\"registration\": {"
	"\"subject\": \"Confirm your registration with {{company}}\", "
	"\"text\": \"Hello {{name}},\\n\\n"
	    "Thank you for registering with {{company}}. Confirm your email "
	    "address and sign in here (the link works once, for {{expires}}):"
	    "\\n\\n{{link}}\\n\\n"
	    "If you did not register, ignore this email.\\n\"}, "
    "\"registration_exists\": {"
	"\"subject\": \"You already have an account with {{company}}\", "
	"\"text\": \"Hello {{name}},\\n\\n"
	    "Someone, probably you, tried to register {{email}} at "
	    "{{company}}'s client portal. This address already has access: "
	    "sign in here, or choose \\\"Forgot your password?\\\" there to "
	    "set a new one:\\n\\n{{link}}\\n\\n"
	    "If it was not you, ignore this email: nothing has changed.\\n\"}, "
    "\"password_changed\": {"
	"\"subject\": \"Your password at {{company}} was changed\", "
	"\"text\": \"Hello {{name}},\\n\\n"
	    "The password of {{email}} at {{company}}'s client portal was "
	    "just changed. If you did not do this, ask {{company}} for a new "
	    "invitation at once.\\n\"}, "
    "\"webhook_disabled\": {"
	"\"subject\": \"A webhook of {{company}} was disabled\", "
	"\"text\": \"Hello {{name}},\\n\\n"
	    "clientd stopped sending events to this webhook of {{company}} "
	    "on {{disabled_at}}:\\n\\n    {{webhook}}\\n\\n"
	    "Why: {{reason}}.\\n\\n"
	    "While it is disabled, new events are not queued for it; the "
	    "deliveries it still has wait.\\n\\n"
	    "To start it again, fix the receiver (its delivery log shows each "
	    "attempt and what the receiver answered), then choose Restart on "
	    "the webhook's page:\\n\\n{{link}}\\n\\n"
	    "or send PATCH /api/v1/webhooks/{{id}} with {\\\"status\\\": "
	    "\\\"active\\\"}. The deliveries it still has then go out, "
	    "in order.\\n\\n"
	    "You get this email because you created this webhook, or own "
	    "{{company}}'s account in clientd.\\n\"}"
    "}";
/* clang-format on */

static void
part_name(char *buf, size_t len, const char *a, const char *b)
{
	if (snprintf(buf, len, "%s.%s", a, b) >= (int)len)
		buf[len - 1] = '\0';
}

/* A body's lines must fit SMTP's limit; 0 when they do. */
static int
lines_fit(const char *s)
{
	const char *nl;

	while ((nl = strchr(s, '\n')) != NULL) {
		if ((size_t)(nl - s) > MAIL_LINE_MAX)
			return (-1);
		s = nl + 1;
	}
	return (strlen(s) > MAIL_LINE_MAX ? -1 : 0);
}

/* One part (subject, text, html) of the template of kind. */
static int
part_check(const char *kind, const char *part, json_t *v, const char *fname,
    struct api_error *err)
{
	const char *s;
	size_t	    max;

	if (strcmp(part, "html") == 0 && json_is_null(v))
		return (0);
	if (!json_is_string(v)) {
		api_error_add_field(err, fname, "invalid_type",
		    "\"%s\" of the %s template must be a string", part, kind);
		return (CORE_E_INVALID);
	}
	s = json_string_value(v);
	max = strcmp(part, "subject") == 0 ? MAIL_SUBJECT_MAX : MAIL_BODY_MAX;
	if (utf8_length(s) > max) {
		api_error_add_field(err, fname, "too_long",
		    "\"%s\" of the %s template is longer than %zu characters",
		    part, kind, max);
		return (CORE_E_INVALID);
	}
	if (strcmp(part, "subject") == 0) {
		if (s[0] == '\0' || validate_has_control(s, 0)) {
			api_error_add_field(err, fname, "invalid_format",
			    "the subject of the %s template must be one line "
			    "of text",
			    kind);
			return (CORE_E_INVALID);
		}
		return (0);
	}
	if (validate_has_control(s, 1) || lines_fit(s) != 0) {
		api_error_add_field(err, fname, "invalid_format",
		    "\"%s\" of the %s template has control characters or "
		    "lines longer than %d bytes",
		    part, kind, MAIL_LINE_MAX);
		return (CORE_E_INVALID);
	}
	if (!validate_one_of(kind, linkless) && strstr(s, "{{link}}") == NULL) {
		api_error_add_field(err, fname, "invalid_value",
		    "\"%s\" of the %s template must contain {{link}}", part,
		    kind);
		return (CORE_E_INVALID);
	}
	return (0);
}

/* The template of one kind: {subject, text[, html]}. */
static int
template_check(
    const char *kind, json_t *t, const char *name, struct api_error *err)
{
	const char *part;
	json_t	   *v;
	char	    fname[FIELD_NAME_MAX];
	int	    bad = 0;

	if (!json_is_object(t)) {
		api_error_add_field(err, name, "invalid_type",
		    "the %s template must be an object {\"subject\", \"text\", "
		    "\"html\"}",
		    kind);
		return (CORE_E_INVALID);
	}
	json_object_foreach(t, part, v)
	{
		part_name(fname, sizeof(fname), name, part);
		if (!validate_one_of(part, parts)) {
			api_error_add_field(err, fname, "unknown_field",
			    "unknown part \"%s\" of the %s template (use "
			    "subject, text and html)",
			    part, kind);
			bad = 1;
		} else if (part_check(kind, part, v, fname, err) != 0)
			bad = 1;
	}
	if (json_object_get(t, "subject") == NULL ||
	    json_object_get(t, "text") == NULL) {
		api_error_add_field(err, name, "required",
		    "the %s template needs a subject and a text", kind);
		bad = 1;
	}
	return (bad ? CORE_E_INVALID : 0);
}

/*
 * email_templates: {kind: {subject, text, html}}; a kind left out keeps
 * its built-in template. Field errors are named name.kind.part.
 */
int
mail_templates_check(json_t *v, const char *name, struct api_error *err)
{
	const char *kind;
	json_t	   *t;
	char	    fname[FIELD_NAME_MAX];
	int	    bad = 0;

	json_object_foreach(v, kind, t)
	{
		part_name(fname, sizeof(fname), name, kind);
		if (!validate_one_of(kind, kinds)) {
			api_error_add_field(err, fname, "unknown_field",
			    "unknown mail \"%s\" (use invitation, reset, "
			    "magic, registration, registration_exists, "
			    "password_changed or webhook_disabled)",
			    kind);
			bad = 1;
		} else if (template_check(kind, t, fname, err) != 0)
			bad = 1;
	}
	return (bad ? CORE_E_INVALID : 0);
}

/* ---- messages ------------------------------------------------------------- */

static int
is_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return (0);
	return (1);
}

static int
has_newline(const char *s)
{
	return (s != NULL && strpbrk(s, "\r\n") != NULL);
}

/* base64 of len bytes of s, in lines of at most 76 characters. */
static void
append_base64(struct cbuf *b, const unsigned char *s, size_t len)
{
	char   out[80];
	size_t i, n;

	for (i = 0; i < len; i += 57) {
		n = len - i < 57 ? len - i : 57;
		sodium_bin2base64(
		    out, sizeof(out), s + i, n, sodium_base64_VARIANT_ORIGINAL);
		cbuf_appendf(b, "%s\r\n", out);
	}
}

/*
 * A header word: as it is when it is printable ASCII, else RFC 2047
 * encoded-words of at most 45 bytes each (whole UTF-8 characters).
 */
static void
append_header_text(struct cbuf *b, const char *s)
{
	char   out[80];
	size_t len = strlen(s), i = 0, n, k;

	if (is_ascii(s)) {
		cbuf_appendstr(b, s);
		return;
	}
	while (i < len) {
		n = 0;
		while (i + n < len) {
			k = utf8_seq_len(s + i + n, len - i - n);
			if (k == 0)
				k = 1;
			if (n + k > 45)
				break;
			n += k;
		}
		sodium_bin2base64(out, sizeof(out),
		    (const unsigned char *)s + i, n,
		    sodium_base64_VARIANT_ORIGINAL);
		cbuf_appendf(b, "%s=?UTF-8?B?%s?=", i > 0 ? "\r\n " : "", out);
		i += n;
	}
}

/* A body with CRLF line ends: 7bit when it can be, else base64. */
static void
append_part(struct cbuf *b, const char *type, const char *body)
{
	const char *p;

	if (is_ascii(body) && lines_fit(body) == 0) {
		cbuf_appendf(b,
		    "Content-Type: %s; charset=utf-8\r\n"
		    "Content-Transfer-Encoding: 7bit\r\n\r\n",
		    type);
		for (p = body; *p != '\0'; p++) {
			if (*p == '\r')
				continue;
			if (*p == '\n')
				cbuf_append(b, "\r\n", 2);
			else
				cbuf_append(b, p, 1);
		}
		if (p == body || p[-1] != '\n')
			cbuf_append(b, "\r\n", 2);
		return;
	}
	cbuf_appendf(b,
	    "Content-Type: %s; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n",
	    type);
	append_base64(b, (const unsigned char *)body, strlen(body));
}

/*
 * Writes message m into b (reset first). Returns 0, or CORE_E_INVALID when
 * an address is not one or a header value holds a line break.
 */
int
mail_message_build(struct cbuf *b, const struct mail_message *m)
{
	const char *name = m->from_name != NULL ? m->from_name : "";
	int	    html = m->html != NULL && m->html[0] != '\0';

	cbuf_reset(b);
	if (!mail_address_ok(m->from) || !mail_address_ok(m->to) ||
	    has_newline(name) || has_newline(m->subject) ||
	    has_newline(m->date) || has_newline(m->message_id) ||
	    has_newline(m->boundary) || strpbrk(name, "\"\\") != NULL)
		return (CORE_E_INVALID);
	cbuf_appendstr(b, "From: ");
	if (name[0] != '\0') {
		if (is_ascii(name)) {
			cbuf_appendf(b, "\"%s\"", name);
		} else {
			append_header_text(b, name);
		}
		cbuf_appendstr(b, " ");
	}
	cbuf_appendf(b, "<%s>\r\nTo: <%s>\r\nSubject: ", m->from, m->to);
	append_header_text(b, m->subject);
	cbuf_appendf(b,
	    "\r\nDate: %s\r\nMessage-ID: <%s>\r\n"
	    "Auto-Submitted: auto-generated\r\nMIME-Version: 1.0\r\n",
	    m->date, m->message_id);
	if (!html) {
		append_part(b, "text/plain", m->text);
		return (0);
	}
	cbuf_appendf(b,
	    "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n"
	    "--%s\r\n",
	    m->boundary, m->boundary);
	append_part(b, "text/plain", m->text);
	cbuf_appendf(b, "--%s\r\n", m->boundary);
	append_part(b, "text/html", m->html);
	cbuf_appendf(b, "--%s--\r\n", m->boundary);
	return (0);
}

/* The date t (seconds since the epoch) as RFC 5322 writes it, in UTC. */
void
mail_date(long t, char *out, size_t len)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
		"Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May",
		"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t			 tt = (time_t)t;
	struct tm		 tm;

	gmtime_r(&tt, &tm);
	snprintf(out, len, "%s, %02d %s %04d %02d:%02d:%02d +0000",
	    days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* An address SMTP can be given: an email address with nothing around it. */
int
mail_address_ok(const char *s)
{
	return (s != NULL && strlen(s) <= 254 && !has_newline(s) &&
	    strpbrk(s, "<>\" ") == NULL && validate_email(s));
}
