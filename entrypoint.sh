#!/bin/sh
# Starts one role of todo-chatbot: checks what serve-web needs, migrates when asked, then execs the binary so
# signals (SIGTERM from `docker stop`) reach it directly. Any other command passes through unchanged.
set -eu

bin=/app/todo-chatbot
role="${1:-${ROLE:-serve-api}}"
[ "$#" -gt 0 ] && shift

fail() {
  echo "entrypoint: $*" >&2
  exit 2
}

# What the API roles need (BETTER_AUTH_SECRET with PostgreSQL, ...) the binary checks itself, with the same one-line
# errors in and out of containers; only serve-web's API_URL, which has a default outside containers, is checked here.
case "$role" in
  serve-api | api)
    role=serve-api
    ;;
  serve-web | web)
    role=serve-web
    [ -n "${API_URL:-}" ] || fail "API_URL is required for serve-web (the API's base URL, e.g. http://api:8000)"
    ;;
  serve)
    ;;
  migrate)
    exec "$bin" migrate "$@"
    ;;
  *)
    # chat, mcp, healthcheck, --help, --version, ...: straight to the binary.
    exec "$bin" "$role" "$@"
    ;;
esac

case "${MIGRATE_ON_START:-0}" in
  1 | true | yes | on)
    if [ "$role" != serve-web ]; then
      echo "entrypoint: applying migrations" >&2
      "$bin" migrate
      # Done once here; the server need not check again.
      export MIGRATE_ON_START=0
    fi
    ;;
esac

exec "$bin" "$role" "$@"
