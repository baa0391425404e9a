/*
 * Where webhooks may be sent (core/netpolicy.c): the syntax of a target
 * URL, the class of an IP address (loopback, private, link-local, cloud
 * metadata, multicast, reserved or public) and the operator's policy of
 * which classes a delivery may reach. The worker applies the policy to
 * every address it is about to connect to, after name resolution, so a
 * name that resolves (or rebinds) to a refused address does not get
 * through; the daemon applies it early to URLs whose host is an address
 * or "localhost", to say so when the webhook is created.
 */
#ifndef CLIENTD_CORE_NETPOLICY_H
#define CLIENTD_CORE_NETPOLICY_H

#include <stddef.h>

enum netpolicy_class {
	NETPOLICY_PUBLIC,
	NETPOLICY_LOOPBACK,   /* 127/8, ::1, "localhost" */
	NETPOLICY_PRIVATE,    /* RFC 1918, CGNAT 100.64/10, fc00::/7 */
	NETPOLICY_LINK_LOCAL, /* 169.254/16, fe80::/10 */
	NETPOLICY_METADATA,   /* cloud instance metadata services */
	NETPOLICY_MULTICAST,
	NETPOLICY_RESERVED /* unspecified, broadcast, documentation ... */
};

/* Bits of struct netpolicy's allow. */
#define NETPOLICY_ALLOW_LOOPBACK   0x01
#define NETPOLICY_ALLOW_PRIVATE	   0x02
#define NETPOLICY_ALLOW_LINK_LOCAL 0x04
#define NETPOLICY_ALLOW_HTTP	   0x08

#define NETPOLICY_URL_MAX  2048
#define NETPOLICY_HOST_MAX 253

struct netpolicy {
	unsigned int allow;
};

/* A URL as netpolicy_url_check() read it. */
struct netpolicy_url {
	int	      https;
	char	      host[NETPOLICY_HOST_MAX + 1]; /* without [ ] */
	unsigned int  port;			    /* 0: the scheme's */
	int	      family; /* AF_INET(6) for an address */
	unsigned char addr[16];
};

int netpolicy_parse(
    const char *, const char *, struct netpolicy *, char *, size_t);
enum netpolicy_class netpolicy_classify(int, const unsigned char *);
const char	    *netpolicy_class_name(enum netpolicy_class);
int netpolicy_allows(const struct netpolicy *, enum netpolicy_class);
int netpolicy_addr_check(
    const struct netpolicy *, int, const unsigned char *, char *, size_t);
int netpolicy_url_check(const struct netpolicy *, const char *,
    struct netpolicy_url *, char *, size_t, char *, size_t);

#endif
