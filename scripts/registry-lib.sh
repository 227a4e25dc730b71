# Shared by release.sh and verify-image.sh: how skopeo reaches a registry, and where signatures live.
# `source "$(dirname "$0")/registry-lib.sh"` after setting `work` to a private temporary folder (mode 0700).
#
# Credentials never go on a command line (where `ps` and shell history see them): REGISTRY_AUTH_FILE names a
# containers/Docker auth file, or REGISTRY_USER with REGISTRY_PASSWORD_FILE (or REGISTRY_PASSWORD) is written into
# a private auth file here. REGISTRY_CA trusts a registry whose certificate a private CA issued.

# The registry host (host[:port]) of an image reference.
registry_host() { printf '%s\n' "${1%%/*}"; }

# A reference without its tag or digest: host[:port]/path.
registry_repository() {
  local reference=${1%%@*} last
  last=${reference##*/}
  [[ $last == *:* ]] && reference=${reference%:*}
  printf '%s\n' "$reference"
}

# Sets `registry_auth` (an auth file, or empty for anonymous access) and `registry_certs` (a cert folder, or empty)
# for HOST; `registry_flags` turns them into skopeo flags.
registry_access() {
  local host=$1 auth=""
  if [ -n "${REGISTRY_AUTH_FILE:-}" ]; then
    [ -r "$REGISTRY_AUTH_FILE" ] || registry_die 2 "REGISTRY_AUTH_FILE $REGISTRY_AUTH_FILE cannot be read"
    auth=$REGISTRY_AUTH_FILE
  elif [ -n "${REGISTRY_USER:-}" ]; then
    local password
    if [ -n "${REGISTRY_PASSWORD_FILE:-}" ]; then
      [ -r "$REGISTRY_PASSWORD_FILE" ] || registry_die 2 "REGISTRY_PASSWORD_FILE $REGISTRY_PASSWORD_FILE cannot be read"
      password=$(<"$REGISTRY_PASSWORD_FILE")
    elif [ -n "${REGISTRY_PASSWORD:-}" ]; then
      password=$REGISTRY_PASSWORD
    else
      registry_die 2 "REGISTRY_USER is set without REGISTRY_PASSWORD_FILE or REGISTRY_PASSWORD"
    fi
    auth=$work/auth.json
    # printf is a shell builtin: the password reaches base64's standard input, never an argument list.
    (umask 077 && printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$host" "$(printf '%s:%s' "$REGISTRY_USER" "$password" | base64 -w0)" >"$auth")
  fi
  registry_auth=$auth
  registry_certs=""
  if [ -n "${REGISTRY_CA:-}" ]; then
    [ -r "$REGISTRY_CA" ] || registry_die 2 "REGISTRY_CA $REGISTRY_CA cannot be read"
    registry_certs=$work/certs
    mkdir -p "$registry_certs"
    cp "$REGISTRY_CA" "$registry_certs/ca.crt"
  fi
}

# Fills the array `flags` with skopeo's flags for one side of a copy: registry_flags src|dest, or no argument for
# inspect and list-tags.
registry_flags() {
  local side=${1:+$1-}
  flags=()
  [ -n "$registry_auth" ] && flags+=("--${side}authfile" "$registry_auth")
  [ -n "$registry_certs" ] && flags+=("--${side}cert-dir" "$registry_certs")
  return 0
}

# Writes a registries.d folder at $work/registries.d telling containers/image where the signatures of REPOSITORY
# live: LOOKASIDE is read (a URL, or a folder), STAGING (optional) is where new signatures are written.
registry_lookaside() {
  local repository=$1 lookaside=$2 staging=${3:-}
  [[ $lookaside == *://* ]] || lookaside=file://$(realpath -m "$lookaside")
  mkdir -p "$work/registries.d"
  {
    echo "docker:"
    echo "  $repository:"
    echo "    lookaside: $lookaside"
    if [ -n "$staging" ]; then echo "    lookaside-staging: file://$(realpath -m "$staging")"; fi
  } >"$work/registries.d/todo-chatbot.yaml"
}

# Turns skopeo's error text into the one line an operator can act on.
registry_explain() {
  case $1 in
    *unauthorized* | *"authentication required"*) echo "the registry refused the credentials (REGISTRY_AUTH_FILE, or REGISTRY_USER with REGISTRY_PASSWORD_FILE)" ;;
    *x509* | *certificate*) echo "the registry's TLS certificate is not trusted (set REGISTRY_CA to the CA that issued it)" ;;
    *"connection refused"* | *"no such host"* | *"i/o timeout"*) echo "cannot reach the registry: ${1##*: }" ;;
    *) echo "$1" ;;
  esac
}

# registry_die CODE MESSAGE: one line on standard error, then exit CODE (2: configuration, 1: failure).
registry_die() {
  local code=$1
  shift
  echo "$(basename "$0"): $*" >&2
  exit "$code"
}
