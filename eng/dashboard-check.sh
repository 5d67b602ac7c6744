#!/usr/bin/env bash
# End-to-end check of the Aspire dashboard of a running platform (./eng/run.sh --detach first):
# sends a plain chat request and one whose offline model calls the MCP tool evaluate_expression
# server-side, then checks in headless Chromium that the dashboard shows their trace (GenAI span,
# MCP call), structured logs of api and worker, and the api's Platform.* and gen_ai metrics.
# Screenshots go to artifacts/dashboard/. Ends with "dashboard: N passed, N failed".
#
# Usage: eng/dashboard-check.sh [API_URL] [APPHOST_LOG]
#   defaults: $PLATFORM_API_URL or http://localhost:5080, $APPHOST_LOG or <state dir>/run/apphost.log
set -uo pipefail
cd "$(dirname "$0")/.."

STATE_DIR="${PLATFORM_STATE_DIR:-/tmp/platform-services}"
API="${1:-${PLATFORM_API_URL:-http://localhost:${PLATFORM_API_PORT:-5080}}}"
export APPHOST_LOG="${2:-${APPHOST_LOG:-$STATE_DIR/run/apphost.log}}"

fail() { echo "dashboard-check: $*" >&2; echo "dashboard: 0 passed, 1 failed"; exit 1; }

if ! command -v chromium >/dev/null; then
  (apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium) >/dev/null || fail "could not install chromium"
fi
if [[ ! -d eng/dashboard/node_modules/playwright-core ]]; then
  npm ci --prefix eng/dashboard --no-audit --no-fund --loglevel=error >/dev/null || fail "npm ci in eng/dashboard failed"
fi

curl -fsS -m 10 -o /dev/null "$API/health" || fail "the platform is not running at $API (start it with ./eng/run.sh --detach)"
DASHBOARD_LOGIN_URL=$(grep -o 'http[^ ]*/login?t=[0-9a-zA-Z]*' "$APPHOST_LOG" 2>/dev/null | tail -n 1)
[[ -n "$DASHBOARD_LOGIN_URL" ]] || fail "no dashboard login URL in $APPHOST_LOG"
curl -s -m 10 -o /dev/null "${DASHBOARD_LOGIN_URL%%/login*}" || fail "the dashboard at ${DASHBOARD_LOGIN_URL%%/login*} does not answer"
export DASHBOARD_LOGIN_URL

# Traffic. The tool call's trace id is chosen here (W3C traceparent) so the check finds that trace.
auth=(); [[ -r "$STATE_DIR/admin-key.secret" ]] && auth=(-H "authorization: Bearer $(cat "$STATE_DIR/admin-key.secret")")
chat() { curl -fsS -m 60 "$API/v1/chat/completions" "${auth[@]}" -H 'content-type: application/json' -H 'cache-control: no-cache' "$@"; }
export DASHBOARD_TRACE_ID=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
span_id=$(od -An -tx1 -N8 /dev/urandom | tr -d ' \n')
n=$((RANDOM % 90 + 10))

chat -o /dev/null -d "{\"model\":\"offline\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello dashboard $n\"}]}" \
  || fail "the plain chat request failed"
reply=$(chat -H "traceparent: 00-$DASHBOARD_TRACE_ID-$span_id-01" -d "{\"model\":\"offline\",
  \"messages\":[{\"role\":\"user\",\"content\":\"6*$n\"}],
  \"tools\":[{\"type\":\"mcp\",\"server_label\":\"mcphost\",\"allowed_tools\":[\"evaluate_expression\"]}],
  \"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"evaluate_expression\"}}}") \
  || fail "the chat request with an MCP tool failed"
grep -q "evaluate_expression returned.*$((6 * n))" <<<"$reply" || fail "the MCP tool did not run server-side: $reply"
echo "dashboard checks against ${DASHBOARD_LOGIN_URL%%/login*} (trace $DASHBOARD_TRACE_ID)"

node eng/dashboard/check-dashboard.mjs
