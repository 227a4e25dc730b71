"""Issue #14, item 5 (tokens): an HS256 JWT forged with the server's own BETTER_AUTH_SECRET for a real user is refused
by default, over HTTP/1.1 and HTTP/2; with ACCEPT_HS256_TOKENS=1 it is accepted only when iss and aud name
BETTER_AUTH_URL (and never unsigned, expired, signed with another secret or for an unknown user)."""

import time

import harness

ISSUER = "https://todo.example.test"


def claims(user, **changes):
    now = int(time.time())
    base = {"sub": user, "iat": now, "exp": now + 600, "iss": ISSUER, "aud": ISSUER}
    base.update(changes)
    return {key: value for key, value in base.items() if value is not None}


def status_with(role, token, protocol="h1", path="/api/tasks"):
    headers = {"Authorization": f"Bearer {token}"}
    if protocol == "h1":
        return harness.h1(role.port, "GET", path, headers).status
    reply = harness.h2_request(role.port, "GET", path, list(headers.items()))
    return reply.status if reply.ended else reply.outcome


def test_forged_hs256_token_refused_by_default(launch):
    api = launch.start("serve-api", env={"BETTER_AUTH_URL": ISSUER})
    session, user = harness.sign_up(api.url)
    assert status_with(api, session) == 200, "control: the session token works"
    forged = harness.jwt(claims(user), harness.SECRET)
    problems = []
    for protocol in ("h1", "h2"):
        for path in ("/api/tasks", "/api/conversations"):
            status = status_with(api, forged, protocol, path)
            if status != 401:
                problems.append(f"GET {path} over {protocol} with the forged HS256 token: {status}, expected 401")
    reply = harness.h1(api.port, "GET", "/api/auth/get-session", {"Authorization": f"Bearer {forged}"})
    if user.encode() in reply.body:
        problems.append(f"get-session with the forged token returned the user: {reply.body[:200]!r}")
    assert not problems, "\n".join(problems)


def test_hs256_opt_in_checks_issuer_and_audience(launch):
    api = launch.start("serve-api", env={"BETTER_AUTH_URL": ISSUER, "ACCEPT_HS256_TOKENS": "1"})
    _, user = harness.sign_up(api.url)
    cases = {
        "iss and aud match": (harness.jwt(claims(user), harness.SECRET), 200),
        "aud as a list": (harness.jwt(claims(user, aud=["other", ISSUER]), harness.SECRET), 200),
        "wrong iss": (harness.jwt(claims(user, iss="https://evil.example"), harness.SECRET), 401),
        "wrong aud": (harness.jwt(claims(user, aud="https://evil.example"), harness.SECRET), 401),
        "no iss": (harness.jwt(claims(user, iss=None), harness.SECRET), 401),
        "no aud": (harness.jwt(claims(user, aud=None), harness.SECRET), 401),
        "neither iss nor aud": (harness.jwt(claims(user, iss=None, aud=None), harness.SECRET), 401),
        "expired": (harness.jwt(claims(user, exp=int(time.time()) - 120), harness.SECRET), 401),
        "unsigned (alg none)": (harness.jwt(claims(user)), 401),
        "another secret": (harness.jwt(claims(user), harness.SECRET[::-1] + "x"), 401),
        "unknown user": (harness.jwt(claims("no-such-user-0123456789"), harness.SECRET), 401),
    }
    problems = []
    for name, (token, expected) in cases.items():
        status = status_with(api, token)
        if status != expected:
            problems.append(f"{name}: {status}, expected {expected}")
    assert not problems, "with ACCEPT_HS256_TOKENS=1: " + "; ".join(problems)
