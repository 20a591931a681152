"""`netvault serve` in a real Chromium: a save reloads the open tab; a failed build shows itself."""

from __future__ import annotations

from datetime import date

import pytest

from editing import save
from netvault.serve import LiveServer

pytestmark = pytest.mark.browser

TODAY = date(2026, 11, 20)
TIMEOUT_MS = 10_000  # any one change may take this long to reach the tab
NOTES = {
    "contacts/Ada Lovelace.md": "---\norg: Analytical Engines\ncircle: inner\n---\nLikes tea.\n",
    "contacts/Grace Hopper.md": "---\norg: Navy\n---\nCompilers.\n",
}


@pytest.fixture
def served(vault):
    root = vault(NOTES)
    server = LiveServer(root, root / "site", lambda: TODAY, port=0, quiet=0.02)
    server.start()
    try:
        assert server.watcher.wait_idle(10)
        assert server.state.status()["ok"]
        yield root, server
    finally:
        server.stop()


def test_a_save_reloads_the_open_tab_and_a_failed_build_shows_an_overlay(served, tab):
    from playwright.sync_api import expect

    root, server = served
    page = tab.page
    url = server.url + "contacts/ada-lovelace.html"
    page.goto(url)
    body = page.locator("#body")
    expect(body).to_contain_text("Likes tea.")
    # No need to wait for the tab to connect: a build that lands before it does
    # still reloads it, since the page's version is no longer the site's.
    expect(page.locator("script[src='/__netvault__/reload.js']")).to_have_count(1)

    note = root / "contacts" / "Ada Lovelace.md"
    save(note, note.read_text().replace("Likes tea.", "Likes coffee now."))
    expect(body).to_contain_text("Likes coffee now.", timeout=TIMEOUT_MS)
    loads = tab.requests.count(url)
    assert 2 <= loads <= 3  # reloaded by itself (twice if a save came as two builds)

    overlay = page.locator("#netvault-live-error")
    expect(overlay).to_have_count(0)
    template = root / "themes" / "default" / "templates" / "contact.html"
    save(template, "{% extends 'default:contact.html' %}{% block title %}{{ nope( }}")
    expect(overlay).to_be_visible(timeout=TIMEOUT_MS)
    expect(overlay).to_contain_text("The last build failed")
    expect(overlay.locator("pre")).to_contain_text("contact.html")
    expect(body).to_contain_text("Likes coffee now.")  # the last good page stays

    save(template, "{% extends 'default:contact.html' %}{% block title %}Fixed title{% endblock %}")
    expect(page).to_have_title("Fixed title", timeout=TIMEOUT_MS)
    expect(overlay).to_have_count(0)

    origin = server.url.rstrip("/")
    leaving = [url for url in tab.requests if not url.startswith(origin + "/")]
    assert leaving == []
    assert any(url.endswith("/__netvault__/events") for url in tab.requests)
    assert tab.errors == []


def test_a_tab_opened_while_the_build_is_broken_shows_the_overlay(served, tab):
    from playwright.sync_api import expect

    root, server = served
    template = root / "themes" / "default" / "templates" / "index.html"
    save(template, "{% extends 'default:index.html' %}{% block title %}{{ nope( }}")
    server.watcher.touch("themes/default/templates/index.html")  # no need to wait for inotify
    assert server.watcher.wait_idle(10)
    assert server.state.status()["error"]

    tab.page.goto(server.url)
    overlay = tab.page.locator("#netvault-live-error")
    expect(overlay).to_be_visible(timeout=TIMEOUT_MS)
    expect(overlay).to_contain_text("index.html")
    template.unlink()
    expect(overlay).to_have_count(0, timeout=TIMEOUT_MS)
    assert tab.errors == []
