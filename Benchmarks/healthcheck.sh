#!/usr/bin/env bash
# Measures how long `todo-chatbot healthcheck` takes against a running serve-api, since Docker runs it every few
# seconds in every container. Prints the median and 95th percentile of N runs (default 20) in milliseconds.
#
# Usage: Benchmarks/healthcheck.sh [RUNS]      BIN=.build/release/todo-chatbot by default (build it with
#        swift build -c release); BIN=.build/debug/todo-chatbot works too, only slower.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
bin=${BIN:-.build/release/todo-chatbot}
[ -x "$bin" ] || { echo "healthcheck.sh: $bin not found; run swift build -c release (or set BIN)" >&2; exit 2; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DATABASE_URL='sqlite::memory:' LOG_LEVEL=error "$bin" serve-api --port "$port" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do "$bin" healthcheck --port "$port" >/dev/null 2>&1 && break; sleep 0.05; done
samples=()
for _ in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  "$bin" healthcheck --port "$port" >/dev/null
  end=$(date +%s%N)
  samples+=($(( (end - start) / 1000 )))
done
printf '%s\n' "${samples[@]}" | sort -n | awk -v bin="$bin" -v runs="$runs" '
  { v[NR] = $1 }
  END {
    median = v[int((NR + 1) / 2)] / 1000; p95 = v[int(NR * 0.95 + 0.999)] / 1000
    printf "healthcheck (%s, %d runs): median %.2f ms, p95 %.2f ms\n", bin, runs, median, p95
  }'
