"""Issue #14, item 4: a server role holds at most MAX_CONNECTIONS connections at once. Connections past the cap wait
in the kernel's accept queue (they are not served, and cost the process nothing); as the header deadline closes the
silent ones, the waiting client is served. The process stays alive throughout."""

import socket
import time

import harness

CAP = 20


def test_connections_past_the_cap_wait_and_are_served_once_slots_free(launch):
    api = launch.start("serve-api", env={"MAX_CONNECTIONS": str(CAP)}, tls=False)
    silent = []
    try:
        # Fill every slot with a client that never sends a byte (the header deadline, 2 s, will close them).
        for _ in range(CAP):
            silent.append(socket.create_connection(("127.0.0.1", api.port), timeout=10))
        time.sleep(0.3)
        started = time.monotonic()
        status, body = harness.request("GET", api.url + "/health", timeout=30)
        waited = time.monotonic() - started
        assert status == 200, body[:200]
        # Served only after the header deadline freed slots: the cap held, and it let go.
        assert waited >= 1.0, f"served after {waited:.2f} s with {CAP} connections open: the cap did not hold"
        assert waited < 15, f"served only after {waited:.2f} s: slots were not freed by the header deadline"
    finally:
        for sock in silent:
            sock.close()
    harness.assert_alive(api)
