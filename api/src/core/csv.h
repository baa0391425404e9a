/*
 * Writing CSV (RFC 4180) for exports and statements (core/csv.c).
 */
#ifndef CLIENTD_CORE_CSV_H
#define CLIENTD_CORE_CSV_H

#include "core/cbuf.h"

#define CSV_TEXT  0x01 /* user text: neutralise spreadsheet formulas */
#define CSV_FIRST 0x02 /* the first cell of a row */

void csv_append_cell(struct cbuf *, const char *, unsigned int);
void csv_end_row(struct cbuf *);

#endif
