"""A task that leaves a trace in the database, for the worker test."""

from celery import shared_task
from django.contrib.auth.models import Group


@shared_task
def create_group(name: str) -> None:
    Group.objects.create(name=name)
