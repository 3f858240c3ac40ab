import pytest
from django.db import connection


def pytest_collection_modifyitems(config, items):
    """Skip tests marked for the other database engine."""
    vendor = connection.vendor
    for item in items:
        if "postgres" in item.keywords and vendor != "postgresql":
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL"))
        if "sqlite" in item.keywords and vendor != "sqlite":
            item.add_marker(pytest.mark.skip(reason="needs SQLite"))
