#!/usr/bin/env bash
#
# Run by the postgres image once, when it initialises an empty data
# directory (docker/compose.yaml mounts this folder as
# /docker-entrypoint-initdb.d). Creates what clientd needs before its
# migrations run, as scripts/lib.sh's pg_setup does for a local cluster:
#
#   clientd_owner   owns the database clientd, and so the schema that the
#                   migrations create (`clientd migrate` runs as it)
#   clientd_app     the daemon; owns nothing, so row-level security applies
#   clientd_worker  the background worker; owns nothing either
#
# The passwords come from the environment (CLIENTD_OWNER_PASSWORD,
# CLIENTD_APP_PASSWORD, CLIENTD_WORKER_PASSWORD). Changing them afterwards
# in docker/.env does not change them here: see docker/README.md.
#
# The image sources this file into its own shell when it is not executable,
# so it changes no shell option and never calls exit on success.

for _clientd_var in CLIENTD_OWNER_PASSWORD CLIENTD_APP_PASSWORD CLIENTD_WORKER_PASSWORD; do
	if [ -z "${!_clientd_var:-}" ]; then
		echo "01-roles.sh: $_clientd_var is not set" >&2
		# return when sourced, exit when executed.
		# shellcheck disable=SC2317
		return 1 2>/dev/null || exit 1
	fi
done
unset _clientd_var

# Passed as psql variables and quoted by psql (:'name'), never pasted into
# the SQL text.
psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" \
    --dbname postgres \
    --set=owner_password="$CLIENTD_OWNER_PASSWORD" \
    --set=app_password="$CLIENTD_APP_PASSWORD" \
    --set=worker_password="$CLIENTD_WORKER_PASSWORD" <<'SQL'
CREATE ROLE clientd_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE clientd_app LOGIN PASSWORD :'app_password';
CREATE ROLE clientd_worker LOGIN PASSWORD :'worker_password';
CREATE DATABASE clientd OWNER clientd_owner;
SQL
