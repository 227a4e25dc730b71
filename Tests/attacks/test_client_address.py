"""Issue #14, item 7: a client that sends a different X-Forwarded-For on every wrong-password sign-in, each for a
different email (so only the per-address limit can stop it), is still limited: with AUTH_RATE_LIMIT_PER_MINUTE=5
the sixth attempt and every later one get 429. The attacker connects from its own loopback address (bound on the
client socket); it tries serve-api directly (TRUSTED_PROXIES=127.0.0.1/32), through serve-web, and `serve`, over
HTTP/1.1 and HTTP/2 in turn. An honest client from another address is not limited (the limit is per address)."""

import json
import random

import harness

LIMIT = 5
ATTEMPTS = 9


def spoofed_forwarded_for():
    """A header value only: nothing is ever sent to these addresses."""
    n = lambda: random.randint(1, 254)  # noqa: E731
    return random.choice([
        f"203.0.113.{n()}",
        f"198.51.100.{n()}, 192.0.2.{n()}",
        f"10.{n()}.{n()}.{n()}",
        "127.0.0.1",
        f"127.0.0.1, 203.0.113.{n()}",
        f"2001:db8::{n():x}",
        "::1",
        f"unknown, 192.0.2.{n()}",
        f"{harness.random_loopback()}",
    ])


def sign_in(port, source, index, forwarded_for=None):
    body = json.dumps({"email": harness.unique_email("spoof"), "password": "not the password"}).encode()
    headers = {"Content-Type": "application/json"}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    if index % 2 == 0:
        return harness.h1(port, "POST", "/api/auth/sign-in/email", headers, body, source=source, timeout=20).outcome
    reply = harness.h2_request(port, "POST", "/api/auth/sign-in/email", list(headers.items()), body, source=source,
                               timeout=20)
    return reply.outcome


def check(port):
    attacker, honest = harness.random_loopback(), harness.random_loopback()
    outcomes = [sign_in(port, attacker, index, spoofed_forwarded_for()) for index in range(ATTEMPTS)]
    problems = []
    if any(outcome not in ("401", "429") for outcome in outcomes[:LIMIT]):
        problems.append(f"unexpected answers among the first {LIMIT}: {outcomes}")
    if any(outcome != "429" for outcome in outcomes[LIMIT:]):
        problems.append(f"attempts after the {LIMIT}th were not all 429 ({attacker} with a new X-Forwarded-For "
                        f"each time): {outcomes}")
    control = sign_in(port, honest, 0)
    if control != "401":
        problems.append(f"control: an honest client from {honest} got {control}, expected 401 (not limited)")
    return problems


def test_spoofed_forwarded_for_directly_at_serve_api(launch):
    api = launch.start("serve-api", env={"TRUSTED_PROXIES": "127.0.0.1/32", "AUTH_RATE_LIMIT_PER_MINUTE": str(LIMIT)})
    problems = check(api.port)
    assert not problems, "\n".join(problems)


def test_spoofed_forwarded_for_through_serve_web(launch):
    trusted = {"TRUSTED_PROXIES": "127.0.0.1/32"}
    api = launch.start("serve-api", tls=False, env={**trusted, "AUTH_RATE_LIMIT_PER_MINUTE": str(LIMIT)})
    web = launch.start("serve-web", env={**trusted, "API_URL": api.url})
    problems = check(web.port)
    assert not problems, "\n".join(problems)


def test_spoofed_forwarded_for_at_serve(launch):
    """`serve` is one process with no proxy of ours in front: it never believes the header, not even from a peer in
    the default TRUSTED_PROXIES (127.0.0.0/8, where the attacker is)."""
    both = launch.start("serve", env={"AUTH_RATE_LIMIT_PER_MINUTE": str(LIMIT)})
    problems = check(both.port)
    assert not problems, "\n".join(problems)
