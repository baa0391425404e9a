/*
 * Every route of the API, declared once. Paths and methods must match
 * openapi.yaml operation for operation: tests/api/contract.test.mjs fails
 * when they drift apart.
 */
#include "routes.h"

static const char *const q_list[] = { "page", "per_page", "cursor", NULL };

const struct api_route api_routes[] = {
	{ { ROUTE_GET, "/healthz" }, OP_HEALTHZ, "getHealth",
	    AUTH_NONE, NULL, BODY_NONE, NULL },
	{ { ROUTE_GET, "/readyz" }, OP_READYZ, "getReady",
	    AUTH_NONE, NULL, BODY_NONE, NULL },
	{ { ROUTE_POST, "/api/v1/login" }, OP_LOGIN, "login",
	    AUTH_NONE, NULL, BODY_JSON, NULL },
	{ { ROUTE_POST, "/api/v1/logout" }, OP_LOGOUT, "logout",
	    AUTH_NONE, NULL, BODY_NONE, NULL },
	{ { ROUTE_GET, "/api/v1/me" }, OP_ME, "getMe",
	    AUTH_REQUIRED, NULL, BODY_NONE, NULL },
	{ { ROUTE_GET, "/api/v1/tokens" }, OP_TOKENS_LIST, "listTokens",
	    AUTH_REQUIRED, NULL, BODY_NONE, q_list },
	{ { ROUTE_POST, "/api/v1/tokens" }, OP_TOKENS_CREATE, "createToken",
	    AUTH_REQUIRED, NULL, BODY_JSON, NULL },
	{ { ROUTE_DELETE, "/api/v1/tokens/{id}" }, OP_TOKENS_REVOKE,
	    "revokeToken", AUTH_REQUIRED, NULL, BODY_NONE, NULL },
};

const size_t api_routes_count = CORE_ARRAY_LEN(api_routes);
