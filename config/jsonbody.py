"""Reading a JSON request body that no client input can turn into a server error.

Python's `json` parses nesting recursively: 100 000 `[` raise RecursionError, and a
few hundred levels that do parse would make every recursive walk after it (validation,
redaction, audit) hit the same wall. So a body may nest at most `MAX_DEPTH` arrays
and objects; no request this app understands comes near it (an A2A message with its
action's arguments is under ten).

Every failure is a `JsonBodyError` (a ValueError) whose message can be shown to the
client as is. The API's parser (`config.parsers.JSONParser`), the `action` command's
`--json` and `/a2a/` read JSON with `loads_bounded`.
"""

import json
import math

MAX_DEPTH = 64


class JsonBodyError(ValueError):
    """The text is not JSON this app will read; the message says why, for people."""


def loads_bounded(raw: bytes | str, *, max_depth: int = MAX_DEPTH) -> object:
    """`raw` parsed as strict JSON (no NaN, no infinite numbers) nesting at most
    `max_depth` arrays and objects; raises JsonBodyError otherwise."""
    try:
        value = json.loads(
            raw, parse_constant=_refuse_constant, parse_float=_finite_float
        )
    except RecursionError:
        raise JsonBodyError(_too_deep(max_depth)) from None
    except JsonBodyError:
        raise
    except UnicodeDecodeError:
        raise JsonBodyError("The JSON is not valid UTF-8.") from None
    except json.JSONDecodeError as error:
        raise JsonBodyError(
            f"This is not valid JSON: {error.msg} (line {error.lineno}, "
            f"column {error.colno})."
        ) from None
    except ValueError:  # Python refuses integers of more than 4300 digits
        raise JsonBodyError("The JSON has a number with too many digits.") from None
    if _depth_exceeds(value, max_depth):
        raise JsonBodyError(_too_deep(max_depth))
    return value


def _depth_exceeds(value: object, max_depth: int) -> bool:
    """Whether `value` nests deeper than `max_depth`; a loop, not recursion."""
    pending = [(value, 1)] if isinstance(value, dict | list) else []
    while pending:
        container, depth = pending.pop()
        if depth > max_depth:
            return True
        children = container.values() if isinstance(container, dict) else container
        pending.extend(
            (child, depth + 1) for child in children if isinstance(child, dict | list)
        )
    return False


def _finite_float(text: str) -> float:
    # 1e400 is valid JSON but becomes infinity, which no JSON answer can carry.
    number = float(text)
    if not math.isfinite(number):
        raise JsonBodyError(f"The JSON has a number out of range: {text[:20]}.")
    return number


def _refuse_constant(name: str):
    raise JsonBodyError(f"This is not valid JSON: {name} is not a JSON value.")


def _too_deep(max_depth: int) -> str:
    return f"The JSON nests arrays and objects deeper than {max_depth} levels."
