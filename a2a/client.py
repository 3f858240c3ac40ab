"""A small A2A client: call another app's agent on behalf of a person.

    client = A2AClient("https://other.example.com/a2a/", as_user="ada@example.com")
    task = client.send_message("create-note", {"title": "From Acme"})
    client.get_task(task["id"])

Each call signs a fresh HS256 token with A2A_SECRET (shared with the other app):
iss = APP_URL, sub = the person, aud = the other app's A2A URL, 2 minutes, a new jti.
"""

import uuid

import requests

from a2a import tokens


class A2AError(Exception):
    def __init__(self, code: int, message: str, data=None):
        super().__init__(f"{code}: {message}")
        self.code, self.message, self.data = code, message, data

    @property
    def fields(self) -> dict[str, list[str]]:
        """The field violations of the error's google.rpc.BadRequest, by field."""
        fields: dict[str, list[str]] = {}
        for detail in self.data if isinstance(self.data, list) else []:
            if isinstance(detail, dict) and detail.get("@type", "").endswith(
                "google.rpc.BadRequest"
            ):
                for violation in detail.get("fieldViolations", []):
                    fields.setdefault(violation["field"], []).append(
                        violation["description"]
                    )
        return fields


class A2AClient:
    def __init__(self, url: str, *, as_user: str, org_id=None, timeout: float = 30):
        self.url = url
        self.as_user = as_user
        self.org_id = org_id
        self.timeout = timeout

    def send_message(self, action: str, arguments: dict, *, wait: bool = True) -> dict:
        """Run `action` there; return the A2A task (its artifact holds the result)."""
        message = {
            "messageId": uuid.uuid4().hex,
            "role": "ROLE_USER",
            "parts": [{"data": {"action": action, "arguments": arguments}}],
        }
        params = {"message": message, "configuration": {"returnImmediately": not wait}}
        return self._call("SendMessage", params)["task"]

    def get_task(self, task_id: str) -> dict:
        return self._call("GetTask", {"id": task_id})

    def list_tasks(self, **params) -> dict:
        return self._call("ListTasks", params)

    def cancel_task(self, task_id: str) -> dict:
        return self._call("CancelTask", {"id": task_id})

    def _call(self, method: str, params: dict):
        token = tokens.sign(sub=self.as_user, aud=self.url, org_id=self.org_id)
        response = requests.post(
            self.url,
            json={
                "jsonrpc": "2.0",
                "id": uuid.uuid4().hex,
                "method": method,
                "params": params,
            },
            headers={"Authorization": f"Bearer {token}", "A2A-Version": "1.0"},
            timeout=self.timeout,
        )
        body = response.json()
        if "error" in body:
            error = body["error"]
            raise A2AError(error.get("code"), error.get("message"), error.get("data"))
        return body["result"]


def result_of(task: dict):
    """The action's JSON result in a completed task's artifact."""
    for artifact in task.get("artifacts", []):
        for part in artifact.get("parts", []):
            if "data" in part:
                return part["data"]
    return None
