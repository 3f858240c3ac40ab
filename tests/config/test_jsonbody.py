"""`loads_bounded`: JSON bodies whose every failure is one clear JsonBodyError."""

import pytest

from config.jsonbody import MAX_DEPTH, JsonBodyError, loads_bounded


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_reads_json_from_bytes_and_text():
    assert loads_bounded(b'{"a": [1, 2.5, "x", null, true]}') == {
        "a": [1, 2.5, "x", None, True]
    }
    assert loads_bounded('"plain"') == "plain"
    assert loads_bounded(b"\xef\xbb\xbf{}") == {}  # a UTF-8 byte order mark


def test_nesting_up_to_the_limit_is_read_and_past_it_refused():
    assert loads_bounded(_nested(MAX_DEPTH)) is not None
    with pytest.raises(JsonBodyError, match=f"deeper than {MAX_DEPTH} levels"):
        loads_bounded(_nested(MAX_DEPTH + 1))
    assert loads_bounded(_nested(3), max_depth=3) == [[[]]]
    with pytest.raises(JsonBodyError):
        loads_bounded('{"a": {"b": 1}}', max_depth=1)


@pytest.mark.parametrize(
    "raw",
    ["[" * 100_000, '{"a":' * 100_000, _nested(100_000)],
    ids=["unclosed arrays", "unclosed objects", "closed arrays"],
)
def test_nesting_python_cannot_parse_is_a_json_body_error(raw):
    with pytest.raises(JsonBodyError, match="deeper than"):
        loads_bounded(raw)


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (b"{bad", "not valid JSON: Expecting property name"),
        (b"", "not valid JSON"),
        (b"[NaN]", "NaN is not a JSON value"),
        (b"[-Infinity]", "-Infinity is not a JSON value"),
        (b"[1e400]", "out of range"),
        (b"[1" + b"0" * 5000 + b"]", "too many digits"),
        (b'"\xff"', "not valid UTF-8"),
    ],
)
def test_every_failure_is_a_value_error_with_a_message_for_people(raw, says):
    with pytest.raises(JsonBodyError, match=says) as refused:
        loads_bounded(raw)
    assert isinstance(refused.value, ValueError)
