/*
 * The Kore module's start-up and configuration (http/module.c).
 */
#ifndef CLIENTD_HTTP_MODULE_H
#define CLIENTD_HTTP_MODULE_H

#include <stddef.h>

#include "core/netpolicy.h"
#include "core/vault.h"

#define MODULE_EXPORT __attribute__((visibility("default")))

struct module_config {
	char   database_url[2048];
	char   trusted_proxies[512];
	char   static_dir[1024];
	int    cookie_secure; /* -1 auto, 0 never, 1 always */
	size_t json_body_max;
	/* Webhooks: where they may go, and the key their secrets are
	 * sealed with (have_secret_key 0: webhooks cannot be created). */
	struct netpolicy webhooks_policy;
	unsigned char	 secret_key[VAULT_KEY_LEN];
	int		 have_secret_key;
	char		 public_url[512]; /* what mailed links start with */
};

extern struct module_config module_cfg;

#endif
