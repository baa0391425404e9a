/*
 * The HTTP edge (http/edge.c): Kore hands every request to edge_request(),
 * which turns it into a checked struct request and calls the operation's
 * handler.
 */
#ifndef CLIENTD_HTTP_EDGE_H
#define CLIENTD_HTTP_EDGE_H

#include <kore/kore.h>
#include <kore/http.h>

#include "http/module.h"

MODULE_EXPORT int edge_request(struct http_request *);

#endif
