"""Browser tests: Playwright driving Debian's Chromium against a live server.

Skipped, loudly, when Chromium is not installed (`apt-get install chromium`); CI always
installs it. Run without them: `make test PYTEST_ARGS='-m "not browser"'`.
"""

import shutil
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
_skipped = []


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason="Chromium is not installed"))
            _skipped.append(item.nodeid)


def pytest_terminal_summary(terminalreporter):
    if _skipped:
        terminalreporter.write_sep(
            "!",
            f"{len(_skipped)} BROWSER TESTS SKIPPED: no Chromium on this machine "
            "(apt-get install chromium)",
            red=True,
            bold=True,
        )


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's own ORM
    # calls are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
        # Django keeps connections per context, and Playwright's sync API switches
        # context: the test body's ORM calls get a connection of their own that
        # Django's teardown never sees; left open, the test database cannot be dropped.
        connections.close_all()


class Watched:
    """A page whose console errors and CSP violations fail the test."""

    def __init__(self, page, name: str):
        self.page = page
        self.name = name
        self.problems: list[str] = []
        self.step = 0
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("dialog", lambda dialog: dialog.accept())  # confirm() prompts

    def _console(self, message):
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def shot(self, label: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.step += 1
        path = ARTIFACTS / f"{self.name}-{self.step:02d}-{label}.png"
        self.page.screenshot(path=path, full_page=True)

    def assert_clean(self) -> None:
        assert self.problems == []
