"""The accounts app's Celery tasks."""

from celery import shared_task

from accounts.oauth import services as oauth_services


@shared_task(ignore_result=True)
def clear_expired_oauth_tokens() -> int:
    """Delete the OAuth server's expired tokens (hourly, by beat)."""
    return oauth_services.expired_tokens_clear()
