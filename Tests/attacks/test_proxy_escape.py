"""Issue #14, item 1: serve-web must not be an open proxy. Request targets that are not an origin-form path under
/api/ after normalisation (absolute-form, authority-form, userinfo tricks, dot segments raw or percent-encoded,
backslashes, NUL/CR/LF encodings…) are sent raw over HTTP/1.1 (request line) and HTTP/2 (:path), over TLS, to
serve-web in front of a real serve-api, while a marker server on another loopback port records any connection.
None may reach the marker, none may be answered 2xx or with anything but the API's own content, and each must be
refused with 400 (or 404 when it is not an /api path at all)."""

import json

import pytest

import harness

REFUSED = {400, 404}
# What would show that a request escaped to a route outside /api on the API.
FOREIGN_CONTENT = (b"# TYPE ", b"http_requests_total", b'"openapi"', b'"status":"ready"', b'"jsonrpc"')


def escape_targets(marker, api):
    """Request targets that must never leave /api on the API. `marker` and `api` are ports."""
    m = f"127.0.0.1:{marker}"
    return [
        # The userinfo trick of the issue: API_URL + "@host:port/…" makes the host the authority.
        f"@{m}/api/x",
        f"@{m}/latest/meta-data/?://h/api/x",
        f"@{m}/api/../../latest/meta-data/",
        f"@localhost:{marker}/api/x",
        f":secret@{m}/api/x",
        f"@{m}",
        f"%40{m}/api/x",
        f"?@{m}/api/x",
        f"#@{m}/api/x",
        # Absolute-form and authority-form, to the marker and to the API itself.
        f"http://{m}/api/x",
        f"https://{m}/api/x",
        f"http://localhost:{marker}/api/tasks",
        f"http://127.0.0.1:{api}/metrics",
        f"{m}",
        f"{m}/api/x",
        f":{marker}/api/x",
        "0/api/x",
        # Scheme-relative and other schemes.
        f"//{m}/api/x",
        f"///{m}/api/x",
        f"x://{m}/api/x",
        f"/\\{m}/api/x",
        # Dot segments, raw and percent-encoded, out of /api to the API's other routes.
        "/api/../metrics",
        "/api/./../metrics",
        "/api/x/../../mcp",
        "/api/x/../../metrics",
        "/api/%2e%2e/metrics",
        "/api/.%2e/metrics",
        "/api/%2E%2E%2fmetrics",
        "/api/..%2f..%2fmetrics",
        "/api/..%2F..%2Fmcp",
        "/api/%2e%2e%2f%2e%2e%2fready",
        "/api/tasks/..%2f..%2f..%2fopenapi.json",
        "/api/%252e%252e/metrics",
        "/%61pi/../metrics",
        "/api/;/../metrics",
        "/api/x;/../../metrics",
        # Backslashes.
        "/api\\..\\metrics",
        "/api/..\\metrics",
        "/api/%5c..%5cmetrics",
        "/api/..%5c..%5cmetrics",
        # Encoded @, NUL, CR and LF.
        f"/api/%40{m}/api/x",
        "/api/x%00/../../metrics",
        "/api/x%00",
        f"/api/x%0d%0aHost:%20{m}",
        "/api/x%0aX-Injected:%201",
        "/api/x%0d%0a%0d%0aGET%20/metrics%20HTTP/1.1",
        # Not under /api at all.
        "*",
        "/api",
        "/API/../metrics",
    ]


@pytest.fixture(scope="module")
def proxies(tmp_path_factory):
    """A marker server, and two serve-web (TLS, HTTP/2 and HTTP/1.1): one in front of serve-api over TLS, one in
    front of a plain-HTTP serve-api (the usual shape behind a mesh), each with a signed-up user."""
    launcher = harness.Launcher(tmp_path_factory.mktemp("proxy"))
    marker = harness.Marker()
    try:
        api_tls = launcher.start("serve-api")
        api_plain = launcher.start("serve-api", tls=False)
        setups = {
            "https-upstream": (api_tls, launcher.start("serve-web", env={
                "API_URL": f"https://localhost:{api_tls.port}", "API_CA_FILE": harness.CA})),
            "http-upstream": (api_plain, launcher.start("serve-web", env={"API_URL": f"http://127.0.0.1:{api_plain.port}"})),
        }
        result = {}
        for name, (api, web) in setups.items():
            token, _ = harness.sign_up(web.url)
            result[name] = {"api": api, "web": web, "token": token}
        yield marker, result
    finally:
        marker.close()
        launcher.stop_all()


def send(protocol, port, target, method="GET"):
    """(outcome, status or None, body) of one raw request on a new connection."""
    try:
        if protocol == "h1":
            reply = harness.h1(port, method, target, timeout=15)
            return reply.outcome, reply.status, reply.body
        reply = harness.h2_request(port, method, target, timeout=15)
        return reply.outcome, (reply.status if reply.ended else None), reply.body
    except OSError as error:
        return f"error {type(error).__name__}: {error}", None, b""


def test_at_least_30_distinct_targets_some_aimed_at_the_marker():
    targets = escape_targets(40000, 40001)
    assert len(set(targets)) == len(targets), "duplicate targets"
    assert len(targets) >= 30
    assert sum("40000" in target for target in targets) >= 10


@pytest.mark.parametrize("upstream", ["https-upstream", "http-upstream"])
@pytest.mark.parametrize("protocol", ["h1", "h2"])
def test_escape_targets_are_refused(proxies, protocol, upstream):
    marker, setups = proxies
    setup = setups[upstream]
    web, api = setup["web"], setup["api"]
    problems, outcomes = [], {}
    targets = escape_targets(marker.port, api.port)
    for index, target in enumerate(targets):
        method = "POST" if index % 7 == 3 else "GET"
        before = marker.count()
        outcome, status, body = send(protocol, web.port, target, method)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        reached = marker.count() - before
        why = []
        if reached:
            why.append(f"reached the marker ({reached} connection(s))")
        if marker.token.encode() in body:
            why.append("answered with the marker's content")
        if status is not None and 200 <= status < 300:
            why.append(f"answered {status}")
        if any(needle in body for needle in FOREIGN_CONTENT):
            why.append("answered with a non-/api route's content")
        if status is None:
            # HTTP/2 may refuse a malformed :path at the protocol level (RST_STREAM/GOAWAY): still a refusal.
            if not (protocol == "h2" and (outcome.startswith("RST_STREAM") or outcome.startswith("GOAWAY"))):
                why.append(f"no answer ({outcome})")
        elif status not in REFUSED:
            why.append(f"status {status}, expected 400 or 404")
        if why:
            problems.append(f"  {method} {target!r}: {'; '.join(why)}  [body {body[:100]!r}]")
    harness.assert_alive(web, api)
    summary = f"{len(targets)} targets over {protocol} to serve-web ({upstream}); outcomes {dict(sorted(outcomes.items()))}"
    print(summary)
    assert not problems, f"{len(problems)} of {len(targets)} targets not refused over {protocol} ({upstream}): " + \
        problems[0].strip() + f"\n{summary}\n" + "\n".join(problems) + \
        ("\nmarker saw:\n  " + "\n  ".join(marker.describe()) if marker.count() else "")


@pytest.mark.parametrize("upstream", ["https-upstream", "http-upstream"])
@pytest.mark.parametrize("protocol", ["h1", "h2"])
def test_ordinary_api_calls_still_pass_the_proxy(proxies, protocol, upstream):
    marker, setups = proxies
    setup = setups[upstream]
    web, token = setup["web"], setup["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    json_bearer = {**bearer, "Content-Type": "application/json"}
    title = f"through the proxy over {protocol}"
    calls = [
        ("GET", "/api/health", {}, b"", 200),
        ("GET", "/api/tasks", {}, b"", 401),
        ("GET", "/api/tasks", bearer, b"", 200),
        ("POST", "/api/tasks", json_bearer, json.dumps({"title": title}).encode(), 201),
        ("GET", "/api/tasks?status=pending&limit=50", bearer, b"", 200),
        ("GET", "/api/auth/get-session", bearer, b"", 200),
    ]
    problems = []
    before = marker.count()
    for method, target, headers, body, expected in calls:
        if protocol == "h1":
            reply = harness.h1(web.port, method, target, headers, body, timeout=15)
            status, content = reply.status, reply.body
        else:
            reply = harness.h2_request(web.port, method, target, list(headers.items()), body, timeout=15)
            status, content = (reply.status if reply.ended else None), reply.body
        if status != expected:
            problems.append(f"{method} {target}: {reply.outcome}, expected {expected}: {content[:200]!r}")
        elif target == "/api/health":
            if json.loads(content).get("role") != "web":
                problems.append(f"/api/health is not serve-web's own: {content[:200]!r}")
        elif target.startswith("/api/tasks?"):
            if title not in content.decode(errors="replace"):
                problems.append(f"the task created through the proxy is not listed: {content[:300]!r}")
        elif target == "/api/auth/get-session" and b'"user"' not in content:
            problems.append(f"get-session through the proxy has no user: {content[:200]!r}")
    assert marker.count() == before, "an ordinary call reached the marker"
    assert not problems, "\n".join(problems)
