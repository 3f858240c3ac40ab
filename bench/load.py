"""A small load generator: N keep-alive connections from threads, bounded in time and
count, each request built by a function. Prints JSON: requests/s, p50, p99, errors."""

import http.client
import json
import statistics
import sys
import threading
import time


def run(
    host: str,
    port: int,
    make_request,
    *,
    concurrency: int,
    seconds: float,
    max_requests: int,
    on_response=None,
) -> dict:
    """Send requests made by `make_request(index)` until `seconds` pass or
    `max_requests` are sent; `on_response(request, status, headers, body)`, if given,
    sees each answer (from several threads at once)."""
    latencies, errors, statuses = [], [], {}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    counter = iter(range(max_requests))

    def worker():
        connection = http.client.HTTPConnection(host, port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                index = next(counter, None)
            if index is None:
                return
            request = make_request(index)
            method, path, body, headers = request
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                content = response.read()
                status = response.status
            except OSError as error:
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=30)
                with lock:
                    errors.append(type(error).__name__)
                continue
            elapsed = time.perf_counter() - started
            if on_response is not None:
                on_response(request, status, response.headers, content)
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "rps": round(len(ordered) / wall, 1) if wall else 0,
        "p50_ms": round(statistics.median(ordered) * 1000, 2) if ordered else None,
        "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1] * 1000, 2)
        if ordered
        else None,
        "statuses": statuses,
        "errors": len(errors),
    }


if __name__ == "__main__":  # pragma: no cover - used by bench/run.py
    print(
        json.dumps(
            run(
                sys.argv[1],
                int(sys.argv[2]),
                lambda i: ("GET", "/", None, {}),
                concurrency=4,
                seconds=2,
                max_requests=100,
            )
        )
    )
