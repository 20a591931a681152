"""Make docs/today.png, the README's picture of the example vault's Today page.

    python docs/screenshot.py

builds the example vault (`netvault init --example`) as of a fixed day in a
temporary folder and photographs its Today page in the Chromium at
/usr/bin/chromium (through Playwright, as the browser tests do), at a desktop
width. The day, the clock of its git history and the window are fixed, so the
picture changes only when the dashboard does.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from playwright.sync_api import sync_playwright

from netvault import build
from netvault.init import init_vault

TODAY = date(2026, 11, 20)  # the example's dates are days from this one
WINDOW = {"width": 1280, "height": 1400}  # a laptop's width; tall enough for the page's top
OUT = Path(__file__).resolve().parent / "today.png"
CHROMIUM = "/usr/bin/chromium"


def main() -> int:
    """Build the example as of TODAY and write the screenshot of its Today page to OUT."""
    # The vault's first commit is dated TODAY too, whenever the script runs.
    stamp = f"{TODAY.isoformat()}T09:00:00+00:00"
    os.environ["GIT_AUTHOR_DATE"] = os.environ["GIT_COMMITTER_DATE"] = stamp
    with tempfile.TemporaryDirectory() as tmp:
        vault, site = Path(tmp) / "demo", Path(tmp) / "demo" / "site"
        init_vault(vault, example=True, today=TODAY)
        build.build(vault, site, TODAY)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            # Light mode, whatever the machine prefers: the README's background is light.
            context = browser.new_context(viewport=WINDOW, color_scheme="light")
            page = context.new_page()
            page.goto((site / "index.html").as_uri())
            page.screenshot(path=str(OUT))
            browser.close()
    print(f"Wrote {OUT}")  # noqa: T201 - a script's one line of output
    return 0


if __name__ == "__main__":
    sys.exit(main())
