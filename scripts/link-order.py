#!/usr/bin/env python3
"""Writes scripts/link-order.txt: the functions the server runs while it starts and serves its first requests,
for the linker to place side by side (scripts/build-release.sh passes it as --symbol-ordering-file).

Why: the kernel maps code 64 KB around every page a process touches. Start-up code scattered over 36 MB of
.text made 18 MB of it resident before the first request; packed together it is a fraction of that. The file
only orders sections, so a stale one costs nothing but some of that gain: regenerate it after large changes.

Usage: DATABASE_URL=postgresql://… scripts/link-order.py   (SQLite always; PostgreSQL too when DATABASE_URL is set)
Needs valgrind and a release build (scripts/build-release.sh). Takes a minute or two.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("BIN", os.path.join(ROOT, ".build/release/todo-chatbot"))
OUTPUT = os.path.join(ROOT, "scripts/link-order.txt")
SECRET = "link-order-secret-0123456789-abcdefghij"


def call(method, url, body=None, token=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(urllib.request.Request(url, data, headers, method=method), timeout=120) as response:
        return json.loads(response.read() or b"null")


def profile(binary, workdir, port, database_url, requests):
    """Runs serve-api under callgrind through start-up (and one of each common request when `requests`);
    returns the names of the functions it ran."""
    out = os.path.join(workdir, f"callgrind-{port}.out")
    env = dict(os.environ, BETTER_AUTH_SECRET=SECRET, MIGRATE_ON_START="1", LOG_LEVEL="warning",
               DATABASE_URL=database_url or f"sqlite:{workdir}/todo-{port}.sqlite")
    env.pop("OPENAI_API_KEY", None)
    process = subprocess.Popen(["valgrind", "--tool=callgrind", "--demangle=no", f"--callgrind-out-file={out}", binary,
                                "serve-api", "--port", str(port)], env=env, cwd=workdir,
                               stdout=subprocess.DEVNULL, stderr=open(os.path.join(workdir, f"valgrind-{port}.log"), "w"))
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 300
    while True:
        try:
            call("GET", url + "/health")
            break
        except OSError:
            if process.poll() is not None or time.time() > deadline:
                process.kill()
                sys.exit(f"link-order: serve-api did not start under valgrind (see {workdir})")
            time.sleep(0.5)
    if requests:
        serve(url)
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=300)
    except subprocess.TimeoutExpired:
        process.kill()
        sys.exit(f"link-order: serve-api did not stop under valgrind (see {workdir})")
    names = []
    with open(out) as profile_file:
        for line in profile_file:
            match = re.match(r"^c?fn=\(\d+\) (.+)$", line.rstrip("\n"))
            if match and not match.group(1).startswith("0x"):
                names.append(match.group(1))
    return names


def serve(url):
    """The requests every replica serves from its first minute on."""
    token = call("POST", url + "/api/auth/sign-up/email",
                 {"name": "Order", "email": f"order-{time.time_ns()}@example.com", "password": "correct horse battery"})["token"]
    created = [call("POST", url + "/api/tasks", {"title": f"task {n}", "priority": "high"}, token) for n in range(3)]
    call("GET", url + "/api/tasks?limit=50", token=token)
    call("PATCH", url + f"/api/tasks/{created[0]['id']}/complete", token=token)
    call("PATCH", url + f"/api/tasks/{created[1]['id']}", {"title": "renamed"}, token)
    call("DELETE", url + f"/api/tasks/{created[2]['id']}", token=token)
    call("GET", url + "/api/auth/get-session", token=token)
    call("GET", url + "/ready")


def main():
    if not shutil.which("valgrind"):
        sys.exit("link-order: needs valgrind (apt-get install valgrind)")
    if not os.access(BIN, os.X_OK):
        sys.exit(f"link-order: {BIN} not found; run scripts/build-release.sh first")
    workdir = tempfile.mkdtemp(prefix="link-order-")
    # valgrind cannot read the DWARF 5 debug info; the symbol table is all it needs.
    binary = os.path.join(workdir, "todo-chatbot")
    subprocess.run(["strip", "--strip-debug", "-o", binary, BIN], check=True)
    ordered, seen = [], set()
    stores = [None] + ([os.environ["DATABASE_URL"]] if os.environ.get("DATABASE_URL", "").startswith("postgres") else [])
    started = [profile(binary, workdir, 18590 + index, url, requests=False) for index, url in enumerate(stores)]
    served = [profile(binary, workdir, 18595 + index, url, requests=True) for index, url in enumerate(stores)]
    # Idle memory is what every replica pays: start-up code common to both stores first, then each store's, then
    # what requests add.
    common = set.intersection(*(set(names) for names in started))
    for names in [[name for name in started[0] if name in common]] + started + served:
        for name in names:
            if name not in seen:
                seen.add(name)
                ordered.append(name)
    with open(OUTPUT, "w") as output:
        output.write("\n".join(ordered) + "\n")
    shutil.rmtree(workdir, ignore_errors=True)
    print(f"link-order: {len(ordered)} functions from {len(stores)} profile(s) -> {os.path.relpath(OUTPUT, ROOT)}")


if __name__ == "__main__":
    main()
