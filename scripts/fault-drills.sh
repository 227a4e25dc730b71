#!/usr/bin/env bash
# Fault drills against the real binary: hostile MCP input at volume, SIGTERM under load with chat streams open,
# and PostgreSQL stopped and started in the middle of a write load (Tests/drills/*.py).
#
# Usage: scripts/fault-drills.sh
#   BIN=.build/debug/todo-chatbot
#   RESTART_DATABASE_URL, RESTART_PGTLS_PORT, PGTLS_TOOL   a PostgreSQL the drill may stop and start (pg-tls.sh);
#                                                          without them the PostgreSQL drill is skipped
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
find_binary
export BIN=$bin
cd Tests/drills

echo "=== MCP endpoint under malformed JSON-RPC"
work=$(mktemp -d)
port=$(free_port)
DATABASE_URL="sqlite:$work/fuzz.sqlite" RATE_LIMIT_PER_MINUTE=1000000 AUTH_RATE_LIMIT_PER_MINUTE=1000000 AUTH_RATE_LIMIT_PER_10S=1000000 LOG_LEVEL=error \
  "$BIN" serve-api --port "$port" >"$work/server.log" 2>&1 &
server=$!
trap 'stop_processes "$server"; rm -rf "$work"' EXIT
wait_healthy "api:$port"
token=$(sign_up "http://127.0.0.1:$port" fuzz@example.com)
API_BASE="http://127.0.0.1:$port" TOKEN="$token" python3 mcp_fuzz.py "${MCP_FUZZ_COUNT:-3000}"
kill -0 "$server" || { echo "FAILED: serve-api died" >&2; tail -20 "$work/server.log" >&2; exit 1; }

echo "=== SIGTERM under load with chat streams open"
python3 drill_sigterm.py

if [ -n "${RESTART_DATABASE_URL:-}" ] && [ -n "${RESTART_PGTLS_PORT:-}" ] && [ -n "${PGTLS_TOOL:-}" ]; then
  echo "=== PostgreSQL stopped and started under a write load"
  DATABASE_URL="$RESTART_DATABASE_URL" PGTLS_PORT="$RESTART_PGTLS_PORT" python3 drill_pg_restart.py
else
  echo "=== PostgreSQL drill skipped (set RESTART_DATABASE_URL, RESTART_PGTLS_PORT and PGTLS_TOOL)"
fi
echo "fault drills passed"
