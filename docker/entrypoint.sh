#!/usr/bin/env bash
#
# Entrypoint of the clientd image (docker/Dockerfile).
#
#   daemon              the HTTP daemon: Kore (built with clientd's patches)
#                       in the foreground, on the unix socket CLIENTD_SOCKET
#                       (the default command)
#   proxy               nginx in front of it: TLS on 8443, a redirect on
#                       8080, the same configuration as every other stack
#   worker              the background worker
#   migrate [--status]  apply pending migrations (DATABASE_OWNER_URL)
#   clientd ARGS...     any command of the CLI: create-user, create-token,
#                       check, demo, routes (see api/src/cli/main.c)
#   COMMAND ARGS...     any other program in the image, e.g. bash
#
# Environment, besides the daemon's own (api/src/init.c):
#   CLIENTD_DATABASE_URL  libpq connection string: as clientd_app for the
#                         daemon, as clientd_worker for the worker
#   DATABASE_OWNER_URL    as clientd_owner, for migrate and the account
#                         commands; the daemon and the worker drop it
#   CLIENTD_WORKERS       Kore worker processes (default: the CPUs, nproc)
#   CLIENTD_RUNDIR        writable directory for the rendered configuration,
#                         the pidfile, request bodies offloaded to disk and
#                         nginx's files (/run/clientd)
#   CLIENTD_SOCKET        Kore's unix socket, in a volume the daemon and the
#                         proxy share (/run/clientd/sock/kore.sock)
#   CLIENTD_TLS_DIR       tls.crt and tls.key for the proxy (/etc/nginx/tls)
#   CLIENTD_METRICS_PORT  Kore's metrics listener on the container's
#                         loopback (9090): docker compose exec clientd
#                         curl -s 127.0.0.1:9090/metrics
#   CLIENTD_SHARE, CLIENTD_MODULE  where the image keeps the configuration
#                         templates and the SPA, and the Kore module
#
# The configurations are rendered from api/conf/clientd.conf.in and
# api/conf/nginx.conf.in with the substitutions of kore_conf() and
# nginx_conf() in scripts/lib.sh, except that nginx here speaks TLS (the
# template's "#@tls " lines), logs to standard output and error, and
# listens on 8443 (and 8080, which redirects): ports over 1024, so that it
# runs unprivileged. Kore listens on the unix socket only; what reaches it
# came through nginx, whose X-Forwarded-For it believes.

set -euo pipefail

SHARE=${CLIENTD_SHARE:-/usr/local/share/clientd}
MODULE=${CLIENTD_MODULE:-/usr/local/lib/clientd/clientd.so}
RUNDIR=${CLIENTD_RUNDIR:-/run/clientd}
SOCKET=${CLIENTD_SOCKET:-/run/clientd/sock/kore.sock}
TLS_DIR=${CLIENTD_TLS_DIR:-/etc/nginx/tls}
# Kore's metrics listener (GET /metrics), on the container's loopback.
METRICS_PORT=${CLIENTD_METRICS_PORT:-9090}
# The unprivileged user the image runs as (docker/Dockerfile).
RUN_AS=${CLIENTD_USER:-clientd}

die() {
	printf 'clientd-entrypoint: %s\n' "$*" >&2
	exit 1
}

usage() {
	echo "usage: clientd-entrypoint COMMAND [ARGS...]"
	sed -n '5,14s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

# check_paths: none of the paths may break the sed substitutions.
check_paths() {
	case "$MODULE$RUNDIR$SOCKET$TLS_DIR" in
	*[\|\&\\[:space:]]*) die "CLIENTD_MODULE, CLIENTD_RUNDIR, CLIENTD_SOCKET and CLIENTD_TLS_DIR may not contain |, &, \\ or spaces" ;;
	esac
}

# finish_conf TMP OUT: refuses a half-rendered file, else moves it in place.
finish_conf() {
	if grep -En '^[^#]*@[A-Z_]+@' "$1" >&2; then
		rm -f "$1"
		die "$(basename "$2").in has placeholders this script does not fill in"
	fi
	mv "$1" "$2"
}

# render_conf OUT: writes the Kore configuration for this container.
render_conf() {
	local out=$1 rundir workers
	rundir=$(dirname "$out")
	workers=${CLIENTD_WORKERS:-$(nproc)}
	[[ $workers =~ ^[1-9][0-9]{0,2}$ ]] ||
		die "CLIENTD_WORKERS must be a number of processes, not \"$workers\""
	check_paths
	[ -f "$SHARE/clientd.conf.in" ] || die "$SHARE/clientd.conf.in is missing"
	[ -f "$MODULE" ] || die "$MODULE is missing"
	if ! { mkdir -p "$rundir/bodies" 2>/dev/null && [ -w "$rundir" ]; }; then
		die "$rundir must be writable by $(id -un) (CLIENTD_RUNDIR)"
	fi
	[ -w "$(dirname "$SOCKET")" ] ||
		die "$(dirname "$SOCKET") must be writable by $(id -un) (CLIENTD_SOCKET)"
	[ ${#SOCKET} -le 100 ] || die "CLIENTD_SOCKET is too long for a unix socket path"

	sed -e "s|@MODULE@|$MODULE|g" -e "s|@RUNDIR@|$rundir|g" \
	    -e "s|@WORKERS@|$workers|g" -e "s|@KORE_SOCKET@|$SOCKET|g" \
	    -e "s|@METRICS_PORT@|$METRICS_PORT|g" \
	    "$SHARE/clientd.conf.in" >"$out.tmp"
	finish_conf "$out.tmp" "$out"
}

# render_nginx OUT TLS_DIR: writes nginx's configuration for this
# container (TLS with TLS_DIR's tls.crt and tls.key).
render_nginx() {
	local out=$1 tls=$2 dir
	dir="$(dirname "$out")/nginx"
	check_paths
	[ -f "$SHARE/nginx.conf.in" ] || die "$SHARE/nginx.conf.in is missing"
	mkdir -p "$dir/tmp" || die "$dir must be writable by $(id -un) (CLIENTD_RUNDIR)"
	# shellcheck disable=SC2016 # nginx's variables, not the shell's
	sed -e 's/^\([[:space:]]*\)#@tls /\1/' \
	    -e "s|@LISTEN@|8443 ssl http2|g" -e "s|@REDIRECT_LISTEN@|8080|g" \
	    -e "s|@KORE_SOCKET@|$SOCKET|g" \
	    -e "s|@NGINX_DIR@|$dir|g" -e "s|@TLS_DIR@|$tls|g" \
	    -e 's|@XFF@|$remote_addr|g' -e 's|@XFP@|$scheme|g' \
	    -e "s|@ERROR_LOG@|stderr|g" -e "s|@ACCESS_LOG@|/dev/stdout|g" \
	    "$SHARE/nginx.conf.in" >"$out.tmp"
	finish_conf "$out.tmp" "$out"
}

daemon() {
	[ $# -eq 0 ] || die "daemon takes no arguments"
	[ -n "${CLIENTD_DATABASE_URL:-${DATABASE_URL:-}}" ] ||
		die "CLIENTD_DATABASE_URL is not set (a libpq connection string for clientd_app)"
	render_conf "$RUNDIR/clientd.conf"
	# Nothing else runs in this container: what a previous run left is stale.
	rm -f "$RUNDIR/clientd.pid" "$SOCKET"
	find "$RUNDIR/bodies" -mindepth 1 -delete
	if [ "$(id -u)" -eq 0 ]; then
		echo "clientd-entrypoint: warning: running as root; Kore's workers keep root (-r)" >&2
	fi

	# TZ=UTC0: a POSIX TZ string, so that localtime() reads no file in the
	# seccomp-sandboxed workers (shared/reference/kore-4.1-notes.md, 3.2).
	export TZ=UTC0
	export CLIENTD_STATIC_DIR=${CLIENTD_STATIC_DIR:-$SHARE/dist}
	unset DATABASE_OWNER_URL
	cd "$RUNDIR"
	# umask 077: the socket is the user's alone (nginx runs as the same
	# user in the proxy container). Foreground (-f); as the unprivileged
	# user: no chroot (-n), no privilege drop (-r). stdbuf: Kore's stdout
	# is block-buffered otherwise.
	umask 077
	exec stdbuf -oL -eL kore -f -n -r -c "$RUNDIR/clientd.conf"
}

# proxy: nginx, unprivileged. Started as root (compose.yaml), it copies the
# certificate and key (root's, mode 600, as tls-init or you made them) to
# a place of RUN_AS's own and becomes RUN_AS; started as RUN_AS, it reads
# them where they are.
proxy() {
	[ $# -eq 0 ] || die "proxy takes no arguments"
	local tls=$TLS_DIR
	if ! [ -s "$TLS_DIR/tls.crt" ] || ! [ -s "$TLS_DIR/tls.key" ]; then
		die "$TLS_DIR has no tls.crt and tls.key (CLIENTD_TLS_DIR)"
	fi
	if [ "$(id -u)" -eq 0 ]; then
		tls="$RUNDIR/tls"
		install -d -o "$RUN_AS" -g "$RUN_AS" -m 0700 "$tls"
		install -o "$RUN_AS" -g "$RUN_AS" -m 0600 "$TLS_DIR/tls.crt" "$TLS_DIR/tls.key" "$tls/"
		render_nginx "$RUNDIR/nginx.conf" "$tls"
		chown -R "$RUN_AS:$RUN_AS" "$RUNDIR/nginx"
		# nginx opens /dev/stdout for its access log: the container's
		# standard output is root's until it is given to RUN_AS (what
		# Docker's runc does itself for a container started as a user).
		chown "$RUN_AS" /proc/self/fd/1 /proc/self/fd/2 ||
			die "cannot give standard output and error to $RUN_AS"
		exec setpriv --reuid="$RUN_AS" --regid="$RUN_AS" --init-groups \
		    nginx -p "$RUNDIR/nginx" -c "$RUNDIR/nginx.conf"
	fi
	render_nginx "$RUNDIR/nginx.conf" "$tls"
	exec nginx -p "$RUNDIR/nginx" -c "$RUNDIR/nginx.conf"
}

worker() {
	[ $# -eq 0 ] || die "worker takes no arguments"
	[ -n "${CLIENTD_DATABASE_URL:-}" ] ||
		die "CLIENTD_DATABASE_URL is not set (a libpq connection string for clientd_worker)"
	unset DATABASE_OWNER_URL
	exec clientd-worker
}

main() {
	[ $# -gt 0 ] || set -- daemon
	local cmd=$1
	shift
	case "$cmd" in
	daemon)
		daemon "$@" ;;
	proxy)
		proxy "$@" ;;
	worker)
		worker "$@" ;;
	migrate)
		exec clientd migrate "$@" ;;
	clientd)
		# `clientd check` reads DATABASE_URL: default it to the daemon's.
		if [ -z "${DATABASE_URL:-}" ] && [ -n "${CLIENTD_DATABASE_URL:-}" ]; then
			export DATABASE_URL=$CLIENTD_DATABASE_URL
		fi
		exec clientd "$@" ;;
	help | -h | --help)
		usage ;;
	*)
		command -v "$cmd" >/dev/null || { usage >&2; exit 2; }
		exec "$cmd" "$@" ;;
	esac
}

# Sourced (tests/lint/docker.sh renders the configurations), it only
# defines the functions.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	main "$@"
fi
