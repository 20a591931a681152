"""Search in a real Chromium, from file://, under the pages' Content Security Policy."""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from netvault import build, search
from vaults import write_vault

pytestmark = pytest.mark.browser

TODAY = date(2026, 11, 20)
NOTES = {
    "contacts/Ada Lovelace.md": (
        "---\norg: Analytical Engines\nrole: Mathematician\ntags: [mentor]\n---\n"
        "Wrote the first program. Talks about compilers with Grace.\n"
    ),
    "contacts/Agnieszka Wróbel.md": "---\norg: Navy\n---\nLoves sailing.\n",
    "contacts/田中 さくら.md": "---\norg: Kyoto Labs\n---\n",
    "contacts/Mallory.md": (
        '---\nname: "<script>alert(1)</script>"\norg: Evil\n---\nNot a <b>script</b> at all.\n'
    ),
    "interactions/2026-11-16 Coffee with Ada.md": (
        '---\ntype: coffee\nwith: "[[Ada Lovelace]]"\n---\nWe talked about compilers and Wróbel.\n'
    ),
    "interactions/2026-10-01 Call with Ada.md": (
        '---\ntype: call\nwith: "[[Ada Lovelace]]"\n---\nCompilers again, briefly.\n'
    ),
    "notes/Reading list.md": "Books on compilers.\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("search")
    vault = write_vault(root / "vault", NOTES)
    out = root / "site"
    build.build(vault, out, TODAY)
    return out


def open_search(tab, site, query: str) -> None:
    tab.page.goto((site / "search.html").as_uri() + query)
    tab.page.locator("#search-form").wait_for(state="visible")


def results(tab) -> list[tuple[str, str]]:
    """(kind, title) of each result shown."""
    items = tab.page.locator("#search-results .search-result")
    return [
        (item.locator(".kind").inner_text().lower(), item.locator("a").inner_text())
        for item in items.all()
    ]


def test_a_query_in_the_url_shows_its_results_names_first_without_a_request_or_error(tab, site):
    open_search(tab, site, "?q=compil")  # the last word is a prefix
    tab.page.locator("#search-count").filter(has_text="4 notes").wait_for()
    shown = results(tab)
    assert sorted(shown) == [
        ("contact", "Ada Lovelace"),
        ("interaction", "Call with Ada"),
        ("interaction", "Coffee with Ada"),
        ("note", "Reading list"),
    ]
    titles = [title for _kind, title in shown]
    assert titles.index("Coffee with Ada") < titles.index("Call with Ada")
    snippet = tab.page.locator("#search-results .search-result mark").first
    assert snippet.inner_text().lower().startswith("compil")
    tab.assert_private_and_clean()
    assert any("/search/co.js" in url for url in tab.requests)
    assert not any("/search/wr.js" in url for url in tab.requests)  # only the shards needed


def test_names_rank_above_bodies_and_accents_fold(tab, site):
    open_search(tab, site, "?q=wrobel")
    tab.page.locator("#search-count").filter(has_text="2 notes").wait_for()
    assert results(tab) == [
        ("contact", "Agnieszka Wróbel"),  # her name, above a meeting that mentions her
        ("interaction", "Coffee with Ada"),
    ]
    tab.assert_private_and_clean()


def test_cjk_names_are_found_by_a_character_and_the_kind_filter_is_kept(tab, site):
    open_search(tab, site, "?q=%E7%94%B0&kind=contact")  # 田
    tab.page.locator("#search-count").filter(has_text="1 note").wait_for()
    assert results(tab) == [("contact", "田中 さくら")]
    assert tab.page.locator("#search-kind").input_value() == "contact"
    tab.assert_private_and_clean()


def test_a_note_titled_script_is_shown_as_text(tab, site):
    open_search(tab, site, "?q=script")
    tab.page.locator("#search-count").filter(has_text="1 note").wait_for()
    link = tab.page.locator("#search-results a").first
    assert link.inner_text() == "<script>alert(1)</script>"
    assert tab.page.locator("#search-results script").count() == 0
    tab.assert_private_and_clean()


def test_typing_runs_the_search_and_writes_the_query_into_the_url(tab, site):
    open_search(tab, site, "")
    tab.page.locator("#search-q").fill("ada coffee")
    tab.page.locator("#search-count").filter(has_text="1 note").wait_for()
    assert results(tab) == [("interaction", "Coffee with Ada")]
    tab.page.locator("#search-kind").select_option("contact")
    tab.page.locator("#search-count").filter(has_text="0 notes").wait_for()
    query = parse_qs(urlsplit(tab.page.url).query)
    assert query == {"q": ["ada coffee"], "kind": ["contact"]}
    # A reload gives the same page.
    tab.page.reload()
    tab.page.locator("#search-count").filter(has_text="0 notes").wait_for()
    assert tab.page.locator("#search-q").input_value() == "ada coffee"
    tab.assert_private_and_clean()


def test_the_header_box_of_any_page_goes_to_the_search_page(tab, site):
    tab.open(site / "contacts.html")
    box = tab.page.locator("#site-search input")
    box.fill("Mathematician")
    box.press("Enter")
    tab.page.locator("#search-count").filter(has_text="1 note").wait_for()
    assert urlsplit(tab.page.url).path.endswith("/search.html")
    assert results(tab) == [("contact", "Ada Lovelace")]
    tab.page.locator("#search-results a").first.click()
    tab.page.wait_for_url("**/contacts/ada-lovelace.html")
    tab.assert_private_and_clean()


def test_the_page_folds_text_as_the_index_does(tab, site):
    """The script's folding and splitting into terms are the build's, on awkward text."""
    texts = [
        "Wróbel",
        "ŁÓDŹ straße",
        "Ǆemal İstanbul ΣΊΣΥΦΟΣ",
        "ﬁnance ½ №5",
        "田中さくら 김민준 Иван",
        "Ǹguyễn Văn A",
        "x_y o'brien e\u0301",
    ]
    open_search(tab, site, "")
    for text in texts:
        got = tab.page.evaluate("t => document.getElementById('search').terms(t)", text)
        assert got == search.terms(text), json.dumps(text)
