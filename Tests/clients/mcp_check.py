"""Independent check of our MCP server with the official MCP Python SDK (major version 1 or 2).

Usage: mcp_check.py http|stdio

Environment: API_BASE (serve-api URL), TOKEN_A / TOKEN_B (bearer session tokens of two users),
MCP_COMMAND (JSON list: the command line of `todo-chatbot mcp --user <user A>`) for stdio.
It connects, lists the tools (checking their schemas), calls every tool, checks each result in the
database through the REST API, checks tool errors, and (over HTTP) that user B cannot see or change
user A's tasks. Any failed check exits non-zero.
"""

import asyncio
import json
import os
import sys
import urllib.error
import urllib.request
import uuid
from importlib.metadata import version

MAJOR = int(version("mcp").split(".")[0])
API = os.environ["API_BASE"]
SUPPORTED_VERSIONS = {"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"}


def check(condition, what):
    if not condition:
        raise AssertionError(what)
    print(f"  ok  {what}")


def rest(method, path, token, body=None):
    """Calls the REST API; returns (status, parsed JSON or None)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(API + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None


def field(obj, snake, camel):
    """Version 2 of the SDK names fields in snake_case, version 1 in camelCase."""
    return getattr(obj, snake) if hasattr(obj, snake) else getattr(obj, camel)


class Session:
    """The few client calls the check needs, over either major version of the SDK."""

    def __init__(self, handle):
        self.handle = handle

    async def list_tools(self):
        return (await self.handle.list_tools()).tools

    async def call(self, name, arguments):
        result = await self.handle.call_tool(name, arguments)
        text = result.content[0].text
        return field(result, "is_error", "isError"), text, field(result, "structured_content", "structuredContent")

    async def call_raw(self, name, arguments):
        return await self.handle.call_tool(name, arguments)


def connect(mode, token):
    """An async context manager yielding (Session, negotiated protocol version)."""
    from contextlib import asynccontextmanager

    headers = {"Authorization": f"Bearer {token}"}
    if MAJOR == 1:
        from mcp import ClientSession, StdioServerParameters
        from mcp.client.stdio import stdio_client
        from mcp.client.streamable_http import streamablehttp_client

        @asynccontextmanager
        async def v1():
            if mode == "http":
                transport = streamablehttp_client(API + "/mcp", headers=headers)
            else:
                command = json.loads(os.environ["MCP_COMMAND"])
                transport = stdio_client(StdioServerParameters(command=command[0], args=command[1:], env=dict(os.environ)))
            async with transport as streams:
                async with ClientSession(streams[0], streams[1]) as session:
                    initialized = await session.initialize()
                    yield Session(session), initialized.protocolVersion, initialized.serverInfo.name

        return v1()

    import httpx2
    from mcp import Client, StdioServerParameters
    from mcp.client.streamable_http import streamable_http_client

    @asynccontextmanager
    async def v2():
        if mode == "http":
            server = streamable_http_client(API + "/mcp", http_client=httpx2.AsyncClient(headers=headers))
        else:
            command = json.loads(os.environ["MCP_COMMAND"])
            server = StdioServerParameters(command=command[0], args=command[1:], env=dict(os.environ))
        async with Client(server) as client:
            yield Session(client), client.protocol_version, client.server_info.name if client.server_info else None

    return v2()


async def check_tools(session):
    tools = {tool.name: tool for tool in await session.list_tools()}
    check(set(tools) == {"add_task", "list_tasks", "complete_task", "delete_task", "update_task", "restore_task"},
          "the five tools and restore_task are listed")
    for name, tool in tools.items():
        schema = field(tool, "input_schema", "inputSchema")
        check(schema.get("type") == "object" and "properties" in schema, f"{name} has an object input schema")
        check(len(tool.description or "") > 20, f"{name} has a description for a model")
    schema = lambda name: field(tools[name], "input_schema", "inputSchema")
    check(schema("add_task")["required"] == ["title"], "add_task requires title")
    check(schema("add_task")["properties"]["priority"]["enum"] == ["low", "medium", "high"], "add_task's priority is an enum")
    check(schema("complete_task")["required"] == ["task_id"], "complete_task requires task_id")
    check(schema("update_task")["properties"]["task_id"]["type"] == "integer", "update_task's task_id is an integer")
    check("required" not in schema("list_tasks"), "list_tasks needs no argument")
    hints = lambda name: tools[name].annotations
    check(field(hints("list_tasks"), "read_only_hint", "readOnlyHint") is True, "list_tasks is marked read-only")
    check(field(hints("delete_task"), "destructive_hint", "destructiveHint") is True, "delete_task is marked destructive")


async def check_calls(session, token, label):
    tag = "t" + uuid.uuid4().hex[:8]
    failed, text, structured = await session.call(
        "add_task", {"title": f"Buy milk {label}", "priority": "high", "tags": [tag], "due_at": "2026-12-01T09:00:00Z",
                     "user_id": "someone-else"})
    added = json.loads(text)
    check(not failed and added["status"] == "created" and isinstance(added["task_id"], int), f"add_task created task {added.get('task_id')}")
    check(structured == added, "add_task's structured content matches its text")
    task_id = added["task_id"]
    status, stored = rest("GET", f"/api/tasks/{task_id}", token)
    check(status == 200 and stored["title"] == f"Buy milk {label}" and stored["priority"] == "high" and stored["tags"] == [tag],
          "the REST API shows the new task under the authenticated user (user_id argument ignored)")

    failed, text, _ = await session.call("list_tasks", {"tag": tag, "status": "pending"})
    listed = json.loads(text)
    check(not failed and [task["id"] for task in listed] == [task_id], "list_tasks finds it by tag")
    check(listed[0]["completed"] is False and listed[0]["due_at"] == "2026-12-01T09:00:00.000Z", "list_tasks shows its fields")

    failed, text, _ = await session.call("update_task", {"task_id": task_id, "title": f"Buy oat milk {label}"})
    check(not failed and json.loads(text) == {"task_id": task_id, "status": "updated", "title": f"Buy oat milk {label}"}, "update_task")
    failed, text, _ = await session.call("complete_task", {"task_id": task_id})
    check(not failed and json.loads(text)["status"] == "completed", "complete_task")
    status, stored = rest("GET", f"/api/tasks/{task_id}", token)
    check(status == 200 and stored["completed"] is True and stored["title"] == f"Buy oat milk {label}",
          "the REST API shows the update and the completion")

    failed, text, _ = await session.call("add_task", {"title": f"Old task {label}"})
    doomed = json.loads(text)["task_id"]
    failed, text, _ = await session.call("delete_task", {"task_id": doomed})
    check(failed and "needs the user's confirmation" in text and f"Old task {label}" in text and '"confirm": true' in text,
          "delete_task without confirm says what to confirm and deletes nothing")
    check(rest("GET", f"/api/tasks/{doomed}", token)[0] == 200, "the task is still there")
    failed, text, _ = await session.call("delete_task", {"task_id": doomed, "confirm": True})
    check(not failed and json.loads(text) == {"task_id": doomed, "status": "deleted", "title": f"Old task {label}"}, "delete_task")
    check(rest("GET", f"/api/tasks/{doomed}", token)[0] == 404, "the REST API no longer has the deleted task")
    failed, text, _ = await session.call("restore_task", {"task_id": doomed})
    check(not failed and json.loads(text)["status"] == "restored", "restore_task brings it back")
    check(rest("GET", f"/api/tasks/{doomed}", token)[0] == 200, "the REST API shows the restored task with its id")

    failed, text, _ = await session.call("complete_task", {"task_id": 2_000_000_000})
    check(failed and "No task 2000000000" in text and "list_tasks" in text, "an unknown id is a tool error a model can act on")
    failed, text, _ = await session.call("add_task", {"priority": "high"})
    check(failed and "title" in text, "a missing argument is a tool error")
    failed, text, _ = await session.call("add_task", {"title": "x", "priority": "urgent"})
    check(failed and "priority" in text, "an invalid value is a tool error")
    try:
        result = await session.call_raw("no_such_tool", {})
        check(field(result, "is_error", "isError"), "an unknown tool is refused")
    except Exception as error:  # the SDKs raise McpError/MCPError for a JSON-RPC error
        check("no_such_tool" in str(error) or "Unknown tool" in str(error), f"an unknown tool is a protocol error ({type(error).__name__})")
    return task_id


async def main(mode):
    print(f"mcp {version('mcp')} over {mode}")
    token_a = os.environ["TOKEN_A"]
    async with connect(mode, token_a) as (session, protocol, name):
        check(protocol in SUPPORTED_VERSIONS, f"negotiated protocol version {protocol}")
        check(name == "todo-chatbot", "server name is todo-chatbot")
        await check_tools(session)
        task_a = await check_calls(session, token_a, f"v{MAJOR}-{mode}")
    if mode == "http":
        token_b = os.environ["TOKEN_B"]
        async with connect(mode, token_b) as (session_b, _, _):
            failed, text, _ = await session_b.call("list_tasks", {"status": "all", "limit": 200})
            check(not failed and task_a not in [task["id"] for task in json.loads(text)], "user B does not see user A's tasks")
            for tool, arguments in [("complete_task", {"task_id": task_a}), ("delete_task", {"task_id": task_a, "confirm": True}),
                                    ("restore_task", {"task_id": task_a}),
                                    ("update_task", {"task_id": task_a, "title": "stolen"})]:
                failed, text, _ = await session_b.call(tool, arguments)
                check(failed and (f"No task {task_a}" in text or f"No deleted task {task_a}" in text), f"user B cannot {tool} user A's task")
        status, stored = rest("GET", f"/api/tasks/{task_a}", token_a)
        check(status == 200 and stored["title"].startswith("Buy oat milk"), "user A's task is unchanged")
    print(f"mcp {version('mcp')} over {mode}: all checks passed")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
