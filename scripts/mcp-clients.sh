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
source scripts/lib.sh
find_binary
ensure_venv .venv-mcp1 'import mcp' 'mcp==1.30.0'
ensure_venv .venv-mcp2 'import mcp' 'mcp==2.3.0'
work=$(mktemp -d)
port=$(free_port)
test_server_env mcp
"$bin" serve-api --port "$port" >"$work/server.log" 2>&1 &
server=$!
trap 'stop_processes "$server"; rm -rf "$work"' EXIT
wait_healthy "api:$port"
export API_BASE="http://127.0.0.1:$port"
email_a="mcp-a-$RANDOM$RANDOM@example.com"
TOKEN_A=$(sign_up "$API_BASE" "$email_a")
TOKEN_B=$(sign_up "$API_BASE" "mcp-b-$RANDOM$RANDOM@example.com")
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
