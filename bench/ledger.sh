#!/usr/bin/env bash
#
# Ledger postings under load, against the database alone doing the same
# work. Starts its own cluster (var/bench-ledger, port 55436) and daemon
# (port 8898), makes a company with 100 clients, then for
#   many  POST /api/v1/clients/{id}/ledger, a random one of the 100 clients
#   one   POST /api/v1/clients/{id}/ledger, always the same client
# (each with a new Idempotency-Key, invoices and payments alternating)
# measures at the same concurrency:
#   - the daemon through nginx, with wrk over loopback (bench/lua/ledger.lua);
#   - pgbench sending exactly the SQL the daemon sent for such a request
#     (captured with CLIENTD_SQL_LOG, turned into pgbench scripts by
#     bench/lib/pgbench-scripts.mjs, the Idempotency-Key a new random value
#     per transaction): auth_begin, idem_begin, ledger_post + idem_store,
#     one pipeline per transaction, as clientd_app over the same socket;
# and prints entries/s, p50/p99, the ratio daemon/pgbench against the target
# (0.5), and what `clientd check-ledger` finds afterwards (must be 0).
#
# Usage: bench/ledger.sh [seconds per run, default 15] [connections, default 32]
# Environment: CLIENTD_WORKERS (Kore workers, default nproc), BENCH_WARMUP
# (seconds of warm-up before each measured run, default 3), BENCH_REV (a git
# revision to measure instead of the working tree; bench/lib/build.sh).
# It is a measurement: it exits 0 whether or not the target is met, and 1
# only when the integrity check finds a difference.

. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
# shellcheck source=bench/lib/build.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/build.sh"

SECS=${1:-15}
CONNS=${2:-32}
WARMUP=${BENCH_WARMUP:-3}
export CLIENTD_WORKERS=${CLIENTD_WORKERS:-$(nproc)}
PORT=8898
PGPORT=55436
BVAR="$CLIENTD_ROOT/var/bench-ledger"
BUILD="$BVAR/build"
WORK="$BVAR/work"
BENCH="$CLIENTD_ROOT/bench"
CLIENTS=100
TARGET=0.5

case "$SECS$CONNS" in *[!0-9]*) die "usage: bench/ledger.sh [seconds] [connections]" ;; esac
THREADS=$((CONNS < 2 ? 1 : 2))

install_packages "${RUN_PACKAGES[@]}" wrk
bench_build "$BVAR"
PGD="$BVAR/pg"
trap 'stop_stack; pg_stop "$PGD"' EXIT
# A fresh database each run: the counts below are this run's.
if [ -d "$PGD/data" ]; then
	pg_stop "$PGD"
	rm -rf "$PGD"
fi
PG_FSYNC=${PG_FSYNC:-on} pg_setup "$PGD" "$PGPORT"
# shellcheck disable=SC1091
. "$PGD/env"
APP_PW=$(sed -n 's/^APP_PASSWORD=//p' "$PGD/secrets")
"$BUILD/api/clientd" migrate >/dev/null

head -c 18 /dev/urandom | base64 | "$BUILD/api/clientd" create-user \
    --company-name "Ledger Bench" --email owner@ledger-bench.test --password-stdin >/dev/null
TOKEN=$("$BUILD/api/clientd" create-token --email owner@ledger-bench.test --token-name bench)

rm -rf "$WORK"
mkdir -p "$WORK"
chmod 700 "$WORK"
export CLIENTD_SQL_LOG="$WORK/sql.log"
: >"$CLIENTD_SQL_LOG"
start_stack "$BUILD" "$PORT" "$BVAR/run"
BASE="http://127.0.0.1:$PORT"
log "creating $CLIENTS clients"
for i in $(seq 1 "$CLIENTS"); do
	curl -sf -H "X-API-Token: $TOKEN" -H 'Content-Type: application/json' \
	    -d "{\"name\":\"Ledger client $i\"}" "$BASE/api/v1/clients" | jq -r .id
done >"$WORK/clients.txt"
[ "$(wc -l <"$WORK/clients.txt")" = "$CLIENTS" ] || die "could not create $CLIENTS clients"

# One captured posting per client (the keys are replaced per transaction).
: >"$CLIENTD_SQL_LOG"
log "capturing the daemon's SQL for one posting per client"
i=0
while read -r id; do
	i=$((i + 1))
	printf '%s\t/api/v1/clients/%s/ledger\n' "$TOKEN" "$id" >>"$WORK/many.tsv"
	code=$(curl -s -o /dev/null -w '%{http_code}' -H "X-API-Token: $TOKEN" \
	    -H 'Content-Type: application/json' -H "Idempotency-Key: capture-$i" \
	    -d '{"kind":"invoice","amount":"12.34","reference":"Bench invoice"}' \
	    "$BASE/api/v1/clients/$id/ledger")
	[ "$code" = 201 ] || die "capture posting answered $code"
done <"$WORK/clients.txt"
head -n 1 "$WORK/many.tsv" >"$WORK/one.tsv"
grep '"capture-1"' "$CLIENTD_SQL_LOG" >"$WORK/one.log"
cp "$CLIENTD_SQL_LOG" "$WORK/many.log"
for s in many one; do
	node "$BENCH/lib/pgbench-scripts.mjs" --log "$WORK/$s.log" --out "$WORK" --name "$s" \
	    --per-file 1 --unique '^capture-[0-9]+$' >&2
done
SERVER_TIMING=$(curl -s -D - -o /dev/null -H "X-API-Token: $TOKEN" \
    -H 'Content-Type: application/json' -H "Idempotency-Key: timing-1" \
    -d '{"kind":"payment","amount":"-1.00"}' "$BASE$(cut -f2 "$WORK/one.tsv")" |
    sed -n 's/^server-timing: //Ip' | tr -d '\r')
stop_stack
unset CLIENTD_SQL_LOG

declare -A R

run_wrk() { # scenario
	local s=$1 out
	wrk -t$THREADS -c"$CONNS" -d"${WARMUP}s" --timeout 30s -s "$BENCH/lua/ledger.lua" \
	    "$BASE" -- "$WORK/$s.tsv" >/dev/null
	wrk -t$THREADS -c"$CONNS" -d"${SECS}s" --timeout 30s --latency \
	    -s "$BENCH/lua/ledger.lua" "$BASE" -- "$WORK/$s.tsv" >"$WORK/$s.wrk.txt"
	out=$(grep '^BENCH ' "$WORK/$s.wrk.txt") || die "$s: wrk printed no result"
	for kv in ${out#BENCH }; do R[$s.w_${kv%%=*}]=${kv#*=}; done
	R[$s.w_errors]=$((${R[$s.w_connect_err]} + ${R[$s.w_read_err]} + ${R[$s.w_write_err]} + ${R[$s.w_timeout_err]}))
}

# pgbench opens new connections, whose first transactions are slow (cold
# caches, PL/pgSQL compiled per backend), whereas the daemon's stay warm.
# So it runs warm-up + measured seconds in one go and the rate is the mean
# of its per-second progress reports after the warm-up.
run_pgbench() { # scenario
	local s=$1 l f
	local -a args=(-n -M extended -h "$PGD/sock" -p "$PGPORT" -U clientd_app
	    -c "$CONNS" -j "$THREADS" -T "$((WARMUP + SECS))" -P 1)
	while IFS= read -r l; do [ -n "$l" ] && args+=(-D "$l"); done <"$WORK/$s.defines"
	while IFS= read -r f; do args+=(-f "$f"); done <"$WORK/$s.files"
	PGPASSWORD=$APP_PW pgbench "${args[@]}" clientd >"$WORK/$s.pgbench.txt" 2>&1 ||
		die "$s: pgbench failed (see $WORK/$s.pgbench.txt)"
	read -r "R[$s.p_tps]" "R[$s.p_lat]" < <(awk -v w="$WARMUP" '
	    /^progress: / { t = $2 + 0; if (t > w) { tps += $4; lat += $7; n++ } }
	    END { printf "%.1f %.2f\n", (n ? tps / n : 0), (n ? lat / n : 0) }' "$WORK/$s.pgbench.txt")
	R[$s.p_failed]=$(awk '/^number of failed transactions: / {print $5}' "$WORK/$s.pgbench.txt")
}

start_stack "$BUILD" "$PORT" "$BVAR/run"
for s in many one; do
	log "$s: wrk, $CONNS connections, ${SECS}s (after ${WARMUP}s warm-up)"
	run_wrk "$s"
	log "$s: pgbench, $CONNS connections, ${SECS}s (after ${WARMUP}s warm-up)"
	run_pgbench "$s"
done
stop_stack
CHECK=$("$BUILD/api/clientd" check-ledger 2>&1) && CHECK_OK=1 || CHECK_OK=0

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
{
	echo
	echo "clientd ledger benchmark: $CLIENTS clients, $CONNS connections, ${SECS}s measured after ${WARMUP}s warm-up"
	echo "  measured: $MEASURED"
	echo "  nproc $(nproc), Kore workers $CLIENTD_WORKERS, wrk -t$THREADS and pgbench -j$THREADS, fsync ${PG_FSYNC:-on}"
	echo
	printf '  %-22s | %-44s | %-20s | %s\n' "" "daemon, wrk -c$CONNS" "pgbench -c$CONNS" "daemon/"
	printf '  %-22s | %10s %8s %8s %7s %6s | %10s %9s | %s\n' scenario 'entries/s' 'p50 ms' 'p99 ms' \
	    'non-2xx' 'errors' 'entries/s' 'avg ms' 'pgbench'
	for s in many one; do
		label=$([ "$s" = many ] && echo "spread over $CLIENTS clients" || echo "all to one client")
		R[$s.ratio]=$(ratio "${R[$s.w_rps]}" "${R[$s.p_tps]}")
		printf '  %-22s | %10s %8s %8s %7s %6s | %10s %9s | %s %s\n' "$label" \
		    "${R[$s.w_rps]}" "${R[$s.w_p50_ms]}" "${R[$s.w_p99_ms]}" "${R[$s.w_non2xx]}" \
		    "${R[$s.w_errors]}" "${R[$s.p_tps]}" "${R[$s.p_lat]}" "${R[$s.ratio]}" \
		    "$(ge "${R[$s.ratio]}" "$TARGET" && echo "PASS (>= $TARGET)" || echo "FAIL (< $TARGET)")"
		[ "${R[$s.p_failed]:-0}" = 0 ] || echo "  warning: pgbench $s: ${R[$s.p_failed]} failed transactions"
	done
	echo
	echo "Server-Timing of one posting: $SERVER_TIMING"
	echo "integrity after the runs: $CHECK"
	echo "raw output: $WORK"
} | tee "$BVAR/results.txt"
[ "$CHECK_OK" = 1 ]
