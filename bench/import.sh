#!/usr/bin/env bash
#
# CSV imports of clients against PostgreSQL's own COPY of the same rows.
# Starts its own cluster (var/bench-import, port 55451) and daemon (port
# 8951). For each size (10,000 and 100,000 rows: a client with a contact
# each, number, name, phone, address, city, postal code, country, the
# contact's first and last name, email and phone) it
#   1. COPYs the rows into clients and client_contacts of a company of
#      their own, one transaction, as the owner role with the tables'
#      triggers on (display name, search text, stats: what a client is);
#   2. with a fresh worker, uploads the same rows as a CSV file through
#      POST /api/v1/imports, maps them as suggested (match key: number,
#      valid rows), runs the dry run and then the import, each timed from
#      the POST to the state that ends it;
# and prints rows/s of COPY, of the dry run and of the import, the ratios
# import/COPY and dry run/COPY against the target (0.5), and the peak
# resident memory of the worker (VmHWM, sampled VmRSS) and of the daemon's
# workers for each size: the worker reads the file in batches, so its peak
# should not grow with the file (target: within 10%).
#
# Usage: bench/import.sh
# Environment:
#   BENCH_SIZES      rows per run (default "10000 100000")
#   CLIENTD_WORKERS  Kore workers (default nproc)
#   PG_FSYNC         fsync of the bench cluster (default on)
# It is a measurement: it exits 0 whether or not the targets are met, and
# 1 when an import does not do what it should (every row created once).

. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

SIZES=${BENCH_SIZES:-10000 100000}
export CLIENTD_WORKERS=${CLIENTD_WORKERS:-$(nproc)}
PORT=8951
PGPORT=55451
BVAR="$CLIENTD_ROOT/var/bench-import"
BUILD="$BVAR/build"
WORK="$BVAR/work"
RUN="$BVAR/run"
TARGET=0.5
MEM_TARGET=10	# percent

for n in $SIZES; do
	case "$n" in '' | *[!0-9]*) die "BENCH_SIZES: \"$n\" is not a number" ;; esac
done

install_packages "${RUN_PACKAGES[@]}" jq
build_c "$BUILD"
PGD="$BVAR/pg"
SAMPLER=
cleanup() {
	[ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null
	stop_stack
	pg_stop "$PGD"
}
trap cleanup EXIT
# A fresh database each run: the tables start empty.
if [ -d "$PGD/data" ]; then
	pg_stop "$PGD"
	rm -rf "$PGD"
fi
PG_FSYNC=${PG_FSYNC:-on} pg_setup "$PGD" "$PGPORT"
# shellcheck disable=SC1091
. "$PGD/env"
"$BUILD/api/clientd" migrate >/dev/null
rm -rf "$WORK"
mkdir -p "$WORK"
BASE="http://127.0.0.1:$PORT/api/v1"

owner_psql() { psql -X -q -v ON_ERROR_STOP=1 "$DATABASE_OWNER_URL" "$@"; }

# The rows, as CSV for the import and as two COPY files. Client i of a
# size is the same in all three; COPY gets the country as the code the
# import makes of it.
make_files() { # rows
	local n=$1
	awk -v n="$n" -v csv="$WORK/$n.csv" -v cl="$WORK/$n.clients.tsv" -v co="$WORK/$n.contacts.tsv" 'BEGIN {
	    split("Novak Müller Rossi Larsen Dubois Smith Nair Weber Ortiz Clarke", last, " ")
	    split("Lena Jonas Maya Priya Sofia Ethan Chen Ingrid Tomás Zoë", first, " ")
	    split("Northwind Harbor Cedar Lumen Orbit Maple Fjord Bluebird Summit Granite", brand, " ")
	    split("Trading Logistics Studio Dental Software Bakery Supply Consulting Solar Labs", kind, " ")
	    split("Berlin|Köln|London|Amsterdam|Paris|Oslo|Dublin|Wien|Lyon|Leeds", city, "|")
	    split("DE DE GB NL FR NO IE AT FR GB", cc, " ")
	    print "Client number,Company,Phone,Address,City,Postal code,Country,First name,Last name,Email,Contact phone" > csv
	    for (i = 1; i <= n; i++) {
		k = (i * 7919) % 10 + 1; m = (i * 104729) % 10 + 1; c = i % 10 + 1
		num = sprintf("B%06d", i)
		name = brand[k] " " kind[m] " " i
		phone = sprintf("+49 30 %07d", i)
		addr = (i % 97 + 1) " High Street"
		pc = sprintf("%05d", (i * 31) % 100000)
		em = sprintf("%s.%s%d@bench-import.example", tolower(first[m]), tolower(last[k]), i)
		gsub(/[^a-z0-9.@-]/, "x", em)
		cp = sprintf("+44 20 %07d", i)
		printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", num, name, phone, addr, city[c], pc, cc[c], first[m], last[k], em, cp > csv
		printf "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", i, num, name, phone, addr, city[c], pc, cc[c] > cl
		printf "%d\t%s\t%s\t%s\t%s\n", i, first[m], last[k], em, cp > co
	    }
	}'
}

# Peak memory of a process in KiB: VmHWM.
hwm() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$1/status" 2>/dev/null || echo 0; }
children() { cat "/proc/$1/task/$1/children" 2>/dev/null; }

declare -A R

copy_rows() { # rows
	local n=$1 company t0 t1 base
	head -c 18 /dev/urandom | base64 | "$BUILD/api/clientd" create-user \
	    --company-name "COPY $n" --email "copy$n@bench-import.test" --password-stdin >/dev/null
	company=$(owner_psql -Atc "SELECT company_id FROM users WHERE email = 'copy$n@bench-import.test'")
	# Client ids are taken from the sequence up front, so the contacts
	# can name their client in the same COPY run.
	base=$(owner_psql -Atc "SELECT nextval('clients_id_seq')")
	owner_psql -Atc "SELECT setval('clients_id_seq', $base + $n)" >/dev/null
	awk -F'\t' -v OFS='\t' -v b="$base" -v c="$company" '{ $1 = b + $1; print $1, c, $2, $3, $4, $5, $6, $7, $8 }' \
	    "$WORK/$n.clients.tsv" >"$WORK/$n.clients.copy"
	awk -F'\t' -v OFS='\t' -v b="$base" -v c="$company" '{ print c, b + $1, $2, $3, $4, $5, "t", 0 }' \
	    "$WORK/$n.contacts.tsv" >"$WORK/$n.contacts.copy"
	log "$n rows: COPY into clients and client_contacts"
	t0=$(date +%s.%N)
	owner_psql <<-EOF
	BEGIN;
	\copy clients (id, company_id, number, name, phone, address1, city, postal_code, country) FROM '$WORK/$n.clients.copy'
	\copy client_contacts (company_id, client_id, first_name, last_name, email, phone, is_primary, position) FROM '$WORK/$n.contacts.copy'
	COMMIT;
	EOF
	t1=$(date +%s.%N)
	R[$n.copy_s]=$(echo "$t1 - $t0" | bc -l)
	R[$n.copy_rows]=$(owner_psql -Atc "SELECT count(*) FROM clients WHERE company_id = $company")
	[ "${R[$n.copy_rows]}" = "$n" ] || die "COPY made ${R[$n.copy_rows]} clients, not $n"
	owner_psql -c "ANALYZE clients; ANALYZE client_contacts" >/dev/null
}

# Waits until the import is no longer busy; prints its status.
wait_idle() { # token id
	local s
	while :; do
		s=$(curl -sf -H "X-API-Token: $1" "$BASE/imports/$2" | jq -r .status) || die "GET /imports/$2 failed"
		case "$s" in checking | queued | running) sleep 0.5 ;; *) echo "$s"; return ;; esac
	done
}

# The worker's resident memory, sampled every 0.2 s into a file (KiB).
sample_rss() { # pid file
	local max=0 v
	while kill -0 "$1" 2>/dev/null; do
		v=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$1/status" 2>/dev/null)
		if [ -n "$v" ] && [ "$v" -gt "$max" ]; then
			max=$v
			echo "$max" >"$2"
		fi
		sleep 0.2
	done
}

import_rows() { # rows
	local n=$1 token id r t0 t1 status wpid kpid k
	head -c 18 /dev/urandom | base64 | "$BUILD/api/clientd" create-user \
	    --company-name "Import $n" --email "import$n@bench-import.test" --password-stdin >/dev/null
	token=$("$BUILD/api/clientd" create-token --email "import$n@bench-import.test" --token-name bench)
	# A fresh daemon and worker: their peaks are this size's.
	stop_stack
	start_stack "$BUILD" "$PORT" "$RUN"
	wpid=$(children "$WORKER_PID" | awk '{print $1}')
	[ -n "$wpid" ] || die "no worker process under $WORKER_PID"
	R[$n.w_start]=$(hwm "$wpid")
	echo 0 >"$WORK/$n.rss"
	sample_rss "$wpid" "$WORK/$n.rss" &
	SAMPLER=$!

	log "$n rows: upload ($(du -h "$WORK/$n.csv" | cut -f1))"
	t0=$(date +%s.%N)
	r=$(curl -sf -H "X-API-Token: $token" -F "file=@$WORK/$n.csv;type=text/csv" "$BASE/imports") || die "upload failed"
	t1=$(date +%s.%N)
	R[$n.upload_s]=$(echo "$t1 - $t0" | bc -l)
	id=$(jq -r .id <<<"$r")
	[ "$(jq -r .file.rows <<<"$r")" = "$n" ] || die "the upload counted $(jq -r .file.rows <<<"$r") rows"
	curl -sf -X PATCH -H "X-API-Token: $token" -H 'Content-Type: application/json' \
	    -d "{\"mapping\": $(jq -c .suggested_mapping <<<"$r"), \"options\": {\"match_key\": \"number\", \"mode\": \"valid_rows\"}}" \
	    "$BASE/imports/$id" >/dev/null || die "the suggested mapping was refused: $(jq -c .suggested_mapping <<<"$r")"
	R[$n.k_hwm]=0
	for kpid in $(children "$DAEMON_PID"); do
		k=$(hwm "$kpid")
		[ "$k" -gt "${R[$n.k_hwm]}" ] && R[$n.k_hwm]=$k
	done

	log "$n rows: dry run"
	t0=$(date +%s.%N)
	curl -sf -X POST -H "X-API-Token: $token" "$BASE/imports/$id/dry-run" >/dev/null || die "dry run refused"
	status=$(wait_idle "$token" "$id")
	t1=$(date +%s.%N)
	R[$n.dry_s]=$(echo "$t1 - $t0" | bc -l)
	r=$(curl -sf -H "X-API-Token: $token" "$BASE/imports/$id")
	[ "$(jq -r .dry_run.created <<<"$r")" = "$n" ] || die "the dry run would create $(jq -r .dry_run.created <<<"$r"), not $n ($status)"
	R[$n.w_dry]=$(hwm "$wpid")

	log "$n rows: import"
	t0=$(date +%s.%N)
	curl -sf -X POST -H "X-API-Token: $token" "$BASE/imports/$id/run" >/dev/null || die "run refused"
	status=$(wait_idle "$token" "$id")
	t1=$(date +%s.%N)
	R[$n.run_s]=$(echo "$t1 - $t0" | bc -l)
	r=$(curl -sf -H "X-API-Token: $token" "$BASE/imports/$id")
	[ "$status" = completed ] && [ "$(jq -r .result.created <<<"$r")" = "$n" ] ||
		die "the import ended $status: $(jq -c .result <<<"$r")"
	R[$n.imported]=$(owner_psql -Atc "SELECT count(*) FROM clients c JOIN users u USING (company_id)
	    WHERE u.email = 'import$n@bench-import.test'")
	[ "${R[$n.imported]}" = "$n" ] || die "$n rows imported as ${R[$n.imported]} clients"
	R[$n.w_hwm]=$(hwm "$wpid")
	kill "$SAMPLER" 2>/dev/null
	wait "$SAMPLER" 2>/dev/null || true
	SAMPLER=
	R[$n.w_rss]=$(cat "$WORK/$n.rss")
	R[$n.summary]=$(jq -r .result.summary <<<"$r")
}

rate() { echo "$1 / $2" | bc -l | xargs printf '%.0f'; }
ratio() { echo "$1 / $2" | bc -l | xargs printf '%.2f'; }
mib() { echo "$1 / 1024" | bc -l | xargs printf '%.1f'; }

START_LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
for n in $SIZES; do
	log "$n rows: writing the files"
	make_files "$n"
	copy_rows "$n"
	import_rows "$n"
done
stop_stack
END_LOAD=$(cut -d' ' -f1-3 /proc/loadavg)

{
	echo
	echo "bench/import.sh  $(date -u +%Y-%m-%dT%H:%MZ)  $(git -C "$CLIENTD_ROOT" rev-parse --short HEAD)$(git -C "$CLIENTD_ROOT" diff --quiet || echo '+changes')"
	echo "$(nproc) cores; load average at start $START_LOAD, at end $END_LOAD; fsync ${PG_FSYNC:-on}; $CLIENTD_WORKERS Kore workers"
	echo
	printf '%-8s %10s %10s %10s %10s %12s %12s\n' rows "COPY r/s" "dry r/s" "run r/s" "upload s" "dry/COPY" "run/COPY"
	for n in $SIZES; do
		c=$(rate "$n" "${R[$n.copy_s]}")
		d=$(rate "$n" "${R[$n.dry_s]}")
		u=$(rate "$n" "${R[$n.run_s]}")
		rd=$(ratio "$d" "$c")
		ru=$(ratio "$u" "$c")
		printf '%-8s %10s %10s %10s %10.1f %7s %-4s %7s %-4s\n' "$n" "$c" "$d" "$u" "${R[$n.upload_s]}" \
		    "$rd" "$(awk -v r="$rd" -v t=$TARGET 'BEGIN { print (r >= t ? "PASS" : "FAIL") }')" \
		    "$ru" "$(awk -v r="$ru" -v t=$TARGET 'BEGIN { print (r >= t ? "PASS" : "FAIL") }')"
	done
	echo
	printf '%-8s %14s %14s %14s %16s\n' rows "worker start" "worker peak" "sampled RSS" "Kore worker peak"
	for n in $SIZES; do
		printf '%-8s %11s MiB %11s MiB %11s MiB %13s MiB\n' "$n" "$(mib "${R[$n.w_start]}")" \
		    "$(mib "${R[$n.w_hwm]}")" "$(mib "${R[$n.w_rss]}")" "$(mib "${R[$n.k_hwm]}")"
	done
	set -- $SIZES
	if [ $# -ge 2 ]; then
		first=$1
		last=${!#}
		g=$(echo "(${R[$last.w_hwm]} - ${R[$first.w_hwm]}) * 100 / ${R[$first.w_hwm]}" | bc -l | xargs printf '%.1f')
		echo "worker peak, $last rows against $first: ${g}% ($(awk -v g="$g" -v t=$MEM_TARGET 'BEGIN { print (g <= t && g >= -t ? "PASS" : "FAIL") }'), target within ${MEM_TARGET}%)"
	fi
	echo
	for n in $SIZES; do echo "$n rows: ${R[$n.summary]}"; done
} | tee -a "$BVAR/results.txt"
