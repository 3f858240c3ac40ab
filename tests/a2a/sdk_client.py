"""Runs the official a2a-sdk client against a live server; prints what it got as JSON.

Run with `python -I` from outside the project: the SDK's package is also named `a2a`,
so the project must not be on sys.path. Usage: sdk_client.py <base url> <sub>
[<scenario>], with A2A_SECRET in the environment. Every request gets a fresh token
(each `jti` is accepted once), as a real caller's HTTP client would do.

Scenarios: `run` (default) sends an action and reads its task back; `errors` sends
calls that fail and reports what the SDK raised or returned, and reads tasks with
`historyLength` and `includeArtifacts`.
"""

import asyncio
import json
import os
import sys
import time
import uuid

import httpx
import jwt
from google.protobuf import json_format, struct_pb2

from a2a.client import ClientConfig, create_client
from a2a.types.a2a_pb2 import (
    GetTaskRequest,
    ListTasksRequest,
    Message,
    Part,
    SendMessageRequest,
)
from a2a.utils.errors import A2AError


def fresh_token(audience: str, sub: str) -> str:
    now = int(time.time())
    claims = {
        "iss": "https://sdk-caller.example.com",
        "sub": sub,
        "aud": audience,
        "iat": now,
        "exp": now + 120,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, os.environ["A2A_SECRET"], algorithm="HS256")


def action_request(action: str, arguments: dict) -> SendMessageRequest:
    data = struct_pb2.Value()
    json_format.ParseDict({"action": action, "arguments": arguments}, data)
    message = Message(
        message_id=uuid.uuid4().hex, role="ROLE_USER", parts=[Part(data=data)]
    )
    return SendMessageRequest(message=message)


async def send(client, action: str, arguments: dict) -> dict:
    """The last event of the call, or what the SDK raised, as JSON."""
    events = []
    try:
        async for event in client.send_message(action_request(action, arguments)):
            events.append(json_format.MessageToDict(event))
    except A2AError as error:
        raised = type(error).__name__
        return {"raised": raised, "message": error.message, "data": error.data}
    return events[-1]


async def run(client) -> dict:
    event = await send(client, "create-memo", {"title": "from the a2a-sdk"})
    task = await client.get_task(GetTaskRequest(id=event["task"]["id"]))
    return {"events": [event], "task": json_format.MessageToDict(task)}


async def errors(client) -> dict:
    done = await send(client, "create-memo", {"title": "with history"})
    task_id = done["task"]["id"]
    no_history = await client.get_task(GetTaskRequest(id=task_id, history_length=0))
    listed = await client.list_tasks(ListTasksRequest(history_length=1))
    with_artifacts = await client.list_tasks(ListTasksRequest(include_artifacts=True))
    return {
        "invalid": await send(client, "create-memo", {"title": ""}),
        "failed": await send(client, "create-memo", {"title": "t", "folder": 999999}),
        "no_history": json_format.MessageToDict(no_history),
        "listed": json_format.MessageToDict(listed),
        "with_artifacts": json_format.MessageToDict(with_artifacts),
    }


async def main(base_url: str, sub: str, scenario: str) -> dict:
    audience = f"{base_url}/a2a/"

    async def sign(request: httpx.Request) -> None:
        request.headers["Authorization"] = f"Bearer {fresh_token(audience, sub)}"

    http = httpx.AsyncClient(event_hooks={"request": [sign]}, timeout=30)
    client = await create_client(
        base_url, client_config=ClientConfig(httpx_client=http, streaming=False)
    )
    try:
        return await {"run": run, "errors": errors}[scenario](client)
    finally:
        await http.aclose()


if __name__ == "__main__":
    scenario = sys.argv[3] if len(sys.argv) > 3 else "run"
    print(json.dumps(asyncio.run(main(sys.argv[1], sys.argv[2], scenario))))
