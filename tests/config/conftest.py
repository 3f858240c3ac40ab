import io
import logging

import pytest


@pytest.fixture
def console_output():
    """What the configured console handler writes, filters and format included."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)
