#!/usr/bin/env bash
# Our JWTs read by independent consumers (joserfc and PyJWT from PyPI), as services beside a Better Auth server
# read them: Tests/clients/jwt_check.py verifies fresh tokens against /api/auth/jwks, iss/aud = the origin of
# BETTER_AUTH_URL (which here has a path, as Better Auth's often does), whole-second iat/exp, the user claims.
#
# Usage: scripts/jwt-consumers.sh
#   BIN=.build/debug/todo-chatbot       the binary to run
#   DATABASE_URL=...                    the store (default: a throwaway SQLite file)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
find_binary
ensure_venv .venv-jwt 'import joserfc, jwt' 'joserfc==1.8.0' 'pyjwt[crypto]==2.15.1'
work=$(mktemp -d)
port=$(free_port)
test_server_env jwt
export BETTER_AUTH_URL="http://127.0.0.1:$port/api/auth"
"$bin" serve-api --port "$port" >"$work/server.log" 2>&1 &
server=$!
trap 'stop_processes "$server"; rm -rf "$work"' EXIT
wait_healthy "api:$port"
export API_BASE="http://127.0.0.1:$port" ORIGIN="http://127.0.0.1:$port"
TOKEN=$(sign_up "$API_BASE" "jwt-$RANDOM$RANDOM@example.com")
export TOKEN
timeout 120 .venv-jwt/bin/python Tests/clients/jwt_check.py || { echo "--- serve-api log" >&2; tail -30 "$work/server.log" >&2; exit 1; }
