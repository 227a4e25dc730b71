#!/usr/bin/env bash
# Makes a local certificate authority and the certificate serve-api presents inside docker compose, for
# docker-compose.tls.yml: ca.crt (serve-web trusts it: API_CA_FILE), api.crt and api.key (serve-api: TLS_CERT_FILE,
# TLS_KEY_FILE) for the names api, localhost and 127.0.0.1. The CA's key stays in ca.key (mode 0600) on this machine.
#
# Usage: scripts/compose-certs.sh [DIR] [--force]     (DIR: TLS_CERTS_DIR or deploy/certs; --force replaces them)
#
# api.key is made readable by every user (0644) because the container runs as uid 10001, not as you, and compose
# bind-mounts files with their host permissions. That is right for a local CA on a developer's machine; in
# production give the key to the API through your orchestrator's secrets (readable by 10001 only) instead.
set -euo pipefail
dir="" force=0
for arg in "$@"; do
  case $arg in
    --force) force=1 ;;
    -h | --help) sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
    -*) echo "compose-certs.sh: unknown option $arg (see --help)" >&2; exit 2 ;;
    *) dir=$arg ;;
  esac
done
dir=${dir:-${TLS_CERTS_DIR:-$(dirname "$0")/../deploy/certs}}
command -v openssl >/dev/null || { echo "compose-certs.sh: openssl is required" >&2; exit 2; }
if [ -e "$dir/api.crt" ] && [ "$force" != 1 ]; then
  echo "compose-certs.sh: $dir/api.crt exists; pass --force to make new ones" >&2
  exit 1
fi
mkdir -p "$dir"
chmod 0755 "$dir"
cd "$dir"
umask 077
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 825 -subj "/CN=todo-chatbot local CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout ca.key -out ca.crt 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=api" -keyout api.key -out api.csr 2>/dev/null
printf '%s\n' "subjectAltName=DNS:api,DNS:localhost,IP:127.0.0.1" "extendedKeyUsage=serverAuth" \
  "basicConstraints=critical,CA:FALSE" >api.ext
openssl x509 -req -in api.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 825 -extfile api.ext -out api.crt 2>/dev/null
rm -f api.csr api.ext ca.srl
chmod 0644 ca.crt api.crt api.key
chmod 0600 ca.key
echo "compose-certs.sh: wrote $(realpath .)/{ca.crt,api.crt,api.key} (valid 825 days); ca.key stays here"
