#!/usr/bin/env bash
# PostgreSQL for the AppHost's local infrastructure.
#   local-postgres.sh init DATA_DIRECTORY DATABASE   initdb (once) and create DATABASE; then exit
#   local-postgres.sh run  DATA_DIRECTORY PORT       run the server on 127.0.0.1:PORT until stopped
# The superuser password comes from POSTGRES_PASSWORD. PostgreSQL refuses to run as root, so as
# root the server runs as the postgres user; the data directory's parents must be readable by it.
set -euo pipefail
action=$1 data=$2
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -x "$bin/postgres" ]] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }

as_postgres() { # runs the command as the postgres user when root; it gets SIGINT (fast shutdown) if this script dies
  if [[ $EUID -eq 0 ]]; then setpriv --pdeathsig INT --reuid=postgres --regid=postgres --init-groups -- "$@"
  else setpriv --pdeathsig INT -- "$@"; fi
}

case "$action" in
  init)
    database=$3
    mkdir -p "$data"
    if [[ $EUID -eq 0 ]]; then chown postgres:postgres "$data"; fi
    chmod 700 "$data"
    if [[ ! -s "$data/PG_VERSION" ]]; then
      pwfile=$(mktemp)
      trap 'rm -f "$pwfile"' EXIT
      printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
      if [[ $EUID -eq 0 ]]; then chown postgres "$pwfile"; fi
      as_postgres "$bin/initdb" -D "$data" -U postgres --pwfile="$pwfile" --auth=scram-sha-256 -E UTF8 --no-instructions >/dev/null
      # Single-user mode creates the database without starting a server or opening a port.
      echo "CREATE DATABASE \"$database\";" | as_postgres "$bin/postgres" --single -D "$data" postgres >/dev/null
      echo "initialised $data with database $database"
    else
      echo "$data is already initialised"
    fi
    ;;
  run)
    port=$3
    # A server killed earlier leaves postmaster.pid behind; postgres itself removes a stale one.
    as_postgres "$bin/postgres" -D "$data" -p "$port" -c listen_addresses=127.0.0.1 -k "$data" &
    server=$!
    # The orchestrator stops resources with SIGTERM, which postgres treats as a "smart" shutdown
    # that waits for every client to disconnect; turn it into a fast shutdown.
    trap 'kill -INT "$server" 2>/dev/null' TERM INT
    wait "$server" || true
    wait "$server" 2>/dev/null || true
    ;;
  *) echo "usage: $0 init|run DATA_DIRECTORY ..." >&2; exit 2 ;;
esac
