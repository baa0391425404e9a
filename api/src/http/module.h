/*
 * The Kore module's start-up and configuration (http/module.c).
 */
#ifndef CLIENTD_HTTP_MODULE_H
#define CLIENTD_HTTP_MODULE_H

#include <stddef.h>

#define MODULE_EXPORT __attribute__((visibility("default")))

struct module_config {
	char   database_url[2048];
	char   trusted_proxies[512];
	char   static_dir[1024];
	int    cookie_secure; /* -1 auto, 0 never, 1 always */
	size_t json_body_max;
	char   public_url[512]; /* what mailed links start with */
};

extern struct module_config module_cfg;

#endif
