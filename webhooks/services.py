"""Receiving, claiming, processing and sweeping webhook events."""

import logging
import random
from contextlib import nullcontext
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from webhooks import handlers
from webhooks.app_settings import app_settings
from webhooks.models import Status, WebhookEvent
from webhooks.verifiers.base import InboundEvent

logger = logging.getLogger(__name__)


def events_store(*, provider: str, events: list[InboundEvent], headers: dict) -> list:
    """Store each new event; the dispatcher queues it (`events_dispatch`).

    Nothing is published while the provider waits for its answer: once the row is
    committed the event cannot be lost, and a broker that is slow or down costs the
    answer nothing. A redelivery (same provider and event id) stores nothing.
    """
    stored = []
    headers = {_storable(name): _storable(value) for name, value in headers.items()}
    for inbound in events:
        # One INSERT, committed on its own; inside a caller's transaction, a
        # savepoint keeps a duplicate's IntegrityError from spoiling it.
        guard = transaction.atomic() if connection.in_atomic_block else nullcontext()
        try:
            with guard:
                event = WebhookEvent.objects.create(
                    provider=provider,
                    event_id=_storable(inbound.event_id)[:255],
                    event_type=_storable(inbound.event_type)[:255],
                    headers=headers,
                    body=inbound.body,
                )
        except IntegrityError:
            continue  # already have it
        stored.append(event)
    return stored


def _storable(value: str) -> str:
    """`value` as every database stores it: without NUL, which PostgreSQL refuses in
    text and JSON, and with a lone surrogate (no UTF-8 has one) as "?"."""
    return value.replace("\x00", "").encode("utf-8", "replace").decode()


def event_enqueue(event_id: int, *, countdown: float | None = None) -> bool:
    """Hand the event to Celery; False if the broker is down (it is tried again)."""
    from webhooks.tasks import process_webhook_event

    try:
        process_webhook_event.apply_async(
            args=[event_id],
            countdown=countdown,
            queue=app_settings.QUEUE,
            retry=False,
        )
    except Exception as error:  # the broker is down; the row waits
        logger.warning(
            "webhook event %s not queued (%s); the dispatcher will try again",
            event_id,
            type(error).__name__,
        )
        return False
    return True


def event_claim(event_id: int) -> WebhookEvent | None:
    """Take the event for processing, atomically: a second worker gets None."""
    now = timezone.now()
    lease = now + timedelta(seconds=app_settings.PROCESSING_LEASE_SECONDS)
    # A received event is due at once; a failed one at its retry time.
    due = Q(status=Status.RECEIVED) | Q(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        status=Status.FAILED,
    )
    claimed = WebhookEvent.objects.filter(due, pk=event_id).update(
        status=Status.PROCESSING, attempts=F("attempts") + 1, next_attempt_at=lease
    )
    return WebhookEvent.objects.get(pk=event_id) if claimed else None


def event_process(event: WebhookEvent) -> float | None:
    """Run the event's handlers; return the delay before a retry, or None when done.

    A handler that finds the body unusable raises `UnexpectedPayload`: a retry would
    read the same body, so the event ends `dead` at once, the reason in last_error.
    """
    try:
        for handler in handlers.handlers_for(event.provider, event.event_type):
            handler(event)
    except handlers.UnexpectedPayload as error:
        return _failed(event, error, final=True)
    except Exception as error:
        return _failed(event, error)
    WebhookEvent.objects.filter(pk=event.pk).update(
        status=Status.PROCESSED,
        processed_at=timezone.now(),
        next_attempt_at=None,
        last_error="",
    )
    return None


def _failed(
    event: WebhookEvent, error: Exception, *, final: bool = False
) -> float | None:
    message = _storable(f"{type(error).__name__}: {error}")[:2000]
    logger.warning(
        "webhook event %s failed (attempt %s): %s",
        event.pk,
        event.attempts,
        type(error).__name__,
    )
    if final or event.attempts >= app_settings.MAX_ATTEMPTS:
        WebhookEvent.objects.filter(pk=event.pk).update(
            status=Status.DEAD, last_error=message, next_attempt_at=None
        )
        return None
    delay = retry_delay(event.attempts)
    WebhookEvent.objects.filter(pk=event.pk).update(
        status=Status.FAILED,
        last_error=message,
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
    )
    return delay


def retry_delay(attempts: int) -> float:
    """Exponential backoff with full jitter, capped."""
    base = app_settings.RETRY_BASE_SECONDS * (2 ** (attempts - 1))
    return random.uniform(0, min(base, app_settings.RETRY_MAX_SECONDS))  # noqa: S311


def events_dispatch(*, limit: int = 1000) -> int:
    """Queue every event that is due; return how many were queued.

    Due: received and not queued yet; processing past its lease (the worker died);
    failed past its retry time, with the retry's own message overdue (lost); and
    anything queued WEBHOOK_SWEEP_AFTER_SECONDS ago and still not taken (the message
    was lost). Each event is reserved by a conditional update first, so of several
    dispatchers one queues it; the task's claim keeps processing to once whatever
    happens. A broker that refuses ends the round; the event waits
    WEBHOOK_DISPATCH_RETRY_SECONDS.
    """
    now = timezone.now()
    # A worker that died mid-task left its claim; hand the event back. (Asked first:
    # an idle dispatcher writes nothing, which on SQLite would take the write lock.)
    lease_over = WebhookEvent.objects.filter(
        status=Status.PROCESSING, next_attempt_at__lte=now
    )
    if lease_over.exists():
        lease_over.update(status=Status.FAILED, queued_at=None)
    overdue = now - timedelta(seconds=app_settings.SWEEP_AFTER_SECONDS)
    due = (Q(queued_at__isnull=True) | Q(queued_at__lte=overdue)) & (
        Q(status=Status.RECEIVED) | Q(status=Status.FAILED, next_attempt_at__lte=now)
    )
    count = 0
    for event_id in list(
        WebhookEvent.objects.filter(due)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    ):
        if not WebhookEvent.objects.filter(due, pk=event_id).update(queued_at=now):
            continue  # another dispatcher has it
        if not event_enqueue(event_id):
            retry = timedelta(seconds=app_settings.DISPATCH_RETRY_SECONDS)
            WebhookEvent.objects.filter(pk=event_id).update(queued_at=overdue + retry)
            break
        count += 1
    return count


def event_retry_later(event_id: int, *, delay: float) -> None:
    """Queue the event's next attempt, due in `delay` seconds."""
    if event_enqueue(event_id, countdown=delay):
        WebhookEvent.objects.filter(pk=event_id).update(queued_at=timezone.now())


def event_reprocess(event: WebhookEvent) -> bool:
    """Queue an event again whatever its state (admin action)."""
    WebhookEvent.objects.filter(pk=event.pk).update(
        status=Status.RECEIVED,
        next_attempt_at=None,
        attempts=0,
        queued_at=timezone.now(),
    )
    return event_enqueue(event.pk)


def unverified_event(verifier, body: bytes) -> InboundEvent:
    """An event from a provider with no secret, accepted in local development only."""
    return InboundEvent(f"unverified:{verifier.body_hash(body)}", "unverified", body)
