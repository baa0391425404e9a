/*
 * Public ids (core/public_id.c): 12 characters of Crockford's base32,
 * made by new_public_id() in SQL.
 */
#ifndef CLIENTD_CORE_PUBLIC_ID_H
#define CLIENTD_CORE_PUBLIC_ID_H

#define PUBLIC_ID_LEN 12

int public_id_valid(const char *);

#endif
