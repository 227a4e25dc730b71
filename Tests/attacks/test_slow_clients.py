"""Issue #14, items 2-4: slow uploads, idle and half-sent connections (slowloris), and starvation of serve-web's
upstream pool. Against serve-api and serve-web (TLS; HTTP/1.1 and HTTP/2) the suite holds 100 slow uploads and 500
idle or half-sent connections (re-opening them as the server closes them) while a normal client keeps asking;
its p99 must stay under a second with no failure, every attacking connection must be closed by the server within
its timeout plus a margin, slow uploads must end in 408 or a close, and the processes must still be alive."""

import collections
import concurrent.futures
import json
import queue
import selectors
import ssl
import threading
import time

import h2.connection
import h2.events
import h2.exceptions
import pytest

import harness
from harness import BODY_TIMEOUT, HEADER_TIMEOUT, IDLE_TIMEOUT

# How late past its timeout the server may close a connection: timers, a loaded debug build, our own polling.
MARGIN = 2.5
ATTACK_SECONDS = 10.0
UPLOAD_PATH = "/api/auth/sign-in/email"


def has_goaway(data):
    """Whether raw HTTP/2 frames (as a server sends them after the TLS handshake) contain a GOAWAY."""
    offset = 0
    while offset + 9 <= len(data):
        length = int.from_bytes(data[offset:offset + 3], "big")
        if data[offset + 3] == 0x7:
            return True
        offset += 9 + length
    return False


class Held:
    """One attacking connection and what became of it."""

    def __init__(self, kind, bound, sock, opened, h2conn=None, upload=False, h2_frames=False):
        self.kind, self.bound, self.sock, self.opened, self.h2, self.upload = kind, bound, sock, opened, h2conn, upload
        self.h2_frames = h2_frames  # raw bytes from the server are HTTP/2 frames (no h2 state machine of ours)
        self.done = None  # when the server closed it (or, for an upload, answered or reset the stream)
        self.outcome = None
        self.data = b""
        self.status = None
        self.opener = None
        self.goaway = None  # when an HTTP/2 GOAWAY arrived (the connection counts as ended only once TCP closes)

    def finish(self, when, outcome):
        if self.done is None:
            self.done, self.outcome = when, outcome

    def take(self, chunk, when):
        """Bytes from the server; may finish an upload (a response or a reset) or an h2 connection (GOAWAY)."""
        if self.h2 is not None:
            try:
                events = self.h2.receive_data(chunk)
            except h2.exceptions.ProtocolError as error:
                self.finish(when, f"h2 protocol error {error}")
                return
            for event in events:
                if isinstance(event, h2.events.ResponseReceived):
                    self.status = int(dict(event.headers)[b":status"])
                    if self.upload:
                        self.finish(when, f"status {self.status}")
                elif isinstance(event, h2.events.StreamReset):
                    self.finish(when, "reset")
                elif isinstance(event, h2.events.ConnectionTerminated):
                    self.goaway = self.goaway or when
                    if self.upload:
                        self.finish(when, "goaway")
            try:
                data = self.h2.data_to_send()
                if data:
                    self.sock.send(data)
            except (OSError, ValueError):
                pass
            return
        self.data += chunk
        if self.h2_frames and self.goaway is None and has_goaway(self.data):
            self.goaway = when
        if self.upload and b"\r\n" in self.data:
            line = self.data.split(b"\r\n", 1)[0].decode("latin-1")
            parts = line.split(" ")
            self.status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
            self.finish(when, f"status {self.status}" if self.status else f"answer {line[:40]!r}")

    def upload_ok(self):
        return self.outcome in ("closed", "reset", "goaway", "status 408")


class Monitor(threading.Thread):
    """Watches every held connection with one selector and notes when the server ends it."""

    def __init__(self):
        super().__init__(daemon=True)
        self.selector = selectors.DefaultSelector()
        self.incoming = queue.Queue()
        self.stopping = threading.Event()

    def add(self, held):
        self.incoming.put(held)

    def run(self):
        while not self.stopping.is_set():
            while True:
                try:
                    held = self.incoming.get_nowait()
                except queue.Empty:
                    break
                held.sock.setblocking(False)
                self.selector.register(held.sock, selectors.EVENT_READ, held)
                # Bytes that arrived before registration are still in the kernel (or the TLS buffer): read now.
                self.read(held)
            for key, _ in self.selector.select(0.05):
                self.read(key.data)

    def read(self, held):
        if held.done is not None:
            return
        now = time.monotonic()
        try:
            while True:
                chunk = held.sock.recv(65536)
                if not chunk:
                    held.finish(now, "closed")
                    break
                held.take(chunk, now)
                if held.done is not None:
                    break
        except (ssl.SSLWantReadError, ssl.SSLWantWriteError, BlockingIOError):
            return
        except (OSError, ValueError):
            held.finish(now, "closed")
        try:
            self.selector.unregister(held.sock)
        except (KeyError, ValueError):
            pass
        held.sock.close()

    def stop(self):
        self.stopping.set()
        self.join(5)


# ------------------------------------------------------------------------------------------- the attacking kinds

def health_path(role):
    return "/api/health" if role.command == "serve-web" else "/health"


def open_tcp_silent(role):
    """TCP open, TLS handshake never started."""
    start = time.monotonic()
    return Held("tcp silent (no TLS hello)", HEADER_TIMEOUT, harness.tcp(role.port), start)


def open_half_hello(role):
    """Half of a real TLS ClientHello, then nothing."""
    start = time.monotonic()
    sock = harness.tcp(role.port)
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = harness.context(("h2", "http/1.1")).wrap_bio(incoming, outgoing, server_hostname="localhost")
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    hello = outgoing.read()
    sock.sendall(hello[: len(hello) // 2])
    return Held("half a TLS hello", HEADER_TIMEOUT, sock, start)


def open_half_request_line(role):
    start = time.monotonic()
    sock = harness.connect(role.port)
    sock.sendall(b"GET /hea")
    return Held("h1 half a request line", HEADER_TIMEOUT, sock, start)


def open_unfinished_head(role):
    start = time.monotonic()
    sock = harness.connect(role.port)
    sock.sendall(f"GET {health_path(role)} HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1\r\n".encode())
    return Held("h1 head never finished", HEADER_TIMEOUT, sock, start)


def open_h2_no_preface(role):
    """TLS done with ALPN h2, the connection preface never sent."""
    start = time.monotonic()
    sock = harness.connect(role.port, alpn=("h2",))
    return Held("h2 preface never sent", HEADER_TIMEOUT, sock, start, h2_frames=True)


def open_h2_idle(role):
    """Preface and SETTINGS sent, then no request: the idle timeout (or the header timeout) must end it."""
    start = time.monotonic()
    sock = harness.connect(role.port, alpn=("h2",))
    conn = h2.connection.H2Connection(config=harness.h2_config())
    conn.initiate_connection()
    sock.sendall(conn.data_to_send())
    return Held("h2 idle after SETTINGS", IDLE_TIMEOUT, sock, start, conn)


def open_h1_idle(role):
    """One complete request and its answer, then an idle keep-alive connection."""
    sock = harness.connect(role.port)
    sock.sendall(f"GET {health_path(role)} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
    reply = harness.read_reply(harness.Reader(sock))
    if reply.status != 200:
        sock.close()
        raise OSError(f"keep-alive setup answered {reply.outcome}")
    return Held("h1 idle keep-alive", IDLE_TIMEOUT, sock, time.monotonic())


def open_h1_upload(role):
    """POST with Content-Length: 100 and one byte of body, then silence."""
    start = time.monotonic()
    sock = harness.connect(role.port)
    sock.sendall(f"POST {UPLOAD_PATH} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                 f"Content-Length: 100\r\n\r\n{{".encode())
    return Held("h1 slow upload", BODY_TIMEOUT, sock, start, upload=True)


def open_h2_upload(role):
    start = time.monotonic()
    sock = harness.connect(role.port, alpn=("h2",))
    conn = h2.connection.H2Connection(config=harness.h2_config())
    conn.initiate_connection()
    conn.send_headers(1, [(b":method", b"POST"), (b":scheme", b"https"), (b":authority", b"localhost"),
                          (b":path", UPLOAD_PATH.encode()), (b"content-type", b"application/json"),
                          (b"content-length", b"100")])
    conn.send_data(1, b"{")
    sock.sendall(conn.data_to_send())
    return Held("h2 slow upload", BODY_TIMEOUT, sock, start, conn, upload=True)


# (opener, how many to hold): 500 idle or half-sent connections and 100 slow uploads.
POPULATION = [
    (open_tcp_silent, 120),
    (open_half_hello, 80),
    (open_half_request_line, 100),
    (open_unfinished_head, 60),
    (open_h2_no_preface, 80),
    (open_h2_idle, 30),
    (open_h1_idle, 30),
    (open_h1_upload, 50),
    (open_h2_upload, 50),
]
assert sum(count for opener, count in POPULATION if opener not in (open_h1_upload, open_h2_upload)) == 500


class NormalClient(threading.Thread):
    """Asks `path` every 50 ms, alternating a new HTTPS connection (HTTP/1.1) and one kept HTTP/2 connection."""

    def __init__(self, role, path, token=None):
        super().__init__(daemon=True)
        self.role, self.path, self.token = role, path, token
        self.latencies, self.failures = [], []
        self.stopping = threading.Event()

    def run(self):
        session, count = None, 0
        headers = [("authorization", f"Bearer {self.token}")] if self.token else []
        while not self.stopping.is_set():
            count += 1
            start = time.perf_counter()
            try:
                if count % 2:
                    status, body = harness.request("GET", self.role.url + self.path, token=self.token, timeout=5)
                    outcome = str(status)
                else:
                    if session is None:
                        session = harness.H2Session(self.role.port, timeout=5)
                    reply = session.request("GET", self.path, headers, timeout=5)
                    status, outcome = (reply.status if reply.ended else None), reply.outcome
                    if session.closed or session.goaway:
                        session.close()
                        session = None
            except Exception as error:  # noqa: BLE001 - every failure of the normal client counts
                status, outcome = None, f"{type(error).__name__}: {error}"
                if session is not None:
                    session.close()
                    session = None
            elapsed = time.perf_counter() - start
            self.latencies.append(elapsed)
            if status != 200:
                self.failures.append(f"{'h1' if count % 2 else 'h2'} after {elapsed:.2f} s: {outcome}")
            self.stopping.wait(0.05)
        if session is not None:
            session.close()


def attack(role, normal, processes):
    """Holds POPULATION against `role` for ATTACK_SECONDS while `normal` asks; returns a list of problems and a
    report."""
    monitor = Monitor()
    monitor.start()
    helds, lock = [], threading.Lock()
    pending = collections.Counter()
    open_errors = collections.Counter()

    def open_one(opener):
        try:
            held = opener(role)
            held.opener = opener
            with lock:
                helds.append(held)
            monitor.add(held)
        except Exception as error:  # noqa: BLE001
            with lock:
                open_errors[f"{opener.__name__}: {type(error).__name__}"] += 1
        finally:
            with lock:
                pending[opener] -= 1

    pool = concurrent.futures.ThreadPoolExecutor(24)
    try:
        # Initial population.
        for opener, count in POPULATION:
            with lock:
                pending[opener] += count
            for _ in range(count):
                pool.submit(open_one, opener)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with lock:
                if all(value <= 0 for value in pending.values()):
                    break
            time.sleep(0.05)
        opened_initially = len(helds)

        normal.start()
        end = time.monotonic() + ATTACK_SECONDS
        reopened, tick = 0, 0
        while time.monotonic() < end:
            time.sleep(0.1)
            tick += 1
            with lock:
                by_opener = collections.Counter(h.opener for h in helds if h.done is None)
                budget = 25  # at most 250 new connections a second, shared in turn by the kinds
                turn = tick % len(POPULATION)
                for opener, count in POPULATION[turn:] + POPULATION[:turn]:
                    deficit = count - by_opener[opener] - pending[opener]
                    take = max(0, min(deficit, budget))
                    budget -= take
                    pending[opener] += take
                    for _ in range(take):
                        pool.submit(open_one, opener)
                    reopened += take
        normal.stopping.set()
        normal.join(15)
    finally:
        pool.shutdown(wait=True)

    # Wait until the server has ended every held connection, or the last one's deadline has passed.
    with lock:
        last = max((h.opened + h.bound + MARGIN for h in helds), default=time.monotonic())
    while time.monotonic() < last + 0.3 and any(h.done is None for h in helds):
        time.sleep(0.1)
    checked_at = time.monotonic()
    monitor.stop()
    for held in helds:
        if held.done is None:
            try:
                held.sock.close()
            except OSError:
                pass

    problems, lines = [], []
    alive = [f"{p.name} exited with {p.process.returncode}" for p in processes if not p.alive()]
    problems += [f"process died: {text}" for text in alive]
    latencies = normal.latencies
    p50, p99 = harness.percentile(latencies, 0.5), harness.percentile(latencies, 0.99)
    lines.append(f"normal client: {len(latencies)} requests to {normal.path}, p50 {p50 * 1000:.0f} ms, "
                 f"p99 {p99 * 1000:.0f} ms, max {max(latencies, default=0) * 1000:.0f} ms, {len(normal.failures)} failed")
    if len(latencies) < 20:
        problems.append(f"the normal client got only {len(latencies)} answers in {ATTACK_SECONDS:.0f} s")
    if p99 >= 1.0:
        problems.append(f"normal client p99 {p99:.2f} s >= 1 s")
    if normal.failures:
        problems.append(f"normal client failed {len(normal.failures)} time(s): {normal.failures[:5]}")
    lines.append(f"attack: {opened_initially} connections at first, {reopened} re-opened as the server closed them; "
                 f"failed opens: {dict(open_errors) or 'none'}")
    lines.append(f"{'kind':28} {'held':>5} {'ended in time':>13} {'late':>5} {'never':>6} {'longest':>8}  bound")
    for opener, _ in POPULATION:
        group = [h for h in helds if h.opener is opener]
        if not group:
            problems.append(f"{opener.__name__}: no connection could be opened")
            continue
        kind, bound = group[0].kind, group[0].bound + MARGIN
        lifetimes = [(h.done if h.done is not None else checked_at) - h.opened for h in group]
        never = sum(h.done is None for h in group)
        goaway_only = [h.goaway - h.opened for h in group if h.done is None and h.goaway is not None]
        late = sum(1 for h, life in zip(group, lifetimes) if h.done is not None and life > bound)
        lines.append(f"{kind:28} {len(group):5} {len(group) - late - never:13} {late:5} {never:6} "
                     f"{max(lifetimes):7.1f}s  {group[0].bound:.0f}+{MARGIN} s")
        if late or never:
            problems.append(f"{kind}: {late + never} of {len(group)} not ended by the server within "
                            f"{group[0].bound:.0f} s + {MARGIN} s ({never} still open {max(lifetimes):.1f} s after opening"
                            + (f"; {len(goaway_only)} of them got a GOAWAY after {min(goaway_only):.1f}-"
                               f"{max(goaway_only):.1f} s but the TCP connection stayed open" if goaway_only else "") + ")")
        if group[0].upload:
            outcomes = collections.Counter(h.outcome or "still open" for h in group)
            lines.append(f"{'':28} outcomes: {dict(outcomes)}")
            wrong = {k: v for k, v in outcomes.items() if k not in ("closed", "reset", "goaway", "status 408", "still open")}
            if wrong:
                problems.append(f"{kind}: answered {wrong}, expected 408 or a close")
    return problems, "\n".join(lines)


@pytest.mark.parametrize("target", ["serve-api", "serve-web"])
def test_slow_uploads_and_idle_connections(launch, target):
    if target == "serve-api":
        api = launch.start("serve-api")
        role, processes, path, token = api, [api], "/health", None
    else:
        # The usual shape: TLS at serve-web, plain HTTP to the API behind it.
        api = launch.start("serve-api", tls=False)
        role = launch.start("serve-web", env={"API_URL": api.url})
        processes, path = [role, api], "/api/tasks"
        token, _ = harness.sign_up(role.url)
    problems, report = attack(role, NormalClient(role, path, token), processes)
    print(report)
    # Afterwards the server still answers at once.
    status, _ = harness.request("GET", role.url + path, token=token, timeout=5)
    if status != 200:
        problems.append(f"after the attack {path} answered {status}")
    assert not problems, f"against {target}: {problems[0]}\n" + "\n".join(f"- {p}" for p in problems) + "\n" + report


def test_held_streams_and_uploads_do_not_starve_the_proxy(launch):
    """8 chat streams held by a slow model and 12 slow uploads through serve-web (20 > the old pool of 8): other
    /api calls still get 200 quickly, never 502, and the chat streams still end with their answer."""
    model_url, model = harness.start_model(hold=6.0)
    try:
        api = launch.start("serve-api", tls=False, env={"OPENAI_BASE_URL": model_url, "OPENAI_API_KEY": "attack"})
        web = launch.start("serve-web", env={"API_URL": api.url})
        users = [harness.sign_up(web.url) for _ in range(4)]  # at most 2 streams a user
        streams, problems = [], []
        for index in range(8):
            payload = json.dumps({"message": f"hold and add starvation {index}"}).encode()
            sock = harness.connect(web.port, timeout=20)
            sock.sendall(harness.h1_bytes("POST", "/api/chat", web.port, {
                "Authorization": f"Bearer {users[index % 4][0]}", "Accept": "text/event-stream",
                "Content-Type": "application/json"}, payload))
            streams.append(sock)
        for index, sock in enumerate(streams):
            try:
                seen = harness.read_until(sock, "event: conversation", timeout=10)
            except OSError as error:
                seen = f"{type(error).__name__}"
            if "event: conversation" not in seen:
                problems.append(f"chat stream {index} did not start: {seen[:200]!r}")
        uploads = []
        for _ in range(12):
            sock = harness.connect(web.port)
            sock.sendall(f"POST {UPLOAD_PATH} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                         f"Content-Length: 100\r\n\r\n{{".encode())
            uploads.append(sock)
        time.sleep(0.3)

        # Ten ordinary calls, one every 0.2 s, while all 20 are held (the uploads for BODY_TIMEOUT, 3 s).
        results = []

        def call(index):
            start = time.perf_counter()
            try:
                status, body = harness.request("GET", web.url + "/api/tasks", token=users[0][0], timeout=4)
                outcome = str(status)
            except OSError as error:
                status, outcome = None, f"{type(error).__name__}: {error}"
            results.append((index, status, outcome, time.perf_counter() - start))

        callers = []
        for index in range(10):
            thread = threading.Thread(target=call, args=(index,))
            thread.start()
            callers.append(thread)
            time.sleep(0.2)
        for thread in callers:
            thread.join(10)
        slow = [(i, outcome, round(t, 2)) for i, status, outcome, t in results if status != 200 or t > 1.5]
        if slow or len(results) < 10:
            problems.append(f"ordinary /api calls during the hold failed or took > 1.5 s: {slow} ({len(results)} answered)")

        for index, sock in enumerate(streams):
            try:
                seen = harness.read_until(sock, "event: done", timeout=20)
            except OSError as error:
                seen = f"{type(error).__name__}"
            if "event: done" not in seen:
                problems.append(f"chat stream {index} was cut before its answer: {seen[-200:]!r}")
            sock.close()
        for sock in uploads:
            sock.close()
        harness.assert_alive(web, api)
        assert not problems, "\n".join(problems)
    finally:
        model.shutdown()
