#!/usr/bin/env bash
# The benchmark suite: HTTP throughput and latency with wrk on both stores, memory, start-up, the health check,
# chat-turn overhead and 500 open chat streams. Prints a table and writes Benchmarks/results.json.
#
# Usage: Benchmarks/run.sh [--smoke]
#   --smoke                              a few seconds per measurement (what CI runs so the suite never rots)
#   BIN=.build/release/todo-chatbot      the binary (build it with scripts/build-release.sh, as the image does)
#   BENCH_DATABASE_URL=postgresql://…    also measure on PostgreSQL (default: TEST_DATABASE_URL when set)
# Needs wrk (apt-get install wrk) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
export BIN=${BIN:-.build/release/todo-chatbot}
[ -x "$BIN" ] || { echo "run.sh: $BIN not found; run scripts/build-release.sh (or set BIN)" >&2; exit 2; }
command -v wrk >/dev/null || { echo "run.sh: needs wrk (apt-get install wrk)" >&2; exit 2; }
export BENCH_DATABASE_URL=${BENCH_DATABASE_URL:-${TEST_DATABASE_URL:-}}
export BIN
exec python3 Benchmarks/bench.py "$@"
