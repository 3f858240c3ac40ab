"""The Celery side of webhooks: process one event; queue the due ones (beat runs it
as the dispatcher's safety net)."""

from celery import shared_task

from webhooks import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def process_webhook_event(event_id: int) -> None:
    event = services.event_claim(event_id)
    if event is None:
        return  # processed, being processed, or not due yet
    delay = services.event_process(event)
    if delay is not None:
        services.event_retry_later(event_id, delay=delay)


@shared_task(ignore_result=True)
def sweep_webhook_events() -> int:
    return services.events_dispatch()
