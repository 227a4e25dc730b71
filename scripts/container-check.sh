#!/usr/bin/env bash
# Builds the real Dockerfile and checks the image the way production runs it. This machine has no Docker engine:
# ../shared/tools builds with buildah from local base images and runs with podman (see its README).
#
#   1. hadolint on the Dockerfile; the compose file against the compose schema
#   2. the image builds; its size is printed and must stay under LIMIT_MB (see below)
#   3. as uid 10001, read-only root, all capabilities dropped, on the host network (loopback):
#      migrate against DATABASE_URL, then serve-api and serve-web as two containers; the in-image health check
#      passes for each role; sign-up, a chat that adds a task (offline agent) and reading it back go
#      web → api → database; SIGTERM stops each container with exit 0 within 10 s
#   4. trivy secret and misconfiguration scans of the repository and of the image archive find nothing
#
# Usage: DATABASE_URL=postgresql://… scripts/container-check.sh      (as root; TOOLS=../shared/tools)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
tools=$(realpath "${TOOLS:-../shared/tools}")
: "${DATABASE_URL:?set DATABASE_URL to a PostgreSQL the containers can reach on loopback}"
tag=${TAG:-todo-chatbot:ci}
# The budget: debian:bookworm-slim is 77 MB, the stripped binary about 60 MB (with ICU's data trimmed to English,
# see scripts/icu-trim.py), the backtracer 7 MB, tzdata and the CA bundle 4 MB.
limit_mb=${LIMIT_MB:-150}
work=$(mktemp -d)
# shellcheck source=/dev/null
source "$tools/oci-env.sh"
cleanup() {
  oci_podman rm -f todo-ci-api todo-ci-web >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
check() { echo "  ok  $1"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

container_tools_venv

echo "=== lint"
.venv-container/bin/hadolint Dockerfile || fail "hadolint"
check "hadolint passes"
.venv-container/bin/check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml docker-compose.tls.yml ||
  fail "compose schema"
check "docker-compose.yml and docker-compose.tls.yml match the compose schema"
# Segmentation, read from the files: the web container shares no network with the database, which is on an
# internal network of its own; the API trusts X-Forwarded-For from the web network only; the TLS override gives
# serve-web an https API_URL and the CA to verify it, and no private key.
.venv-container/bin/python - docker-compose.yml docker-compose.tls.yml <<'PY' || fail "compose segmentation"
import sys
from ruamel.yaml import YAML
compose = YAML(typ="safe").load(open(sys.argv[1]))
services, networks = compose["services"], compose["networks"]
def nets(name):
    return set(services[name].get("networks", ["default"]))
assert not nets("web") & nets("postgres"), (nets("web"), nets("postgres"))
assert nets("postgres") == {"data"}, nets("postgres")
assert networks["data"].get("internal") is True and networks["app"].get("internal") is True, networks
assert nets("web") == {"edge", "app"} and not networks["edge"].get("internal"), nets("web")
assert services["web"]["ports"] and not any(services[name].get("ports") for name in services if name != "web")
assert services["api"]["environment"]["TRUSTED_PROXIES"] == networks["app"]["ipam"]["config"][0]["subnet"]
tls = YAML(typ="safe").load(open(sys.argv[2]))["services"]
assert tls["web"]["environment"]["API_URL"].startswith("https://api:"), tls["web"]
assert tls["web"]["environment"]["API_CA_FILE"] and not any(".key" in v for v in tls["web"]["volumes"]), tls["web"]
assert tls["api"]["environment"]["TLS_CERT_FILE"] and tls["api"]["environment"]["TLS_KEY_FILE"], tls["api"]
assert not any("ca.key" in v for service in tls.values() for v in service["volumes"])
PY
grep -q '^BETTER_AUTH_SECRET=$' .env.example || fail ".env.example carries a BETTER_AUTH_SECRET value"
check "compose: postgres only on an internal network web is not on; TRUSTED_PROXIES is the web network; TLS override; no example secret"
sh -n entrypoint.sh && check "entrypoint.sh is valid POSIX sh"

echo "=== build"
bash "$tools/oci-bootstrap.sh" >/dev/null
# SKIP_BUILD=1 checks an image already built under TAG (for local iteration).
# Built with the release's arguments, so scripts/release-check.sh can release this very image.
mapfile -t build_args < <(image_build_args)
[ "${SKIP_BUILD:-0}" = 1 ] || bash "$tools/oci-build.sh" . "$tag" "${build_args[@]}" | tail -3
size=$(oci_image_size_mb "$tag")
echo "image size: $size MB (limit $limit_mb MB)"
awk -v s="$size" -v l="$limit_mb" 'BEGIN { exit !(s < l) }' || fail "the image is $size MB, over $limit_mb MB"
check "the runtime image is under $limit_mb MB"
inspect=$(bash "$tools/oci-inspect.sh" "$tag")
python3 - "$inspect" <<'PY' || fail "image metadata: $inspect"
import json, sys
config = json.loads(sys.argv[1])
assert config["User"] == "10001:10001", config["User"]
assert config["Entrypoint"] == ["/app/entrypoint.sh"], config["Entrypoint"]
assert config["Cmd"] == ["serve-api"], config["Cmd"]
assert config["Healthcheck"]["Test"] == ["CMD", "/app/todo-chatbot", "healthcheck"], config["Healthcheck"]
assert "org.opencontainers.image.revision" in config["Labels"], config["Labels"]
PY
check "the image runs as 10001 with the entrypoint, the health check and OCI labels"

echo "=== run"
api_port=$(free_port)
web_port=$(free_port)
secret=$(head -c 32 /dev/urandom | base64)
# Every container also runs under the project's seccomp profile (deploy/seccomp.json), as docker-compose.yml does.
seccomp="--security-opt=seccomp=$PWD/deploy/seccomp.json"
run() { NETWORK=host bash "$tools/oci-run.sh" "$tag" --user 10001:10001 "$seccomp" "$@"; }
# The profile is in force: a system call it does not allow (unshare) fails in a container with it and works without.
if NETWORK=host bash "$tools/oci-run.sh" "$tag" --user 10001:10001 --entrypoint /usr/bin/unshare -- --user true >/dev/null 2>&1; then
  ! run --entrypoint /usr/bin/unshare -- --user true >/dev/null 2>&1 || fail "unshare worked under the seccomp profile"
  check "the seccomp profile blocks a system call the binary does not need (unshare -U)"
else
  echo "  --  unshare is refused here even without the profile; the profile's effect is not shown"
fi
# Namespaces stay shut as in Docker's default profile: clone only without CLONE_NEW* flags, clone3 "does not exist"
# (glibc falls back to clone), unshare and setns not allowed; the roles below start their threads under it.
python3 - deploy/seccomp.json <<'PY' || fail "the seccomp profile lets a process make namespaces"
import json, sys
rules = json.load(open(sys.argv[1]))["syscalls"]
allowed = {name for rule in rules if rule["action"] == "SCMP_ACT_ALLOW" and not rule.get("args") for name in rule["names"]}
assert not allowed & {"clone", "clone3", "unshare", "setns"}, allowed & {"clone", "clone3", "unshare", "setns"}
clone = [rule for rule in rules if rule["names"] == ["clone"]]
assert clone and clone[0]["args"] == [{"index": 0, "value": 0x7E020000, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}], clone
assert [rule.get("errnoRet") for rule in rules if rule["names"] == ["clone3"]] == [38]
PY
check "the seccomp profile refuses namespace flags on clone, clone3 and unshare"
run -e DATABASE_URL="$DATABASE_URL" -- migrate >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log" >&2; fail "migrate"; }
check "migrate runs against PostgreSQL ($(tail -1 "$work/migrate.log"))"
HEALTHCHECK=1 run -d --name todo-ci-api -e DATABASE_URL="$DATABASE_URL" -e BETTER_AUTH_SECRET="$secret" -e HOST=127.0.0.1 \
  -e PORT="$api_port" -- serve-api >/dev/null
HEALTHCHECK=1 run -d --name todo-ci-web -e API_URL="http://127.0.0.1:$api_port" -e HOST=127.0.0.1 -e PORT="$web_port" -- serve-web >/dev/null
healthy() { for _ in $(seq 1 100); do oci_podman healthcheck run "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done; return 1; }
healthy todo-ci-api || { oci_podman logs todo-ci-api >&2; fail "serve-api is not healthy"; }
check "the in-image health check reports serve-api healthy"
healthy todo-ci-web || { oci_podman logs todo-ci-web >&2; fail "serve-web is not healthy"; }
check "the in-image health check reports serve-web healthy"
user=$(oci_podman inspect --format '{{.Config.User}}' todo-ci-api)
[ "$user" = 10001:10001 ] || fail "the API container runs as '$user'"
check "the containers run as 10001:10001"
[[ "$(oci_podman inspect --format '{{.HostConfig.SecurityOpt}}' todo-ci-api)" == *seccomp* ]] || fail "the API container has no seccomp profile"
check "both roles run under deploy/seccomp.json"

web="http://127.0.0.1:$web_port"
email="container-$RANDOM$RANDOM@example.com"
curl -sf -c "$work/jar" -H 'content-type: application/json' -H "origin: $web" "$web/api/auth/sign-up/email" \
  -d "{\"name\":\"C\",\"email\":\"$email\",\"password\":\"correct horse battery\"}" >/dev/null || fail "sign-up through serve-web"
check "sign-up goes web → api → database"
answer=$(curl -sf -b "$work/jar" -H 'content-type: application/json' -H "origin: $web" "$web/api/chat" -d '{"message":"add buy milk tomorrow"}') ||
  fail "chat through serve-web"
[[ "$answer" == *'"status":"created"'* ]] || fail "the chat did not add a task: $answer"
tasks=$(curl -sf -b "$work/jar" "$web/api/tasks") || fail "reading tasks through serve-web"
[[ "$tasks" == *'"title":"buy milk"'* ]] || fail "the task is not there: $tasks"
check "a chat adds a task with the offline agent and the task reads back"
oci_podman kill --signal HUP todo-ci-api >/dev/null
# The reload runs beside the requests; on a busy CI machine its log line can take a while to appear, so the
# check waits for it (the deadline only guards against a reload that never happens).
reloaded() { oci_podman logs todo-ci-api 2>&1 | grep -q "configuration reloaded"; }
for _ in $(seq 1 100); do reloaded && break; sleep 0.2; done
reloaded || fail "SIGHUP did not reload the API within 20 s"
curl -sf -b "$work/jar" "$web/api/tasks" >/dev/null || fail "the API stopped answering after SIGHUP"
check "SIGHUP reloads the API's configuration under the profile and it keeps serving"

for name in todo-ci-api todo-ci-web; do
  # `podman wait` must be waiting before the signal: the container is removed as soon as it exits.
  oci_podman wait "$name" >"$work/$name.exit" 2>/dev/null &
  waiter=$!
  sleep 0.3
  start=$(date +%s%N)
  oci_podman kill --signal TERM "$name" >/dev/null
  wait "$waiter" || true
  elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
  code=$(tail -1 "$work/$name.exit")
  [ "$code" = 0 ] || fail "$name exited with $code after SIGTERM"
  [ "$elapsed" -lt 10000 ] || fail "$name took $elapsed ms to stop"
  check "SIGTERM stops $name with exit 0 in $elapsed ms"
done

echo "=== scan"
# The Helm chart has its own check (scripts/helm-check.sh: rendered with real values, no HIGH or CRITICAL finding).
.venv-container/bin/trivy fs --quiet --scanners secret,misconfig --exit-code 1 --skip-dirs .build --skip-dirs '.venv*' \
  --skip-dirs .tools --skip-dirs deploy/helm . ||
  fail "trivy found something in the repository"
check "trivy: no secret or misconfiguration in the repository"
bash "$tools/oci-save.sh" "$tag" "$work/image.tar" >/dev/null
.venv-container/bin/trivy image --quiet --scanners secret,misconfig --exit-code 1 --input "$work/image.tar" ||
  fail "trivy found something in the image"
check "trivy: no secret or misconfiguration in the image"
echo "container checks passed"
