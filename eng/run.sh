#!/usr/bin/env bash
# Runs the whole platform through its Aspire AppHost: Redis, PostgreSQL (+ platformdb), McpHost,
# Worker and Api, with the Aspire dashboard. Installs what a fresh Debian machine lacks.
#
#   eng/run.sh            run in the foreground; Ctrl-C stops everything
#   eng/run.sh --detach   return once every resource is healthy
#   eng/run.sh --stop     stop the AppHost and everything it started
#
# Settings (environment): PLATFORM_INFRASTRUCTURE=auto|containers|local (default auto: containers only
# when a container engine answers), PLATFORM_CONFIGURATION (default Release), PLATFORM_STATE_DIR
# (default /tmp/platform-services: generated secrets, the AppHost's log, local Redis/PostgreSQL data).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

STATE_DIR="${PLATFORM_STATE_DIR:-/tmp/platform-services}"
RUN_DIR="$STATE_DIR/run"
CONFIGURATION="${PLATFORM_CONFIGURATION:-Release}"
# The service ports come from each project's launch profile; the dashboard's are set here.
API_URL="http://localhost:5080" WORKER_URL="http://localhost:5081" MCPHOST_URL="http://localhost:5082"
DASHBOARD_PORT="${PLATFORM_DASHBOARD_PORT:-18888}"
PIDFILE="$RUN_DIR/apphost.pid" LOG="$RUN_DIR/apphost.log"

log() { printf '[run] %s\n' "$*" >&2; }

stop_apphost() {
  [[ -f "$PIDFILE" ]] || return 0
  local pid; pid=$(cat "$PIDFILE")
  if kill -0 "$pid" 2>/dev/null; then
    # The AppHost stops its resources (DCP ends every process it started) on SIGTERM.
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      log "the AppHost did not stop in 60 s; killing its process group"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
    log "platform stopped"
  fi
  rm -f "$PIDFILE"
}

case "${1:-}" in
  --stop|--stop-apps) stop_apphost; exit 0 ;;
  --detach|"") ;;
  *) echo "usage: eng/run.sh [--detach|--stop]" >&2; exit 2 ;;
esac
detach=0; [[ "${1:-}" == "--detach" ]] && detach=1

mkdir -p "$RUN_DIR"; chmod 755 "$STATE_DIR"
stop_apphost   # a previous run would hold the ports
eng/services.sh install   # redis-server, PostgreSQL and the tools the local infrastructure needs

secret() { local f="$STATE_DIR/$1.secret"; [[ -s "$f" ]] || (umask 077; openssl rand -hex 16 >"$f"); cat "$f"; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log "building ($CONFIGURATION)"
dotnet build "$root/Platform.sln" -c "$CONFIGURATION" -nologo -v:q -clp:ErrorsOnly >&2

log "starting the AppHost (log: $LOG)"
# Secrets reach the AppHost as parameters through its environment, never on a command line.
(
  cd "$root/artifacts/bin/Platform.AppHost/${CONFIGURATION,,}"
  exec env \
    "Parameters__mcp-token=$(secret mcp-token)" \
    "Parameters__admin-key=$(secret admin-key)" \
    "Parameters__redis-password=$(secret redis)" \
    "Parameters__postgres-password=$(secret postgres)" \
    DOTNET_ENVIRONMENT=Development ASPNETCORE_ENVIRONMENT=Development \
    ASPNETCORE_URLS="http://localhost:$DASHBOARD_PORT" \
    ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="http://localhost:$((DASHBOARD_PORT + 1))" \
    ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL="http://localhost:$((DASHBOARD_PORT + 2))" \
    ASPIRE_ALLOW_UNSECURED_TRANSPORT=true \
    Infrastructure__Mode="${PLATFORM_INFRASTRUCTURE:-auto}" \
    Infrastructure__DataDirectory="$STATE_DIR/apphost" \
    setsid dotnet Platform.AppHost.dll
) >"$LOG" 2>&1 &
echo $! >"$PIDFILE"

wait_healthy() { # wait_healthy NAME URL: the service's own /health says Healthy
  local name=$1 url=$2
  for _ in $(seq 1 600); do
    if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
      log "the AppHost exited; last lines of $LOG:"; tail -n 40 "$LOG" >&2; return 1
    fi
    if curl -fsS -m 2 "$url/health" 2>/dev/null | grep -q '"status":"Healthy"'; then
      log "$name healthy"; return 0
    fi
    sleep 0.5
  done
  log "$name did not become healthy in 5 minutes: $(curl -sS -m 2 "$url/health" 2>&1)"; return 1
}

if ! { wait_healthy mcphost "$MCPHOST_URL" && wait_healthy worker "$WORKER_URL" && wait_healthy api "$API_URL"; }; then
  stop_apphost; exit 1
fi
# A development API key, kept in the state directory like the other secrets. OpenAI's SDKs always send
# a key (they refuse to start without one), and a key the Api does not know is refused even where keys are
# optional, so the run hands out a real one: reused while the Api still accepts it, otherwise created through
# the admin API (the database may be new).
dev_api_key() {
  local f="$STATE_DIR/dev-api-key.secret" key=""
  [[ -s "$f" ]] && key=$(cat "$f")
  if [[ -n "$key" ]] && curl -fsS -m 5 -o /dev/null -H "authorization: Bearer $key" "$API_URL/v1/models"; then
    echo "$key"; return 0
  fi
  key=$(curl -fsS -m 10 -H "authorization: Bearer $(secret admin-key)" -H 'content-type: application/json' \
      -d '{"name":"development","tenant_id":"development"}' "$API_URL/v1/admin/keys" \
    | grep -o '"key":"[^"]*"' | cut -d'"' -f4) || true
  if [[ -z "$key" ]]; then log "could not create a development API key"; return 1; fi
  (umask 077; printf '%s\n' "$key" >"$f")
  echo "$key"
}
dev_key=$(dev_api_key) || dev_key="(none: see $LOG)"

login_url=$(grep -o 'http://[^ ]*/login?t=[0-9a-f]*' "$LOG" | tail -n 1)
mode=$(grep -io 'platform infrastructure: [a-z]*' "$LOG" | tail -n 1 | awk '{print tolower($3)}')

cat <<INFO

Platform is running through its AppHost (${mode:-auto} infrastructure; log: $LOG):
  Dashboard                $login_url
  Api (OpenAI-compatible)  $API_URL/v1        health: $API_URL/health
  McpHost (MCP)            $MCPHOST_URL/mcp     health: $MCPHOST_URL/health
  Worker                   $WORKER_URL          health: $WORKER_URL/health
  Admin key                $(secret admin-key)
  Development API key      $dev_key

Try:
  curl -s $API_URL/v1/chat/completions -H 'content-type: application/json' -H 'authorization: Bearer $dev_key' \\
    -d '{"model":"offline","messages":[{"role":"user","content":"Hello"}]}'
  OpenAI SDKs: base URL $API_URL/v1, API key $dev_key
INFO

if ((detach)); then
  log "detached; stop with: eng/run.sh --stop"
  exit 0
fi

trap 'echo; stop_apphost; exit 0' INT TERM
log "press Ctrl-C to stop"
while sleep 1; do
  kill -0 "$(cat "$PIDFILE" 2>/dev/null)" 2>/dev/null || { log "the AppHost stopped unexpectedly; see $LOG"; rm -f "$PIDFILE"; exit 1; }
done
