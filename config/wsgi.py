"""WSGI entry point for gunicorn: `gunicorn config.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

from config.middleware import gunicorn_names_no_software

os.environ.setdefault(  # guard: allow-env-write — Django entry point
    "DJANGO_SETTINGS_MODULE", "config.settings.production"
)

application = get_wsgi_application()

# gunicorn sends its own Server header, `gunicorn`, in place of the app's.
gunicorn_names_no_software()
