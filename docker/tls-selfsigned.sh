#!/usr/bin/env bash
#
# Makes a self-signed certificate for nginx, unless the TLS directory
# already has one: your own (tls.crt, the full chain, and tls.key), or the
# one an earlier start made. Runs in the one-shot tls-init service of
# docker/compose.yaml, which nginx waits for; the image is the tls-init
# stage of docker/Dockerfile (the clientd image has no openssl).
#
# Environment: TLS_DIR (/tls), TLS_COMMON_NAME (localhost: a host name or
# an IPv4 address), TLS_DAYS (825).

set -euo pipefail

dir=${TLS_DIR:-/tls}
cn=${TLS_COMMON_NAME:-localhost}
days=${TLS_DAYS:-825}
crt=$dir/tls.crt
key=$dir/tls.key

if [ -s "$crt" ] && [ -s "$key" ]; then
	echo "tls-init: using the certificate in $dir"
	openssl x509 -in "$crt" -noout -subject -enddate
	exit 0
fi
if [ -e "$crt" ] || [ -e "$key" ]; then
	echo "tls-init: $dir has only one of tls.crt and tls.key: add the other, or remove both" >&2
	exit 1
fi

if [[ $cn =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]]; then
	san="IP:$cn"
else
	san="DNS:$cn"
fi
[ "$cn" = localhost ] || san="$san,DNS:localhost"
[ "$cn" = 127.0.0.1 ] || san="$san,IP:127.0.0.1"

echo "tls-init: making a self-signed certificate for $cn in $dir (valid $days days)"
umask 077
tmp=$(mktemp -d "$dir/.tls-init.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -sha256 -days "$days" -subj "/CN=$cn" \
    -addext "subjectAltName=$san" \
    -addext "basicConstraints=critical,CA:FALSE" \
    -addext "keyUsage=critical,digitalSignature" \
    -addext "extendedKeyUsage=serverAuth" \
    -keyout "$tmp/tls.key" -out "$tmp/tls.crt"
chmod 0644 "$tmp/tls.crt"
# The key first: a directory with both files holds a complete pair.
mv "$tmp/tls.key" "$key"
mv "$tmp/tls.crt" "$crt"
openssl x509 -in "$crt" -noout -subject -enddate -fingerprint -sha256
