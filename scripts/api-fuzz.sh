#!/usr/bin/env bash
# Runs schemathesis against a live serve-api with our own /openapi.json: every response must be documented,
# match its schema, and never be a server error. Needs python3; installs schemathesis in .venv-fuzz.
#
# Usage: scripts/api-fuzz.sh [SECONDS]   (default 60)
#   BIN=.build/debug/todo-chatbot       the binary to run
#   DATABASE_URL=...                    the store (default: a throwaway SQLite file)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
seconds=${1:-60}
find_binary
ensure_venv .venv-fuzz 'import schemathesis' 'schemathesis==4.32.5'
work=$(mktemp -d)
port=$(free_port)
test_server_env fuzz
"$bin" serve-api --port "$port" >"$work/server.log" 2>&1 &
server=$!
trap 'stop_processes "$server"; rm -rf "$work"' EXIT
wait_healthy "api:$port"
base="http://127.0.0.1:$port"
# A JWT rather than a session token, so a fuzzed sign-out cannot end the run's own session.
curl -sf -c "$work/jar" -H 'content-type: application/json' "$base/api/auth/sign-up/email" \
  -d "{\"name\":\"Fuzz\",\"email\":\"fuzz-$RANDOM$RANDOM@example.com\",\"password\":\"correct horse battery\"}" >/dev/null
token=$(curl -sf -b "$work/jar" "$base/api/auth/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
status=0
# One worker: with two, hypothesis parses lambda sources on two threads at once, and CPython 3.11's ast.parse is
# not safe for that ("AST constructor recursion depth mismatch" failed a CI run). The run is time-boxed anyway.
# /api/events is an endless stream, which a fuzzer would wait on forever; Tests/TodoAPITests cover it. The routes
# that end the fuzzer's own session (revoke-sessions, revoke-other-sessions is harmless but kept with them) would
# turn the rest of the run into 401s; Tests/TodoAPITests/AccountRoutesTests cover them.
.venv-fuzz/bin/st run "$base/openapi.json" -H "Authorization: Bearer $token" --exclude-path /api/events \
  --exclude-path /api/auth/revoke-sessions --exclude-path /api/auth/revoke-other-sessions \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --phases examples,coverage,fuzzing --max-time "$seconds" -w 1 --no-color || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- serve-api log" >&2
  tail -50 "$work/server.log" >&2
fi
exit "$status"
