"""SIGTERM during a write load and with chat streams open: nothing the server accepted fails, open streams end with
their answer, the process exits 0 within the drain limit, and every task it confirmed is stored.

Usage: BIN=… python drill_sigterm.py
"""

import json
import signal
import threading
import time

from support import Server, open_chat_stream, read_until, request, sign_up, start_model


def main():
    model_url, model = start_model(hold=1.5)
    server = Server(env={"OPENAI_BASE_URL": model_url, "OPENAI_API_KEY": "drill", "SHUTDOWN_TIMEOUT": "10s"})
    token = sign_up(server.url)
    created, answered_badly, refused = [], [], [0]
    lock = threading.Lock()
    stop = threading.Event()

    def writer(index):
        count = 0
        while not stop.is_set():
            count += 1
            try:
                status, body = request("POST", server.url + "/api/tasks", {"title": f"w{index}-{count}"}, token, timeout=15)
            except OSError:
                # Refused or reset before the server took the request: expected once it stops accepting.
                with lock:
                    refused[0] += 1
                time.sleep(0.01)
                if server.process.poll() is not None:
                    return
                continue
            with lock:
                if status == 201:
                    created.append(json.loads(body)["id"])
                else:
                    answered_badly.append((status, body[:200]))

    streams = [open_chat_stream(server.port, token, f"hold and add {i}") for i in range(8)]
    for connection in streams:
        read_until(connection, "event: conversation")
    writers = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for thread in writers:
        thread.start()
    time.sleep(0.5)
    start = time.perf_counter()
    server.process.send_signal(signal.SIGTERM)
    outcomes = [read_until(connection, "event: done", timeout=15) for connection in streams]
    code = server.process.wait(timeout=15)
    elapsed = time.perf_counter() - start
    stop.set()
    for thread in writers:
        thread.join()
    model.shutdown()

    assert code == 0, f"exit code {code}\n{server.tail()}"
    assert elapsed < 10, f"took {elapsed:.1f} s to stop"
    assert all("event: done" in outcome for outcome in outcomes), f"a chat stream was cut: {outcomes}"
    assert not answered_badly, f"accepted requests failed: {answered_badly[:5]}"
    print(f"  ok  exit 0 in {elapsed:.2f} s; {len(streams)} open chat streams ended with their answer")
    print(f"  ok  {len(created)} task creations confirmed during the load, none failed ({refused[0]} refused after the listener closed)")

    again = Server(cwd=server.dir, env={"DATABASE_URL": f"sqlite:{server.dir}/todo.sqlite"})
    try:
        missing = [task for task in created if request("GET", f"{again.url}/api/tasks/{task}", token=token)[0] != 200]
        assert not missing, f"confirmed tasks are missing: {missing[:10]}"
        print(f"  ok  after a restart all {len(created)} confirmed tasks are stored")
    finally:
        again.stop()
    print("sigterm drill passed")


if __name__ == "__main__":
    main()
