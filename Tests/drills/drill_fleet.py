"""Fleet drill: three serve-api and two serve-web processes on one PostgreSQL, behind HAProxy balancing round-robin
with health checks, on loopback, as a Kubernetes Service would put them.

1. The official MCP SDKs (1.x and 2.x) each run a session of 24 tool calls through the balancer; the calls land on
   every replica (from each replica's /metrics); in the 2.x session one replica is killed with SIGKILL halfway
   and the session goes on elsewhere.
2. A chat turn streams through serve-web's balancer.
3. The sign-in limit holds across replicas: the 6th attempt a minute for one email is refused, whichever replica
   it reaches (each attempt comes from another client address).
4. Live updates and reminders across the fleet: an /api/events stream through serve-web's balancer sees tasks made
   through every replica; 30 reminders falling due at once are claimed by three racing replicas and reach the
   page stream and a webhook receiver (signature checked, first attempt answered 500) exactly once each.
5. A rolling restart: each serve-api in turn is drained in HAProxy, stopped with SIGTERM and started again, under
   a steady load of reads and writes; no request fails and every acknowledged write is there afterwards.

Environment: BIN, DATABASE_URL (PostgreSQL), HAPROXY (default haproxy), MCP1_PYTHON, MCP2_PYTHON (the SDK venvs).
"""

import hashlib
import hmac
import http.client
import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

from support import Server, free_port, request

WORK = tempfile.mkdtemp(prefix="fleet-")
SECRET = "fleet-drill-secret-0123456789-abcdefgh"
WEBHOOK_SECRET = "fleet-webhook-secret-0123456789-abcdef"
HERE = os.path.dirname(os.path.abspath(__file__))


def check(condition, what):
    if not condition:
        raise AssertionError(what)
    print(f"  ok  {what}", flush=True)


def api_env():
    # The balancer connects from 127.0.0.1; clients come from 127.0.0.2 and up, so only HAProxy's
    # X-Forwarded-For is believed, as with an ingress in front of a Service.
    return {"DATABASE_URL": os.environ["DATABASE_URL"], "BETTER_AUTH_SECRET": SECRET, "TRUSTED_PROXIES": "127.0.0.1/32",
            "AUTH_RATE_LIMIT_PER_MINUTE": "5", "AUTH_RATE_LIMIT_PER_10S": "1000000", "MIGRATE_ON_START": "0", "LOG_LEVEL": "warning",
            "REMINDER_POLL_INTERVAL": "1s", "REMINDER_WEBHOOK_URL": WEBHOOK.url, "REMINDER_WEBHOOK_SECRET": WEBHOOK_SECRET}


class Webhook:
    """A reminder webhook receiver: checks each call's signature, answers 500 to a delivery's first attempt."""

    def __init__(self):
        self.lock = threading.Lock()
        self.attempts, self.accepted, self.bad = {}, [], 0
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                fields = dict(part.split("=", 1) for part in self.headers.get("X-Todo-Signature", "t=0,v1=").split(","))
                expected = hmac.new(WEBHOOK_SECRET.encode(), fields.get("t", "").encode() + b"." + body, hashlib.sha256).hexdigest()
                delivery = self.headers.get("X-Todo-Delivery", "")
                with owner.lock:
                    if not hmac.compare_digest(expected, fields.get("v1", "")):
                        owner.bad += 1
                        status = 401
                    else:
                        owner.attempts[delivery] = owner.attempts.get(delivery, 0) + 1
                        status = 500 if owner.attempts[delivery] == 1 else 204
                        if status == 204:
                            owner.accepted.append(json.loads(body)["reminder_id"])
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


WEBHOOK = Webhook()


class Balancer:
    """HAProxy with a frontend per role, health checks, and its runtime API on a socket."""

    def __init__(self, api_ports, web_ports):
        self.api_port, self.web_port = free_port(), free_port()
        self.socket = os.path.join(WORK, "haproxy.sock")
        lines = [
            "global", f"  stats socket {self.socket} mode 600 level admin", "  maxconn 4000",
            "defaults", "  mode http", "  timeout connect 2s", "  timeout client 60s", "  timeout server 60s",
            "  option forwardfor", "  option redispatch", "  retries 3",
            # A refused connection, or one closed before any answer, never reached the application: safe to retry.
            "  retry-on conn-failure empty-response",
            "backend api", "  balance roundrobin", "  option httpchk GET /health", "  default-server inter 300ms fall 1 rise 1",
            *[f"  server api{i} 127.0.0.1:{port} check" for i, port in enumerate(api_ports)],
            "backend web", "  balance roundrobin", "  option httpchk GET /api/health", "  default-server inter 300ms fall 1 rise 1",
            *[f"  server web{i} 127.0.0.1:{port} check" for i, port in enumerate(web_ports)],
            "frontend api_in", f"  bind 127.0.0.1:{self.api_port}", "  default_backend api",
            "frontend web_in", f"  bind 127.0.0.1:{self.web_port}", "  default_backend web",
        ]
        config = os.path.join(WORK, "haproxy.cfg")
        with open(config, "w") as file:
            file.write("\n".join(lines) + "\n")
        self.log = open(os.path.join(WORK, "haproxy.log"), "w")
        self.process = subprocess.Popen([os.environ.get("HAPROXY", "haproxy"), "-f", config, "-db"], stdout=self.log, stderr=subprocess.STDOUT)
        self.api = f"http://127.0.0.1:{self.api_port}"
        self.web = f"http://127.0.0.1:{self.web_port}"

    def command(self, line):
        with socket.socket(socket.AF_UNIX) as connection:
            connection.connect(self.socket)
            connection.sendall(line.encode() + b"\n")
            received = b""
            while chunk := connection.recv(65536):
                received += chunk
            return received.decode()

    def states(self, backend):
        """{server: (status, current sessions)} from `show stat`."""
        rows = [line.split(",") for line in self.command("show stat").splitlines() if line.startswith(backend + ",")]
        return {row[1]: (row[17], int(row[4] or 0)) for row in rows if row[1] not in ("FRONTEND", "BACKEND")}

    def wait_up(self, backend, count, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if sum(1 for status, _ in self.states(backend).values() if status == "UP") == count:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"HAProxy does not see {count} {backend} servers up: {self.states(backend)}")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def connect(url, source, timeout):
    """A connection to the server of `url` from the client address 127.0.0.<source>, and the URL's path."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout, source_address=(f"127.0.0.{source}", 0))
    return connection, parts.path + (f"?{parts.query}" if parts.query else "")


def call(method, url, body=None, token=None, source=2, timeout=30):
    """(status, parsed body) from the client address 127.0.0.<source>."""
    connection, path = connect(url, source, timeout)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = connection.getresponse()
        data = response.read()
        try:
            return response.status, json.loads(data) if data else None
        except ValueError:
            return response.status, data
    finally:
        connection.close()


def mcp_requests(server):
    """How many /mcp requests a replica has served, from its /metrics."""
    _, body = request("GET", server.url + "/metrics")
    total = 0
    for line in body.decode().splitlines():
        if line.startswith("http_requests_total") and '"/mcp"' in line:
            total += int(float(line.rsplit(" ", 1)[1]))
    return total


def page_cache(server, outcome):
    """How many task listings a replica answered with `outcome` (hit, miss: read and kept, bypass), from its /metrics."""
    _, body = request("GET", server.url + "/metrics")
    for line in body.decode().splitlines():
        if line.startswith(f'task_page_cache_lookups_total{{outcome="{outcome}"}}'):
            return int(float(line.rsplit(" ", 1)[1]))
    return 0


def run_mcp(python, balancer, token, pause=None, resume=None):
    env = dict(os.environ, API_BASE=balancer.api, TOKEN=token, CALLS="24")
    if pause:
        env.update(PAUSE_FILE=pause, RESUME_FILE=resume)
    return subprocess.Popen([python, os.path.join(HERE, "fleet_mcp_client.py")], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def main():
    binary = os.environ.get("BIN", ".build/debug/todo-chatbot")
    # One migration for the fleet, as a Job would run it; the replicas do not migrate.
    subprocess.run([binary, "migrate"], check=True, env=dict(os.environ), stdout=subprocess.DEVNULL)
    apis = [Server("serve-api", env=api_env()) for _ in range(3)]
    web_ports = [free_port(), free_port()]
    balancer = Balancer([server.port for server in apis], web_ports)
    balancer.wait_up("api", 3)
    # serve-web reaches the API through the balancer, as it would through a Kubernetes Service.
    webs = [Server("serve-web", env={"API_URL": balancer.api}, health="/api/health", port=port) for port in web_ports]
    balancer.wait_up("web", 2)
    print(f"=== fleet: 3 serve-api, 2 serve-web, HAProxy on {balancer.api} and {balancer.web}", flush=True)
    try:
        drill(balancer, apis, webs)
    finally:
        for server in apis + webs:
            server.kill()
        balancer.stop()


def sign_up(balancer, source):
    email = f"fleet-{time.time_ns()}@example.com"
    status, body = call("POST", balancer.web + "/api/auth/sign-up/email",
                        {"name": "Fleet", "email": email, "password": "correct horse battery"}, source=source)
    check(status == 200, f"sign-up through the web balancer ({status})")
    return email, body["token"]


def drill(balancer, apis, webs):
    _, token_one = sign_up(balancer, 2)
    _, token_two = sign_up(balancer, 3)

    print("=== read-after-write through round-robin, with every replica's page cache warm", flush=True)
    kept = sum(page_cache(server, "miss") for server in apis)
    read_after_write(balancer, sign_up(balancer, 6)[1])
    kept = sum(page_cache(server, "miss") for server in apis) - kept
    # Each listing the round-robin brings to a replica follows a write, so none is a hit: what counts is that each was
    # kept (the change feed was trusted), so the listing after a write met a page that its replica would have served.
    check(kept >= 60, f"the replicas kept the pages they read, ready to serve them ({kept} of 70)")

    print("=== MCP sessions through round-robin", flush=True)
    before = [mcp_requests(server) for server in apis]
    one = run_mcp(os.environ["MCP1_PYTHON"], balancer, token_one)
    out, err = one.communicate(timeout=180)
    check(one.returncode == 0, f"the MCP 1.x SDK completes 24 tool calls in one session through the balancer {err[-800:]}")
    spread = [mcp_requests(server) - count for server, count in zip(apis, before)]
    check(all(count > 0 for count in spread), f"its requests landed on every replica: {spread}")

    pause, resume = os.path.join(WORK, "paused"), os.path.join(WORK, "resume")
    two = run_mcp(os.environ["MCP2_PYTHON"], balancer, token_two, pause, resume)
    deadline = time.time() + 120
    while not os.path.exists(pause) and two.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    check(os.path.exists(pause), "the MCP 2.x session reached its halfway point")
    apis[0].process.send_signal(signal.SIGKILL)
    apis[0].process.wait()
    open(resume, "w").close()
    out, err = two.communicate(timeout=180)
    check(two.returncode == 0, f"with one replica killed (SIGKILL) mid-session, the 2.x session goes on: 24 calls {err[-800:]}")
    check(len(json.loads(out)) == 24, "every call of that session added its task")
    apis[0] = Server("serve-api", env=api_env(), port=apis[0].port)
    balancer.wait_up("api", 3)

    print("=== chat through serve-web's balancer", flush=True)
    status, body = call_stream(balancer.web + "/api/chat", {"message": "add water the plants"}, token_one)
    check(status == 200 and "event: done" in body and "water the plants" in body.lower(), f"a chat turn streams through the web balancer ({status})")

    print("=== the sign-in limit across replicas", flush=True)
    email, _ = sign_up(balancer, 4)
    # The sign-up was the email's first attempt; five sign-ins from five addresses follow, round-robin.
    statuses = [call("POST", balancer.web + "/api/auth/sign-in/email", {"email": email, "password": "wrong password here"},
                     source=10 + attempt)[0] for attempt in range(5)]
    check(statuses == [401] * 4 + [429], f"after its sign-up, attempts 2 to 5 for one email are 401 and the 6th is 429, on whichever replica: {statuses}")

    print("=== live updates and reminders across the fleet", flush=True)
    live_updates_and_reminders(balancer)

    print("=== rolling restart under load", flush=True)
    rolling_restart(balancer, apis, token_two)


def read_after_write(balancer, token):
    """Replicas keep the user's task page; a task added through one replica must be in the very next listing,
    which round-robin sends to another one, and a change or a deletion must show there as well."""
    def listed():
        status, body = call("GET", balancer.api + "/api/tasks?limit=200", token=token, source=5)
        check(status == 200, f"listing through the balancer ({status})")
        return {task["id"]: task for task in body["tasks"]}

    # A replica opens its change feed with its first listing and trusts it once the first heartbeat is back.
    for _ in range(6):
        listed()
    time.sleep(1.5)
    # Ten rounds of ten requests: within the per-user limit's burst (120).
    for index in range(10):
        for _ in range(2):
            listed()
        status, created = call("POST", balancer.api + "/api/tasks", {"title": f"seen {index}"}, token=token, source=5)
        check(status == 201, f"adding a task ({status})")
        check(created["id"] in listed(), f"round {index}: the next listing, on another replica, has the task just added")
        for _ in range(2):
            listed()
        status, _ = call("PATCH", f"{balancer.api}/api/tasks/{created['id']}", {"title": f"renamed {index}"}, token=token, source=5)
        check(status == 200, f"renaming a task ({status})")
        check(listed()[created["id"]]["title"] == f"renamed {index}", f"round {index}: the next listing has the new title")
        status, _ = call("DELETE", f"{balancer.api}/api/tasks/{created['id']}", token=token, source=5)
        check(status == 204, f"deleting a task ({status})")
        check(created["id"] not in listed(), f"round {index}: the next listing no longer has the deleted task")
    print("10 rounds of add, rename and delete, each seen by the next listing on another replica", flush=True)


class EventStream:
    """An /api/events stream read on a thread; `wait` looks for text in what arrived."""

    def __init__(self, url, token):
        self.connection, path = connect(url, 6, 120)
        self.connection.request("GET", path, headers={"Authorization": f"Bearer {token}", "Accept": "text/event-stream"})
        self.response = self.connection.getresponse()
        self.text, self.lock = "", threading.Lock()
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        try:
            while line := self.response.readline():
                with self.lock:
                    self.text += line.decode(errors="replace")
        except OSError:
            pass

    def wait(self, predicate, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                if predicate(self.text):
                    return True
            time.sleep(0.05)
        return False


def live_updates_and_reminders(balancer):
    _, token = sign_up(balancer, 20)
    stream = EventStream(balancer.web + "/api/events", token)
    check(stream.wait(lambda text: "event: ready" in text, 10), "an /api/events stream opens through serve-web's balancer")
    for index in range(3):
        status, _ = call("POST", balancer.api + "/api/tasks", {"title": f"live {index}"}, token=token, source=21)
        check(status == 201, f"task {index} created through the API balancer")
    check(stream.wait(lambda text: all(f"live {index}" in text for index in range(3)), 10),
          "each task made through round-robin replicas reaches the open stream")
    due = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 2))
    for index in range(30):
        status, _ = call("POST", balancer.api + "/api/tasks", {"title": f"remind {index}", "remind_at": due}, token=token, source=22)
        if status != 201:
            check(False, f"reminder task {index} created ({status})")
    deadline = time.time() + 60
    while time.time() < deadline:
        with WEBHOOK.lock:
            if len(WEBHOOK.accepted) >= 30:
                break
        time.sleep(0.2)
    time.sleep(2)  # any duplicate would arrive by now
    with WEBHOOK.lock:
        accepted, bad, attempts = list(WEBHOOK.accepted), WEBHOOK.bad, dict(WEBHOOK.attempts)
    check(len(accepted) == 30 and len(set(accepted)) == 30, f"the webhook got each of 30 reminders once, through a 500 first ({len(accepted)} accepted, {len(set(accepted))} distinct)")
    check(bad == 0 and all(count == 2 for count in attempts.values()), f"every call was signed; each delivery was retried once after its 500 ({bad} bad)")
    check(stream.wait(lambda text: text.count("event: reminder") >= 30, 10), "the page stream got the 30 reminders")
    with stream.lock:
        ids = [line.split('"reminder_id":"')[1].split('"')[0] for line in stream.text.splitlines() if '"reminder_id":"' in line]
    check(len(ids) == 30 and len(set(ids)) == 30, f"each reminder reached the page once ({len(ids)} events)")


def call_stream(url, body, token):
    """POSTs and reads an SSE answer to its end."""
    connection, path = connect(url, 5, 60)
    connection.request("POST", path, body=json.dumps(body),
                       headers={"Content-Type": "application/json", "Accept": "text/event-stream", "Authorization": f"Bearer {token}"})
    response = connection.getresponse()
    text = response.read().decode(errors="replace")
    connection.close()
    return response.status, text


def rolling_restart(balancer, apis, token):
    failures, written, stop = [], [], threading.Event()
    lock = threading.Lock()

    def load(worker):
        count = 0
        while not stop.is_set():
            count += 1
            try:
                status, body = call("POST", balancer.api + "/api/tasks", {"title": f"load {worker}-{count}"}, token=token, source=20 + worker)
                if status == 201:
                    with lock:
                        written.append(body["id"])
                else:
                    failures.append(f"write {status} {body}")
                status, _ = call("GET", balancer.api + "/api/tasks?limit=5", token=token, source=20 + worker)
                if status != 200:
                    failures.append(f"read {status}")
            except Exception as error:  # noqa: BLE001  (a failed request is what the drill counts)
                failures.append(f"{type(error).__name__}: {error}")

    workers = [threading.Thread(target=load, args=(worker,)) for worker in range(4)]
    for worker in workers:
        worker.start()
    time.sleep(1)
    for index, server in enumerate(apis):
        balancer.command(f"set server api/api{index} state drain")
        deadline = time.time() + 10
        while balancer.states("api")[f"api{index}"][1] > 0 and time.time() < deadline:
            time.sleep(0.05)
        server.stop()
        apis[index] = Server("serve-api", env=api_env(), port=server.port)
        balancer.command(f"set server api/api{index} state ready")
        balancer.wait_up("api", 3)
        time.sleep(0.5)
    stop.set()
    for worker in workers:
        worker.join(timeout=60)
    check(not failures, f"no request failed while each serve-api restarted in turn ({len(written)} writes): {failures[:5]}")
    missing = [task_id for task_id in written if call("GET", f"{balancer.api}/api/tasks/{task_id}", token=token, source=30)[0] != 200]
    check(len(written) > 20 and not missing, f"every acknowledged write is there afterwards ({len(written)} writes, missing {missing[:5]})")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as error:
        print(f"FAILED: {error}", file=sys.stderr)
        sys.exit(1)
