"""What a query answers: rows as JSON values, capped while they are fetched."""

import base64
import datetime
import decimal
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[list]
    truncated: bool


class Collector:
    """Takes rows one at a time; says when the row or byte cap is reached.

    Sizes are counted on the values as the driver returns them, before any JSON is
    built, so a capped result never costs more than the cap to hold.
    """

    def __init__(self, *, max_rows: int, max_bytes: int):
        self.max_rows = max_rows
        self.max_bytes = max_bytes
        self.rows: list[list] = []
        self.size = 0
        self.truncated = False

    def add(self, row) -> bool:
        """Keep `row` if it fits; False (and truncated) once the caps are reached."""
        if len(self.rows) == self.max_rows:
            self.truncated = True
            return False
        self.size += sum(value_size(value) for value in row)
        if self.size > self.max_bytes:
            self.truncated = True
            return False
        self.rows.append([json_value(value) for value in row])
        return True


def value_size(value) -> int:
    """About how many bytes `value` takes in the answer."""
    if isinstance(value, str | bytes | bytearray | memoryview):
        return len(value)
    if isinstance(value, list | tuple):
        return sum(value_size(item) for item in value)
    if isinstance(value, dict):
        return sum(value_size(k) + value_size(v) for k, v in value.items())
    return 8


def json_value(value):
    """A database value as JSON: dates ISO 8601, UUIDs and decimals as text, bytes
    as base64."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    return value
