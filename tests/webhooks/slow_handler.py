"""A Slack handler for the worker-loss test: the first attempt hangs (to be killed),
later ones succeed; each success is written down, so "once" can be counted."""

import os
import time
from pathlib import Path

from webhooks.handlers import handles

# The test names the folder; this module runs only in the worker it starts.
STATE = Path(
    os.environ.get("WORKER_LOSS_STATE", "/nonexistent")
)  # guard: allow-env-read — test-only module


@handles("slack", "message")
def hang_once(event):
    started = STATE / "started"
    if not started.exists():
        started.write_text("1")
        time.sleep(120)  # killed here
    with (STATE / "processed").open("a") as log:
        log.write(f"{event.event_id}\n")
