"""What happens to a verified event: the handlers apps register.

In an app's `apps.py` `ready()` (or any module it imports):

    from webhooks.handlers import handles

    @handles("slack", "app_mention")
    def reply_to_mention(event):          # event: webhooks.models.WebhookEvent
        payload = event_payload(event)    # a dict, or UnexpectedPayload
        ...

`"*"` as the event type catches every type of that provider. Handlers run in a Celery
task, outside any user's scope: one that touches scoped tables enters the right
`scoping.scopes.scope(...)` itself. Raising retries the event with backoff; it ends
`dead` after WEBHOOK_MAX_ATTEMPTS. Raising `UnexpectedPayload` ends it `dead` at once:
the body is stored as the provider signed it, whatever its shape, and no retry can
change it. Handlers must be idempotent: a retried event runs every handler again.
"""

from collections import defaultdict
from collections.abc import Callable

from config.jsonbody import JsonBodyError, loads_bounded


class UnexpectedPayload(Exception):
    """The event's body is not what the handler acts on: the event ends `dead` at
    once, with this message as its last error, and is never retried."""


def event_payload(event) -> dict:
    """The event's body as a JSON object, or UnexpectedPayload saying why not."""
    try:
        payload = loads_bounded(bytes(event.body))
    except JsonBodyError as error:
        raise UnexpectedPayload(f"the body is not JSON: {error}") from None
    if not isinstance(payload, dict):
        kind = _JSON_KINDS.get(type(payload), "value")
        raise UnexpectedPayload(f"the body is a JSON {kind}, not an object")
    return payload


_JSON_KINDS = {
    list: "array",
    str: "string",
    int: "number",
    float: "number",
    bool: "boolean",
    type(None): "null",
}

_handlers: dict[tuple[str, str], list[Callable]] = defaultdict(list)


def handles(provider: str, event_type: str = "*"):
    def register(handler: Callable) -> Callable:
        if handler not in _handlers[(provider, event_type)]:
            _handlers[(provider, event_type)].append(handler)
        return handler

    return register


def handlers_for(provider: str, event_type: str) -> list[Callable]:
    return [*_handlers[(provider, event_type)], *_handlers[(provider, "*")]]


def unregister(handler: Callable) -> None:
    for registered in _handlers.values():
        if handler in registered:
            registered.remove(handler)
