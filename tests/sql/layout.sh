#!/usr/bin/env bash
#
# The SQL layout (ctest "sql/layout", label sql), issue 9:
#
#  layout-1.x  sql/functions/ORDER lists every function file once; each
#              function file has its pgTAP file here and each pgTAP file a
#              function file; every function is defined in exactly one
#              file under sql/; migrations define no view, trigger, policy
#              or function (but new_public_id(), which a column default
#              calls).
#  layout-2.x  a database built from scratch by `clientd migrate` holds
#              exactly the functions the files define (no leftovers), and
#              a second run has nothing to do.
#  layout-3.x  a database built the old way, from today's 0001-0005 as they
#              were before issue 9 (tests/sql/legacy/, applied and recorded
#              as the old migrator did, with data written through the old
#              functions), upgraded by `clientd migrate`: the same
#              `pg_dump --schema-only` as the new one, the same functions,
#              and the data intact (ledger_check() empty).
#
# Prints TAP; exits 1 when a test fails, 77 without the test cluster.

. "$(dirname "${BASH_SOURCE[0]}")/lib/cluster.sh"
set +e

SQL="$CLIENTD_ROOT/sql"
OUT="$CLIENTD_ROOT/var/test/sql-layout"
rm -rf "$OUT"
mkdir -p "$OUT"
n=0
failed=0

# check NAME COMMAND...: one TAP line; the command's output is the
# diagnostic when it fails.
check() {
	local name=$1 out
	shift
	n=$((n + 1))
	if out=$("$@" 2>&1); then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name"
		printf '%s\n' "$out" | sed 's/^/# /'
		failed=$((failed + 1))
	fi
}

# Every `CREATE [OR REPLACE] FUNCTION name` in FILES, as "name file".
defined() {
	grep -oiE 'CREATE +(OR +REPLACE +)?(FUNCTION|PROCEDURE) +[a-z0-9_.]+' "$@" |
	    sed -E 's/^([^:]*):.* ([a-z0-9_.]+)$/\2 \1/I; s/ [^ ]*\/sql\// sql\//' |
	    sed -E 's/^public\.//' | sort
}

listed() { grep -vE '^\s*(#|$)' "$SQL/functions/ORDER" | sort; }
present() { (cd "$SQL/functions" && ls -- *.sql) | sort; }
tests_present() { (cd "$SQL_TESTS" && ls -- *.sql) | sort; }

order_matches() { diff <(listed) <(present); }
order_once() { [ -z "$(listed | uniq -d)" ] || { listed | uniq -d; false; }; }
tests_match() { diff <(present) <(tests_present); }
defined_once() {
	local dup
	dup=$(defined "$SQL"/[0-9]*.sql "$SQL"/functions/*.sql | awk '{ print $1 }' | uniq -d)
	[ -z "$dup" ] || { defined "$SQL"/[0-9]*.sql "$SQL"/functions/*.sql | grep -wF "$dup"; false; }
}
migrations_schema_only() {
	local bad
	bad=$(grep -niE 'CREATE +(OR +REPLACE +)?(VIEW|TRIGGER|POLICY|RULE) ' "$SQL"/[0-9]*.sql)
	bad+=$(defined "$SQL"/[0-9]*.sql | grep -v '^new_public_id ')
	[ -z "$bad" ] || { echo "$bad"; false; }
}
check "layout-1.1: sql/functions/ORDER lists exactly the files of sql/functions/" order_matches
check "layout-1.2: and each once" order_once
check "layout-1.3: each function file has its pgTAP file in tests/sql/, and no pgTAP file is without one" tests_match
check "layout-1.4: every function is defined in exactly one file under sql/" defined_once
check "layout-1.5: migrations define no view, trigger, policy or function but new_public_id()" migrations_schema_only

# --- a database from scratch ---------------------------------------------------

# The routines of schema public that no extension brought, as names.
db_functions() {
	psql_db "$1" -At -c "SELECT DISTINCT p.proname FROM pg_proc p
	    WHERE p.pronamespace = 'public'::regnamespace AND NOT EXISTS (SELECT 1
		FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
		AND d.objid = p.oid AND d.deptype = 'e') ORDER BY 1"
}
file_functions() { defined "$SQL"/[0-9]*.sql "$SQL"/functions/*.sql | awk '{ print $1 }' | sort -u; }
same_functions() { diff <(file_functions) <(db_functions "$1"); }
schema_dump() {
	pg_as pg_dump -h "$CLIENTD_PGDIR/sock" -p "$CLIENTD_PGPORT" -U postgres \
	    --schema-only "$1" | grep -vE '^\\(un)?restrict ' >"$OUT/$1.sql"
}

db_fresh clientd_fresh
clientd_on clientd_fresh migrate >"$OUT/fresh-migrate.txt"
check "layout-2.1: a new database migrates" grep -q '^applied functions/ledger.sql$' "$OUT/fresh-migrate.txt"
check "layout-2.2: every function in it comes from a file under sql/ (no leftovers)" same_functions clientd_fresh
up_to_date() { clientd_on clientd_fresh migrate | grep '^database is up to date'; }
check "layout-2.3: migrating again has nothing to do" up_to_date

# --- a database built the old way, then upgraded ----------------------------------

LEGACY_DSN=$(dsn clientd_legacy "$DATABASE_OWNER_URL")
psql_legacy() { psql -X -q -v ON_ERROR_STOP=1 -d "$LEGACY_DSN" "$@"; }

build_legacy() {
	local f v sum defaults
	db_fresh clientd_legacy
	# The old migrator's DDL, each file in its own transaction with its record.
	psql_legacy -c "SET client_min_messages = warning" -c "CREATE TABLE IF NOT EXISTS schema_migrations (  version int PRIMARY KEY,  name text NOT NULL,  checksum text NOT NULL,  applied_at timestamptz NOT NULL DEFAULT now());GRANT SELECT ON schema_migrations TO clientd_app, clientd_worker;" ||
	    return 1
	for f in "$SQL_TESTS"/legacy/[0-9]*.sql; do
		v=$(basename "$f" | cut -c1-4)
		sum=$(sha256sum "$f" | cut -d' ' -f1)
		psql_legacy -1 -f "$f" -c "INSERT INTO schema_migrations (version, name, checksum) VALUES ($((10#$v)), '$(basename "$f")', '$sum')" ||
		    return 1
	done
	# setting_defaults as defaults_sync wrote them (the registry did not change).
	defaults=$(psql_db clientd_fresh -At -c "SELECT jsonb_object_agg(key, value) FROM setting_defaults") ||
	    return 1
	psql_legacy -v d="$defaults" <<<"INSERT INTO setting_defaults SELECT key, value FROM jsonb_each(:'d')" ||
	    return 1
	# Data, through the old functions.
	psql_legacy <<-'EOSQL'
	BEGIN;
	INSERT INTO companies (name) VALUES ('Legacy Co') RETURNING id AS co \gset
	INSERT INTO users (company_id, email, password_hash, role)
	    VALUES (:co, 'old@legacy.test', '$argon2id$legacy', 'owner') RETURNING id AS u \gset
	SELECT set_config('app.company_id', :'co', true), set_config('app.user_id', :'u', true),
	    set_config('app.role', 'owner', true), set_config('app.actor_type', 'user', true),
	    set_config('app.actor_id', 'legacy', true) \gset
	SELECT client_create('{"name": "Old One", "contacts": [{"first_name": "Ann", "email": "ann@legacy.test"}]}',
	    chr(1), 4, false) ->> 'id' AS one \gset
	SELECT client_create('{"name": "Old Two"}', chr(1), 4, false) ->> 'id' AS two \gset
	SELECT ledger_post(:'one', '{"kind": "invoice", "amount": "100.00"}', 'k1');
	SELECT ledger_post(:'one', '{"kind": "payment", "amount": "-40.00"}', 'k2');
	SELECT ledger_post(:'two', '{"kind": "invoice", "amount": "7.50"}', NULL);
	SELECT client_merge(:'one', :'two');
	COMMIT;
	EOSQL
}
check "layout-3.1: a database built from the legacy 0001-0005 the old way, with data" build_legacy
legacy_pending() {
	clientd_on clientd_legacy migrate --status >"$OUT/legacy-status.txt"
	grep -x 'pending  0006_ledger_kinds.sql' "$OUT/legacy-status.txt" &&
	    grep -x 'pending  functions/ledger.sql' "$OUT/legacy-status.txt" &&
	    grep -x 'applied  0005_ledger_time_zone.sql' "$OUT/legacy-status.txt"
}
check "layout-3.2: clientd migrate --status: 0001-0005 applied (legacy checksums), 0006 and the function files pending" legacy_pending
upgrade() { clientd_on clientd_legacy migrate >"$OUT/legacy-migrate.txt"; grep -x 'applied 0006_ledger_kinds.sql' "$OUT/legacy-migrate.txt"; }
check "layout-3.3: clientd migrate upgrades it" upgrade
check "layout-3.4: every function in it comes from a file under sql/ (no leftovers)" same_functions clientd_legacy
same_schema() {
	schema_dump clientd_fresh && schema_dump clientd_legacy &&
	    diff -u "$OUT/clientd_fresh.sql" "$OUT/clientd_legacy.sql"
}
check "layout-3.5: its pg_dump --schema-only is the new database's" same_schema
ledger_intact() {
	local r
	r=$(psql_db clientd_legacy -At -c "SELECT (SELECT count(*) FROM ledger_check()) || ' ' ||
	    (SELECT count(*) FROM ledger_entries) || ' ' ||
	    (SELECT string_agg(c.name || '=' || c.balance::numeric(20, 2) || '/' || c.paid_to_date::numeric(20, 2)
		|| '/' || c.status, ',' ORDER BY c.name) FROM clients c)")
	[ "$r" = "0 5 Old One=67.50/40.00/active,Old Two=0.00/0.00/deleted" ] || { echo "got: $r"; false; }
}
check "layout-3.6: the data survives, and the ledger agrees with the balances" ledger_intact
legacy_check() { DATABASE_URL=$(dsn clientd_legacy "$DATABASE_URL") "$CLIENTD_BIN" check; }
check "layout-3.7: the daemon would start on it" legacy_check
post_after() {
	psql_legacy -At <<-'EOSQL'
	BEGIN;
	SELECT set_config('app.company_id', id::text, true) FROM companies WHERE name = 'Legacy Co';
	SELECT ledger_post((SELECT public_id FROM clients WHERE name = 'Old One'),
	    '{"kind": "payment", "amount": "-7.50"}', NULL) ->> 'paid_to_date_after';
	ROLLBACK;
	EOSQL
}
posts() { [ "$(post_after | tail -n 1)" = 47.50 ] || { post_after; false; }; }
check "layout-3.8: and posts with the new functions" posts
pinned() {
	local r
	r=$(psql_db clientd_legacy -At -c "SELECT string_agg(name || '=' || COALESCE(settings ->> 'currency', '-'),
	    ',' ORDER BY name) FROM clients")
	[ "$r" = "Old One=USD,Old Two=USD" ] || { echo "got: $r"; false; }
}
check "layout-3.9: 0010 pinned the currency of the clients with ledger entries (issue 11)" pinned

echo "1..$n"
echo "$((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
