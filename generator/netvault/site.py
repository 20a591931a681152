"""The dashboard: the list of pages, their Jinja rendering, and the atomic write of the site.

`SiteWriter` (or `write_site`, for one build) is the entry point. It works in
three steps that never mix:

1. `SiteMap` gives every note, tag, organisation and attachment its URL.
2. `Pages` turns the model and the follow-ups into plain view objects, one
   page at a time (nothing here touches the disk or the clock).
3. The pages are rendered into a fresh folder beside the output folder, which
   is then swapped in; a failure before the swap leaves the old site as it was.
   Later builds render only pages whose data changed, and write only files
   whose bytes changed (`SiteWriter`).

Same vault and same `today` give the same bytes: everything is sorted, and the
only date in the output that is not from the notes is `today`, which only the
pages that must know it (Today, all follow-ups, contacts, the calendar feed, the
Network and Outreach pages) are given: a new day re-renders those, not every
contact's page.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import glob
import hashlib
import multiprocessing
import os
import pickle
import re
import secrets
import shutil
import unicodedata
import zlib
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cached_property, partial
from itertools import count
from operator import attrgetter
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from . import editors, insight_pages, markdown, replies, resources, search
from . import followups as rules
from .build import Loaded
from .counts import ContactCount, DueCount, contact_count, due_count
from .dates import days_label
from .followups import STATES, FollowUp
from .history import Commit, History
from .model import Contact, Interaction, Model, Page, Ref, asset_index, linked
from .notes import failure, frozen_heap, may_fork, resident_bytes
from .problems import Problem
from .properties import Shown, properties, shown, shown_words
from .records import record
from .text import clean, fold
from .vault import is_base, is_ignored_name

if TYPE_CHECKING:
    from . import bases

# Where each kind of note gets its page.
FOLDERS = {
    "contact": "contacts",
    "interaction": "interactions",
    "org": "orgs",
    "goal": "goals",
    "note": "notes",
}
STATE_TITLES = {
    "overdue": "Overdue",
    "today": "Due today",
    "soon": "Due soon",
    "later": "Later",
    rules.LONG_OVERDUE: "Long overdue",
}
KIND_TITLES = {
    "thank-you": "Thank-yous to send",
    "reply": "Replies you owe",
    "close-the-loop": "Loops to close",
    "explicit": "Follow-ups you set",
    "task": "Tasks",
    "new-role": "New roles to congratulate",
    "new-connection": "New connections",
    "keep-in-touch": "Keep in touch",
}
KIND_LABELS = {
    "thank-you": "thank-you",
    "reply": "reply",
    "close-the-loop": "close the loop",
    "explicit": "follow-up",
    "task": "task",
    "new-role": "new role",
    "new-connection": "new connection",
    "keep-in-touch": "keep in touch",
}
# The outreach pipeline first, then whatever else people write.
STATUS_ORDER = ("prospect", "contacted", "met", "active", "dormant")
SLUG_MAX = 80  # characters; with "-NN.html" far below any file system's name limit
# Names Windows will not create a file under, whatever the extension.
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_NOT_ASCII_ALNUM = re.compile(r"[^a-z0-9]+")


class SiteError(Exception):
    """The site could not be written: a broken theme template, or an output folder in the way."""


class ShardUnreadable(Exception):
    """A search shard on disk is not what the last write wrote: the index is made anew."""


# ---------------------------------------------------------------------------
# Slugs and URLs


# Every note's slug is made on every build that changes the model: the same names.
@functools.lru_cache(maxsize=1 << 17)
def slugify(name: str) -> str:
    """A readable, lower-case file name from a note name, keeping letters of every script.

    `Ada Lovelace` → `ada-lovelace`, `Иван Петров` → `иван-петров`, `田中 さくら` →
    `田中-さくら`. Anything that is not a letter, digit or combining mark becomes
    one hyphen, so the result is safe in any file system and needs no escaping
    beyond percent-encoding in an href.
    """
    text = unicodedata.normalize("NFC", clean(name)).lower()
    if text.isascii():  # the same rule, in one pass: ASCII has no combining marks
        slug = _NOT_ASCII_ALNUM.sub("-", text).strip("-")
    else:
        chars = [
            ch if ch.isalnum() or unicodedata.category(ch).startswith("M") else "-" for ch in text
        ]
        slug = re.sub("-{2,}", "-", "".join(chars)).strip("-")
    slug = slug[:SLUG_MAX].rstrip("-")
    if not slug:
        return "note"
    return f"{slug}-note" if slug in _RESERVED else slug


def unique_slugs(names: Iterable[tuple[str, str]], taken: set[str] | None = None) -> dict[str, str]:
    """Key → slug of its name, in the given order; a taken slug gets -2, -3 … added.

    Slugs are compared case-insensitively, so two pages never share a file on
    a case-insensitive file system either. `taken` holds slugs already used in
    the same folder, and is updated.
    """
    taken = set() if taken is None else taken
    counters: dict[str, int] = {}
    out: dict[str, str] = {}
    for key, name in names:
        base = slugify(name)
        slug = base
        while slug.casefold() in taken:
            number = counters.get(base, 2)
            counters[base] = number + 1
            slug = f"{base}-{number}"
        taken.add(slug.casefold())
        out[key] = slug
    return out


def url_quote(url: str) -> str:
    """A site-relative URL as it goes into an href: every non-ASCII byte percent-encoded."""
    return quote(url, safe="/#")


def search_fold(text: str) -> str:
    """Text for the contacts filter: lower-case, without accents (the script folds the same way)."""
    if text.isascii():  # most rows: no accent to take off, nothing for NFKD to change
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", clean(text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


@record
class Link:
    """Something to link to: text and an href relative to the page it is on.

    `{{ link }}` in a template writes the whole `<a>` element (escaped, and with
    `rel="noopener noreferrer"` when it leaves the site); the fields are there
    for themes that want other markup. Rendering it in Python rather than in a
    Jinja macro matters: a big site has millions of links.
    """

    text: str
    href: str | None  # None: it has no page (an unresolved link)
    external: bool = False
    hint: str = ""  # a title attribute
    cls: str = ""  # a class attribute

    def __html__(self) -> str:
        text = escape(self.text)
        if self.href is None:
            classes = f"wikilink missing {self.cls}".rstrip()
            return f'<span class="{classes}" title="{escape(self.hint)}">{text}</span>'
        classes = f"external {self.cls}".rstrip() if self.external else self.cls
        attrs = f' class="{classes}"' if classes else ""
        if self.external:
            attrs += ' rel="noopener noreferrer"'
        return f'<a{attrs} href="{escape(self.href)}">{text}</a>'


@record
class OrgInfo:
    """An organisation as the site knows it: an org note, another note, or a name in contacts."""

    key: str  # the note path, or "text:" + folded name
    name: str
    path: str | None  # the note it is, if any
    url: str  # site-relative URL of its page


@record
class Places:
    """Where a site map puts every note and tag (`SiteMap.places`)."""

    urls: dict[str, str]
    tags: dict[str, tuple[str, list[str]]]
    tag_urls: dict[str, str]
    org_slugs: frozenset[str]


class SiteMap:
    """The URL of every page and file of the site, fixed before anything is rendered."""

    def __init__(
        self,
        model: Model,
        assets: Iterable[str],
        previous: SiteMap | None = None,
        changed: Collection[str] = (),
        places: Places | None = None,
    ) -> None:
        """The site's map of `model`; `previous` is the map of a model that differs in `changed`.

        Where no note came, went, moved folder or changed its tags, the previous map's
        URLs and tags are the same, and are taken over rather than worked out again.
        `places` are what `places()` gave of a map of this very model, in another process.
        """
        self.model = model
        self.quoted: dict[str, str] = {}  # site URL → percent-encoded, filled as pages link
        self.tag_links: dict[tuple[str, str], Link] = {}  # (root, tag) → its link, as made
        if places is None and previous is not None and _same_places(previous.model, model, changed):
            places = previous._placed
            self.quoted = previous.quoted
            self.tag_links = previous.tag_links
        self._placed = places if places is not None else _places(model)
        self.urls = self._placed.urls
        self.tags = self._placed.tags
        self.tag_urls = self._placed.tag_urls
        self.orgs = self._orgs(model, set(self._placed.org_slugs))

        # Attachments keep their file name, made safe; -2, -3 … when names clash.
        self.assets = tuple(sorted(assets))
        if previous is not None and previous.assets == self.assets:
            self.asset_urls = previous.asset_urls
        else:
            stems = unique_slugs((rel, PurePosixPath(rel).stem) for rel in self.assets)
            # A base (`.base` file) is not copied: it is a page of the views it defines.
            self.asset_urls = {
                rel: f"bases/{stems[rel]}.html"
                if is_base(rel)
                else f"attachments/{stems[rel]}{_safe_suffix(PurePosixPath(rel).suffix)}"
                for rel in self.assets
            }
        # Attachments each note's page links to, found as the pages are made.
        self.used_by: dict[str, set[str]] = {}

    def places(self) -> Places:
        """The notes' URLs, the tags and their URLs: what a new process can take over."""
        return self._placed

    @property
    def used_assets(self) -> set[str]:
        """Every attachment a page made so far links to: those the site must copy."""
        return set().union(*self.used_by.values())

    def _orgs(self, model: Model, taken: set[str]) -> dict[str, OrgInfo]:
        """Every organisation: org notes, then notes and names that contacts give as their org.

        A name with no note gets a page of its own in orgs/, slugged after the
        org notes, so that a note always keeps its plain slug.
        """
        infos: dict[str, OrgInfo] = {
            path: OrgInfo(path, org.name, path, self.urls[path]) for path, org in model.orgs.items()
        }
        refs = [c.org for c in model.contacts.values() if c.org is not None]
        refs += [i.org for i in model.interactions.values() if i.org is not None]
        names: dict[str, str] = {}
        for ref in refs:
            key = org_key(ref)
            if ref.target is not None:
                if key not in infos and ref.target in self.urls:
                    infos[key] = OrgInfo(key, model.title(ref.target), key, self.urls[key])
            else:
                names.setdefault(key, ref.text)
        for key, slug in unique_slugs(sorted(names.items()), taken).items():
            infos[key] = OrgInfo(key, names[key], None, f"orgs/{slug}.html")
        return dict(sorted(infos.items()))


def _places(model: Model) -> Places:
    """Every note's URL, and the tags and their URLs."""
    by_folder: dict[str, list[tuple[str, str]]] = {}
    for path, page in model.pages.items():
        by_folder.setdefault(FOLDERS[page.kind], []).append((path, page.note.stem))
    taken: dict[str, set[str]] = {folder: set() for folder in FOLDERS.values()}
    urls: dict[str, str] = {}
    for folder, names in sorted(by_folder.items()):
        for key, slug in unique_slugs(sorted(names), taken[folder]).items():
            urls[key] = f"{folder}/{slug}.html"

    # Tags: folded name → (name as first written, paths of the notes with it).
    found: dict[str, tuple[str, list[str]]] = {}
    for path in sorted(model.pages):
        for tag in model.pages[path].tags:
            name = tag.lstrip("#")
            entry = found.setdefault(fold(name), (name, []))
            if not entry[1] or entry[1][-1] != path:
                entry[1].append(path)
    tags = {key: found[key] for key in sorted(found)}
    tag_slugs = unique_slugs((key, name) for key, (name, _) in tags.items())
    tag_urls = {key: f"tags/{slug}.html" for key, slug in tag_slugs.items()}
    # The org notes' slugs: named orgs' pages are slugged after them.
    return Places(urls, tags, tag_urls, frozenset(taken["orgs"]))


def _same_places(old: Model, new: Model, changed: Collection[str]) -> bool:
    """Whether the models, which differ in `changed` alone, have the same notes, folders, tags."""
    if old.pages.keys() != new.pages.keys():
        return False
    for path in changed:
        before, after = old.pages.get(path), new.pages.get(path)
        if before is None or after is None:
            continue  # gone from both
        if FOLDERS[before.kind] != FOLDERS[after.kind] or before.tags != after.tags:
            return False
    return True


def org_key(ref: Ref) -> str:
    """How a contact's or interaction's `org` is grouped: its note, else its folded name."""
    return ref.target if ref.target is not None else "text:" + fold(ref.text)


def _safe_suffix(suffix: str) -> str:
    ext = re.sub(r"[^0-9a-z]", "", suffix.lower())
    return f".{ext}" if ext else ""


class Linker:
    """Links from one page: every href is relative to where that page sits."""

    def __init__(self, sitemap: SiteMap, root: str) -> None:
        self.map = sitemap
        self.model = sitemap.model
        self.root = root

    def url(self, site_url: str) -> str:
        quoted = self.map.quoted.get(site_url)
        if quoted is None:
            quoted = self.map.quoted[site_url] = url_quote(site_url)
        return self.root + quoted

    def href(self, path: str) -> str | None:
        """The href of the note at `path`'s page; None when it has none."""
        url = self.map.urls.get(path)
        return self.url(url) if url else None

    def note(self, path: str, text: str | None = None) -> Link:
        shown = text if text is not None else self.model.title(path)
        return Link(shown, self.href(path), hint=path)

    def ref(self, ref: Ref | None) -> Link | None:
        if ref is None:
            return None
        if ref.target is None:
            return Link(ref.text, None, hint=f"No note is named “{ref.text}”")
        return self.note(ref.target)

    def org(self, ref: Ref | None) -> Link | None:
        if ref is None:
            return None
        info = self.map.orgs.get(org_key(ref))
        if info is None:
            return self.ref(ref)
        return Link(info.name, self.url(info.url))

    def tag(self, tag: str) -> Link:
        # The same few tags on thousands of rows: each made once per folder depth.
        made = self.map.tag_links.get((self.root, tag))
        if made is None:
            name = tag.lstrip("#")
            url = self.map.tag_urls.get(fold(name))
            made = Link(f"#{name}", self.url(url) if url else None, cls="tag")
            self.map.tag_links[self.root, tag] = made
        return made

    def tag_url(self, tag: str) -> str:
        return self.tag(tag).href or "#"

    def source(self, path: str, line: int) -> Link:
        url = self.map.urls.get(path)
        return Link(f"{path}:{line}", self.url(url) if url else None, hint=path, cls="source")

    def section(self, site_url: str, text: str) -> Link:
        return Link(text, self.url(site_url))


def body_markup(page: Page, links: Linker, allow_html: bool) -> Markup:
    """The note's Markdown as HTML; markdown.py escapes or sanitises what the note says."""
    sitemap, model = links.map, links.model

    def resolve(link: markdown.WikiLink) -> str | None:
        target = link.target  # never empty: markdown.py links [[#Heading]] itself
        path = model.resolve(target)
        if path is not None:
            return links.href(path)
        asset = model.resolve_asset(target)
        if asset is not None:
            if not is_base(asset):  # an attachment, which the site must copy
                sitemap.used_by.setdefault(page.path, set()).add(asset)
            return links.url(sitemap.asset_urls[asset])
        return None

    html = markdown.render_body(page.body, resolve, allow_html=allow_html, tag_url=links.tag_url)
    return Markup(html)


def shown_html(value: Shown, links: Linker) -> Markup:
    """A property's value as HTML: escaped text, its `[[links]]` linked (through `links`'s
    model), lists as lists.
    """
    if value.kind == "checkbox":
        state = " checked" if value.checked else ""
        return Markup(f'<input type="checkbox" disabled{state} aria-label="{value.checked}">')
    if value.kind == "date":
        return time_element(value.day)
    if value.kind == "list":
        items = "".join(f"<li>{shown_html(item, links)}</li>" for item in value.items)
        return Markup(f'<ul class="values">{items}</ul>')
    if value.kind == "empty":
        return Markup('<span class="muted">empty</span>')
    runs = []  # as str: a Markup of each, joined as Markup, escapes each again
    for piece in value.pieces:
        if not piece.target:
            runs.append(str(escape(piece.text)))
            continue
        path = links.model.resolve(piece.target)
        href = links.href(path) if path is not None else None
        hint = path or f"No note is named “{piece.target}”"
        runs.append(Link(piece.text, href, hint=hint).__html__())
    text = Markup("".join(runs))
    if value.kind == "datetime":
        return Markup(
            f'<time datetime="{escape(value.pieces[0].text.replace(" ", "T"))}">{text}</time>'
        )
    return text


@record
class View:
    """A base's view as a page shows it: its rows' cells made HTML, in groups."""

    id: str  # its anchor on the base's page
    name: str
    kind: str  # "table", "cards" or "list"
    base: Link  # to the view on the base's page
    labels: tuple[str, ...]  # the columns'
    groups: tuple[tuple[str, tuple[tuple[Markup, ...], ...]], ...]  # (label, rows of cells)


def _anchor(name: str) -> str:
    """Where the view `name` is on its base's page."""
    return "#" + markdown.heading_id(name)


def cell_html(value: Any, column: bases.Column, row: bases.Row, links: Linker) -> Markup:
    """A cell of a base's view: a file's name links to its note; other values as properties."""
    from .bases import FILE_NAMES

    if column.key in FILE_NAMES and value is not None:
        return Markup(Link(str(value), links.href(row.path), hint=row.path).__html__())
    if value is None or value == "" or value == []:
        return Markup("")  # a blank cell, as Obsidian leaves it
    return shown_html(shown(value), links)


def linked_text(words: str, links: Linker) -> Markup:
    """Words written in a note (what was given or received), escaped, its `[[links]]` linked."""
    return shown_html(shown_words(words), links)


def body_linker(names: Mapping[str, str], assets: Iterable[str], places: Places) -> Linker:
    """Links from a note's page, for its body alone: a site map of no note but `places`,
    what a site map of the model gave, and the model's `names`.
    """
    assets = tuple(assets)
    model = Model({}, {}, {}, {}, {}, {}, {}, names=names, assets=asset_index(assets))
    return Linker(SiteMap(model, assets, places=places), "../")


def external_link(value: str, kind: str = "web") -> Link | None:
    """A link to a web address written in a note, or None when it is not one.

    Only http and https are linked: a `javascript:` or `data:` value stays text.
    A LinkedIn field may be a bare handle.
    """
    text = value.strip()
    if not text:
        return None
    if _SCHEME.match(text):
        scheme = text.split(":", 1)[0].lower()
        if scheme not in ("http", "https"):
            return None
        href = text
    elif kind == "linkedin" and "/" not in text and "." not in text:
        href = f"https://www.linkedin.com/in/{text}"
    else:
        href = f"https://{text.lstrip('/')}"
    return Link(text, quote(href, safe=":/?#[]@!$&'()*+,;=%~"), external=True)


# ---------------------------------------------------------------------------
# Views: plain objects the templates show


@record
class Row:
    """One follow-up as a row."""

    kind: str
    kind_label: str
    state: str  # "" where the page does not depend on today
    who: tuple[Link, ...]
    reason: str
    due: date
    relative: str  # "3 days overdue", "due today", "in 2 days"; "" off the Today pages
    evidence: str
    evidence_link: Link | None
    source: Link
    edit: Link | None = None  # opens the source note in the editor, at the line
    waiting: str = ""  # "waiting 5 days", for a reply owed, where the page knows today


@record
class Conversation:
    """A conversation waiting on a reply, as a row: with whom, since when, what was said."""

    side: str  # "you" (you owe a reply) or "them" (you wait on theirs)
    who: Link
    since: date
    days: str  # "5 days"
    messages: int
    lead: str  # the first words of the last message
    message: Link  # the last message's page
    edit: Link | None


@record
class Group:
    """The follow-ups of one kind in one state: some rows, and how many more there are."""

    state: str
    kind: str
    title: str
    anchor: str
    rows: tuple[Row, ...]
    total: int
    more: int
    more_link: Link | None
    link: Link | None = None  # to the group's own pages


@record
class Shard:
    """One page of a group of follow-ups: its place among the group's pages, and its rows."""

    state: str
    kind: str
    number: int  # 1, 2, …
    of: int  # how many pages the group has
    followups: tuple[FollowUp, ...]


@record
class Pager:
    """Where one page of a long list stands among the list's pages, with a link to each."""

    number: int  # 1, 2, …
    of: int  # how many pages the list has
    # The place in the list of the page's first row, from 1, and of its last; None where
    # pages differ in size (a place would change with every row before it).
    first: int | None
    last: int | None
    # Each page's number, href (None for this one) and a hint of what it holds ("" for none).
    pages: tuple[tuple[int, str | None, str], ...]
    previous: str | None
    next: str | None


@record
class Section:
    """Overdue, due today, due soon or later: its groups in priority order."""

    state: str
    title: str
    anchor: str
    groups: tuple[Group, ...]
    total: int


@record
class Dated:
    """A dated entry of a list or timeline: an interaction, or a note that mentions someone."""

    date: date | None
    link: Link
    type: str = ""
    who: tuple[Link, ...] = ()
    details: tuple[tuple[str, str], ...] = ()  # (label, text), e.g. ("gave", "an intro")


@record
class ContactRow:
    """A row of the contacts table."""

    link: Link
    org: Link | None
    org_key: str
    role: str
    circle: str
    status: str
    tags: tuple[Link, ...]
    tag_keys: str
    search: str
    last: date | None
    next: date | None
    next_kind: str
    overdue: bool


@record
class OrgRow:
    """A row of the organisations list."""

    link: Link
    people: int
    interactions: int
    is_note: bool


@record
class Option:
    """One choice of a filter select."""

    value: str
    label: str
    count: int


@record
class Touched:
    """One note as one commit (or the work not yet committed) left it, on the Activity page."""

    kind: str  # added, changed, renamed, deleted
    link: Link  # to the note's page now; a plain name when it is gone
    old_path: str = ""  # the name it had before a rename


@record
class CommitRow:
    """One commit on the Activity page, with the notes it touched."""

    commit: Commit
    short: str  # the commit's id, abbreviated as git does
    changes: tuple[Touched, ...]


# The Activity page shows this many commits, newest first; `netvault history` shows all.
ACTIVITY_COMMITS = 1000
# The calendar feed holds the follow-ups due from this many days ago to this many
# days ahead, at most CALENDAR_MAX of them, earliest first: a calendar of every
# keep-in-touch of a vault of 30,000 contacts would be too big to subscribe to.
CALENDAR_PAST_DAYS = 30
CALENDAR_AHEAD_DAYS = 90
CALENDAR_MAX = 2000
# Follow-ups on one page of a group at most: about 300 KB, where one page of every
# follow-up of a 10,000-contact vault ran to 30 MB. Pages end where their rows say
# (`cut_pages`): a row that moves changes the page it leaves and the one it joins.
FOLLOWUP_PAGE_ROWS = 500
# Contacts on one page of the contacts list: about 420 KB, where one page of all
# of a 10,000-contact vault ran to 8 MB.
CONTACT_PAGE_ROWS = 500
# The views of the whole network a write keeps for the next where an edit cannot
# change them (`Pages.keep_views`, and `Pages.keep_contact_order` for the contacts
# list), and a new process takes up (`SiteWriter.views`): making the contacts list's
# order and filters again took a new process 0.2 s of a 10,000-contact vault.
KEPT_VIEWS = (
    "_referral_view",
    "_outreach_view",
    "_quiet",
    "_first_dates",
    "_known",
    "_contact_order",
    "_contact_choices",
)
# The Interactions page shows the latest ones; every month has a page of its own
# (timeline/2026-11.html), which an edit changes only when it shows that month.
INTERACTIONS_SHOWN = 200
# Conversations waiting on a reply from them that the Today page lists, longest first.
WAITING_SHOWN = 200


@dataclass
class Index:
    """Look-ups built once per site, so each page costs only its own size."""

    by_contact: dict[str, tuple[FollowUp, ...]]
    by_source: dict[str, list[FollowUp]] = field(default_factory=dict)
    problems: dict[str, list[Problem]] = field(default_factory=dict)
    referred: dict[str, list[str]] = field(default_factory=dict)  # referrer → contacts
    people_at: dict[str, list[str]] = field(default_factory=dict)  # org key → contacts
    talks_at: dict[str, list[str]] = field(default_factory=dict)  # org key → interactions
    goals_for: dict[str, list[str]] = field(default_factory=dict)  # target → goals


def _index(loaded: Loaded, followups: tuple[FollowUp, ...]) -> Index:
    model = loaded.model
    index = Index(by_contact=rules.by_contact(followups))
    for followup in followups:
        index.by_source.setdefault(followup.source, []).append(followup)
    for problem in loaded.problems:
        index.problems.setdefault(problem.path, []).append(problem)
    for path, contact in model.contacts.items():
        if contact.referred_by is not None and contact.referred_by.target is not None:
            index.referred.setdefault(contact.referred_by.target, []).append(path)
        if contact.org is not None:
            index.people_at.setdefault(org_key(contact.org), []).append(path)
    for path, interaction in model.interactions.items():
        if interaction.org is not None:
            index.talks_at.setdefault(org_key(interaction.org), []).append(path)
    for path, goal in model.goals.items():
        for target in goal.targets:
            if target.target is not None:
                index.goals_for.setdefault(target.target, []).append(path)
    return index


def _without(
    order: Sequence[FollowUp], gone: Sequence[FollowUp], key: Callable[[FollowUp], Any]
) -> list[FollowUp]:
    """`order` (sorted by `key`) without the follow-ups `gone`, told apart by identity.

    Each is found by bisection where there are few: a pass over tens of thousands
    of follow-ups for each edit took longer than the rest of keeping the order.
    """
    found = list(order)
    if len(gone) <= ORDER_INSERTS_MAX:
        for followup in gone:
            at = bisect.bisect_left(found, key(followup), key=key)
            if at == len(found) or found[at] is not followup:
                break  # level with another: looked for by identity below
            del found[at]
        else:
            return found
    away = set(map(id, gone))
    return [f for f in order if id(f) not in away]


def _regrouped(
    held: Mapping[str, Any],
    moved: rules.Moved,
    gone: set[int],
    where: Mapping[int, int],
    keys: Callable[[FollowUp], Iterable[str]],
    kind: Callable[[list[FollowUp]], Any],
) -> dict[str, Any]:
    """`held` (key → follow-ups, in the order given) with the follow-ups that `moved`
    regrouped, ordered by `where` (each one's place in the new order).
    """
    came: dict[str, list[FollowUp]] = {}
    for followup in moved.added:
        for key in dict.fromkeys(keys(followup)):
            came.setdefault(key, []).append(followup)
    touched = set(came).union(*(keys(f) for f in moved.removed))
    found = dict(held)
    for key in touched:
        members = [f for f in held.get(key, ()) if id(f) not in gone] + came.get(key, [])
        if members:
            members.sort(key=lambda f: where[id(f)])
            found[key] = kind(members)
        else:
            found.pop(key, None)
    return found


def _listed(model: Model, path: str) -> tuple[Any, ...] | None:
    """What the contacts list's order and its filters' counts read of the note at `path`."""
    contact = model.contacts.get(path)
    if contact is None:
        return None
    org = org_key(contact.org) if contact.org is not None else None
    return contact.name, contact.tags, contact.circle, contact.status, org


def _org_names(sitemap: SiteMap) -> dict[str, str]:
    """Each organisation's name, by its key."""
    return {key: info.name for key, info in sitemap.orgs.items()}


T = TypeVar("T")
# Of the contacts on one page of the list: how many have each tag (by folded tag), each
# tag's name as first written, and how many each circle, organisation and status.
ContactCounts = tuple[
    dict[str, int], dict[str, str], dict[str, int], dict[str, int], dict[str, int]
]


def paged(rows: Sequence[T], size: int, file: Callable[[int], str]) -> dict[str, Sequence[T]]:
    """`rows` in pages of `size` by each page's file (`file(1)`, `file(2)`, …): one at least."""
    count = max(1, -(-len(rows) // size))
    return {file(n): rows[(n - 1) * size : n * size] for n in range(1, count + 1)}


def cut_pages(rows: Sequence[T], most: int, mark: Callable[[T], int]) -> list[Sequence[T]]:
    """`rows` in pages of at most `most` rows, each ending at a row its `mark` picks (or at
    `most`): one page at least.

    Where a page ends depends on its own rows, not on how many came before: a row that
    comes, goes or moves changes the pages it leaves and joins, where pages of a fixed
    size would all shift by one after it. A page ends after a row whose mark is a
    multiple of `most * 2 // 5`, once it holds a fifth of `most` rows: pages hold
    `most * 3 // 5` rows on average, and about one in seven ends at `most`.
    """
    least, every = max(1, most // 5), max(1, most * 2 // 5)
    pages: list[Sequence[T]] = []
    start = 0
    for end, row in enumerate(rows, 1):
        size = end - start
        if size >= most or (size >= least and mark(row) % every == 0):
            pages.append(rows[start:end])
            start = end
    if start < len(rows) or not pages:
        pages.append(rows[start:])
    return pages


@functools.lru_cache(maxsize=1 << 17)
def _mark(source: str, line: int, kind: str, contacts: tuple[str, ...]) -> int:
    """A number of a follow-up's own (`cut_pages`), the same in every process."""
    return zlib.crc32(f"{kind}|{source}|{line}|{'|'.join(contacts)}".encode())


def followup_mark(followup: FollowUp) -> int:
    """A follow-up's `_mark`: where a page of its group may end."""
    return _mark(followup.source, followup.line, followup.kind, followup.contacts)


def pager(
    files: Sequence[str],
    number: int,
    links: Linker,
    hints: Sequence[str] = (),
    first: int | None = None,
    shown: int = 0,
) -> Pager:
    """The pager of page `number` of a list of pages `files`, `hints` saying what each holds;
    its rows are the `shown` from place `first` on, if given.
    """
    pages = tuple(
        (n, None if n == number else links.url(file), hints[n - 1] if hints else "")
        for n, file in enumerate(files, 1)
    )
    return Pager(
        number=number,
        of=len(files),
        first=first,
        last=None if first is None else first + shown - 1,
        pages=pages,
        previous=pages[number - 2][1] if number > 1 else None,
        next=pages[number][1] if number < len(files) else None,
    )


def contacts_file(number: int) -> str:
    """The file of a page of the contacts list: contacts.html, contacts-2.html, … ."""
    return "contacts.html" if number == 1 else f"contacts-{number}.html"


def group_file(state: str, kind: str, number: int) -> str:
    """The file of a page of the follow-ups of one state and kind: 1, 2, … ."""
    suffix = "" if number == 1 else f"-{number}"
    return f"followups/{slugify(f'{state}-{kind}')}{suffix}.html"


def circle_rank(circle: str, order: tuple[str, ...]) -> int:
    """Where a circle sorts: closest first, circles the settings do not name last."""
    return order.index(circle) if circle in order else len(order)


def relative_label(followup: FollowUp, today: date) -> str:
    """How due a follow-up is, in words relative to today."""
    days = followup.days_overdue(today)
    if days > 0:
        return f"{days_label(days)} overdue"
    if days == 0:
        return "due today"
    return f"in {days_label(-days)}"


def time_element(day: date | None) -> Markup:
    """`<time datetime="2026-11-20">2026-11-20</time>`, or nothing for no date."""
    if day is None:
        return Markup("")
    iso = day.isoformat()
    return Markup(f'<time datetime="{iso}">{iso}</time>')


def long_date(day: date) -> str:
    """`Friday, 20 November 2026`, the same in every locale."""
    return f"{_WEEKDAYS[day.weekday()]}, {day.day} {_MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class PageMaker:
    """How to make one page (file, template, context), and what it is the page of."""

    make: Callable[[], tuple[str, str, dict[str, Any]]]
    note: str | None = None  # the note it shows, whose problem a failure to make it is
    # What makes it due again: a note path, an org key, "tag:" + key, "list:" + its
    # file (a page of a long list); "" for always.
    mark: str = ""

    def __call__(self) -> tuple[str, str, dict[str, Any]]:
        return self.make()


class Pages:
    """Every page of the site as (file, template, context), built one at a time."""

    def __init__(
        self,
        loaded: Loaded,
        followups: tuple[FollowUp, ...],
        today: date,
        history: History | None = None,
        sitemap: SiteMap | None = None,
    ) -> None:
        self.loaded = loaded
        self.model = loaded.model
        self.settings = loaded.settings
        self.today = today
        self.history = history if history is not None else History()
        self.map = sitemap if sitemap is not None else SiteMap(loaded.model, loaded.assets)
        self.circles = tuple(self.settings.circle_order)
        self._given = followups
        # The list pages' rows, by (list, note path): made for this write or kept
        # from the last (`keep_rows`), so that an update makes only the rows it must.
        self.rows: dict[tuple[str, str], Any] = {}
        self.row_lists: set[str] | None = set()  # the lists `rows` has rows of; None: unknown
        # A digest of each row, with the row it is of (kept as long as the row is).
        self.row_digests: dict[tuple[str, str], tuple[Any, bytes]] = {}
        # Where a Pages taken up from another process finds that process's rows, each
        # with its digest or None (what `SiteWriter.rows` gave there).
        self.load_rows: Callable[[], dict[tuple[str, str], Any] | None] | None = None
        # Where a Pages taken up from another process reads the search shards it holds
        # not (`SiteWriter.resume`); and the shard files an update emptied.
        self.load_search: tuple[search.Loader, frozenset[str]] | None = None
        self.search_gone: set[str] = set()

    def keep_rows(self, old: Pages, marks: Collection[str]) -> None:
        """Take over `old`'s list rows of the notes not in `marks`, on the same day.

        A row shows its note, the notes it links to and their titles, and what the
        indexes say of it: `_marks` marks all of these when they may differ.
        """
        if old.today != self.today:
            return
        if not old.rows and old.load_rows is not None:
            kept = old.load_rows() or {}
            old.rows = {key: row for key, (row, _digest) in kept.items()}
            old.row_lists = None
            old.row_digests = {key: held for key, held in kept.items() if held[1] is not None}
            old.load_rows = None
        # Tens of thousands of rows, a few marks: copy in C, then drop the marked.
        lists = {kind for kind, _path in old.rows} if old.row_lists is None else old.row_lists
        self.rows, self.row_digests = old.rows.copy(), old.row_digests.copy()
        for kind in lists:
            for path in marks:
                self.rows.pop((kind, path), None)
                self.row_digests.pop((kind, path), None)
        self.row_lists = set(lists)

    def keep_views(self, old: Pages, changed: Collection[str]) -> None:
        """Take over `old`'s referral and outreach views where no note in `changed` differs
        in what the view reads (the outreach view only on the same day), and its ties gone
        quiet (on the same day), contacts' first dates (of the same HEAD) and contacts
        known, but those of the contacts `changed` touches.
        """
        from .insights import outreach, referrals

        views = [("_referral_view", referrals.facts)]
        if old.today == self.today:
            views.append(("_outreach_view", outreach.facts))
        for name, facts in views:
            kept = old.__dict__.get(name)
            if kept is not None and all(
                facts(old.model, path) == facts(self.model, path) for path in changed
            ):
                self.__dict__[name] = kept
        from .insights import health

        # A tie gone quiet is its contact's, its touches' and the title of the last; a
        # contact's first date and whether you know them, its own and its touches': all
        # linked. The first dates also read the history, which a commit moves.
        near = linked((old.model, self.model), changed)
        quiet = old.__dict__.get("_quiet")
        if quiet is not None and old.today == self.today:
            self.__dict__["_quiet"] = health.dormant(
                self.model, self.today, self.settings, quiet, near
            )
        first = old.__dict__.get("_first_dates")
        if first is not None and old.history.head == self.history.head:
            self.__dict__["_first_dates"] = health.first_dates(
                self.model, self.history, first, near
            )
        known = old.__dict__.get("_known")
        if known is not None:
            self.__dict__["_known"] = health.known(self.model, known, near)

    @cached_property
    def _outreach_view(self) -> dict[str, Any]:
        """The Outreach page's pipeline and meter."""
        return insight_pages.outreach_view(self.model, self.today, Linker(self.map, ""))

    @cached_property
    def _referral_view(self) -> dict[str, Any]:
        """The Network page's referrals: chains, the graph, introductions, suggestions."""
        return insight_pages.referral_view(self.model, Linker(self.map, ""), self.map.urls)

    def _digested(self, kind: str, paths: Iterable[str], rows: Iterable[Any]) -> Rows:
        """The rows of the notes at `paths` on the list page `kind`, with a digest of them."""
        digest = hashlib.blake2b(digest_size=16)
        for path, row in zip(paths, rows, strict=True):
            held = self.row_digests.get((kind, path))
            if held is None or held[0] is not row:
                held = self.row_digests[kind, path] = (row, _fingerprint("", row))
            digest.update(held[1])
        return Rows(tuple(rows), digest.digest())

    def _list_row(self, kind: str, path: str, make: Callable[[], Any]) -> Any:
        """The row of `path` on the list page `kind`: kept, else made (and kept)."""
        row = self.rows.get((kind, path))
        if row is None:
            row = self.rows[kind, path] = make()
            if self.row_lists is not None:
                self.row_lists.add(kind)
        return row

    @cached_property
    def search(self) -> search.Index:
        """The search index of every note (of the notes read so far, when taken up)."""
        if self.load_search is not None:
            load, keys = self.load_search
            return search.Index({}, {}, load, keys)
        return search.build(map(self._search_entry, self.model.pages))

    def _search_entry(self, path: str) -> search.Entry:
        model = self.model
        record = (
            model.contacts.get(path)
            or model.interactions.get(path)
            or model.orgs.get(path)
            or model.goals.get(path)
        )
        return search.note_entry(model.pages[path], record, url_quote(self.map.urls[path]))

    def _search_entries(self, paths: Iterable[str]) -> dict[str, search.Entry | None]:
        return {p: self._search_entry(p) if p in self.model.pages else None for p in paths}

    def keep_search(self, old: Pages, changed: Collection[str]) -> set[str] | None:
        """Take over `old`'s search index with the `changed` notes' entries made again (URLs
        of the notes in both are the same); the marks of the shards that changed, or None
        when the shards `old` wrote cannot be read.
        """
        try:
            index, touched = search.update(
                old.search,
                old._search_entries(changed),
                self._search_entries(changed),
                self._search_entry,
            )
        except ShardUnreadable:
            return None
        self.__dict__["search"] = index
        self.search_gone = touched - index.files().keys()
        return {f"search:{file}" for file in touched}

    def update_search(self, before: Mapping[str, search.Entry | None]) -> set[str]:
        """Show the notes of `before` as they are now (this Pages was repointed), in the
        search index; the files of the shards that changed.
        """
        index, touched = search.update(
            self.search, before, self._search_entries(before), self._search_entry
        )
        self.__dict__["search"] = index
        self.search_gone = touched - index.files().keys()
        return touched

    def remake_search(self, written: Collection[str]) -> set[str]:
        """Make the search index anew, of a site that has the files `written`: the files of
        all its shards, and of those it has no more (`search_gone`).
        """
        self.__dict__.pop("search", None)
        self.load_search = None
        files = self.search.files().keys()
        self.search_gone = {rel for rel in written if rel.startswith(search.FOLDER)} - files
        return files | self.search_gone

    def _search_makers(self, files: Iterable[str]) -> list[PageMaker]:
        held = self.search.files()
        return [
            PageMaker(partial(self.search_shard, file, *held[file]), None, f"search:{file}")
            for file in files
            if file in held
        ]

    def search_shard(self, file: str, kind: str, key: str) -> tuple[str, str, dict[str, Any]]:
        """One shard of the search index, as a script."""
        return (file, RAW_PAGE, {"text": self.search.script(kind, key)})

    def search_page(self) -> tuple[str, str, dict[str, Any]]:
        return ("search.html", "search.html", self._context("", "search", "Search"))

    def search_keys(self) -> tuple[str, str, dict[str, Any]]:
        """The list of the search index's term shards, which the search page reads first."""
        return (search.KEYS_FILE, RAW_PAGE, {"text": search.keys_script(self.search.keys)})

    # Made when first asked for: a build that remakes a few note pages may need neither.

    @cached_property
    def index(self) -> Index:
        """Look-ups of follow-ups, problems, referrals and organisations, by note."""
        return _index(self.loaded, self._given)

    @cached_property
    def _model_index(self) -> Index:
        """The look-ups but those of follow-ups (`index`, if it was made): what the model and
        its problems alone make.
        """
        held = self.__dict__.get("index")
        return held if held is not None else _index(self.loaded, ())

    @cached_property
    def health(self) -> Any:
        """The network's headline numbers (insights.health.Stats), as `netvault stats` gives."""
        from .insights import health

        return health.stats(
            self.model,
            self.today,
            self.settings,
            self.history,
            self._given,
            self._quiet,
            self._first_dates,
            self._known,
            self.due,
            self._contacts_counted,
        )

    @cached_property
    def due(self) -> DueCount:
        """The open follow-ups counted by state and kind, as every page and command counts them."""
        return due_count(self._given, self.today, self.settings)

    @cached_property
    def _first_dates(self) -> dict[str, date | None]:
        """When each contact entered the network (insights.health.first_dates)."""
        from .insights import health

        return health.first_dates(self.model, self.history)

    @cached_property
    def _known(self) -> frozenset[str]:
        """The contacts you know (insights.outreach.knows), for the numbers."""
        from .insights import health

        return health.known(self.model)

    @cached_property
    def _quiet(self) -> Any:
        """The ties gone quiet (insights.health.dormant), for the numbers and the Network page."""
        from .insights import health

        return health.dormant(self.model, self.today, self.settings)

    @cached_property
    def followups(self) -> tuple[FollowUp, ...]:
        """Every open follow-up, in the order pages list them."""
        return tuple(sorted(self._given, key=self._priority))

    def keep_order(self, old: Pages, changed: Collection[str], moved: rules.Moved) -> None:
        """Take over `old`'s follow-ups in page order, with those that came and went since.

        The same day, the same circles, and no contact in `changed` of another circle
        rank: the follow-ups both have are in the same order. A few new ones go in
        where they belong, unless one sorts level with another (then the order of the
        follow-ups as given decides, and all are sorted again).
        """
        held = old.__dict__.get("followups")
        if held is None or old.today != self.today or old.circles != self.circles:
            return
        if any(old._ranks.get(p) != self._ranks.get(p) for p in changed):
            return
        if len(moved.added) > ORDER_INSERTS_MAX:
            return
        order = _without(held, moved.removed, old._priority)
        if not self._put_in(order, moved.added):
            return
        self.__dict__["followups"] = tuple(order)
        # Made for the marks if not yet (a new process takes up no groups): the groups
        # that stay are kept, with their pages as cut.
        self._keep_groups(old.grouped, moved, set(map(id, moved.removed)))
        groups, cut = self.grouped, old._cut_groups if old.shards else {}
        self.__dict__["_cut_groups"] = {
            key: held for key, held in cut.items() if groups.get(key) is held[0]
        }

    def _put_in(self, order: list[FollowUp], added: Iterable[FollowUp]) -> bool:
        """Put each of `added` in its place in `order` (in page order); False, with `order`
        half done, if one sorts level with one there.
        """
        for followup in added:
            key = self._priority(followup)
            at = bisect.bisect_left(order, key, key=self._priority)
            if at < len(order) and self._priority(order[at]) == key:
                return False
            order.insert(at, followup)
        return True

    def _keep_groups(
        self,
        grouped: Mapping[tuple[str, str], tuple[FollowUp, ...]],
        moved: rules.Moved,
        gone: set[int],
    ) -> None:
        """Take over the last write's follow-ups by (state, kind) (`grouped`), of the same
        day, with those that came and went put in their place: unless a group comes.
        """
        found = dict(grouped)
        came: dict[tuple[str, str], list[FollowUp]] = {}
        for followup in moved.added:
            came.setdefault(self._group_of(followup), []).append(followup)
        if not came.keys() <= found.keys():  # where a group goes among the others: anew
            return
        for key in came.keys() | {self._group_of(f) for f in moved.removed}:
            rows = [f for f in found[key] if id(f) not in gone]
            if not self._put_in(rows, came.get(key, ())):
                return
            if rows:
                found[key] = tuple(rows)
            else:
                del found[key]
        self.__dict__["grouped"] = found

    def _group_of(self, followup: FollowUp) -> tuple[str, str]:
        """The (state, kind) group a follow-up is listed in."""
        return self._state(followup), followup.kind

    def _state(self, followup: FollowUp) -> str:
        """The follow-up's state as of today, long overdue past the settings' look-back."""
        settings = self.settings
        return followup.state(self.today, settings.soon_days, settings.overdue_lookback_days)

    def keep_index(self, old: Pages, moved: rules.Moved) -> None:
        """Take over `old`'s months' interactions if the model's are the very ones, and its
        follow-ups by contact and by source, regrouped where `moved` says follow-ups came
        or went; the rest of the look-ups are made anew.
        """
        if self.model.interactions is old.model.interactions and "months" in old.__dict__:
            self.__dict__["months"] = old.months
        held = old.__dict__.get("index")
        if held is None or len(moved.added) + len(moved.removed) > ORDER_INSERTS_MAX:
            return
        where = dict(zip(map(id, self._given), count()))
        gone = set(map(id, moved.removed))
        index = self._model_index
        index = Index(
            _regrouped(held.by_contact, moved, gone, where, lambda f: f.contacts, tuple),
            _regrouped(held.by_source, moved, gone, where, lambda f: (f.source,), list),
            index.problems,
            index.referred,
            index.people_at,
            index.talks_at,
            index.goals_for,
        )
        if not index.by_contact.keys() <= held.by_contact.keys():  # its keys are sorted
            index.by_contact = dict(sorted(index.by_contact.items()))
        self.__dict__["index"] = index

    # -- shared pieces -------------------------------------------------------

    @cached_property
    def _ranks(self) -> dict[str, int]:
        """Each contact's circle rank (`circle_rank`), looked up once per contact."""
        return {p: circle_rank(c.circle, self.circles) for p, c in self.model.contacts.items()}

    def _priority(self, followup: FollowUp) -> tuple[Any, ...]:
        """Kind in KINDS order, inner circles first, most overdue first, then stable."""
        ranks = self._ranks
        contacts = followup.contacts
        if len(contacts) == 1:  # most follow-ups: a look-up, not a generator, per sort key
            circle = ranks.get(contacts[0], len(self.circles))
        else:
            circle = min((ranks[p] for p in contacts if p in ranks), default=len(self.circles))
        return (
            rules.KIND_RANK.get(followup.kind, 99),
            circle,
            followup.due,
            followup.source,
            followup.line,
            followup.contacts,
            followup.reason,
        )

    @cached_property
    def editor(self) -> editors.Editor:
        """How links open a note in the editor (`[links] editor`)."""
        return editors.editor(self.settings.editor, Path(self.loaded.vault).absolute())

    def edit_link(self, path: str, line: int = 1) -> Link | None:
        """A link that opens the note at `path` in the editor at `line`; None without one."""
        url = self.editor.url(path, line)
        if url is None:
            return None
        return Link(self.editor.label, url, external=True, cls="edit")

    @cached_property
    def waiting(self) -> dict[str, replies.Waiting]:
        """The conversations waiting on a reply (`replies.waiting`), by contact."""
        return {w.contact: w for w in replies.waiting(self.model, self.today, self.settings)}

    def _conversation(self, found: replies.Waiting, links: Linker) -> Conversation:
        return Conversation(
            side=found.side,
            who=links.note(found.contact),
            since=found.since,
            days=days_label(found.days(self.today)),
            messages=found.messages,
            lead=found.lead,
            message=links.note(found.path),
            edit=self.edit_link(found.path, self._line_of(found.path, "direction")),
        )

    def _line_of(self, path: str, key: str) -> int:
        page = self.model.pages.get(path)
        line = page.line_of(key) if page is not None else None
        return line if line is not None else 1

    def _row(self, followup: FollowUp, links: Linker, *, relative: bool, besides: str = "") -> Row:
        """A follow-up as a row; `besides` is the contact whose page it is on (not repeated)."""
        evidence_link = None
        if followup.evidence and followup.evidence_path:
            evidence_link = links.note(followup.evidence_path, followup.evidence)
        state = self._state(followup)
        waiting = ""
        if relative and followup.kind == "reply":
            found = self.waiting.get(followup.contacts[0])
            if found is not None:
                waiting = f"waiting {days_label(found.days(self.today))}"
        return Row(
            kind=followup.kind,
            kind_label=KIND_LABELS.get(followup.kind, followup.kind),
            state=state if relative else "",
            who=tuple(
                links.note(p) for p in followup.contacts if p in self.model.pages and p != besides
            ),
            reason=followup.reason,
            due=followup.due,
            relative=relative_label(followup, self.today) if relative else "",
            evidence=followup.evidence,
            evidence_link=evidence_link,
            source=links.source(followup.source, followup.line),
            edit=self.edit_link(followup.source, followup.line),
            waiting=waiting,
        )

    @cached_property
    def grouped(self) -> dict[tuple[str, str], tuple[FollowUp, ...]]:
        """The follow-ups by (state, kind): states in STATES order, kinds in priority order."""
        found: dict[str, dict[str, list[FollowUp]]] = {state: {} for state in STATES}
        # Within a state, kinds come in KINDS order: the page order sorts by kind first.
        for followup in self.followups:
            state = self._state(followup)
            found[state].setdefault(followup.kind, []).append(followup)
        return {
            (state, kind): tuple(rows) for state in STATES for kind, rows in found[state].items()
        }

    @cached_property
    def shards(self) -> dict[str, Shard]:
        """Each page of each group of follow-ups, by its file."""
        found = {}
        for key, rows in self.grouped.items():
            for shard in self._group_shards(key, rows):
                found[group_file(shard.state, shard.kind, shard.number)] = shard
        return found

    @cached_property
    def _cut_groups(self) -> dict[tuple[str, str], tuple[tuple[FollowUp, ...], list[Shard]]]:
        """The pages of each group of follow-ups as first cut, with the rows they were cut from."""
        return {}

    def _group_shards(self, key: tuple[str, str], rows: tuple[FollowUp, ...]) -> list[Shard]:
        """The pages of the group of follow-ups `key`: those of the last write while its
        rows are the very ones it had (`keep_order` keeps those of the groups that stay).
        """
        held = self._cut_groups.get(key)
        if held is None or held[0] is not rows:
            chunks = cut_pages(rows, FOLLOWUP_PAGE_ROWS, followup_mark)
            shards = [Shard(*key, n, len(chunks), tuple(c)) for n, c in enumerate(chunks, 1)]
            held = self._cut_groups[key] = (rows, shards)
        return held[1]

    def _sections(self, states: tuple[str, ...]) -> list[Section]:
        """Follow-ups by state, then by kind: `rows_per_group` rows each, with a link to all."""
        links = Linker(self.map, "")
        cap = self.settings.rows_per_group
        sections = []
        for state in states:
            groups = []
            for (shown_state, kind), found in self.grouped.items():
                if shown_state != state:
                    continue
                anchor = f"{state}-{kind}"
                more = max(0, len(found) - cap)
                url = group_file(state, kind, 1)
                groups.append(
                    Group(
                        state=state,
                        kind=kind,
                        title=KIND_TITLES.get(kind, kind),
                        anchor=anchor,
                        rows=tuple(self._row(f, links, relative=True) for f in found[:cap]),
                        total=len(found),
                        more=more,
                        more_link=links.section(url, f"{more} more") if more else None,
                        link=links.section(url, KIND_TITLES.get(kind, kind)),
                    )
                )
            total = sum(g.total for g in groups)
            sections.append(Section(state, STATE_TITLES[state], state, tuple(groups), total))
        return sections

    def _backlog(self, links: Linker) -> tuple[Group, ...]:
        """Each kind of long-overdue follow-up as a group of one row, its oldest, with how
        many there are and a link to the pages that list them all: Today's digest.
        """
        groups = []
        for (state, kind), found in self.grouped.items():
            if state != rules.LONG_OVERDUE:
                continue
            oldest = min(found, key=attrgetter("due"))  # the first in page order of those
            url = group_file(state, kind, 1)
            title = KIND_TITLES.get(kind, kind)
            more = len(found) - 1
            groups.append(
                Group(
                    state=state,
                    kind=kind,
                    title=title,
                    anchor=f"{state}-{kind}",
                    rows=(self._row(oldest, links, relative=True),),
                    total=len(found),
                    more=more,
                    more_link=links.section(url, f"{more} more") if more else None,
                    link=links.section(url, title),
                )
            )
        return tuple(groups)

    def _interaction_entry(self, interaction: Interaction, links: Linker) -> Dated:
        details = tuple(("gave", linked_text(g, links)) for g in interaction.gave) + tuple(
            ("received", linked_text(a, links)) for a in interaction.air
        )
        return Dated(
            date=interaction.date,
            link=links.note(interaction.path),
            type=interaction.type,
            who=tuple(self._ref_links(interaction.with_, links)),
            details=details,
        )

    @staticmethod
    def _ref_links(refs: Iterable[Ref], links: Linker) -> Iterator[Link]:
        for ref in refs:
            link = links.ref(ref)
            if link is not None:
                yield link

    def _note_parts(self, page: Page, links: Linker) -> dict[str, Any]:
        """What every note page shows: body, tags, follow-ups, backlinks, problems.

        Its tasks are not listed again: the body shows each with its checkbox, and the
        open ones with a date are among the follow-ups from the note.
        """
        return {
            "page": page,
            "edit": self.edit_link(page.path),
            "body": body_markup(page, links, self.settings.allow_html),
            "tags": tuple(links.tag(t) for t in page.tags),
            "views": tuple(
                self._view(base, view, page.path, links)
                for base, view in self._embeds.get(page.path, ())
            ),
            "properties": tuple((p.key, shown_html(p.value, links)) for p in properties(page.note)),
            "backlinks": tuple(
                links.note(p)
                for p in sorted(
                    self.model.backlinks.get(page.path, ()),
                    key=lambda p: (fold(self.model.title(p)), p),
                )
            ),
            "problems": tuple(self.index.problems.get(page.path, ())),
            "history": self.history.notes.get(page.path, ()),
            "uncommitted": page.path in self.history.uncommitted,
            "source_rows": tuple(
                self._row(f, links, relative=False)
                for f in sorted(self.index.by_source.get(page.path, ()), key=self._priority)
            ),
        }

    def _context(self, root: str, nav: str, title: str, **extra: Any) -> dict[str, Any]:
        return {
            "root": root,
            "nav": nav,
            "title": title,
            "site_title": self.settings.title,
            "uncommitted": False,  # whether this page's note has changes not committed yet
            **extra,
        }

    # -- bases ----------------------------------------------------------------

    @cached_property
    def _rows(self) -> tuple[bases.Row, ...]:
        """What a base's views read of every note."""
        from .bases import Row

        return tuple(
            Row(
                path,
                page.title,
                page.tags,
                tuple(dict.fromkeys(r.target for r in page.refs if r.target)),
                page.note.meta,
            )
            for path, page in self.model.pages.items()
        )

    @cached_property
    def _embeds(self) -> dict[str, tuple[tuple[str, str | None], ...]]:
        """The notes that embed a base's view: (base, view name or None), in body order."""
        if not self.loaded.bases:
            return {}
        found = {}
        for path, page in self.model.pages.items():
            views = tuple(
                (base, link.heading)
                for link in page.body.links
                if link.embed
                and is_base(link.target)
                and (base := self.model.resolve_asset(link.target)) in self.loaded.bases
            )
            if views:
                found[path] = views
        return found

    @cached_property
    def _row_index(self) -> dict[str, bases.Row]:
        """Each note's row (`_rows`), by its path: a base's `this`."""
        return {row.path: row for row in self._rows}

    def _view(self, base: str, view: str | None, this: str | None, links: Linker) -> View:
        """A base's view worked out and shown, `this` the note it is embedded in (None: on
        the base's own page).
        """
        from .bases import work_out

        table, _problems = work_out(
            self.loaded.bases[base],
            view,
            self._rows,
            self._row_index.get(this) if this is not None else None,
            self.today,
            self.model.resolve,
        )
        url = self.map.asset_urls[base]
        return View(
            markdown.heading_id(table.name),
            table.name,
            table.kind,
            Link(PurePosixPath(base).stem, links.url(url) + _anchor(table.name), hint=base),
            tuple(column.label for column in table.columns),
            tuple(
                (
                    group.label,
                    tuple(
                        tuple(
                            cell_html(value, column, row, links)
                            for column, value in zip(table.columns, values, strict=True)
                        )
                        for row, values in group.rows
                    ),
                )
                for group in table.groups
            ),
        )

    def base_page(self, rel: str) -> tuple[str, str, dict[str, Any]]:
        links = Linker(self.map, "../")
        base = self.loaded.bases[rel]
        from .bases import view_names

        views = tuple(self._view(rel, name, None, links) for name in view_names(base))
        return (
            self.map.asset_urls[rel],
            "base_views.html",
            self._context("../", "", PurePosixPath(rel).stem, path=rel, views=views),
        )

    # -- the pages ------------------------------------------------------------

    def __iter__(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        for make in self.makers():
            yield make()

    def repoint(self, loaded: Loaded, history: History) -> bool:
        """Show `loaded`, a model that differs from this one in note bodies alone.

        `history` is the same as before but for the notes not yet committed:
        returns whether those changed (Today, which lists them, changes too).
        """
        self.loaded = loaded
        self.model = loaded.model
        self.map.model = loaded.model
        moved = history.uncommitted != self.history.uncommitted
        self.history = history
        return moved

    def maker_for(self, path: str) -> PageMaker:
        """The maker of the page of the note at `path`."""
        kind = self.model.pages[path].kind
        if kind == "contact":
            make = partial(self.contact_page, path)
        elif kind == "interaction":
            make = partial(self.interaction_page, path)
        elif kind == "org":
            make = partial(self.org_page, self.map.orgs[path])
        else:
            make = partial(self.note_page, path, "goal.html" if kind == "goal" else "note.html")
        return PageMaker(make, path, path)

    def makers(self, marked: Collection[str] | None = None) -> list[PageMaker]:
        """A maker of each page's (file, template, context), in a fixed order.

        Makers, not pages: a worker process makes only its share of the pages.
        With `marked`, only the pages of those marks (`PageMaker.mark`) are among
        them, besides the pages that are always made again (every page but a
        note's, an organisation's and a tag's).
        """

        # A note that embeds a base's view shows what any note says: always made again.
        embeds = self._embeds

        def due(mark: str) -> bool:
            return marked is None or mark in marked or mark in embeds

        always = PageMaker
        makers = [
            always(self.today_page),
            always(self.followups_page),
        ]
        makers += [
            PageMaker(partial(self.shard_page, file), None, f"list:{file}")
            for file in self.shards
            if due(f"list:{file}")
        ]
        makers += [
            always(self.calendar_feed),
            always(self.activity_page),
        ]
        # A contact that comes, goes or is renamed moves rows across pages: all made again,
        # each rendered only when its rows or its pager differ. Else only the pages
        # with a row marked (whose row is made again) can differ.
        kept = marked is not None and self.__dict__.get("_contact_pages_kept", False)
        makers += [
            always(partial(self.contacts_page, file))
            for file, paths in self.contact_pages.items()
            if not kept or any(path in marked for path in paths)  # type: ignore[operator]
        ]
        makers += [self.maker_for(path) for path in self.model.contacts if due(path)]
        makers.append(always(self.interactions_page))
        makers += [
            PageMaker(partial(self.month_page, file), None, f"list:{file}")
            for file in self.months
            if due(f"list:{file}")
        ]
        makers += [self.maker_for(path) for path in self.model.interactions if due(path)]
        makers.append(always(self.orgs_page))
        makers += [
            PageMaker(partial(self.org_page, info), info.path, info.key)
            for info in self.map.orgs.values()
            if (info.path is None or info.path in self.model.orgs) and due(info.key)
        ]
        # A goal's page shows a plan made of the whole network: always made again.
        makers += [PageMaker(self.maker_for(path).make, path) for path in self.model.goals]
        makers += [
            self.maker_for(path)
            for path, page in self.model.pages.items()
            if page.kind == "note" and due(path)
        ]
        makers += [always(self.goals_page), always(self.outreach_page), always(self.network_page)]
        makers += [always(self.search_page), always(self.search_keys)]
        makers += self._search_makers(file for file in self.search.files() if due(f"search:{file}"))
        makers.append(always(self.tags_page))
        makers += [always(partial(self.base_page, rel)) for rel in self.loaded.bases]
        makers += [
            PageMaker(partial(self.tag_page, key), None, f"tag:{key}")
            for key in self.map.tags
            if due(f"tag:{key}")
        ]
        return makers

    def today_page(self) -> tuple[str, str, dict[str, Any]]:
        links = Linker(self.map, "")
        sections = self._sections(("overdue", "today", "soon"))
        backlog = self._backlog(links)
        start = self.today - timedelta(days=self.settings.recent_days)
        recent = self.model.dated(start, self.today)
        recent.sort(key=lambda i: (i.date, i.path), reverse=True)
        cap = self.settings.rows_per_group
        goals = tuple(
            (links.note(p), g.status)
            for p, g in sorted(self.model.goals.items(), key=lambda kv: fold(kv[1].title))
        )
        problems = self.loaded.problems
        pending = self._pending(links)
        # Replies you owe are follow-ups, listed above with the others.
        awaited = tuple(
            self._conversation(w, links) for w in self.waiting.values() if w.side == "them"
        )
        return (
            "index.html",
            "index.html",
            self._context(
                "",
                "today",
                "Today",
                today=self.today,
                long_today=long_date(self.today),
                sections=sections,
                due=self.due,
                backlog=backlog,
                lookback_days=self.settings.overdue_lookback_days,
                contacts=self._contacts_counted,
                interactions=len(self.model.interactions),
                awaited=awaited[:WAITING_SHOWN],
                awaited_total=len(awaited),
                recent=tuple(self._interaction_entry(i, links) for i in recent[:cap]),
                recent_more=max(0, len(recent) - cap),
                recent_days=self.settings.recent_days,
                goals=goals,
                errors=sum(1 for p in problems if p.level == "error"),
                warnings=sum(1 for p in problems if p.level == "warning"),
                pending=tuple(pending[:cap]),
                pending_more=max(0, len(pending) - cap),
                empty=not self.model.contacts and not self.model.interactions,
            ),
        )

    def calendar_feed(self) -> tuple[str, str, dict[str, Any]]:
        """`followups.ics`: the follow-ups due around today, for a calendar to subscribe to."""
        from .exporters.ics import feed

        # What Today lists, and no more: a calendar of long-overdue events helps nobody.
        start = max(
            self.today - timedelta(days=CALENDAR_PAST_DAYS),
            rules.listed_since(self.today, self.settings),
        )
        end = self.today + timedelta(days=CALENDAR_AHEAD_DAYS)
        # The follow-ups are in order of due date (`followups.in_order`): a slice of them.
        due = attrgetter("due")
        first = bisect.bisect_left(self.followups, start, key=due)
        shown = self.followups[first : bisect.bisect_right(self.followups, end, lo=first, key=due)]
        # The feed's content, not its text: written only when it changed (see Feed).
        return (
            "followups.ics",
            "followups.ics",
            {"feed": feed(self.loaded, shown[:CALENDAR_MAX], self.today)},
        )

    def activity_page(self) -> tuple[str, str, dict[str, Any]]:
        """The vault's git log: what each commit did to which notes, newest first, by day."""
        links = Linker(self.map, "")
        history = self.history
        now = {(c.commit.id, c.path): path for path, found in history.notes.items() for c in found}
        commits: list[tuple[Commit, list[Touched]]] = []
        for change in history.activity:  # newest first, a commit's changes together
            if not commits or commits[-1][0] is not change.commit:
                if len(commits) == ACTIVITY_COMMITS:
                    break
                commits.append((change.commit, []))
            path = now.get((change.commit.id, change.path), change.path)
            commits[-1][1].append(
                Touched(change.kind, self._note_link(path, links), change.old_path)
            )
        days: dict[date, list[CommitRow]] = {}
        for commit, touched in commits:
            row = CommitRow(commit, commit.id[:7], tuple(touched))
            days.setdefault(commit.when.date(), []).append(row)
        total = len({c.commit.id for c in history.activity})
        return (
            "activity.html",
            "activity.html",
            self._context(
                "",
                "activity",
                "Activity",
                days=tuple((day, tuple(rows)) for day, rows in days.items()),
                more=total - len(commits),
                problem=history.problem,
            ),
        )

    def _pending(self, links: Linker) -> list[Touched]:
        """The notes with changes not committed yet, and what kind of change each is."""
        history = self.history
        return [
            Touched(
                "deleted"
                if path not in self.model.pages
                else ("changed" if path in history.tree else "added"),
                self._note_link(path, links),
            )
            for path in sorted(history.uncommitted)
        ]

    def _note_link(self, path: str, links: Linker) -> Link:
        """A link to the page of the note at `path`, or its name when it is gone."""
        if path in self.model.pages:
            return links.note(path)
        return Link(PurePosixPath(path).stem, None, hint="no longer in the vault", cls="gone")

    def followups_page(self) -> tuple[str, str, dict[str, Any]]:
        """Every state and kind of follow-up, its first rows and a link to its pages."""
        sections = self._sections(STATES)
        return (
            "followups.html",
            "followups.html",
            self._context("", "today", "All follow-ups", today=self.today, sections=sections),
        )

    def shard_page(self, file: str) -> tuple[str, str, dict[str, Any]]:
        """One page of one group of follow-ups, with links to the group's other pages."""
        shard = self.shards[file]
        links = Linker(self.map, "../")
        title = f"{STATE_TITLES[shard.state]}: {KIND_TITLES.get(shard.kind, shard.kind).lower()}"
        files = [group_file(shard.state, shard.kind, n) for n in range(1, shard.of + 1)]
        return (
            file,
            "followup_group.html",
            self._context(
                "../",
                "today",
                title if shard.of == 1 else f"{title} (page {shard.number} of {shard.of})",
                today=self.today,
                heading=title,
                state=shard.state,
                rows=tuple(self._row(f, links, relative=True) for f in shard.followups),
                pager=pager(files, shard.number, links),
            ),
        )

    @cached_property
    def _contact_order(self) -> tuple[str, ...]:
        """The contacts list's contacts, by folded name."""
        order = sorted(self.model.contacts.values(), key=lambda c: (fold(c.name), c.path))
        return tuple(c.path for c in order)

    @cached_property
    def _contacts_counted(self) -> ContactCount:
        """The contacts of the vault, counted (Today and every contacts page show it)."""
        return contact_count(self.model)

    @cached_property
    def _contact_choices(self) -> dict[str, dict[str, list[Option]]]:
        """The options of each contacts page's filters, by its file, as first asked for."""
        return {}

    def keep_contact_order(self, old: Pages, changed: Collection[str]) -> None:
        """Take over `old`'s contacts list order, and its pages' filter options, if no note in
        `changed` differs in what they read of it.
        """
        held = old.__dict__.get("_contact_order")
        if held is not None and all(
            _listed(old.model, path) == _listed(self.model, path) for path in changed
        ):
            self.__dict__["_contact_order"] = held
            # The options also show the organisations' names, which a contact may give.
            if _org_names(old.map) == _org_names(self.map):
                self.__dict__["_contact_choices"] = old._contact_choices
                # Then a page of the list differs only where one of its rows does.
                self.__dict__["_contact_pages_kept"] = (
                    old.today == self.today and old._contacts_counted == self._contacts_counted
                )

    @cached_property
    def contact_pages(self) -> dict[str, Sequence[str]]:
        """The contacts on each page of the contacts list, by its file."""
        return paged(self._contact_order, CONTACT_PAGE_ROWS, contacts_file)

    def contacts_page(self, file: str) -> tuple[str, str, dict[str, Any]]:
        """One page of the contacts list, by name: its rows, its filters' options, its pager."""
        links = Linker(self.map, "")
        paths = self.contact_pages[file]
        contacts, made = self.model.contacts, self.rows
        rows = []
        for path in paths:  # hundreds of rows, most of them kept: no closure each
            row = made.get(("contact", path))
            if row is None:
                row = self._list_row(
                    "contact", path, partial(self._contact_row, contacts[path], links)
                )
            rows.append(row)
        files = list(self.contact_pages)
        number = files.index(file) + 1
        # Each page's first and last name: where to look for someone, without the script.
        hints = [
            f"{contacts[found[0]].name} – {contacts[found[-1]].name}"
            for found in self.contact_pages.values()
            if found
        ]
        first = (number - 1) * CONTACT_PAGE_ROWS + 1
        shown = pager(files, number, links, hints, first, len(paths))
        title = "Contacts" if shown.of == 1 else f"Contacts (page {number} of {shown.of})"
        return (
            file,
            "contacts.html",
            self._context(
                "",
                "contacts",
                title,
                today=self.today,
                rows=self._digested("contact", paths, rows),
                total=len(self._contact_order),
                counted=self._contacts_counted,
                pager=shown,
                **self._contact_options(file, paths),
            ),
        )

    def _contact_options(self, file: str, paths: Sequence[str]) -> dict[str, list[Option]]:
        """The options of the filters of the contacts page `file`, counted over its contacts
        at `paths` (which the filters filter).
        """
        made = self._contact_choices.get(file)
        if made is None:
            made = self._contact_choices[file] = self._choices(paths)
        return made

    def _choices(self, paths: Sequence[str]) -> dict[str, list[Option]]:
        """`_contact_options` made anew."""
        tag_count, tag_names, circle_count, org_count, status_count = self._count_contacts(paths)
        orgs = self.map.orgs
        return {
            "tag_options": [Option(k, tag_names[k], n) for k, n in sorted(tag_count.items())],
            "circle_options": [
                Option(c, c, n)
                for c, n in sorted(
                    circle_count.items(), key=lambda kv: (circle_rank(kv[0], self.circles), kv)
                )
            ],
            "org_options": [
                Option(k, orgs[k].name, n)
                for k, n in sorted(
                    org_count.items(), key=lambda kv: (fold(orgs[kv[0]].name), kv[0])
                )
            ],
            "status_options": [
                Option(s, s, n)
                for s, n in sorted(
                    status_count.items(),
                    key=lambda kv: (
                        STATUS_ORDER.index(kv[0]) if kv[0] in STATUS_ORDER else 99,
                        kv[0],
                    ),
                )
            ],
        }

    def _count_contacts(self, paths: Iterable[str]) -> ContactCounts:
        """How many of the contacts at `paths` have each tag (and its name as first written),
        circle, organisation and status.
        """
        tag_count: dict[str, int] = {}
        tag_names: dict[str, str] = {}
        circle_count: dict[str, int] = {}
        org_count: dict[str, int] = {}
        status_count: dict[str, int] = {}
        for path in paths:
            contact = self.model.contacts[path]
            for tag in dict.fromkeys(fold(t) for t in contact.tags):
                tag_count[tag] = tag_count.get(tag, 0) + 1
            for tag in contact.tags:
                tag_names.setdefault(fold(tag), tag)
            if contact.circle:
                circle_count[contact.circle] = circle_count.get(contact.circle, 0) + 1
            if contact.status:
                status_count[contact.status] = status_count.get(contact.status, 0) + 1
            if contact.org is not None:
                key = org_key(contact.org)
                org_count[key] = org_count.get(key, 0) + 1
        return tag_count, tag_names, circle_count, org_count, status_count

    def _contact_row(self, contact: Contact, links: Linker) -> ContactRow:
        touched = rules.last_touch(self.model, contact.path, self.today)
        due = self.index.by_contact.get(contact.path, ())
        first = None
        if due:
            soonest = min(f.due for f in due)
            first = min((f for f in due if f.due == soonest), key=self._priority)
        org = links.org(contact.org)
        page = self.model.pages[contact.path]
        words = [contact.name, *page.aliases, contact.role, contact.location, *contact.emails]
        words += [org.text if org else "", *(f"#{t}" for t in contact.tags)]
        return ContactRow(
            link=links.note(contact.path, contact.name),
            org=org,
            org_key=org_key(contact.org) if contact.org else "",
            role=contact.role,
            circle=contact.circle,
            status=contact.status,
            tags=tuple(links.tag(t) for t in contact.tags),
            tag_keys=" ".join(fold(t) for t in contact.tags),
            search=search_fold(" ".join(w for w in words if w)),
            last=touched[0] if touched else None,
            next=first.due if first else None,
            next_kind=KIND_LABELS.get(first.kind, first.kind) if first else "",
            overdue=first is not None and first.due < self.today,
        )

    def _since(self, contact: Contact, links: Linker) -> tuple[date, str, Link | None] | None:
        """When the contact entered the network, why, and the note that says so; None when
        nothing says, or `met` alone does (shown as itself).
        """
        from .insights.health import in_network_since

        since = in_network_since(self.model, self.history, contact)
        if since is None or since.why == "met":
            return None
        return since.date, since.why, links.note(since.path) if since.path else None

    def contact_page(self, path: str) -> tuple[str, str, dict[str, Any]]:
        links = Linker(self.map, "../")
        model = self.model
        contact = model.contacts[path]
        page = model.pages[path]
        touched = rules.last_touch(model, path, self.today)
        due = sorted(self.index.by_contact.get(path, ()), key=lambda f: (f.due, self._priority(f)))
        timeline = []
        for touch in reversed(model.touches.get(path, ())):
            interaction = model.interactions.get(touch.path)
            if interaction is not None:
                timeline.append(self._interaction_entry(interaction, links))
            else:
                timeline.append(Dated(touch.date, links.note(touch.path), "note"))
        referred_to = [links.note(p) for p in self.index.referred.get(path, ())]
        referrals = []  # (who they pointed you to, the interaction where they did)
        for touch in model.touches.get(path, ()):
            interaction = model.interactions.get(touch.path)
            if interaction is not None:
                for ref in interaction.referrals:
                    link = links.ref(ref)
                    if link is not None:
                        referrals.append((link, links.note(interaction.path)))
        balance = self._balances.get(path)
        gave = []  # (what you gave, when, where)
        for touch in reversed(model.touches.get(path, ())):
            interaction = model.interactions.get(touch.path)
            if interaction is not None:
                gave += [
                    (linked_text(g, links), touch.date, links.note(touch.path))
                    for g in interaction.gave
                ]
        return (
            self.map.urls[path],
            "contact.html",
            self._context(
                "../",
                "contacts",
                contact.name,
                contact=contact,
                last=(touched[0], links.note(touched[1]) if touched[1] else None)
                if touched
                else None,
                next=self._row(due[0], links, relative=False, besides=path) if due else None,
                open=tuple(self._row(f, links, relative=False, besides=path) for f in due),
                org=links.org(contact.org),
                emails=tuple(Link(e, "mailto:" + quote(e, safe="@+")) for e in contact.emails if e),
                phones=tuple(contact.phones),
                linkedin=external_link(contact.linkedin, "linkedin"),
                website=external_link(contact.website),
                cadence=_cadence_words(contact),
                since=self._since(contact, links),
                balance=balance,
                # What they gave you, as written: its `[[links]]` linked.
                received=tuple(
                    (linked_text(e.text, links), e.date)
                    for e in (balance.received if balance is not None else ())
                ),
                introducers=self._introducers(path, links),
                referred_by=links.ref(contact.referred_by),
                intro_via=links.ref(contact.intro_via),
                referred_to=tuple(referred_to),
                referrals=tuple(referrals),
                gave=tuple(gave),
                timeline=tuple(timeline),
                waiting=self._conversation(self.waiting[path], links)
                if path in self.waiting
                else None,
                **{
                    **self._note_parts(page, links),
                    # Follow-ups this note sets for other people; its own are listed above.
                    "source_rows": tuple(
                        self._row(f, links, relative=False)
                        for f in sorted(self.index.by_source.get(path, ()), key=self._priority)
                        if path not in f.contacts
                    ),
                },
            ),
        )

    @cached_property
    def months(self) -> dict[str, tuple[str, ...]]:
        """The interactions of each month's page, newest first, by its file; undated last."""
        found: dict[str, list[str]] = {}
        # The model's interactions are oldest first (by date, then path; undated first).
        for interaction in reversed(self.model.interactions.values()):
            when = interaction.date
            month = f"{when.year:04d}-{when.month:02d}" if when else "undated"
            found.setdefault(f"timeline/{month}.html", []).append(interaction.path)
        return {file: tuple(paths) for file, paths in found.items()}

    def _entries(self, paths: Iterable[str], links: Linker) -> tuple[Dated, ...]:
        """The list rows of the interactions at `paths`, on a page at `links.root`."""
        interactions = self.model.interactions
        return tuple(
            self._list_row(
                f"entry:{links.root}",
                path,
                partial(self._interaction_entry, interactions[path], links),
            )
            for path in paths
        )

    def _month_links(self, links: Linker) -> tuple[tuple[str, tuple[tuple[Link, int], ...]], ...]:
        """Each year, newest first, with a link to each of its months and how many they hold."""
        years: dict[str, list[tuple[Link, int]]] = {}
        for file, paths in self.months.items():
            month = PurePosixPath(file).stem
            if month == "undated":
                years.setdefault("Undated", []).append((links.section(file, "undated"), len(paths)))
                continue
            year, number = month.split("-")
            label = _MONTHS[int(number) - 1][:3]
            years.setdefault(year, []).append((links.section(file, label), len(paths)))
        return tuple((year, tuple(found)) for year, found in years.items())

    def interactions_page(self) -> tuple[str, str, dict[str, Any]]:
        """The latest interactions, and a link to every month's."""
        links = Linker(self.map, "")
        latest = [path for paths in self.months.values() for path in paths]
        return (
            "interactions.html",
            "interactions.html",
            self._context(
                "",
                "interactions",
                "Interactions",
                entries=self._entries(latest[:INTERACTIONS_SHOWN], links),
                total=len(latest),
                years=self._month_links(links),
            ),
        )

    def month_page(self, file: str) -> tuple[str, str, dict[str, Any]]:
        """One month's interactions, newest first, with the months before and after it."""
        links = Linker(self.map, "../")
        month = PurePosixPath(file).stem
        if month == "undated":
            title = "Interactions with no date"
        else:
            year, number = month.split("-")
            title = f"Interactions, {_MONTHS[int(number) - 1]} {year}"
        files = list(self.months)
        at = files.index(file)
        newer = links.url(files[at - 1]) if at > 0 else None
        older = links.url(files[at + 1]) if at + 1 < len(files) else None
        return (
            file,
            "interactions_month.html",
            self._context(
                "../",
                "interactions",
                title,
                entries=self._entries(self.months[file], links),
                newer=newer,
                older=older,
            ),
        )

    def interaction_page(self, path: str) -> tuple[str, str, dict[str, Any]]:
        links = Linker(self.map, "../")
        interaction = self.model.interactions[path]
        page = self.model.pages[path]
        thanking = interaction.type in self.settings.thank_you_days
        owed = [f for f in self.index.by_source.get(path, ()) if f.kind == "thank-you"]
        return (
            self.map.urls[path],
            "interaction.html",
            self._context(
                "../",
                "interactions",
                interaction.title,
                interaction=interaction,
                air=tuple(linked_text(a, links) for a in interaction.air),
                gave=tuple(linked_text(g, links) for g in interaction.gave),
                with_=tuple(self._ref_links(interaction.with_, links)),
                org=links.org(interaction.org),
                referred_by=links.ref(interaction.referred_by),
                referrals=tuple(self._ref_links(interaction.referrals, links)),
                thanking=thanking,
                thank_you_due=owed[0].due if owed else None,
                **self._note_parts(page, links),
            ),
        )

    def orgs_page(self) -> tuple[str, str, dict[str, Any]]:
        links = Linker(self.map, "")
        rows = [
            OrgRow(
                link=Link(info.name, links.url(info.url)),
                people=len(self.index.people_at.get(key, ())),
                interactions=len(self.index.talks_at.get(key, ())),
                is_note=info.path is not None,
            )
            for key, info in self.map.orgs.items()
        ]
        rows.sort(key=lambda r: (-r.people, fold(r.link.text), r.link.href or ""))
        return (
            "orgs.html",
            "orgs.html",
            self._context("", "orgs", "Organisations", rows=rows),
        )

    def org_page(self, info: OrgInfo) -> tuple[str, str, dict[str, Any]]:
        links = Linker(self.map, "../")
        model = self.model
        people = sorted(
            self.index.people_at.get(info.key, ()),
            key=lambda p: (fold(model.contacts[p].name), p),
        )
        talks = sorted(
            self.index.talks_at.get(info.key, ()),
            key=lambda p: (model.interactions[p].date or date.min, p),
            reverse=True,
        )
        org = model.orgs.get(info.path) if info.path else None
        extra: dict[str, Any] = {}
        if info.path is not None:
            extra = self._note_parts(model.pages[info.path], links)
        goals = [links.note(g) for g in self.index.goals_for.get(info.path or "", ())]
        return (
            info.url,
            "org.html",
            self._context(
                "../",
                "orgs",
                info.name,
                name=info.name,
                org=org,
                website=external_link(org.website) if org else None,
                people=tuple(
                    (links.note(p, model.contacts[p].name), model.contacts[p].role) for p in people
                ),
                interactions=tuple(
                    self._interaction_entry(model.interactions[p], links) for p in talks
                ),
                goals=tuple(goals),
                **extra,
            ),
        )

    def note_page(self, path: str, template: str) -> tuple[str, str, dict[str, Any]]:
        links = Linker(self.map, "../")
        model = self.model
        page = model.pages[path]
        goal = model.goals.get(path)
        plan: dict[str, Any] = {}
        parts = self._note_parts(page, links)
        if goal is not None:
            plan = insight_pages.goal_view(model, self._goal_plans[path], links)
            plan["goal_followups"] = tuple(
                self._row(f, links, relative=False) for f in plan["goal_followups"]
            )
            # The goal's own follow-ups serve it: they are listed among those, once.
            parts["source_rows"] = ()
        return (
            self.map.urls[path],
            template,
            self._context(
                "../",
                "goals" if goal is not None else "",
                page.title,
                goal=goal,
                **plan,
                **parts,
            ),
        )

    def goals_page(self) -> tuple[str, str, dict[str, Any]]:
        links = Linker(self.map, "")
        view = insight_pages.goals_index(self.model, self.followups, self._goal_plans, links)
        return ("goals.html", "goals.html", self._context("", "goals", "Goals", **view))

    def outreach_page(self) -> tuple[str, str, dict[str, Any]]:
        view = self._outreach_view
        return ("outreach.html", "outreach.html", self._context("", "outreach", "Outreach", **view))

    def network_page(self) -> tuple[str, str, dict[str, Any]]:
        links = Linker(self.map, "")
        view = insight_pages.network_view(
            self.model,
            self.today,
            self.settings,
            self.history,
            self.followups,
            links,
            self.map.urls,
            self.health,
            self._quiet,
            self._referral_view,
            self._first_dates,
        )
        return ("network.html", "network.html", self._context("", "network", "Network", **view))

    def _introducers(self, path: str, links: Linker) -> tuple[Any, ...]:
        """Who could introduce you to the contact at `path`, when you do not know them yet."""
        from .insights.outreach import knows

        if knows(self.model, self.model.contacts[path]):
            return ()  # before asking for the ties, which index the whole model
        return insight_pages.introducers(self.model, self._ties, path, links)

    # Made when a page first asks, once per Pages: `repoint` changes note bodies alone,
    # which none of these read.

    @cached_property
    def _ties(self) -> Any:
        """Who is tied to whom (insights.referrals.Ties)."""
        from .insights.referrals import Ties

        return Ties(self.model)

    @cached_property
    def _goal_plans(self) -> dict[str, Any]:
        """Every goal's plan: one index of the model serves them all."""
        return insight_pages.goal_plans(self.model, self.followups)

    @cached_property
    def _balances(self) -> dict[str, Any]:
        """Each contact's give and take."""
        return insight_pages.contact_balance(self.model)

    def tags_page(self) -> tuple[str, str, dict[str, Any]]:
        links = Linker(self.map, "")
        tags = tuple((links.tag(name), len(paths)) for name, paths in self.map.tags.values())
        return ("tags.html", "tags.html", self._context("", "tags", "Tags", tags=tags))

    def tag_page(self, key: str) -> tuple[str, str, dict[str, Any]]:
        links = Linker(self.map, "../")
        name, paths = self.map.tags[key]
        kinds = ("contact", "org", "goal", "interaction", "note")
        grouped = []
        for kind in kinds:
            found = [p for p in paths if self.model.pages[p].kind == kind]
            found.sort(key=lambda p: (fold(self.model.title(p)), p))
            if found:
                grouped.append((FOLDERS[kind].capitalize(), tuple(links.note(p) for p in found)))
        return (
            self.map.tag_urls[key],
            "tag.html",
            self._context("../", "tags", f"#{name}", tag=name, groups=tuple(grouped)),
        )


def _cadence_words(contact: Contact) -> str:
    if not contact.cadence_given:
        return ""
    if contact.cadence is None:
        return "none"
    return f"every {days_label(contact.cadence.days)}"


# ---------------------------------------------------------------------------
# Rendering and writing


# What `Memo` keeps at most, in characters of markup: the rows of the all-follow-ups
# page of a 41,000-note vault are 30 million; a bigger vault keeps the first of them.
MEMO_MAX_CHARS = 40_000_000


class Memo:
    """`{{ memo(macro, value) }}`: a theme macro's markup for a value, made once while it recurs.

    The lists of follow-ups and interactions show the same rows build after build.
    A macro imported without context depends on its arguments alone, so an equal
    row gives the same markup. What one write did not ask for is forgotten by the
    next (`advance`); a value that cannot be hashed is rendered every time.
    """

    def __init__(self, budget: int = MEMO_MAX_CHARS) -> None:
        self._now: dict[Any, Any] = {}
        self._before: dict[Any, Any] = {}
        self._budget = budget
        self._size = 0  # characters of markup kept in `_now`

    def advance(self, keeping: bool = True) -> None:
        """Start another write: keep what the last one asked for, drop the rest after it.

        Not `keeping`, it keeps nothing: a site's first write is not worth the memory.
        """
        self._before, self._now, self._size = self._now, {}, 0 if keeping else self._budget

    def __call__(self, macro: Any, *args: Any, **kwargs: Any) -> Any:
        key = (macro, args, tuple(sorted(kwargs.items())))
        try:
            found = self._now.get(key)
        except TypeError:  # unhashable: a theme's own kind of value
            return macro(*args, **kwargs)
        if found is None:
            found = self._before.pop(key, None)
            if found is None:
                found = macro(*args, **kwargs)
            if self._size < self._budget:
                self._now[key] = found
                self._size += len(found)
        return found


def environment(theme: str, vault: Path) -> jinja2.Environment:
    """The Jinja environment of a theme: the vault's templates first, then the shipped ones.

    `{% extends "default:base.html" %}` always reaches the shipped default
    theme, so a vault can override one template and extend the original.
    """
    folders = [d / "templates" for d in resources.theme_dirs(theme, vault)]
    shipped = resources.shipped("themes") / "default" / "templates"
    loader = jinja2.ChoiceLoader(
        [
            jinja2.FileSystemLoader([str(f) for f in folders if f.is_dir()]),
            jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(str(shipped))}, delimiter=":"),
        ]
    )
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.globals["memo"] = Memo()
    # The calendar feed's events' texts, kept from one writing of the feed to the next
    # (`exporters.ics.Feed.ics`).
    env.globals["feed_events"] = {}
    env.filters["iso"] = lambda d: d.isoformat() if d is not None else ""
    env.filters["time"] = time_element
    env.filters["long_date"] = long_date
    env.filters["plural"] = lambda n, word, words=None: (
        f"{n} {word}" if n == 1 else f"{n} {words or word + 's'}"
    )
    return env


@record
class Written:
    """One file a build put in the site: what it was made from, and what is on disk."""

    key: bytes  # a page's context fingerprint, or a copied file's source and signature
    digest: bytes  # of the bytes written
    stat: tuple[int, int]  # (mtime_ns, size) of the file as written, to spot changes by hand
    # Where a note page's body stands in its bytes (start, length), when it stands there
    # once: an edit of the body alone is put in its place (`put_body`).
    body: tuple[int, int] | None = None


@record
class Manifest:
    """Every file one build wrote into the output folder, for the next build to compare with."""

    out: str
    theme: str  # key of the theme files' signatures
    files: Mapping[str, Written]
    pages: int  # how many of the files are pages


@record
class SiteWrite:
    """What writing the site did."""

    pages: int  # pages in the site
    written: int  # files written (or deleted): 0 when nothing changed
    manifest: Manifest
    problems: tuple[Problem, ...] = ()  # notes whose pages could not be made


# An update renders every changed page before it puts any in place, so that a failure
# leaves the site as it was. Past this many bytes held in memory, the pages rendered
# next wait in temporary files beside the pages they replace.
UPDATE_MAX_BYTES = 32_000_000


def write_site(loaded: Loaded, followups: tuple[FollowUp, ...], today: date, out: Path) -> int:
    """Render the dashboard of `loaded` as of `today` into `out`; return the pages written.

    The site is written into a fresh folder beside `out` and swapped in at the
    end. If anything fails first, that folder is removed and `out` is left as
    it was. Entries of the old `out` whose names start with a dot (a `.git` to
    deploy from, say) are moved into the new site, never deleted.
    """
    return SiteWriter(out).write(loaded, followups, today).pages


class SiteWriter:
    """Writes the site of one vault again and again, touching only what changed.

    The first write (with no `previous` manifest of a site still on disk) renders
    every page into a fresh folder and swaps it in, as `write_site`. Later writes
    fingerprint each page's data: a page whose data is unchanged is not rendered,
    and a page rendered to the same bytes is not written. Changed pages are all
    rendered before the first is written, each written whole (a temporary file
    renamed over it), and pages that are gone are deleted. An update too big to
    hold in memory is written as a fresh folder instead. Either way, the bytes on
    disk are those a first write would give.
    """

    def __init__(self, out: Path, previous: Manifest | None = None, workers: int = 1) -> None:
        self.out = Path(out)
        self.manifest = previous
        self.workers = workers  # processes a fresh write may render pages in
        self._env: tuple[str, str, jinja2.Environment] | None = None  # theme key, name, env
        self._pages: Pages | None = None  # the pages of the last write
        self._failed: dict[str, Problem] = {}  # notes whose pages failed to be made, last write

    def write(
        self,
        loaded: Loaded,
        followups: tuple[FollowUp, ...],
        today: date,
        history: History | None = None,
        only: tuple[str, ...] | None = None,
        changed: Collection[str] | None = None,
        moved: rules.Moved | None = None,
        counted: tuple[ContactCount, DueCount] | None = None,
    ) -> SiteWrite:
        """Bring the site up to date with `loaded` and its git `history` as of `today`.

        `only` says that nothing changed since the last write but the body text
        of these notes (`build.Builder` knows), and which notes are not yet
        committed: only their pages, and those that count them, are looked at.
        `changed` says that, since the last write, the model changed in these
        notes alone (`model.ModelChange.notes`), with the same settings and HEAD
        (the day may differ): only the pages that can show them are looked at
        (`_marks`). `moved`, if given, is what came and went since the last write's
        follow-ups (`followups.update` says); else it is worked out. `counted`, if
        given, is the contacts and `followups` as `counts` counts them.
        """
        history = history if history is not None else History()
        out = _check_target(self.out, loaded.vault)
        themes = resources.theme_dirs(loaded.settings.theme, loaded.vault)
        theme = theme_key(themes)
        env = self._environment(theme, loaded)
        memo = env.globals.get("memo")
        if isinstance(memo, Memo):
            memo.advance(keeping=self._pages is not None)
        previous = self.manifest
        usable = (
            previous is not None
            and previous.out == str(out)
            and previous.theme == theme
            and (out / "index.html").is_file()
        )
        done = None
        last = self._pages
        if only is not None and usable and last is not None:
            pages = last
            makers = [pages.maker_for(rel) for rel in only]
            before = pages._search_entries(only)
            if pages.repoint(loaded, history):
                makers.append(PageMaker(pages.today_page))  # which lists the notes not committed
            try:
                searched = pages.update_search(before)
            except ShardUnreadable:
                searched = pages.remake_search(previous.files)  # type: ignore[union-attr]
            makers += [PageMaker(pages.search_keys), *pages._search_makers(sorted(searched))]
            # A shard may come or go: the pages are counted again.
            gone = pages.search_gone
            done = _update(pages, env, themes, out, previous, makers, gone)  # type: ignore[arg-type]
        else:
            marks = sitemap = None
            if changed is not None and usable and last is not None:
                sitemap = SiteMap(loaded.model, loaded.assets, last.map, changed)
            pages = Pages(loaded, followups, today, history, sitemap)
            if counted is not None:
                pages.__dict__["_contacts_counted"], pages.__dict__["due"] = counted
            if sitemap is not None:  # an update of the last write's model: look at what it marks
                # Before the marks, which read the follow-ups in page order and by note.
                # Follow-ups worked out anew (another day) are all other objects: what came
                # and went by identity is then all of them, where the marks compare values.
                told = moved
                if moved is None:
                    moved = rules.moved(last._given, pages._given)  # type: ignore[union-attr]
                pages.keep_order(last, changed, moved)  # type: ignore[arg-type]
                pages.keep_index(last, moved)  # type: ignore[arg-type]
                marks = _marks(last, pages, changed, self._failed, told)  # type: ignore[arg-type]
                if marks is not None:
                    searched = pages.keep_search(last, changed)  # type: ignore[arg-type]
                    marks = None if searched is None else marks | searched
            if marks is not None:
                # Before `_gone`, which asks for the contacts pages of both.
                pages.keep_contact_order(last, changed)  # type: ignore[arg-type]
                gone = _gone(last, pages) | pages.search_gone  # type: ignore[arg-type]
                for path, used in last.map.used_by.items():  # type: ignore[union-attr]
                    if path not in marks and path in pages.model.pages:
                        pages.map.used_by[path] = used
                pages.keep_rows(last, marks)  # type: ignore[arg-type]
                pages.keep_views(last, changed)  # type: ignore[arg-type]
                makers = pages.makers(marks)
                done = _update(pages, env, themes, out, previous, makers, gone)  # type: ignore[arg-type]
            elif usable:
                done = _update(pages, env, themes, out, previous)  # type: ignore[arg-type]
        if done is None:
            done = _fresh(pages, env, themes, out, self.workers)
        count, written, files, failed = done
        if only is not None:  # the pages not made again still fail as they did
            failed += [p for p in self._failed.values() if p.path not in only]
        self._failed = {problem.path: problem for problem in failed}
        self._pages = pages
        self.manifest = Manifest(str(out), theme, files, count)
        return SiteWrite(count, written, self.manifest, tuple(sorted(self._failed.values())))

    def resume(
        self,
        loaded: Loaded,
        followups: tuple[FollowUp, ...],
        today: date,
        history: History,
        used_by: Mapping[str, set[str]],
        failed: Iterable[Problem],
        places: Places | None = None,
        views: Mapping[str, Any] | None = None,
        rows: Callable[[], dict[tuple[str, str], Any] | None] | None = None,
        order: bytes = b"",
    ) -> None:
        """Take up the site as another process's last write left it (its `manifest` given).

        `loaded`, `followups`, `today` and `history` are what that write showed (the
        history needs only its head, problem and notes not committed); `used_by` and
        `failed` are what its `used_by()` and `failed()` gave; `places` and `views`
        what its `places()` and `views()` gave, if anything; `rows` reads what its
        `rows()` gave, called only when an update would keep some; `order` is what its
        `order()` gave, for `followups` as they are.
        """
        sitemap = SiteMap(loaded.model, loaded.assets, places=places)
        self._pages = Pages(loaded, followups, today, history, sitemap)
        for name, view in (views or {}).items():
            if name in KEPT_VIEWS:
                self._pages.__dict__[name] = view
        self._pages.load_rows = rows
        keys = shard_keys(self.manifest.files if self.manifest is not None else ())
        self._pages.load_search = (self._read_shard, keys)
        places = array("I")
        if order and len(order) == places.itemsize * len(followups):
            places.frombytes(order)
            self._pages.__dict__["followups"] = tuple(map(followups.__getitem__, places))
        self._pages.map.used_by.update({path: set(used) for path, used in used_by.items()})
        self._failed = {problem.path: problem for problem in failed}

    def _read_shard(self, kind: str, key: str) -> dict[str, Any] | None:
        """A search shard's data as the last write left it on disk (`read_shard`)."""
        return read_shard(self.out, {} if self.manifest is None else self.manifest.files, kind, key)

    def used_by(self) -> dict[str, set[str]]:
        """The attachments each note's page in the site links to."""
        return {} if self._pages is None else dict(self._pages.map.used_by)

    def places(self) -> Places | None:
        """Where the last write's site map put every note and tag."""
        return None if self._pages is None else self._pages.map.places()

    def order(self) -> bytes:
        """The last write's follow-ups in page order, as where each is among the follow-ups
        it was given, packed; b"" if it did not put them in order.

        A new process puts them in order again from it: sorting tens of thousands
        took 0.16 s, and the one before an update twice that.
        """
        pages = self._pages
        held = None if pages is None else pages.__dict__.get("followups")
        if held is None:
            return b""
        where = dict(zip(map(id, pages._given), count()))  # type: ignore[union-attr]
        return array("I", map(where.__getitem__, map(id, held))).tobytes()

    def views(self) -> dict[str, Any]:
        """The views of the whole network the last write made (`KEPT_VIEWS`), by name."""
        made = {} if self._pages is None else self._pages.__dict__
        return {name: made[name] for name in KEPT_VIEWS if name in made}

    def rows(self) -> dict[tuple[str, str], tuple[Any, bytes | None]] | None:
        """The list rows the last write made or kept (`Pages.rows`), each with its digest
        when it was worked out; None when those are still the ones `resume` was told
        where to read.
        """
        pages = self._pages
        if pages is None:
            return {}
        if pages.load_rows is not None and not pages.rows:
            return None
        digests = pages.row_digests
        return {
            key: held if (held := digests.get(key)) is not None and held[0] is row else (row, None)
            for key, row in pages.rows.items()
        }

    def health(self) -> Any | None:
        """The headline numbers the last write's Network page showed, if it was made."""
        return None if self._pages is None else self._pages.__dict__.get("health")

    def failed(self) -> tuple[Problem, ...]:
        """The notes whose pages the last write could not make."""
        return tuple(sorted(self._failed.values()))

    def _environment(self, theme: str, loaded: Loaded) -> jinja2.Environment:
        """The theme's Jinja environment, made again only when the theme's files change."""
        name = loaded.settings.theme
        if self._env is None or self._env[:2] != (theme, name):
            self._env = (theme, name, environment(name, loaded.vault))
        return self._env[2]


def _marks(
    old: Pages,
    new: Pages,
    changed: Collection[str],
    failed: Collection[str],
    moved: rules.Moved | None = None,
) -> set[str] | None:
    """The marks (`PageMaker.mark`) of the pages that may differ from `old`'s, or None for all.

    The model differs in the `changed` notes alone, with the same settings (the
    day may differ). A page shows its own note, the notes it links to and that
    link to it, and their titles one link further (a contact's timeline names who
    else was there), and what the indexes of follow-ups, problems and
    organisations say of them.
    When a page moved, anything could link to it: then every page may differ.
    `moved`, when `followups.update` made the new follow-ups from the old, is what
    came and went between them (else the follow-ups' look-ups are compared).
    """
    if (old.history.head, old.history.problem) != (new.history.head, new.history.problem):
        return None
    for before, after in ((old.map.urls, new.map.urls), (old.map.tag_urls, new.map.tag_urls)):
        if before is not after and any(after.get(key, url) != url for key, url in before.items()):
            return None
    if any(
        key in new.map.orgs and new.map.orgs[key].url != info.url
        for key, info in old.map.orgs.items()
    ):
        return None
    notes = {*changed, *failed}
    models = (old.model, new.model)
    # A note whose edit changed only what its own page shows changes no page around it.
    seen = {
        path
        for path in changed
        if old.model.facts(path, _OWN_PAGE_ONLY) != new.model.facts(path, _OWN_PAGE_ONLY)
    }
    near = linked(models, linked(models, {*seen, *failed})) | notes
    marks = set(near)
    for model in models:
        for path in near:
            entry = model.contacts.get(path) or model.interactions.get(path)
            if entry is not None and entry.org is not None:
                marks.add(org_key(entry.org))
    # A tag's page lists its notes by kind and title: an edit that keeps those keeps it.
    for path in notes:
        pages = (old.model.pages.get(path), new.model.pages.get(path))
        shown = [None if p is None else (p.kind, p.title, p.tags) for p in pages]
        if shown[0] != shown[1]:
            for page in pages:
                if page is not None:
                    marks.update(f"tag:{fold(tag.lstrip('#'))}" for tag in page.tags)
    # An organisation known by name alone is shown as its first contact writes it:
    # every page that links to it may show another name.
    moved_orgs = _differ(old.map.orgs, new.map.orgs)
    marks |= moved_orgs
    for index in (old._model_index, new._model_index):
        for key in moved_orgs:
            marks.update(index.people_at.get(key, ()))
            marks.update(index.talks_at.get(key, ()))
    if moved is not None:  # a contact's or a source's follow-ups differ where one came or went
        for followup in (*moved.added, *moved.removed):
            marks.update(followup.contacts)
            marks.add(followup.source)
    else:
        marks |= _differ(old.index.by_contact, new.index.by_contact)
        marks |= _differ(old.index.by_source, new.index.by_source)
    was, now = old._model_index, new._model_index
    for before, after in (
        (was.people_at, now.people_at),
        (was.talks_at, now.talks_at),
        (was.problems, now.problems),
        (was.referred, now.referred),
        (was.goals_for, now.goals_for),
    ):
        marks |= _differ(before, after)
    marks |= {f"tag:{key}" for key in _differ(old.map.tags, new.map.tags)}
    marks |= old.history.uncommitted ^ new.history.uncommitted
    # A row of follow-ups shows no field of a note that only the note's own page shows.
    named = {*seen, *failed}
    marks |= {
        f"list:{file}"
        for file, shard in new.shards.items()
        if old.today != new.today or _shard_differs(old.shards.get(file), shard, named)
    }
    # A month's page links to the months beside it: when a month comes or goes, all.
    same_months = old.months.keys() == new.months.keys()
    marks |= {
        f"list:{file}"
        for file, paths in new.months.items()
        if not same_months or old.months.get(file) != paths or not near.isdisjoint(paths)
    }
    if old.today != new.today:
        # A note page knows the day only through its follow-ups (above) and, on a
        # contact's, the last time you met before it (an interaction may be ahead).
        marks |= {
            path
            for path in new.model.contacts
            if path in old.model.contacts
            and rules.last_touch(old.model, path, old.today)
            != rules.last_touch(new.model, path, new.today)
        }
        # A conversation waiting on a reply shows for how many days.
        marks |= old.waiting.keys() | new.waiting.keys()
    return marks


# What only a note's own page shows of its record: the pages that link to it, or that it
# links to, show none of it (the follow-ups made of it are compared through the indexes,
# and its row on a list page is made again with its page). Any field not named here
# counts, so a field added later does too until said otherwise.
_OWN_PAGE_ONLY = frozenset(
    {
        "cadence", "cadence_given", "follow_up", "follow_up_note", "follow_up_done",
        "snooze_until", "birthday", "how_met", "emails", "phones", "linkedin", "website",
        "source",
        # of its page: only the note's file name is shown elsewhere, as its URL (and a
        # base's view, which shows any note's front matter, is on pages always made again)
        "note", "keys",
    }
)  # fmt: skip


def _shard_differs(before: Shard | None, after: Shard, notes: Collection[str]) -> bool:
    """Whether a page of follow-ups shows other rows, or rows naming one of `notes`."""
    if before != after:
        return True
    return bool(notes) and any(
        path in notes
        for followup in after.followups
        for path in (*followup.contacts, followup.source, followup.evidence_path)
    )


def _differ(before: Mapping[str, Any], after: Mapping[str, Any]) -> set[str]:
    """The keys whose values differ between two mappings (missing counts as a value)."""
    if before is after:
        return set()
    return {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


def _gone(old: Pages, new: Pages) -> set[str]:
    """The pages of `old`'s site that `new` has no more: of notes, tags and named orgs gone."""
    gone = {old.map.urls[path] for path in old.model.pages.keys() - new.model.pages.keys()}
    gone |= old.shards.keys() - new.shards.keys()
    gone |= old.contact_pages.keys() - new.contact_pages.keys()
    gone |= old.months.keys() - new.months.keys()
    gone |= {old.map.tag_urls[key] for key in old.map.tags.keys() - new.map.tags.keys()}
    gone |= {
        info.url
        for key, info in old.map.orgs.items()
        if info.path is None and key not in new.map.orgs
    }
    return gone


@record
class Rows:
    """A list page's rows, and a digest of them all: what a page's fingerprint reads of
    them, rather than pickling ten thousand rows again when one of them changed.
    """

    items: tuple[Any, ...]
    digest: bytes

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def _fingerprint(name: str, context: Any) -> bytes:
    """A digest of everything a page shows: its template's name and its context.

    The pickle goes straight into the digest, frame by frame, and in fast mode (no
    memo): the context of the all-follow-ups page of a big vault pickles to tens of
    megabytes, and a memo of its million objects would take as much again. Fast
    mode is documented as deprecated and unsafe for self-referential objects; a
    context is a tree of frozen records, and CPython's pickler raises ValueError
    on a cycle rather than recursing for ever (tests/test_site.py checks both).
    """
    digest = hashlib.blake2b(digest_size=16)
    pickler = pickle.Pickler(_Sink(digest.update), protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    if isinstance(context, Mapping):
        context = {k: v.digest if isinstance(v, Rows) else v for k, v in context.items()}
    pickler.dump((name, context))
    return digest.digest()


class _Sink:
    """A file that hands whatever is written to it to `write`, and keeps none of it."""

    def __init__(self, write: Callable[[bytes], object]) -> None:
        self.write = write


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def on_disk(path: Path) -> tuple[int, int]:
    """A file's (mtime_ns, size), or (-1, -1) when it is not there."""
    try:
        info = os.stat(path)
    except OSError:
        return (-1, -1)
    return (info.st_mtime_ns, info.st_size)


def _copies(pages: Pages, themes: list[Path], vault: Path) -> dict[str, Path]:
    """Files copied as they are: theme static files, then the attachments pages use."""
    files = {f"static/{rel}": source for rel, source in _static_files(themes).items()}
    for rel in sorted(pages.map.used_assets):
        files[pages.map.asset_urls[rel]] = vault / rel
    return files


def _copy_key(source: Path) -> bytes:
    info = os.stat(source)
    return f"{source}|{info.st_mtime_ns}|{info.st_size}|{info.st_ino}".encode()


def _fresh(
    pages: Pages, env: jinja2.Environment, themes: list[Path], out: Path, workers: int
) -> tuple[int, int, dict[str, Written], list[Problem]]:
    """Write every file into a fresh folder beside `out` and swap it in."""
    work = _fresh_folder(out)
    try:
        makers = pages.makers()
        if (
            workers > 1
            and len(makers) >= PARALLEL_PAGES
            and resident_bytes() * (workers - 1) <= FORK_MEMORY_MAX
            and may_fork()
        ):
            files, used, failed = _render_forked(pages, makers, env, work, workers)
            pages.map.used_by.update(used)
        else:
            files, _, failed = _render_share(pages, makers, env, work)
        count = sum(map(_is_page, files))
        for rel, source in _copies(pages, themes, pages.loaded.vault).items():
            key = _copy_key(source)
            target = work / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            files[rel] = Written(key, b"", on_disk(target))
        _swap(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return count, len(files), files, failed


# Past this many follow-ups new since the last write, sorting them all again is quicker
# than putting each in its place (`Pages.keep_order`).
ORDER_INSERTS_MAX = 2000
# Below this many pages, starting processes costs more than it saves.
PARALLEL_PAGES = 1000
# A forked worker rendering pages touches the model's objects, and every page of
# memory it touches is copied: in the end each worker holds about as much as this
# process. Past this many bytes copied in all, pages are rendered in this process
# alone: a vault of a hundred thousand notes builds in less memory, if slower.
FORK_MEMORY_MAX = 768 * 2**20
# Pages a rendering process takes at a time: runs of pages made one after another
# show objects made near each other, so a worker copies less of the memory it shares
# than if it took every other page.
RENDER_RUN = 250


def _made(make: PageMaker, failed: list[Problem]) -> tuple[str, str, dict[str, Any]] | None:
    """What `make` makes; None, with the problem in `failed`, when a note's page fails.

    A page that shows one note and fails to be made is that note's problem: the
    rest of the site is built. Any other page failing fails the build.
    """
    if make.note is None:
        return make()
    try:
        return make()
    # One note that trips a bug must not stop the build of every other page.
    except Exception as exc:  # noqa: BLE001
        failed.append(failure(make.note, exc, "making the page of"))
        return None


def _runs(total: int, taken: Any | None) -> Iterator[range]:
    """The runs of the `total` pages this process renders: all of them, or (given the
    count of pages `taken` so far, shared by every process) each next run not taken.
    """
    if taken is None:
        yield range(total)
        return
    while True:
        with taken.get_lock():
            start = taken.value
            taken.value = start + RENDER_RUN
        if start >= total:
            return
        yield range(start, min(start + RENDER_RUN, total))


def _render_share(
    pages: Pages,
    makers: list[PageMaker],
    env: jinja2.Environment,
    work: Path,
    taken: Any | None = None,
) -> tuple[dict[str, Written], dict[str, set[str]], list[Problem]]:
    """Make, render and write pages into `work`: all, or the runs this process takes.

    Returns what was written, the attachments each note's page links to (found
    while their bodies are rendered), and the notes whose pages failed.
    """
    files: dict[str, Written] = {}
    failed: list[Problem] = []
    for run in _runs(len(makers), taken):
        files.update(_render_run(pages, makers[run.start : run.stop], env, work, failed))
    return files, dict(pages.map.used_by), failed


def _render_run(
    pages: Pages,
    makers: list[PageMaker],
    env: jinja2.Environment,
    work: Path,
    failed: list[Problem],
) -> dict[str, Written]:
    """Make, render and write `makers`' pages into `work`; failures go into `failed`."""
    files: dict[str, Written] = {}
    for make in makers:
        made = _made(make, failed)
        if made is None:
            continue
        rel, name, context = made
        key = _fingerprint(name, context)
        if _has_body(context):
            data, body = _page_bytes(env, name, context)
            path = work / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            files[rel] = Written(key, _digest(data), on_disk(path), body)
        else:
            files[rel] = Written(key, *_render_into(env, name, context, work / rel))
    return files


def _render_forked(
    pages: Pages, makers: list[PageMaker], env: jinja2.Environment, work: Path, workers: int
) -> tuple[dict[str, Written], dict[str, set[str]], list[Problem]]:
    """Render the pages in `workers` forked processes, each writing its share into `work`.

    Forked children inherit the model: nothing but their results is pickled.
    """
    context = multiprocessing.get_context("fork")
    started = []
    # Pages differ in cost (a list page of ten thousand rows, a note of three lines):
    # each process takes the next run of pages not taken yet until none is left.
    taken = context.Value("q", 0)
    with frozen_heap():
        for _ in range(1, workers):
            receive, send = context.Pipe(duplex=False)
            job = (pages, makers, env, work, taken)
            process = context.Process(target=_forked_share, args=(send, job), daemon=True)
            process.start()
            send.close()
            started.append((process, receive))
        failure_: BaseException | None = None
        try:
            files, used, failed = _render_share(pages, makers, env, work, taken)
        except BaseException as exc:  # noqa: BLE001 - raised below, once the children are done
            failure_, files, used, failed = exc, {}, {}, []
        for process, receive in started:
            try:
                ok, answer = receive.recv()
            except EOFError:
                ok, answer = False, SiteError("a process rendering pages ended without a word")
            process.join()
            if not ok:
                failure_ = failure_ or answer
            else:
                files.update(answer[0])
                used.update(answer[1])
                failed += answer[2]
    if failure_ is not None:
        raise failure_
    return files, used, sorted(failed)


def _forked_share(send: Any, job: tuple[Any, ...]) -> None:
    """A forked worker: render its share and send back what it wrote, or why it failed."""
    try:
        send.send((True, _render_share(*job)))
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        send.send((False, exc))
    finally:
        send.close()


def _update(
    pages: Pages,
    env: jinja2.Environment,
    themes: list[Path],
    out: Path,
    previous: Manifest,
    makers: list[PageMaker] | None = None,
    gone: Collection[str] | None = None,
) -> tuple[int, int, dict[str, Written], list[Problem]]:
    """Write only what changed since `previous`.

    With `makers`, only those pages can have changed: the rest is kept as it is.
    With `gone` as well, the pages in it are gone, the attachments are copied
    anew, and `makers` may make pages that are new.
    """
    old = previous.files
    if makers is None:
        files: dict[str, Written] = {}
    elif gone is None:
        files = dict(old)
    else:
        # Copies (their digest is b"") are listed again below; gone pages stay gone.
        files = {rel: w for rel, w in old.items() if w.digest and rel not in gone}
    pending: list[tuple[str, bytes | Path]] = []
    failed: list[Problem] = []
    size = 0
    count = 0  # pages made
    came = 0  # pages made that `files` did not list yet
    try:
        for make in pages.makers() if makers is None else makers:
            made = _made(make, failed)
            if made is None:
                continue
            rel, name, context = made
            count += _is_page(rel)
            key = _fingerprint(name, context)
            came += _is_page(rel) and rel not in files
            was = old.get(rel)
            disk = on_disk(out / rel) if was is not None else (-1, -1)
            if was is not None and was.key == key and was.stat == disk:
                files[rel] = was
                continue
            data, body = _page_bytes(env, name, context)
            digest = _digest(data)
            if was is not None and was.digest == digest and was.stat == disk:
                files[rel] = Written(key, digest, disk, body)
                continue
            files[rel] = Written(key, digest, (-1, -1), body)  # its stat is known once written
            size += len(data)
            pending.append((rel, data if size <= UPDATE_MAX_BYTES else _spill(out / rel, data)))
    except BaseException:
        for _rel, data in pending:
            if isinstance(data, Path):
                with contextlib.suppress(OSError):
                    data.unlink()
        raise
    for rel, data in pending:
        if isinstance(data, Path):
            os.replace(data, out / rel)
            files[rel] = replace(files[rel], stat=on_disk(out / rel))
        else:
            files[rel] = replace(files[rel], stat=_write_atomic(out / rel, data))
    if makers is not None and gone is None:
        return previous.pages, len(pending), files, failed
    if gone is not None:
        # Pages kept, made again and new: counted from the last write's, not one by one.
        went = {rel for rel in gone if (w := old.get(rel)) is not None and w.digest}
        # A note whose page fails now has no page, as in a site made from nothing.
        for problem in failed:
            rel = pages.map.urls.get(problem.path, "")
            if files.pop(rel, None) is not None:
                went.add(rel)
        count = previous.pages + came - sum(map(_is_page, went))
    written = len(pending)
    for rel, source in _copies(pages, themes, pages.loaded.vault).items():
        key = _copy_key(source)
        was = old.get(rel)
        if was is not None and was.key == key and was.stat == on_disk(out / rel):
            files[rel] = was
        else:
            files[rel] = Written(key, b"", _write_atomic(out / rel, source))
            written += 1
    for rel in sorted(old.keys() - files.keys()):
        _remove(out, rel)
        written += 1
    return count, written, files, failed


def _remove(out: Path, rel: str) -> None:
    """Delete a file of the site that is gone, and the folders it leaves empty."""
    path = out / rel
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    folder = path.parent
    while folder != out:
        try:
            folder.rmdir()
        except OSError:  # not empty, or gone already
            return
        folder = folder.parent


@contextlib.contextmanager
def _template_errors(name: str) -> Iterator[None]:
    """Raise a theme's template errors as SiteError, naming the template and line."""
    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or exc.name or name}:{exc.lineno}"
        raise SiteError(f"theme template {where}: {exc.message}") from exc
    except jinja2.TemplateError as exc:
        raise SiteError(f"theme template {name}: {exc}") from exc


# The template name of a file written as its context's "text" says, with no template.
RAW_PAGE = "(raw)"


def _render(env: jinja2.Environment, name: str, context: Mapping[str, Any]) -> str:
    if name == RAW_PAGE:
        return context["text"]
    with _template_errors(name):
        return env.get_template(name).render(context)


# What a note page's template is given as its body, and the body put in its place after:
# the page then tells where its body stands. Private Use characters round a random
# token, so that no note, setting or theme writes it.
_BODY_MARK = f"\ue000{secrets.token_hex(16)}\ue000"


def _has_body(context: Mapping[str, Any]) -> bool:
    """Whether a page's context holds a note's body (shown where the theme says `{{ body }}`)."""
    return isinstance(context.get("body"), Markup) and bool(context["body"])


def _page_bytes(
    env: jinja2.Environment, name: str, context: Mapping[str, Any]
) -> tuple[bytes, tuple[int, int] | None]:
    """A page rendered, and where its note's body stands in its bytes when it stands once."""
    if not _has_body(context):
        return _render(env, name, context).encode("utf-8"), None
    body = str(context["body"])
    parts = _render(env, name, {**context, "body": Markup(_BODY_MARK)}).split(_BODY_MARK)
    if len(parts) != 2:
        return body.join(parts).encode("utf-8"), None
    head, text, tail = (part.encode("utf-8") for part in (parts[0], body, parts[1]))
    return head + text + tail, (len(head), len(text))


def read_shard(
    out: Path, files: Mapping[str, Written], kind: str, key: str
) -> dict[str, Any] | None:
    """A search shard's data as a write that wrote `files` left it in `out`; None when it
    wrote none. Raises ShardUnreadable when the file is not what that write wrote.
    """
    rel = search.term_file(key) if kind == "terms" else search.doc_file(key)
    written = files.get(rel)
    if written is None:
        return None
    path = out / rel
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ShardUnreadable(rel) from exc
    if on_disk(path) != written.stat or _digest(data) != written.digest:
        raise ShardUnreadable(rel)
    found = search.read_script(data.decode("utf-8", "replace"))
    if found is None or found[:2] != (kind, key):
        raise ShardUnreadable(rel)
    return found[2]


def _is_page(rel: str) -> bool:
    """Whether a file written from a page's data is a page: the search index's shards are not."""
    return not rel.startswith(search.FOLDER)


def shard_keys(files: Iterable[str]) -> frozenset[str]:
    """The keys of the term shards among a site's files."""
    start = len(search.FOLDER)
    return frozenset(
        rel[start:-3]
        for rel in files
        if rel.startswith(search.FOLDER)
        and rel.endswith(".js")
        and "/" not in rel[start:]
        and rel != search.KEYS_FILE
    )


def put_search(
    out: Path, files: dict[str, Written], changes: Sequence[tuple[search.Entry, search.Entry]]
) -> int | None:
    """Write again the search shards of a site `files` describes where each note's entry
    changed from the first of `changes` to the second (their ids the same), and note them
    in `files`: how many files were written or deleted; None, with nothing written, when
    the shards on disk are not as written.

    For an edit of notes' bodies alone, as `put_body`: the model need not be made.
    """
    index = search.Index({}, {}, partial(read_shard, out, files), shard_keys(files))

    def moved(path: str) -> search.Entry:
        raise ShardUnreadable(path)  # an id moved: not an edit of a body alone

    try:
        new, touched = search.update(
            index,
            {entry.path: entry for entry, _ in changes},
            {entry.path: entry for _, entry in changes},
            moved,
        )
    except ShardUnreadable:
        return None
    held = new.files()
    made = {rel: new.script(*held[rel]) for rel in sorted(touched) if rel in held}
    if new.keys != index.keys:
        made[search.KEYS_FILE] = search.keys_script(new.keys)
    for rel, text in made.items():
        data = text.encode("utf-8")
        files[rel] = Written(b"", _digest(data), _write_atomic(out / rel, data))
    for rel in sorted(touched - held.keys()):
        _remove(out, rel)
        del files[rel]
    return len(made) + len(touched - held.keys())


def put_body(out: Path, rel: str, written: Written, body: str) -> Written | None:
    """Put `body` in place of the body of the note page `rel`, as `written` it; what is
    written now, or None when the page is not as written (or its body's place unknown).

    For an edit of a note's body alone, that page's bytes are all that change: a new
    process need not make the model to make them. The page's fingerprint is not known
    then (b""): the next write that looks at the page makes it again.
    """
    path = out / rel
    if written.body is None or on_disk(path) != written.stat:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if _digest(data) != written.digest:
        return None
    start, length = written.body
    text = body.encode("utf-8")
    data = data[:start] + text + data[start + length :]
    return Written(b"", _digest(data), _write_atomic(path, data), (start, len(text)))


# Bytes of a page rendered into a file at a time.
STREAM_CHUNK = 1 << 16


def _render_into(
    env: jinja2.Environment, name: str, context: Mapping[str, Any], path: Path
) -> tuple[bytes, tuple[int, int]]:
    """Render a page straight into a new file of a fresh site: its digest and (mtime_ns, size).

    The page is written as it is made, never held whole: the follow-ups page of a
    vault of a hundred thousand notes runs to a hundred megabytes, and as one str
    (four bytes a character, with one emoji in it) to four times that.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if name == RAW_PAGE:
        data = context["text"].encode("utf-8")
        path.write_bytes(data)
        return _digest(data), on_disk(path)
    digest = hashlib.blake2b(digest_size=16)
    with _template_errors(name), path.open("wb") as file:
        pieces: list[str] = []
        size = 0
        for piece in env.get_template(name).generate(context):
            pieces.append(piece)
            size += len(piece)
            if size >= STREAM_CHUNK:
                data = "".join(pieces).encode("utf-8")
                digest.update(data)
                file.write(data)
                pieces.clear()
                size = 0
        data = "".join(pieces).encode("utf-8")
        digest.update(data)
        file.write(data)
    return digest.digest(), on_disk(path)


def _spill(path: Path, data: bytes) -> Path:
    """A temporary file beside `path` holding `data`, to be renamed over it later."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    temp.write_bytes(data)
    return temp


def _write_atomic(path: Path, data: bytes | Path) -> tuple[int, int]:
    """Replace a file of a live site whole (never half-written); its (mtime_ns, size).

    `data` is the new bytes, or a file whose bytes to copy.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    try:
        if isinstance(data, Path):
            shutil.copyfile(data, temp)
        else:
            temp.write_bytes(data)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return on_disk(path)


def _static_files(themes: list[Path]) -> dict[str, Path]:
    """Every theme's static files by site-relative path; a file of a more specific theme wins."""
    files: dict[str, Path] = {}
    for theme in reversed(themes):
        folder = theme / "static"
        if not folder.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if not is_ignored_name(d, True))
            for name in filenames:
                if not is_ignored_name(name, False) and not name.startswith("."):
                    source = Path(dirpath) / name
                    files[source.relative_to(folder).as_posix()] = source
    return dict(sorted(files.items()))


def theme_key(themes: list[Path]) -> str:
    """A key of every file of the themes: templates and static files alike."""
    digest = hashlib.blake2b(digest_size=16)
    for theme in themes:
        for dirpath, dirnames, filenames in os.walk(theme):
            dirnames.sort()
            for name in sorted(filenames):
                path = Path(dirpath) / name
                with contextlib.suppress(OSError):
                    info = path.stat()
                    digest.update(f"{path}|{info.st_mtime_ns}|{info.st_size}\n".encode())
    return digest.hexdigest()


def _check_target(out: Path, vault: Path) -> Path:
    """The output folder, resolved; refuse one whose replacement would lose the user's files."""
    out = out.resolve()
    if vault.resolve().is_relative_to(out):
        raise SiteError(f"{out} holds the vault; choose an output folder inside or beside it")
    if out.exists() or out.is_symlink():
        if not out.is_dir():
            raise SiteError(f"{out} is a file, not a folder")
        entries = [e for e in os.listdir(out) if not e.startswith(".")]
        if entries and not (out / "index.html").is_file():
            # Everything in it but dot-entries would be deleted: only replace a site.
            raise SiteError(f"{out} is not empty and is not a netvault site; not replacing it")
    return out


def _fresh_folder(out: Path) -> Path:
    """A new, empty folder beside `out` (same file system, so renames are atomic)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    # A build that was killed part-way leaves its working folder behind.
    for leftover in ("tmp", "old"):
        for stale in out.parent.glob(f".{glob.escape(out.name)}.{leftover}-*"):
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)
    while True:
        work = out.parent / f".{out.name}.tmp-{secrets.token_hex(4)}"
        try:
            work.mkdir()  # unlike mkdtemp, keeps the umask's permissions
        except FileExistsError:
            continue
        return work


def _swap(new: Path, out: Path) -> None:
    """Put `new` where `out` is, moving the old site's dot-entries into it."""
    if not out.exists():
        new.rename(out)
        return
    old = out.parent / f".{out.name}.old-{secrets.token_hex(4)}"
    out.rename(old)
    moved: list[str] = []
    try:
        for name in sorted(os.listdir(old)):
            if name.startswith("."):
                (old / name).rename(new / name)
                moved.append(name)
        new.rename(out)
    except BaseException:
        # Put the old site back as it was; the caller removes `new`.
        for name in moved:
            (new / name).rename(old / name)
        old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)
