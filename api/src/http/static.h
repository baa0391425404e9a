/*
 * The single-page app's files, served from memory (http/static.c).
 */
#ifndef CLIENTD_HTTP_STATIC_H
#define CLIENTD_HTTP_STATIC_H

#include "http/request.h"

int  static_load(const char *);
void static_serve(struct request *);

#endif
