#!/usr/bin/env bash
# shellcheck disable=SC2016 # the patterns hold nginx's variables, not the shell's
# The configurations every stack renders from api/conf/: nginx's for the
# local stacks (scripts/lib.sh nginx_conf, plain HTTP, with and without
# the test stack's X-Forwarded-For switch), for docker/ (entrypoint.sh
# render_nginx, TLS) and for README's systemd units (its command), and
# Kore's, rendered by the very functions and commands the stacks use: no
# placeholder may be left, and `nginx -t` must accept each nginx file (the
# TLS ones with a throwaway certificate). Docker itself is not needed.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
command -v nginx >/dev/null || { echo "nginx is not installed (scripts/test installs it)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "proxy: $*" >&2; exit 1; }

# nginx -t on FILE with prefix DIR.
check_nginx() {
	mkdir -p "$2/tmp"
	nginx -t -q -p "$2" -c "$1" || fail "nginx -t refused $1 ($3)"
	! grep -n '^[^#]*@[A-Z_]*@' "$1" || fail "placeholders left in $1 ($3)"
	echo "proxy: $3: nginx -t accepts it"
}

# Local stacks, through scripts/lib.sh.
(
	# shellcheck disable=SC1091
	. "$root/scripts/lib.sh"
	for trust in 0 1; do
		d="$tmp/local-$trust"
		mkdir -p "$d/run"
		CLIENTD_PROXY_TRUST_CLIENT_XFF=$trust nginx_conf "$d/nginx.conf" 18970 "$d/run/kore.sock" "$d/run"
		if [ $trust = 1 ]; then
			grep -q 'X-Forwarded-For $proxy_add_x_forwarded_for;' "$d/nginx.conf" ||
				fail "the test stack does not pass the client's X-Forwarded-For on"
		else
			grep -q 'X-Forwarded-For $remote_addr;' "$d/nginx.conf" ||
				fail "X-Forwarded-For is not set from the connection"
			! grep -v '^[[:space:]]*#' "$d/nginx.conf" | grep -q 'proxy_add_x_forwarded_for\|ssl_certificate' ||
				fail "the local stack passes the client's X-Forwarded-For on, or has TLS"
		fi
		check_nginx "$d/nginx.conf" "$d/run" "local stack, CLIENTD_PROXY_TRUST_CLIENT_XFF=$trust"
	done
	mkdir -p "$tmp/kore/build/api"
	kore_conf "$tmp/kore/build" 18970 "$tmp/kore/clientd.conf"
	! grep -n '^[^#]*@[A-Z_]*@' "$tmp/kore/clientd.conf" || fail "placeholders left in Kore's configuration"
	plain=$(sed -n '/^server plain {/,/^}/p' "$tmp/kore/clientd.conf")
	grep -q "^	unix $tmp/kore/sock/kore.sock$" <<<"$plain" ||
		fail "Kore's API does not listen on its socket"
	! grep -q '^[[:space:]]*bind ' <<<"$plain" || fail "Kore's API listens on a TCP port"
	echo "proxy: local Kore configuration: the API on the unix socket only"
)

# A throwaway certificate for the TLS configurations.
mkdir -p "$tmp/tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -days 1 -subj /CN=localhost -keyout "$tmp/tls/tls.key" -out "$tmp/tls/tls.crt" 2>/dev/null

# docker/, through entrypoint.sh.
(
	export CLIENTD_SHARE="$root/api/conf" CLIENTD_RUNDIR="$tmp/docker"
	export CLIENTD_SOCKET="$tmp/docker/sock/kore.sock" CLIENTD_MODULE="$tmp/docker/clientd.so"
	mkdir -p "$tmp/docker/sock"
	touch "$CLIENTD_MODULE"
	# shellcheck disable=SC1091
	. "$root/docker/entrypoint.sh"
	render_nginx "$tmp/docker/nginx.conf" "$tmp/tls"
	grep -q 'listen 8443 ssl http2 default_server;' "$tmp/docker/nginx.conf" || fail "docker: no TLS listener"
	grep -q 'return 301 https://' "$tmp/docker/nginx.conf" || fail "docker: no redirect to HTTPS"
	grep -q 'X-Forwarded-For $remote_addr;' "$tmp/docker/nginx.conf" || fail "docker: X-Forwarded-For is not the peer's"
	check_nginx "$tmp/docker/nginx.conf" "$tmp/docker/nginx" "docker/ (TLS)"
	render_conf "$tmp/docker/clientd.conf"
	plain=$(sed -n '/^server plain {/,/^}/p' "$tmp/docker/clientd.conf")
	grep -q "^	unix $CLIENTD_SOCKET$" <<<"$plain" || fail "docker: Kore's API does not listen on its socket"
	! grep -q '^[[:space:]]*bind ' <<<"$plain" || fail "docker: Kore's API listens on a TCP port"
	echo "proxy: docker Kore configuration: the API on the unix socket only"
)

# README's systemd example: its nginx command, run as written (paths
# moved under $tmp), renders a configuration nginx accepts.
(
	sysd="$tmp/sysd"
	mkdir -p "$sysd/etc/clientd/tls" "$sysd/run/clientd-nginx/tmp"
	cp "$tmp/tls/tls.crt" "$tmp/tls/tls.key" "$sysd/etc/clientd/tls/"
	cmd=$(awk '/^```sh$/ { block = ""; inblock = 1; next }
	    /^```$/ { if (inblock && block ~ /nginx\.conf\.in/) print block; inblock = 0; next }
	    inblock { block = block $0 "\n" }' "$root/README.md")
	[ -n "$cmd" ] || fail "README has no command that renders nginx.conf.in"
	cmd=${cmd//\/etc\/clientd\//$sysd/etc/clientd/}
	cmd=${cmd//\/run\//$sysd/run/}
	cmd=${cmd//api\/conf\/nginx.conf.in/$root/api/conf/nginx.conf.in}
	bash -euc "$cmd"
	grep -q 'listen 443 ssl http2 default_server;' "$sysd/etc/clientd/nginx.conf" ||
		fail "README's systemd nginx has no TLS listener"
	check_nginx "$sysd/etc/clientd/nginx.conf" "$sysd/run/clientd-nginx" "README's systemd example (TLS)"
)
