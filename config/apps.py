from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """Project-wide pieces that belong to no single app: health, errors, logging."""

    name = "config"
    label = "config"
    verbose_name = "Project"

    def ready(self):
        from django.conf import settings

        from config import (  # noqa: F401  (register the deploy checks)
            checks,
            pooling_checks,
        )
        from config.celery_app import (
            create_beat_schedule_folder,
            create_filesystem_broker_folders,
        )

        # Every process that publishes or consumes (web, worker, shell) runs this.
        create_filesystem_broker_folders(settings.CELERY_BROKER_TRANSPORT_OPTIONS)
        create_beat_schedule_folder(settings.CELERY_BEAT_SCHEDULE_FILENAME)
