# shellcheck shell=bash
#
# What tests/sql/pgtap.sh and tests/sql/layout.sh share: the test cluster
# that scripts/test started (its env file exports CLIENTD_PGDIR,
# CLIENTD_PGPORT and the URLs), and databases of their own on it, created
# as the cluster's superuser through its socket, so that the product's
# database stays as the API tests expect it. Sourced, never executed.
# Without the cluster the caller exits 77, which ctest reports as skipped.

if [ -z "${CLIENTD_PGDIR:-}" ] || [ -z "${DATABASE_OWNER_URL:-}" ] ||
    [ -z "${CLIENTD_BIN:-}" ]; then
	echo "CLIENTD_PGDIR is not set: run the SQL tests through scripts/test"
	exit 77
fi
# shellcheck source=../../../scripts/lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)/scripts/lib.sh"

SQL_TESTS="$CLIENTD_ROOT/tests/sql"

# psql_db DB [ARGS...]: psql as the superuser on database DB.
psql_db() {
	local db=$1
	shift
	PGOPTIONS='-c client_min_messages=warning' \
	    pg_as psql -X -q -v ON_ERROR_STOP=1 -h "$CLIENTD_PGDIR/sock" \
	    -p "$CLIENTD_PGPORT" -U postgres -d "$db" "$@"
}

# db_fresh DB: drops DB if it exists and creates it empty, owned by
# clientd_owner as the product's database is.
db_fresh() {
	psql_db postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" \
	    -c "CREATE DATABASE $1 OWNER clientd_owner"
}

# dsn DB URL: the connection string URL (keyword=value) for database DB.
dsn() {
	printf '%s\n' "$2" | sed "s/dbname=[^ ]*/dbname=$1/"
}

# clientd_on DB ARGS...: the clientd command line as the owner on DB.
clientd_on() {
	local db=$1
	shift
	DATABASE_OWNER_URL=$(dsn "$db" "$DATABASE_OWNER_URL") "$CLIENTD_BIN" "$@"
}
