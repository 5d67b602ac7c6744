#!/usr/bin/env bash
# End-to-end check of what a user does after ./eng/run.sh: the platform started as real processes,
# called with curl. Prints "smoke: N passed, N failed" and exits non-zero on any failure.
# Starts the platform itself (detached) unless it is already running, and stops what it started.
set -uo pipefail
cd "$(dirname "$0")/.."

API="http://127.0.0.1:${PLATFORM_API_PORT:-5080}"
MCP="http://127.0.0.1:${PLATFORM_MCPHOST_PORT:-5082}"
STATE_DIR="${PLATFORM_STATE_DIR:-/tmp/platform-services}"
passed=0; failed=0

check() { # check NAME COMMAND...
  local name=$1; shift
  if out=$("$@" 2>&1); then
    passed=$((passed + 1)); echo "  ok    $name"
  else
    failed=$((failed + 1)); echo "  FAIL  $name"; printf '%s\n' "$out" | tail -n 15 | sed 's/^/        /'
  fi
}

started=0
if ! curl -fsS "$API/health" >/dev/null 2>&1; then
  ./eng/run.sh --detach >/dev/null || { echo "smoke: 0 passed, 1 failed (eng/run.sh --detach did not bring the platform up)"; exit 1; }
  started=1
fi
admin_key=$(cat "$STATE_DIR/admin-key.secret" 2>/dev/null || echo "")
mcp_token=$(cat "$STATE_DIR/mcp-token.secret" 2>/dev/null || echo "")

chat() { curl -fsS "$API/v1/chat/completions" -H 'content-type: application/json' "$@"; }

echo "smoke checks against $API"
check "all services healthy" bash -c "curl -fsS $API/health | grep -q '\"status\":\"Healthy\"' && curl -fsS $MCP/health | grep -q Healthy"
check "models are listed" bash -c "curl -fsS $API/v1/models | grep -q '\"offline\"'"
check "offline chat answers" bash -c "$(declare -f chat); API=$API; chat -d '{\"model\":\"offline\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello smoke\"}]}' | grep -q '\"usage\"'"
check "streaming chat ends with usage and [DONE]" bash -c "$(declare -f chat); API=$API; out=\$(chat -N -d '{\"model\":\"offline\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Stream please\"}]}'); grep -q 'prompt_tokens' <<<\"\$out\" && grep -q 'data: \[DONE\]' <<<\"\$out\""
check "a repeated request is served from the cache" bash -c "$(declare -f chat); API=$API; body='{\"model\":\"offline\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"cache me $RANDOM\"}]}'; chat -o /dev/null -d \"\$body\"; chat -D - -o /dev/null -d \"\$body\" | grep -qi '^x-cache: hit'"
check "malformed JSON gets a 400 with an OpenAI error" bash -c "code=\$(curl -s -o /tmp/smoke-400.json -w '%{http_code}' $API/v1/chat/completions -H 'content-type: application/json' -d '{not json'); [[ \$code == 400 ]] && grep -q '\"error\"' /tmp/smoke-400.json"
check "MCP tools are in the catalog" bash -c "for i in \$(seq 1 40); do curl -fsS '$API/v1/tools' | grep -q 'evaluate_expression' && exit 0; sleep 0.5; done; exit 1"
check "an MCP tool is invoked server-side" bash -c "curl -fsS -X POST '$API/v1/tools/evaluate_expression/invoke' -H 'content-type: application/json' -d '{\"arguments\":{\"expression\":\"6*7\"}}' | grep -q 42"
check "McpHost refuses calls without its token" bash -c "code=\$(curl -s -o /dev/null -w '%{http_code}' -X POST $MCP/mcp -H 'content-type: application/json' -H 'accept: application/json, text/event-stream' -d '{}'); [[ -z '$mcp_token' || \$code == 401 ]]"
check "usage of the calls reaches PostgreSQL" bash -c "for i in \$(seq 1 40); do n=\$(curl -fsS -H 'authorization: Bearer $admin_key' '$API/v1/usage?groupBy=model' | grep -o '\"requests\":[0-9]*' | head -1 | cut -d: -f2); [[ \${n:-0} -ge 3 ]] && exit 0; sleep 0.5; done; exit 1"

if ((started)); then
  ./eng/run.sh --stop >/dev/null 2>&1
fi
echo "smoke: $passed passed, $failed failed"
((failed == 0))
