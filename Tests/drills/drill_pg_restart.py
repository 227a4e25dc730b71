"""PostgreSQL stalls and then restarts in the middle of a write load: every creation that got a 2xx is stored,
failures during the outage are 503 with a JSON body, /ready tracks the outage, and writes succeed again after it
without restarting the server. The stall (every PostgreSQL process stopped with SIGSTOP for 2.5 s) is what a
suspended or unreachable database looks like from the server; the restart drops every connection.

Usage: BIN=… DATABASE_URL=… PGTLS_TOOL=…/pg-tls.sh PGTLS_PORT=55433 python drill_pg_restart.py
"""

import json
import os
import signal
import subprocess
import threading
import time

from support import Server, request, sign_up

TOOL = os.environ["PGTLS_TOOL"]
PORT = os.environ["PGTLS_PORT"]


def refused_fast(server, token):
    """With PostgreSQL stopped (connections refused), /ready and a task request answer 503 in well under a second,
    not after DATABASE_TIMEOUT; once it is started again, the server recovers by itself."""
    data = os.path.join(os.environ.get("PGTLS_ROOT", "/var/tmp/pg-tls"), PORT, "data")
    pg_ctl = subprocess.run(["bash", "-c", "ls /usr/lib/postgresql/*/bin/pg_ctl | tail -1"], capture_output=True, text=True).stdout.strip()
    subprocess.run(["runuser", "-u", "postgres", "--", pg_ctl, "-D", data, "-m", "fast", "-w", "stop"], check=True, capture_output=True)
    timings = []
    try:
        for index in range(40):
            url = server.url + ("/ready" if index % 2 == 0 else "/api/tasks")
            started = time.monotonic()
            status, body = request("GET", url, token=token if index % 2 else None, timeout=15)
            timings.append(time.monotonic() - started)
            assert status == 503, f"{url} answered {status} with the database stopped: {body[:200]}"
    finally:
        subprocess.run(["bash", TOOL, "restart", PORT], check=True, capture_output=True)
    timings.sort()
    p99 = timings[int(len(timings) * 0.99) - 1]
    assert p99 < 0.5, f"refused connections took p99 {p99:.3f} s (slowest {timings[-1]:.3f} s); they must fail fast"
    deadline = time.time() + 20
    while request("GET", server.url + "/ready", timeout=5)[0] != 200:
        assert time.time() < deadline, "the server did not recover after PostgreSQL came back\n" + server.tail()
        time.sleep(0.2)
    print(f"  ok  database stopped: /ready and task requests 503 with p99 {p99 * 1000:.0f} ms; recovered without a restart")


def main():
    server = Server(env={"DATABASE_URL": os.environ["DATABASE_URL"], "DATABASE_TIMEOUT": "2s"})
    token = sign_up(server.url)
    created, failures, after_outage = [], [], []
    ready = []
    lock = threading.Lock()
    stop = threading.Event()
    outage_over = threading.Event()

    def writer(index):
        count = 0
        while not stop.is_set():
            count += 1
            title = f"pg-{index}-{count}-{time.time_ns()}"
            status, body = request("POST", server.url + "/api/tasks", {"title": title}, token, timeout=15)
            with lock:
                if status == 201:
                    created.append(json.loads(body)["id"])
                    if outage_over.is_set():
                        after_outage.append(title)
                else:
                    failures.append((status, body))
            if status != 201:
                time.sleep(0.05)

    def poll_ready():
        while not stop.is_set():
            ready.append(request("GET", server.url + "/ready", timeout=5)[0])
            time.sleep(0.1)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)] + [threading.Thread(target=poll_ready)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    pid_file = os.path.join(os.environ.get("PGTLS_ROOT", "/var/tmp/pg-tls"), PORT, "data", "postmaster.pid")
    with open(pid_file) as handle:
        postmaster = int(handle.readline())
    children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True).stdout.split()
    stalled = [postmaster] + [int(pid) for pid in children]
    for pid in stalled:
        os.kill(pid, signal.SIGSTOP)
    time.sleep(2.5)
    for pid in stalled:
        os.kill(pid, signal.SIGCONT)
    subprocess.run(["bash", TOOL, "restart", PORT], check=True, capture_output=True)
    outage_over.set()
    deadline = time.time() + 20
    while time.time() < deadline and len(after_outage) < 20:
        time.sleep(0.2)
    stop.set()
    for thread in threads:
        thread.join()
    # The poller's last answer may be one that began during the outage (it waits up to DATABASE_TIMEOUT); ask again
    # until the database is back, for at most 10 s.
    recovered_by = time.time() + 10
    while ready[-1] != 200 and time.time() < recovered_by:
        ready.append(request("GET", server.url + "/ready", timeout=5)[0])
        time.sleep(0.2)

    bad = [(status, body[:120]) for status, body in failures if status != 503]
    assert not bad, f"failures other than 503: {bad[:5]}\n" + "\n".join(
        line for line in open(server.log_path).read().splitlines() if "ERROR" in line and "did not answer" not in line)
    for status, body in failures:
        assert json.loads(body)["error"]["code"], f"a 503 without the JSON error shape: {body[:200]}"
    assert failures, "no request failed: the outage was not observed"
    assert 503 in ready and ready[-1] == 200, f"/ready did not track the outage: {ready}\n{server.tail()}"
    assert len(after_outage) >= 20, f"writes did not recover: {len(after_outage)} after the outage\n{server.tail()}"
    missing = [task for task in created if request("GET", f"{server.url}/api/tasks/{task}", token=token)[0] != 200]
    assert not missing, f"confirmed tasks are missing: {missing[:10]}"
    refused_fast(server, token)
    server.stop()
    print(f"  ok  {len(failures)} writes during the outage failed with 503 and a JSON body; /ready went 503 and back to 200")
    print(f"  ok  writes recovered without a restart ({len(after_outage)} after the database came back)")
    print(f"  ok  all {len(created)} confirmed creations are stored")
    print("postgres restart drill passed")


if __name__ == "__main__":
    main()
