#!/usr/bin/env bash
#
# Documents (issue 14): a 100 MiB file uploaded through the daemon and
# downloaded again, each against PostgreSQL's own COPY of the same bytes
# into a bytea chunk table (512 KiB rows, stored uncompressed, as
# document_chunks), in the same run; the peak resident memory the Kore
# workers gain during each (target: at most 16 MiB, whatever the size of
# the file); and 50 concurrent downloads of a 5 MiB document (aggregate
# MiB/s and p99 latency).
#
# Starts its own cluster (var/bench-documents, port 55461) and stack
# (nginx on 8961, Kore on its socket), as a user reaches it.
#
# Usage: bench/documents.sh
# Environment:
#   BENCH_MIB        size of the big file (default 100)
#   BENCH_ROUNDS     rounds of 50 concurrent downloads (default 4)
#   BENCH_BUILD      the build to measure (default build/, built if needed)
#   CLIENTD_WORKERS  Kore workers (default nproc)
#   PG_FSYNC         fsync of the bench cluster (default on)
# It is a measurement: it exits 0 whether or not the targets are met, and
# 1 when a download is not the bytes uploaded.

. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

MIB=${BENCH_MIB:-100}
ROUNDS=${BENCH_ROUNDS:-4}
CONC=50
export CLIENTD_WORKERS=${CLIENTD_WORKERS:-$(nproc)}
PORT=8961
PGPORT=55461
BVAR="$CLIENTD_ROOT/var/bench-documents"
BUILD=${BENCH_BUILD:-$CLIENTD_ROOT/build}
WORK="$BVAR/work"
RUN="$BVAR/run"
RSS_TARGET=16 # MiB

case "$MIB" in '' | *[!0-9]*) die "BENCH_MIB: \"$MIB\" is not a number" ;; esac
[ "$MIB" -le 100 ] || die "BENCH_MIB: files may have at most 100 MiB"

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
now() { date +%s.%N; }
children() { cat "/proc/$1/task/$1/children" 2>/dev/null; }
rss() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$1/status" 2>/dev/null || echo 0; }

declare -A R

log "writing a ${MIB} MiB file and its COPY form"
head -c $((MIB * 1024 * 1024)) /dev/urandom >"$WORK/big.bin"
head -c $((5 * 1024 * 1024)) /dev/urandom >"$WORK/five.bin"
SUM=$(sha256sum "$WORK/big.bin" | cut -d' ' -f1)
# COPY's text form of the same bytes: one 512 KiB chunk per row, hex.
python3 - "$WORK/big.bin" "$WORK/big.copy" <<-'EOF'
	import sys
	with open(sys.argv[1], 'rb') as f, open(sys.argv[2], 'w') as out:
	    seq = 0
	    while True:
	        b = f.read(512 * 1024)
	        if not b:
	            break
	        out.write('%d\t\\\\x%s\n' % (seq, b.hex()))
	        seq += 1
EOF
# ... and its binary form (COPY ... WITH (FORMAT binary)): the bytes as they are.
python3 - "$WORK/big.bin" "$WORK/big.pgcopy" <<-'EOF'
	import struct, sys
	with open(sys.argv[1], 'rb') as f, open(sys.argv[2], 'wb') as out:
	    out.write(b'PGCOPY\n\xff\r\n\0' + struct.pack('!ii', 0, 0))
	    seq = 0
	    while True:
	        b = f.read(512 * 1024)
	        if not b:
	            break
	        out.write(struct.pack('!hiii', 2, 4, seq, len(b)) + b)
	        seq += 1
	    out.write(struct.pack('!h', -1))
EOF

# --- PostgreSQL's own COPY ---------------------------------------------------
owner_psql <<-EOF
CREATE TABLE bench_chunks (seq int PRIMARY KEY, data bytea NOT NULL);
ALTER TABLE bench_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
EOF
log "COPY of the same bytes into a bytea chunk table"
t0=$(now)
owner_psql -c "\\copy bench_chunks (seq, data) FROM '$WORK/big.copy'"
t1=$(now)
R[copy_s]=$(echo "$t1 - $t0" | bc -l)
[ "$(owner_psql -Atc 'SELECT sum(length(data)) FROM bench_chunks')" = $((MIB * 1024 * 1024)) ] || die "COPY stored another size"
log "COPY out of the chunk table"
t0=$(now)
owner_psql -c "\\copy (SELECT data FROM bench_chunks ORDER BY seq) TO '/dev/null'"
t1=$(now)
R[copy_out_s]=$(echo "$t1 - $t0" | bc -l)
owner_psql -c 'TRUNCATE bench_chunks'
log "COPY of the same bytes in binary format"
t0=$(now)
owner_psql -c "\\copy bench_chunks (seq, data) FROM '$WORK/big.pgcopy' WITH (FORMAT binary)"
t1=$(now)
R[copy_bin_s]=$(echo "$t1 - $t0" | bc -l)
[ "$(owner_psql -Atc 'SELECT sum(length(data)) FROM bench_chunks')" = $((MIB * 1024 * 1024)) ] || die "COPY (binary) stored another size"
owner_psql -c 'DROP TABLE bench_chunks'

# --- the daemon ----------------------------------------------------------------
head -c 18 /dev/urandom | base64 | "$BUILD/api/clientd" create-user \
    --company-name "Bench documents" --email "docs@bench-documents.test" --password-stdin >/dev/null
TOKEN=$("$BUILD/api/clientd" create-token --email "docs@bench-documents.test" --token-name bench)
start_stack "$BUILD" "$PORT" "$RUN"
H=(-H "X-API-Token: $TOKEN")
curl -sf -X PATCH "${H[@]}" -H 'Content-Type: application/json' -d '{"document_max_size": 104857600}' \
    "$BASE/settings" >/dev/null || die "the size limit was refused"
CLIENT=$(curl -sf "${H[@]}" -H 'Content-Type: application/json' -d '{"name": "Bench"}' "$BASE/clients" | jq -r .id)

# The Kore workers' resident memory, sampled every 20 ms; prints the
# largest growth over the worker's own value when sampling began (KiB).
sample_growth() { # out-file
	local out=$1 p v
	declare -A base max
	for p in $(children "$DAEMON_PID"); do
		base[$p]=$(rss "$p")
		max[$p]=${base[$p]}
	done
	while [ ! -f "$out.stop" ]; do
		for p in "${!base[@]}"; do
			v=$(rss "$p")
			[ -n "$v" ] && [ "$v" -gt "${max[$p]}" ] && max[$p]=$v
		done
		sleep 0.02
	done
	v=0
	for p in "${!base[@]}"; do
		[ $((max[$p] - base[$p])) -gt "$v" ] && v=$((max[$p] - base[$p]))
	done
	echo "$v" >"$out"
}
measure() { # name command...
	local name=$1
	shift
	rm -f "$WORK/$name.rss" "$WORK/$name.rss.stop"
	sample_growth "$WORK/$name.rss" &
	SAMPLER=$!
	sleep 0.2
	t0=$(now)
	"$@"
	t1=$(now)
	touch "$WORK/$name.rss.stop"
	wait "$SAMPLER"
	SAMPLER=
	R[${name}_s]=$(echo "$t1 - $t0" | bc -l)
	R[${name}_rss]=$(cat "$WORK/$name.rss")
}

upload() {
	curl -sf "${H[@]}" -F "file=@$WORK/big.bin;type=application/octet-stream" \
	    "$BASE/clients/$CLIENT/documents" >"$WORK/up.json" || die "the upload failed"
}
log "upload of ${MIB} MiB through the daemon"
measure upload upload
DOC=$(jq -r '.data[0].id' "$WORK/up.json")
[ "$(jq -r '.data[0].sha256' "$WORK/up.json")" = "$SUM" ] || die "the stored file is not the one uploaded"

download() { curl -sf "${H[@]}" -o "$WORK/down.bin" "$BASE/documents/$DOC/download" || die "the download failed"; }
log "download of ${MIB} MiB through the daemon"
measure download download
[ "$(sha256sum "$WORK/down.bin" | cut -d' ' -f1)" = "$SUM" ] || die "the download is not the bytes uploaded"
rm -f "$WORK/down.bin"

log "$CONC concurrent downloads of a 5 MiB document, $ROUNDS rounds"
FIVE=$(curl -sf "${H[@]}" -F "file=@$WORK/five.bin" "$BASE/clients/$CLIENT/documents" | jq -r '.data[0].id')
curl -sf "${H[@]}" -o /dev/null "$BASE/documents/$FIVE/download" # warm
t0=$(now)
seq $((CONC * ROUNDS)) | xargs -P "$CONC" -I{} curl -s "${H[@]}" -o /dev/null \
    -w '%{http_code} %{size_download} %{time_total}\n' "$BASE/documents/$FIVE/download" >"$WORK/conc.txt"
t1=$(now)
R[conc_s]=$(echo "$t1 - $t0" | bc -l)
R[conc_ok]=$(awk -v n=$((5 * 1024 * 1024)) '$1 == 200 && $2 == n' "$WORK/conc.txt" | wc -l)
R[conc_p50]=$(awk '{print $3}' "$WORK/conc.txt" | sort -n | awk '{a[NR]=$1} END {print a[int(NR * 0.5 + 0.5)]}')
R[conc_p99]=$(awk '{print $3}' "$WORK/conc.txt" | sort -n | awk '{a[NR]=$1} END {i = int(NR * 0.99 + 0.5); if (i < 1) i = 1; print a[i]}')
stop_stack

mibs() { echo "$1 / $2" | bc -l | xargs printf '%.1f'; }
ratio() { echo "$1 / $2" | bc -l | xargs printf '%.2f'; }
kib2mib() { echo "$1 / 1024" | bc -l | xargs printf '%.1f'; }
pass() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t ? "PASS" : "FAIL") }'; }

{
	echo
	echo "bench/documents.sh  $(date -u +%Y-%m-%dT%H:%MZ)  $(git -C "$CLIENTD_ROOT" rev-parse --short HEAD)$(git -C "$CLIENTD_ROOT" diff --quiet || echo '+changes')"
	echo "$(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); fsync ${PG_FSYNC:-on}; $CLIENTD_WORKERS Kore workers; ${MIB} MiB file"
	echo
	printf '%-34s %9s %9s %10s %16s\n' "" "seconds" "MiB/s" "vs COPY" "Kore RSS growth"
	printf '%-34s %9.2f %9s %10s %16s\n' "COPY into a bytea chunk table" "${R[copy_s]}" "$(mibs "$MIB" "${R[copy_s]}")" "1.00" "-"
	printf '%-34s %9.2f %9s %10s %16s\n' "COPY (binary) into it" "${R[copy_bin_s]}" "$(mibs "$MIB" "${R[copy_bin_s]}")" \
	    "$(ratio "${R[copy_s]}" "${R[copy_bin_s]}")" "-"
	printf '%-34s %9.2f %9s %10s %16s\n' "COPY out of it" "${R[copy_out_s]}" "$(mibs "$MIB" "${R[copy_out_s]}")" "-" "-"
	for k in upload download; do
		g=$(kib2mib "${R[${k}_rss]}")
		printf '%-34s %9.2f %9s %10s %9s MiB %s\n' "$k through the daemon" "${R[${k}_s]}" "$(mibs "$MIB" "${R[${k}_s]}")" \
		    "$(ratio "${R[copy_s]}" "${R[${k}_s]}")" "$g" "$(pass "$g" "$RSS_TARGET")"
	done
	echo "(vs COPY: the time of COPY (text, the table's first row) over the daemon's, for the same bytes;"
	echo " against binary COPY the upload is $(ratio "${R[copy_bin_s]}" "${R[upload_s]}"), the download $(ratio "${R[copy_bin_s]}" "${R[download_s]}");"
	echo " RSS growth: the largest rise of a Kore worker's resident memory, sampled every 20 ms; target at most ${RSS_TARGET} MiB)"
	echo
	echo "$CONC concurrent downloads of 5 MiB, $((CONC * ROUNDS)) in all: ${R[conc_ok]} complete," \
	    "$(mibs "$((5 * CONC * ROUNDS))" "${R[conc_s]}") MiB/s aggregate, p50 ${R[conc_p50]} s, p99 ${R[conc_p99]} s"
} | tee -a "$BVAR/results.txt"
