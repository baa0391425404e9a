/*
 * Small HTTP parsers that need no server: cookies, media types, bearer
 * credentials and the client address behind trusted proxies.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "core/header.h"

/*
 * Finds cookie name in a Cookie header value and copies its value into
 * out. Returns 1 if found and it fits, 0 otherwise.
 */
int
header_cookie_find(
    const char *header, const char *name, char *out, size_t outlen)
{
	const char *p, *eq, *end;
	size_t	    nlen, vlen;

	nlen = strlen(name);
	for (p = header; p != NULL && *p != '\0';) {
		while (*p == ' ' || *p == ';')
			p++;
		end = strchr(p, ';');
		if (end == NULL)
			end = p + strlen(p);
		eq = memchr(p, '=', (size_t)(end - p));
		if (eq != NULL && (size_t)(eq - p) == nlen &&
		    strncmp(p, name, nlen) == 0) {
			vlen = (size_t)(end - eq - 1);
			while (vlen > 0 && eq[vlen] == ' ')
				vlen--;
			if (vlen >= outlen)
				return (0);
			memcpy(out, eq + 1, vlen);
			out[vlen] = '\0';
			return (1);
		}
		p = *end == ';' ? end + 1 : end;
	}
	return (0);
}

/* application/json, optionally with "; charset=utf-8". */
int
header_is_json(const char *v)
{
	const char *p;

	if (v == NULL || strncasecmp(v, "application/json", 16) != 0)
		return (0);
	p = v + 16;
	while (*p == ' ')
		p++;
	if (*p == '\0')
		return (1);
	if (*p++ != ';')
		return (0);
	while (*p == ' ')
		p++;
	if (strncasecmp(p, "charset=", 8) != 0)
		return (0);
	p += 8;
	if (*p == '"')
		p++;
	return (strncasecmp(p, "utf-8", 5) == 0 &&
	    (p[5] == '\0' || p[5] == '"' || p[5] == ' '));
}

/* "Bearer <token>": points *tok at the token. */
int
header_bearer_token(const char *v, const char **tok)
{
	if (v == NULL || strncasecmp(v, "bearer ", 7) != 0)
		return (0);
	v += 7;
	while (*v == ' ')
		v++;
	if (*v == '\0')
		return (0);
	*tok = v;
	return (1);
}

static int
ip_valid(const char *ip)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return (inet_pton(AF_INET, ip, buf) == 1 ||
	    inet_pton(AF_INET6, ip, buf) == 1);
}

/* ip appears in list, a comma- or space-separated list of addresses. */
int
header_ip_in_list(const char *ip, const char *list)
{
	const char *p;
	size_t	    len, ilen;

	if (list == NULL)
		return (0);
	ilen = strlen(ip);
	for (p = list; *p != '\0';) {
		while (*p == ',' || *p == ' ')
			p++;
		len = strcspn(p, ", ");
		if (len > 0 && len == ilen && strncmp(p, ip, len) == 0)
			return (1);
		p += len;
	}
	return (0);
}

/*
 * The client's address: the peer, unless the peer is a trusted proxy, in
 * which case the rightmost X-Forwarded-For entry that is not itself a
 * trusted proxy. A NULL peer is the proxy in front of the daemon, which
 * alone reaches its unix socket: trusted, and of no address of its own
 * (0.0.0.0 when the header has none). Returns 0, or CORE_E_INVALID when
 * nothing usable is found.
 */
int
header_client_ip(const char *peer, const char *xff, const char *trusted,
    char *out, size_t outlen)
{
	char   copy[1024], *entries[16], *p, *tok;
	size_t n, i, len;
	int    proxied;

	proxied = peer == NULL || header_ip_in_list(peer, trusted);
	if (peer == NULL)
		peer = "0.0.0.0";
	if (snprintf(out, outlen, "%s", peer) >= (int)outlen)
		return (CORE_E_INVALID);
	if (xff == NULL || !proxied)
		return (0);
	/* An overlong header keeps its rightmost part, from an entry start. */
	len = strlen(xff);
	if (len >= sizeof(copy)) {
		xff += len - (sizeof(copy) - 1);
		if ((xff = strchr(xff, ',')) == NULL)
			return (0);
		xff++;
	}
	snprintf(copy, sizeof(copy), "%s", xff);

	/*
	 * Keep the rightmost entries: those were added by our own proxies,
	 * while the client can put anything it likes on the left.
	 */
	n = 0;
	for (p = copy; (tok = strsep(&p, ",")) != NULL;) {
		while (isspace((unsigned char)*tok))
			tok++;
		len = strlen(tok);
		while (len > 0 && isspace((unsigned char)tok[len - 1]))
			tok[--len] = '\0';
		if (n == CORE_ARRAY_LEN(entries)) {
			memmove(entries, entries + 1,
			    sizeof(entries) - sizeof(entries[0]));
			n--;
		}
		entries[n++] = tok;
	}

	for (i = n; i > 0; i--) {
		if (!ip_valid(entries[i - 1]) ||
		    snprintf(out, outlen, "%s", entries[i - 1]) >= (int)outlen)
			return (0);
		if (!header_ip_in_list(entries[i - 1], trusted))
			return (0);
	}
	return (0);
}
