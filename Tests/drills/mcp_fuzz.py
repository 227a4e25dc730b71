"""Bad input at volume for the MCP endpoint: thousands of malformed or hostile JSON-RPC messages, with and
without a session. Every answer must be a 2xx or 4xx (never 5xx), and the server must keep answering.

Usage: API_BASE=http://127.0.0.1:8000 TOKEN=… python mcp_fuzz.py [COUNT]
"""

import json
import os
import random
import sys
import urllib.error
import urllib.request

API = os.environ["API_BASE"] + "/mcp"
TOKEN = os.environ["TOKEN"]
COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
rng = random.Random(int(os.environ.get("SEED", "7")))


def post(body, session=None, content_type="application/json", accept="application/json, text/event-stream"):
    request = urllib.request.Request(API, data=body, method="POST")
    request.add_header("Authorization", f"Bearer {TOKEN}")
    if content_type:
        request.add_header("Content-Type", content_type)
    if accept:
        request.add_header("Accept", accept)
    if session:
        request.add_header("MCP-Session-Id", session)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.headers.get("MCP-Session-Id"), response.read()
    except urllib.error.HTTPError as error:
        return error.code, None, error.read()


def junk_value(depth=0):
    choices = [None, True, False, 0, -1, 2**63, 1.5e308, "", "x" * rng.randint(0, 3000), "\u0000\ud7ff\ue000",
               "tools/call", {}, [], "<script>", "'; DROP TABLE tasks; --"]
    if depth < 3:
        choices += [[junk_value(depth + 1) for _ in range(rng.randint(0, 4))],
                    {rng.choice(["name", "arguments", "id", "x", ""]): junk_value(depth + 1) for _ in range(rng.randint(0, 4))}]
    return rng.choice(choices)


def message():
    kind = rng.randint(0, 9)
    if kind == 0:
        return bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 200)))
    if kind == 1:
        text = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
        return text[: rng.randint(0, len(text))].encode()
    if kind == 2:
        return json.dumps([{"jsonrpc": "2.0", "id": i, "method": "ping"} for i in range(rng.randint(0, 5))]).encode()
    body = {"jsonrpc": rng.choice(["2.0", "2.0", "1.0", None, 2]),
            "method": rng.choice(["initialize", "tools/call", "tools/list", "ping", "notifications/cancelled",
                                  "server/discover", "resources/list", "", junk_value()]),
            "params": junk_value()}
    if rng.random() < 0.8:
        body["id"] = rng.choice([1, "a", None, 1.5, [], {}, 2**70, "x" * 100])
    if kind == 3 and isinstance(body.get("params"), dict):
        body["method"] = "tools/call"
        body["params"] = {"name": rng.choice(["add_task", "update_task", "complete_task", "delete_task", "list_tasks", "nope"]),
                          "arguments": junk_value()}
    if rng.random() < 0.1:
        body.pop("jsonrpc", None)
    return json.dumps(body, allow_nan=True).encode(errors="surrogatepass") if rng.random() < 0.98 else b"{" * 10000


def main():
    status, session, _ = post(json.dumps({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "fuzz", "version": "1"}}}).encode())
    assert status == 200 and session, f"initialize: {status}"
    statuses = {}
    for index in range(COUNT):
        body = message()
        status, _, answer = post(body, session=rng.choice([session, session, None, "bogus"]),
                                 content_type=rng.choice(["application/json", "application/json", "text/plain", None]),
                                 accept=rng.choice(["application/json", "application/json, text/event-stream", "text/html", None]))
        statuses[status] = statuses.get(status, 0) + 1
        if status >= 500:
            print(f"FAILED: {status} for {body[:300]!r}: {answer[:300]!r}", file=sys.stderr)
            sys.exit(1)
    status, _, _ = post(json.dumps({"jsonrpc": "2.0", "id": 99, "method": "ping"}).encode(), session=session)
    assert status == 200, f"the server stopped answering: {status}"
    print(f"mcp fuzz: {COUNT} messages, statuses {dict(sorted(statuses.items()))}, no 5xx, still serving")


if __name__ == "__main__":
    main()
