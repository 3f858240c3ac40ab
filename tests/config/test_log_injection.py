"""No input forges a log line: control characters in what a line carries (here an
unrouted path, logged as it is) are escaped by the configured formatter."""

import logging

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("sent", "logged"),
    [
        ("%0a", "\\n"),
        ("%0d%0a", "\\r\\n"),
        ("%00", "\\x00"),
        ("%1b[2K", "\\x1b[2K"),  # a terminal's "erase line"
        ("%7f", "\\x7f"),
        ("%c2%85", "\\x85"),  # NEL
        ("%e2%80%a8", "\\u2028"),  # line separator
        ("%e2%80%a9", "\\u2029"),  # paragraph separator
        ("%e2%80%ae", "\\u202e"),  # right-to-left override
    ],
)
def test_an_unrouted_path_cannot_forge_a_log_line(client, console_output, sent, logged):
    response = client.get(f"/nope{sent}FORGED log line")
    assert response.status_code == 404
    output = console_output.getvalue()
    lines = output.splitlines()  # splits at every one of them, \x85 and \u2028 too
    assert not any(line.startswith("FORGED") for line in lines)
    [line] = [line for line in lines if "route=" in line]
    assert f"route=/nope{logged}FORGED log line status=404" in line


def test_a_traceback_still_spans_its_lines(console_output):
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("config.test").exception("failed with\ninput")
    output = console_output.getvalue()
    assert "failed with\\ninput" in output
    assert "Traceback (most recent call last):\n" in output
    assert output.rstrip().endswith("ValueError: boom")
