"""The dashboard site: pages checked by structure, plus the atomic, reproducible write."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import shutil
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from click.testing import CliRunner

from gitrepo import Repo
from netvault import build, followups, site
from netvault.cli import cli

TODAY = date(2026, 11, 20)
CSP = (
    "default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "base-uri 'none'; form-action 'none'"
)

# ---------------------------------------------------------------------------
# A small HTML tree, enough to find elements by tag, id and class.

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Element | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Element | str] = []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self, between: str = "") -> str:
        parts = [c if isinstance(c, str) else c.text(between) for c in self.children]
        return " ".join(between.join(parts).split())

    def iter(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, *, id: str | None = None, cls: str | None = None):
        return [
            e
            for e in self.iter()
            if (tag is None or e.tag == tag)
            and (id is None or e.attrs.get("id") == id)
            and (cls is None or cls in e.classes)
        ]

    def find(self, tag: str | None = None, *, id: str | None = None, cls: str | None = None):
        found = self.find_all(tag, id=id, cls=cls)
        assert found, f"no <{tag or '*'} id={id} class={cls}>"
        return found[0]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse_html(text: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def page(out: Path, rel: str) -> Element:
    return parse_html((out / rel).read_text(encoding="utf-8"))


def html_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


# ---------------------------------------------------------------------------
# Building


def make_site(vault_dir: Path, today: date = TODAY, out: Path | None = None) -> Path:
    out = out or vault_dir.parent / "site"
    build.build(vault_dir, out, today)
    return out


ADA = """
---
org: "[[Analytical Engines]]"
role: Mathematician
email: ada@example.org
website: https://ada.example.org
linkedin: ada-lovelace
circle: inner
cadence: 30d
tags: [mentor]
---
Notes on Ada. See [[Grace Hopper]] and [the paper](https://example.com/paper).
"""
GRACE = """
---
org: Navy
circle: casual
referred_by: "[[Ada Lovelace]]"
---
"""
COFFEE = """
---
type: coffee
with: "[[Grace Hopper]]"
thank_you: false
---
We talked about compilers.
"""


@pytest.fixture
def small(vault):
    return vault(
        {
            "contacts/Ada Lovelace.md": ADA,
            "contacts/Grace Hopper.md": GRACE,
            "interactions/2026-09-01 Call with Ada.md": (
                '---\ntype: call\nwith: "[[Ada Lovelace]]"\n---\n'
            ),
            "interactions/2026-11-15 Coffee with Grace.md": COFFEE,
            "orgs/Analytical Engines.md": "---\nwebsite: https://engines.example\n---\n",
            "goals/Move into design.md": (
                '---\ntargets: ["[[Analytical Engines]]"]\n---\n- [ ] Read 📅 2026-12-01\n'
            ),
            "Daily/2026-11-01.md": "Bumped into nobody.\n",
        }
    )


# ---------------------------------------------------------------------------
# Today


def test_today_lists_an_overdue_follow_up_with_its_evidence_and_source(small):
    out = make_site(small)
    today = page(out, "index.html")
    overdue = today.find("section", id="overdue")
    rows = overdue.find_all("li", cls="followup")
    keep = next(r for r in rows if "keep-in-touch" in r.classes)
    assert "overdue" in keep.classes
    who = keep.find(cls="who").find("a")
    assert who.text() == "Ada Lovelace"
    assert who.attrs["href"] == "contacts/ada-lovelace.html"
    assert "Keep in touch with Ada Lovelace" in keep.find(cls="reason").text()
    # Due 30 days after the call on 2026-09-01.
    assert keep.find("time").attrs["datetime"] == "2026-10-01"
    assert keep.find(cls="rel").text() == "50 days overdue"
    # The evidence is the last touch, linked to the note that is that touch.
    evidence = keep.find(cls="evidence").find("a")
    assert "2026-09-01" in evidence.text()
    assert evidence.attrs["href"] == "interactions/2026-09-01-call-with-ada.html"
    source = keep.find("a", cls="source")
    assert re.fullmatch(r"contacts/Ada Lovelace\.md:\d+", source.text())
    assert source.attrs["href"] == "contacts/ada-lovelace.html"


def test_today_shows_due_soon_and_recent_interactions(small):
    out = make_site(small)
    today = page(out, "index.html")
    soon = today.find("section", id="soon")
    loop = soon.find("li", cls="close-the-loop")
    assert loop.find(cls="rel").text() == "in 2 days"
    recent = today.find("section", id="recent")
    titles = [a.text() for a in recent.find_all("a") if "interactions/" in a.attrs["href"]]
    assert titles == ["Coffee with Grace"]  # the September call is older than 14 days
    assert today.find("h1").find("time").attrs["datetime"] == "2026-11-20"


def test_rows_per_group_caps_each_group_and_links_to_the_rest(vault):
    files = {"netvault.toml": "[site]\nrows_per_group = 2\n"}
    for n in range(5):
        files[f"contacts/P{n}.md"] = f"---\nfollow_up: 2026-11-0{n + 1}\ncadence: none\n---\n"
    out = make_site(vault(files))
    group = page(out, "index.html").find("section", id="overdue-explicit")
    assert len(group.find_all("li", cls="followup")) == 2
    more = group.find("p", cls="more").find("a")
    assert more.text() == "3 more"
    assert more.attrs["href"] == "followups/overdue-explicit.html"
    # Most overdue first; the group's own page has every row, the overview the first two.
    shown = [r.find(cls="who").text() for r in group.find_all("li", cls="followup")]
    assert shown == ["P0", "P1"]
    overview = page(out, "followups.html").find("section", id="overdue-explicit")
    assert len(overview.find_all("li", cls="followup")) == 2
    title = overview.find("h3").find("a")
    assert title.attrs["href"] == "followups/overdue-explicit.html"
    full = page(out, "followups/overdue-explicit.html")
    rows = [r.find(cls="who").text() for r in full.find_all("li", cls="followup")]
    assert rows == ["P0", "P1", "P2", "P3", "P4"]
    assert not full.find_all("nav", cls="pager")  # one page: nothing to page through


def test_interactions_show_the_latest_and_every_month_has_a_page(vault, monkeypatch):
    monkeypatch.setattr(site, "INTERACTIONS_SHOWN", 2)
    files = {"contacts/Ada.md": ""}
    for day in ("2026-09-03", "2026-11-01", "2026-11-12", "2025-12-24"):
        files[f"interactions/{day} Call.md"] = "---\nwith: '[[Ada]]'\n---\n"
    files["interactions/Chat.md"] = "---\nwith: '[[Ada]]'\n---\n"  # no date at all
    out = make_site(vault(files))
    overview = page(out, "interactions.html")
    shown = [a.attrs["href"] for a in overview.find("ul", id="interactions").find_all("a")]
    latest = ["interactions/2026-11-12-call.html", "interactions/2026-11-01-call.html"]
    assert [h for h in shown if h.startswith("interactions/")] == latest
    assert "5 logged; the latest 2 here" in overview.find("p", cls="subtitle").text()
    years = overview.find("nav", cls="months").find_all("li")
    assert [li.find("span", cls="year").text() for li in years] == ["2026", "2025", "Undated"]
    months = [a.attrs["href"] for a in overview.find("nav", cls="months").find_all("a")]
    assert months == [
        "timeline/2026-11.html",
        "timeline/2026-09.html",
        "timeline/2025-12.html",
        "timeline/undated.html",
    ]
    november = page(out, "timeline/2026-11.html")
    assert november.find("h1").text() == "Interactions, November 2026"
    entries = november.find("ul", id="interactions").find_all("li")
    assert len(entries) == 2
    hrefs = [a.attrs["href"] for a in november.find("ul", id="interactions").find_all("a")]
    assert "../interactions/2026-11-12-call.html" in hrefs and "../contacts/ada.html" in hrefs
    pager = {
        a.attrs.get("rel"): a.attrs["href"] for a in november.find("nav", cls="pager").find_all("a")
    }
    assert pager == {"next": "../timeline/2026-09.html"}  # the newest month: nothing newer
    undated = page(out, "timeline/undated.html")
    assert undated.find("h1").text() == "Interactions with no date"
    pager = {
        a.attrs.get("rel"): a.attrs["href"] for a in undated.find("nav", cls="pager").find_all("a")
    }
    assert pager == {"prev": "../timeline/2025-12.html"}


def _due_list(first: date, count: int) -> dict[str, str]:
    """Contacts P00… each with a follow-up set, a day apart from `first` on."""
    front = "---\nfollow_up: {}\ncadence: none\n---\n"
    return {f"contacts/P{n:02d}.md": front.format(first + timedelta(days=n)) for n in range(count)}


def _group_pages(out: Path, stem: str) -> dict[str, bytes]:
    """The pages of one group of follow-ups, by file name."""
    return {p.name: p.read_bytes() for p in (out / "followups").glob(f"{stem}*.html")}


def test_a_long_group_of_follow_ups_is_split_into_pages_linked_in_order(vault, monkeypatch):
    """Pages of at most FOLLOWUP_PAGE_ROWS rows, each saying the dates it spans, linked
    from one to the next, that list every follow-up once, in order.
    """
    monkeypatch.setattr(site, "FOLLOWUP_PAGE_ROWS", 10)
    out = make_site(vault(_due_list(date(2026, 12, 1), 60)))
    made = sorted(p.name for p in (out / "followups").iterdir())
    names = ["later-explicit.html", *(f"later-explicit-{n}.html" for n in range(2, len(made) + 1))]
    assert made == sorted(names) and len(names) >= 6
    seen = []
    for number, name in enumerate(names, 1):
        shown = page(out, f"followups/{name}")
        rows = [r.find(cls="who").text() for r in shown.find_all("li", cls="followup")]
        assert 1 <= len(rows) <= 10
        first, last = (date(2026, 12, 1) + timedelta(days=int(r[1:])) for r in (rows[0], rows[-1]))
        subtitle = shown.find("p", cls="subtitle").text()
        assert f"Due {first} to {last}, page {number} of {len(names)}" in subtitle
        seen += rows
        pager = shown.find("nav", cls="pager")
        here = pager.find("strong")
        assert here.text() == str(number) and here.attrs["aria-current"] == "page"
        rels = {a.attrs.get("rel"): a.attrs["href"] for a in pager.find_all("a")}
        siblings = [f"../followups/{n}" for n in names]
        assert rels.get("next") == (siblings[number] if number < len(names) else None)
        assert rels.get("prev") == (siblings[number - 2] if number > 1 else None)
        # Links on a page one folder down go back up to the notes.
        who = shown.find("li", cls="followup").find(cls="who").find("a")
        assert who.attrs["href"].startswith("../contacts/")
    assert seen == [f"P{n:02d}" for n in range(60)]


def test_a_follow_up_that_moves_changes_the_pages_it_leaves_and_joins_alone(
    vault, tmp_path, monkeypatch
):
    """Where a page of follow-ups ends depends on its own rows: one follow-up moved from
    the start of a long group to its end leaves the pages between as they were.
    """
    monkeypatch.setattr(site, "FOLLOWUP_PAGE_ROWS", 10)
    files = _due_list(date(2026, 12, 1), 80)
    root = vault(files)
    before = _group_pages(make_site(root), "later-explicit")
    assert len(before) >= 8
    moved = "---\nfollow_up: 2027-06-01\ncadence: none\n---\n"  # after every other
    (root / "contacts" / "P03.md").write_text(moved, encoding="utf-8")
    after = _group_pages(make_site(root, out=tmp_path / "again"), "later-explicit")
    assert after.keys() == before.keys()
    differ = {name for name in before if before[name] != after[name]}
    [left] = [name for name, data in before.items() if b">P03</a>" in data]
    joined = f"later-explicit-{len(before)}.html"
    assert b">P03</a>" in after[joined]
    assert differ == {left, joined}


def test_a_long_contacts_list_is_split_into_pages_that_reach_everyone(vault, monkeypatch):
    """More contacts than a page holds: several pages, each at most a page's worth, linked
    in order from one to the next, that list every contact once, by name.
    """
    monkeypatch.setattr(site, "CONTACT_PAGE_ROWS", 4)
    names = [f"Person {n:02d}" for n in range(10)]
    files = {f"contacts/{name}.md": "---\ncircle: inner\n---\n" for name in names}
    files["contacts/Person 03.md"] = "---\ncircle: outer\ntags: [odd]\n---\n"
    out = make_site(vault(files))
    pages = ["contacts.html", "contacts-2.html", "contacts-3.html"]
    assert sorted(p.name for p in out.glob("contacts*.html")) == sorted(pages)
    seen = []
    for number, name in enumerate(pages, 1):
        shown = page(out, name)
        rows = shown.find("table", id="contacts").find("tbody").find_all("tr")
        assert 0 < len(rows) <= 4
        for row in rows:
            link = row.find("a")
            seen.append(link.text())
            assert (out / unquote(link.attrs["href"])).is_file()
        assert "10 contacts, by name" in shown.find("p", cls="subtitle").text()
        assert f"page {number} of 3" in shown.find("p", cls="subtitle").text()
        for pager in shown.find_all("nav", cls="pager"):  # above and below the table
            here = pager.find("strong")
            assert here.text() == str(number) and here.attrs["aria-current"] == "page"
            rels = {a.attrs.get("rel"): a.attrs["href"] for a in pager.find_all("a")}
            assert rels.get("next") == (pages[number] if number < 3 else None)
            assert rels.get("prev") == (pages[number - 2] if number > 1 else None)
            numbered = {
                a.text(): a.attrs["href"] for a in pager.find_all("a") if not a.attrs.get("rel")
            }
            assert numbered == {str(n): f for n, f in enumerate(pages, 1) if n != number}
        # Each page's filters offer what its own rows hold, counted there.
        circles = [o.text() for o in shown.find("select", id="filter-circle").find_all("option")]
        assert circles == (
            ["Any", "inner (3)", "outer (1)"] if number == 1 else ["Any", f"inner ({len(rows)})"]
        )
    assert seen == names
    # Each page's link says whom it holds, to look someone up without the script.
    pager = page(out, "contacts.html").find("nav", cls="pager")
    hints = [e.attrs.get("title") for e in pager.iter() if e.tag in ("a", "strong")]
    assert hints == [
        "Person 00 – Person 03",
        "Person 04 – Person 07",
        "Person 08 – Person 09",
        None,
    ]


def test_thank_yous_come_before_keep_in_touch_and_inner_circles_before_outer(vault):
    files = {
        # Outer circle, most overdue: still after the inner one within the group.
        "contacts/Far.md": "---\ncircle: acquaintance\nlast_contact: 2025-01-01\n---\n",
        "contacts/Near.md": "---\ncircle: inner\nlast_contact: 2026-10-01\n---\n",
        "contacts/Mid.md": "---\ncircle: casual\nlast_contact: 2025-06-01\n---\n",
        "contacts/Odd.md": "---\ncircle: mystery\ncadence: 10d\nlast_contact: 2025-01-01\n---\n",
        "interactions/2026-11-10 Coffee with Far.md": ('---\ntype: coffee\nwith: "[[Far]]"\n---\n'),
        # Mid and Odd are a year and more overdue: listed, not only counted, with this.
        "netvault.toml": "[followups]\nlookback_days = 1000\n",
    }
    out = make_site(vault(files), today=date(2026, 11, 12))
    overdue = page(out, "index.html").find("section", id="overdue")
    groups = [g.attrs["id"] for g in overdue.find_all("section", cls="group")]
    assert groups.index("overdue-thank-you") < groups.index("overdue-keep-in-touch")
    keep = overdue.find("section", id="overdue-keep-in-touch")
    who = [r.find(cls="who").text() for r in keep.find_all("li", cls="followup")]
    # Far was met on 2026-11-10; the less overdue inner circle comes first, unknown circles last.
    assert who == ["Near", "Mid", "Odd"]
    assert page(out, "index.html").find("li", cls="thank-you").find(cls="who").text() == "Far"


BACKLOG = {
    # Years of history: a task of 2018, a follow-up of 2019 and a tie kept in touch with
    # until 2020 are long overdue on 2026-11-20; Grace's follow-up of last month is not.
    "contacts/Ada Lovelace.md": "---\ncadence: 30d\nlast_contact: 2020-01-01\n---\n",
    "contacts/Grace Hopper.md": "---\ncadence: none\nfollow_up: 2026-10-20\n---\n",
    "contacts/Linus Torvalds.md": "---\ncadence: none\nfollow_up: 2019-05-01\n---\n",
    "contacts/Alan Turing.md": "---\ncadence: none\nfollow_up: 2019-02-01\n---\n",
    "interactions/2018-03-01 Call.md": (
        "---\nwith: '[[Alan Turing]]'\ntype: call\n---\n"
        "- [ ] Send Alan the paper 📅 2018-03-05\n- [ ] Ask about chess 📅 2018-04-01\n"
    ),
}


def test_today_counts_the_long_overdue_by_kind_with_the_oldest_and_lists_them_elsewhere(vault):
    out = make_site(vault(BACKLOG))
    today = page(out, "index.html")
    overdue = today.find("section", id="overdue")
    listed = [r.find(cls="reason").text() for r in overdue.find_all("li", cls="followup")]
    assert listed == ["Follow up with Grace Hopper"]  # 31 days overdue: within the 60
    assert today.find("section", id="overdue").find("span", cls="count").text() == "1"
    backlog = today.find("section", id="long-overdue")
    assert backlog.find("span", cls="count").text() == "5"
    counts = today.find("ul", id="counts").find("li", cls="long-overdue")
    assert counts.text() == "5 long overdue"
    groups = {g.attrs["id"]: g for g in backlog.find_all("section", cls="group")}
    assert list(groups) == [
        "long-overdue-explicit",
        "long-overdue-task",
        "long-overdue-keep-in-touch",
    ]
    explicit = groups["long-overdue-explicit"]
    assert explicit.find("span", cls="count").text() == "(2)"
    # The oldest of each kind, with its date and a link to its note; one row each.
    (oldest,) = explicit.find_all("li", cls="followup")
    assert "long-overdue" in oldest.classes
    assert oldest.find("time").attrs["datetime"] == "2019-02-01"
    assert oldest.find(cls="who").find("a").attrs["href"] == "contacts/alan-turing.html"
    assert oldest.find("a", cls="source").attrs["href"] == "contacts/alan-turing.html"
    assert explicit.find("p", cls="more").find("a").text() == "1 more"
    (task,) = groups["long-overdue-task"].find_all("li", cls="followup")
    assert task.find("time").attrs["datetime"] == "2018-03-05"
    assert task.find("a", cls="source").attrs["href"] == "interactions/2018-03-01-call.html"
    link = groups["long-overdue-task"].find("h3").find("a")
    assert link.attrs["href"] == "followups/long-overdue-task.html"
    (keep,) = groups["long-overdue-keep-in-touch"].find_all("li", cls="followup")
    assert keep.find("time").attrs["datetime"] == "2020-01-31"
    # Nothing lost: the pages of every follow-up list each one.
    every = page(out, "followups/long-overdue-task.html").find_all("li", cls="followup")
    assert [r.find(cls="reason").text() for r in every] == [
        "Send Alan the paper",
        "Ask about chess",
    ]
    overview = page(out, "followups.html").find("section", id="long-overdue")
    assert overview.find("span", cls="count").text() == "5"


def test_the_look_back_is_a_setting_and_no_backlog_shows_no_digest(vault):
    files = {**BACKLOG, "netvault.toml": "[followups]\nlookback_days = 5000\n"}
    today = page(make_site(vault(files)), "index.html")
    assert today.find("section", id="overdue").find("span", cls="count").text() == "6"
    assert not today.find_all(id="long-overdue")
    assert not today.find("ul", id="counts").find_all(cls="long-overdue")


def test_an_edit_that_changes_the_digest_remakes_today_as_a_full_build_makes_it(vault, tmp_path):
    root = vault(BACKLOG)
    builder = build.Builder(root, tmp_path / "a")
    builder.build(TODAY)
    builder.save_cache()
    # An older follow-up becomes the oldest; a new process takes up the last build.
    (root / "contacts/Grace Hopper.md").write_text(
        "---\ncadence: none\nfollow_up: 2017-06-01\n---\n"
    )
    build.Builder(root, tmp_path / "a").build(TODAY, ["contacts/Grace Hopper.md"])
    build.Builder(root, tmp_path / "full", use_cache=False).build(TODAY)
    for rel in ("index.html", "followups.html", "followups/long-overdue-explicit.html"):
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "full" / rel).read_bytes()
    explicit = page(tmp_path / "a", "index.html").find("section", id="long-overdue-explicit")
    assert explicit.find("time").attrs["datetime"] == "2017-06-01"
    assert explicit.find("span", cls="count").text() == "(3)"


def test_an_empty_vault_gets_a_friendly_empty_state(vault):
    out = make_site(vault({"README.md": "Nothing yet.\n"}))
    today = page(out, "index.html")
    empty = today.find(id="empty")
    assert "contacts/" in empty.text()
    assert not today.find_all(cls="followup")


# ---------------------------------------------------------------------------
# Pages and links


def test_every_contact_has_a_page_linked_from_the_contacts_table(small):
    out = make_site(small)
    loaded = build.load(small)
    table = page(out, "contacts.html").find("table", id="contacts")
    hrefs = {
        a.attrs["href"] for a in table.find("tbody").find_all("a") if "contacts/" in a.attrs["href"]
    }
    assert len(loaded.model.contacts) == 2
    for contact in loaded.model.contacts.values():
        name = contact.path.rsplit("/", 1)[1][:-3]
        rel = f"contacts/{site.slugify(name)}.html"
        assert (out / rel).is_file()
        assert rel in hrefs
        assert page(out, rel).find("h1").text() == contact.name
    rows = table.find("tbody").find_all("tr")
    ada = next(r for r in rows if "Ada" in r.text())
    assert ada.attrs["data-circle"] == "inner"
    assert ada.attrs["data-tags"] == "mentor"
    assert ada.attrs["data-last"] == "2026-09-01"
    assert ada.attrs["data-next"] == "2026-10-01"
    assert "mathematician" in ada.attrs["data-text"]


def test_contact_page_shows_glance_profile_referrals_timeline_and_backlinks(small):
    out = make_site(small)
    ada = page(out, "contacts/ada-lovelace.html")
    glance = ada.find(id="glance")
    assert "2026-09-01" in glance.text() and "Call with Ada" in glance.text()
    profile = ada.find(id="profile")
    external = [a.attrs["href"] for a in profile.find_all("a", cls="external")]
    assert external == ["https://www.linkedin.com/in/ada-lovelace", "https://ada.example.org"]
    assert any(a.attrs["href"] == "mailto:ada@example.org" for a in profile.find_all("a"))
    assert any(a.attrs["href"] == "../orgs/analytical-engines.html" for a in profile.find_all("a"))
    assert "Grace Hopper" in profile.text()  # referred to
    timeline = ada.find(id="timeline")
    assert "Call with Ada" in timeline.text()
    backlinks = ada.find(id="backlinks")
    assert [a.text() for a in backlinks.find_all("a")] == ["Call with Ada", "Grace Hopper"]
    grace = page(out, "contacts/grace-hopper.html")
    assert any(a.attrs.get("href") == "../contacts/ada-lovelace.html" for a in grace.find_all("a"))


def test_organisations_include_names_contacts_give_as_text(small):
    out = make_site(small)
    rows = page(out, "orgs.html").find("table", id="orgs").find("tbody").find_all("tr")
    names = {r.find("a").text(): r for r in rows}
    assert set(names) == {"Analytical Engines", "Navy"}
    assert names["Navy"].find("a").attrs["href"] == "orgs/navy.html"
    navy = page(out, "orgs/navy.html")
    assert [a.text() for a in navy.find(id="people").find_all("a")] == ["Grace Hopper"]
    engines = page(out, "orgs/analytical-engines.html")
    assert "Move into design" in engines.find(id="goals").text()


def test_tags_goals_and_plain_notes_get_pages(small):
    out = make_site(small)
    tags = page(out, "tags.html").find(id="tags")
    assert [a.attrs["href"] for a in tags.find_all("a")] == ["tags/mentor.html"]
    mentor = page(out, "tags/mentor.html")
    assert "Ada Lovelace" in mentor.text()
    goal = page(out, "goals/move-into-design.html")
    assert "You know Ada Lovelace" in goal.find(id="targets").text()
    assert "Read" in goal.find(id="goal-followups").text()
    assert (out / "notes/2026-11-01.html").is_file()


def test_a_goals_own_task_is_listed_once_on_its_page(vault):
    out = make_site(
        vault(
            {
                "contacts/Ada Lovelace.md": "---\norg: Engines\n---\n",
                "goals/Design.md": (
                    "---\ntargets: [Engines]\n---\n## Next steps\n\n"
                    "- [ ] Write up the side project [due:: 2026-11-27]\n"
                    "- [ ] Ask [[Ada Lovelace]] about it 📅 2026-11-25\n"
                    "- [ ] Some day, a portfolio\n"
                ),
            }
        )
    )
    goal = page(out, "goals/design.html")
    main = goal.find("main")
    for words in ("Write up the side project", "Ask Ada Lovelace about it", "portfolio"):
        # Each task once as the note's text, and a dated one once as a follow-up to do.
        items = [li for li in main.find_all("li") if words in li.text()]
        in_body = [li for li in items if "task-list-item" in li.classes]
        assert len(in_body) == 1, words
        rows = [li for li in items if "followup" in li.classes]
        assert len(rows) == (0 if words == "portfolio" else 1), words
        assert len(items) == len(in_body) + len(rows), words
    assert "Write up the side project" in goal.find(id="goal-followups").text()


def test_every_relative_link_leads_to_a_file_of_the_site(small):
    out = make_site(small)
    for file in html_files(out):
        for a in parse_html(file.read_text(encoding="utf-8")).find_all():
            for attr in ("href", "src"):
                url = a.attrs.get(attr)
                if not url or a.tag == "meta":
                    continue
                parts = urlsplit(url)
                if parts.scheme or url.startswith("#"):
                    continue
                target = (file.parent / unquote(parts.path)).resolve()
                assert target.is_file(), f"{file.relative_to(out)}: {url}"


def test_a_unicode_named_contact_gets_a_working_page(vault):
    out = make_site(
        vault(
            {
                "contacts/Иван Петров.md": "---\nfollow_up: 2026-11-10\n---\nПривет.\n",
                "contacts/田中 さくら.md": "---\ncircle: inner\n---\n",
            }
        )
    )
    assert (out / "contacts/иван-петров.html").is_file()
    assert (out / "contacts/田中-さくら.html").is_file()
    table = page(out, "contacts.html").find("table", id="contacts")
    hrefs = [a.attrs["href"] for a in table.find_all("a")]
    assert "contacts/%D0%B8%D0%B2%D0%B0%D0%BD-%D0%BF%D0%B5%D1%82%D1%80%D0%BE%D0%B2.html" in hrefs
    for href in hrefs:
        assert href.isascii()
        assert (out / unquote(href)).is_file()
    ivan = page(out, "contacts/иван-петров.html")
    assert ivan.find("h1").text() == "Иван Петров"


def test_colliding_slugs_get_unique_pages_in_path_order(vault):
    out = make_site(
        vault(
            {
                "contacts/Ada Lovelace.md": "---\nname: Ada One\n---\n",
                "contacts/ada-lovelace.md": "---\nname: Ada Two\n---\n",
                "people/Ada  Lovelace!.md": "---\nname: Ada Three\n---\n",
            }
        )
    )
    titles = {
        rel: page(out, rel).find("h1").text()
        for rel in ("contacts/ada-lovelace.html", "contacts/ada-lovelace-2.html")
    }
    assert titles == {
        "contacts/ada-lovelace.html": "Ada One",
        "contacts/ada-lovelace-2.html": "Ada Two",
    }
    assert page(out, "contacts/ada-lovelace-3.html").find("h1").text() == "Ada Three"


def test_slugify_keeps_letters_of_every_script_and_is_file_system_safe():
    assert site.slugify("Ada Lovelace") == "ada-lovelace"
    assert site.slugify("  Ada / Lovelace?! ") == "ada-lovelace"
    assert site.slugify("Иван Петров") == "иван-петров"
    assert site.slugify("Zoë Ó Súilleabháin") == "zoë-ó-súilleabháin"
    assert site.slugify("2026-11-20 Coffee with Ada") == "2026-11-20-coffee-with-ada"
    assert site.slugify("../../etc/passwd") == "etc-passwd"
    assert site.slugify("???") == "note"
    assert site.slugify("CON") == "con-note"
    assert len(site.slugify("x" * 500)) <= site.SLUG_MAX
    assert site.unique_slugs([("a", "Ada"), ("b", "ADA"), ("c", "ada-2"), ("d", "Ada")]) == {
        "a": "ada",
        "b": "ada-2",
        "c": "ada-2-2",
        "d": "ada-3",
    }


def test_only_linked_attachments_are_copied(vault):
    out = make_site(
        vault(
            {
                "contacts/Ada.md": "![[Photo.PNG]] and [[cv.pdf]]\n",
                "attachments/photo.png": "png",
                "attachments/cv.pdf": "pdf",
                "attachments/unused.png": "unused",
            }
        )
    )
    assert sorted(p.name for p in (out / "attachments").iterdir()) == ["cv.pdf", "photo.png"]
    body = page(out, "contacts/ada.html").find(id="body")
    assert body.find("img").attrs["src"] == "../attachments/photo.png"
    assert (out / "attachments/photo.png").read_text() == "png"


# ---------------------------------------------------------------------------
# Safety


def test_html_in_notes_is_escaped(vault):
    out = make_site(
        vault(
            {
                "contacts/Mallory.md": (
                    '---\nrole: "<script>alert(1)</script>"\nwebsite: "javascript:alert(1)"\n'
                    'tags: ["<b>x</b>"]\n---\n<script>alert(2)</script>\n'
                    '<img src="https://tracker.example/p.gif">\n'
                ),
            }
        )
    )
    for file in html_files(out):
        tree = parse_html(file.read_text(encoding="utf-8"))
        scripts = tree.find_all("script")
        root = "../" if file.parent != out else ""
        assert [s.attrs.get("src") for s in scripts] == [
            f"{root}static/netvault.js",
            *([f"{root}static/search.js"] if file.name == "search.html" else []),
        ], file
        assert not any(s.children for s in scripts)
        for element in tree.find_all():
            assert "style" not in element.attrs, file
            assert not any(name.startswith("on") for name in element.attrs), file
            src = element.attrs.get("src") or ""
            assert not src.startswith(("http:", "https:", "//")), file
            assert not (element.attrs.get("href") or "").startswith("javascript:"), file
    mallory = page(out, "contacts/mallory.html")
    assert "<script>alert(1)</script>" in mallory.find(id="profile").text()
    assert "<script>alert(2)</script>" in mallory.find(id="body").text()


def test_every_page_carries_the_privacy_meta_tags(small):
    out = make_site(small)
    files = html_files(out)
    assert len(files) > 10
    for file in files:
        metas = parse_html(file.read_text(encoding="utf-8")).find_all("meta")
        policy = [m for m in metas if m.attrs.get("http-equiv") == "Content-Security-Policy"]
        assert [m.attrs["content"] for m in policy] == [CSP], file
        named = {m.attrs.get("name"): m.attrs.get("content") for m in metas}
        assert named["robots"] == "noindex, nofollow", file
        assert named["referrer"] == "no-referrer", file
        for link in parse_html(file.read_text(encoding="utf-8")).find_all("link"):
            assert not link.attrs["href"].startswith(("http", "//")), file


def test_external_links_get_rel_noopener_noreferrer(small):
    out = make_site(small)
    seen = 0
    for file in html_files(out):
        for a in parse_html(file.read_text(encoding="utf-8")).find_all("a"):
            if urlsplit(a.attrs.get("href") or "").scheme in ("http", "https"):
                seen += 1
                assert set((a.attrs.get("rel") or "").split()) >= {"noopener", "noreferrer"}
    assert seen >= 4  # website, LinkedIn, the org's website and a link in a note body


# ---------------------------------------------------------------------------
# Writing


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_same_vault_and_today_give_byte_identical_sites(small, tmp_path):
    one = make_site(small, out=tmp_path / "one")
    two = make_site(small, out=tmp_path / "two")
    assert snapshot(one) == snapshot(two)
    # Rebuilding in place gives the same bytes too.
    make_site(small, out=one)
    assert snapshot(one) == snapshot(two)


def test_pages_rendered_by_forked_workers_are_the_bytes_rendered_alone(
    small, tmp_path, monkeypatch
):
    write_with(site.SiteWriter(tmp_path / "alone", workers=1), small)
    monkeypatch.setattr(site, "PARALLEL_PAGES", 1)
    monkeypatch.setattr(site, "FORK_MEMORY_MAX", 2**62)  # however big the test process
    monkeypatch.setattr(site, "RENDER_RUN", 2)  # the processes take turns, run by run
    # The browser tests' driver leaves a thread behind, and no build forks beside one;
    # that thread takes no lock a page's rendering needs.
    monkeypatch.setattr(site, "may_fork", lambda: True)
    forks = []
    real = site._render_forked
    monkeypatch.setattr(site, "_render_forked", lambda *a: forks.append(1) or real(*a))
    write_with(site.SiteWriter(tmp_path / "forked", workers=3), small)
    assert forks == [1]
    assert snapshot(tmp_path / "forked") == snapshot(tmp_path / "alone")


def test_pages_written_as_they_render_are_the_bytes_rendered_whole(small, tmp_path, monkeypatch):
    # A fresh site streams each page into its file, a few bytes at a time here;
    # the manifest's digests are those of the files, as an update compares them.
    whole = write_with(site.SiteWriter(tmp_path / "whole"), small)
    monkeypatch.setattr(site, "STREAM_CHUNK", 3)
    streamed = write_with(site.SiteWriter(tmp_path / "streamed"), small)
    assert snapshot(tmp_path / "streamed") == snapshot(tmp_path / "whole")
    assert streamed.manifest.files == {
        rel: dataclasses.replace(written, stat=streamed.manifest.files[rel].stat)
        for rel, written in whole.manifest.files.items()
    }
    for path in html_files(tmp_path / "streamed"):
        digest = hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
        rel = path.relative_to(tmp_path / "streamed").as_posix()
        assert streamed.manifest.files[rel].digest == digest


def test_a_fingerprint_is_of_what_a_page_shows_and_refuses_a_cycle():
    # Fast-mode pickling keeps no memo, so shared objects are simply written twice.
    shared = ("Ada", date(2026, 1, 2))
    one = site._fingerprint("contact.html", {"a": shared, "b": shared})
    assert one == site._fingerprint("contact.html", {"a": ("Ada", date(2026, 1, 2)), "b": shared})
    assert one != site._fingerprint("contact.html", {"a": shared, "b": ("Ada", date(2026, 1, 3))})
    assert one != site._fingerprint("org.html", {"a": shared, "b": shared})
    loop: list[object] = []
    loop.append(loop)
    with pytest.raises(ValueError):
        site._fingerprint("contact.html", {"loop": loop})


def test_a_process_too_big_to_copy_renders_its_pages_alone(small, tmp_path, monkeypatch):
    # Each forked worker would come to copy this process's memory: past the
    # limit, the pages are rendered here, to the same bytes.
    write_with(site.SiteWriter(tmp_path / "alone", workers=1), small)
    monkeypatch.setattr(site, "PARALLEL_PAGES", 1)
    monkeypatch.setattr(site, "FORK_MEMORY_MAX", 0)
    monkeypatch.setattr(site, "_render_forked", lambda *a: pytest.fail("forked"))
    write_with(site.SiteWriter(tmp_path / "big", workers=2), small)
    assert snapshot(tmp_path / "big") == snapshot(tmp_path / "alone")


def test_write_site_returns_the_number_of_pages(small, tmp_path):
    loaded = build.load(small)
    due = followups.compute(loaded.model, TODAY, loaded.settings)
    out = tmp_path / "out"
    count = site.write_site(loaded, due, TODAY, out)
    assert count == len(html_files(out)) + 1  # and the calendar feed, followups.ics


def test_rebuild_keeps_dot_entries_and_leaves_no_temporary_folders(small, tmp_path):
    out = make_site(small, out=tmp_path / "deploy" / "site")
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (out / ".nojekyll").write_text("")
    (out / "stale.html").write_text("old")
    (small / "contacts" / "Linus.md").write_text("---\ncircle: inner\n---\n")
    make_site(small, out=out)
    assert (out / ".git" / "HEAD").read_text() == "ref: refs/heads/main\n"
    assert (out / ".nojekyll").exists()
    assert not (out / "stale.html").exists()
    assert (out / "contacts" / "linus.html").is_file()
    assert sorted(p.name for p in out.parent.iterdir()) == ["site"]


def test_a_failing_render_leaves_the_old_site_whole(small, tmp_path):
    out = make_site(small, out=tmp_path / "site")
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("x")
    before = snapshot(out)
    override = small / "themes" / "default" / "templates" / "contact.html"
    override.parent.mkdir(parents=True)
    override.write_text(
        '{% extends "default:base.html" %}{% block content %}{{ nope }}{% endblock %}'
    )
    with pytest.raises(site.SiteError, match=r"contact\.html"):
        make_site(small, out=out)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "vault"]


def test_a_vault_can_override_one_template_and_extend_the_default(small, tmp_path):
    override = small / "themes" / "default" / "templates" / "note.html"
    override.parent.mkdir(parents=True)
    override.write_text(
        '{% extends "default:note.html" %}{% block title %}Custom {{ title }}{% endblock %}'
    )
    out = make_site(small)
    note = page(out, "notes/2026-11-01.html")
    assert note.find("title").text() == "Custom 2026-11-01"
    assert note.find("h1").text() == "2026-11-01"  # the rest is the default template
    assert page(out, "index.html").find("title").text() == "Today · My network"


def test_refuses_to_replace_a_folder_that_is_not_a_site(small, tmp_path):
    out = tmp_path / "documents"
    out.mkdir()
    (out / "taxes.pdf").write_text("precious")
    with pytest.raises(site.SiteError, match="not a netvault site"):
        make_site(small, out=out)
    assert (out / "taxes.pdf").read_text() == "precious"
    with pytest.raises(site.SiteError, match="holds the vault"):
        make_site(small, out=small.parent)


def test_aligned_tables_need_no_style_attributes(vault):
    out = make_site(vault({"notes/Table.md": "| a | b |\n|--:|:-:|\n| 1 | 2 |\n"}))
    cells = page(out, "notes/table.html").find(id="body").find_all("td")
    assert cells
    assert not any("style" in cell.attrs for cell in cells)


def test_a_killed_builds_leftover_folder_is_cleaned_up(vault):
    root = vault({"contacts/Ada.md": "---\nname: Ada\n---\n"})
    leftover = root / ".site.tmp-deadbeef"
    (leftover / "contacts").mkdir(parents=True)
    (leftover / "contacts" / "half.html").write_text("half a page")
    make_site(root, out=root / "site")
    assert not leftover.exists()
    assert (root / "site" / "index.html").is_file()


# ---------------------------------------------------------------------------
# SiteWriter: writing the site again, touching only what changed


def snapshot_bytes(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def write_with(writer: site.SiteWriter, root: Path, today: date = TODAY) -> site.SiteWrite:
    loaded = build.load(root)
    return writer.write(loaded, followups.compute(loaded.model, today, loaded.settings), today)


def test_writing_again_with_nothing_changed_writes_nothing(small, tmp_path):
    out = tmp_path / "out"
    writer = site.SiteWriter(out)
    first = write_with(writer, small)
    before = snapshot_bytes(out)
    assert first.written == len(before)
    assert first.pages == len(html_files(out)) + 1  # and followups.ics
    again = write_with(writer, small)
    assert (again.pages, again.written) == (first.pages, 0)
    # A writer of a later process, handed the manifest, agrees.
    later = write_with(site.SiteWriter(out, again.manifest), small)
    assert (later.pages, later.written) == (first.pages, 0)
    assert snapshot_bytes(out) == before


def test_pages_that_are_gone_are_deleted_with_their_empty_folders(small, tmp_path):
    (small / "attachments").mkdir()
    (small / "attachments" / "pic.png").write_bytes(b"\x89PNG fake")
    (small / "Daily" / "2026-11-01.md").write_text("Bumped into nobody. ![[pic.png]] #solo\n")
    out = tmp_path / "out"
    writer = site.SiteWriter(out)
    write_with(writer, small)
    for rel in ("goals/move-into-design.html", "attachments/pic.png", "tags/solo.html"):
        assert (out / rel).is_file()
    (small / "goals" / "Move into design.md").unlink()
    (small / "Daily" / "2026-11-01.md").write_text("Bumped into nobody.\n")
    result = write_with(writer, small)
    assert not (out / "goals").exists()
    assert not (out / "attachments").exists()
    assert not (out / "tags" / "solo.html").exists()
    assert (out / "tags" / "mentor.html").is_file()  # the folder still has pages
    assert not [p for p in out.rglob("*") if p.is_dir() and not any(p.iterdir())]
    assert 3 <= result.written < len(snapshot_bytes(out))
    fresh = tmp_path / "fresh"
    write_with(site.SiteWriter(fresh), small)
    assert snapshot_bytes(out) == snapshot_bytes(fresh)


def test_a_page_edited_by_hand_in_the_site_is_written_again(small, tmp_path):
    out = tmp_path / "out"
    writer = site.SiteWriter(out)
    write_with(writer, small)
    before = snapshot_bytes(out)
    ada = out / "contacts" / "ada-lovelace.html"
    ada.write_text("defaced")
    (out / "static" / "netvault.css").write_text("body { color: red }")
    (out / "orgs.html").unlink()
    result = write_with(writer, small)
    assert result.written == 3
    assert snapshot_bytes(out) == before


def test_dot_entries_in_the_site_survive_fresh_and_updating_writes(small, tmp_path):
    out = tmp_path / "out"
    (out / ".git").mkdir(parents=True)
    (out / ".git" / "x").write_text("deploy history")
    (out / ".nojekyll").write_text("")
    writer = site.SiteWriter(out)
    write_with(writer, small)  # fresh: written beside and swapped in
    assert (out / ".git" / "x").read_text() == "deploy history"
    (small / "contacts" / "Linus.md").write_text("---\ncircle: inner\n---\n")
    (small / "goals" / "Move into design.md").unlink()
    result = write_with(writer, small)  # an update in place
    assert 0 < result.written < len(snapshot_bytes(out))
    assert (out / "contacts" / "linus.html").is_file()
    assert not (out / "goals").exists()
    write_with(site.SiteWriter(out), small)  # fresh again: no manifest
    assert (out / ".git" / "x").read_text() == "deploy history"
    assert (out / ".nojekyll").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "vault"]


def test_only_today_follow_ups_and_contacts_pages_depend_on_today(vault, tmp_path):
    root = vault(
        {
            "contacts/Ada.md": (
                "---\ncircle: inner\nfollow_up: 2026-11-20\n---\n- [ ] Call 📅 2026-11-21\n"
            ),
            "contacts/Grace.md": "---\ncircle: casual\ncadence: 7d\n---\nNavy.\n",
            "interactions/2026-11-10 Coffee.md": (
                "---\nwith: '[[Grace]]'\nthank_you: false\nfollow_up: 2026-11-19\n---\n#work\n"
            ),
            "goals/Goal.md": "- [ ] Write to [[Ada]] 📅 2026-11-22\n",
            "notes/2026-11-01.md": "Saw [[Ada]] #chance\n",
            "orgs/Engines.md": "Makes engines.\n",
        }
    )
    loaded = build.load(root)
    sites, states = {}, {}
    for today in (date(2026, 11, 12), date(2026, 12, 24)):
        out = tmp_path / str(today)
        due = followups.compute(loaded.model, today, loaded.settings)
        site.SiteWriter(out).write(loaded, due, today)
        sites[today] = snapshot_bytes(out)
        states[today] = {f: f.state(today, loaded.settings.soon_days) for f in due}
    # The same follow-ups, in other states: what "only today changed" means.
    early_states, late_states = states.values()
    assert early_states.keys() == late_states.keys()
    assert set(early_states.values()) == {"soon", "later"}
    assert set(late_states.values()) == {"overdue"}
    early, late = sites.values()
    # The pages of each group of follow-ups are named for their state.
    early_groups = sorted(rel for rel in early if rel.startswith("followups/"))
    late_groups = sorted(rel for rel in late if rel.startswith("followups/"))
    assert early_groups and late_groups
    assert all(rel.startswith(("followups/soon-", "followups/later-")) for rel in early_groups)
    assert all(rel.startswith("followups/overdue-") for rel in late_groups)
    for rel in early_groups:
        del early[rel]
    for rel in late_groups:
        del late[rel]
    assert early.keys() == late.keys()
    differ = sorted(rel for rel in early if early[rel] != late[rel])
    # The calendar feed too: it holds the follow-ups around today, stamped with it; and
    # the Network page, whose months and counts end today.
    assert differ == [
        "contacts.html",
        "followups.html",
        "followups.ics",
        "index.html",
        "network.html",
    ]


# ---------------------------------------------------------------------------
# Git history: a real repository, commits at fixed dates


@pytest.fixture
def history_vault(tmp_path):
    """A vault with a contact changed, renamed and an interaction deleted, commit by commit."""
    repo = Repo(tmp_path / "vault")
    repo.write("contacts/Ada.md", "---\ncircle: casual\ncadence: 30d\ntags: [friend]\n---\nHi.\n")
    repo.write("orgs/Engines.md", "---\nwebsite: https://engines.example\n---\n")
    repo.write("interactions/2026-01-02 Call.md", "---\nwith: '[[Ada]]'\n---\n")
    repo.commit("Start the vault")
    repo.write(
        "contacts/Ada.md",
        "---\ncircle: inner\ncadence: 90d\norg: Engines\ntags: [friend, mentor]\n---\nHi.\n",
    )
    repo.commit("Ada joins Engines")
    repo.git("mv", "contacts/Ada.md", "contacts/Ada Lovelace.md")
    repo.git("rm", "-q", "interactions/2026-01-02 Call.md")
    repo.write("orgs/Engines.md", "---\nwebsite: https://engines.example\n---\nMakes engines.\n")
    repo.commit("Full name; drop the call")
    return repo


def history_items(out: Path, rel: str) -> list[str]:
    section = page(out, rel).find_all("section", id="history")
    return [li.text() for li in section[0].find_all("li") if "changed" not in li.parent.classes]


def test_a_contacts_history_lists_every_change_with_its_fields_newest_first(history_vault):
    out = make_site(history_vault.root)
    items = page(out, "contacts/ada-lovelace.html").find_all("section", id="history")[0]
    entries = items.find_all("ol")[0].children
    rows = [e for e in entries if not isinstance(e, str)]
    assert [r.find_all("span", cls="kind")[0].text() for r in rows] == [
        "renamed",
        "changed",
        "added",
    ]
    texts = [r.text() for r in rows]
    assert texts[0].startswith("2026-01-08 renamed from contacts/Ada.md Full name; drop the call")
    assert "Ada joins Engines" in texts[1] and texts[1].startswith("2026-01-07")
    assert texts[2].startswith("2026-01-06 added Start the vault Ada")
    fields = [li.text() for li in rows[1].find_all("ul", cls="changed")[0].find_all("li")]
    assert fields == [
        "circle: casual → inner",
        "cadence: 30d → 90d",
        "added tag mentor",
        "org: Engines",
    ]
    assert not rows[0].find_all("ul", cls="changed")  # a pure rename changes no field
    # Not met by a date in the note: in the network since its first commit.
    profile = page(out, "contacts/ada-lovelace.html").find_all("dl", cls="fields")[0]
    fields = dict(
        zip([t.text() for t in profile.find_all("dt")], profile.find_all("dd"), strict=True)
    )
    assert fields["In network since"].text() == "2026-01-06 (first commit)"


def test_org_and_interaction_pages_have_their_history_too(history_vault):
    repo = history_vault
    repo.write("interactions/2026-03-01 Lunch.md", "---\nwith: '[[Ada Lovelace]]'\n---\n")
    repo.commit("Lunch with Ada")
    out = make_site(repo.root)
    org = history_items(out, "orgs/engines.html")
    assert [t.split(" ", 2)[1] for t in org] == ["changed", "added"]
    assert "Full name; drop the call" in org[0]
    lunch = history_items(out, "interactions/2026-03-01-lunch.html")
    assert len(lunch) == 1 and "added Lunch with Ada" in lunch[0]


def test_the_activity_page_matches_git_log_grouped_by_day(history_vault):
    repo = history_vault
    out = make_site(repo.root)
    activity = page(out, "activity.html")
    subjects = [
        d.find_all("div", cls="subject")[0].text().split(" Ada · ")[0]
        for d in activity.find_all("li", cls="commit")
    ]
    assert subjects == repo.git("log", "--format=%s").splitlines()
    days = [h.text() for h in activity.find_all("h2") if h.find_all("time")]
    assert days == ["2026-01-08", "2026-01-07", "2026-01-06"]
    newest = activity.find_all("li", cls="commit")[0].find_all("ul", cls="activity")[0]
    rows = sorted(li.text() for li in newest.find_all("li"))
    assert rows == [
        "changed Engines",
        "deleted 2026-01-02 Call",
        "renamed Ada Lovelace from contacts/Ada.md",
    ]
    gone = newest.find_all("span", cls="gone")
    assert [g.text() for g in gone] == ["2026-01-02 Call"]  # no page to link to
    links = {a.text(): a.attrs["href"] for a in activity.find_all("a") if a.parent.tag == "li"}
    assert links["Ada Lovelace"] == "contacts/ada-lovelace.html"


def test_uncommitted_notes_are_counted_on_today_and_marked_on_their_pages(history_vault):
    repo = history_vault
    note = repo.root / "contacts" / "Ada Lovelace.md"
    note.write_text(note.read_text() + "Met again.\n")
    repo.write("contacts/Grace.md", "---\ncircle: inner\n---\n")
    (repo.root / "orgs" / "Engines.md").unlink()
    repo.write(".gitignore", "private/\n")
    repo.write("private/Diary.md", "Not for git.\n")
    out = make_site(repo.root)
    notice = page(out, "index.html").find_all("section", id="uncommitted")[0]
    assert notice.text().startswith("3 notes have changes not committed to git yet")
    assert page(out, "contacts/ada-lovelace.html").find_all("p", id="uncommitted")
    assert page(out, "contacts/grace.html").find_all("p", id="uncommitted")
    assert not page(out, "notes/diary.html").find_all("p", id="uncommitted")
    assert sorted(li.text() for li in notice.find_all("li")) == [
        "added Grace",
        "changed Ada Lovelace",
        "deleted Engines",
    ]
    repo.commit("Record it all")
    out = make_site(repo.root)
    assert not page(out, "index.html").find_all("section", id="uncommitted")
    assert not page(out, "contacts/ada-lovelace.html").find_all("p", id="uncommitted")


def test_line_endings_git_converts_are_not_uncommitted_changes(tmp_path):
    repo = Repo(tmp_path / "vault")
    repo.git("config", "core.autocrlf", "true")
    (repo.root / "contacts").mkdir()
    (repo.root / "contacts" / "Ada.md").write_bytes(b"---\ncircle: inner\n---\r\nHi.\r\n")
    repo.commit("Add Ada")  # stored with LF line endings, kept with CRLF on disk
    out = make_site(repo.root)
    assert not page(out, "contacts/ada.html").find_all("p", id="uncommitted")
    assert not page(out, "index.html").find_all("section", id="uncommitted")


def test_a_vault_outside_git_builds_without_history_and_says_why(history_vault, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(history_vault.root, copy, ignore=shutil.ignore_patterns(".git"))
    result = build.build(copy, tmp_path / "copy-site", TODAY)
    assert "is not in a git repository" in result.history_problem
    out = tmp_path / "copy-site"
    assert not page(out, "contacts/ada-lovelace.html").find_all("section", id="history")
    assert (
        "No history to show" in page(out, "activity.html").find_all("p", id="no-history")[0].text()
    )
    assert result.pages == build.build(history_vault.root, tmp_path / "git-site", TODAY).pages


def test_a_build_without_git_installed_still_builds(history_vault, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))
    result = build.build(history_vault.root, tmp_path / "site", TODAY)
    assert result.history_problem.startswith("git is not installed")
    assert (tmp_path / "site" / "contacts" / "ada-lovelace.html").is_file()


def test_the_site_has_a_calendar_feed_of_the_follow_ups_around_today(vault):
    from icalendar import Calendar

    root = vault(
        {
            "contacts/Ada Lovelace.md": "---\nfollow_up: 2026-11-18\n---\n",
            "contacts/Grace Hopper.md": "---\nfollow_up: 2027-06-01\n---\n",  # far ahead
            "contacts/Linus.md": "---\nfollow_up: 2025-01-01\n---\n",  # long overdue
        }
    )
    out = make_site(root)
    feed = Calendar.from_ical((out / "followups.ics").read_bytes())
    events = list(feed.walk("VEVENT"))
    assert [(str(e["summary"]), e["dtstart"].dt) for e in events] == [
        ("Follow up with Ada Lovelace", date(2026, 11, 18))
    ]
    assert events[0].walk("VALARM")
    links = [a.attrs["href"] for a in page(out, "index.html").find_all("a")]
    assert "followups.ics" in links


def test_a_prospects_page_says_who_could_introduce_you(vault):
    root = vault(
        {
            "contacts/Ada.md": "---\ncircle: inner\nmet: 2026-01-05\n---\n",
            "contacts/Grace.md": "---\ncircle: network\n---\nWorks with [[Linus]].\n",
            "contacts/Olivia.md": "---\nstatus: prospect\nintro_via: '[[Ada]]'\n---\n",
            "contacts/Linus.md": "---\nstatus: prospect\n---\n",
            "interactions/2026-11-01 Lunch.md": "---\nwith: ['[[Grace]]']\n---\n",
        }
    )
    out = make_site(root)
    olivia = page(out, "contacts/olivia.html").find(id="introducers")
    assert [li.text() for li in olivia.find_all("li")] == ["Ada can introduce you to Olivia"]
    linus = page(out, "contacts/linus.html").find(id="introducers")
    assert [li.text() for li in linus.find_all("li")] == ["Grace knows Linus"]
    assert not page(out, "contacts/ada.html").find_all(id="introducers")  # you know Ada


def test_long_lists_of_the_network_page_are_capped_with_the_rest_counted(vault, monkeypatch):
    from netvault import insight_pages

    monkeypatch.setattr(insight_pages, "RECONNECT", 1)
    monkeypatch.setattr(insight_pages, "STAGE_ROWS", 1)
    root = vault(
        {
            "contacts/Ada.md": "---\ncircle: inner\nstatus: active\n---\n",
            "contacts/Grace.md": "---\ncircle: inner\nstatus: active\n---\n",
            "interactions/2026-01-01 Ada.md": "---\nwith: '[[Ada]]'\n---\n",
            "interactions/2026-01-02 Grace.md": "---\nwith: '[[Grace]]'\n---\n",
        }
    )
    out = make_site(root)
    quiet = page(out, "network.html").find(id="dormant")
    assert len(quiet.find_all("li")) == 1
    assert "and 1 more" in quiet.text()
    active = page(out, "outreach.html").find(id="stage-active")
    assert len(active.find_all("li")) == 1
    assert "Active 2" in active.text() and "and 1 more" in active.text()


def test_memo_gives_a_macros_markup_once_per_value_and_forgets_what_a_write_left_out():
    from netvault.site import Memo

    calls = []

    def macro(value, suffix=""):
        calls.append(value)
        return f"<li>{value}{suffix}</li>"

    memo = Memo(budget=100)
    memo.advance(keeping=False)  # a first write keeps nothing
    assert memo(macro, "a") == memo(macro, "a") == "<li>a</li>"
    assert calls == ["a", "a"]
    memo.advance()
    calls.clear()
    assert [memo(macro, v) for v in ("a", "a", "b")] == ["<li>a</li>", "<li>a</li>", "<li>b</li>"]
    assert memo(macro, "a", suffix="!") == "<li>a!</li>"  # arguments are part of the key
    assert calls == ["a", "b", "a"]
    memo.advance()
    calls.clear()
    memo(macro, "b")  # kept from the write before
    memo.advance()
    memo(macro, "a")  # "a" was not asked for in the last write: made again
    assert calls == ["a"]
    assert memo(macro, ["un", "hashable"]) == "<li>['un', 'hashable']</li>"
    small = Memo(budget=12)
    small.advance()
    calls.clear()
    for _ in range(2):
        small(macro, "first")  # 14 characters: the budget is spent after it
        small(macro, "second")
    assert calls == ["first", "second", "second"]


def test_an_update_regroups_only_the_follow_ups_that_came_and_went(vault):
    """The follow-ups by contact, by source, in page order and by state and kind, taken
    over from the last write and regrouped where follow-ups came and went, are those made
    anew, in order."""
    from netvault.model import linked

    files = {
        "contacts/Ada.md": "---\ncircle: inner\ncadence: 7d\nlast_contact: 2026-10-01\n---\n",
        "contacts/Grace.md": "---\ncadence: 30d\nlast_contact: 2026-09-01\n---\n",
        "contacts/Linus.md": "---\ncadence: 30d\n---\n",
        "interactions/2026-11-18 Coffee.md": (
            "---\nwith: ['[[Ada]]', '[[Grace]]']\ntype: coffee\n---\n"
            "- [ ] Send [[Ada]] the paper 📅 2026-11-19\n"
            "- [ ] Ask [[Grace]] about it 📅 2026-11-22\n"
        ),
        "interactions/2026-11-19 Call.md": "---\nwith: ['[[Linus]]']\ntype: call\n---\n",
    }
    root = vault(files)
    first = build.load(root)
    due = followups.compute(first.model, TODAY, first.settings)
    old = site.Pages(first, due, TODAY)
    assert old.index.by_contact["contacts/Ada.md"] and old.grouped  # made, so kept
    # Ada's cadence gone, Linus's tightened, a task done and another added.
    (root / "contacts/Ada.md").write_text("---\ncircle: inner\nlast_contact: 2026-10-01\n---\n")
    (root / "contacts/Linus.md").write_text("---\ncadence: 7d\nlast_contact: 2026-10-02\n---\n")
    (root / "interactions/2026-11-18 Coffee.md").write_text(
        "---\nwith: ['[[Ada]]', '[[Grace]]']\ntype: coffee\n---\n"
        "- [x] Send [[Ada]] the paper 📅 2026-11-19\n- [ ] Ask [[Grace]] about it 📅 2026-11-22\n"
        "- [ ] Introduce [[Linus]] to [[Grace]] 📅 2026-11-21\n"
    )
    second = build.load(root)
    changed = {"contacts/Ada.md", "contacts/Linus.md", "interactions/2026-11-18 Coffee.md"}
    models = (first.model, second.model)
    near = linked(models, linked(models, changed))
    now, moved = followups.update(due, second.model, TODAY, second.settings, near)
    assert moved == followups.moved(due, now)
    assert moved.added and moved.removed
    new = site.Pages(second, now, TODAY)
    new.keep_order(old, changed, moved)
    new.keep_index(old, moved)
    fresh = site.Pages(second, now, TODAY)
    assert list(new.index.by_contact.items()) == list(fresh.index.by_contact.items())
    for part in ("by_source", "problems", "people_at"):  # looked up by key alone
        assert getattr(new.index, part) == getattr(fresh.index, part)
    assert new.followups == fresh.followups
    assert "grouped" in new.__dict__  # taken over
    assert list(new.grouped.items()) == list(fresh.grouped.items())


def test_the_network_pages_numbers_counted_by_group_are_the_stats_command_s(vault):
    """The Network page counts the follow-ups from their groups by state and kind; the
    numbers are the ones `health.stats` makes of the follow-ups one by one."""
    from netvault.insights import health

    files = {
        "contacts/Ada.md": "---\ncircle: inner\ncadence: 7d\nlast_contact: 2026-10-01\n---\n",
        "contacts/Grace.md": "---\ncadence: 30d\nlast_contact: 2026-11-10\n---\n",
        "contacts/Linus.md": "---\nfollow_up: 2026-11-20\n---\n",
        "notes/Plan.md": "- [ ] Call [[Ada]] 📅 2026-11-01\n- [ ] Write [[Grace]] 📅 2026-11-25\n",
    }
    loaded = build.load(vault(files))
    due = followups.compute(loaded.model, TODAY, loaded.settings)
    pages = site.Pages(loaded, due, TODAY)
    made = health.stats(loaded.model, TODAY, loaded.settings, pages.history, due)
    assert pages.health == made
    assert made.overdue == 2 and dict(made.followups)["keep-in-touch"] == 2
    assert [(s.circle, s.contacts, s.within) for s in made.within_cadence] == [
        ("inner", 1, 0),
        ("", 1, 1),
    ]


def test_a_writer_taken_up_by_a_new_process_puts_the_follow_ups_in_page_order_unsorted(
    vault, tmp_path, monkeypatch
):
    """The page order a write leaves (`SiteWriter.order`) is taken up as it was: no sort."""
    from netvault.history import History

    files = {
        f"contacts/P{n}.md": (
            f"---\ncircle: {('inner', 'outer', '')[n % 3]}\ncadence: {7 + n}d\n"
            f"last_contact: 2026-10-{1 + n:02d}\n---\n"
        )
        for n in range(9)
    }
    loaded = build.load(vault(files))
    due = followups.compute(loaded.model, TODAY, loaded.settings)
    out = tmp_path / "out"
    writer = site.SiteWriter(out, workers=1)
    made = writer.write(loaded, due, TODAY)
    shown = writer._pages.followups
    assert len(shown) == 9 and list(shown) != list(due)  # the inner circle first, then outer
    order = writer.order()
    monkeypatch.setattr(site.Pages, "_priority", lambda *_: pytest.fail("sorted again"))
    later = site.SiteWriter(out, made.manifest)
    later.resume(loaded, due, TODAY, History(), writer.used_by(), (), order=order)
    assert later._pages.followups == shown
    # An order of other follow-ups than these is not taken up.
    other = site.SiteWriter(out, made.manifest)
    other.resume(loaded, due[:-1], TODAY, History(), writer.used_by(), (), order=order)
    assert "followups" not in other._pages.__dict__


def test_a_note_page_says_where_its_body_stands_and_takes_a_new_one_there(small, tmp_path):
    """Each note page's body stands where its manifest entry says, and nowhere else of the
    page: `put_body` puts a new body there, and refuses a page that is not as written."""
    out = tmp_path / "site"
    files = write_with(site.SiteWriter(out), small).manifest.files
    rel = "interactions/2026-11-15-coffee-with-grace.html"
    start, length = files[rel].body
    data = (out / rel).read_bytes()
    assert data[:start].endswith(b'<section class="note-body" id="body">\n<h2>Notes</h2>\n')
    assert data[start : start + length].startswith(b"<p>")
    assert data[start : start + length].endswith(b"</p>\n")
    assert data[start + length :].startswith(b"\n</section>")
    assert files["index.html"].body is None  # no note's page
    assert files["interactions/2026-09-01-call-with-ada.html"].body is None  # no body

    put = site.put_body(out, rel, files[rel], "<p>New words, “quoted”.</p>\n")
    new = "<p>New words, “quoted”.</p>\n".encode()
    assert (out / rel).read_bytes() == data[:start] + new + data[start + length :]
    assert put.body == (start, len(new))
    assert put.digest == hashlib.blake2b((out / rel).read_bytes(), digest_size=16).digest()
    assert put.stat == site.on_disk(out / rel)

    (out / rel).write_text("changed by hand")
    assert site.put_body(out, rel, put, "<p>Other words.</p>\n") is None
    assert (out / rel).read_text() == "changed by hand"


def test_every_property_is_shown_as_written_typed_and_escaped(vault):
    """The Properties block: each key as written, in file order, links linked, booleans as
    checkboxes, dates as dates, long values cut, and nothing a note says run as markup."""
    photo = "data:image/png;base64," + "A" * 2000
    out = make_site(
        vault(
            {
                "orgs/Tree Company.md": "Trees.\n",
                "people/Steph Ango.md": (
                    "---\n"
                    'Company: "[[Tree Company]]"\n'
                    "Priority: false\n"
                    "Met: 2024-06-14\n"
                    "zip: 01234\n"
                    "Friends: ['[[Nobody Known]]', 3]\n"
                    f"photo: {photo}\n"
                    'Evil: "<script>alert(1)</script>"\n'
                    "---\n"
                    "Hello.\n"
                ),
            }
        )
    )
    html = (out / "contacts" / "steph-ango.html").read_text()
    block = page(out, "contacts/steph-ango.html").find("details", id="properties")
    keys = [dt.text() for dt in block.find_all("dt")]
    assert keys == ["Company", "Priority", "Met", "zip", "Friends", "photo", "Evil"]
    values = block.find_all("dd")
    assert values[0].find("a").attrs["href"] == "../orgs/tree-company.html"
    box = values[1].find("input")
    assert (
        box.attrs["type"] == "checkbox" and "disabled" in box.attrs and "checked" not in box.attrs
    )
    assert values[2].find("time").attrs["datetime"] == "2024-06-14"
    assert values[3].text() == "01234"
    assert [li.text() for li in values[4].find_all("li")] == ["Nobody Known", "3"]
    assert "missing" in values[4].find("span").classes
    assert values[5].text().endswith("more characters)") and photo not in html
    assert "<script>alert(1)</script>" not in html
    assert values[6].text() == "<script>alert(1)</script>"
    # Known under their other names too: Company is the contact's organisation.
    assert "Tree Company" in page(out, "contacts/steph-ango.html").find(id="profile").text()


MEETINGS_BASE = """\
filters:
  and:
    - file.inFolder("meetings")
views:
  - type: table
    name: Person
    filters:
      and:
        - list(people).contains(this)
    order: [file.name, note.date]
    sort:
      - property: note.date
        direction: DESC
  - type: list
    name: All
"""


def obsidian_crm(vault):
    """A person note embedding a Bases view of their meetings, as Obsidian CRM vaults do."""
    return vault(
        {
            "Meetings.base": MEETINGS_BASE,
            "people/Steph Ango.md": (
                '---\ncategories: ["[[People]]"]\n---\nMy meetings:\n\n![[Meetings.base#Person]]\n'
            ),
            "meetings/Coffee.md": '---\ndate: 2024-06-14\npeople: ["[[Steph Ango]]"]\n---\nHi.\n',
            "meetings/Call.md": '---\ndate: 2024-07-01\npeople: ["[[Steph Ango]]"]\n---\nHi.\n',
            "meetings/Other.md": '---\ndate: 2024-07-02\npeople: ["[[Someone Else]]"]\n---\n',
        }
    )


def test_an_embedded_base_view_lists_the_notes_it_selects_for_the_embedding_note(vault):
    out = make_site(obsidian_crm(vault))
    steph = page(out, "contacts/steph-ango.html")
    view = steph.find("section", id="view-person")
    rows = view.find("tbody").find_all("tr")
    assert [r.find("a").text() for r in rows] == ["Call.md", "Coffee.md"]  # newest first
    assert rows[0].find("a").attrs["href"] == "../interactions/call.html"
    assert [th.text() for th in view.find_all("th")] == ["name", "date"]
    embed = steph.find("section", id="body").find("a", cls="embed")
    assert embed.attrs["href"] == "../bases/meetings.html#person"
    # The base's own page shows every view; with no note to be `this`, Person selects none.
    own = page(out, "bases/meetings.html")
    assert own.find("section", id="person").text().count("No notes match.") == 1
    listed = own.find("section", id="all").find_all("li")
    assert [li.text() for li in listed] == ["Call.md", "Coffee.md", "Other.md"]
    assert not (out / "attachments").exists()  # a base is a page, not a file to copy


def test_an_unsupported_base_function_is_a_warning_and_the_view_shows_what_it_can(vault, tmp_path):
    root = obsidian_crm(vault)
    text = MEETINGS_BASE.replace('file.inFolder("meetings")', "file.hasBacklink(this)")
    (root / "Meetings.base").write_text(text)
    result = build.build(root, tmp_path / "site", TODAY)
    warnings = [(p.path, p.line) for p in result.problems if "hasBacklink" in p.message]
    assert warnings == [("Meetings.base", 3)]
    own = page(tmp_path / "site", "bases/meetings.html")
    assert len(own.find("section", id="all").find_all("li")) == 4  # the filter left out


def test_an_embed_of_a_view_the_base_lacks_is_a_warning_at_its_line_in_build_and_check(
    vault, tmp_path
):
    """`![[Meetings.base#Nope]]` shows the first view, and says so where the embed is."""
    root = obsidian_crm(vault)
    person = root / "people/Steph Ango.md"
    person.write_text(person.read_text().replace("#Person", "#Nope"))
    result = build.build(root, tmp_path / "site", TODAY)
    warnings = [(p.path, p.line) for p in result.problems if "Nope" in p.message]
    assert warnings == [("people/Steph Ango.md", 6)]
    steph = page(tmp_path / "site", "contacts/steph-ango.html")
    assert steph.find("section", id="view-person") is not None  # the first view instead
    checked = CliRunner().invoke(cli, ["check", str(root)])
    assert "people/Steph Ango.md:6" in checked.output and "Nope" in checked.output


def test_what_was_given_and_received_links_the_notes_it_names(vault):
    """`air:` and `gave:` may name people: every page that shows them links them, and no
    page shows `[[…]]` as written."""
    out = make_site(
        vault(
            {
                "contacts/Lena.md": "---\ncircle: inner\n---\n",
                "contacts/Kenji.md": "",
                "interactions/2026-11-18 Coffee with Lena.md": (
                    '---\nwith: "[[Lena]]"\nair: ["Referral: [[Kenji]] for the data team"]\n'
                    'gave: ["An intro to [[Kenji|K.]]"]\n---\n'
                ),
            }
        )
    )
    pages = ["index.html", "contacts/lena.html", "interactions/2026-11-18-coffee-with-lena.html"]
    for rel in pages:
        html = (out / rel).read_text()
        assert "[[" not in html, rel
        assert 'href="' in html and "kenji.html" in html, rel
    interaction = page(out, "interactions/2026-11-18-coffee-with-lena.html")
    assert [a.text() for a in interaction.find(id="details").find_all("a") if "kenji" in
            a.attrs.get("href", "")] == ["Kenji", "K."]  # fmt: skip
    assert all("[[" not in p.read_text() for p in out.rglob("*.html"))


# ---------------------------------------------------------------------------
# Links to the editor, and conversations waiting on a reply

JOSE = "---\ncircle: inner\nfollow_up: 2026-11-13\n---\n"
MESSAGES = {
    "contacts/José Núñez.md": JOSE,
    "contacts/Grace Hopper.md": "---\ncircle: casual\n---\n",
    "interactions/2026-11-12 José wrote.md": (
        "---\ntype: email\nwith: '[[José Núñez]]'\ndirection: in\n---\n"
        "Could you send me the **compiler** notes before [[Grace Hopper]]'s talk on Friday, "
        "and the slides too?\n"
    ),
    "interactions/2026-11-16 Wrote to Grace.md": (
        "---\ntype: email\nwith: '[[Grace Hopper]]'\ndirection: out\n---\n"
        "Asked Grace for twenty minutes about COBOL.\n"
    ),
}


def edit_links(element: Element) -> list[str]:
    return [a.attrs["href"] for a in element.find_all("a", cls="edit")]


def test_follow_ups_and_note_pages_open_the_note_in_obsidian(tmp_path):
    from vaults import write_vault

    root = write_vault(tmp_path / "My Vault", MESSAGES)
    (root / ".obsidian").mkdir()
    out = make_site(root, out=tmp_path / "site")
    jose = "obsidian://open?vault=My%20Vault&file=contacts%2FJos%C3%A9%20N%C3%BA%C3%B1ez"
    wrote = "obsidian://open?vault=My%20Vault&file=interactions%2F2026-11-12%20Jos%C3%A9%20wrote"
    row = page(out, "index.html").find("li", cls="explicit")
    (link,) = row.find_all("a", cls="edit")
    assert (link.attrs["href"], link.text()) == (jose, "edit in Obsidian")
    # A link to another application: no request, and no referrer should it be followed.
    assert link.attrs["rel"] == "noopener noreferrer"
    # Obsidian cannot go to a line: the row says which, beside the link.
    assert row.find("a", cls="source").text() == "contacts/José Núñez.md:3"
    assert edit_links(page(out, "followups.html").find("li", cls="explicit")) == [jose]
    assert edit_links(page(out, "followups/overdue-explicit.html").find("main")) == [jose]
    contact = page(out, "contacts/josé-núñez.html")
    assert edit_links(contact.find("header", cls="page-head")) == [jose]
    # Follow up (due 11-13), reply (11-14), keep in touch (a month after he wrote).
    assert edit_links(contact.find("section", id="open")) == [jose, wrote, jose]
    message = page(out, "interactions/2026-11-12-josé-wrote.html")
    assert edit_links(message.find("header", cls="page-head")) == [wrote]
    assert edit_links(message.find("section", cls="from-note")) == [wrote]


def test_an_editor_link_goes_to_the_line_in_vscode_or_a_template_or_is_left_out(tmp_path):
    from vaults import write_vault

    base = tmp_path.as_posix()
    assert quote(base, safe="/:") == base  # the test's folder needs no escaping
    where = f"{base}/My%20Vault/contacts/Jos%C3%A9%20N%C3%BA%C3%B1ez.md"
    for setting, href in [
        ("", f"vscode://file{where}:3"),  # no .obsidian/ folder: VS Code
        ('editor = "vscode"', f"vscode://file{where}:3"),
        ('editor = "cursor://file{path}:{line}"', f"cursor://file{where}:3"),
        ('editor = "none"', None),
    ]:
        root = write_vault(tmp_path / "My Vault", MESSAGES)
        (root / "netvault.toml").write_text(f"[links]\n{setting}\n", encoding="utf-8")
        out = make_site(root, out=tmp_path / "site")
        row = page(out, "index.html").find("li", cls="explicit")
        assert edit_links(row) == ([href] if href else []), setting
        if href is None:
            assert not any(edit_links(page(out, rel)) for rel in ("index.html", "followups.html"))
        elif setting:
            assert row.find("a", cls="edit").text() == (
                "edit" if "cursor" in href else "edit in VS Code"
            )
        shutil.rmtree(root)


def test_replies_owed_and_conversations_waiting_on_them_with_days_and_first_words(vault):
    out = make_site(vault(MESSAGES))
    today = page(out, "index.html")
    # You owe José a reply: a follow-up, two days after he wrote, with what he asked.
    (reply,) = today.find("section", id="overdue").find_all("li", cls="reply")
    assert reply.find(cls="who").text() == "José Núñez"
    assert reply.find(cls="reason").text() == "Reply to José Núñez, who wrote on 2026-11-12"
    assert reply.find(cls="waiting").text() == "waiting 8 days"
    assert reply.find(cls="rel").text() == "6 days overdue"
    assert reply.find(cls="evidence").text() == (
        "“Could you send me the compiler notes before Grace Hopper's talk on…”"
    )
    assert reply.find("a", cls="source").text() == "interactions/2026-11-12 José wrote.md:4"
    # You wait on Grace: listed, not something you owe.
    (waiting,) = today.find("section", id="waiting").find_all("li", cls="conversation")
    assert "them" in waiting.classes
    assert waiting.find(cls="who").text() == "Grace Hopper"
    assert waiting.find(cls="days").text() == "4 days"
    assert waiting.find(cls="lead").text() == "“Asked Grace for twenty minutes about COBOL.”"
    assert waiting.find("a").attrs["href"] == "contacts/grace-hopper.html"
    assert not today.find_all("li", cls="conversation you")
    # Each contact's page says which way their conversation waits, and for how long.
    grace = page(out, "contacts/grace-hopper.html").find("section", id="conversation")
    assert grace.find("h2").text() == "Waiting on them"
    assert grace.find(cls="days").text() == "4 days"
    jose = page(out, "contacts/josé-núñez.html").find("section", id="conversation")
    assert jose.find("h2").text() == "You owe a reply"
    assert jose.find(cls="days").text() == "8 days"
    assert "Could you send me the compiler notes" in jose.find(cls="lead").text()
    message = page(out, "interactions/2026-11-12-josé-wrote.html").find("section", id="details")
    assert "Message from them" in message.text(" ")


def test_in_network_since_is_the_earliest_sign_on_the_contact_page_chart_and_today(tmp_path):
    """A vault put in git after a year of meetings: each contact is in the network since
    the first of them, not since the commit, and the chart ends at Today's count."""
    repo = Repo(tmp_path / "vault")
    repo.write("contacts/Ada.md", "")
    repo.write("contacts/Bob.md", "")
    repo.write("interactions/2025-11-03 Coffee.md", "---\nwith: '[[Ada]]'\n---\n")
    repo.commit("Start the vault")  # on 2026-01-06
    repo.write("contacts/Cy.md", "")  # not committed, never met
    repo.write("contacts/Dee.md", "---\nmet: 2025-12-01\n---\n")  # not committed
    today = date(2026, 3, 15)
    out = make_site(repo.root, today)

    def since(slug: str) -> str | None:
        profile = page(out, f"contacts/{slug}.html").find("dl", cls="fields")
        names = [t.text() for t in profile.find_all("dt")]
        fields = dict(zip(names, profile.find_all("dd"), strict=True))
        found = fields.get("In network since")
        return found.text() if found is not None else None

    assert since("ada") == "2025-11-03 (first interaction: Coffee)"
    assert since("bob") == "2026-01-06 (first commit)"
    assert since("cy") is None
    assert since("dee") is None  # met, shown as such
    chart = page(out, "network.html").find("svg", id="growth")
    points = [c.find("title").text() for c in chart.find_all("circle", cls="chart-point")]
    assert points == ["2025-11: 1", "2025-12: 2", "2026-01: 3", "2026-02: 3", "2026-03: 4"]
    today_counts = page(out, "index.html").find("li", cls="contacts").text()
    assert today_counts == "4 contacts"


def test_outreach_counts_a_status_set_by_hand_and_written_outreach_as_contacted(vault):
    root = vault(
        {
            # Set by hand; a call since, which the row mentions.
            "contacts/Beatriz.md": "---\nstatus: contacted\n---\n",
            "interactions/2026-11-02 Call.md": "---\nwith: '[[Beatriz]]'\ntype: call\n---\n",
            # No status: an email sent, no meeting yet.
            "contacts/Marcus.md": "",
            "interactions/2026-11-03 Email.md": "---\nwith: '[[Marcus]]'\ntype: email\n---\n",
            "contacts/Nia.md": "",
            "interactions/2026-11-04 Coffee.md": "---\nwith: '[[Nia]]'\ntype: coffee\n---\n",
        }
    )
    out = make_site(root)
    outreach = page(out, "outreach.html")
    contacted = outreach.find(id="stage-contacted")
    assert contacted.find("h2").text() == "Contacted 2"
    rows = [li.text() for li in contacted.find_all("li")]
    assert rows == [
        "Beatriz set by hand (the notes say met: first interaction on 2026-11-02)",
        "Marcus email on 2026-11-03, not met yet",
    ]
    met = [li.text() for li in outreach.find(id="stage-met").find_all("li")]
    assert met == ["Nia first interaction on 2026-11-04"]
