/*
 * clientd core: pure logic shared by the daemon, the CLI and the worker.
 * Nothing under core/ knows Kore or libpq, so the unit tests link it alone.
 *
 * Conventions: functions return 0 or a negative CORE_E_* code; running out
 * of memory is fatal (mem_alloc and friends abort), never an error value.
 * Buffers carry their length. Names say who owns what: _init/_cleanup for
 * embedded structs, _alloc/_free for heap ones, _release hands bytes over.
 * Each file has its own header, named like it, and exports only names that
 * start with the file's name (core/ledger.c: ledger_*).
 */
#ifndef CLIENTD_CORE_CORE_H
#define CLIENTD_CORE_CORE_H

#include <stddef.h>

#define CORE_E_INVALID	(-1) /* malformed input */
#define CORE_E_TOOBIG	(-2) /* a limit was exceeded */
#define CORE_E_NOTFOUND (-3)
#define CORE_E_METHOD	(-4) /* path known, method not */
#define CORE_E_CRYPTO	(-5)

#define CORE_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Prints "clientd: fatal: ..." to stderr and aborts. */
void core_fatal(const char *, ...)
    __attribute__((noreturn, format(printf, 1, 2)));

#endif
