#!/usr/bin/env bash
# Runs the web app in a real browser (Debian's chromium and chromedriver, driven by selenium from PyPI) against
# serve-web and serve-api started as two processes, as the containers run them.
#
# Usage: scripts/browser.sh test            the browser checks of Tests/browser/test_ui.py
#        scripts/browser.sh screenshots [DIR]   PNGs of the main screens into DIR (default docs/screenshots)
#   BIN=.build/debug/todo-chatbot       the binary to run
#   DATABASE_URL=...                    the store (default: a throwaway SQLite file)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
mode=${1:-test}
find_binary
command -v chromium >/dev/null && command -v chromedriver >/dev/null ||
  { echo "browser.sh: needs chromium and chromedriver (apt-get install chromium chromium-driver)" >&2; exit 2; }
ensure_venv .venv-browser 'import selenium, aiosmtpd' 'selenium==4.40.0' 'aiosmtpd==1.4.6'
work=$(mktemp -d)
api_port=$(free_port)
web_port=$(free_port)
test_server_env browser
# Reminders are looked for every second, so a check sees one fall due without a long wait.
export REMINDER_POLL_INTERVAL=1s
unset OPENAI_API_KEY OPENAI_BASE_URL
# A real mail server on loopback (aiosmtpd, a plain local relay), keeping what it gets in a Maildir the checks
# read: the account emails' links are followed in the browser.
smtp_port=$(free_port)
.venv-browser/bin/python -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$work/maildir" &
smtp=$!
export MAIL_FROM="Todo <noreply@example.com>"
SMTP_URL="smtp://127.0.0.1:$smtp_port" BETTER_AUTH_URL="http://127.0.0.1:$web_port" "$bin" serve-api --port "$api_port" >"$work/api.log" 2>&1 &
api=$!
API_URL="http://127.0.0.1:$api_port" "$bin" serve-web --port "$web_port" >"$work/web.log" 2>&1 &
web=$!
# A second pair whose agent is a slow scripted model, for the Stop check (same database, as replicas share one).
llm_port=$(free_port)
slow_api_port=$(free_port)
slow_web_port=$(free_port)
python3 Tests/browser/slow_model.py "$llm_port" &
llm=$!
OPENAI_BASE_URL="http://127.0.0.1:$llm_port/v1" OPENAI_API_KEY=browser-test "$bin" serve-api --port "$slow_api_port" >"$work/slow-api.log" 2>&1 &
slow_api=$!
API_URL="http://127.0.0.1:$slow_api_port" "$bin" serve-web --port "$slow_web_port" >"$work/slow-web.log" 2>&1 &
slow_web=$!
# A third pair where sign-in waits for a verified email.
verify_api_port=$(free_port)
verify_web_port=$(free_port)
REQUIRE_EMAIL_VERIFICATION=1 SMTP_URL="smtp://127.0.0.1:$smtp_port" BETTER_AUTH_URL="http://127.0.0.1:$verify_web_port" \
  "$bin" serve-api --port "$verify_api_port" >"$work/verify-api.log" 2>&1 &
verify_api=$!
API_URL="http://127.0.0.1:$verify_api_port" "$bin" serve-web --port "$verify_web_port" >"$work/verify-web.log" 2>&1 &
verify_web=$!
trap 'stop_processes "$api" "$web" "$llm" "$slow_api" "$slow_web" "$verify_api" "$verify_web" "$smtp"; rm -rf "$work"' EXIT
wait_healthy "api:$api_port" "web:$web_port" "api:$slow_api_port" "web:$slow_web_port" "api:$verify_api_port" "web:$verify_web_port"
export BASE_URL="http://127.0.0.1:$web_port" SLOW_BASE_URL="http://127.0.0.1:$slow_web_port" HOME="$work"
export VERIFY_BASE_URL="http://127.0.0.1:$verify_web_port" MAILDIR="$work/maildir"
status=0
case "$mode" in
  test) (cd Tests/browser && ../../.venv-browser/bin/python test_ui.py) || status=$? ;;
  screenshots) out=$(realpath -m "${2:-docs/screenshots}"); (cd Tests/browser && ../../.venv-browser/bin/python screenshots.py "$out") || status=$? ;;
  *) echo "browser.sh: unknown mode $mode (test or screenshots)" >&2; exit 2 ;;
esac
if [ "$status" -ne 0 ]; then
  echo "--- serve-api log" >&2; tail -30 "$work/api.log" >&2
  echo "--- serve-web log" >&2; tail -30 "$work/web.log" >&2
fi
exit "$status"
