/*
 * Passwords (core/password.c): argon2id hashing and verification.
 */
#ifndef CLIENTD_CORE_PASSWORD_H
#define CLIENTD_CORE_PASSWORD_H

#include "core/api_error.h"

#define PASSWORD_HASH_MAX 128

int  password_hash(const char *, char[PASSWORD_HASH_MAX]);
int  password_verify(const char *, const char *);
void password_verify_dummy(const char *);
int  password_acceptable(const char *, const char *, struct api_error *);

#endif
