#!/usr/bin/env bash
# Runs the full test suite, PostgreSQL included, several times on a machine made slow and busy: the tests are
# pinned to one core with taskset while stress-ng keeps both cores loaded. Passes only if every run passes, so a
# test that depends on how fast the machine is shows up here before it shows up on a slower CI machine.
#
# Usage: scripts/slow-machine.sh [RUNS]        (default 3)
#   TEST_DATABASE_URL   a PostgreSQL to use; without it one is started with ../shared/tools/pg-tls.sh (port 55439)
#   STRESS_CPUS         stress-ng CPU workers beside the tests (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
case "$runs" in ''|*[!0-9]*) echo "usage: $0 [RUNS]" >&2; exit 2 ;; esac

for tool in taskset stress-ng; do
  command -v "$tool" >/dev/null || { apt-get install -y -q stress-ng util-linux >/dev/null || { echo "$0: $tool is missing (apt-get install stress-ng)" >&2; exit 2; }; }
done

started_pg=""
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  pg_tool=${PGTLS_TOOL:-../shared/tools/pg-tls.sh}
  eval "$(bash "$pg_tool" start 55439)"
  export TEST_DATABASE_URL TEST_DATABASE_CA
  started_pg=$pg_tool
fi
stress=""
cleanup() {
  [ -n "$stress" ] && kill "$stress" 2>/dev/null && wait "$stress" 2>/dev/null || true
  [ -n "$started_pg" ] && bash "$started_pg" stop 55439 >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "=== building (at full speed; only the test runs are slowed)"
swift build --build-tests

echo "=== the suite at full speed, for comparison"
start=$SECONDS
REQUIRE_POSTGRES=1 swift test --skip-build >/tmp/slow-machine-normal.log 2>&1 || { tail -40 /tmp/slow-machine-normal.log; exit 1; }
echo "normal run: $((SECONDS - start)) s ($(grep -Eo 'Test run with [0-9]+ tests' /tmp/slow-machine-normal.log | tail -1))"

stress-ng --cpu "${STRESS_CPUS:-2}" --timeout 3600s --quiet &
stress=$!
passed=0
for run in $(seq 1 "$runs"); do
  log=/tmp/slow-machine-run$run.log
  start=$SECONDS
  if REQUIRE_POSTGRES=1 taskset -c 0 swift test --skip-build >"$log" 2>&1; then
    passed=$((passed + 1))
    echo "slowed run $run: passed in $((SECONDS - start)) s"
  else
    echo "slowed run $run: FAILED after $((SECONDS - start)) s; failures:"
    grep -E '✘|error:|failed' "$log" | head -40
  fi
done
echo "$passed passed, $((runs - passed)) failed"
[ "$passed" -eq "$runs" ]
