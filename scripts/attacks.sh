#!/usr/bin/env bash
# The attack suite of issue #14 against the real binary (Tests/attacks/*.py, pytest): proxy escapes through
# serve-web over HTTP/1.1 and HTTP/2 with TLS, slow uploads and 500 idle or half-sent connections while a normal
# client keeps its p99 under a second, upstream-pool starvation, weak BETTER_AUTH_SECRET values, forged HS256 tokens,
# spoofed X-Forwarded-For against the sign-in limit, and random methods against /metrics. Every server listens on
# loopback and every request goes to 127.0.0.0/8; the whole run takes a few minutes at most.
#
# Usage: scripts/attacks.sh [pytest arguments, e.g. -k proxy]
#   BIN=.build/debug/todo-chatbot       the binary to run
#   DATABASE_URL=...                    the store of the API roles (default: SQLite in a temporary folder);
#                                       a postgresql:// URL is used as given (put sslmode/sslrootcert in it)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
find_binary
export BIN=$bin
ensure_venv .venv-attacks 'import pytest, h2; assert (pytest.__version__, h2.__version__) == ("9.2.0", "4.4.1")' \
  'pytest==9.2.0' 'h2==4.4.1'

# Hundreds of connections are held at once: raise the open-file limit for this shell, the suite and the servers.
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ] || [ "$hard" -gt 65536 ]; then want=65536; else want=$hard; fi
soft=$(ulimit -Sn)
if [ "$soft" != unlimited ] && [ "$soft" -lt "$want" ]; then ulimit -Sn "$want"; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# COLUMNS: the short summary keeps the first line of each failure's message.
export PYTHONDONTWRITEBYTECODE=1 COLUMNS=${COLUMNS:-200}
echo "attack suite: $BIN; store: $([ -n "${DATABASE_URL:-}" ] && echo 'DATABASE_URL' || echo 'SQLite per test'); open files: $(ulimit -Sn)"
status=0
timeout --signal=INT --kill-after=30 600 .venv-attacks/bin/python -m pytest Tests/attacks -q -p no:cacheprovider \
  --basetemp "$work/pytest" --durations=0 "$@" || status=$?
if [ "$status" -ne 0 ]; then
  echo "attack suite FAILED (exit $status): the failures above name each attack that got through" >&2
fi
exit "$status"
