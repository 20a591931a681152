"""A real headless Chromium for the browser tests, and a tab that records what a page does.

Playwright drives the Chromium installed at /usr/bin/chromium; it never downloads
a browser. Without that Chromium the tests are skipped, unless
NETVAULT_REQUIRE_BROWSER is set (as in CI), where a missing browser is a failure.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("NETVAULT_REQUIRE_BROWSER"):
        pytest.fail(f"{reason}, and NETVAULT_REQUIRE_BROWSER is set")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium():
    """One browser for the whole session."""
    if not CHROMIUM.is_file():
        _unavailable(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Tab:
    """A page, with every request it made and every error it logged."""

    page: object
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, path: Path) -> None:
        self.page.goto(path.as_uri())

    def assert_private_and_clean(self) -> None:
        """No request left file://, and nothing went wrong (CSP violations log errors)."""
        assert self.requests, "the page made no requests at all"
        leaving = [url for url in self.requests if not url.startswith("file://")]
        assert leaving == []
        assert self.errors == []


@pytest.fixture
def tab(chromium):
    context = chromium.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    recorded = Tab(page)
    page.on("request", lambda request: recorded.requests.append(request.url))
    page.on(
        "console",
        lambda message: recorded.errors.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: recorded.errors.append(str(error)))
    yield recorded
    context.close()
