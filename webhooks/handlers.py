"""What happens to a verified event: the handlers apps register.

In an app's `apps.py` `ready()` (or any module it imports):

    from webhooks.handlers import handles

    @handles("slack", "app_mention")
    def reply_to_mention(event):          # event: webhooks.models.WebhookEvent
        payload = json.loads(event.body)
        ...

`"*"` as the event type catches every type of that provider. Handlers run in a Celery
task, outside any user's scope: one that touches scoped tables enters the right
`scoping.scopes.scope(...)` itself. Raising retries the event with backoff; it ends
`dead` after WEBHOOK_MAX_ATTEMPTS. Handlers must be idempotent: a retried event runs
every handler again.
"""

from collections import defaultdict
from collections.abc import Callable

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
