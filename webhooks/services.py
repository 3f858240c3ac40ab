"""Receiving, claiming, processing and sweeping webhook events."""

import logging
import random
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from webhooks import handlers
from webhooks.models import Status, WebhookEvent
from webhooks.verifiers.base import InboundEvent

logger = logging.getLogger(__name__)


def events_store(*, provider: str, events: list[InboundEvent], headers: dict) -> list:
    """Store each new event and queue it once the transaction commits.

    A redelivery (same provider and event id) stores nothing and queues nothing.
    """
    stored = []
    for inbound in events:
        try:
            with transaction.atomic():
                event = WebhookEvent.objects.create(
                    provider=provider,
                    event_id=inbound.event_id[:255],
                    event_type=inbound.event_type[:255],
                    headers=headers,
                    body=inbound.body,
                )
        except IntegrityError:
            continue  # already have it
        stored.append(event)
        transaction.on_commit(lambda pk=event.pk: event_enqueue(pk), robust=True)
    return stored


def event_enqueue(event_id: int, *, countdown: float | None = None) -> bool:
    """Hand the event to Celery; False if the broker is down (the sweeper retries)."""
    from webhooks.tasks import process_webhook_event

    try:
        process_webhook_event.apply_async(
            args=[event_id],
            countdown=countdown,
            queue=settings.WEBHOOK_QUEUE,
            retry=False,
        )
    except Exception as error:  # the broker is down; the row waits for the sweeper
        logger.warning(
            "webhook event %s not queued (%s); the sweeper will", event_id,
            type(error).__name__,
        )  # fmt: skip
        return False
    return True


def event_claim(event_id: int) -> WebhookEvent | None:
    """Take the event for processing, atomically: a second worker gets None."""
    now = timezone.now()
    lease = now + timedelta(seconds=settings.WEBHOOK_PROCESSING_LEASE_SECONDS)
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
    """Run the event's handlers; return the delay before a retry, or None when done."""
    try:
        for handler in handlers.handlers_for(event.provider, event.event_type):
            handler(event)
    except Exception as error:
        return _failed(event, error)
    WebhookEvent.objects.filter(pk=event.pk).update(
        status=Status.PROCESSED, processed_at=timezone.now(), next_attempt_at=None,
        last_error="",
    )  # fmt: skip
    return None


def _failed(event: WebhookEvent, error: Exception) -> float | None:
    message = f"{type(error).__name__}: {error}"[:2000]
    logger.warning("webhook event %s failed (attempt %s): %s", event.pk,
                   event.attempts, type(error).__name__)  # fmt: skip
    if event.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
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
    base = settings.WEBHOOK_RETRY_BASE_SECONDS * (2 ** (attempts - 1))
    return random.uniform(0, min(base, settings.WEBHOOK_RETRY_MAX_SECONDS))  # noqa: S311


def events_sweep() -> int:
    """Queue again every event stuck past its deadline; return how many.

    Received but never picked up (the broker was down), processing past its lease (the
    worker died), failed past its retry time (the retry message was lost).
    """
    now = timezone.now()
    received_deadline = now - timedelta(seconds=settings.WEBHOOK_SWEEP_AFTER_SECONDS)
    # For a received event, next_attempt_at is when the sweeper may queue it again.
    not_requeued = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    stuck = WebhookEvent.objects.filter(
        Q(not_requeued, status=Status.RECEIVED, received_at__lte=received_deadline)
        | Q(status=Status.PROCESSING, next_attempt_at__lte=now)
        | Q(status=Status.FAILED, next_attempt_at__lte=now)
    )
    # A worker that died mid-task left its claim; hand the event back.
    stuck.filter(status=Status.PROCESSING).update(status=Status.FAILED)
    count = 0
    again_after = now + timedelta(seconds=settings.WEBHOOK_SWEEP_AFTER_SECONDS)
    for event_id in list(stuck.values_list("pk", flat=True)[:1000]):
        if event_enqueue(event_id):
            count += 1
            WebhookEvent.objects.filter(pk=event_id, status=Status.RECEIVED).update(
                next_attempt_at=again_after
            )
    return count


def event_reprocess(event: WebhookEvent) -> bool:
    """Queue an event again whatever its state (admin action)."""
    WebhookEvent.objects.filter(pk=event.pk).update(
        status=Status.RECEIVED, next_attempt_at=None, attempts=0
    )
    return event_enqueue(event.pk)


def unverified_event(verifier, body: bytes) -> InboundEvent:
    """An event from a provider with no secret, accepted in local development only."""
    return InboundEvent(f"unverified:{verifier.body_hash(body)}", "unverified", body)
