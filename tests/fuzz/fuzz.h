/*
 * What the fuzz targets share: a NUL-terminated copy of libFuzzer's input
 * (the parsers take C strings), released by the caller.
 */
#ifndef CLIENTD_FUZZ_H
#define CLIENTD_FUZZ_H

#include <stddef.h>
#include <stdint.h>

char *fuzz_string(const uint8_t *, size_t);

#endif
