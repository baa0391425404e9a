/*
 * Mail (core/mail.c): the built-in templates of the mails clientd sends
 * and the check of a company's own (the email_templates setting), and the
 * message itself as SMTP carries it (RFC 5322 with MIME), which the worker
 * hands to libcurl (worker/mailer.c).
 */
#ifndef CLIENTD_CORE_MAIL_H
#define CLIENTD_CORE_MAIL_H

#include <stddef.h>

#include <jansson.h>

#include "core/api_error.h"
#include "core/cbuf.h"

#define MAIL_SUBJECT_MAX 200   /* characters */
#define MAIL_BODY_MAX	 20000 /* characters of a template's text or HTML */
#define MAIL_LINE_MAX	 900   /* bytes of one line of a body */

extern const char mail_templates_default[];

int mail_templates_check(json_t *, const char *, struct api_error *);

struct mail_message {
	const char *from_name; /* may be NULL or "" */
	const char *from;      /* an address */
	const char *to;
	const char *subject;
	const char *text;
	const char *html; /* NULL or "" for a text-only mail */
	const char *date; /* RFC 5322 date */
	const char *message_id;
	const char *boundary; /* for multipart/alternative */
};

int  mail_message_build(struct cbuf *, const struct mail_message *);
void mail_date(long, char *, size_t);
int  mail_address_ok(const char *);

#endif
