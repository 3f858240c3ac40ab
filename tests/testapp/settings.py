"""The test settings serving tests/testapp/urls.py, for app processes a test starts
that need the test app's own views (one that fails on purpose, a slow write)."""

from config.settings.test import *  # noqa: F403

ROOT_URLCONF = "tests.testapp.urls"
