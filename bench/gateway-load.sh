#!/usr/bin/env bash
# Load test of the Api as it runs in production, against a bare pass-through proxy as the floor.
#
#   bench/gateway-load.sh [--no-build] [--coldstart-only] [--no-coldstart]
#
# Starts, all on 127.0.0.1 and all stopped again on exit (trap):
#   - private Redis and PostgreSQL (eng/services.sh, own state directory and ports),
#   - an instant OpenAI-compatible stub upstream (own process; JSON and SSE),
#   - the Worker (usage stream -> PostgreSQL) and the Api started as in production: the Api published
#     for linux-x64 (Release, ReadyToRun, as a container image is built) into artifacts/gateway-load/api,
#     the Worker from its Release build; each its own apphost, content root = its folder, Production environment; usage
#     capture on and the Prometheus scrape endpoint on (allocation and GC counters),
#   - the bare Kestrel + HttpClient pass-through proxy in front of the same stub (the floor).
# Then, with wrk at concurrency 1, 10 and 32 (GL_LEVELS): non-streaming and streaming, response cache
# bypassed (Cache-Control: no-store) and hit; each level runs the proxy and the Api back to back.
# Prints per row: req/s, p50, p99, CPU per request (utime+stime from /proc/PID/stat), bytes allocated
# per request (dotnet.gc.heap.total_allocated), and the Api's figures over the proxy's (ratio).
# Then the Api's peak RSS (VmHWM), the usage rows in PostgreSQL against the requests answered, and the
# cold start: process start to the first answered chat request and the idle RSS (GL_COLDSTART_RUNS runs).
#
# Knobs (environment): GL_DURATION seconds per measurement (5), GL_WARMUP seconds (10), GL_LEVELS
# ("1 10 32"), GL_PORT_BASE (27100: Api +0, stub +1, proxy +2), GL_COLDSTART_RUNS (5),
# GL_COLDSTART_VS ('ENV=V ...': pair each cold start with a run that has these variables),
# GL_API_ENV ('ENV=V ...': extra environment for the Api in the load runs); an A/B pair in one run:
# GL_API_B_ENV ('ENV=V ...') and/or GL_API_B_DIR (another build's output folder) start a second Api
# ("Api B", port +4) measured right after the first at every row; GL_SCENARIOS
# ("json-bypass sse-bypass json-hit sse-hit"), GL_STATE_DIR (/tmp/platform-gateway-load),
# GL_REDIS_PORT (27379), GL_POSTGRES_PORT (27432): services private to this script, emptied each run.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DURATION=${GL_DURATION:-5}
WARMUP=${GL_WARMUP:-10}
LEVELS=${GL_LEVELS:-"1 10 32"}
SCENARIOS=${GL_SCENARIOS:-"json-bypass sse-bypass json-hit sse-hit"}
PORT=${GL_PORT_BASE:-27100}
API_PORT=$PORT STUB_PORT=$((PORT + 1)) PROXY_PORT=$((PORT + 2))
COLD_RUNS=${GL_COLDSTART_RUNS:-5}
# Its own Redis and PostgreSQL, whatever PLATFORM_* the shell has: each run empties them.
export PLATFORM_STATE_DIR=${GL_STATE_DIR:-/tmp/platform-gateway-load}
export PLATFORM_REDIS_PORT=${GL_REDIS_PORT:-27379}
export PLATFORM_POSTGRES_PORT=${GL_POSTGRES_PORT:-27432}
export PLATFORM_POSTGRES_DB=platformdb
BUILD=1 LOAD=1 COLD=1
for arg in "$@"; do
  case "$arg" in
    --no-build) BUILD=0 ;;
    --coldstart-only) LOAD=0 ;;
    --no-coldstart) COLD=0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

BIN="$ROOT/artifacts${PLATFORM_BUILD_SLOT:-}/bin"
API_DIR="$ROOT/artifacts${PLATFORM_BUILD_SLOT:-}/gateway-load/api" WORKER_DIR="$BIN/Platform.Worker/release" BENCH_DIR="$BIN/Platform.Benchmarks/release"
LUA="$ROOT/bench/gateway-load/chat.lua"
LOGS=$(mktemp -d /tmp/gateway-load.XXXXXX)
PIDS=()

log() { printf '[gateway-load] %s\n' "$*" >&2; }

cleanup() {
  local pid
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    pid=${PIDS[i]}
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  "$ROOT/eng/services.sh" down >/dev/null 2>&1 || true
  log "stopped; logs in $LOGS"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v wrk >/dev/null || { log "wrk is missing: apt-get install -y wrk"; exit 1; }

if ((BUILD)); then
  log "building (Release)"
  dotnet build "$ROOT/bench/Platform.Benchmarks" -c Release -nologo -v:q -clp:ErrorsOnly >"$LOGS/build.log" 2>&1 || { cat "$LOGS/build.log"; exit 1; }
  log "publishing the Api (Release, linux-x64)"
  dotnet publish "$ROOT/Api" -c Release -r linux-x64 --self-contained false -o "$API_DIR" -nologo -v:q -clp:ErrorsOnly >>"$LOGS/build.log" 2>&1 || { cat "$LOGS/build.log"; exit 1; }
fi

eval "$("$ROOT/eng/services.sh" up 2>"$LOGS/services.log")"
# A fresh usage stream and table for this run, so the row count below is this run's.
REDIS_PASSWORD=$(cat "$PLATFORM_STATE_DIR/redis.secret")
redis-cli -h 127.0.0.1 -p "$PLATFORM_REDIS_PORT" -a "$REDIS_PASSWORD" --no-auth-warning flushall >/dev/null
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
psql_q() { runuser -u postgres -- "$PG_BIN/psql" -h "$PLATFORM_STATE_DIR/pg" -p "$PLATFORM_POSTGRES_PORT" -U postgres -d platformdb -tAc "$1"; }
psql_q "DROP SCHEMA public CASCADE; CREATE SCHEMA public;" >/dev/null

# Everything the Api and Worker read, as the AppHost would pass it.
export ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production
export Providers__stub__Type=openai Providers__stub__Endpoint="http://127.0.0.1:$STUB_PORT/v1" Providers__stub__ApiKey=bench Providers__stub__Models__0=stub-model
export Usage__JournalDirectory="$LOGS/usage-journal"
export Telemetry__Prometheus__Enabled=true
# No MCP server runs in this test: the catalog is empty (the default names an McpHost by service discovery).
export Mcp__Servers__mcphost__Endpoint=""

wait_listen() { # wait_listen PORT LOGFILE PID
  for _ in $(seq 1 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || { log "process for port $1 died:"; tail -n 30 "$2" >&2; exit 1; }
    sleep 0.05
  done
  log "nothing listens on $1"; tail -n 30 "$2" >&2; exit 1
}

start() { # start NAME DIR PORT(or -) ENVLIST -- COMMAND...: runs in DIR, pid in $STARTED
  local name=$1 dir=$2 port=$3 envs=$4; shift 5
  (cd "$dir" && exec env $envs "$@") >"$LOGS/$name.log" 2>&1 &
  STARTED=$!
  PIDS+=("$STARTED")
  [[ $port == - ]] || wait_listen "$port" "$LOGS/$name.log" "$STARTED"
}

start stub "$BENCH_DIR" "$STUB_PORT" "" -- "$BENCH_DIR/Platform.Benchmarks" gateway-serve stub "$STUB_PORT"
start proxy "$BENCH_DIR" "$PROXY_PORT" "" -- "$BENCH_DIR/Platform.Benchmarks" gateway-serve proxy "$PROXY_PORT" "http://127.0.0.1:$STUB_PORT/v1"
PROXY_PID=$STARTED
start worker "$WORKER_DIR" - "" -- "$WORKER_DIR/Platform.Worker" --urls "http://127.0.0.1:$((PORT + 3))"
for _ in $(seq 1 600); do
  [[ "$(psql_q "SELECT to_regclass('public.usage_records') IS NOT NULL" 2>/dev/null)" == t ]] && break
  sleep 0.1
done
log "worker up (schema migrated)"
# The Api runs in Production, where API keys are required: a key of the benchmark's own, with no
# limits, stored as POST /v1/admin/keys stores one (SHA-256 of the secret); wrk, curl and the
# cold-start probe send it, so the load goes through key authentication as real traffic does.
export GL_AUTH="pk-bench-$(openssl rand -hex 16)"
psql_q "INSERT INTO api_keys (id, name, tenant_id, key_hash, prefix, scopes, allowed_models, created_at)
        VALUES (gen_random_uuid(), 'gateway-load', 'bench', sha256(convert_to('$GL_AUTH', 'UTF8')), 'pk-bench',
                ARRAY['chat','embeddings','tools','usage:read'], ARRAY[]::text[], now())" >/dev/null

API_URL="http://127.0.0.1:$API_PORT"
CHAT_PATH=/v1/chat/completions

cold_start() {
  log "cold start: $COLD_RUNS runs${GL_COLDSTART_VS:+, paired with: $GL_COLDSTART_VS}"
  local vs=()
  [[ -n "${GL_COLDSTART_VS:-}" ]] && vs=(--vs "$GL_COLDSTART_VS")
  (cd "$API_DIR" && ASPNETCORE_URLS="$API_URL" "$BENCH_DIR/Platform.Benchmarks" gateway-serve coldstart "$COLD_RUNS" "$API_URL$CHAT_PATH" "${vs[@]}" -- "$API_DIR/Platform.Api") | tee "$LOGS/coldstart.txt"
}

if ((!LOAD)); then
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
  cold_start
  exit 0
fi

API_START=$(date +%s%N)
start api "$API_DIR" "$API_PORT" "ASPNETCORE_URLS=$API_URL ${GL_API_ENV:-}" -- "$API_DIR/Platform.Api"
API_PID=$STARTED

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
status_kb() { awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status"; }
allocated() { # bytes allocated so far by the process behind the scrape URL (or 0)
  [[ -n "$1" ]] || { echo 0; return; }
  { curl -s "$1/metrics" || true; } | awk '/^dotnet_gc_heap_total_allocated_bytes_total/ {printf "%.0f", $2; found=1} END {if (!found) print 0}'
}
to_ms() { # 1.23ms | 456.78us | 1.2s -> ms
  awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.3f", v / 1000; else if (v ~ /ms$/) printf "%.3f", v + 0; else if (v ~ /s$/) printf "%.3f", v * 1000; else print v }'
}

# Time to the first answered chat request of the Api started above (poll every 10 ms), then idle RSS.
until [[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -H 'Cache-Control: no-store' -H "Authorization: Bearer $GL_AUTH" \
  -d '{"model":"stub-model","messages":[{"role":"user","content":"hi"}]}' "$API_URL$CHAT_PATH")" == 200 ]]; do
  kill -0 "$API_PID" 2>/dev/null || { tail -n 30 "$LOGS/api.log" >&2; exit 1; }
  sleep 0.01
done
FIRST_MS=$((($(date +%s%N) - API_START) / 1000000))
sleep 2
IDLE_RSS_KB=$(status_kb "$API_PID" VmRSS)
log "api answered its first chat request ${FIRST_MS} ms after start; idle RSS $((IDLE_RSS_KB / 1024)) MB"
API_B=0
if [[ -n "${GL_API_B_ENV:-}${GL_API_B_DIR:-}" ]]; then
  API_B=1 API_B_DIR=${GL_API_B_DIR:-$API_DIR} API_B_URL="http://127.0.0.1:$((PORT + 4))"
  start apib "$API_B_DIR" "$((PORT + 4))" "ASPNETCORE_URLS=$API_B_URL ${GL_API_B_ENV:-}" -- "$API_B_DIR/Platform.Api"
  API_B_PID=$STARTED
fi

run_wrk() { # run_wrk URL CONCURRENCY SECONDS SCENARIO -> wrk output on stdout
  local stream=0 cache=bypass threads=2
  [[ $4 == sse-* ]] && stream=1
  [[ $4 == *-hit ]] && cache=hit
  (($2 < 2)) && threads=1
  GL_STREAM=$stream GL_CACHE=$cache wrk -t "$threads" -c "$2" -d "${3}s" --latency -s "$LUA" "$1$CHAT_PATH" 2>&1
}

REQUESTS_TO_API=1
log "warm-up: ${WARMUP} s per scenario on the Api, 2 s on the proxy"
for scenario in $SCENARIOS; do
  out=$(run_wrk "$API_URL" 10 "$WARMUP" "$scenario")
  REQUESTS_TO_API=$((REQUESTS_TO_API + $(awk '/requests in/ {print $1}' <<<"$out")))
  if ((API_B)); then
    out=$(run_wrk "$API_B_URL" 10 "$WARMUP" "$scenario")
    REQUESTS_TO_API=$((REQUESTS_TO_API + $(awk '/requests in/ {print $1}' <<<"$out")))
  fi
  run_wrk "http://127.0.0.1:$PROXY_PORT" 10 2 "$scenario" >/dev/null
done

measure() { # measure NAME PID SCRAPE_URL TARGET_URL CONCURRENCY SCENARIO -> "rps p50 p99 cpu_us_per_req alloc_kb_per_req requests non2xx"
  local t0 t1 a0 a1 out rps p50 p99 n bad
  t0=$(ticks "$2"); a0=$(allocated "$3")
  out=$(run_wrk "$4" "$5" "$DURATION" "$6")
  t1=$(ticks "$2"); a1=$(allocated "$3")
  echo "$out" >>"$LOGS/wrk-$1.log"
  rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  bad=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); bad=${bad:-0}
  awk -v rps="$rps" -v p50="$p50" -v p99="$p99" -v n="$n" -v dt=$((t1 - t0)) -v da=$((a1 - a0)) -v bad="$bad" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%s %s %s %.0f %.1f %s %s\n", rps, p50, p99, dt * 1e6 / hz / n, da / 1024 / n, n, bad }'
}

echo
echo "gateway-load: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- Api ServiceDefaults libs || echo '+changes'), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk, ${DURATION} s per row; Api: usage capture on (Queued), Worker writing PostgreSQL, Redis L2; proxy = bare Kestrel + HttpClient pass-through"
echo
echo "| scenario | c | path | req/s | p50 ms | p99 ms | CPU µs/req | alloc KB/req | Api/proxy: req/s | p50 | CPU/req |"
echo "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for scenario in $SCENARIOS; do
  for c in $LEVELS; do
    read -r prps pp50 pp99 pcpu palloc pn pbad < <(measure proxy "$PROXY_PID" "" "http://127.0.0.1:$PROXY_PORT" "$c" "$scenario")
    read -r arps ap50 ap99 acpu aalloc an abad < <(measure api "$API_PID" "$API_URL" "$API_URL" "$c" "$scenario")
    REQUESTS_TO_API=$((REQUESTS_TO_API + an))
    ((abad == 0)) || log "$scenario c=$c: $abad non-2xx answers from the Api"
    echo "| $scenario | $c | proxy | $prps | $pp50 | $pp99 | $pcpu | - | | | |"
    awk -v s="$scenario" -v c="$c" -v arps="$arps" -v ap50="$ap50" -v ap99="$ap99" -v acpu="$acpu" -v aalloc="$aalloc" \
      -v prps="$prps" -v pp50="$pp50" -v pcpu="$pcpu" \
      'BEGIN { printf "| %s | %s | **Api** | %s | %s | %s | %s | %s | %.2f | %.2f | %.2f |\n", s, c, arps, ap50, ap99, acpu, aalloc, arps / prps, ap50 / pp50, acpu / pcpu }'
    if ((API_B)); then
      read -r brps bp50 bp99 bcpu balloc bn bbad < <(measure apib "$API_B_PID" "$API_B_URL" "$API_B_URL" "$c" "$scenario")
      REQUESTS_TO_API=$((REQUESTS_TO_API + bn))
      ((bbad == 0)) || log "$scenario c=$c: $bbad non-2xx answers from Api B"
      awk -v s="$scenario" -v c="$c" -v arps="$brps" -v ap50="$bp50" -v ap99="$bp99" -v acpu="$bcpu" -v aalloc="$balloc" \
        -v prps="$prps" -v pp50="$pp50" -v pcpu="$pcpu" \
        'BEGIN { printf "| %s | %s | **Api B** | %s | %s | %s | %s | %s | %.2f | %.2f | %.2f |\n", s, c, arps, ap50, ap99, acpu, aalloc, arps / prps, ap50 / pp50, acpu / pcpu }'
    fi
  done
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Api: first chat answer $FIRST_MS ms after process start (curl poll every 10 ms); idle RSS $((IDLE_RSS_KB / 1024)) MB; peak RSS (VmHWM) $(($(status_kb "$API_PID" VmHWM) / 1024)) MB; RSS now $(($(status_kb "$API_PID" VmRSS) / 1024)) MB"
((API_B)) && echo "Api B (${GL_API_B_DIR:-same build}${GL_API_B_ENV:+, $GL_API_B_ENV}): peak RSS (VmHWM) $(($(status_kb "$API_B_PID" VmHWM) / 1024)) MB; RSS now $(($(status_kb "$API_B_PID" VmRSS) / 1024)) MB"
echo "proxy: peak RSS (VmHWM) $(($(status_kb "$PROXY_PID" VmHWM) / 1024)) MB"

# Zero usage loss: every request the Api answered has its row (wrk may also leave a few requests in
# flight at the end of each run, which are billed too, so rows >= answered).
for _ in $(seq 1 100); do
  rows=$(psql_q "SELECT count(*) FROM usage_records")
  ((rows >= REQUESTS_TO_API)) && break
  sleep 0.2
done
echo "usage: $rows rows in PostgreSQL for $REQUESTS_TO_API requests answered by the Api (rows >= answered: $([[ $rows -ge $REQUESTS_TO_API ]] && echo yes || echo NO))"

if ((COLD)); then
  kill -TERM "$API_PID"; wait "$API_PID" 2>/dev/null || true
  ((API_B)) && { kill -TERM "$API_B_PID"; wait "$API_B_PID" 2>/dev/null || true; }
  cold_start
fi
