"""Helpers shared by the drills and the benchmarks: free ports, HTTP calls, a server process, a scripted model."""

import http.server
import json
import os
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

BIN = os.path.abspath(os.environ.get("BIN", ".build/debug/todo-chatbot"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(method, url, body=None, token=None, accept=None, timeout=30):
    """(status, body bytes); HTTP errors are answers too. Connection failures raise OSError."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    if accept:
        req.add_header("Accept", accept)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Server:
    """A todo-chatbot server role on a free loopback port, logging to a file."""

    def __init__(self, command="serve-api", env=None, health="/health", cwd=None, port=None):
        self.port = port or free_port()
        self.dir = cwd or tempfile.mkdtemp(prefix="todo-")
        environment = dict(os.environ, LOG_LEVEL="warning", RATE_LIMIT_PER_MINUTE="1000000",
                           AUTH_RATE_LIMIT_PER_MINUTE="1000000", AUTH_RATE_LIMIT_PER_10S="1000000", CHAT_TURNS_PER_USER="1000", MIGRATE_ON_START="1",
                           BETTER_AUTH_SECRET="drill-secret-0123456789-abcdefghijklmnop")
        environment.pop("OPENAI_API_KEY", None)
        environment.pop("OPENAI_BASE_URL", None)
        environment.setdefault("DATABASE_URL", f"sqlite:{self.dir}/todo.sqlite")
        environment.update(env or {})
        self.log_path = os.path.join(self.dir, f"{command}-{self.port}.log")
        self.log = open(self.log_path, "w")
        self.started = time.perf_counter()
        self.process = subprocess.Popen([BIN, command, "--port", str(self.port)], env=environment, cwd=self.dir,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if request("GET", self.url + health, timeout=2)[0] == 200:
                    self.ready_after = time.perf_counter() - self.started
                    return
            except OSError:
                time.sleep(0.002)
        self.process.kill()
        raise RuntimeError(f"{command} did not start:\n{self.tail()}")

    def tail(self):
        with open(self.log_path) as log:
            return log.read()[-2000:]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)

    def kill(self):
        """Ends the server at once, for measurements that do not care how it stops (SIGTERM waits for chat turns)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=20)


def sign_up(url):
    email = f"drill-{time.time_ns()}@example.com"
    _, body = request("POST", url + "/api/auth/sign-up/email", {"name": "Drill", "email": email, "password": "correct horse battery"})
    return json.loads(body)["token"]


class ScriptedModel(http.server.BaseHTTPRequestHandler):
    """An OpenAI-compatible model on loopback that answers at once: a tool call (add_task), then text. A user
    message containing "hold" makes it wait HOLD seconds first."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    hold = 2.0

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        last = body["messages"][-1]
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def send(data):
            chunk = f"data: {data}\n\n".encode()
            self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            self.wfile.flush()

        if last["role"] == "user" and "hold" in str(last.get("content")):
            time.sleep(type(self).hold)
        if last["role"] == "user":
            send(json.dumps({"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "id": "c1", "type": "function",
                 "function": {"name": "add_task", "arguments": "{\"title\":\"from the model\"}"}}]}}]}))
        else:
            send(json.dumps({"choices": [{"index": 0, "delta": {"content": "Added."}}]}))
        send("[DONE]")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


def start_model(hold=2.0):
    """Serves ScriptedModel on a free port; returns (base URL, server)."""
    handler = type("Model", (ScriptedModel,), {"hold": hold})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    # Clients that hang up on a held stream are part of the drills, not errors worth a traceback.
    server.handle_error = lambda request, address: None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/v1", server


def open_chat_stream(port, token, message):
    """Starts an SSE chat turn on a raw socket; returns the socket."""
    payload = json.dumps({"message": message}).encode()
    head = (f"POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nAccept: text/event-stream\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\nConnection: close\r\n\r\n").encode()
    connection = socket.create_connection(("127.0.0.1", port))
    connection.sendall(head + payload)
    return connection


def read_until(connection, marker, timeout=30):
    connection.settimeout(timeout)
    received = b""
    while marker.encode() not in received:
        chunk = connection.recv(65536)
        if not chunk:
            break
        received += chunk
    return received.decode(errors="replace")
