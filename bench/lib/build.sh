# Sourced by the benchmarks: bench_build BVAR builds what is measured into
# $BUILD and says what it is in $MEASURED. With BENCH_REV, that is a git
# revision, exported into BVAR/src and built in BVAR/build-rev (or
# BENCH_BUILD), and the daemon runs with that revision's own Kore
# configuration (CLIENTD_CONF_IN), so that a revision from before a change
# of the configuration runs as it did; the harness (bench/) stays the
# working tree's, so both sides are measured the same way.
# Without it, the working tree is built into $BUILD.

bench_build() {
	local bvar=$1 rev src
	if [ -z "${BENCH_REV:-}" ]; then
		build_c "$BUILD"
		MEASURED="working tree at $(git -C "$CLIENTD_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(
		    [ -n "$(git -C "$CLIENTD_ROOT" status --porcelain -- api sql 2>/dev/null)" ] &&
			echo ' + uncommitted changes in api/ or sql/' || true)"
		return
	fi
	rev=$(git -C "$CLIENTD_ROOT" rev-parse --verify "$BENCH_REV^{commit}")
	src="$bvar/src"
	if [ "$(cat "$src/.bench-rev" 2>/dev/null)" != "$rev" ]; then
		log "exporting $rev into ${src#"$CLIENTD_ROOT"/}"
		rm -rf "$src"
		mkdir -p "$src"
		git -C "$CLIENTD_ROOT" archive "$rev" | tar -x -C "$src"
		echo "$rev" >"$src/.bench-rev"
	fi
	BUILD=${BENCH_BUILD:-$bvar/build-rev}
	CLIENTD_ROOT="$src" build_c "$BUILD"
	export CLIENTD_CONF_IN="$src/api/conf/clientd.conf.in"
	MEASURED="revision $rev"
}
