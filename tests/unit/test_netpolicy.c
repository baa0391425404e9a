/*
 * Unit tests for core/netpolicy.c: address classes, the operator's
 * settings, and target URLs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/socket.h>

#include <arpa/inet.h>
#include <string.h>

#include "core/core.h"
#include "core/netpolicy.h"
#include "unit.h"

static enum netpolicy_class
cls(const char *text)
{
	unsigned char a[16];

	if (inet_pton(AF_INET, text, a) == 1)
		return (netpolicy_classify(AF_INET, a));
	assert_int_equal(inet_pton(AF_INET6, text, a), 1);
	return (netpolicy_classify(AF_INET6, a));
}

/* netpolicy-1.1: every class, IPv4 and IPv6, embedded IPv4 included. */
static void
test_classes(void **state)
{
	assert_int_equal(cls("93.184.216.34"), NETPOLICY_PUBLIC);
	assert_int_equal(cls("2606:2800:220:1::1"), NETPOLICY_PUBLIC);
	assert_int_equal(cls("127.0.0.1"), NETPOLICY_LOOPBACK);
	assert_int_equal(cls("127.1.2.3"), NETPOLICY_LOOPBACK);
	assert_int_equal(cls("::1"), NETPOLICY_LOOPBACK);
	assert_int_equal(cls("::ffff:127.0.0.1"), NETPOLICY_LOOPBACK);
	assert_int_equal(cls("64:ff9b::7f00:1"), NETPOLICY_LOOPBACK);
	assert_int_equal(cls("2002:7f00:1::"), NETPOLICY_LOOPBACK);
	assert_int_equal(cls("10.1.2.3"), NETPOLICY_PRIVATE);
	assert_int_equal(cls("172.16.0.1"), NETPOLICY_PRIVATE);
	assert_int_equal(cls("172.31.255.255"), NETPOLICY_PRIVATE);
	assert_int_equal(cls("172.32.0.1"), NETPOLICY_PUBLIC);
	assert_int_equal(cls("192.168.1.1"), NETPOLICY_PRIVATE);
	assert_int_equal(cls("100.64.0.1"), NETPOLICY_PRIVATE);
	assert_int_equal(cls("fd12:3456::1"), NETPOLICY_PRIVATE);
	assert_int_equal(cls("169.254.1.1"), NETPOLICY_LINK_LOCAL);
	assert_int_equal(cls("fe80::1"), NETPOLICY_LINK_LOCAL);
	assert_int_equal(cls("169.254.169.254"), NETPOLICY_METADATA);
	assert_int_equal(cls("::ffff:169.254.169.254"), NETPOLICY_METADATA);
	assert_int_equal(cls("fd00:ec2::254"), NETPOLICY_METADATA);
	assert_int_equal(cls("100.100.100.200"), NETPOLICY_METADATA);
	assert_int_equal(cls("224.0.0.1"), NETPOLICY_MULTICAST);
	assert_int_equal(cls("ff02::1"), NETPOLICY_MULTICAST);
	assert_int_equal(cls("0.0.0.0"), NETPOLICY_RESERVED);
	assert_int_equal(cls("::"), NETPOLICY_RESERVED);
	assert_int_equal(cls("255.255.255.255"), NETPOLICY_RESERVED);
	assert_int_equal(cls("192.0.2.1"), NETPOLICY_RESERVED);
	assert_int_equal(cls("2001:db8::1"), NETPOLICY_RESERVED);
}

/* netpolicy-1.2: settings; (twins) unknown words are refused; metadata
 * is never allowed. */
static void
test_settings(void **state)
{
	struct netpolicy p;
	char		 err[200];

	assert_int_equal(netpolicy_parse(NULL, NULL, &p, err, sizeof(err)), 0);
	assert_int_equal(p.allow, 0);
	assert_false(netpolicy_allows(&p, NETPOLICY_LOOPBACK));
	assert_true(netpolicy_allows(&p, NETPOLICY_PUBLIC));
	assert_int_equal(
	    netpolicy_parse("loopback", "1", &p, err, sizeof(err)), 0);
	assert_true(netpolicy_allows(&p, NETPOLICY_LOOPBACK));
	assert_false(netpolicy_allows(&p, NETPOLICY_PRIVATE));
	assert_true(p.allow & NETPOLICY_ALLOW_HTTP);
	assert_int_equal(netpolicy_parse("1", "0", &p, err, sizeof(err)), 0);
	assert_true(netpolicy_allows(&p, NETPOLICY_PRIVATE));
	assert_true(netpolicy_allows(&p, NETPOLICY_LINK_LOCAL));
	assert_false(netpolicy_allows(&p, NETPOLICY_METADATA));
	assert_false(netpolicy_allows(&p, NETPOLICY_MULTICAST));
	assert_int_equal(
	    netpolicy_parse("private,link-local", NULL, &p, err, sizeof(err)),
	    0);
	assert_false(netpolicy_allows(&p, NETPOLICY_LOOPBACK));
	assert_int_equal(netpolicy_parse("loopbak", NULL, &p, err, sizeof(err)),
	    CORE_E_INVALID);
	assert_non_null(strstr(err, "loopbak"));
	assert_int_equal(
	    netpolicy_parse(NULL, "yes", &p, err, sizeof(err)), CORE_E_INVALID);
}

static int
url_ok(const struct netpolicy *p, const char *url, char *why)
{
	struct netpolicy_url u;

	return (netpolicy_url_check(p, url, &u, why, 200, NULL, 0));
}

/* netpolicy-1.3: target URLs; (twins) each malformed or refused one. */
static void
test_urls(void **state)
{
	struct netpolicy none = { 0 },
			 test = { NETPOLICY_ALLOW_LOOPBACK |
				 NETPOLICY_ALLOW_HTTP };
	struct netpolicy_url u;
	char		     why[200];

	assert_int_equal(
	    netpolicy_url_check(&none, "https://hooks.example.com:8443/a?b=c",
		&u, why, sizeof(why), NULL, 0),
	    0);
	assert_string_equal(u.host, "hooks.example.com");
	assert_int_equal(u.port, 8443);
	assert_int_equal(
	    url_ok(&none, "https://[2606:2800:220:1::1]/x", why), 0);
	assert_int_equal(url_ok(&test, "http://127.0.0.1:18930/hook", why), 0);
	assert_int_equal(url_ok(&test, "http://localhost:18930/", why), 0);

	assert_int_equal(
	    url_ok(&none, "http://hooks.example.com/", why), CORE_E_INVALID);
	assert_string_equal(why, "URL must use https");
	assert_int_equal(
	    url_ok(&none, "ftp://hooks.example.com/", why), CORE_E_INVALID);
	assert_int_equal(url_ok(&none, "https://u:p@hooks.example.com/", why),
	    CORE_E_INVALID);
	assert_int_equal(
	    url_ok(&none, "https://hooks.example.com/#x", why), CORE_E_INVALID);
	assert_int_equal(
	    url_ok(&none, "https://hooks example.com/", why), CORE_E_INVALID);
	assert_int_equal(
	    url_ok(&none, "https://höoks.example/", why), CORE_E_INVALID);
	assert_int_equal(url_ok(&none, "https:///path", why), CORE_E_INVALID);
	assert_int_equal(
	    url_ok(&none, "https://x.example:0/", why), CORE_E_INVALID);
	assert_int_equal(
	    url_ok(&none, "https://x.example:65536/", why), CORE_E_INVALID);
	assert_int_equal(
	    url_ok(&none, "https://2001:db8::1/", why), CORE_E_INVALID);
	assert_int_equal(
	    url_ok(&none, "https://127.0.0.1/", why), CORE_E_INVALID);
	assert_string_equal(
	    why, "URL host \"127.0.0.1\" is a loopback address");
	assert_int_equal(
	    url_ok(&none, "https://2130706433/", why), CORE_E_INVALID);
	assert_int_equal(url_ok(&none, "https://0x7f.1/", why), CORE_E_INVALID);
	assert_int_equal(
	    url_ok(&none, "https://LocalHost./", why), CORE_E_INVALID);
	assert_int_equal(
	    url_ok(&none, "https://api.localhost/", why), CORE_E_INVALID);
	assert_int_equal(
	    url_ok(&none, "https://[::ffff:10.0.0.1]/", why), CORE_E_INVALID);
	assert_int_equal(
	    url_ok(&test, "https://10.0.0.1/", why), CORE_E_INVALID);
	assert_int_equal(
	    url_ok(&test, "https://169.254.169.254/", why), CORE_E_INVALID);
	assert_string_equal(
	    why, "URL host \"169.254.169.254\" is a cloud metadata address");
}

/* netpolicy-1.4: the check at connect time says why it refuses. */
static void
test_addr_check(void **state)
{
	struct netpolicy p = { 0 };
	unsigned char	 a[16];
	char		 why[100];

	inet_pton(AF_INET, "127.0.0.1", a);
	assert_false(netpolicy_addr_check(&p, AF_INET, a, why, sizeof(why)));
	assert_string_equal(why, "address 127.0.0.1 is loopback");
	p.allow = NETPOLICY_ALLOW_LOOPBACK;
	assert_true(netpolicy_addr_check(&p, AF_INET, a, why, sizeof(why)));
	inet_pton(AF_INET, "93.184.216.34", a);
	p.allow = 0;
	assert_true(netpolicy_addr_check(&p, AF_INET, a, why, sizeof(why)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_addr_check),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
