/*
 * The HTTP edge. Kore hands every request to edge_request(); this file
 * turns it into a checked struct request and calls the operation's
 * handler:
 *
 *   route (404 / 405) -> query string (400) -> credentials (401 / 403 CSRF)
 *   -> body: content type (415), size (413), UTF-8 and JSON (400)
 *   -> Idempotency-Key (400) -> handler
 *
 * Paths outside /api/ that match no route are the web app's (static.c).
 * Nothing here answers in HTML, and every request is answered once.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/api_error.h"
#include "core/core.h"
#include "core/header.h"
#include "core/idempotency.h"
#include "core/qs.h"
#include "core/router.h"
#include "core/routes.h"
#include "http/auth.h"
#include "http/edge.h"
#include "http/handlers.h"
#include "http/hashing.h"
#include "http/module.h"
#include "http/observe.h"
#include "http/portal_auth.h"
#include "http/reply.h"
#include "http/request.h"
#include "http/static.h"

static void dispatch(struct request *);

/* The Kore server (listener block) named "metrics" serves GET /metrics. */
#define METRICS_SERVER "metrics"

/*
 * The client's address (the proxy's X-Forwarded-For when the peer is a
 * trusted proxy) and whether it reached us over TLS. A request over the
 * unix socket came from nginx, the only process that can reach it
 * (scripts/lib.sh, api/conf/nginx.conf.in): its headers are believed.
 */
static void
client_address(struct request *req)
{
	struct connection *c = req->http->owner;
	const void	  *addr = NULL;
	const char	  *xff = NULL, *proto = NULL;
	char		   peer[64];
	int		   proxied;

	snprintf(peer, sizeof(peer), "0.0.0.0");
	if (c->family == AF_INET)
		addr = &c->addr.ipv4.sin_addr;
	else if (c->family == AF_INET6)
		addr = &c->addr.ipv6.sin6_addr;
	if (addr != NULL)
		(void)inet_ntop(c->family, addr, peer, (socklen_t)sizeof(peer));
	proxied = c->family == AF_UNIX ||
	    header_ip_in_list(peer, module_cfg.trusted_proxies);
	(void)http_request_header(req->http, "x-forwarded-for", &xff);
	if (header_client_ip(c->family == AF_UNIX ? NULL : peer, xff,
		module_cfg.trusted_proxies, req->client_ip,
		sizeof(req->client_ip)) != 0)
		snprintf(req->client_ip, sizeof(req->client_ip), "%s", peer);
	if (proxied &&
	    http_request_header(req->http, "x-forwarded-proto", &proto))
		req->secure = strcasecmp(proto, "https") == 0;
}

int
edge_request(struct http_request *http)
{
	struct request req;

	/* A request waiting for password work (hashing.c) comes back here. */
	if (http->hdlr_extra != NULL)
		return (hashing_resume(http));
	request_init(&req, http);
	observe_begin(&req);
	client_address(&req);
	dispatch(&req);
	if (req.suspended)
		return (KORE_RESULT_RETRY);
	if (!req.responded) {
		observe_log(OBSERVE_ERROR, &req, "%s %s sent no response",
		    http_method_text(http->method), http->path);
		reply_errorf(&req, API_ERR_INTERNAL, "internal error");
	}
	observe_end(&req);
	request_cleanup(&req);
	return (KORE_RESULT_OK);
}

static int
is_api_path(const char *path)
{
	return (strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0);
}

/* 404 or 405 (204 with Allow for OPTIONS) when no route takes the request. */
static void
no_route(struct request *req, int rc, struct api_error *err)
{
	char allow[96];

	if (rc == CORE_E_NOTFOUND) {
		api_error_setf(err, API_ERR_ROUTE_NOT_FOUND,
		    "no route for \"%s\"", req->http->path);
		api_error_hint(err,
		    "The API reference is openapi.yaml; "
		    "paths start with /api/v1/.");
		reply_error(req, err);
		return;
	}
	router_allow_header(req->match.allowed, allow, sizeof(allow));
	reply_header(req, "allow", allow);
	if (req->method == ROUTE_OPTIONS) {
		reply_empty(req, 204);
		return;
	}
	api_error_setf(err, API_ERR_METHOD,
	    "method %s is not allowed on \"%s\"",
	    http_method_text(req->http->method), req->http->path);
	api_error_detail(err, "Allowed: %s.", allow);
	reply_error(req, err);
}

/* The checks every request passes before its handler; 0 when it may go on. */
static int
admit(struct request *req, struct api_error *err)
{
	if (qs_parse(&req->qs, req->http->query_string, err) != 0 ||
	    qs_check_allowed(&req->qs, req->route->query, err) != 0)
		return (-1);
	if (req->route->auth == AUTH_PORTAL) {
		/* A contact's session only: never staff credentials. */
		if (portal_auth_credentials(req, err) != 0)
			return (-1);
		if (req->cred == CRED_NONE) {
			api_error_setf(err, API_ERR_UNAUTHORIZED,
			    "portal sign-in required");
			api_error_hint(err,
			    "Sign in to the portal (POST "
			    "/api/v1/portal/{company}/login).");
			return (-1);
		}
	} else if (auth_credentials(req, err) != 0)
		return (-1);
	if (req->route->auth == AUTH_REQUIRED && req->cred == CRED_NONE) {
		api_error_setf(
		    err, API_ERR_UNAUTHORIZED, "authentication required");
		api_error_hint(err,
		    "Log in (POST /api/v1/login) or send an "
		    "API token in X-API-Token or Authorization: Bearer.");
		return (-1);
	}
	if (request_read_body(req, module_cfg.json_body_max, err) != 0)
		return (-1);
	return (idempotency_read(&req->idem, req->route,
	    request_header(req, "idempotency-key"),
	    http_method_text(req->http->method), req->http->path, req->body,
	    err));
}

static int
on_metrics_listener(struct request *req)
{
	struct connection *c = req->http->owner;

	return (c->owner != NULL && c->owner->server != NULL &&
	    strcmp(c->owner->server->name, METRICS_SERVER) == 0);
}

/*
 * The metrics listener (clientd.conf.in; never behind the public proxy)
 * serves GET /metrics and nothing else; the public one never serves it.
 */
static int
metrics_dispatch(struct request *req, struct api_error *err)
{
	int metrics = on_metrics_listener(req);

	req->metrics_listener = metrics;
	if (strcmp(req->http->path, "/metrics") != 0 && !metrics)
		return (0);
	if (metrics && strcmp(req->http->path, "/metrics") == 0 &&
	    req->method == ROUTE_GET) {
		api_health_metrics(req);
		return (1);
	}
	api_error_setf(err, API_ERR_ROUTE_NOT_FOUND, "no route for \"%s\"",
	    req->http->path);
	api_error_hint(err,
	    metrics ? "This listener serves GET /metrics only."
		    : "Metrics are served on the metrics listener only.");
	reply_error(req, err);
	return (1);
}

static void
dispatch(struct request *req)
{
	struct api_error err;
	int		 rc;

	api_error_init(&err, API_ERR_INTERNAL);
	if (metrics_dispatch(req, &err)) {
		api_error_cleanup(&err);
		return;
	}
	rc = router_match(routes_table, routes_count, sizeof(routes_table[0]),
	    req->method, req->http->path, &req->match);
	if (rc == CORE_E_NOTFOUND && !is_api_path(req->http->path))
		static_serve(req);
	else if (rc != 0)
		no_route(req, rc, &err);
	else {
		req->route = &routes_table[req->match.index];
		if (admit(req, &err) != 0)
			reply_error(req, &err);
		else
			handlers_get(req->route->op)(req);
	}
	api_error_cleanup(&err);
}
