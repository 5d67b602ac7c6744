#!/usr/bin/env bash
# Runs the whole platform on this machine without Aspire: PostgreSQL and Redis (private instances),
# then McpHost, Worker and Api with the configuration Aspire would give them.
#
#   eng/run.sh            run in the foreground; Ctrl-C stops everything
#   eng/run.sh --detach   return once every service is healthy
#   eng/run.sh --stop     stop the services and the servers
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

STATE_DIR="${PLATFORM_STATE_DIR:-/tmp/platform-services}"
RUN_DIR="$STATE_DIR/run"
API_PORT="${PLATFORM_API_PORT:-5080}"
WORKER_PORT="${PLATFORM_WORKER_PORT:-5081}"
MCPHOST_PORT="${PLATFORM_MCPHOST_PORT:-5082}"
CONFIGURATION="${PLATFORM_CONFIGURATION:-Release}"

log() { printf '[run] %s\n' "$*" >&2; }

stop_services() {
  local any=0
  for name in api worker mcphost; do
    local pidfile="$RUN_DIR/$name.pid"
    [[ -f "$pidfile" ]] || continue
    local pid; pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
      any=1
    fi
    rm -f "$pidfile"
  done
  ((any)) && log "services stopped"
  return 0
}

if [[ "${1:-}" == "--stop-apps" ]]; then   # the services only; PostgreSQL and Redis keep running
  stop_services
  exit 0
fi
if [[ "${1:-}" == "--stop" ]]; then
  stop_services
  eng/services.sh down
  exit 0
fi
detach=0; [[ "${1:-}" == "--detach" ]] && detach=1

mkdir -p "$RUN_DIR"
stop_services   # a previous run's processes would hold the ports

eval "$(eng/services.sh up)"

secret() { local f="$STATE_DIR/$1.secret"; [[ -s "$f" ]] || (umask 077; openssl rand -hex 16 >"$f"); cat "$f"; }
export McpHost__Token; McpHost__Token=$(secret mcp-token)
export Auth__AdminKey; Auth__AdminKey="${PLATFORM_ADMIN_KEY:-$(secret admin-key)}"
export services__mcphost__http__0="http://127.0.0.1:$MCPHOST_PORT"
export DOTNET_ENVIRONMENT=Development ASPNETCORE_ENVIRONMENT=Development DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log "building ($CONFIGURATION)"
dotnet build "$root/Platform.Local.slnf" -c "$CONFIGURATION" -nologo -v:q -clp:ErrorsOnly >&2

start() { # start NAME PROJECT PORT
  local name=$1 project=$2 port=$3
  local bin="$root/artifacts/bin/$project/${CONFIGURATION,,}"
  (cd "$bin" && OTEL_SERVICE_NAME="$name" ASPNETCORE_URLS="http://127.0.0.1:$port" \
    exec dotnet "$project.dll" >"$RUN_DIR/$name.log" 2>&1) &
  echo $! >"$RUN_DIR/$name.pid"
}

start mcphost Platform.McpHost "$MCPHOST_PORT"
start worker Platform.Worker "$WORKER_PORT"
start api Platform.Api "$API_PORT"

wait_healthy() { # wait_healthy NAME PORT
  local name=$1 port=$2
  for _ in $(seq 1 240); do
    if ! kill -0 "$(cat "$RUN_DIR/$name.pid")" 2>/dev/null; then
      log "$name exited; last lines of $RUN_DIR/$name.log:"; tail -n 30 "$RUN_DIR/$name.log" >&2; return 1
    fi
    if curl -fsS "http://127.0.0.1:$port/health" 2>/dev/null | grep -q '"status":"Healthy"'; then
      log "$name healthy"; return 0
    fi
    sleep 0.5
  done
  log "$name did not become healthy: $(curl -sS "http://127.0.0.1:$port/health" 2>&1)"; return 1
}

if ! { wait_healthy mcphost "$MCPHOST_PORT" && wait_healthy worker "$WORKER_PORT" && wait_healthy api "$API_PORT"; }; then
  stop_services; exit 1
fi

cat <<INFO

Platform is running (logs in $RUN_DIR):
  Api (OpenAI-compatible)  http://127.0.0.1:$API_PORT/v1        health: http://127.0.0.1:$API_PORT/health
  Worker                   http://127.0.0.1:$WORKER_PORT          health: http://127.0.0.1:$WORKER_PORT/health
  McpHost (MCP)            http://127.0.0.1:$MCPHOST_PORT/mcp     health: http://127.0.0.1:$MCPHOST_PORT/health
  Redis                    ${ConnectionStrings__redis%%,password=*}
  PostgreSQL               ${ConnectionStrings__platformdb%%;Password=*}
  Admin key                $Auth__AdminKey

Try:
  curl -s http://127.0.0.1:$API_PORT/v1/chat/completions -H 'content-type: application/json' \\
    -d '{"model":"offline","messages":[{"role":"user","content":"Hello"}]}'
INFO

if ((detach)); then
  log "detached; stop with: eng/run.sh --stop"
  exit 0
fi

trap 'echo; stop_services; exit 0' INT TERM
log "press Ctrl-C to stop"
while sleep 1; do
  for name in api worker mcphost; do
    kill -0 "$(cat "$RUN_DIR/$name.pid" 2>/dev/null)" 2>/dev/null || { log "$name stopped unexpectedly; see $RUN_DIR/$name.log"; stop_services; exit 1; }
  done
done
