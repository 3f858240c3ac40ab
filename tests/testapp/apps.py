from django.apps import AppConfig


class TestappConfig(AppConfig):
    """Scoped models and actions for the framework's own tests; installed only by
    config.settings.test, so the tests never lean on the example app (notes/)."""

    name = "tests.testapp"
    label = "testapp"
    verbose_name = "Test app (tests only)"
