#!/usr/bin/env bash
# Account emails through a real SMTP server (aiosmtpd from PyPI) on loopback: STARTTLS with AUTH, smtps, and a
# server that offers no STARTTLS; the verification, reset and email-change links are followed from the messages
# received (Tests/clients/mail_flows.py).
#
# Usage: scripts/mail-flows.sh
#   BIN=.build/debug/todo-chatbot       the binary to run
#   DATABASE_URL=...                    the store (default: a throwaway SQLite file)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
find_binary
ensure_venv .venv-mail 'import aiosmtpd' 'aiosmtpd==1.4.6'
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A certificate for localhost, trusted through SMTP_CA_FILE (it is its own CA).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
  -addext 'subjectAltName=DNS:localhost,IP:127.0.0.1' -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
test_server_env mail
export BIN="$bin" CERT="$work/cert.pem" KEY="$work/key.pem"
timeout 300 .venv-mail/bin/python Tests/clients/mail_flows.py
