#!/usr/bin/env bash
# Verifies a released todo-chatbot image before it runs: pulls it by tag (or digest) under a containers policy
# that rejects every image not signed by the release key, and checks the digest. Exit 0 only for a good signature
# on the expected digest; the verified reference is printed as REPOSITORY@sha256:…, the form to run.
#
# Usage: SIGN_PUBKEY=signing-key.asc SIGSTORE=URL scripts/verify-image.sh [options] IMAGE
#
#   IMAGE                 host[:port]/path:tag, or …@sha256:… to also require that digest
#   --digest sha256:…     the digest IMAGE must have (from the release notes or release.json)
#   --archive FILE        write the verified image to FILE (docker-archive), for `docker load` / `podman load`
#   --load                load the verified image into docker (or podman) as IMAGE
#   --sbom FILE           fetch the release's SBOM (signed the same way) into FILE
#   -h, --help
#
# Environment:
#   SIGN_PUBKEY           the maintainers' public key (ASCII-armored or binary), as published (required)
#   SIGSTORE              where the signatures are published: an https:// URL, or a folder (required)
#   REGISTRY_AUTH_FILE, or REGISTRY_USER with REGISTRY_PASSWORD_FILE / REGISTRY_PASSWORD: a private registry
#   REGISTRY_CA           the CA certificate of a registry with a private CA
#
# Exit codes: 0 verified, 1 rejected (no signature, another key, a broken signature, another digest) or not
# reachable, 2 usage.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/registry-lib.sh

usage() { sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0"; }
image="" expected="" archive="" load=0 sbom=""
while [ $# -gt 0 ]; do
  case $1 in
    --digest) expected=${2:?--digest needs sha256:…}; shift 2 ;;
    --archive) archive=${2:?--archive needs a file}; shift 2 ;;
    --load) load=1; shift ;;
    --sbom) sbom=${2:?--sbom needs a file}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    -*) registry_die 2 "unknown option $1 (see --help)" ;;
    *) [ -z "$image" ] || registry_die 2 "one IMAGE at a time"; image=$1; shift ;;
  esac
done
[ -n "$image" ] || registry_die 2 "name the IMAGE to verify (see --help)"
[ -n "${SIGN_PUBKEY:-}" ] && [ -r "$SIGN_PUBKEY" ] || registry_die 2 "set SIGN_PUBKEY to the release's public key file"
[ -n "${SIGSTORE:-}" ] || registry_die 2 "set SIGSTORE to where the release's signatures are published"
command -v skopeo >/dev/null || registry_die 2 "skopeo is required (Debian: apt-get install skopeo)"
if [[ $image == *@* ]]; then
  [ -z "$expected" ] || [ "$expected" = "${image#*@}" ] || registry_die 2 "--digest and IMAGE name different digests"
  expected=${image#*@}
fi
[ -z "$expected" ] || [[ $expected =~ ^sha256:[0-9a-f]{64}$ ]] || registry_die 2 "a digest is sha256: and 64 hex digits; got $expected"

repository=$(registry_repository "$image")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
registry_access "$(registry_host "$image")"
registry_lookaside "$repository" "$SIGSTORE"
# Nothing is accepted by default; this repository only with a signature by the key; the local copies below start
# from what was already verified.
python3 - "$work/policy.json" "$repository" "$(realpath "$SIGN_PUBKEY")" <<'PY'
import json, sys
out, repository, key = sys.argv[1:]
json.dump({"default": [{"type": "reject"}],
           "transports": {"docker": {repository: [{"type": "signedBy", "keyType": "GPGKeys", "keyPath": key}]},
                          "dir": {"": [{"type": "insecureAcceptAnything"}]}}}, open(out, "w"), indent=2)
PY
# skopeo's last line is `time=… level=fatal msg="…"`: the reason alone.
skopeo_reason() { local reason=${1##*msg=\"}; printf '%s\n' "${reason%\"}"; }
verify=(--policy "$work/policy.json" --registries.d "$work/registries.d")
registry_flags src

if ! output=$(skopeo copy --quiet --preserve-digests "${verify[@]}" "${flags[@]}" "docker://$image" "dir:$work/image" 2>&1); then
  echo "NOT VERIFIED $image: $(registry_explain "$(skopeo_reason "$output")")" >&2
  exit 1
fi
digest=sha256:$(sha256sum <"$work/image/manifest.json" | cut -d' ' -f1)
if [ -n "$expected" ] && [ "$digest" != "$expected" ]; then
  echo "NOT VERIFIED $image: it is $digest, not the expected $expected" >&2
  exit 1
fi
echo "verified $image: signed by $(gpg --batch --with-colons --show-keys "$SIGN_PUBKEY" 2>/dev/null | awk -F: '/^fpr/ {print $10; exit}')"
echo "run it as $repository@$digest"

if [ -n "$sbom" ]; then
  if ! output=$(skopeo copy --quiet --preserve-digests "${verify[@]}" "${flags[@]}" \
    "docker://$repository:sha256-${digest#sha256:}.sbom" "dir:$work/sbom" 2>&1); then
    echo "NOT VERIFIED the SBOM of $image: $(registry_explain "$(skopeo_reason "$output")")" >&2
    exit 1
  fi
  layer=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["layers"][0]["digest"].split(":")[1])' "$work/sbom/manifest.json")
  cp "$work/sbom/$layer" "$sbom"
  echo "SBOM: $sbom"
fi
if [ -n "$archive" ] || [ "$load" = 1 ]; then
  name=$image
  [[ $name == *@* ]] && name="$repository:verified"
  target=${archive:-$work/image.tar}
  rm -f "$target"
  skopeo copy --quiet --remove-signatures --policy "$work/policy.json" "dir:$work/image" "docker-archive:$target:$name" >/dev/null
  if [ -n "$archive" ]; then echo "archive: $archive"; fi
  if [ "$load" = 1 ]; then
    if command -v docker >/dev/null; then docker load -i "$target"; else podman load -i "$target"; fi
  fi
fi
