"""In-process measurements, run by bench/run.py inside Django (bench settings):
the cost of a scope per request (ours vs the anchor's temp views, with 1, 10 and 50
extra scoped tables) and of verifying an A2A token. Prints JSON."""

import json
import statistics
import sys
import time

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from a2a import tokens  # noqa: E402
from notes.models import Note  # noqa: E402
from scoping import registry  # noqa: E402
from scoping.engines.postgresql import install_policies  # noqa: E402
from scoping.scopes import scope, unscoped  # noqa: E402

EMAIL = sys.argv[1]
ORG = sys.argv[2]
ITERATIONS = 300
RUNS = 7


def mean_ms(function) -> float:
    """The mean time of one call over ITERATIONS calls, in ms."""
    started = time.perf_counter()
    for _ in range(ITERATIONS):
        function()
    return (time.perf_counter() - started) / ITERATIONS * 1000


def median_ms(function) -> float:
    return round(statistics.median(mean_ms(function) for _ in range(RUNS)), 4)


def compare() -> dict:
    """Ours, unscoped and the anchor, interleaved run by run so that the machine's
    drift hits all three alike; the median of RUNS runs each."""
    runs = {"unscoped_ms": [], "ours_ms": [], "anchor_ms": []}
    for _ in range(RUNS):
        with unscoped(reason="bench baseline", schema_changes=True):
            runs["unscoped_ms"].append(mean_ms(unscoped_request))
            runs["anchor_ms"].append(mean_ms(anchor_request))
        runs["ours_ms"].append(mean_ms(scoped_request))
    return {name: round(statistics.median(values), 4) for name, values in runs.items()}


def scoped_request():
    with scope(owner_email=EMAIL, org_id=ORG):
        list(Note.objects.all()[:20])


def unscoped_request():
    # The same query, filtered by hand, with the policies switched off for the session.
    with transaction.atomic():
        list(Note.objects.filter(owner_email=EMAIL, org_id=ORG)[:20])


def anchor_request():
    """The anchor's design: a temp view per scoped table per request, value in the
    SQL text, created and dropped around the query."""
    tables = registry.scoped_tables(connection)
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            where = f" WHERE owner_email = '{EMAIL}'" if table.has_owner else ""
            view = f"CREATE TEMP VIEW {table.name} AS SELECT * FROM public.{table.name}"
            cursor.execute(view + where)
        cursor.execute(
            "SELECT * FROM notes_note LIMIT 20"
        )  # guard: allow-raw-sql — the anchor's design, measured
        cursor.fetchall()
        for table in tables:
            cursor.execute(f"DROP VIEW pg_temp.{table.name}")


def set_extra_tables(count: int) -> int:
    with unscoped(reason="bench", schema_changes=True), connection.cursor() as cursor:
        for index in range(200):
            cursor.execute(f"DROP TABLE IF EXISTS bench_extra_{index}")
        for index in range(count):
            cursor.execute(
                f"CREATE TABLE bench_extra_{index} (id serial PRIMARY KEY, "
                "owner_email text, org_id uuid, body text)"
            )
        install_policies(connection)
    return len(registry.scoped_tables(connection))


def jwt_verify_ms() -> float:
    audience = tokens.a2a_url()
    fresh = [tokens.sign(sub=EMAIL, aud=audience) for _ in range(ITERATIONS * RUNS)]
    it = iter(fresh)
    return median_ms(lambda: tokens.verify(next(it)))


def main():
    results = {"scoping": []}
    for extra in (1, 10, 50):
        total = set_extra_tables(extra)
        results["scoping"].append(
            {"extra_tables": extra, "scoped_tables": total, **compare()}
        )
    set_extra_tables(0)
    results["jwt_verify_ms"] = jwt_verify_ms()
    print(json.dumps(results))


main()
