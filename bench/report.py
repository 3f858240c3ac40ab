"""bench/REPORT.md from the figures `bench.run` gathered."""

import time
from pathlib import Path

from bench import run

REPORT = Path(__file__).resolve().parent / "REPORT.md"


def write(machine: str, figures: dict) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` on {time.strftime('%Y-%m-%d')}: {machine}.",
        "Variants run interleaved, in a rotating order; a warm-up round is dropped and "
        "each figure is the median of the rounds that follow.",
        "",
        *_scoping(figures["micro"]),
        *_http(figures["http"], figures["webhook_latency"]),
    ]
    text = "\n".join(lines) + "\n"
    REPORT.write_text(text)
    return text


def _scoping(micro: dict) -> list[str]:
    lines = [
        "## 1. What a scope costs a request (in process)",
        "",
        "One request is one transaction: enter the scope and run one query, against "
        "the same query filtered by hand with no scope. Owner 0 of 1 000 (in org 0 of "
        "10) asks for a page of 20, a count, a note by id.",
        "",
    ]
    for engine, results in micro.items():
        lines += [
            f"### {'PostgreSQL' if engine == 'postgresql' else 'SQLite'}",
            "",
            "| rows | operation | by hand ms | scoped ms | scoped / by hand |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {r['rows']:,} | {r['operation']} | {r['by_hand_ms']} | "
            f"{r['scoped_ms']} | {r['ratio']} |"
            for r in results["rows"]
        ]
        lines += [
            "",
            "| scoped tables | by hand ms | scoped ms | scoped / by hand |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {r['scoped_tables']} | {r['by_hand_ms']} | {r['scoped_ms']} | "
            f"{r['ratio']} |"
            for r in results["tables"]
        ]
        lines.append("")
    return lines


def _row(name: str, r: dict) -> str:
    return (
        f"| {name} | {r['rps']} | {r['p50_ms']} | {r['p99_ms']} | {r['db_trips']} | "
        f"{r['redis_trips']} | {r['non_2xx'] + r['errors']} |"
    )


def _http(http: dict, latency: dict) -> list[str]:
    head = [
        "| endpoint | req/s | p50 ms | p99 ms | DB round trips | Redis round trips "
        "| failed |",
        "|---|---|---|---|---|---|---|",
    ]
    action, fair, bare = http["action"], http["fair"], http["bare"]
    ingest, durable = http["ingest"], http["durable"]
    return [
        "## 2. Actions: `POST /api/actions/create-note/` by token (concurrency 16)",
        "",
        f"PostgreSQL; gunicorn 2 workers x 8 threads; load from a second process over "
        f"loopback, {run.HTTP_SECONDS} s per variant and round, "
        f"{run.HTTP_ROUNDS - 1} rounds. Round trips are counted per request "
        "(BEGIN and COMMIT included).",
        "",
        *head,
        _row("create-note action", action),
        _row(
            "fair: a hand-written DRF view, same token, throttle, validation, "
            "insert, audit row",
            fair,
        ),
        _row("bare: the token, the scope and the insert", bare),
        "",
        f"Action / fair: {action['rps'] / fair['rps']:.2f} (goal >= 0.9). "
        f"Action / bare: {action['rps'] / bare['rps']:.2f} (goal >= 0.75).",
        "",
        "## 3. Webhook ingest: a signed Slack event (concurrency 16)",
        "",
        *head,
        _row("verify + store (the dispatcher queues it)", ingest),
        _row("a view that durably inserts one row", durable),
        _row("a view that returns 200", http["ceiling"]),
        "",
        f"Ingest / durable insert: {ingest['rps'] / durable['rps']:.2f} (goal >= 0.9);"
        f" ingest p99 {ingest['p99_ms']} ms (goal < 50). From stored to processed, "
        f"through a worker's dispatcher ({latency['events']} events, 20 a second): "
        f"p50 {latency['p50_ms']} ms, p99 {latency['p99_ms']} ms, "
        f"max {latency['max_ms']} ms.",
        "",
        "## 4. A2A: `SendMessage` running `list-notes` (concurrency 4)",
        "",
        *head,
        _row("SendMessage -> list-notes", http["a2a"]),
        "",
    ]
