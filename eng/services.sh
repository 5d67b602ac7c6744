#!/usr/bin/env bash
# Private PostgreSQL and Redis instances on 127.0.0.1 for running and testing the platform.
#
#   eng/services.sh install   install the Debian packages when missing
#   eng/services.sh up        install if needed, start both (idempotent), print connection settings
#   eng/services.sh env       print the settings as `export` lines (for eval)
#   eng/services.sh status    say what is running
#   eng/services.sh down      stop both
#
# State (data, logs, generated passwords) lives in $PLATFORM_STATE_DIR (default /tmp/platform-services):
# PostgreSQL runs as the postgres user, which must be able to read the directory's parents.
set -euo pipefail

STATE_DIR="${PLATFORM_STATE_DIR:-/tmp/platform-services}"
REDIS_PORT="${PLATFORM_REDIS_PORT:-16379}"
PG_PORT="${PLATFORM_POSTGRES_PORT:-15432}"
PG_DATABASE="${PLATFORM_POSTGRES_DB:-platformdb}"

log() { printf '[services] %s\n' "$*" >&2; }

as_root() { if [[ $EUID -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n "$dir" && -x "$dir/initdb" ]] && echo "$dir"
}

install() {
  local packages=()
  [[ -n "$(pg_bin || true)" ]] || packages+=(postgresql)
  command -v redis-server >/dev/null || packages+=(redis-server)
  command -v redis-cli >/dev/null || packages+=(redis-tools)
  command -v openssl >/dev/null || packages+=(openssl)
  command -v runuser >/dev/null || packages+=(util-linux)
  if ((${#packages[@]})); then
    log "installing ${packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq >/dev/null
    as_root apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  fi
  # A package install may start its own cluster; ours are private, so stop any the package started.
  if [[ -x /usr/sbin/service ]] && pgrep -x postgres -u postgres >/dev/null 2>&1 && [[ ! -f "$STATE_DIR/pg/data/postmaster.pid" ]]; then
    as_root service postgresql stop >/dev/null 2>&1 || true
  fi
}

secret() { # secret NAME -> a random value created once and kept in the state directory
  local file="$STATE_DIR/$1.secret"
  if [[ ! -s "$file" ]]; then
    (umask 077; openssl rand -hex 16 >"$file")
  fi
  cat "$file"
}

as_postgres() { if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

redis_up() {
  local password; password=$(secret redis)
  if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" -a "$password" --no-auth-warning ping 2>/dev/null | grep -q PONG; then
    log "redis already running on 127.0.0.1:$REDIS_PORT"; return
  fi
  mkdir -p "$STATE_DIR/redis"
  rm -f "$STATE_DIR/redis/redis.pid"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --requirepass "$password" \
    --dir "$STATE_DIR/redis" --appendonly yes --appendfsync everysec --save "" \
    --daemonize yes --pidfile "$STATE_DIR/redis/redis.pid" --logfile "$STATE_DIR/redis/redis.log"
  for _ in $(seq 1 100); do
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" -a "$password" --no-auth-warning ping 2>/dev/null | grep -q PONG && { log "redis started on 127.0.0.1:$REDIS_PORT"; return; }
    sleep 0.1
  done
  log "redis did not start; see $STATE_DIR/redis/redis.log"; exit 1
}

pg_up() {
  local bin password data="$STATE_DIR/pg/data"
  bin=$(pg_bin) || { log "PostgreSQL binaries not found; run: $0 install"; exit 1; }
  password=$(secret postgres)
  if [[ ! -f "$data/PG_VERSION" ]]; then
    mkdir -p "$data"
    local pwfile="$STATE_DIR/pg/pwfile"
    (umask 077; printf '%s\n' "$password" >"$pwfile")
    [[ $EUID -eq 0 ]] && chown -R postgres:postgres "$STATE_DIR/pg"
    as_postgres "$bin/initdb" -D "$data" -U postgres --pwfile="$pwfile" -E UTF8 \
      --auth-local=trust --auth-host=scram-sha-256 >"$STATE_DIR/pg/initdb.log"
    rm -f "$pwfile"
  fi
  if as_postgres "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    log "postgres already running on 127.0.0.1:$PG_PORT"
  else
    # A killed server leaves postmaster.pid behind; pg_ctl status says it is not running, so it is stale.
    rm -f "$data/postmaster.pid"
    as_postgres "$bin/pg_ctl" -D "$data" -l "$STATE_DIR/pg/server.log" -w -t 60 start \
      -o "-p $PG_PORT -k $STATE_DIR/pg -c listen_addresses=127.0.0.1 -c max_connections=300" >/dev/null
    log "postgres started on 127.0.0.1:$PG_PORT"
  fi
  if ! as_postgres "$bin/psql" -h "$STATE_DIR/pg" -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$PG_DATABASE'" postgres | grep -q 1; then
    as_postgres "$bin/psql" -h "$STATE_DIR/pg" -p "$PG_PORT" -U postgres -qc "CREATE DATABASE \"$PG_DATABASE\"" postgres
    log "created database $PG_DATABASE"
  fi
}

redis_down() {
  local password; password=$(secret redis)
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" -a "$password" --no-auth-warning shutdown nosave >/dev/null 2>&1 || true
  if [[ -f "$STATE_DIR/redis/redis.pid" ]]; then kill "$(cat "$STATE_DIR/redis/redis.pid")" 2>/dev/null || true; rm -f "$STATE_DIR/redis/redis.pid"; fi
  log "redis stopped"
}

pg_down() {
  local bin; bin=$(pg_bin) || return 0
  [[ -d "$STATE_DIR/pg/data" ]] && as_postgres "$bin/pg_ctl" -D "$STATE_DIR/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  log "postgres stopped"
}

print_env() {
  echo "export ConnectionStrings__redis='127.0.0.1:$REDIS_PORT,password=$(secret redis),abortConnect=false'"
  echo "export ConnectionStrings__platformdb='Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=$(secret postgres);Database=$PG_DATABASE'"
}

mkdir -p "$STATE_DIR"; chmod 755 "$STATE_DIR"
case "${1:-up}" in
  install) install ;;
  up) install; redis_up; pg_up; print_env ;;
  env) print_env ;;
  status)
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" -a "$(secret redis)" --no-auth-warning ping 2>/dev/null | grep -q PONG && echo "redis: up (127.0.0.1:$REDIS_PORT)" || echo "redis: down"
    bin=$(pg_bin || true); [[ -n "$bin" ]] && as_postgres "$bin/pg_ctl" -D "$STATE_DIR/pg/data" status >/dev/null 2>&1 && echo "postgres: up (127.0.0.1:$PG_PORT)" || echo "postgres: down" ;;
  down) redis_down; pg_down ;;
  *) echo "usage: $0 install|up|env|status|down" >&2; exit 2 ;;
esac
