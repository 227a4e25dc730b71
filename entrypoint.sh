#!/bin/sh
# Starts one role of todo-chatbot: checks what the role needs, migrates when asked, then execs the binary so
# signals (SIGTERM from `docker stop`) reach it directly. Any other command passes through unchanged.
set -eu

bin=/app/todo-chatbot
role="${1:-${ROLE:-serve-api}}"
[ "$#" -gt 0 ] && shift

fail() {
  echo "entrypoint: $*" >&2
  exit 2
}

uses_postgres() {
  [ -n "${DATABASE_URL_FILE:-}" ] && return 0
  case "${DATABASE_URL:-}" in
    postgres://* | postgresql://*) return 0 ;;
    *) return 1 ;;
  esac
}

# The secret may be given directly or as a file (Docker and Kubernetes secrets); the binary reads either.
has_auth_secret() {
  [ -n "${BETTER_AUTH_SECRET:-}" ] || [ -n "${BETTER_AUTH_SECRET_FILE:-}" ]
}

case "$role" in
  serve-api | api)
    role=serve-api
    if uses_postgres && ! has_auth_secret; then
      fail "BETTER_AUTH_SECRET (or BETTER_AUTH_SECRET_FILE) is required with PostgreSQL (32+ characters; generate one with: openssl rand -base64 32)"
    fi
    ;;
  serve-web | web)
    role=serve-web
    [ -n "${API_URL:-}" ] || fail "API_URL is required for serve-web (the API's base URL, e.g. http://api:8000)"
    ;;
  serve)
    if uses_postgres && ! has_auth_secret; then
      fail "BETTER_AUTH_SECRET (or BETTER_AUTH_SECRET_FILE) is required with PostgreSQL (32+ characters; generate one with: openssl rand -base64 32)"
    fi
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
