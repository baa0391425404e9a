#!/usr/bin/env bash
#
# The pgTAP suite (ctest "sql/pgtap", label sql): tests/sql/<name>.sql holds
# the rules of sql/functions/<name>.sql, each with its bad-input twin. Runs
# them with pg_prove against database clientd_pgtap, created fresh on the
# test cluster, migrated by `clientd migrate` like any database, with the
# pgtap extension created there by the superuser. Each file runs in a
# transaction that it rolls back.

. "$(dirname "${BASH_SOURCE[0]}")/lib/cluster.sh"

DB=clientd_pgtap
db_fresh "$DB"
clientd_on "$DB" migrate >/dev/null
psql_db "$DB" -c 'CREATE EXTENSION pgtap'

cd "$SQL_TESTS"
mapfile -t files < <(ls -- *.sql)
[ ${#files[@]} -gt 0 ] || die "no pgTAP files in tests/sql"
pg_as pg_prove --ext .sql -h "$CLIENTD_PGDIR/sock" -p "$CLIENTD_PGPORT" \
    -U postgres -d "$DB" "$@" "${files[@]}"
