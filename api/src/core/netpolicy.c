/*
 * Where webhooks may be sent: target URL syntax, address classes, and the
 * operator's policy (CLIENTD_WEBHOOKS_ALLOW_PRIVATE, _ALLOW_HTTP).
 *
 * By default a delivery reaches public addresses over https only. The
 * operator may allow http, and loopback, private and link-local targets
 * (a test stack, or receivers on an internal network). Cloud metadata
 * services, multicast and reserved addresses are never allowed: they are
 * not webhook receivers, and the metadata services hand out credentials.
 * IPv4 embedded in IPv6 (mapped, NAT64, 6to4) is judged as the IPv4
 * address it reaches.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "core/netpolicy.h"

static const char *const class_names[] = {
	[NETPOLICY_PUBLIC] = "public",
	[NETPOLICY_LOOPBACK] = "loopback",
	[NETPOLICY_PRIVATE] = "private",
	[NETPOLICY_LINK_LOCAL] = "link-local",
	[NETPOLICY_METADATA] = "cloud metadata",
	[NETPOLICY_MULTICAST] = "multicast",
	[NETPOLICY_RESERVED] = "reserved",
};

const char *
netpolicy_class_name(enum netpolicy_class c)
{
	if ((size_t)c >= CORE_ARRAY_LEN(class_names))
		core_fatal("netpolicy_class_name: class %d", (int)c);
	return (class_names[c]);
}

static int
word_is(const char *s, size_t n, const char *w)
{
	return (strlen(w) == n && strncasecmp(s, w, n) == 0);
}

/*
 * Reads the two settings (NULL or "" for unset). allow_private is "1"
 * (every class an operator may allow), "0", or a comma-separated list of
 * loopback, private and link-local; allow_http is "1" or "0". Returns 0,
 * or CORE_E_INVALID with the reason in err.
 */
int
netpolicy_parse(const char *allow_private, const char *allow_http,
    struct netpolicy *p, char *err, size_t errlen)
{
	const char *s, *end;
	size_t	    n;

	p->allow = 0;
	s = allow_private != NULL ? allow_private : "";
	if (strcmp(s, "1") == 0 || strcasecmp(s, "all") == 0 ||
	    strcasecmp(s, "true") == 0) {
		p->allow |= NETPOLICY_ALLOW_LOOPBACK | NETPOLICY_ALLOW_PRIVATE |
		    NETPOLICY_ALLOW_LINK_LOCAL;
	} else if (s[0] != '\0' && strcmp(s, "0") != 0 &&
	    strcasecmp(s, "false") != 0) {
		for (; *s != '\0'; s = *end == ',' ? end + 1 : end) {
			end = s + strcspn(s, ",");
			n = (size_t)(end - s);
			if (word_is(s, n, "loopback"))
				p->allow |= NETPOLICY_ALLOW_LOOPBACK;
			else if (word_is(s, n, "private"))
				p->allow |= NETPOLICY_ALLOW_PRIVATE;
			else if (word_is(s, n, "link-local"))
				p->allow |= NETPOLICY_ALLOW_LINK_LOCAL;
			else {
				snprintf(err, errlen,
				    "CLIENTD_WEBHOOKS_ALLOW_PRIVATE: unknown "
				    "class \"%.*s\" (use 1, 0, or a list of "
				    "loopback, private, link-local)",
				    (int)(n > 40 ? 40 : n), s);
				return (CORE_E_INVALID);
			}
		}
	}
	s = allow_http != NULL ? allow_http : "";
	if (strcmp(s, "1") == 0 || strcasecmp(s, "true") == 0)
		p->allow |= NETPOLICY_ALLOW_HTTP;
	else if (s[0] != '\0' && strcmp(s, "0") != 0 &&
	    strcasecmp(s, "false") != 0) {
		snprintf(err, errlen,
		    "CLIENTD_WEBHOOKS_ALLOW_HTTP must be 1 or 0, not \"%.40s\"",
		    s);
		return (CORE_E_INVALID);
	}
	return (0);
}

static int
v4_in(const unsigned char *a, unsigned int b0, unsigned int b1, unsigned int b2,
    unsigned int b3, unsigned int bits)
{
	unsigned int x, net, mask;

	x = ((unsigned int)a[0] << 24) | ((unsigned int)a[1] << 16) |
	    ((unsigned int)a[2] << 8) | a[3];
	net = (b0 << 24) | (b1 << 16) | (b2 << 8) | b3;
	mask = bits == 0 ? 0 : 0xffffffffU << (32 - bits);
	return ((x & mask) == (net & mask));
}

static enum netpolicy_class
classify4(const unsigned char *a)
{
	if (v4_in(a, 169, 254, 169, 254, 32) ||
	    v4_in(a, 100, 100, 100, 200, 32) || v4_in(a, 192, 0, 0, 192, 32))
		return (NETPOLICY_METADATA);
	if (v4_in(a, 127, 0, 0, 0, 8))
		return (NETPOLICY_LOOPBACK);
	if (v4_in(a, 10, 0, 0, 0, 8) || v4_in(a, 172, 16, 0, 0, 12) ||
	    v4_in(a, 192, 168, 0, 0, 16) || v4_in(a, 100, 64, 0, 0, 10))
		return (NETPOLICY_PRIVATE);
	if (v4_in(a, 169, 254, 0, 0, 16))
		return (NETPOLICY_LINK_LOCAL);
	if (v4_in(a, 224, 0, 0, 0, 4))
		return (NETPOLICY_MULTICAST);
	if (v4_in(a, 0, 0, 0, 0, 8) || v4_in(a, 240, 0, 0, 0, 4) ||
	    v4_in(a, 192, 0, 0, 0, 24) || v4_in(a, 192, 0, 2, 0, 24) ||
	    v4_in(a, 198, 51, 100, 0, 24) || v4_in(a, 203, 0, 113, 0, 24) ||
	    v4_in(a, 198, 18, 0, 0, 15))
		return (NETPOLICY_RESERVED);
	return (NETPOLICY_PUBLIC);
}

static int
v6_prefix(const unsigned char *a, const unsigned char *p, unsigned int bits)
{
	unsigned int i, full = bits / 8, rest = bits % 8;

	for (i = 0; i < full; i++) {
		if (a[i] != p[i])
			return (0);
	}
	if (rest == 0)
		return (1);
	return (((a[full] ^ p[full]) & (0xff << (8 - rest)) & 0xff) == 0);
}

static enum netpolicy_class
classify6(const unsigned char *a)
{
	static const unsigned char zero[16], loop[16] = { [15] = 1 };
	static const unsigned char mapped[12] = { [10] = 0xff, [11] = 0xff };
	static const unsigned char nat64[12] = { 0x00, 0x64, 0xff, 0x9b };
	static const unsigned char sixto4[2] = { 0x20, 0x02 };
	static const unsigned char aws[16] = { 0xfd, 0x00, 0x0e,
		0xc2, [14] = 0x02, [15] = 0x54 };
	static const unsigned char ula[1] = { 0xfc }, ll[2] = { 0xfe, 0x80 };
	static const unsigned char site[2] = { 0xfe, 0xc0 };
	static const unsigned char doc[4] = { 0x20, 0x01, 0x0d, 0xb8 };
	static const unsigned char teredo[4] = { 0x20, 0x01, 0x00, 0x00 };
	static const unsigned char discard[8] = { 0x01, 0x00 };

	if (memcmp(a, zero, 16) == 0)
		return (NETPOLICY_RESERVED);
	if (memcmp(a, loop, 16) == 0)
		return (NETPOLICY_LOOPBACK);
	if (v6_prefix(a, mapped, 96) || v6_prefix(a, nat64, 96))
		return (classify4(a + 12));
	if (v6_prefix(a, sixto4, 16))
		return (classify4(a + 2));
	if (memcmp(a, aws, 16) == 0)
		return (NETPOLICY_METADATA);
	if (v6_prefix(a, zero, 96) || v6_prefix(a, doc, 32) ||
	    v6_prefix(a, teredo, 32) || v6_prefix(a, discard, 64))
		return (NETPOLICY_RESERVED);
	if (v6_prefix(a, ula, 7) || v6_prefix(a, site, 10))
		return (NETPOLICY_PRIVATE);
	if (v6_prefix(a, ll, 10))
		return (NETPOLICY_LINK_LOCAL);
	if (a[0] == 0xff)
		return (NETPOLICY_MULTICAST);
	return (NETPOLICY_PUBLIC);
}

/* addr: 4 bytes for AF_INET, 16 for AF_INET6 (network order). */
enum netpolicy_class
netpolicy_classify(int family, const unsigned char *addr)
{
	if (family == AF_INET)
		return (classify4(addr));
	if (family == AF_INET6)
		return (classify6(addr));
	return (NETPOLICY_RESERVED);
}

int
netpolicy_allows(const struct netpolicy *p, enum netpolicy_class c)
{
	switch (c) {
	case NETPOLICY_PUBLIC:
		return (1);
	case NETPOLICY_LOOPBACK:
		return ((p->allow & NETPOLICY_ALLOW_LOOPBACK) != 0);
	case NETPOLICY_PRIVATE:
		return ((p->allow & NETPOLICY_ALLOW_PRIVATE) != 0);
	case NETPOLICY_LINK_LOCAL:
		return ((p->allow & NETPOLICY_ALLOW_LINK_LOCAL) != 0);
	case NETPOLICY_METADATA:
	case NETPOLICY_MULTICAST:
	case NETPOLICY_RESERVED:
		return (0);
	}
	return (0);
}

/*
 * 1 when the policy lets a delivery connect to addr; 0 otherwise, with
 * why ("address 127.0.0.1 is loopback") filled in.
 */
int
netpolicy_addr_check(const struct netpolicy *p, int family,
    const unsigned char *addr, char *why, size_t whylen)
{
	enum netpolicy_class c;
	char		     text[INET6_ADDRSTRLEN];

	c = netpolicy_classify(family, addr);
	if (netpolicy_allows(p, c))
		return (1);
	if (inet_ntop(family, addr, text, sizeof(text)) == NULL)
		snprintf(text, sizeof(text), "?");
	snprintf(
	    why, whylen, "address %s is %s", text, netpolicy_class_name(c));
	return (0);
}

static int
is_label_char(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_');
}

/* A DNS name: labels of 1-63 letters, digits, '-' or '_'. */
static int
host_name_ok(const char *h)
{
	size_t label = 0, n = strlen(h);

	if (n == 0 || n > NETPOLICY_HOST_MAX || h[0] == '.')
		return (0);
	for (; *h != '\0'; h++) {
		if (*h == '.') {
			if (label == 0)
				return (0);
			label = 0;
		} else if (!is_label_char(*h) || ++label > 63)
			return (0);
	}
	return (1);
}

static int
host_is_localhost(const char *h)
{
	size_t n = strlen(h);

	if (n > 0 && h[n - 1] == '.')
		n--;
	if (n == 9 && strncasecmp(h, "localhost", 9) == 0)
		return (1);
	return (n > 10 && strncasecmp(h + n - 10, ".localhost", 10) == 0);
}

static int
fail(char *why, size_t whylen, char *hint, size_t hintlen, const char *w,
    const char *h)
{
	snprintf(why, whylen, "%s", w);
	if (hint != NULL && hintlen > 0)
		snprintf(hint, hintlen, "%s", h != NULL ? h : "");
	return (CORE_E_INVALID);
}

/* Splits "host[:port]" (host may be [v6]) into u; 0 or CORE_E_INVALID. */
static int
authority_parse(const char *s, size_t n, struct netpolicy_url *u)
{
	const char *host = s, *colon = NULL, *p;
	size_t	    hlen;
	unsigned    port = 0;

	if (n > 0 && s[0] == '[') {
		if ((p = memchr(s, ']', n)) == NULL)
			return (CORE_E_INVALID);
		host = s + 1;
		hlen = (size_t)(p - host);
		if ((size_t)(p + 1 - s) < n) {
			if (p[1] != ':')
				return (CORE_E_INVALID);
			colon = p + 1;
		}
	} else {
		colon = memchr(s, ':', n);
		hlen = colon != NULL ? (size_t)(colon - s) : n;
	}
	if (hlen == 0 || hlen > NETPOLICY_HOST_MAX)
		return (CORE_E_INVALID);
	memcpy(u->host, host, hlen);
	u->host[hlen] = '\0';
	if (colon != NULL) {
		p = colon + 1;
		if (p == s + n)
			return (CORE_E_INVALID);
		for (; p < s + n; p++) {
			if (*p < '0' || *p > '9' || port > 6553)
				return (CORE_E_INVALID);
			port = port * 10 + (unsigned)(*p - '0');
		}
		if (port == 0 || port > 65535)
			return (CORE_E_INVALID);
	}
	u->port = port;
	if (s[0] == '[') {
		if (inet_pton(AF_INET6, u->host, u->addr) != 1)
			return (CORE_E_INVALID);
		u->family = AF_INET6;
	}
	return (0);
}

/*
 * Checks a webhook target URL: http(s) (http only where the operator
 * allows it), a host, an optional port, no credentials, no fragment,
 * printable ASCII only, at most NETPOLICY_URL_MAX characters; and, where
 * the host is an address (including the forms inet_aton() accepts, such
 * as 2130706433) or "localhost", that the policy lets deliveries reach
 * it. Other names are judged at delivery time, by the addresses they
 * resolve to. Returns 0 and fills u, or CORE_E_INVALID with why (and a
 * hint, if hint is not NULL).
 */
int
netpolicy_url_check(const struct netpolicy *p, const char *url,
    struct netpolicy_url *u, char *why, size_t whylen, char *hint,
    size_t hintlen)
{
	const char	    *rest, *end, *s;
	struct in_addr	     v4;
	enum netpolicy_class c;
	char		     w[160];

	memset(u, 0, sizeof(*u));
	if (strlen(url) > NETPOLICY_URL_MAX)
		return (fail(why, whylen, hint, hintlen,
		    "URL is longer than 2048 characters", NULL));
	for (s = url; *s != '\0'; s++) {
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return (fail(why, whylen, hint, hintlen,
			    "URL may hold printable ASCII only",
			    "Percent-encode other characters; write "
			    "international host names in punycode."));
	}
	if (strncasecmp(url, "https://", 8) == 0) {
		u->https = 1;
		rest = url + 8;
	} else if (strncasecmp(url, "http://", 7) == 0) {
		rest = url + 7;
		if (!(p->allow & NETPOLICY_ALLOW_HTTP))
			return (fail(why, whylen, hint, hintlen,
			    "URL must use https",
			    "This server delivers webhooks over https only "
			    "(its operator may allow http with "
			    "CLIENTD_WEBHOOKS_ALLOW_HTTP=1)."));
	} else
		return (fail(why, whylen, hint, hintlen,
		    "URL must start with https://", NULL));
	if (strchr(url, '#') != NULL)
		return (fail(why, whylen, hint, hintlen,
		    "URL may not have a fragment (#)", NULL));
	end = rest + strcspn(rest, "/?");
	if (memchr(rest, '@', (size_t)(end - rest)) != NULL)
		return (fail(why, whylen, hint, hintlen,
		    "URL may not hold credentials (user:password@)",
		    "Send credentials in a custom header such as "
		    "Authorization."));
	if (authority_parse(rest, (size_t)(end - rest), u) != 0)
		return (fail(why, whylen, hint, hintlen,
		    "URL has no valid host and port", NULL));
	if (u->family == 0 && inet_pton(AF_INET6, u->host, u->addr) == 1)
		return (fail(why, whylen, hint, hintlen,
		    "URL has no valid host and port",
		    "Write an IPv6 address in brackets: https://[2001:db8::1]/."));
	if (u->family == 0 && inet_aton(u->host, &v4) != 0) {
		u->family = AF_INET;
		memcpy(u->addr, &v4.s_addr, 4);
	}
	if (u->family == 0 && !host_name_ok(u->host))
		return (fail(why, whylen, hint, hintlen,
		    "URL has no valid host and port", NULL));
	if (u->family != 0)
		c = netpolicy_classify(u->family, u->addr);
	else if (host_is_localhost(u->host))
		c = NETPOLICY_LOOPBACK;
	else
		return (0);
	if (netpolicy_allows(p, c))
		return (0);
	snprintf(w, sizeof(w), "URL host \"%.100s\" is a %s address", u->host,
	    netpolicy_class_name(c));
	return (fail(why, whylen, hint, hintlen, w,
	    c == NETPOLICY_LOOPBACK || c == NETPOLICY_PRIVATE ||
		    c == NETPOLICY_LINK_LOCAL
		? "Webhooks go to public addresses only (this server's "
		  "operator may allow others with "
		  "CLIENTD_WEBHOOKS_ALLOW_PRIVATE)."
		: "Webhooks go to public addresses only."));
}
