#!/usr/bin/env bash
# End-to-end check of the usage page of a running platform (./eng/run.sh --detach first): sends chat
# requests (some twice, so the response cache answers), waits until the Worker has written their usage,
# then checks in headless Chromium that /usage shows the figures GET /v1/usage reports. Screenshots go to
# artifacts/usage-page/ (USAGE_DOCS_SCREENSHOT=docs/usage-page.png also refreshes the docs' copy). Ends with "usage-page: N passed, N failed".
#
# Usage: eng/usage-page-check.sh [API_URL]
#   default: $PLATFORM_API_URL or http://localhost:5080
set -uo pipefail
cd "$(dirname "$0")/.."

STATE_DIR="${PLATFORM_STATE_DIR:-/tmp/platform-services}"
API="${1:-${PLATFORM_API_URL:-http://localhost:${PLATFORM_API_PORT:-5080}}}"

fail() { echo "usage-page-check: $*" >&2; echo "usage-page: 0 passed, 1 failed"; exit 1; }

if ! command -v chromium >/dev/null; then
  (apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium) >/dev/null || fail "could not install chromium"
fi
if [[ ! -d eng/dashboard/node_modules/playwright-core ]]; then
  npm ci --prefix eng/dashboard --no-audit --no-fund --loglevel=error >/dev/null || fail "npm ci in eng/dashboard failed"
fi

curl -fsS -m 10 -o /dev/null "$API/health" || fail "the platform is not running at $API (start it with ./eng/run.sh --detach)"
key=""; [[ -r "$STATE_DIR/admin-key.secret" ]] && key=$(cat "$STATE_DIR/admin-key.secret")
auth=(); [[ -n "$key" ]] && auth=(-H "authorization: Bearer $key")

# Traffic: distinct prompts, and one deterministic prompt sent three times (a miss, then two cache hits).
requests() { curl -fsS -m 10 "$API/v1/usage?groupBy=model&from=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)" "${auth[@]}" \
  | python3 -c 'import json,sys; print(sum(g["requests"] for g in json.load(sys.stdin)["data"]))'; }
before=$(requests) || fail "GET /v1/usage failed"
n=$((RANDOM % 9000 + 1000))
sent=0
for i in 1 2 3 4 5; do
  curl -fsS -m 60 -o /dev/null "$API/v1/chat/completions" "${auth[@]}" -H 'content-type: application/json' \
    -d "{\"model\":\"offline\",\"messages\":[{\"role\":\"user\",\"content\":\"Usage page check $n, request $i\"}]}" || fail "chat request $i failed"
  sent=$((sent + 1))
done
for i in 1 2 3; do
  curl -fsS -m 60 -o /dev/null "$API/v1/chat/completions" "${auth[@]}" -H 'content-type: application/json' \
    -d "{\"model\":\"gpt-4o-mini\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"Usage page check $n, cached\"}]}" || fail "cached chat request $i failed"
  sent=$((sent + 1))
done

# The Worker writes usage in batches: wait until all of it is in PostgreSQL.
for _ in $(seq 60); do
  now=$(requests) || now=0
  (( now >= before + sent )) && break
  sleep 1
done
(( now >= before + sent )) || fail "only $((now - before)) of $sent requests reached GET /v1/usage within 60 s"
echo "usage-page checks against $API/usage ($sent requests sent)"

USAGE_API_URL="$API" USAGE_API_KEY="$key" node eng/dashboard/check-usage-page.mjs
