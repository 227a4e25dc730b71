#!/usr/bin/env bash
# The fleet drill (Tests/drills/drill_fleet.py): three serve-api and two serve-web processes on one PostgreSQL behind
# HAProxy (round-robin, health checks) on loopback. A task added, renamed or deleted through one replica shows in
# the next listing on another (whose page cache held the list); the official MCP SDKs run sessions through it (one replica
# SIGKILLed mid-session), a chat streams through serve-web, the sign-in limit holds across replicas, and a rolling
# restart under load fails no request and loses no write.
#
# Usage: DATABASE_URL=postgresql://… scripts/fleet-drill.sh      (needs haproxy: apt-get install haproxy)
#   BIN=.build/debug/todo-chatbot
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
find_binary
: "${DATABASE_URL:?set DATABASE_URL to a PostgreSQL the fleet shares}"
command -v haproxy >/dev/null || { echo "fleet-drill.sh: haproxy is required (apt-get install haproxy)" >&2; exit 2; }
ensure_venv .venv-mcp1 'import mcp' 'mcp==1.30.0'
ensure_venv .venv-mcp2 'import mcp' 'mcp==2.3.0'
export BIN=$bin DATABASE_URL MCP1_PYTHON=$PWD/.venv-mcp1/bin/python MCP2_PYTHON=$PWD/.venv-mcp2/bin/python
cd Tests/drills
python3 drill_fleet.py
echo "fleet drill passed"
