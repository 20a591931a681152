"""The built dashboard in a real Chromium, opened from file:// as a user would."""

from __future__ import annotations

from datetime import date

import pytest

from gitrepo import Repo
from netvault import build

# Playwright's wait_for_function evaluates a string, which the pages' CSP forbids
# ('unsafe-eval' is not allowed): waits go through locators instead.

pytestmark = pytest.mark.browser

TODAY = date(2026, 11, 20)
NOTES = {
    "contacts/Ada Lovelace.md": (
        '---\norg: "[[Analytical Engines]]"\nrole: Mathematician\ncircle: inner\n'
        "follow_up: 2026-11-13\nfollow_up_note: send the paper\ntags: [mentor]\n---\n"
        "Likes [[Grace Hopper]]. ![[ada.png]]\n"
    ),
    "contacts/Grace Hopper.md": "---\norg: Navy\ncircle: casual\nstatus: active\n---\n",
    "contacts/José Núñez.md": "---\norg: Navy\ncircle: inner\ntags: [python]\n---\n",
    "contacts/Иван Петров.md": "---\ncircle: network\nlast_contact: 2026-06-01\n---\n",
    "interactions/2026-11-16 Coffee with Grace.md": (
        '---\ntype: coffee\nwith: "[[Grace Hopper]]"\n---\nTalked about compilers.\n'
    ),
    "orgs/Analytical Engines.md": "---\nwebsite: https://engines.example\n---\n",
    # A minimal valid PNG (1×1), so the embed loads without an error.
    "attachments/ada.png": None,
}
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("dashboard")
    vault = root / "vault"
    repo = Repo(vault)  # a history to show: two commits, and one note changed since
    for rel, text in NOTES.items():
        path = vault / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if text is None:
            path.write_bytes(PNG)
        else:
            path.write_text(text, encoding="utf-8")
    repo.commit("Start the network")
    repo.write(
        "contacts/Grace Hopper.md",
        NOTES["contacts/Grace Hopper.md"].replace("org: Navy", "org: Navy\nrole: Rear Admiral"),
    )
    repo.commit("Grace's rank")
    repo.write("contacts/José Núñez.md", NOTES["contacts/José Núñez.md"] + "Met at PyCon.\n")
    out = root / "site"
    build.build(vault, out, TODAY)
    return out


def expect_names(page, names: list[str]) -> None:
    """Wait (typing is debounced) until exactly these contacts are shown, in this order."""
    from playwright.sync_api import expect

    cells = page.locator("#contacts tbody tr:not([hidden]) td:first-child")
    expect(cells).to_have_text(names)


def visible_names(page) -> list[str]:
    return page.eval_on_selector_all(
        "#contacts tbody tr:not([hidden]) td:first-child", "cells => cells.map(c => c.innerText)"
    )


def test_today_page_shows_the_overdue_follow_up_with_its_styles_and_script(tab, site):
    tab.open(site / "index.html")
    page = tab.page
    row = page.locator("#overdue li.followup.explicit")
    assert row.count() == 1
    assert "Ada Lovelace" in row.inner_text()
    assert "send the paper" in row.inner_text()
    assert "7 days overdue" in row.inner_text()
    # The stylesheet applied under the page's CSP: overdue rows are highlighted.
    border = row.evaluate("el => getComputedStyle(el).borderLeftStyle")
    assert border == "solid"
    assert page.evaluate("document.styleSheets.length") == 1
    tab.assert_private_and_clean()


def test_contacts_filter_by_text_and_selects(tab, site):
    tab.open(site / "contacts.html")
    page = tab.page
    # The script ran (CSP allowed it): it shows the filter bar.
    page.wait_for_selector("#contact-filters:not([hidden])")
    everyone = ["Ada Lovelace", "Grace Hopper", "José Núñez", "Иван Петров"]  # by name
    assert visible_names(page) == everyone
    assert page.inner_text("#filter-count") == "4 contacts"

    page.fill("#filter-text", "grace")
    expect_names(page, ["Grace Hopper"])
    assert page.inner_text("#filter-count") == "1 of 4 contacts"

    page.fill("#filter-text", "jose")  # accents do not matter
    expect_names(page, ["José Núñez"])
    page.fill("#filter-text", "navy")  # the organisation is searched too
    expect_names(page, ["Grace Hopper", "José Núñez"])

    page.fill("#filter-text", "")
    expect_names(page, everyone)
    page.select_option("#filter-circle", "inner")
    expect_names(page, ["Ada Lovelace", "José Núñez"])
    page.select_option("#filter-org", "text:navy")
    expect_names(page, ["José Núñez"])
    page.select_option("#filter-circle", "")
    page.select_option("#filter-org", "")
    page.select_option("#filter-tag", "mentor")
    expect_names(page, ["Ada Lovelace"])
    tab.assert_private_and_clean()


def test_contacts_filters_are_kept_in_the_url_and_restored_from_it(tab, site):
    from urllib.parse import parse_qs, urlsplit

    tab.open(site / "contacts.html")
    page = tab.page
    page.wait_for_selector("#contact-filters:not([hidden])")
    page.fill("#filter-text", "navy")
    page.select_option("#filter-circle", "inner")
    expect_names(page, ["José Núñez"])
    assert parse_qs(urlsplit(page.url).query) == {"q": ["navy"], "circle": ["inner"]}
    page.reload()  # a reload, or the link shared, shows the same rows
    page.wait_for_selector("#contact-filters:not([hidden])")
    expect_names(page, ["José Núñez"])
    assert page.input_value("#filter-text") == "navy"
    page.goto((site / "contacts.html").as_uri() + "?tag=mentor&org=gone")
    expect_names(page, ["Ada Lovelace"])  # an option the page has not is no filter
    assert page.input_value("#filter-org") == ""
    tab.assert_private_and_clean()


def test_contacts_sort_by_last_contact_and_next_due(tab, site):
    tab.open(site / "contacts.html")
    page = tab.page
    page.click("th[data-sort='last'] button")
    page.wait_for_selector("th[data-sort='last'][aria-sort='ascending']")
    assert visible_names(page)[:2] == ["Иван Петров", "Grace Hopper"]
    page.click("th[data-sort='last'] button")
    page.wait_for_selector("th[data-sort='last'][aria-sort='descending']")
    assert visible_names(page)[:2] == ["Grace Hopper", "Иван Петров"]
    page.click("th[data-sort='next'] button")
    # Keep in touch with Иван since 2026-08-30, Ada's follow-up 2026-11-13, Grace's
    # thank-you 2026-11-17; José has nothing due and goes last.
    expect_names(page, ["Иван Петров", "Ada Lovelace", "Grace Hopper", "José Núñez"])
    tab.assert_private_and_clean()


def test_contacts_on_a_phone_are_cards_that_filter_and_sort(sized_tab, site):
    """At 390 px each contact is a card as wide as the screen, with no column to
    scroll to; the filter and the two sort buttons work as on a wide screen."""
    from playwright.sync_api import expect

    tab = sized_tab(390)
    tab.open(site / "contacts.html")
    page = tab.page
    wrap = page.locator(".table-wrap")
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth")
    for box in (row.bounding_box() for row in page.locator("#contacts tbody tr").all()):
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    ada = page.locator("#contacts tbody tr", has_text="Ada Lovelace")
    for shown in ("Analytical Engines", "Mathematician", "inner", "#mentor", "2026-11-13"):
        expect(ada).to_contain_text(shown)
    expect(page.locator("#contacts th", has_text="Organisation")).to_be_hidden()
    page.get_by_role("button", name="Next due").click()
    expect_names(page, ["Иван Петров", "Ada Lovelace", "Grace Hopper", "José Núñez"])
    page.fill("#filter-text", "navy")
    expect_names(page, ["Grace Hopper", "José Núñez"])
    tab.assert_private_and_clean()


def test_contact_page_loads_with_its_attachment_and_nothing_else(tab, site):
    tab.open(site / "contacts" / "ada-lovelace.html")
    page = tab.page
    assert page.evaluate("document.querySelector('#body img').naturalWidth") == 1
    assert any(url.endswith("/attachments/ada.png") for url in tab.requests)
    tab.assert_private_and_clean()


def test_the_policy_is_enforced_and_blocks_remote_loads(tab, site):
    """The policy is live under file:// ('self' still loads the theme, above) and blocks the web."""
    tab.open(site / "index.html")
    finished: list[str] = []
    tab.page.on("requestfinished", lambda request: finished.append(request.url))
    violated = tab.page.evaluate(
        """() => new Promise(resolve => {
            document.addEventListener("securitypolicyviolation",
                e => resolve(e.violatedDirective), {once: true});
            const img = document.createElement("img");
            img.src = "https://tracker.example/pixel.gif";
            document.body.append(img);
        })"""
    )
    assert violated == "img-src"
    assert not any(url.startswith("http") for url in finished)


def test_activity_and_history_from_today_to_a_contact(tab, site):
    """From Today: the notes not committed, the Activity page, a commit's note, its History."""
    from playwright.sync_api import expect

    tab.open(site / "index.html")
    page = tab.page
    expect(page.locator("#uncommitted")).to_contain_text("1 note has changes not committed")
    expect(page.locator("#uncommitted li")).to_have_text(["changed José Núñez"])
    page.locator(".site-nav").get_by_role("link", name="Activity").click()
    subjects = page.locator(".commit .subject")
    expect(subjects).to_have_count(2)
    expect(subjects.first).to_contain_text("Grace's rank")
    page.locator(".commit").first.get_by_role("link", name="Grace Hopper").click()
    history = page.locator("#history > ol > li")
    expect(history).to_have_count(2)
    expect(history.first.locator(".changed li")).to_have_text(["role: Rear Admiral"])
    tab.assert_private_and_clean()


def test_network_page_of_the_example_draws_its_charts_and_graph(tab, example_site):
    from playwright.sync_api import expect

    tab.open(example_site / "network.html")
    page = tab.page
    for chart in ("#growth svg", "#per-month svg", "#within-cadence", "#referral-graph"):
        box = page.locator(chart).bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 50, chart
    expect(page.locator("#suggestions li")).to_contain_text(["Priya Raman and Lena Hartmann"])
    chain = page.locator("#referrals li", has_text="Adaeze Nwosu → Lena Hartmann")
    expect(chain.first).to_be_visible()
    # A person in the graph is a link to their page.
    page.locator("#referral-graph a", has_text="Lena Hartmann").first.click()
    expect(page.locator("h1")).to_have_text("Lena Hartmann")
    tab.assert_private_and_clean()


def test_goals_page_of_the_example_leads_to_a_goal_and_who_can_help(tab, example_site):
    from playwright.sync_api import expect

    tab.open(example_site / "goals.html")
    page = tab.page
    rows = page.locator("#goals tbody tr")
    expect(rows).to_have_count(2)
    page.get_by_role("link", name="Land a data role in climate tech").click()
    expect(page.locator("h1")).to_have_text("Land a data role in climate tech")
    expect(page.locator("#targets")).to_contain_text("You know")
    tab.assert_private_and_clean()


def test_a_long_group_of_follow_ups_pages_through_from_the_overview(tab, tmp_path, monkeypatch):
    """All follow-ups → a group's own pages, each clean, one after another with Next."""
    from playwright.sync_api import expect

    from netvault import site as site_module

    monkeypatch.setattr(site_module, "FOLLOWUP_PAGE_ROWS", 10)
    vault = tmp_path / "vault"
    (vault / "contacts").mkdir(parents=True)
    for n in range(30):
        text = f"---\nfollow_up: 2026-10-{n + 1:02d}\ncadence: none\n---\n"
        (vault / "contacts" / f"P{n:02d}.md").write_text(text, encoding="utf-8")
    build.build(vault, tmp_path / "site", TODAY)
    tab.open(tmp_path / "site" / "followups.html")
    page = tab.page
    page.locator("#overdue-explicit h3").get_by_role("link").click()
    pages = int(page.locator(".subtitle").inner_text().split(" of ")[1].split(",")[0])
    assert pages >= 3
    seen = []
    for number in range(1, pages + 1):
        expect(page.locator("h1")).to_have_text("Overdue: follow-ups you set")
        expect(page.locator(".subtitle")).to_contain_text(f"page {number} of {pages}")
        tab.assert_private_and_clean()
        seen += page.locator("li.followup .who").all_inner_texts()
        if number < pages:
            page.locator("nav.pager").first.get_by_role("link", name="Next →").click()
    assert seen == [f"P{n:02d}" for n in range(30)]
    expect(page.locator("nav.pager").first.get_by_role("link", name="Next →")).to_have_count(0)


def test_a_long_contacts_list_pages_through_and_filters_each_page(tab, tmp_path, monkeypatch):
    """Contacts → page 2 with Next, clean under the policy; its filters and sorting work
    on its own rows and say so; its numbered links lead to the other pages.
    """
    from playwright.sync_api import expect

    from netvault import site as site_module

    monkeypatch.setattr(site_module, "CONTACT_PAGE_ROWS", 3)
    vault = tmp_path / "vault"
    (vault / "contacts").mkdir(parents=True)
    for n in range(7):
        circle = "inner" if n % 2 else "outer"
        text = f"---\ncircle: {circle}\nlast_contact: 2026-0{9 - n % 3}-01\n---\n"
        (vault / "contacts" / f"P{n}.md").write_text(text, encoding="utf-8")
    build.build(vault, tmp_path / "site", TODAY)
    tab.open(tmp_path / "site" / "contacts.html")
    page = tab.page
    page.wait_for_selector("#contact-filters:not([hidden])")
    expect_names(page, ["P0", "P1", "P2"])
    assert page.inner_text("#filter-count") == "3 contacts on this page"
    page.locator("nav.pager").first.get_by_role("link", name="Next →").click()
    expect(page.locator(".subtitle")).to_contain_text("7 contacts, by name: 4–6 on this page")
    tab.assert_private_and_clean()
    page.wait_for_selector("#contact-filters:not([hidden])")
    expect_names(page, ["P3", "P4", "P5"])
    page.select_option("#filter-circle", "inner")
    expect_names(page, ["P3", "P5"])
    expect(page.locator("#filter-count")).to_have_text("2 of 3 contacts on this page")
    page.select_option("#filter-circle", "")
    page.fill("#filter-text", "p4")
    expect_names(page, ["P4"])
    page.fill("#filter-text", "")
    page.click("th[data-sort='last'] button")  # P3 in September, P4 in August, P5 in July
    expect_names(page, ["P5", "P4", "P3"])
    page.locator("nav.pager").first.get_by_role("link", name="3", exact=True).click()
    expect(page.locator(".subtitle")).to_contain_text("7–7 on this page, page 3 of 3")
    expect_names(page, ["P6"])
    expect(page.locator("nav.pager").first.get_by_role("link", name="Next →")).to_have_count(0)
    tab.assert_private_and_clean()


def test_interactions_lead_to_each_month_and_back(tab, example_site):
    """Interactions → a month's page (clean under the policy) → the month before, → back."""
    from playwright.sync_api import expect

    tab.open(example_site / "interactions.html")
    page = tab.page
    months = page.locator("nav.months a")
    assert months.count() >= 2
    first = months.first.inner_text()
    months.first.click()
    expect(page.locator("h1")).to_contain_text("Interactions, ")
    assert page.locator("#interactions li").count() >= 1
    tab.assert_private_and_clean()
    page.locator("nav.pager").get_by_role("link", name="Older →").click()
    expect(page.locator("h1")).not_to_contain_text(first)
    page.locator(".kicker").get_by_role("link", name="Interactions").click()
    expect(page.locator("h1")).to_have_text("Interactions")


def test_every_page_of_the_example_is_laid_out_as_the_others_are(tab, example_site):
    """Each page's main column spans the page as Today's does: a page's own class (`tags`,
    `activity`) once took the styles of a pill list or a list of commits."""
    tab.open(example_site / "index.html")
    width = tab.page.locator("main").bounding_box()["width"]
    pages = ["tags.html", "activity.html", "contacts.html", "network.html", "interactions.html"]
    pages += [
        p.relative_to(example_site).as_posix() for p in (example_site / "tags").glob("*.html")
    ][:3]
    for rel in pages:
        tab.open(example_site / rel)
        box = tab.page.locator("main").bounding_box()
        assert box is not None and abs(box["width"] - width) < 2, rel
        assert tab.page.locator("body").evaluate("b => getComputedStyle(b).display") == "block", rel
    tab.assert_private_and_clean()


def test_today_counts_the_long_overdue_and_leads_to_every_one_at_any_width(tab, tmp_path):
    """Years-old tasks are a digest on Today (the oldest, how many), laid out without
    overflow on a desktop and a phone, and its link opens the page that lists them all."""
    from playwright.sync_api import expect

    vault = tmp_path / "vault"
    (vault / "interactions").mkdir(parents=True)
    tasks = "".join(f"- [ ] Send the paper number {n} 📅 2018-0{n + 1}-05\n" for n in range(4))
    (vault / "interactions" / "2018-01-01 Call.md").write_text(
        "---\ntype: call\n---\n" + tasks, encoding="utf-8"
    )
    build.build(vault, tmp_path / "site", TODAY)
    tab.open(tmp_path / "site" / "index.html")
    page = tab.page
    for width in (1400, 390):
        page.set_viewport_size({"width": width, "height": 900})
        group = page.locator("#long-overdue-task")
        expect(group.locator("li.followup")).to_have_count(1)
        expect(group.locator("li.followup .reason")).to_have_text("Send the paper number 0")
        overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, width
    tab.assert_private_and_clean()
    page.locator("#long-overdue-task h3").get_by_role("link").click()
    expect(page.locator("h1")).to_have_text("Long overdue: tasks")
    expect(page.locator("li.followup")).to_have_count(4)
    tab.assert_private_and_clean()


def test_a_link_to_the_editor_opens_another_application_and_loads_nothing(tab, site):
    """Under the pages' policy, following `vscode://…` is a navigation the browser hands to
    another application: no request, no violation, and the dashboard stays where it is."""
    tab.open(site / "index.html")
    page = tab.page
    violations = page.evaluate(
        """() => { window.violations = [];
            document.addEventListener("securitypolicyviolation",
                e => window.violations.push(e.violatedDirective));
            return window.violations.length; }"""
    )
    link = page.locator("#overdue li.followup.explicit a.edit")
    href = link.get_attribute("href")
    assert href.startswith("vscode://file/")
    assert href.endswith("/vault/contacts/Ada%20Lovelace.md:5")  # follow_up:
    before = len(tab.requests)
    link.click()
    page.wait_for_timeout(300)
    assert violations == 0 and page.evaluate("window.violations") == []
    assert page.url == (site / "index.html").as_uri()
    # The one navigation is the link's own, handed over to the application, not fetched.
    assert tab.requests[before:] == [href]
    assert all(url.startswith("file://") for url in tab.requests[:before])
    assert tab.errors == []
