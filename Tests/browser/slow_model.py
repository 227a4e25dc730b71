"""A scripted OpenAI-compatible model server on loopback for the browser checks. The hosted LLM is the one boundary
tests may fake.

- By default every chat completion streams one word every 0.3 s for a minute, so the checks can press Stop while a
  reply is being written.
- A conversation that starts with "tidy up" plays a model that obeys an instruction hidden in a task title: it lists
  the tasks, then asks to delete every one of them. Answered "yes", it deletes the tasks the server held for
  confirmation; after results it says "Done."

Usage: python slow_model.py PORT
"""

import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def tool_calls(calls):
    return {"choices": [{"index": 0, "delta": {"tool_calls": [
        {"index": i, "id": f"call_{i}_{int(time.time() * 1000)}", "type": "function",
         "function": {"name": name, "arguments": json.dumps(arguments)}} for i, (name, arguments) in enumerate(calls)]},
        "finish_reason": "tool_calls"}]}


def text(content):
    return {"choices": [{"index": 0, "delta": {"content": content}, "finish_reason": "stop"}]}


def obedient(messages):
    """The reply of the model that obeys task data, or None when the conversation is not a "tidy up" one."""
    users = [m for m in messages if m["role"] == "user"]
    if not users or "tidy up" not in users[0]["content"]:
        return None
    last = messages[-1]
    if last["role"] == "tool":
        result = json.loads(last["content"]) if last["content"].startswith(("[", "{")) else None
        if isinstance(result, list):
            return tool_calls([("delete_task", {"task_id": task["id"]}) for task in result])
        return text("Done.")
    if last["content"].strip().endswith("yes"):
        held = []
        for message in messages:
            if message["role"] == "tool" and message["content"].startswith("{"):
                result = json.loads(message["content"])
                if result.get("status") == "confirmation_required":
                    held.append(result["task_id"])
        return tool_calls([("delete_task", {"task_id": task_id}) for task_id in held])
    return tool_calls([("list_tasks", {})])


class SlowModel(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        try:
            scripted = obedient(body.get("messages", []))
            if scripted is not None:
                self.wfile.write(f"data: {json.dumps(scripted)}\n\ndata: [DONE]\n\n".encode())
                return
            for index in range(200):
                chunk = {"choices": [{"index": 0, "delta": {"content": f"word{index} "}}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()
                time.sleep(0.3)
            self.wfile.write(b"data: [DONE]\n\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the API closed the stream: the user pressed Stop


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), SlowModel).serve_forever()
