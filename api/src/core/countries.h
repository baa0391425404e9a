/*
 * Countries as people write them (core/countries.c): an ISO 3166-1
 * alpha-2 code from an alpha-2 or alpha-3 code or an English name, in any
 * case, with or without accents and punctuation.
 */
#ifndef CLIENTD_CORE_COUNTRIES_H
#define CLIENTD_CORE_COUNTRIES_H

/*
 * The alpha-2 code of s into out ("DE" for "de", "DEU", "Germany" or
 * "germany"). Returns 0, or CORE_E_NOTFOUND (out is then "").
 */
int countries_alpha2(const char *, char out[3]);

#endif
