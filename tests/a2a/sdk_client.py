"""Runs the official a2a-sdk client against a live server; prints what it got as JSON.

Run with `python -I` from outside the project: the SDK's package is also named `a2a`,
so the project must not be on sys.path. Usage: sdk_client.py <base url> <sub>, with
A2A_SECRET in the environment. Every request gets a fresh token (each `jti` is
accepted once), as a real caller's HTTP client would do.
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
from a2a.types.a2a_pb2 import GetTaskRequest, Message, Part, SendMessageRequest


def fresh_token(audience: str, sub: str) -> str:
    now = int(time.time())
    claims = {"iss": "https://sdk-caller.example.com", "sub": sub, "aud": audience,
              "iat": now, "exp": now + 120, "jti": uuid.uuid4().hex}  # fmt: skip
    return jwt.encode(claims, os.environ["A2A_SECRET"], algorithm="HS256")


async def main(base_url: str, sub: str) -> dict:
    audience = f"{base_url}/a2a/"

    async def sign(request: httpx.Request) -> None:
        request.headers["Authorization"] = f"Bearer {fresh_token(audience, sub)}"

    http = httpx.AsyncClient(event_hooks={"request": [sign]}, timeout=30)
    client = await create_client(
        base_url, client_config=ClientConfig(httpx_client=http, streaming=False)
    )
    data = struct_pb2.Value()
    json_format.ParseDict(
        {"action": "create-note", "arguments": {"title": "from the a2a-sdk"}}, data
    )
    message = Message(message_id=uuid.uuid4().hex, role="ROLE_USER",
                      parts=[Part(data=data)])  # fmt: skip
    events = []
    async for event in client.send_message(SendMessageRequest(message=message)):
        events.append(json_format.MessageToDict(event))
    task_id = events[-1]["task"]["id"]
    task = await client.get_task(GetTaskRequest(id=task_id))
    await http.aclose()
    return {"events": events, "task": json_format.MessageToDict(task)}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1], sys.argv[2]))))
