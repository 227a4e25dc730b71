"""Issue #14, item 8: request methods and paths chosen by clients must not become unbounded metric labels. After a
warm-up with the same kind of traffic, 1,000 requests with random methods (any token as the HTTP/2 :method, random
uppercase tokens on HTTP/1.1) and random paths may add at most a few lines to serve-api's /metrics."""

import random
import string

import harness

GROWTH_ALLOWED = 50


def random_path():
    word = harness.random_token(random.randint(4, 12), string.ascii_lowercase + string.digits)
    return random.choice([
        f"/{word}",
        f"/api/{word}",
        f"/api/tasks/{random.randint(1, 10**9)}",
        f"/api/{word}/tasks",
        f"/mcp/{word}",
        f"/{word}/{word}?{word}=1",
    ])


STANDARD = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"}


# Methods an HTTP/1.1 parser knows (so they reach the app) but that no route of ours uses.
EXTENSION_METHODS = ["PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "SEARCH", "PURGE", "REPORT",
                     "MKACTIVITY", "CHECKOUT", "MERGE", "NOTIFY", "SUBSCRIBE", "UNSUBSCRIBE", "LINK", "UNLINK",
                     "MKCALENDAR", "ACL", "BIND", "REBIND", "UNBIND", "SOURCE", "QUERY"]


def random_method(make, longest):
    while True:
        method = make(random.randint(5, longest))
        if method.upper() not in STANDARD:
            return method


def scrape(api):
    status, body = harness.request("GET", api.url + "/metrics", timeout=10)
    assert status == 200, f"/metrics answered {status}"
    return [line for line in body.decode().splitlines() if line.strip()]


def send_h2(api, count):
    """`count` requests with random :method tokens on HTTP/2 connections, 25 streams at a time."""
    outcomes = {}
    methods = []
    sent = 0
    while sent < count:
        session = harness.H2Session(api.port)
        try:
            for _ in range(4):
                batch = []
                for _ in range(min(25, count - sent)):
                    method = random_method(harness.random_token, 12)
                    methods.append(method)
                    batch.append(session.send(method, random_path()))
                    sent += 1
                for reply in session.wait(batch, timeout=15):
                    outcomes[reply.outcome] = outcomes.get(reply.outcome, 0) + 1
                if session.closed or session.goaway or sent >= count:
                    break
        finally:
            session.close()
    return methods, outcomes


def send_h1(api, count):
    """`count` requests with random uppercase methods (and some extension methods an HTTP/1.1 parser knows) on
    keep-alive HTTP/1.1 connections, a new one whenever the server closes it, as it may for a method it does not
    know."""
    outcomes, methods = {}, []
    session = None
    for _ in range(count):
        if random.random() < 0.3:
            method = random.choice(EXTENSION_METHODS)
        else:
            method = random_method(lambda n: harness.random_token(n, string.ascii_uppercase), 10)
        methods.append(method)
        try:
            if session is None or not session.open:
                session = harness.H1Session(api.port)
            reply = session.request(method, random_path())
            outcome = reply.outcome
        except OSError as error:
            outcome = f"error {type(error).__name__}"
            session = None
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    if session is not None:
        session.close()
    return methods, outcomes


def test_random_methods_and_paths_do_not_grow_metrics(launch):
    api = launch.start("serve-api")
    send_h2(api, 60)
    send_h1(api, 60)
    scrape(api)  # the scrape itself is a series too
    before = scrape(api)
    h2_methods, h2_outcomes = send_h2(api, 500)
    h1_methods, h1_outcomes = send_h1(api, 500)
    after = scrape(api)
    harness.assert_alive(api)
    known = {line.rsplit(" ", 1)[0] for line in before}
    new = [line for line in after if line.rsplit(" ", 1)[0] not in known]
    text = "\n".join(after)
    leaked = [method for method in set(h2_methods + h1_methods) - set(EXTENSION_METHODS) if f'"{method}"' in text]
    report = (f"/metrics: {len(before)} lines before, {len(after)} after 1,000 random requests "
              f"(HTTP/2 outcomes {h2_outcomes}; HTTP/1.1 outcomes {h1_outcomes})")
    print(report)
    assert len(after) - len(before) <= GROWTH_ALLOWED and not leaked, (
        f"{report}\n{len(leaked)} random methods became label values, e.g. {leaked[:5]}\n"
        f"new series, e.g.:\n  " + "\n  ".join(new[:8]))
