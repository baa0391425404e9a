#!/usr/bin/env bash
#
# Entrypoint of the clientd image (docker/Dockerfile).
#
#   daemon              the HTTP daemon: Kore in the foreground on 0.0.0.0:8080
#                       (the default command)
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
#   CLIENTD_RUNDIR        writable directory for the rendered Kore
#                         configuration, the pidfile and request bodies
#                         offloaded to disk (/run/clientd)
#   CLIENTD_SHARE, CLIENTD_MODULE  where the image keeps the configuration
#                         template and the SPA, and the Kore module
#
# The daemon's configuration is rendered from api/conf/clientd.conf.in with
# the substitutions of kore_conf() in scripts/lib.sh, except that it binds
# 0.0.0.0 instead of 127.0.0.1: in a container, the proxy is another host.

set -euo pipefail

SHARE=${CLIENTD_SHARE:-/usr/local/share/clientd}
MODULE=${CLIENTD_MODULE:-/usr/local/lib/clientd/clientd.so}
RUNDIR=${CLIENTD_RUNDIR:-/run/clientd}
PORT=8080

die() {
	printf 'clientd-entrypoint: %s\n' "$*" >&2
	exit 1
}

usage() {
	echo "usage: clientd-entrypoint COMMAND [ARGS...]"
	sed -n '5,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

# render_conf OUT: writes the Kore configuration for this container.
render_conf() {
	local out=$1 rundir workers
	rundir=$(dirname "$out")
	workers=${CLIENTD_WORKERS:-$(nproc)}
	[[ $workers =~ ^[1-9][0-9]{0,2}$ ]] ||
		die "CLIENTD_WORKERS must be a number of processes, not \"$workers\""
	case "$MODULE$rundir" in
	*[\|\&\\[:space:]]*) die "CLIENTD_MODULE and CLIENTD_RUNDIR may not contain |, &, \\ or spaces" ;;
	esac
	[ -f "$SHARE/clientd.conf.in" ] || die "$SHARE/clientd.conf.in is missing"
	[ -f "$MODULE" ] || die "$MODULE is missing"
	if ! { mkdir -p "$rundir/bodies" 2>/dev/null && [ -w "$rundir" ]; }; then
		die "$rundir must be writable by $(id -un) (CLIENTD_RUNDIR)"
	fi

	sed -e "s|bind 127\.0\.0\.1 @PORT@|bind 0.0.0.0 @PORT@|" \
	    -e "s|@PORT@|$PORT|g" -e "s|@MODULE@|$MODULE|g" \
	    -e "s|@RUNDIR@|$rundir|g" -e "s|@WORKERS@|$workers|g" \
	    "$SHARE/clientd.conf.in" >"$out.tmp"
	# A template that changed under this script must not give a daemon
	# that listens on the loopback only, or a half-rendered file.
	if ! grep -Eq "^[[:space:]]*bind 0\.0\.0\.0 ${PORT}[[:space:]]*$" "$out.tmp"; then
		rm -f "$out.tmp"
		die "clientd.conf.in has no \"bind 127.0.0.1 @PORT@\" line to rewrite"
	fi
	if grep -En '@[A-Z_]+@' "$out.tmp" >&2; then
		rm -f "$out.tmp"
		die "clientd.conf.in has placeholders this script does not fill in"
	fi
	mv "$out.tmp" "$out"
}

daemon() {
	[ $# -eq 0 ] || die "daemon takes no arguments"
	[ -n "${CLIENTD_DATABASE_URL:-${DATABASE_URL:-}}" ] ||
		die "CLIENTD_DATABASE_URL is not set (a libpq connection string for clientd_app)"
	render_conf "$RUNDIR/clientd.conf"
	# Nothing else runs in this container: what a previous run left is stale.
	rm -f "$RUNDIR/clientd.pid"
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
	# Foreground (-f); as the unprivileged user: no chroot (-n), no
	# privilege drop (-r). stdbuf: Kore's stdout is block-buffered otherwise.
	exec stdbuf -oL -eL kore -f -n -r -c "$RUNDIR/clientd.conf"
}

worker() {
	[ $# -eq 0 ] || die "worker takes no arguments"
	[ -n "${CLIENTD_DATABASE_URL:-}" ] ||
		die "CLIENTD_DATABASE_URL is not set (a libpq connection string for clientd_worker)"
	unset DATABASE_OWNER_URL
	exec clientd-worker
}

[ $# -gt 0 ] || set -- daemon
cmd=$1
shift
case "$cmd" in
daemon)
	daemon "$@" ;;
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
