#!/usr/bin/env bash
#
# Logins against the rest of the API (issue 10, finding 1): p50/p99 of
# GET /healthz and of an authenticated GET /api/v1/clients/{id}, each sent
# at a steady rate (open loop, bench/lib/login-storm.mjs), first with no
# logins, then while logins with the right password arrive at a steady
# rate (default 10/s). Each login comes from an address of its own and the
# accounts are taken in turn, so the daemon's login limits are not what is
# measured. Starts its own cluster (var/bench-login, port 55439) and daemon
# (port 8893); a fresh database each run.
#
# Usage: bench/login.sh [seconds per phase, default 20] [logins per second, default 10]
# Environment: CLIENTD_WORKERS (Kore workers, default nproc), BENCH_WARMUP
# (seconds before each phase's measurement, default 3), BENCH_PROBES
# (requests per second of each probe, default 50), BENCH_REV (a git
# revision to measure instead of the working tree; bench/lib/build.sh).
# Target: both probes' p99 at most 20 ms while the logins arrive. It is a
# measurement: it exits 0 whether or not the target is met.

. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
# shellcheck source=bench/lib/build.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/build.sh"

SECS=${1:-20}
RATE=${2:-10}
WARMUP=${BENCH_WARMUP:-3}
PROBES=${BENCH_PROBES:-50}
export CLIENTD_WORKERS=${CLIENTD_WORKERS:-$(nproc)}
PORT=8893
PGPORT=55439
BVAR="$CLIENTD_ROOT/var/bench-login"
BUILD="$BVAR/build"
WORK="$BVAR/work"
BENCH="$CLIENTD_ROOT/bench"
ACCOUNTS=40
P99_MAX=20

case "$SECS$RATE" in *[!0-9]*) die "usage: bench/login.sh [seconds] [logins per second]" ;; esac

install_packages "${RUN_PACKAGES[@]}"
node_bootstrap
bench_build "$BVAR"
PGD="$BVAR/pg"
trap 'stop_stack; pg_stop "$PGD"' EXIT
if [ -d "$PGD/data" ]; then
	pg_stop "$PGD"
	rm -rf "$PGD"
fi
pg_setup "$PGD" "$PGPORT"
# shellcheck disable=SC1091
. "$PGD/env"
"$BUILD/api/clientd" migrate >/dev/null

rm -rf "$WORK"
mkdir -p "$WORK"
chmod 700 "$WORK"
PASSWORD="bench-$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
log "creating $ACCOUNTS accounts"
printf '%s\n' "$PASSWORD" | "$BUILD/api/clientd" create-user --company-name "Login Bench" \
    --email login-1@bench.test --password-stdin >/dev/null
COMPANY=$(psql -X -Atq -d "$DATABASE_OWNER_URL" \
    -c "SELECT c.public_id FROM companies c JOIN users u ON u.company_id = c.id WHERE u.email = 'login-1@bench.test'")
echo login-1@bench.test >"$WORK/accounts.txt"
for i in $(seq 2 "$ACCOUNTS"); do
	printf '%s\n' "$PASSWORD" | "$BUILD/api/clientd" create-user --company "$COMPANY" \
	    --email "login-$i@bench.test" --role member --password-stdin >/dev/null
	echo "login-$i@bench.test" >>"$WORK/accounts.txt"
done
TOKEN=$("$BUILD/api/clientd" create-token --email login-1@bench.test --token-name bench)

# Each login comes from an address of its own (X-Forwarded-For): nginx
# passes the harness's on, as in the test stack, and the daemon trusts it.
export CLIENTD_TRUSTED_PROXIES=127.0.0.1 CLIENTD_PROXY_TRUST_CLIENT_XFF=1
start_stack "$BUILD" "$PORT" "$BVAR/run"
BASE="http://127.0.0.1:$PORT"
CLIENT=$(curl -sf -H "X-API-Token: $TOKEN" -H 'Content-Type: application/json' \
    -d '{"name":"Read while logins arrive"}' "$BASE/api/v1/clients" | jq -r .id)
[ -n "$CLIENT" ] && [ "$CLIENT" != null ] || die "could not create the client"

phase() { # name logins-per-second
	log "$1: probes at ${PROBES}/s each, logins at $2/s, ${SECS}s (after ${WARMUP}s)"
	node "$BENCH/lib/login-storm.mjs" --url "$BASE" --token "$TOKEN" --client "$CLIENT" \
	    --accounts "$WORK/accounts.txt" --password "$PASSWORD" --probes "$PROBES" \
	    --logins "$2" --seconds "$SECS" --warmup "$WARMUP" >"$WORK/$1.json"
}
phase quiet 0
phase logins "$RATE"
stop_stack

field() { jq -r "$2" "$WORK/$1.json"; }
{
	echo
	echo "clientd login benchmark: probes at ${PROBES}/s each, logins at ${RATE}/s, ${SECS}s per phase after ${WARMUP}s"
	echo "  measured: $MEASURED"
	echo "  nproc $(nproc), Kore workers $CLIENTD_WORKERS, $ACCOUNTS accounts, a new address per login"
	echo
	printf '  %-10s %-22s %8s %8s %8s %8s %8s  %s\n' phase request n 'p50 ms' 'p90 ms' 'p99 ms' 'max ms' statuses
	for p in quiet logins; do
		for r in healthz client login; do
			[ "$(field $p ".$r.n")" = 0 ] && continue
			printf '  %-10s %-22s %8s %8.2f %8.2f %8.2f %8.2f  %s\n' "$p" \
			    "$(case $r in healthz) echo 'GET /healthz' ;; client) echo 'GET /clients/{id}' ;; login) echo 'POST /login' ;; esac)" \
			    "$(field $p ".$r.n")" "$(field $p ".$r.p50")" "$(field $p ".$r.p90")" \
			    "$(field $p ".$r.p99")" "$(field $p ".$r.max")" "$(field $p ".$r.statuses | tostring")"
		done
	done
	echo
	for r in healthz client; do
		v=$(field logins ".$r.p99")
		if awk -v a="$v" -v b="$P99_MAX" 'BEGIN { exit !(a <= b) }'; then res=PASS; else res=FAIL; fi
		printf '  target: %-8s p99 %.2f ms <= %d ms while logins arrive: %s\n' "$r" "$v" "$P99_MAX" "$res"
	done
	echo "raw output: $WORK"
} | tee "$WORK/summary.txt"
