#!/usr/bin/env bash
# redis-server for the AppHost's local infrastructure: loopback only, append-only file on, the
# password read from REDIS_PASSWORD into a private config file so it never shows on a command line.
#   local-redis.sh PORT DATA_DIRECTORY
set -euo pipefail
port=$1 data=$2
command -v redis-server >/dev/null || { echo "redis-server is not installed (apt-get install redis-server)" >&2; exit 1; }
mkdir -p "$data"
conf="$data/redis.conf"
(
  umask 077
  cat >"$conf" <<CONF
bind 127.0.0.1
port $port
dir $data
appendonly yes
appendfsync everysec
save ""
protected-mode yes
requirepass $REDIS_PASSWORD
CONF
)
exec redis-server "$conf"
