#!/usr/bin/env bash
#
# Whether reading clients costs the same in a small company and a huge one
# (issue 12): one company each of 10,000, 100,000 and 1,000,000 clients
# (bench/sql/clients-seed.sql, built once into var/bench-scale and reused),
# and for each, with wrk at 16 connections through nginx:
#   page 1      GET /clients?per_page=20
#   cursor 500  the page after 500 pages (of 19: 9,500 clients in, so that
#               the smallest company has one), by the cursor page 500 gave
#   get-one     GET /clients/{id}, random clients
#   search rare GET /clients?q=<a client's number> (a handful of matches)
#   search common  GET /clients?q=<a surname> (a share of all clients)
#   updated_since  GET /clients?updated_since=...&sort=updated_at (a feed
#                  of the latest 100 changes)
# prints req/s, p50 and p99 per company size. All but the common search
# should be flat in the company's size; that one grows with its matches.
#
# Usage: bench/scale.sh [seconds per run, default 5] [connections, default 16]
# Environment: BENCH_SIZES (default "10000 100000 1000000"), BENCH_REV,
# BENCH_BUILD, CLIENTD_WORKERS (as bench/clients.sh). Seeding the million
# takes a quarter of an hour on 2 cores, once; the data is seeded again
# when a migration changes (the daemon would refuse the database).
# It is a measurement: it exits 0 whatever the numbers.

. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
# shellcheck source=bench/lib/build.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/build.sh"

SECS=${1:-5}
CONNS=${2:-16}
read -r -a SIZES <<<"${BENCH_SIZES:-10000 100000 1000000}"
export CLIENTD_WORKERS=${CLIENTD_WORKERS:-$(nproc)}
PORT=8894
PGPORT=55437
BVAR="$CLIENTD_ROOT/var/bench-scale"
BUILD=${BENCH_BUILD:-$BVAR/build}
WORK="$BVAR/work"
BENCH="$CLIENTD_ROOT/bench"
COMMON_TERM=novak

case "$SECS$CONNS${SIZES[*]}" in *[!0-9\ ]*) die "usage: bench/scale.sh [seconds] [connections]" ;; esac
THREADS=$((CONNS < 2 ? 1 : 2))

install_packages "${RUN_PACKAGES[@]}" wrk
bench_build "$BVAR"
PGD="$BVAR/pg"
trap 'stop_stack; pg_stop "$PGD"' EXIT
pg_setup "$PGD" "$PGPORT"
# shellcheck disable=SC1091
. "$PGD/env"
psql_su() { pg_as psql -X -q -v ON_ERROR_STOP=1 -h "$PGD/sock" -p "$PGPORT" -U postgres -d clientd "$@"; }
psql_owner() { psql -X -q -v ON_ERROR_STOP=1 -d "$DATABASE_OWNER_URL" "$@"; }

# The million takes long to seed: the data is kept while only the SQL
# functions change (clientd migrate applies them again), and seeded again
# when a migration did (or the binary does not know the database's).
status=$("$BUILD/api/clientd" migrate --status 2>&1) || status+=$'\nerror'
if grep -v '^applied ' <<<"$status" | grep -qv ' functions/'; then
	log "the migrations changed since the data was seeded: dropping the database"
	psql_su -d postgres -c 'DROP DATABASE clientd WITH (FORCE)'
	pg_setup "$PGD" "$PGPORT"
fi
out=$("$BUILD/api/clientd" migrate 2>&1) || die "clientd migrate: $out"

# --- one company per size, seeded once -------------------------------------------

seeded=0
declare -A CID TOKEN
for n in "${SIZES[@]}"; do
	email="owner@scale-$n.test"
	row=$(psql_owner -Atc "SELECT id || ' ' || company_id FROM users WHERE email = '$email'")
	if [ -z "$row" ]; then
		head -c 18 /dev/urandom | base64 | "$BUILD/api/clientd" create-user \
		    --company-name "Scale $n" --email "$email" --password-stdin >/dev/null
		row=$(psql_owner -Atc "SELECT id || ' ' || company_id FROM users WHERE email = '$email'")
	fi
	uid=${row% *} CID[$n]=${row#* }
	have=$(psql_owner -Atc "SELECT count(*) FROM clients WHERE company_id = ${CID[$n]}")
	if [ "$have" = 0 ]; then
		log "seeding a company of $n clients"
		psql_owner -v cid="${CID[$n]}" -v uid="$uid" -v k=1 -v n="$n" \
		    -f "$BENCH/sql/clients-seed.sql" >/dev/null
		seeded=1
	elif [ "$have" != "$n" ]; then
		die "company ${CID[$n]} has $have clients, not $n: start over with rm -rf var/bench-scale/pg"
	fi
	TOKEN[$n]=$("$BUILD/api/clientd" create-token --email "$email" --token-name bench --replace)
done
if [ "$seeded" = 1 ]; then
	log "VACUUM ANALYZE"
	psql_su -c 'VACUUM ANALYZE'
fi

# --- the requests of each size ----------------------------------------------------

rm -rf "$WORK"
mkdir -p "$WORK"
chmod 700 "$WORK"
start_stack "$BUILD" "$PORT" "$BVAR/run"
BASE="http://127.0.0.1:$PORT"
KINDS=(page1 cursor500 get rare common feed)
declare -A LABEL=([page1]="page 1" [cursor500]="after 500 pages, cursor" [get]="get-one"
    [rare]="search, a number" [common]="search '$COMMON_TERM'" [feed]="updated_since feed")
for n in "${SIZES[@]}"; do
	t=${TOKEN[$n]} c=${CID[$n]}
	printf '%s\t/api/v1/clients?per_page=20\n' "$t" >"$WORK/$n.page1.tsv"
	cursor=$(curl -sf -H "X-API-Token: $t" "$BASE/api/v1/clients?per_page=19&page=500" |
	    node -e 'let s = ""; process.stdin.on("data", (d) => s += d).on("end", () =>
	        console.log(encodeURIComponent(JSON.parse(s).meta.next_cursor)))') ||
		die "no cursor after page 500 of the company of $n"
	printf '%s\t/api/v1/clients?per_page=20&cursor=%s\n' "$t" "$cursor" >"$WORK/$n.cursor500.tsv"
	psql_owner -Atc "SELECT public_id FROM clients WHERE company_id = $c ORDER BY random() LIMIT 200" |
	    sed "s|^|$t\t/api/v1/clients/|" >"$WORK/$n.get.tsv"
	psql_owner -Atc "SELECT number FROM clients WHERE company_id = $c ORDER BY random() LIMIT 50" |
	    sed "s|^|$t\t/api/v1/clients?per_page=20\&q=|" >"$WORK/$n.rare.tsv"
	printf '%s\t/api/v1/clients?per_page=20&q=%s\n' "$t" "$COMMON_TERM" >"$WORK/$n.common.tsv"
	since=$(psql_owner -Atc "SELECT to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')
	    FROM clients WHERE company_id = $c ORDER BY updated_at DESC OFFSET 99 LIMIT 1")
	printf '%s\t/api/v1/clients?per_page=20&sort=updated_at&updated_since=%s\n' "$t" "$since" >"$WORK/$n.feed.tsv"
	MATCHES[n]=$(psql_owner -Atc "SELECT count(*) FROM clients WHERE company_id = $c AND search LIKE '%$COMMON_TERM%'")
done

declare -A R
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
for n in "${SIZES[@]}"; do
	for k in "${KINDS[@]}"; do
		log "$n clients, ${LABEL[$k]}: wrk, $CONNS connections, ${SECS}s"
		wrk -t$THREADS -c"$CONNS" -d1s -s "$BENCH/lua/clients.lua" "$BASE" -- "$WORK/$n.$k.tsv" >/dev/null
		wrk -t$THREADS -c"$CONNS" -d"${SECS}s" --timeout 30s --latency -s "$BENCH/lua/clients.lua" \
		    "$BASE" -- "$WORK/$n.$k.tsv" >"$WORK/$n.$k.wrk.txt"
		out=$(grep '^BENCH ' "$WORK/$n.$k.wrk.txt") || die "wrk printed no result ($WORK/$n.$k.wrk.txt)"
		for kv in ${out#BENCH }; do R[$n.$k.${kv%%=*}]=${kv#*=}; done
		[ "${R[$n.$k.non2xx]}" = 0 ] || die "$n.$k: ${R[$n.$k.non2xx]} responses were not 2xx"
	done
done

{
	echo
	echo "clientd scale benchmark: one company per size, wrk -c$CONNS, ${SECS}s per run"
	echo "  measured: $MEASURED"
	echo "  nproc $(nproc), Kore workers $CLIENTD_WORKERS; load average before the runs: $LOAD0"
	echo "  '$COMMON_TERM' matches: $(for n in "${SIZES[@]}"; do printf '%s of %s; ' "${MATCHES[n]}" "$n"; done)"
	echo
	printf '  %-22s' "clients in the company"
	for n in "${SIZES[@]}"; do printf ' | %26s' "$n"; done
	echo
	printf '  %-22s' ""
	for n in "${SIZES[@]}"; do printf ' | %8s %8s %8s' 'req/s' 'p50 ms' 'p99 ms'; done
	echo
	for k in "${KINDS[@]}"; do
		printf '  %-22s' "${LABEL[$k]}"
		for n in "${SIZES[@]}"; do
			printf ' | %8s %8s %8s' "${R[$n.$k.rps]}" "${R[$n.$k.p50_ms]}" "${R[$n.$k.p99_ms]}"
		done
		echo
	done
	echo
	echo "raw output: $WORK"
} | tee "$BVAR/results.txt"
exit 0
