#!/usr/bin/env bash
# Checks the MCP server with the official MCP Python SDK, both major versions (each in its own virtual
# environment), over Streamable HTTP (/mcp of a live serve-api) and over stdio (`todo-chatbot mcp`):
# Tests/clients/mcp_check.py initializes, lists and checks the tools, calls each one, checks the results
# through the REST API, and checks that another user can neither see nor change them.
#
# Usage: scripts/mcp-clients.sh
#   BIN=.build/debug/todo-chatbot       the binary to run
#   DATABASE_URL=...                    the store (default: a throwaway SQLite file)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${BIN:-.build/debug/todo-chatbot}")
[ -x "$bin" ] || { echo "mcp-clients.sh: $bin not found; run swift build (or set BIN)" >&2; exit 2; }
for pair in "1:mcp==1.30.0" "2:mcp==2.3.0"; do
  venv=".venv-mcp${pair%%:*}"
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/pip" show -q mcp >/dev/null 2>&1; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "${pair#*:}"
  fi
done
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export DATABASE_URL=${DATABASE_URL:-sqlite:$work/mcp.sqlite}
export BETTER_AUTH_SECRET=${BETTER_AUTH_SECRET:-$(head -c 32 /dev/urandom | base64)}
export MIGRATE_ON_START=1 RATE_LIMIT_PER_MINUTE=1000000 AUTH_RATE_LIMIT_PER_MINUTE=1000000 LOG_LEVEL=warning
"$bin" serve-api --port "$port" >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do "$bin" healthcheck --port "$port" >/dev/null 2>&1 && break; sleep 0.1; done
export API_BASE="http://127.0.0.1:$port"
sign_up() {
  curl -sf -H 'content-type: application/json' "$API_BASE/api/auth/sign-up/email" \
    -d "{\"name\":\"MCP\",\"email\":\"$1\",\"password\":\"correct horse battery\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
email_a="mcp-a-$RANDOM$RANDOM@example.com"
TOKEN_A=$(sign_up "$email_a")
TOKEN_B=$(sign_up "mcp-b-$RANDOM$RANDOM@example.com")
MCP_COMMAND=$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1:]))' "$bin" mcp --user "$email_a")
export TOKEN_A TOKEN_B MCP_COMMAND
status=0
for major in 1 2; do
  for transport in http stdio; do
    timeout 120 ".venv-mcp$major/bin/python" Tests/clients/mcp_check.py "$transport" || { status=1; echo "FAILED: mcp $major.x over $transport" >&2; }
  done
done
if [ "$status" -ne 0 ]; then
  echo "--- serve-api log" >&2
  tail -50 "$work/server.log" >&2
fi
exit "$status"
