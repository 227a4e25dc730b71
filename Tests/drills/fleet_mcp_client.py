"""One MCP session through the fleet's balancer with the official SDK (1.x or 2.x, whichever this venv has).

Environment: API_BASE (the balancer), TOKEN (a bearer token), CALLS (tool calls, default 24). With PAUSE_FILE and
RESUME_FILE set, after half the calls it creates PAUSE_FILE and waits for RESUME_FILE (the drill kills a replica
meanwhile), then goes on in the same session. Prints the ids of the tasks it added as JSON; any failure exits
non-zero.
"""

import asyncio
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "clients"))
import mcp_check  # noqa: E402  (reads API_BASE)


async def main():
    calls = int(os.environ.get("CALLS", "24"))
    pause, resume = os.environ.get("PAUSE_FILE"), os.environ.get("RESUME_FILE")
    added = []
    async with mcp_check.connect("http", os.environ["TOKEN"]) as (session, _version, _name):
        for index in range(calls):
            if pause and index == calls // 2:
                open(pause, "w").close()
                while not os.path.exists(resume):
                    await asyncio.sleep(0.05)
            failed, text, _ = await session.call("add_task", {"title": f"fleet call {index}"})
            if failed:
                raise SystemExit(f"call {index} failed: {text}")
            added.append(json.loads(text)["task_id"])
        failed, text, _ = await session.call("list_tasks", {"status": "all"})
        listed = {task["id"] for task in json.loads(text)} if not failed else set()
        missing = set(added) - listed
        if failed or missing:
            raise SystemExit(f"list_tasks in the same session misses {sorted(missing)}: {text[:300]}")
    print(json.dumps(added))


asyncio.run(main())
