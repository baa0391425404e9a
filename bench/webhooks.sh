#!/usr/bin/env bash
#
# Webhook delivery (issue 15): deliveries per second from one worker and
# from two to a local receiver that answers at once and to one that
# answers after 200 ms, and the lag from commit to delivery at a steady
# 200 events/s (target: p99 <= 1 s with one worker against an instant
# receiver). Its own cluster (var/bench-webhooks, port 55450), daemon
# (port 8950, to create the webhooks through the API) and receiver (port
# 18945). Events are written straight into PostgreSQL by the generator
# (each through event_add(), which queues the deliveries as every write
# does), so the numbers are the delivery path's, not the API's.
#
# Environment: BENCH_RATE (200 events/s), BENCH_SECONDS (20),
# BENCH_RECEIVER_PORT (18945), BENCH_ONLY (lag or throughput: one half),
# BENCH_BUILD (the build directory to measure; default build/).
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

PORT=8950
PGPORT=55450
RXPORT=${BENCH_RECEIVER_PORT:-18945}
BV="$CLIENTD_ROOT/var/bench-webhooks"
BUILD="${BENCH_BUILD:-$CLIENTD_ROOT/build}"

install_packages "${RUN_PACKAGES[@]}"
npm_install "$CLIENTD_ROOT/tests"
[ -n "${BENCH_BUILD:-}" ] || build_c "$BUILD"

RXPID=
cleanup() {
	trap - INT TERM EXIT
	[ -n "$RXPID" ] && kill "$RXPID" 2>/dev/null || true
	stop_stack
	pg_stop "$BV/pg"
}
trap cleanup INT TERM EXIT

PG_FSYNC=${PG_FSYNC:-on} pg_setup "$BV/pg" "$PGPORT"
# shellcheck disable=SC1091
. "$BV/pg/env"
"$BUILD/api/clientd" migrate >/dev/null
export CLIENTD_WEBHOOKS_ALLOW_PRIVATE=loopback CLIENTD_WEBHOOKS_ALLOW_HTTP=1
if ! psql_super "$BV/pg" "$PGPORT" -d clientd -Atc "SELECT 1 FROM companies WHERE name = 'Bench Hooks'" | grep -q 1; then
	echo "bench-hooks-password" | "$BUILD/api/clientd" create-user --company-name "Bench Hooks" \
	    --email owner@benchhooks.test --password-stdin >/dev/null
	psql_super "$BV/pg" "$PGPORT" -d clientd -q -c "INSERT INTO clients (company_id, number, name)
	    SELECT id, 'B-1', 'Bench client' FROM companies WHERE name = 'Bench Hooks'"
fi
TOKEN=$("$BUILD/api/clientd" create-token --email owner@benchhooks.test --token-name bench --replace)
# Each run starts with an empty queue and log.
psql_super "$BV/pg" "$PGPORT" -d clientd -q -c "DELETE FROM webhooks; DELETE FROM webhook_messages"

# The daemon (nginx on PORT, Kore on its socket), without the stack's
# worker: the benchmark starts the workers it measures itself.
CLIENTD_WORKERS=1 start_stack "$BUILD" "$PORT" "$BV/run"
kill -TERM "$WORKER_PID" 2>/dev/null && wait "$WORKER_PID" 2>/dev/null || true
WORKER_PID=
node "$CLIENTD_ROOT/bench/lib/webhooks-receiver.mjs" "$RXPORT" >"$BV/run/receiver.log" 2>&1 &
RXPID=$!

log "running the webhook benchmark (a few minutes)"
CLIENTD_ROOT="$CLIENTD_ROOT" URL_BASE="http://127.0.0.1:$PORT" TOKEN="$TOKEN" \
    RX="http://127.0.0.1:$RXPORT" WORKER="$BUILD/api/clientd-worker" NPROC="$(nproc)" \
    node "$CLIENTD_ROOT/bench/lib/webhooks-bench.mjs" 2> >(awk '!/clientd-worker/ || /requests \(/' >&2)
