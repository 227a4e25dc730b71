"""The benchmark suite behind Benchmarks/run.sh. Everything runs on loopback against the real binary."""

import json
import os
import platform
import re
import statistics
import subprocess
import tempfile
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "drills"))
from support import BIN, Server, open_chat_stream, read_until, request, sign_up, start_model  # noqa: E402

SMOKE = "--smoke" in sys.argv
DURATION = "2s" if SMOKE else "15s"
CONNECTIONS = 64
RESULTS = {"smoke": SMOKE, "binary": BIN, "machine": {}, "http": {}, "writes": {}, "memory": {}, "startup": {}, "chat": {}}
BUDGETS = []


def rss_mb(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def wrk(url, path, tokens, method="GET", body=None):
    """wrk with the requests spread over the given users' bearer tokens (one per request, round robin)."""
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write("local tokens = {" + ",".join(json.dumps(t) for t in tokens) + "}\n")
    script.write("local counter = 0\n")
    script.write(f'local method, path, body = "{method}", {json.dumps(path)}, {json.dumps(json.dumps(body)) if body is not None else "nil"}\n')
    script.write("""request = function()
  counter = counter + 1
  local headers = {}
  if #tokens > 0 then headers["Authorization"] = "Bearer " .. tokens[(counter % #tokens) + 1] end
  if body then headers["Content-Type"] = "application/json" end
  return wrk.format(method, path:gsub("{id}", "0"), headers, body)
end
""")
    script.close()
    output = subprocess.run(["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", "-s", script.name, url],
                            capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def percentile(name):
        match = re.search(rf"^\s+{name}%\s+([\d.]+)(us|ms|s)", output, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": round(rps), "p50_ms": round(percentile("50"), 2), "p99_ms": round(percentile("99"), 2),
            "non_2xx": int(errors.group(1)) if errors else 0}


USERS = 4 if SMOKE else 16
READS_WITHOUT_WRITES = 2_000 if SMOKE else 10_000


class WriteCounter:
    """Counts the database's write transactions from outside the server. SQLite: `PRAGMA data_version` of a
    connection of our own changes when another connection commits a change. PostgreSQL: every transaction that
    changes a row takes a transaction id, so the next id to be handed out (`txid_snapshot_xmax`) counts them;
    ANALYZE first, so autovacuum has no reason to analyze (which also takes one) during the count."""

    def __init__(self, server, database_url):
        self.database_url = database_url
        if database_url:
            self.psql("ANALYZE")
        else:
            import sqlite3
            self.sqlite = sqlite3.connect(os.path.join(server.dir, "todo.sqlite"))
        self.start = self.read()

    def psql(self, sql):
        return subprocess.run(["psql", self.database_url, "-Atqc", sql], capture_output=True, text=True, check=True).stdout.strip()

    def read(self):
        if self.database_url:
            return int(self.psql("SELECT txid_snapshot_xmax(txid_current_snapshot())"))
        return self.sqlite.execute("PRAGMA data_version").fetchone()[0]

    def writes(self):
        # data_version only says whether something changed, not how often: 0 or "at least 1".
        return self.read() - self.start


def read_many(url, tokens, count):
    """`count` GET /api/tasks over keep-alive connections, 8 at a time, spread over the users; returns the statuses."""
    import http.client
    from concurrent.futures import ThreadPoolExecutor
    host, port = url.removeprefix("http://").split(":")

    def worker(offset):
        connection, statuses = http.client.HTTPConnection(host, int(port), timeout=30), {}
        for index in range(offset, count, 8):
            connection.request("GET", "/api/tasks?limit=50", headers={"Authorization": f"Bearer {tokens[index % len(tokens)]}"})
            response = connection.getresponse()
            response.read()
            statuses[response.status] = statuses.get(response.status, 0) + 1
        connection.close()
        return statuses

    totals = {}
    with ThreadPoolExecutor(8) as pool:
        for statuses in pool.map(worker, range(8)):
            for status, number in statuses.items():
                totals[status] = totals.get(status, 0) + number
    return totals


def http_suite(store, database_url):
    env = {"DATABASE_URL": database_url} if database_url else {}
    server = Server(env=env)
    try:
        time.sleep(0.5)
        RESULTS["memory"][f"idle_rss_mb_{store}"] = idle = round(rss_mb(server.process.pid), 1)
        tokens = []
        for _ in range(USERS):
            token = sign_up(server.url)
            for index in range(50):
                request("POST", server.url + "/api/tasks", {"title": f"Task {index}", "priority": "high" if index % 3 == 0 else "medium"}, token)
            tokens.append(token)
        # Every user toggles a task of their own; the path is per user, so one user's task stands in for all
        # (another user's id is a 404, which wrk would count as an error).
        _, created = request("POST", server.url + "/api/tasks", {"title": "toggle me"}, tokens[0])
        toggle = json.loads(created)["id"]

        counter = WriteCounter(server, database_url)
        statuses = read_many(server.url, tokens, READS_WITHOUT_WRITES)
        writes = counter.writes()
        RESULTS["writes"][store] = {"authenticated_gets": READS_WITHOUT_WRITES, "statuses": statuses, "write_transactions": writes}

        routes = {
            "GET /health": wrk(server.url, "/health", []),
            "GET /api/tasks (50 tasks)": wrk(server.url, "/api/tasks?limit=50", tokens),
            "POST /api/tasks": wrk(server.url, "/api/tasks", tokens, "POST", {"title": "bench"}),
            "PATCH /api/tasks/{id}/complete (1 user)": wrk(server.url, f"/api/tasks/{toggle}/complete", tokens[:1], "PATCH"),
            "GET /api/tasks (1 user)": wrk(server.url, "/api/tasks?limit=50", tokens[:1]),
        }
        ceiling = routes["GET /health"]["rps"]
        for name, numbers in routes.items():
            numbers["of_health"] = round(numbers["rps"] / ceiling, 2) if ceiling else 0
        RESULTS["http"][store] = routes
        RESULTS["memory"][f"peak_rss_mb_{store}"] = peak = round(rss_mb(server.process.pid, "VmHWM"), 1)
        listing, adding, toggling = (routes[name] for name in
                                     ("GET /api/tasks (50 tasks)", "POST /api/tasks", "PATCH /api/tasks/{id}/complete (1 user)"))
        BUDGETS.extend([
            (f"list tasks ≥ 40% of /health ({store})", listing["of_health"] >= 0.4 and listing["non_2xx"] == 0, f"{listing['of_health']:.0%}"),
            (f"list tasks p99 < 20 ms at {CONNECTIONS} connections ({store})", listing["p99_ms"] < 20, f"{listing['p99_ms']} ms"),
            (f"add task ≥ 15% of /health ({store})", adding["of_health"] >= 0.15 and adding["non_2xx"] == 0, f"{adding['of_health']:.0%}"),
            (f"complete, 1 user, ≥ 10% of /health, no error ({store})", toggling["of_health"] >= 0.1 and toggling["non_2xx"] == 0,
             f"{toggling['of_health']:.0%}, {toggling['non_2xx']} errors"),
            (f"idle RSS after start < 30 MB ({store})", idle < 30, f"{idle} MB"),
            (f"peak RSS during the run < 80 MB ({store})", peak < 80, f"{peak} MB"),
            (f"writes caused by {READS_WITHOUT_WRITES:,} authenticated GETs = 0 ({store})",
             writes == 0 and statuses == {200: READS_WITHOUT_WRITES}, f"{writes} ({statuses})"),
        ])
    finally:
        server.stop()


def startup_suite():
    for command in ("serve-api", "serve"):
        samples = []
        for _ in range(3 if SMOKE else 10):
            server = Server(command)
            samples.append(server.ready_after * 1000)
            server.stop()
        RESULTS["startup"][f"{command}_ms"] = round(statistics.median(samples), 1)
        BUDGETS.append((f"{command} start-up < 200 ms", statistics.median(samples) < 200, f"{statistics.median(samples):.0f} ms"))
    server = Server()
    try:
        samples = []
        for _ in range(5 if SMOKE else 20):
            start = time.perf_counter()
            subprocess.run([BIN, "healthcheck", "--port", str(server.port)], check=True, stdout=subprocess.DEVNULL)
            samples.append((time.perf_counter() - start) * 1000)
        RESULTS["startup"]["healthcheck_ms"] = round(statistics.median(samples), 1)
        BUDGETS.append(("healthcheck < 20 ms", statistics.median(samples) < 20, f"{statistics.median(samples):.1f} ms"))
    finally:
        server.stop()


def chat_suite():
    base, model = start_model(hold=20)
    server = Server(env={"OPENAI_BASE_URL": base, "OPENAI_API_KEY": "bench", "AGENT_TIMEOUT": "120s", "LLM_TIMEOUT": "60s"})
    try:
        token = sign_up(server.url)
        samples = []
        for _ in range(50 if SMOKE else 500):
            start = time.perf_counter()
            status, _ = request("POST", server.url + "/api/chat", {"message": "add bench"}, token)
            samples.append((time.perf_counter() - start) * 1000)
            assert status == 200
        samples.sort()
        RESULTS["chat"]["turn_median_ms"] = round(statistics.median(samples), 2)
        RESULTS["chat"]["turn_p99_ms"] = round(samples[int(len(samples) * 0.99) - 1], 2)
        BUDGETS.append(("chat turn (one tool call, 2 model calls) < 5 ms median", statistics.median(samples) < 5,
                        f"{statistics.median(samples):.1f} ms"))

        streams = 50 if SMOKE else 500
        sockets = [open_chat_stream(server.port, token, "hold") for _ in range(streams)]
        for connection in sockets:
            read_until(connection, "event: conversation")
        time.sleep(1)
        held = rss_mb(server.process.pid)
        RESULTS["chat"][f"rss_mb_with_{streams}_open_streams"] = round(held, 1)
        BUDGETS.append((f"{streams} open chat streams < 200 MB", held < 200, f"{held:.0f} MB"))
        for connection in sockets:
            connection.close()
    finally:
        # The held turns run on after their clients left, and SIGTERM would wait for them (up to AGENT_TIMEOUT).
        server.kill()
        model.shutdown()


def main():
    RESULTS["machine"] = {"cpus": os.cpu_count(), "kernel": platform.release(), "python": platform.python_version(),
                          "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    http_suite("sqlite", None)
    if os.environ.get("BENCH_DATABASE_URL"):
        http_suite("postgres", os.environ["BENCH_DATABASE_URL"])
    startup_suite()
    chat_suite()
    RESULTS["budgets"] = [{"budget": name, "met": met, "measured": value} for name, met, value in BUDGETS]

    print(f"\n{'route':44} {'store':9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'of /health':>10} {'non-2xx':>8}")
    for store, routes in RESULTS["http"].items():
        for name, n in routes.items():
            print(f"{name:44} {store:9} {n['rps']:>8} {n['p50_ms']:>8} {n['p99_ms']:>8} {n['of_health']:>10.0%} {n['non_2xx']:>8}")
    print()
    for section in ("memory", "startup", "chat"):
        for key, value in RESULTS[section].items():
            print(f"{section + ' ' + key:48} {value}")
    print()
    for name, met, value in BUDGETS:
        print(f"{'met   ' if met else 'MISSED'} {name:66} {value}")
    out = os.path.join(os.path.dirname(__file__), "results-smoke.json" if SMOKE else "results.json")
    with open(out, "w") as handle:
        json.dump(RESULTS, handle, indent=2)
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
