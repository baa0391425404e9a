#!/usr/bin/env bash
#
# The clients API under load, against the database alone doing the same work.
# Starts its own cluster (var/bench-clients, port 55435) and daemon (port
# 8896), seeds 10 companies x 10,000 clients once (each client with a
# primary contact, every third with a second one), then, for
#   list     GET /api/v1/clients?per_page=20&page=1..5
#   get-one  GET /api/v1/clients/{id}, random clients
#   search   GET /api/v1/clients?q=...&per_page=20, a mix of search terms
# spread over the 10 companies' API tokens, measures at the same
# concurrency:
#   - the daemon through nginx, with wrk over loopback (bench/lua/clients.lua),
#     and again at 16 connections for the latency targets;
#   - pgbench sending exactly the SQL the daemon sent for those requests
#     (captured with CLIENTD_SQL_LOG, turned into pgbench scripts by
#     bench/lib/pgbench-scripts.mjs): same statements, same parameters, one
#     pipeline per request, prepared, as clientd_app over the same unix
#     socket with the daemon's connection settings (generic plans, no JIT);
#   - the floor: for the same requests, the least SQL that returns the same
#     rows and total, written by hand (bench/lib/floor-log.mjs): no
#     authentication, no row-level security (as the owner), no JSON built;
#     and the floor with the API token looked up first ("floor+token");
# and prints requests/s, p50/p99, non-2xx responses, the ratios
# daemon/floor, daemon/floor+token and daemon/same SQL, and PASS/FAIL
# against the targets, then where the time goes: CPU per request (daemon,
# PostgreSQL, load generator) and each statement's planning and execution
# time (pg_stat_statements, one connection). Plans (EXPLAIN ANALYZE) are
# left in var/bench-clients/work.
#
# Usage: bench/clients.sh [seconds per run, default 15] [connections, default 64]
# Environment:
#   CLIENTD_WORKERS  Kore workers (default nproc)
#   BENCH_WARMUP     seconds of warm-up before each measured run (default 3)
#   BENCH_PROFILE    seconds of each one-connection profile run (default 5;
#                    0 skips the profile)
#   BENCH_REV        a git revision to measure instead of the working tree
#                    (exported with git archive into var/bench-clients/src)
#   BENCH_BUILD      build directory (default var/bench-clients/build, or
#                    build-rev with BENCH_REV: a build of its own, so that
#                    the binary under test does not change during a run)
# The seeded database is reused across runs; it is dropped and seeded
# again when the migrations changed since (migrations are forward-only, so
# the daemon would refuse that database).
# It is a measurement: it exits 0 whether or not the targets are met.

. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
# shellcheck source=bench/lib/build.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/build.sh"

SECS=${1:-15}
CONNS=${2:-64}
WARMUP=${BENCH_WARMUP:-3}
PROFILE=${BENCH_PROFILE:-5}
export CLIENTD_WORKERS=${CLIENTD_WORKERS:-$(nproc)}
PORT=8896
PGPORT=55435
BVAR="$CLIENTD_ROOT/var/bench-clients"
BUILD=${BENCH_BUILD:-$BVAR/build}
WORK="$BVAR/work"
BENCH="$CLIENTD_ROOT/bench"
COMPANIES=10
PER_COMPANY=10000
GET_SAMPLE=240		# clients per company that get-one picks from
SEARCH_TERMS=(novak 'Müller' northwind 'lena ross' solar 0421 crm-1005 zebra)

# Targets (issue 12): the list against the floor, one client against the
# floor with the token looked up, each at $CONNS connections; p99s at
# $P99_CONNS connections.
LIST_RATIO=0.5
GET_RATIO=0.5
P99_CONNS=16
LIST_P99_MAX=25
GET_P99_MAX=10
SEARCH_P99_MAX=25
# The daemon's connection settings (http/module.c), for pgbench's runs of
# the daemon's own SQL.
export PGOPTIONS="-c plan_cache_mode=force_generic_plan -c jit=off"

case "$SECS$CONNS" in *[!0-9]*) die "usage: bench/clients.sh [seconds] [connections]" ;; esac
THREADS=$((CONNS < 2 ? 1 : 2))

install_packages "${RUN_PACKAGES[@]}" wrk
bench_build "$BVAR"
PGD="$BVAR/pg"
trap 'stop_stack; pg_stop "$PGD"' EXIT
pg_setup "$PGD" "$PGPORT"
# shellcheck disable=SC1091
. "$PGD/env"
APP_PW=$(sed -n 's/^APP_PASSWORD=//p' "$PGD/secrets")
OWNER_PW=$(sed -n 's/^OWNER_PASSWORD=//p' "$PGD/secrets")

# psql as the superuser (pg_stat_statements, VACUUM) and as the owner.
psql_su() { pg_as psql -X -q -v ON_ERROR_STOP=1 -h "$PGD/sock" -p "$PGPORT" -U postgres -d clientd "$@"; }
psql_owner() { psql -X -q -v ON_ERROR_STOP=1 -d "$DATABASE_OWNER_URL" "$@"; }

# pg_stat_statements is loaded (it needs a restart) but tracks nothing
# until the profile runs switch it on.
if ! psql_su -Atc 'SHOW shared_preload_libraries' | grep -q pg_stat_statements; then
	log "loading pg_stat_statements (restarts PostgreSQL once)"
	psql_su -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'"
	pg_stop "$PGD"
	pg_start "$PGD" "$PGPORT"
fi
pgss_track() { # none | all
	psql_su -c "ALTER SYSTEM SET pg_stat_statements.track = '$1'" \
	    -c "ALTER SYSTEM SET pg_stat_statements.track_planning = $([ "$1" = none ] && echo off || echo on)" \
	    -c 'SELECT pg_reload_conf()' >/dev/null
	sleep 0.2
}
pgss_track none

# The bench data was seeded under some build's SQL. When this build's
# differs (`clientd migrate --status` lists a migration or a function file
# that is not "applied": pending, changed, removed, or an error for an
# edited or unknown migration), the data is seeded again from scratch, so
# that every run measures data made by the SQL it runs.
status=$("$BUILD/api/clientd" migrate --status 2>&1) || status+=$'\nerror'
# (An older revision's binary, BENCH_REV, stops at the first migration it
# does not know as applied: its error alone means the data is not its.)
if grep -qv '^applied ' <<<"$status"; then
	log "the migrations or the SQL functions changed since the bench data was seeded: dropping the database"
	psql_su -d postgres -c 'DROP DATABASE clientd WITH (FORCE)'
	pg_setup "$PGD" "$PGPORT"
fi
out=$("$BUILD/api/clientd" migrate 2>&1) || die "clientd migrate: $out"
"$BUILD/api/clientd" demo >/dev/null
psql_su -c 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements'

# --- seed (once; var/bench-clients is reused) ---------------------------------

company_email() { printf 'owner@bench%02d.test' "$1"; }
CIDS=()
seeded=0
for k in $(seq 1 "$COMPANIES"); do
	email=$(company_email "$k")
	row=$(psql_owner -Atc "SELECT id || ' ' || company_id FROM users WHERE email = '$email'")
	if [ -z "$row" ]; then
		head -c 18 /dev/urandom | base64 | "$BUILD/api/clientd" create-user \
		    --company-name "$(printf 'Bench Company %02d' "$k")" --email "$email" \
		    --password-stdin >/dev/null
		row=$(psql_owner -Atc "SELECT id || ' ' || company_id FROM users WHERE email = '$email'")
	fi
	uid=${row% *} cid=${row#* }
	CIDS[k]=$cid
	n=$(psql_owner -Atc "SELECT count(*) FROM clients WHERE company_id = $cid")
	if [ "$n" = 0 ]; then
		[ "$seeded" = 1 ] || log "seeding $COMPANIES companies x $PER_COMPANY clients"
		seeded=1
		psql_owner -v cid="$cid" -v uid="$uid" -v k="$k" -v n="$PER_COMPANY" \
		    -f "$BENCH/sql/clients-seed.sql" >/dev/null
	elif [ "$n" != "$PER_COMPANY" ]; then
		die "company $cid has $n clients, not $PER_COMPANY: start over with rm -rf var/bench-clients/pg"
	fi
done
cid_list=$(IFS=,; echo "${CIDS[*]:1}")
if [ "$seeded" = 1 ]; then
	log "VACUUM ANALYZE"
	psql_su -c 'VACUUM ANALYZE'
fi
bad=$(psql_owner -Atc "SELECT
    (SELECT count(*) FROM client_stats WHERE company_id IN ($cid_list)
        AND (active, archived, deleted) = ($PER_COMPANY, 0, 0)) || ' ' ||
    (SELECT count(*) FROM clients WHERE company_id IN ($cid_list)
        AND (display_name = '' OR search = '')) || ' ' ||
    (SELECT count(*) FROM client_contacts WHERE company_id IN ($cid_list))")
read -r stats_ok underived contacts <<<"$bad"
if [ "$stats_ok" != "$COMPANIES" ] || [ "$underived" != 0 ]; then
	die "seed check failed: $stats_ok of $COMPANIES companies with $PER_COMPANY active clients in client_stats, $underived clients without display_name/search"
fi

# --- requests: tokens, ids, search terms -------------------------------------

rm -rf "$WORK"
mkdir -p "$WORK"
chmod 700 "$WORK"
TOKENS=()
for k in $(seq 1 "$COMPANIES"); do
	TOKENS[k]=$("$BUILD/api/clientd" create-token --email "$(company_email "$k")" \
	    --token-name bench --replace)
done
mapfile -t QS < <(node -e 'for (const t of process.argv.slice(1)) console.log(encodeURIComponent(t))' "${SEARCH_TERMS[@]}")
for k in $(seq 1 "$COMPANIES"); do
	for p in 1 2 3 4 5; do
		printf '%s\t/api/v1/clients?per_page=20&page=%s\n' "${TOKENS[k]}" "$p"
	done >>"$WORK/list.tsv"
	psql_owner -Atc "SELECT public_id FROM clients WHERE company_id = ${CIDS[k]}
	    ORDER BY random() LIMIT $GET_SAMPLE" |
	    sed "s|^|${TOKENS[k]}\t/api/v1/clients/|" >>"$WORK/get.tsv"
	for q in "${QS[@]}"; do
		printf '%s\t/api/v1/clients?q=%s&per_page=20\n' "${TOKENS[k]}" "$q"
	done >>"$WORK/search.tsv"
done
SCENARIOS=(list get search)
declare -A LABEL=([list]="list pages 1-5" [get]="get-one" [search]="q search")

# --- the daemon's exact SQL ----------------------------------------------------

# Each request of each file once through the daemon, with its SQL logged.
export CLIENTD_SQL_LOG="$WORK/sql.log"
: >"$CLIENTD_SQL_LOG"
psql_owner -F $'\t' -Atc "SELECT '\\x' || encode(t.token_hash, 'hex'), u.company_id
    FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.revoked_at IS NULL" >"$WORK/companies.tsv"
start_stack "$BUILD" "$PORT" "$BVAR/run"
log "capturing the daemon's SQL for $(cat "$WORK"/*.tsv | wc -l) requests"
for s in "${SCENARIOS[@]}"; do
	: >"$WORK/$s.log"
	for k in $(seq 1 "$COMPANIES"); do
		awk -F'\t' -v t="${TOKENS[k]}" -v base="http://127.0.0.1:$PORT" \
		    '$1 == t { printf "url = \"%s%s\"\noutput = \"/dev/null\"\n", base, $2 }' \
		    "$WORK/$s.tsv" >"$WORK/curl.cfg"
		from=$(wc -l <"$CLIENTD_SQL_LOG")
		codes=$(curl -s -K "$WORK/curl.cfg" -H "X-API-Token: ${TOKENS[k]}" -w '%{http_code}\n' |
		    sort | uniq -c | tr -s ' ' | tr '\n' ',')
		[ "$codes" = " $(grep -c "^${TOKENS[k]}" "$WORK/$s.tsv") 200," ] ||
			die "$s: the daemon answered (count status): $codes"
		tail -n +"$((from + 1))" "$CLIENTD_SQL_LOG" >>"$WORK/$s.log"
	done
	per_file=$([ "$s" = get ] && echo 20 || echo 8)
	explain=$([ "$s" = get ] && echo 3 || echo 8)
	node "$BENCH/lib/pgbench-scripts.mjs" --log "$WORK/$s.log" --out "$WORK" --name "$s" \
	    --per-file "$per_file" --expect "$(wc -l <"$WORK/$s.tsv")" --explain "$explain" >&2
	for f in floor floor-token; do
		token=()
		[ $f = floor ] || token=(--token)
		node "$BENCH/lib/floor-log.mjs" --log "$WORK/$s.log" --scenario "$s" \
		    --companies "$WORK/companies.tsv" "${token[@]}" >"$WORK/$s-$f.log"
		node "$BENCH/lib/pgbench-scripts.mjs" --log "$WORK/$s-$f.log" --out "$WORK" \
		    --name "$s-$f" --per-file "$per_file" --expect "$(wc -l <"$WORK/$s.tsv")" >&2
	done
done
SERVER_TIMING=()
for s in "${SCENARIOS[@]}"; do
	line=$(head -n 1 "$WORK/$s.tsv")
	SERVER_TIMING+=("$(printf '%-15s %s' "${LABEL[$s]}:" "$(curl -s -D - -o /dev/null \
	    -H "X-API-Token: ${line%%$'\t'*}" "http://127.0.0.1:$PORT${line#*$'\t'}" |
	    sed -n 's/^server-timing: //Ip' | tr -d '\r')")")
done
stop_stack
unset CLIENTD_SQL_LOG

# --- measuring -----------------------------------------------------------------

# CPU seconds used so far by a process and its children (live and reaped).
cpu_ticks() {
	local pid total=0 t
	for pid in "$1" $(ps -o pid= --ppid "$1" 2>/dev/null); do
		t=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{print $12 + $13 + $14 + $15}') || t=0
		total=$((total + ${t:-0}))
	done
	echo "$total"
}
TICK=$(getconf CLK_TCK)
# "busy total" CPU ticks of the whole machine, all cores (/proc/stat).
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9; exit }' /proc/stat; }
# % of the machine's CPU used by processes other than ours during a run:
# machine ticks before and after ("busy total" each), our ticks.
others_pct() {
	awk -v a="$1" -v b="$2" -v mine="$3" 'BEGIN { split(a, x, " "); split(b, y, " ")
	    t = y[2] - x[2]; o = (y[1] - x[1]) - mine; if (o < 0) o = 0
	    printf "%.0f", (t > 0 ? 100 * o / t : 0) }'
}
postmaster() { head -n 1 "$PGD/data/postmaster.pid"; }
# ms of CPU per request: ticks, requests
per_req() { awk -v t="$1" -v n="$2" -v hz="$TICK" 'BEGIN { printf "%.2f", (n > 0 ? t * 1000 / hz / n : 0) }'; }
secs_to_ticks() { awk -v s="$1" -v hz="$TICK" 'BEGIN { printf "%d", s * hz }'; }

declare -A R	# results: R[scenario.key]

run_wrk() { # scenario connections tag
	local c=$2 t=$3 s out k0 p0 k1 p1 n0 n1 m0 m1 usage
	s=$1
	wrk -t$THREADS -c"$c" -d"${WARMUP}s" --timeout 30s -s "$BENCH/lua/clients.lua" \
	    "http://127.0.0.1:$PORT" -- "$WORK/$s.tsv" >/dev/null
	n0=$(cpu_ticks "$NGINX_PID")
	k0=$(cpu_ticks "$DAEMON_PID") p0=$(cpu_ticks "$(postmaster)") m0=$(machine_ticks)
	{ TIMEFORMAT='%U %S'; time wrk -t$THREADS -c"$c" -d"${SECS}s" --timeout 30s --latency \
	    -s "$BENCH/lua/clients.lua" "http://127.0.0.1:$PORT" -- "$WORK/$s.tsv" \
	    >"$WORK/$s.$t.wrk.txt"; } 2>"$WORK/$s.$t.wrk.time"
	k1=$(cpu_ticks "$DAEMON_PID") p1=$(cpu_ticks "$(postmaster)") m1=$(machine_ticks)
	n1=$(cpu_ticks "$NGINX_PID")
	out=$(grep '^BENCH ' "$WORK/$s.$t.wrk.txt") || die "$s: wrk printed no result (see $WORK/$s.$t.wrk.txt)"
	s=$1.$t
	for kv in ${out#BENCH }; do R[$s.w_${kv%%=*}]=${kv#*=}; done
	R[$s.w_errors]=$((${R[$s.w_connect_err]} + ${R[$s.w_read_err]} + ${R[$s.w_write_err]} + ${R[$s.w_timeout_err]}))
	usage=$(tail -n 1 "$WORK/$1.$t.wrk.time" | awk '{print $1 + $2}')
	R[$s.cpu_nginx]=$(per_req $((n1 - n0)) "${R[$s.w_requests]}")
	R[$s.cpu_kore]=$(per_req $((k1 - k0)) "${R[$s.w_requests]}")
	R[$s.cpu_pg_d]=$(per_req $((p1 - p0)) "${R[$s.w_requests]}")
	R[$s.cpu_wrk]=$(per_req "$(secs_to_ticks "$usage")" "${R[$s.w_requests]}")
	R[$s.others]=$(others_pct "$m0" "$m1" $((n1 - n0 + k1 - k0 + p1 - p0 + $(secs_to_ticks "$usage"))))
}

pgbench_args() { # scripts -> PGB array (and PGUSER_PW)
	local s=$1 l f
	PGB=(-n -M prepared -h "$PGD/sock" -p "$PGPORT")
	case $s in
	*floor*) PGB+=(-U clientd_owner) PGUSER_PW=$OWNER_PW ;;
	*) PGB+=(-U clientd_app) PGUSER_PW=$APP_PW ;;
	esac
	while IFS= read -r l; do PGB+=(-D "$l"); done <"$WORK/$s.defines"
	while IFS= read -r f; do PGB+=(-f "$f"); done <"$WORK/$s.files"
}

# pgbench opens new connections, whose first transactions are slow (each
# backend loads its caches and compiles the PL/pgSQL functions; 64 of them
# at once take a few seconds on 2 cores), whereas the daemon's pooled
# connections stay warm between runs. So pgbench runs warm-up + measured
# seconds in one go, and tps, average and percentiles come from its
# per-transaction log, counting only transactions that ended in the last
# $SECS seconds (the window); the CPU counters are read at the window's
# edges.
run_pgbench() { # scripts connections tag
	local s=$1 c=$2 tag=$3 pid p0 p1 m0 m1 usage j stats own key
	key=${s%%-*}.$tag
	pgbench_args "$s"
	j=$((c < THREADS ? c : THREADS))
	rm -f "$WORK/$s.$tag.pgblog"*
	{ TIMEFORMAT='%U %S'; time PGPASSWORD=$PGUSER_PW pgbench "${PGB[@]}" -c "$c" -j "$j" \
	    -T "$((WARMUP + SECS))" -l --log-prefix="$WORK/$s.$tag.pgblog" clientd \
	    >"$WORK/$s.$tag.pgbench.txt" 2>&1; } 2>"$WORK/$s.$tag.pgbench.time" &
	pid=$!
	sleep "$WARMUP"
	p0=$(cpu_ticks "$(postmaster)") m0=$(machine_ticks)
	wait "$pid" || die "$s: pgbench failed (see $WORK/$s.$tag.pgbench.txt)"
	sleep 0.5	# the backends' CPU time reaches the postmaster once reaped
	p1=$(cpu_ticks "$(postmaster)") m1=$(machine_ticks)
	# Log: client, transaction, latency (us), script, end (epoch s, us).
	stats=$(cat "$WORK/$s.$tag.pgblog".* | awk -v w="$WARMUP" -v secs="$SECS" '
	    { end = $5 + $6 / 1e6; lat[NR] = $3; fin[NR] = end
	      if (NR == 1 || end - $3 / 1e6 < t0) t0 = end - $3 / 1e6 }
	    END { from = t0 + w; to = from + secs
	      for (i = 1; i <= NR; i++) if (fin[i] >= from && fin[i] < to) { print lat[i]; n++ }
	      print NR > "/dev/stderr" }' 2>"$WORK/$s.$tag.all" | sort -n |
	    awk -v secs="$SECS" '{ v[NR] = $1; sum += $1 }
	    END { printf "%d %.1f %.2f %.2f %.2f", NR, NR / secs, (NR ? sum / NR / 1000 : 0),
	        v[int(NR * 0.50) + 1] / 1000, v[int(NR * 0.99) + 1] / 1000 }')
	read -r n "R[$key.tps]" "R[$key.avg]" "R[$key.p50]" "R[$key.p99]" <<<"$stats"
	R[$key.failed]=$(awk '/^number of failed transactions: / {print $5}' "$WORK/$s.$tag.pgbench.txt")
	usage=$(tail -n 1 "$WORK/$s.$tag.pgbench.time" | awk '{print $1 + $2}')
	R[$key.cpu_pg]=$(per_req $((p1 - p0)) "$n")
	# pgbench's own CPU, the window's share of the whole run's.
	own=$(secs_to_ticks "$(awk -v u="$usage" -v n="$n" -v all="$(cat "$WORK/$s.$tag.all")" \
	    'BEGIN { print (all ? u * n / all : 0) }')")
	R[$key.cpu_pgbench]=$(per_req "$own" "$n")
	R[$key.others]=$(others_pct "$m0" "$m1" $((p1 - p0 + own)))
	rm -f "$WORK/$s.$tag.pgblog"*
}

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
start_stack "$BUILD" "$PORT" "$BVAR/run"
for s in "${SCENARIOS[@]}"; do
	log "${LABEL[$s]}: wrk, $CONNS connections, ${SECS}s (after ${WARMUP}s warm-up)"
	run_wrk "$s" "$CONNS" w
	log "${LABEL[$s]}: wrk, $P99_CONNS connections, ${SECS}s (after ${WARMUP}s warm-up)"
	run_wrk "$s" "$P99_CONNS" l
	log "${LABEL[$s]}: pgbench, the daemon's SQL, $CONNS connections, ${SECS}s (after ${WARMUP}s warm-up)"
	run_pgbench "$s" "$CONNS" p
	log "${LABEL[$s]}: pgbench, the floor, $CONNS connections, ${SECS}s (after ${WARMUP}s warm-up)"
	run_pgbench "$s-floor" "$CONNS" f
	log "${LABEL[$s]}: pgbench, the floor + token lookup, $CONNS connections, ${SECS}s (after ${WARMUP}s warm-up)"
	run_pgbench "$s-floor-token" "$CONNS" t
done

# --- where the time goes ---------------------------------------------------------

# Each statement's planning and execution time on one connection (no
# queueing): pgbench with the same scripts, pg_stat_statements tracking
# nested statements too (the functions' own queries), reset after a
# second of warm-up. Per request = total / calls of auth_begin.
profile() { # scenario
	local s=$1 n pid
	pgbench_args "$s"
	PGPASSWORD=$PGUSER_PW pgbench "${PGB[@]}" -c 1 -j 1 -T "$((PROFILE + 1))" clientd \
	    >"$WORK/$s.profile.txt" 2>&1 &
	pid=$!
	sleep 1
	psql_su -c 'SELECT pg_stat_statements_reset()' >/dev/null
	wait "$pid" || die "$s: pgbench failed (see $WORK/$s.profile.txt)"
	n=$(psql_su -Atc "SELECT calls FROM pg_stat_statements WHERE userid = 'clientd_app'::regrole
	    AND toplevel AND query LIKE '%FROM auth_begin(%'")
	[ "${n:-0}" -gt 0 ] || die "$s: the profile counted no request"
	psql_su -Atc "SELECT '  ${LABEL[$s]}: ' || $n || ' requests, ' ||
	    to_char(sum(total_plan_time) / $n, 'FM9990.000') || ' ms planning + ' ||
	    to_char(sum(total_exec_time) / $n, 'FM9990.000') || ' ms executing per request (top-level), ' ||
	    '$(awk '/^latency average = / {print $4}' "$WORK/$s.profile.txt") ms per request as pgbench sees it'
	    FROM pg_stat_statements WHERE userid = 'clientd_app'::regrole AND toplevel"
	psql_su -F $'\t' -Atc "SELECT to_char(total_plan_time / $n, 'FM9990.000'),
	    to_char(total_exec_time / $n, 'FM9990.000'), to_char(calls::numeric / $n, 'FM99990.0'),
	    CASE WHEN toplevel THEN 'top' ELSE 'nested' END,
	    left(regexp_replace(query, '\\s+', ' ', 'g'), 100)
	    FROM pg_stat_statements
	    WHERE userid = 'clientd_app'::regrole
	        AND (total_plan_time + total_exec_time) / $n >= 0.005
	    ORDER BY toplevel DESC, total_plan_time + total_exec_time DESC LIMIT 12" |
	    awk -F'\t' '{printf "    %8s %8s %6s  %-6s %s\n", $1, $2, $3, $4, $5}'
}
PROFILE_OUT=""
if [ "$PROFILE" != 0 ]; then
	log "profiling statements (pg_stat_statements, 1 connection, ${PROFILE}s per scenario)"
	pgss_track all
	PROFILE_OUT=$(
		echo "     plan ms  exec ms  calls  level  statement (per request; nested = inside a function)"
		for s in "${SCENARIOS[@]}"; do profile "$s"; done
	)
	pgss_track none
fi
# Plans of the captured statements (warm: each script runs twice, the
# second run's output is kept).
for s in "${SCENARIOS[@]}"; do
	psql -X -d "$DATABASE_URL" -f "$WORK/$s.explain.sql" >/dev/null 2>&1 || true
	psql -X -d "$DATABASE_URL" -f "$WORK/$s.explain.sql" >"$WORK/$s.explain.txt" 2>&1 || true
done

# --- report ---------------------------------------------------------------------

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
verdict() { if "$@"; then echo PASS; else echo FAIL; fi; }
check() { # label ok text
	printf '  %-15s %-4s %s\n' "$1" "$2" "$3"
	[ "$2" = PASS ] || FAILED=$((FAILED + 1))
}
FAILED=0
for s in "${SCENARIOS[@]}"; do
	for t in p f t; do R[$s.$t.ratio]=$(ratio "${R[$s.w.w_rps]}" "${R[$s.$t.tps]}"); done
done
{
	echo
	echo "clientd clients benchmark: $COMPANIES companies x $PER_COMPANY clients ($contacts contacts)"
	echo "  measured: $MEASURED"
	echo "  nproc $(nproc), Kore workers $CLIENTD_WORKERS (CLIENTD_WORKERS), wrk -t$THREADS and pgbench -j$THREADS"
	echo "  ${SECS}s measured after ${WARMUP}s warm-up; requests spread over $COMPANIES API tokens"
	echo "  load average before the runs: $LOAD0"
	echo
	printf '  %-15s | %-35s | %-28s | %-24s | %s\n' "" "daemon, wrk -c$CONNS" "daemon, wrk -c$P99_CONNS" \
	    "pgbench -c$CONNS, tps" "daemon / pgbench"
	printf '  %-15s | %9s %8s %8s %6s | %9s %8s %8s | %7s %7s %7s | %6s %6s %6s\n' scenario 'req/s' \
	    'p50 ms' 'p99 ms' 'errors' 'req/s' 'p50 ms' 'p99 ms' same floor +token same floor +token
	for s in "${SCENARIOS[@]}"; do
		printf '  %-15s | %9s %8s %8s %6s | %9s %8s %8s | %7s %7s %7s | %6s %6s %6s\n' "${LABEL[$s]}" \
		    "${R[$s.w.w_rps]}" "${R[$s.w.w_p50_ms]}" "${R[$s.w.w_p99_ms]}" \
		    "$((${R[$s.w.w_non2xx]} + ${R[$s.w.w_errors]}))" \
		    "${R[$s.l.w_rps]}" "${R[$s.l.w_p50_ms]}" "${R[$s.l.w_p99_ms]}" \
		    "${R[$s.p.tps]}" "${R[$s.f.tps]}" "${R[$s.t.tps]}" \
		    "${R[$s.p.ratio]}" "${R[$s.f.ratio]}" "${R[$s.t.ratio]}"
	done
	echo "  (same: the daemon's own SQL; floor: the least SQL for the same rows and total, as the owner;"
	echo "   +token: the floor with the API token looked up first; errors: non-2xx and socket errors)"
	echo
	printf '  pgbench latencies, ms      | %-19s | %-19s | %s\n' "same SQL p50 p99" "floor p50 p99" "+token p50 p99"
	for s in "${SCENARIOS[@]}"; do
		printf '  %-26s | %9s %9s | %9s %9s | %9s %9s\n' "${LABEL[$s]}" "${R[$s.p.p50]}" "${R[$s.p.p99]}" \
		    "${R[$s.f.p50]}" "${R[$s.f.p99]}" "${R[$s.t.p50]}" "${R[$s.t.p99]}"
		for t in p f t; do
			[ "${R[$s.$t.failed]:-0}" = 0 ] ||
				echo "  warning: pgbench ${LABEL[$s]} ($t): failed transactions: ${R[$s.$t.failed]}"
		done
	done
	echo
	echo "targets (issue 12):"
	check "list pages 1-5" "$(verdict ge "${R[list.f.ratio]}" "$LIST_RATIO")" "daemon/floor ${R[list.f.ratio]} >= $LIST_RATIO"
	check "list pages 1-5" "$(verdict ge "$LIST_P99_MAX" "${R[list.l.w_p99_ms]}")" "p99 ${R[list.l.w_p99_ms]} ms <= $LIST_P99_MAX ms at $P99_CONNS connections"
	check "get-one" "$(verdict ge "${R[get.t.ratio]}" "$GET_RATIO")" "daemon/(floor+token) ${R[get.t.ratio]} >= $GET_RATIO"
	check "get-one" "$(verdict ge "$GET_P99_MAX" "${R[get.l.w_p99_ms]}")" "p99 ${R[get.l.w_p99_ms]} ms <= $GET_P99_MAX ms at $P99_CONNS connections"
	check "q search" "$(verdict ge "$SEARCH_P99_MAX" "${R[search.l.w_p99_ms]}")" "p99 ${R[search.l.w_p99_ms]} ms <= $SEARCH_P99_MAX ms at $P99_CONNS connections"
	for s in "${SCENARIOS[@]}"; do
		check "${LABEL[$s]}" "$(verdict [ "$((${R[$s.w.w_non2xx]} + ${R[$s.w.w_errors]} + ${R[$s.l.w_non2xx]} + ${R[$s.l.w_errors]}))" = 0 ])" \
		    "non-2xx $((${R[$s.w.w_non2xx]} + ${R[$s.l.w_non2xx]})), socket errors/timeouts $((${R[$s.w.w_errors]} + ${R[$s.l.w_errors]}))"
	done
	echo "  $FAILED of 8 targets missed"
	echo
	echo "CPU per request in ms at $CONNS connections (the 2 cores give 2000 ms per second to everything, load generators included):"
	echo "(others: the share of the machine's CPU that other processes used during the run)"
	printf '  %-15s | %-37s | %-22s | %-22s | %s\n' "" "daemon: nginx kore postgres   wrk others" \
	    "same SQL: pg  own oth" "floor: pg  own oth" "+token: pg  own oth"
	busy=0
	for s in "${SCENARIOS[@]}"; do
		printf '  %-15s | %13s %5s %8s %5s %5s%% |' "${LABEL[$s]}" \
		    "${R[$s.w.cpu_nginx]}" "${R[$s.w.cpu_kore]}" "${R[$s.w.cpu_pg_d]}" "${R[$s.w.cpu_wrk]}" "${R[$s.w.others]}"
		for t in p f t; do
			printf ' %12s %4s %3s%% |' "${R[$s.$t.cpu_pg]}" "${R[$s.$t.cpu_pgbench]}" "${R[$s.$t.others]}"
			[ "${R[$s.$t.others]}" -le 10 ] || busy=1
		done
		echo
		for v in "${R[$s.w.others]}" "${R[$s.l.others]}"; do [ "$v" -le 10 ] || busy=1; done
	done
	[ "$busy" = 0 ] || echo "  warning: other processes took more than 10% of the CPU during some runs: those numbers are low"
	echo
	echo "Server-Timing of one request each (database time as the daemon measures it):"
	printf '  %s\n' "${SERVER_TIMING[@]}"
	if [ -n "$PROFILE_OUT" ]; then
		echo
		echo "per statement (pg_stat_statements; pgbench, 1 connection, ${PROFILE}s per scenario):"
		echo "$PROFILE_OUT"
	fi
	echo
	echo "plans (EXPLAIN ANALYZE): $WORK/{list,get,search}.explain.txt; raw output: $WORK"
} | tee "$BVAR/results.txt"
exit 0
