"""Webhook deliveries, stored before they are answered, so none is ever lost."""

from django.db import models
from django.utils import timezone


class Status(models.TextChoices):
    RECEIVED = "received", "Received"
    PROCESSING = "processing", "Processing"
    PROCESSED = "processed", "Processed"
    FAILED = "failed", "Failed (will retry)"
    DEAD = "dead", "Dead (gave up)"


class WebhookEvent(models.Model):
    """One event from one provider; (provider, event_id) is unique, so a redelivery
    adds nothing."""

    provider = models.CharField(max_length=40)
    event_id = models.CharField(max_length=255)
    event_type = models.CharField(max_length=255, blank=True)
    # Headers useful for debugging; never Authorization or signatures' secrets.
    headers = models.JSONField(default=dict, blank=True)
    body = models.BinaryField()
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    # A failed event's retry time; a processing one's lease end.
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # When it was last handed to the broker (None: never, or taken back).
    queued_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.TextField(blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                "provider", "event_id", name="webhooks_event_once_per_provider"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="webhooks_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_type or 'event'} {self.event_id}"
