"""Issue #20: /api/events against a hostile client. One user opening 20 event streams on one HTTP/2 connection
gets at most 8 held open per replica (the oldest are ended by the server, so streams cannot pile up), the open ones
still deliver, a stream needs a session, and a junk Last-Event-ID is a 422, never a crash."""

import time

import harness


def test_one_user_cannot_pile_up_event_streams(launch):
    api = launch.start("serve-api")
    token, _ = harness.sign_up(api.url)
    auth = {"authorization": f"Bearer {token}", "accept": "text/event-stream"}
    session = harness.H2Session(api.port, timeout=30)
    try:
        streams = []
        for _ in range(20):
            streams.append(session.send("GET", "/api/events", auth))
            time.sleep(0.02)
        # Wait for the evictions; the streams still open are marked "timeout" by the wait, not by the server.
        session.wait(streams, timeout=4)
        ended = [s for s in streams if session.replies[s].ended]
        held = [s for s in streams if not session.replies[s].ended]
        assert len(ended) == 12 and len(held) == 8, f"{len(ended)} ended by the server, {len(held)} held open"
        assert all(session.replies[s].status == 200 for s in streams)
        for stream in held:
            session.replies[stream].reset = None  # the wait's own mark: these are open

        status, _ = harness.request("POST", api.url + "/api/tasks", {"title": "seen by every open stream"}, token=token, timeout=10)
        assert status == 201
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not all(b"seen by every open stream" in session.replies[s].body for s in held):
            # `wait` marks a stream still open at its timeout as "timeout" and then returns at once for it: clear the
            # mark, or every later wait would return without reading and only the first half second would count.
            session.replies[held[0]].reset = None
            session.wait(held[:1], timeout=0.5)
        missing = [s for s in held if b"seen by every open stream" not in session.replies[s].body]
        assert not missing, f"{len(missing)} open streams did not get the change"
    finally:
        session.close()

    unauthenticated = harness.h1(api.port, "GET", "/api/events", {"accept": "text/event-stream"})
    assert unauthenticated.status == 401
    junk = harness.h1(api.port, "GET", "/api/events", {"authorization": f"Bearer {token}", "last-event-id": "-1; drop table events"})
    assert junk.status == 422
    harness.assert_alive(api)
