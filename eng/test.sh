#!/usr/bin/env bash
# Runs every test against real PostgreSQL and Redis on 127.0.0.1, then prints
#   tests: N passed, N failed, N skipped
# and exits non-zero when anything failed. Installs what it needs on a fresh machine.
set -uo pipefail
cd "$(dirname "$0")/.."

results="artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"

services_were_up=$(eng/services.sh status 2>/dev/null | grep -c ': up' || true)
eval "$(eng/services.sh up)" || { echo "tests: 0 passed, 1 failed (services did not start)"; exit 1; }
# Whatever happens, nothing this run started outlives it.
trap 'eng/run.sh --stop >/dev/null 2>&1; [[ "$services_were_up" == 2 ]] || eng/services.sh down >/dev/null 2>&1' EXIT

# Tests share these servers through fresh databases and unique key prefixes; tests that kill or
# restart a server start private ones.
export PLATFORM_TEST_REDIS="$ConnectionStrings__redis"
export PLATFORM_TEST_POSTGRES="${ConnectionStrings__platformdb/Database=platformdb/Database=postgres}"
unset ConnectionStrings__redis ConnectionStrings__platformdb   # tests pass connections explicitly
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! dotnet build Platform.sln -nologo -v:q -clp:ErrorsOnly; then
  echo "tests: 0 passed, 1 failed (build failed)"
  exit 1
fi

dotnet test Platform.sln --no-build -nologo -v:q \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" \
  --blame-hang-timeout 5m -- xUnit.DiagnosticMessages=false
test_exit=$?

read -r passed failed skipped files < <(python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
passed = failed = skipped = files = 0
for path in glob.glob(f"{sys.argv[1]}/**/*.trx", recursive=True):
    files += 1
    counters = ET.parse(path).getroot().find(".//{*}Counters")
    a = counters.attrib
    passed += int(a.get("passed", 0))
    failed += int(a.get("failed", 0)) + int(a.get("error", 0)) + int(a.get("timeout", 0)) + int(a.get("aborted", 0))
    skipped += int(a.get("notExecuted", 0)) + int(a.get("inconclusive", 0))
print(passed, failed, skipped, files)
PY
)

# End to end: the platform started by ./eng/run.sh through its AppHost, called with curl, and its
# dashboard and usage page checked in headless Chromium.
export PLATFORM_CONFIGURATION=Debug
if eng/run.sh --detach >"$results/run.log" 2>&1; then
  eng/smoke.sh | tee "$results/smoke.log"
  eng/dashboard-check.sh | tee "$results/dashboard.log"
  eng/usage-page-check.sh | tee "$results/usage-page.log"
else
  echo "eng/run.sh --detach did not bring the platform up:"; tail -n 40 "$results/run.log"
fi
eng/run.sh --stop >/dev/null 2>&1
for check in smoke dashboard usage-page; do
  read -r check_passed check_failed < <(sed -n "s/^$check: \([0-9]*\) passed, \([0-9]*\) failed.*/\1 \2/p" "$results/$check.log" 2>/dev/null)
  passed=$((passed + ${check_passed:-0}))
  failed=$((failed + ${check_failed:-1}))
done

expected=$(grep -c 'tests\\Platform\.[A-Za-z]*\.Tests\\' Platform.sln)
if [[ "$test_exit" -ne 0 && "$failed" -eq 0 ]]; then
  failed=1   # a test host crashed or hung: count it, so the run cannot look green
fi
if [[ "$files" -lt "$expected" && "$failed" -eq 0 ]]; then
  echo "only $files of $expected test projects reported results"
  failed=1
fi

echo "tests: $passed passed, $failed failed, $skipped skipped"
[[ "$failed" -eq 0 && "$passed" -gt 0 ]]
