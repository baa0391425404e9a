#!/usr/bin/env bash
#
# Issue 2: what row-level security and authentication cost per request.
# Starts its own cluster (var/bench, port 55434) and daemon (port 8897),
# then measures, at the same concurrency:
#   1. pgbench, the daemon's SQL for GET /api/v1/tokens in one pipeline
#   2. pgbench, the same statements one round trip at a time
#   3. pgbench, the list alone for a known tenant (no auth, no RLS)
#   4. wrk, GET /api/v1/tokens and GET /api/v1/me through the daemon
# and prints requests/s with the ratios. Also over TCP (127.0.0.1), where a
# round trip costs more than over the unix socket.
#
# Usage: bench/roundtrips.sh [seconds per run, default 10] [connections, default 16]

. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

SECS=${1:-10}
CONNS=${2:-16}
PORT=8897
BVAR="$CLIENTD_ROOT/var/bench"
BUILD="$CLIENTD_ROOT/build"
SQL="$CLIENTD_ROOT/bench/sql"

install_packages "${RUN_PACKAGES[@]}" wrk
build_c "$BUILD"
pg_setup "$BVAR/pg" 55434
trap 'stop_stack; pg_stop "$BVAR/pg"' EXIT
# shellcheck disable=SC1091
. "$BVAR/pg/env"
"$BUILD/api/clientd" migrate >/dev/null
"$BUILD/api/clientd" demo >/dev/null
start_stack "$BUILD" "$PORT" "$BVAR/run"

TOKEN=$("$BUILD/api/clientd" create-token --email owner@demo.test --token-name bench --replace)
HASH='\x'$(printf '%s' "$TOKEN" | sha256sum | cut -c1-64)
# pgbench connects as clientd_app (RLS applies), the baseline as the owner.
app_pw=$(sed -n 's/^APP_PASSWORD=//p' "$BVAR/pg/secrets")
owner_pw=$(sed -n 's/^OWNER_PASSWORD=//p' "$BVAR/pg/secrets")

pgb() { # pgbench as ROLE PASSWORD HOST SCRIPT
	PGPASSWORD=$2 pgbench -n -M extended -h "$3" -p 55434 -U "$1" \
	    -c "$CONNS" -j 2 -T "$SECS" -D "hash=$HASH" -D company=1 -f "$4" clientd 2>&1 |
	    awk '/^tps/ {printf "%.0f", $3} /latency average/ {lat=$4}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

results=()
for host in "$BVAR/pg/sock" 127.0.0.1; do
	via=$([ "$host" = 127.0.0.1 ] && echo tcp || echo socket)
	p=$(pgb clientd_app "$app_pw" "$host" "$SQL/auth-pipelined.sql")
	s=$(pgb clientd_app "$app_pw" "$host" "$SQL/auth-sequential.sql")
	b=$(pgb clientd_owner "$owner_pw" "$host" "$SQL/no-auth.sql")
	results+=("$(printf '%-6s pipelined %6s tps | sequential %6s tps (pipelined/sequential %.2f) | list alone %6s tps (pipelined/alone %.2f)' \
	    "$via" "$p" "$s" "$(ratio "$p" "$s")" "$b" "$(ratio "$p" "$b")")")
done

wrkrun() {
	wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -H "X-API-Token: $TOKEN" \
	    "http://127.0.0.1:$PORT$1" | awk '/Requests\/sec/ {r=$2} / 50%/ {p50=$2} / 99%/ {p99=$2}
	    END {printf "%s req/s, p50 %s, p99 %s", r, p50, p99}'
}
timing=$(curl -s -D - -o /dev/null -H "X-API-Token: $TOKEN" "http://127.0.0.1:$PORT/api/v1/tokens" |
    sed -n 's/^server-timing: //Ip' | tr -d '\r')

echo
echo "clientd round-trip benchmark: $CONNS connections, ${SECS}s per run, $(nproc) cores"
printf '  %s\n' "${results[@]}"
echo "  daemon GET /api/v1/tokens: $(wrkrun /api/v1/tokens)"
echo "  daemon GET /api/v1/me:     $(wrkrun /api/v1/me)"
echo "  Server-Timing of GET /api/v1/tokens: $timing"
