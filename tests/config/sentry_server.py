"""A stand-in for Sentry on loopback: it keeps every envelope the SDK posts."""

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.processes import wait_until

PUBLIC_KEY = "0123456789abcdef0123456789abcdef"
PROJECT_ID = "1"


class SentryServer:
    """Listens on 127.0.0.1; `dsn` points an SDK here; `envelopes` holds each
    posted envelope's text, decompressed, as it arrived."""

    def __init__(self):
        self.envelopes: list[str] = []
        received = self.envelopes

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                if self.path.rstrip("/") == f"/api/{PROJECT_ID}/envelope":
                    received.append(body.decode())
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.dsn = (
            f"http://{PUBLIC_KEY}@127.0.0.1:{self.server.server_port}/{PROJECT_ID}"
        )
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "SentryServer":
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.server.shutdown()
        self.server.server_close()

    def events(self) -> list[dict]:
        """The error events received so far (envelope items of type `event`)."""
        found = []
        for envelope in list(self.envelopes):
            lines = envelope.split("\n")
            # Line 0 is the envelope's header; then each item's header and payload.
            for header, payload in zip(lines[1::2], lines[2::2], strict=False):
                if json.loads(header).get("type") == "event":
                    found.append(json.loads(payload))
        return found

    def wait_for_event(self, matches, seconds: float = 60) -> dict:
        """The first received event for which `matches(event)` holds."""
        found = []

        def arrived():
            found[:] = [event for event in self.events() if matches(event)]
            return bool(found)

        assert wait_until(arrived, seconds), f"no such event in {self.envelopes}"
        return found[0]
