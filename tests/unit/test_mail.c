/*
 * Unit tests for core/mail.c: the built-in templates pass their own check,
 * a company's templates are held to what a mail needs, and messages are
 * what SMTP carries (headers encoded, bodies 7bit or base64, no header
 * injection).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/cbuf.h"
#include "core/core.h"
#include "core/mail.h"
#include "unit.h"

static int
check(const char *json, char *first, size_t len)
{
	struct api_error err;
	json_t		*v = load(json);
	int		 rc;

	api_error_init(&err, API_ERR_VALIDATION);
	rc = mail_templates_check(v, "email_templates", &err);
	first[0] = '\0';
	if (rc != 0)
		field_error(&err, 0, first, len);
	api_error_cleanup(&err);
	json_decref(v);
	return (rc);
}

static void
test_builtin_templates_pass(void **state)
{
	char first[256];

	assert_int_equal(
	    check(mail_templates_default, first, sizeof(first)), 0);
}

static void
test_template_rules(void **state)
{
	char first[256];

	assert_int_equal(check("{\"invitation\": {\"subject\": \"Hi\", "
			       "\"text\": \"no link here\"}}",
			     first, sizeof(first)),
	    CORE_E_INVALID);
	assert_string_equal(
	    first, "email_templates.invitation.text/invalid_value");
	assert_int_equal(
	    check("{\"invitation\": {\"subject\": \"Hi\\nBcc: x\", "
		  "\"text\": \"{{link}}\"}}",
		first, sizeof(first)),
	    CORE_E_INVALID);
	assert_string_equal(
	    first, "email_templates.invitation.subject/invalid_format");
	assert_int_equal(check("{\"newsletter\": {}}", first, sizeof(first)),
	    CORE_E_INVALID);
	assert_string_equal(first, "email_templates.newsletter/unknown_field");
	/* The twin: a kind without a link needs none. */
	assert_int_equal(check("{\"password_changed\": {\"subject\": \"Hi\", "
			       "\"text\": \"changed\", \"html\": null}}",
			     first, sizeof(first)),
	    0);
}

static struct mail_message
message(const char *subject, const char *text, const char *html)
{
	struct mail_message m;

	memset(&m, 0, sizeof(m));
	m.from_name = "Acme";
	m.from = "portal@acme.example";
	m.to = "ann@client.example";
	m.subject = subject;
	m.text = text;
	m.html = html;
	m.date = "Mon, 07 Dec 2026 10:00:00 +0000";
	m.message_id = "x.y@acme.example";
	m.boundary = "b1";
	return (m);
}

static void
test_message_ascii(void **state)
{
	struct cbuf	    b;
	struct mail_message m =
	    message("Hello", "Line one\nhttp://x/#abc\n", NULL);

	cbuf_init(&b, 256);
	assert_int_equal(mail_message_build(&b, &m), 0);
	assert_non_null(
	    strstr(b.data, "From: \"Acme\" <portal@acme.example>\r\n"));
	assert_non_null(strstr(b.data, "Subject: Hello\r\n"));
	assert_non_null(strstr(b.data, "Content-Transfer-Encoding: 7bit"));
	assert_non_null(
	    strstr(b.data, "\r\n\r\nLine one\r\nhttp://x/#abc\r\n"));
	cbuf_cleanup(&b);
}

static void
test_message_utf8_and_html(void **state)
{
	struct cbuf	    b;
	struct mail_message m = message("Grüße", "Hallo Jörg", "<p>Hallo</p>");

	cbuf_init(&b, 256);
	assert_int_equal(mail_message_build(&b, &m), 0);
	assert_non_null(strstr(b.data, "Subject: =?UTF-8?B?R3LDvMOfZQ==?="));
	assert_non_null(
	    strstr(b.data, "multipart/alternative; boundary=\"b1\""));
	assert_non_null(strstr(b.data, "Content-Transfer-Encoding: base64"));
	assert_non_null(strstr(b.data, "--b1--\r\n"));
	cbuf_cleanup(&b);
}

static void
test_message_refuses_injection(void **state)
{
	struct cbuf	    b;
	struct mail_message m = message("Hi\r\nBcc: evil@x.example", "t", NULL);

	cbuf_init(&b, 256);
	assert_int_equal(mail_message_build(&b, &m), CORE_E_INVALID);
	m = message("Hi", "t", NULL);
	m.to = "a@b.example>\r\nRCPT TO:<c@d.example";
	assert_int_equal(mail_message_build(&b, &m), CORE_E_INVALID);
	m = message("Hi", "t", NULL);
	assert_int_equal(mail_message_build(&b, &m), 0);
	cbuf_cleanup(&b);
}

/*
 * Issue 15: the mail to a disabled webhook's owner says which webhook,
 * why, when, and how to restart it (the page's link and the API call);
 * a company's own template of it must keep the link, as every mail with
 * one must.
 */
static void
test_webhook_disabled_template(void **state)
{
	json_t	   *all = load(mail_templates_default), *t;
	const char *text, *subject;
	const char *want[] = { "{{name}}", "{{company}}", "{{webhook}}",
		"{{reason}}", "{{disabled_at}}", "{{link}}", "Restart",
		"PATCH /api/v1/webhooks/{{id}}", "\"status\": \"active\"",
		"fix the receiver" };
	char	    first[256];
	size_t	    i;

	(void)state;
	t = json_object_get(all, "webhook_disabled");
	assert_non_null(t);
	subject = json_string_value(json_object_get(t, "subject"));
	text = json_string_value(json_object_get(t, "text"));
	assert_non_null(subject);
	assert_non_null(text);
	assert_non_null(strstr(subject, "disabled"));
	for (i = 0; i < CORE_ARRAY_LEN(want); i++) {
		if (strstr(text, want[i]) == NULL)
			fail_msg("the text lacks %s", want[i]);
	}
	assert_null(json_object_get(t, "html"));
	json_decref(all);

	assert_int_equal(check("{\"webhook_disabled\": {\"subject\": "
			       "\"Stopped: {{url}}\", \"text\": \"{{reason}} "
			       "{{link}}\"}}",
			     first, sizeof(first)),
	    0);
	assert_int_not_equal(check("{\"webhook_disabled\": {\"subject\": "
				   "\"Stopped\", \"text\": \"{{reason}}\"}}",
				 first, sizeof(first)),
	    0);
	assert_string_equal(
	    first, "email_templates.webhook_disabled.text/invalid_value");
}

static void
test_date(void **state)
{
	char d[64];

	mail_date(0, d, sizeof(d));
	assert_string_equal(d, "Thu, 01 Jan 1970 00:00:00 +0000");
	assert_true(mail_address_ok("ann@client.example"));
	assert_false(mail_address_ok("ann@localhost"));
	assert_false(mail_address_ok("<ann@client.example>"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_templates_pass),
		cmocka_unit_test(test_template_rules),
		cmocka_unit_test(test_message_ascii),
		cmocka_unit_test(test_message_utf8_and_html),
		cmocka_unit_test(test_message_refuses_injection),
		cmocka_unit_test(test_webhook_disabled_template),
		cmocka_unit_test(test_date),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
