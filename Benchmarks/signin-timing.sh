#!/usr/bin/env bash
# Compares how long a sign-in with a wrong password and one with an unknown email take, since their answers must
# not let anyone tell which emails have accounts. Prints the median of N runs (default 20) of each, in ms.
#
# Usage: Benchmarks/signin-timing.sh [RUNS]      BIN=.build/release/todo-chatbot by default.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
bin=${BIN:-.build/release/todo-chatbot}
[ -x "$bin" ] || { echo "signin-timing.sh: $bin not found; run swift build -c release (or set BIN)" >&2; exit 2; }
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DATABASE_URL="sqlite:$work/timing.sqlite" AUTH_RATE_LIMIT_PER_MINUTE=1000000 AUTH_RATE_LIMIT_PER_10S=1000000 LOG_LEVEL=error "$bin" serve-api --port "$port" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do "$bin" healthcheck --port "$port" >/dev/null 2>&1 && break; sleep 0.05; done
url="http://127.0.0.1:$port/api/auth"
curl -sf -H 'content-type: application/json' "$url/sign-up/email" \
  -d '{"name":"Timing","email":"known@example.com","password":"correct horse battery"}' >/dev/null
median() {
  local email=$1 samples=()
  for _ in $(seq 1 "$runs"); do
    samples+=("$(curl -s -o /dev/null -w '%{time_total}' -H 'content-type: application/json' "$url/sign-in/email" \
      -d "{\"email\":\"$email\",\"password\":\"wrong password 123\"}")")
  done
  printf '%s\n' "${samples[@]}" | sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] * 1000 }'
}
wrong=$(median known@example.com)
unknown=$(median nobody@example.com)
echo "sign-in, $runs runs each: wrong password ${wrong} ms, unknown email ${unknown} ms (median)"
