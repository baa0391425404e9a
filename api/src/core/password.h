/*
 * Passwords (core/password.c): argon2id hashing and verification.
 */
#ifndef CLIENTD_CORE_PASSWORD_H
#define CLIENTD_CORE_PASSWORD_H

#include "core/api_error.h"

#define PASSWORD_HASH_MAX  128
#define PASSWORD_INPUT_MAX 1024 /* bytes a password may have */
#define PASSWORD_OPSLIMIT  2	/* argon2id iterations */
#define PASSWORD_MEMLIMIT  ((size_t)19 * 1024 * 1024) /* argon2id memory */

int  password_init(void);
int  password_hash(const char *, char[PASSWORD_HASH_MAX]);
int  password_needs_rehash(const char *);
int  password_verify(const char *, const char *);
void password_verify_dummy(const char *);
int  password_acceptable(const char *, struct api_error *);

#endif
