"""In-process measurements for `make bench`, on the engine DATABASE_URL names: what
a scope costs a request, against the same query filtered by hand (with no scope),
at 1k, 100k and 1M rows and at 5, 14 and 54 scoped tables. Prints JSON.

Variants run interleaved, in a rotating order, ROUNDS rounds of ITERATIONS calls
each; the first round warms up and is dropped. Times are the median round; a ratio is
the median of each round's ratio (the pair ran side by side).
"""

import json
import statistics
import time

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from accounts.models import User  # noqa: E402
from notes.models import Note  # noqa: E402
from orgs.models import Organization  # noqa: E402
from orgs.services import org_create  # noqa: E402
from scoping import registry, signals  # noqa: E402
from scoping.scopes import scope, unscoped  # noqa: E402

ROUNDS = 8
ITERATIONS = 200
OWNERS, ORGS = 1000, 10
ROW_COUNTS = (1_000, 100_000, 1_000_000)
EXTRA_TABLES = (1, 10, 50)  # the template has 4 scoped tables of its own


def mean_ms(call) -> float:
    started = time.perf_counter()
    for _ in range(ITERATIONS):
        call()
    return (time.perf_counter() - started) / ITERATIONS * 1000


def interleaved(variants: dict) -> list[dict]:
    """[{name: ms}] per round (the warm-up dropped), the variants run in rotation."""
    names = list(variants)
    rounds = []
    for round_ in range(ROUNDS):
        figures = {}
        for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
            figures[name] = variants[name]()
        if round_:
            rounds.append(figures)
    return rounds


def orgs() -> list:
    existing = list(Organization.objects.order_by("created_at")[:ORGS])
    if len(existing) == ORGS:
        return existing
    founder = User.objects.create(email="founder@bench.test")
    return [org_create(user=founder, name=f"Bench {i}") for i in range(ORGS)]


def fill(rows: int, org_ids: list) -> None:
    """`rows` notes: owner i % 1000 in org (i % 1000) % 10. Owner 0 has rows/1000."""
    with (
        unscoped(reason="bench: fill", schema_changes=True),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "DELETE FROM notes_note"
        )  # guard: allow-raw-sql — the bench fills the table past every scope
        for index, org_id in enumerate(org_ids):
            org = org_id if connection.vendor == "postgresql" else org_id.hex
            series = (
                "generate_series(0, %s - 1) AS i"
                if connection.vendor == "postgresql"
                else "(WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 "
                "FROM s WHERE i < %s - 1) SELECT i FROM s) AS g"
            )
            cursor.execute(  # guard: allow-raw-sql — a million rows, past every scope
                "INSERT INTO notes_note (title, body, owner_email, org_id, "
                "created_at, updated_at) "
                "SELECT 'note ' || i, '', 'user' || (i %% 1000) || '@bench.test', "
                f"%s, {_now()}, {_now()} FROM {series} WHERE (i %% 1000) %% 10 = %s",
                [org, rows, index],
            )
        cursor.execute("ANALYZE")


def _now() -> str:
    return "now()" if connection.vendor == "postgresql" else "CURRENT_TIMESTAMP"


def operations(owner: str, org_id, note_id: int) -> dict:
    """(scoped, by hand) pairs of what requests do: a page, a count, a lookup."""
    mine = {"owner_email": owner, "org_id": org_id}
    return {
        "list 20": (
            lambda: list(Note.objects.all()[:20]),
            lambda: list(Note.objects.filter(**mine)[:20]),
        ),
        "count": (
            lambda: Note.objects.count(),
            lambda: Note.objects.filter(**mine).count(),
        ),
        "by id": (
            lambda: Note.objects.filter(pk=note_id).first(),
            lambda: Note.objects.filter(pk=note_id, **mine).first(),
        ),
    }


def compare(scoped_call, hand_call, owner: str, org_id) -> dict:
    def scoped():
        def request():
            with scope(owner_email=owner, org_id=org_id):
                scoped_call()

        request()  # SQLite rebuilds its scope objects after the unscoped round
        return mean_ms(request)

    def by_hand():
        def request():
            with transaction.atomic():
                hand_call()

        with unscoped(reason="bench: by hand", schema_changes=True):
            return mean_ms(request)

    rounds = interleaved({"scoped_ms": scoped, "by_hand_ms": by_hand})
    # The ratio of each round's pair, side by side in time, then their median: the
    # machine's drift between rounds cancels out.
    return {
        "scoped_ms": round(statistics.median(r["scoped_ms"] for r in rounds), 4),
        "by_hand_ms": round(statistics.median(r["by_hand_ms"] for r in rounds), 4),
        "ratio": round(
            statistics.median(r["scoped_ms"] / r["by_hand_ms"] for r in rounds), 2
        ),
    }


def set_extra_tables(count: int) -> int:
    with unscoped(reason="bench: tables", schema_changes=True):
        with connection.cursor() as cursor:
            for index in range(max(EXTRA_TABLES)):
                cursor.execute(f"DROP TABLE IF EXISTS bench_extra_{index}")
            for index in range(count):
                org_type = "uuid" if connection.vendor == "postgresql" else "char(32)"
                cursor.execute(
                    f"CREATE TABLE bench_extra_{index} (id integer PRIMARY KEY, "
                    f"owner_email varchar(254), org_id {org_type}, body text)"
                )
        signals.install(connection)
    return len(registry.scoped_tables(connection))


def main():
    org_ids = [org.pk for org in orgs()]
    owner, org_id = "user0@bench.test", org_ids[0]
    results = {"engine": connection.vendor, "rows": [], "tables": []}
    for rows in ROW_COUNTS:
        fill(rows, org_ids)
        with unscoped(reason="bench: a note of owner 0"):
            note_id = Note.objects.filter(owner_email=owner).order_by("pk")[0].pk
        for name, (scoped_call, hand_call) in operations(
            owner, org_id, note_id
        ).items():
            results["rows"].append(
                {
                    "rows": rows,
                    "operation": name,
                    **compare(scoped_call, hand_call, owner, org_id),
                }
            )
    fill(ROW_COUNTS[0], org_ids)
    for extra in EXTRA_TABLES:
        tables = set_extra_tables(extra)
        scoped_call, hand_call = operations(owner, org_id, 0)["list 20"]
        results["tables"].append(
            {"scoped_tables": tables, **compare(scoped_call, hand_call, owner, org_id)}
        )
    set_extra_tables(0)
    print(json.dumps(results))


main()
