"""A real headless Chromium for the browser tests, and a tab that records what a page does.

Playwright drives the Chromium installed at /usr/bin/chromium; it never downloads
a browser. Without that Chromium the tests are skipped, unless
NETVAULT_REQUIRE_BROWSER is set (as in CI), where a missing browser is a failure.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
TODAY = date(2026, 11, 20)  # the date the browser tests' vaults are built as of
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


def open_tab(browser, width: int = 1200, height: int = 900):
    """A new browser context of this viewport, and a tab in it that records what it does."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    recorded = Tab(page)
    page.on("request", lambda request: recorded.requests.append(request.url))
    page.on(
        "console",
        lambda message: recorded.errors.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: recorded.errors.append(str(error)))
    return context, recorded


@pytest.fixture
def tab(chromium):
    context, recorded = open_tab(chromium)
    yield recorded
    context.close()


@pytest.fixture
def sized_tab(chromium):
    """Open a recording tab of a given viewport width (its own context); closed afterwards."""
    contexts = []

    def make(width: int, height: int = 900) -> Tab:
        context, recorded = open_tab(chromium, width, height)
        contexts.append(context)
        return recorded

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def example_site(tmp_path_factory):
    """The example vault (`netvault init --example`), built as of TODAY."""
    from netvault import build
    from netvault.init import init_vault

    root = tmp_path_factory.mktemp("example")
    init_vault(root / "vault", example=True, today=TODAY)
    build.build(root / "vault", root / "site", TODAY)
    return root / "site"
