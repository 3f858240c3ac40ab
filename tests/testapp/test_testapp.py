"""The test app itself: installed by the test settings only, its migrations in step
(CI's `makemigrations --check` runs with settings that do not install it)."""

import pytest
from django.conf import settings
from django.core.management import call_command


def test_only_the_test_settings_install_it():
    from config.settings import base

    assert "tests.testapp" in settings.INSTALLED_APPS
    assert "tests.testapp" not in base.INSTALLED_APPS


@pytest.mark.django_db
def test_its_migrations_match_its_models():
    call_command("makemigrations", "testapp", "--check", "--dry-run", verbosity=0)
