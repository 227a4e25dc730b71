#!/usr/bin/env bash
# Regenerates deploy/seccomp.json: runs every role of the binary under strace through a full request flow
# (migrate, serve-api on PostgreSQL over TLS, serve-web proxying to it, health checks, sign-up, chat with the offline
# agent, SIGHUP, SIGTERM) plus the entrypoint's sh, and allows exactly the system calls seen, plus the few that the
# container runtime and rare paths need (listed in EXTRA below, each with its reason).
#
# Usage: DATABASE_URL=postgresql://… scripts/seccomp-trace.sh [binary]     (needs strace and curl)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
bin=$(realpath "${1:-.build/debug/todo-chatbot}")
: "${DATABASE_URL:?set DATABASE_URL to a PostgreSQL to trace against}"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
trace() { strace -f -qq -o "$work/trace.$1" "${@:2}"; }
export BETTER_AUTH_SECRET="seccomp-trace-secret-0123456789-abcdef"
api=$(free_port); web=$(free_port)

trace migrate "$bin" migrate >/dev/null
trace sh sh entrypoint.sh --help >/dev/null 2>&1 || true  # /app is not here; dash's calls are what counts
strace -f -qq -o "$work/trace.api" "$bin" serve-api --port "$api" > "$work/api.log" 2>&1 &
api_strace=$!
strace -f -qq -o "$work/trace.web" "$bin" serve-web --port "$web" --api-url "http://127.0.0.1:$api" > "$work/web.log" 2>&1 &
web_strace=$!
wait_healthy "api:$api" "web:$web"
trace health-api "$bin" healthcheck --port "$api" >/dev/null
trace health-web "$bin" healthcheck --role web --port "$web" >/dev/null
base="http://127.0.0.1:$web/api"
token=$(sign_up "http://127.0.0.1:$web" "seccomp-$RANDOM$RANDOM@example.com")
curl -fs -N -H "authorization: Bearer $token" -H 'accept: text/event-stream' -H 'content-type: application/json' \
  "$base/chat" -d '{"message":"add buy milk tomorrow"}' >/dev/null
curl -fs -H "authorization: Bearer $token" "$base/tasks" >/dev/null
curl -fs "http://127.0.0.1:$api/metrics" >/dev/null
# Signals go to the traced servers, the children of strace.
api_pid=$(pgrep -P "$api_strace"); web_pid=$(pgrep -P "$web_strace")
kill -HUP "$api_pid" "$web_pid"
sleep 0.5
kill -TERM "$api_pid" "$web_pid"
wait "$api_strace" "$web_strace" || true

# The embedded default: `serve` on an SQLite file (file locks, fsync, the kept secret), sign-up and a chat turn.
one=$(free_port)
env -u BETTER_AUTH_SECRET strace -f -qq -o "$work/trace.serve" "$bin" serve --port "$one" --database-url "sqlite://$work/data/todo.sqlite" > "$work/serve.log" 2>&1 &
serve_strace=$!
wait_healthy "serve:$one"
token=$(sign_up "http://127.0.0.1:$one" seccomp@example.com)
curl -fs -H "authorization: Bearer $token" -H 'content-type: application/json' "http://127.0.0.1:$one/api/chat" \
  -d '{"message":"add water the plants friday"}' >/dev/null
curl -fs "http://127.0.0.1:$one/" >/dev/null
kill -TERM "$(pgrep -P "$serve_strace")"
wait "$serve_strace" || true

# Seen in no trace, needed anyway:
#   execve/execveat: the runtime starts the entrypoint, which execs the binary; the crash handler spawns the backtracer
#   clone/clone3/vfork/wait4: posix_spawn of the backtracer; rt_sigreturn/sigaltstack: any signal handler
#   (ptrace is left out on purpose: the backtracer reads the crashed process with process_vm_readv)
#   exit/exit_group/restart_syscall/set_robust_list/rseq/prctl/arch_prctl/capget/capset: thread and process start
#   getrandom/futex/nanosleep/clock_*/pipe2/dup*/getcwd/uname/sched_yield/mremap/fstat/fsync/fdatasync/ftruncate/
#   pwrite64/unlink/rename/mkdir: rarely taken paths of the runtime, libc and SQLite
#   fstatfs/close_range/setgroups/setresuid/setresgid/chdir/fchdir: runc's last steps before it execs the entrypoint
#   already run under the profile
EXTRA="fstatfs close_range setgroups setresuid setresgid chdir fchdir pipe2 dup dup2 dup3 getcwd uname sched_yield mremap fstat fsync fdatasync ftruncate pwrite64 unlink unlinkat rename renameat mkdir mkdirat execve execveat clone clone3 vfork wait4 waitid rt_sigreturn sigaltstack exit exit_group restart_syscall set_robust_list rseq prctl arch_prctl capget capset getrandom futex futex_waitv nanosleep clock_nanosleep clock_gettime clock_getres gettid tgkill kill process_vm_readv"
cat "$work"/trace.* | sed -nE 's/^[0-9]+ +([a-z0-9_]+)\(.*/\1/p' | sort -u > "$work/seen"
echo "$EXTRA" | tr ' ' '\n' | sort -u >> "$work/seen"
sort -u "$work/seen" | python3 -c '
import json, sys
# clone and clone3 get rules of their own, as in Docker's default profile: no namespace flags.
names = sorted(set(line.strip() for line in sys.stdin if line.strip()) - {"clone", "clone3", "unshare", "setns"})
profile = {
    "defaultAction": "SCMP_ACT_ERRNO",
    "defaultErrnoRet": 1,
    "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"],
    "syscalls": [
        {"names": names, "action": "SCMP_ACT_ALLOW"},
        {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
         "args": [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}],
         "comment": "threads and processes only: any CLONE_NEW* namespace flag (mask 0x7E020000) is refused, as in Docker's default profile"},
        {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38,
         "comment": "ENOSYS: clone3 passes its flags in memory a filter cannot read, so glibc is told it does not exist and falls back to clone"},
    ],
}
json.dump(profile, sys.stdout, indent=2)
print()
' > deploy/seccomp.json
echo "deploy/seccomp.json: $(python3 -c 'import json; print(len(json.load(open("deploy/seccomp.json"))["syscalls"][0]["names"]))') system calls allowed"
