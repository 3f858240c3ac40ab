"""The test settings, with tests.testapp.urls: for an app server a test starts
whose views must include one that fails on purpose."""

from config.settings.test import *  # noqa: F403

ROOT_URLCONF = "tests.testapp.urls"
