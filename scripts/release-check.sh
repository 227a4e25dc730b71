#!/usr/bin/env bash
# The release pipeline end to end, against a real registry on loopback (Debian's docker-registry with TLS and
# basic auth), with the image the container check built (TAG, built with scripts/lib.sh's image_build_args):
#
#   1. release.sh pushes VERSION: the registry API shows X.Y.Z, X.Y, X, latest and sha-<commit> on one digest, the
#      SBOM beside it; the password appears in no output; releasing the same image again changes nothing
#   2. releasing the same version from another image is refused (exit 3) and moves no tag
#   3. verify-image.sh accepts every tag and the digest; it rejects an unsigned image, an image signed by another
#      key, a tampered signature and a wrong expected digest
#   4. the verified image, loaded from verify-image.sh's archive, prints VERSION; serve-api with a certificate from
#      scripts/compose-certs.sh and serve-web trusting its CA (docker-compose.tls.yml) pass their health checks,
#      and a sign-up goes web → api over TLS
#
# Usage: TOOLS=../shared/tools scripts/release-check.sh      (as root; needs skopeo, docker-registry, htpasswd, gpg)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
tools=$(realpath "${TOOLS:-../shared/tools}")
tag=${TAG:-todo-chatbot:ci}
# shellcheck source=/dev/null
source "$tools/oci-env.sh"
work=$(mktemp -d)
registry_pid=""
cleanup() {
  if [ -n "$registry_pid" ]; then kill "$registry_pid" 2>/dev/null || true; fi
  oci_podman rm -f todo-rel-api todo-rel-web >/dev/null 2>&1 || true
  oci_podman rmi todo-chatbot:rebuilt >/dev/null 2>&1 || true
  # The verified image is the built one under a second name: only that name goes.
  if [ -n "${verified_name:-}" ]; then oci_podman untag "$verified_name" "$verified_name" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
check() { echo "  ok  $1"; }
fail() { echo "FAILED: $*" >&2; exit 1; }
for tool in skopeo docker-registry htpasswd gpg openssl; do
  command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install skopeo docker-registry apache2-utils gnupg openssl)"
done
container_tools_venv
version=$(tr -d '[:space:]' <VERSION)
IFS=. read -r major minor _ <<<"$version"
short=$(git rev-parse --short=12 HEAD)

echo "=== registry"
port=$(free_port)
(
  cd "$work"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=registry-ca \
    -keyout ca.key -out ca.crt 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=127.0.0.1 -keyout registry.key \
    -out registry.csr 2>/dev/null
  openssl x509 -req -in registry.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 -out registry.crt \
    -extfile <(echo "subjectAltName=IP:127.0.0.1") 2>/dev/null
)
password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
(umask 077 && printf '%s' "$password" >"$work/password")
htpasswd -Bbn releaser "$password" >"$work/htpasswd" 2>/dev/null
cat >"$work/registry.yml" <<YML
version: 0.1
log: {level: warn}
storage: {filesystem: {rootdirectory: $work/registry}, delete: {enabled: false}}
http: {addr: 127.0.0.1:$port, tls: {certificate: $work/registry.crt, key: $work/registry.key}}
auth: {htpasswd: {realm: todo-chatbot, path: $work/htpasswd}}
YML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
api() { curl -sS --cacert "$work/ca.crt" -u "releaser:$password" "$@"; }
for _ in $(seq 1 50); do api -o /dev/null "https://127.0.0.1:$port/v2/" 2>/dev/null && break; sleep 0.2; done
[ "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$work/ca.crt" "https://127.0.0.1:$port/v2/")" = 401 ] ||
  fail "the registry answers without credentials"
[ "$(api -o /dev/null -w '%{http_code}' "https://127.0.0.1:$port/v2/")" = 200 ] || fail "the registry refuses the credentials"
check "a registry with TLS and basic auth on 127.0.0.1:$port (401 without credentials)"

export GNUPGHOME=$work/gnupg
mkdir -m 0700 "$GNUPGHOME"
gpg --batch --passphrase '' --quick-gen-key 'todo-chatbot release <release@example.invalid>' ed25519 sign 1d 2>/dev/null
gpg --batch --passphrase '' --quick-gen-key 'someone else <other@example.invalid>' ed25519 sign 1d 2>/dev/null
key=$(gpg --batch --with-colons --list-secret-keys release@example.invalid | awk -F: '/^fpr/ {print $10; exit}')
other=$(gpg --batch --with-colons --list-secret-keys other@example.invalid | awk -F: '/^fpr/ {print $10; exit}')
repository=127.0.0.1:$port/todo-chatbot
export REGISTRY=$repository SIGN_KEY=$key REGISTRY_USER=releaser REGISTRY_PASSWORD_FILE=$work/password \
  REGISTRY_CA=$work/ca.crt SIGSTORE_DIR=$work/sigstore RELEASE_DIR=$work/release TOOLS=$tools TRIVY=.venv-container/bin/trivy
digest_of() {
  api -o /dev/null -D - -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' "https://127.0.0.1:$port/v2/todo-chatbot/manifests/$1" |
    tr -d '\r' | awk -F': ' 'tolower($1) == "docker-content-digest" {print $2}'
}

echo "=== release $version"
scripts/release.sh --image "$tag" >"$work/release.out" 2>&1 || { cat "$work/release.out" >&2; fail "release.sh"; }
sed 's/^/    /' "$work/release.out"
! grep -qF -- "$password" "$work/release.out" || fail "the registry password appears in release.sh's output"
digest=$(cat "$work/release/digest")
expected_tags=("$version" "$major.$minor" "$major" latest "sha-$short")
listed=$(api "https://127.0.0.1:$port/v2/todo-chatbot/tags/list")
for t in "${expected_tags[@]}"; do
  [[ $listed == *"\"$t\""* ]] || fail "tag $t is not in the registry: $listed"
  [ "$(digest_of "$t")" = "$digest" ] || fail "tag $t is $(digest_of "$t"), not $digest"
done
check "tags ${expected_tags[*]} all point to $digest (registry API)"
python3 - "$work/release/sbom.cdx.json" "$digest" "$work/release/labels.json" "$version" <<'PY' || fail "the SBOM or the labels"
import json, re, sys
bom, digest, labels, version = json.load(open(sys.argv[1])), sys.argv[2], json.load(open(sys.argv[3])), sys.argv[4]
assert bom["bomFormat"] == "CycloneDX", bom["bomFormat"]
purls = [c.get("purl", "") for c in bom["components"]]
pins = dict(re.findall(r'\.package\(url: "https://github.com/([^"]+)", exact: "([^"]+)"\)', open("Package.swift").read()))
for package, pinned in pins.items():
    assert f"pkg:swift/github.com/{package}@{pinned}" in purls, (package, pinned)
assert any(p.startswith("pkg:deb/debian/tzdata@") for p in purls), "no Debian packages"
assert {"name": "oci:image:digest", "value": digest} in bom["metadata"]["component"]["properties"]
for key in ("version", "revision", "created", "source", "licenses"):
    assert labels.get(f"org.opencontainers.image.{key}") not in (None, "", "unknown"), key
assert labels["org.opencontainers.image.version"] == version
PY
sbom_tag="sha256-${digest#sha256:}.sbom"
[ -n "$(digest_of "$sbom_tag")" ] || fail "the SBOM is not published as $sbom_tag"
check "the SBOM lists every pinned Swift package and the Debian packages, and is published as $sbom_tag"
scripts/release.sh --image "$tag" >"$work/again.out" 2>&1 || { cat "$work/again.out" >&2; fail "releasing the same image again"; }
grep -q "already is $digest" "$work/again.out" || fail "a second release of the same image did not notice: $(cat "$work/again.out")"
check "releasing the same image again is a no-op"

echo "=== immutable tags"
container=$(oci_buildah from --pull=never "$tag")
oci_buildah config --label org.example.rebuilt=yes "$container" >/dev/null
oci_buildah commit --quiet --format docker "$container" todo-chatbot:rebuilt >/dev/null
oci_buildah rm "$container" >/dev/null
status=0
scripts/release.sh --image todo-chatbot:rebuilt >"$work/refused.out" 2>&1 || status=$?
[ "$status" = 3 ] || { cat "$work/refused.out" >&2; fail "releasing $version from another image exited $status, not 3"; }
grep -q "refused: $repository:$version already exists with digest $digest" "$work/refused.out" ||
  fail "the refusal does not say why: $(cat "$work/refused.out")"
for t in "${expected_tags[@]}"; do [ "$(digest_of "$t")" = "$digest" ] || fail "the refused release moved $t"; done
check "another image under $version is refused (exit 3) and no tag moved"

echo "=== verification"
export SIGN_PUBKEY=$work/release/signing-key.asc SIGSTORE=$work/sigstore
for t in "${expected_tags[@]}"; do
  scripts/verify-image.sh --digest "$digest" "$repository:$t" >"$work/verify.out" 2>&1 ||
    { cat "$work/verify.out" >&2; fail "verify-image.sh rejected $t"; }
done
scripts/verify-image.sh "$repository@$digest" >/dev/null 2>&1 || fail "verify-image.sh rejected the digest"
check "every tag and the digest verify (exit 0)"
rejected() {
  local what=$1 reason=$2 status=0
  shift 2
  scripts/verify-image.sh "$@" >"$work/rejected.out" 2>&1 || status=$?
  [ "$status" = 1 ] || { cat "$work/rejected.out" >&2; fail "$what: verify-image.sh exited $status, not 1"; }
  grep -q "$reason" "$work/rejected.out" || fail "$what: not rejected for the expected reason: $(cat "$work/rejected.out")"
  check "$what is rejected: $(tail -1 "$work/rejected.out" | cut -c1-160)"
}
copy() { skopeo copy --quiet --insecure-policy --dest-authfile "$work/push-auth.json" --dest-cert-dir "$work/certs" "$@" >/dev/null; }
mkdir -p "$work/certs" && cp "$work/ca.crt" "$work/certs/"
(umask 077 && printf '{"auths":{"127.0.0.1:%s":{"auth":"%s"}}}' "$port" "$(printf 'releaser:%s' "$password" | base64 -w0)" >"$work/push-auth.json")
rebuilt="containers-storage:[$OCI_STORAGE_DRIVER@$OCI_GRAPHROOT+$OCI_RUNROOT]localhost/todo-chatbot:rebuilt"
copy "$rebuilt" "docker://$repository:unsigned"
rejected "an unsigned image" "no signature exists" "$repository:unsigned"
mkdir -p "$work/registries.d"
printf 'docker:\n  %s:\n    lookaside: file://%s\n' "$repository" "$SIGSTORE" >"$work/registries.d/r.yaml"
copy --sign-by "$other" --registries.d "$work/registries.d" "$rebuilt" "docker://$repository:other-key"
rejected "an image signed by another key" "Invalid GPG signature" "$repository:other-key"
rejected "a wrong expected digest" "not the expected" --digest "sha256:$(printf '0%.0s' {1..64})" "$repository:$version"
signatures=$SIGSTORE/todo-chatbot@sha256=${digest#sha256:}
cp -a "$signatures" "$work/signatures.good"
for file in "$signatures"/signature-*; do
  python3 - "$file" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
data[len(data) // 2] ^= 0x01
open(sys.argv[1], "wb").write(bytes(data))
PY
done
rejected "a tampered signature" "None of the signatures were accepted" "$repository:$version"
rm -rf "$signatures" && cp -a "$work/signatures.good" "$signatures"
scripts/verify-image.sh --sbom "$work/sbom.json" --archive "$work/verified.tar" "$repository:$version" >"$work/verify.out" 2>&1 ||
  { cat "$work/verify.out" >&2; fail "verify-image.sh after restoring the signatures"; }
cmp -s "$work/sbom.json" "$work/release/sbom.cdx.json" || fail "the SBOM fetched from the registry is not the one released"
check "with the signatures restored it verifies again, and the signed SBOM fetched from the registry is the released one"

echo "=== run the verified image"
verified_name=$repository:$version
oci_podman load --quiet --input "$work/verified.tar" >/dev/null
[ "$(oci_podman image inspect --format '{{.Id}}' "$verified_name")" = "$(oci_podman image inspect --format '{{.Id}}' "$tag")" ] ||
  fail "the verified image is not the image that was built"
printed=$(bash "$tools/oci-run.sh" "$verified_name" -- --version 2>/dev/null)
[ "$printed" = "$version" ] || fail "the verified image prints '$printed' for --version, not $version"
check "the verified image loads as the built image and prints $version"
certs=$work/compose-certs
scripts/compose-certs.sh "$certs" >/dev/null
chmod 0711 "$work"
api_port=$(free_port)
web_port=$(free_port)
run() { NETWORK=host HEALTHCHECK=1 bash "$tools/oci-run.sh" "$verified_name" --user 10001:10001 "$@"; }
run -d --name todo-rel-api -v "$certs/api.crt:/certs/api.crt:ro" -v "$certs/api.key:/certs/api.key:ro" \
  -e TLS_CERT_FILE=/certs/api.crt -e TLS_KEY_FILE=/certs/api.key -e DATABASE_URL=sqlite:/tmp/todo.sqlite -e MIGRATE_ON_START=1 \
  -e BETTER_AUTH_SECRET="$(head -c 32 /dev/urandom | base64)" -e HOST=127.0.0.1 -e PORT="$api_port" --tmpfs /tmp -- serve-api >/dev/null
run -d --name todo-rel-web -v "$certs/ca.crt:/certs/ca.crt:ro" -e API_URL="https://localhost:$api_port" -e API_CA_FILE=/certs/ca.crt \
  -e HOST=127.0.0.1 -e PORT="$web_port" -- serve-web >/dev/null
healthy() { for _ in $(seq 1 100); do oci_podman healthcheck run "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done; return 1; }
healthy todo-rel-api || { oci_podman logs todo-rel-api >&2; fail "serve-api with TLS is not healthy"; }
healthy todo-rel-web || { oci_podman logs todo-rel-web >&2; fail "serve-web is not healthy"; }
check "the in-image health checks pass for serve-api on TLS and for serve-web"
curl -sf --cacert "$certs/ca.crt" "https://localhost:$api_port/health" >/dev/null || fail "the API does not answer HTTPS with the compose CA"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$api_port/health")" != 200 ] || fail "the API answers plain HTTP"
token=$(sign_up "http://127.0.0.1:$web_port" "release-$RANDOM@example.com") || fail "sign-up through serve-web over TLS"
[ -n "$token" ] || fail "sign-up through serve-web returned no token"
check "a sign-up goes web → api over TLS verified with compose-certs.sh's CA; the API refuses plain HTTP"
echo "release checks passed"
