"""Notes → contacts, interactions, orgs and goals, with the links among them.

The model knows nothing of "today": everything date-relative is the follow-up
rules' business, so the same notes always give the same model.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import field, replace
from datetime import date, datetime, timedelta
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import Any

from .config import PROPERTY_FIELDS, Settings
from .dates import DateError, date_prefix, parse_date, parse_duration
from .markdown import ParsedBody, WikiLink
from .notes import ParsedNote, failure, parse
from .problems import Problem, in_order
from .records import record, values_but
from .tasks import Task
from .text import clean, first_words, fold, fold_key
from .vault import Note

_TYPE_KINDS = {
    "contact": "contact",
    "person": "contact",
    "people": "contact",
    "interaction": "interaction",
    "meeting": "interaction",
    "org": "org",
    "organisation": "org",
    "organization": "org",
    "company": "org",
    "goal": "goal",
}
_CATEGORY_KINDS = {
    "people": "contact",
    "person": "contact",
    "contacts": "contact",
    "meetings": "interaction",
    "meeting": "interaction",
    "interactions": "interaction",
    "companies": "org",
    "organisations": "org",
    "organizations": "org",
    "goals": "goal",
}
_WIKILINK = re.compile(r"^\s*!?\[\[([^\]]+)\]\]\s*$")
_ANY_WIKILINK = re.compile(r"\[\[([^\]]+)\]\]")
_FILE_SUFFIX = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,7}$")
_DAILY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}[\s_-]*")
# What `direction:` may say: who wrote the message the interaction is.
_DIRECTIONS = {
    "in": frozenset({"in", "incoming", "inbound", "received", "from them"}),
    "out": frozenset({"out", "outgoing", "outbound", "sent", "from me"}),
}
_BOTH_WAYS = frozenset({"both", "two-way", "none"})


@record
class Ref:
    """A reference to another note, as written and as resolved."""

    text: str  # the name as written, e.g. "Ada Lovelace"
    target: str | None  # the note path it resolves to, or None when there is none
    line: int  # the line it is written on


@record
class Page:
    """What every note has, whatever its kind."""

    path: str
    kind: str  # contact, interaction, org, goal or note
    title: str
    aliases: tuple[str, ...]
    tags: tuple[str, ...]
    date: date | None  # interactions, daily notes and notes with a `date:`
    refs: tuple[Ref, ...]  # every link in front matter and body
    tasks: tuple[Task, ...]
    note: Note  # as the file writes it (the fields were read from it `rekeyed`)
    body: ParsedBody
    # (field, key as written) of each field the note writes under another name.
    keys: tuple[tuple[str, str], ...] = ()
    # Its `snooze_until:`, which holds back the follow-ups the note sets (followups.held).
    snooze_until: date | None = None

    def line_of(self, field: str) -> int | None:
        """The line the note sets `field` on, under whatever key; None when it does not."""
        for name, key in self.keys:
            if name == field:
                return self.note.meta_lines.get(key)
        return self.note.meta_lines.get(field)


@record
class PastRole:
    """A job someone held before, as an import that saw them move on recorded it."""

    org: str
    role: str
    until: date | None  # when the move was noticed


@record
class Contact:
    """A person in the network."""

    path: str
    name: str
    org: Ref | None = None
    role: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    linkedin: str = ""
    website: str = ""
    location: str = ""
    tags: tuple[str, ...] = ()
    circle: str = ""
    status: str = ""
    cadence: timedelta | None = None
    cadence_given: bool = False  # True when the note sets `cadence`, even to `none`
    how_met: str = ""
    met: date | None = None
    referred_by: Ref | None = None
    intro_via: Ref | None = None
    last_contact: date | None = None
    follow_up: date | None = None
    follow_up_note: str = ""
    follow_up_done: bool = False
    snooze_until: date | None = None
    interests: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    asks: tuple[str, ...] = ()
    birthday: str = ""
    source: str = ""  # the tool it was imported from: linkedin, vcard, google
    previous: tuple[PastRole, ...] = ()  # oldest first


@record
class Interaction:
    """A meeting, call, message or event with one or more contacts."""

    path: str
    title: str
    date: date | None
    type: str = ""
    with_: tuple[Ref, ...] = ()
    org: Ref | None = None
    follow_up: date | None = None
    thank_you: bool = False  # a thank-you was sent: `thank_you:`, or its thank-you tasks ticked
    thank_you_date: date | None = None
    thank_you_tasks: tuple[int, ...] = ()  # lines of its open thank-you tasks (thanks_task)
    referred_by: Ref | None = None
    referrals: tuple[Ref, ...] = ()
    air: tuple[str, ...] = ()
    gave: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    direction: str = ""  # "in": they wrote to you; "out": you wrote to them; "": both
    replied: bool = False  # the message was answered, though no note logs the answer
    lead: str = ""  # the first words of a message (one with a direction): its summary or body

    @property
    def contacts(self) -> tuple[str, ...]:
        """Paths of the contacts it was with."""
        return tuple(r.target for r in self.with_ if r.target)


@record
class Org:
    """An organisation: a company, school, team or community."""

    path: str
    name: str
    website: str = ""
    location: str = ""
    industry: str = ""
    tags: tuple[str, ...] = ()


@record
class Goal:
    """Something the network should serve: a field, role or organisation to reach."""

    path: str
    title: str
    status: str = ""
    targets: tuple[Ref, ...] = ()  # organisations or people, from `targets` and `orgs`
    fields: tuple[str, ...] = ()  # fields of work, as text: "Energy storage"
    roles: tuple[str, ...] = ()  # roles to reach, as text: "Data analyst"


@record
class Touch:
    """A dated note that mentions a contact: an interaction, or a daily note."""

    date: date
    path: str
    is_interaction: bool


@record
class Model:
    """Everything the vault says, resolved and indexed; no notion of today."""

    pages: Mapping[str, Page]
    contacts: Mapping[str, Contact]
    interactions: Mapping[str, Interaction]  # oldest first
    orgs: Mapping[str, Org]
    goals: Mapping[str, Goal]
    backlinks: Mapping[str, tuple[str, ...]]
    touches: Mapping[str, tuple[Touch, ...]]  # contact path → touches, oldest first
    names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    assets: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    problems: tuple[Problem, ...] = ()

    def resolve(self, name: str) -> str | None:
        """The note path a link text resolves to, as Obsidian resolves it."""
        return resolve_name(self.names, name)

    def resolve_asset(self, target: str) -> str | None:
        """The attachment an embed names, by vault path or file name, case-insensitively."""
        return resolve_asset(self.assets, target)

    def entry(self, path: str) -> Contact | Interaction | Org | Goal | None:
        """The record of the note at `path`: its contact, interaction, org or goal, if any."""
        return (
            self.contacts.get(path)
            or self.interactions.get(path)
            or self.orgs.get(path)
            or self.goals.get(path)
        )

    def facts(self, path: str, unread: frozenset[str]) -> tuple[Any, ...]:
        """What the note's page and record say, but their fields named in `unread` (see
        `records.values_but`): what a view that never reads those fields sees of it.
        """
        return tuple(
            values_but(found, unread) for found in (self.pages.get(path), self.entry(path))
        )

    def title(self, path: str) -> str:
        """The title of the note at `path`."""
        return self.pages[path].title

    def dated(self, oldest: date, today: date) -> list[Interaction]:
        """The interactions dated from `oldest` to `today`, oldest first.

        Only the newest are looked at: the interactions are oldest first, with the
        undated ones before all.
        """
        found = []
        for interaction in reversed(self.interactions.values()):
            when = interaction.date
            if when is None or when < oldest:
                break
            if when <= today:
                found.append(interaction)
        found.reverse()
        return found


# ---------------------------------------------------------------------------
# The name index


def linked(models: Iterable[Model], paths: Collection[str]) -> set[str]:
    """`paths` and the notes they link to or are linked from, in any of `models`."""
    found = set(paths)
    for model in models:
        for path in paths:
            page = model.pages.get(path)
            if page is not None:
                found.update(ref.target for ref in page.refs if ref.target)
            found.update(model.backlinks.get(path, ()))
    return found


def link_target(value: str) -> str:
    """The note name inside `[[Name#Heading|text]]`, or the text itself."""
    text = clean(str(value)).strip()
    match = _WIKILINK.match(text)
    if match:
        text = match[1]
    text = text.replace("\\|", "|").split("|", 1)[0].split("#", 1)[0].strip()
    return text[:-3] if text.lower().endswith(".md") else text


def resolve_name(names: Mapping[str, str], name: str) -> str | None:
    """The path `name` (a file name, path or alias) resolves to, case-insensitively."""
    key = fold(link_target(name))
    return names.get(key) or names.get(fold(PurePosixPath(key).name)) if key else None


def asset_index(assets: Iterable[str]) -> dict[str, str]:
    """Attachment lookup: folded vault path, every folded path suffix and file name → path.

    The first attachment in path order wins a shared name, as notes do.
    """
    index: dict[str, str] = {}
    for rel in sorted(assets, reverse=True):
        parts = fold(rel).split("/")
        for start in range(len(parts)):
            index["/".join(parts[start:])] = rel
    return index


def resolve_asset(assets: Mapping[str, str], target: str) -> str | None:
    """The attachment `target` names: `photo.png`, `attachments/photo.png`, `photos/me.png`."""
    key = fold(target.lstrip("/"))
    return assets.get(key) or assets.get(key.rsplit("/", 1)[-1]) if key else None


def _title(note: Note, kind: str) -> str:
    for key in ("name", "title") if kind in ("contact", "org") else ("title", "name"):
        value = note.meta.get(key)
        if isinstance(value, str | int | float) and str(value).strip():
            return clean(str(value)).strip()
    if kind == "interaction":
        # "2026-11-20 Coffee with Ada" shows its date beside the title already.
        return _DATE_PREFIX.sub("", note.stem) or note.stem
    return note.stem


# ---------------------------------------------------------------------------
# Front-matter keys


class KeyNames:
    """Which field each front-matter key sets: its folded name, or one `[properties]` gives."""

    def __init__(self, properties: Mapping[str, Iterable[str]]) -> None:
        self._fields = {fold_key(name): name for name in PROPERTY_FIELDS}
        for name, others in properties.items():
            for other in others:
                self._fields.setdefault(fold_key(other), name)
        # A note's keys → the fields they set, or None when they are those already: a
        # vault repeats a few sets of keys (its templates'), so a note costs one look-up.
        self._sets: dict[tuple[str, ...], tuple[str, ...] | None] = {}
        # A note's keys → `renamed`'s answer: the very same tuple for every note with
        # those keys, which a cache then holds once rather than once a note.
        self._renames: dict[tuple[str, ...], tuple[tuple[str, str], ...]] = {}

    def field(self, key: str) -> str:
        """The field `key` sets, or `key` itself when netvault reads no such field."""
        return self._fields.get(fold_key(key), key)

    def fields(self, keys: tuple[str, ...]) -> tuple[str, ...] | None:
        """The fields `keys` set, in order; None when each is a field's name or unknown."""
        if keys not in self._sets:
            found = tuple(map(self.field, keys))
            self._sets[keys] = None if found == keys else found
        return self._sets[keys]

    def renamed(self, keys: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
        """(field, key) of each field `keys` set under another name, the first key winning."""
        found = self._renames.get(keys)
        if found is None:
            first: dict[str, str] = {}
            for key, name in zip(keys, self.fields(keys) or keys, strict=True):
                first.setdefault(name, key)
            found = self._renames[keys] = tuple((n, k) for n, k in first.items() if n != k)
        return found


def rekeyed(note: Note, keys: KeyNames) -> Note:
    """`note` with its front matter under the names of the fields it sets (other keys as
    written, in file order; the first of keys setting one field wins): `note` itself
    when every key is so already, as in most notes.
    """
    fields = keys.fields(tuple(note.meta))
    if fields is None:
        return note
    meta: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key, name in zip(note.meta, fields, strict=True):
        if name not in meta:
            meta[name] = note.meta[key]
            if key in note.meta_lines:
                lines[name] = note.meta_lines[key]
    # Made directly: `replace` looks the record's fields up again, for forty thousand notes.
    return Note(
        note.path,
        MappingProxyType(meta),
        MappingProxyType(lines),
        note.body,
        note.body_line,
        note.problems,
        note.readable,
    )


def _repeated_keys(note: Note, keys: KeyNames) -> Iterator[Problem]:
    """Warnings for keys that set a field an earlier key of the note set already."""
    written = tuple(note.meta)
    fields = keys.fields(written) or written
    if len(set(fields)) == len(fields):  # as in almost every note
        return
    first: dict[str, str] = {}
    for key, name in zip(written, fields, strict=True):
        if first.setdefault(name, key) != key:
            earlier = first[name]
            message = f"“{key}” is ignored: “{earlier}” on line {note.line_of(earlier)} sets {name}"
            yield Problem(note.path, note.line_of(key), message, "warning")


def renamed(note: Note, keys: KeyNames) -> tuple[tuple[str, str], ...]:
    """(field, key as written) of each field `note` sets under another name (`Page.keys`)."""
    return keys.renamed(tuple(note.meta))


def with_body(page: Page, parsed: ParsedNote) -> Page:
    """`page` with the body of `parsed`, a parse of its note whose front matter is the same."""
    return replace(page, note=parsed.note, body=parsed.body)


# ---------------------------------------------------------------------------
# Reading fields


class _Fields:
    """Typed access to one note's front matter, recording problems as it goes."""

    def __init__(self, note: Note, names: Mapping[str, str]) -> None:
        self.note = note
        self.names = names
        self.problems: list[Problem] = []

    def _line(self, key: str) -> int:
        return self.note.line_of(key)

    def text(self, *keys: str) -> str:
        for key in keys:
            value = self.note.meta.get(key)
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value if v is not None)
            if value is not None and str(value).strip():
                return clean(str(value)).strip()
        return ""

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.note.meta.get(key)
        if value is None or value == "":
            return ()
        items = value if isinstance(value, list) else [value]
        out: list[str] = []
        for item in items:
            out.extend(_flatten(item))
        # Interned: a vault repeats the same orgs, circles and types in note after note.
        return tuple(sys.intern(clean(str(v)).strip()) for v in out if str(v).strip())

    def tags(self, key: str = "tags") -> tuple[str, ...]:
        out: list[str] = []
        for value in self.texts(key):
            for tag in re.split(r"[,\s]+", value):
                tag = sys.intern(tag.lstrip("#").strip().lower())
                if tag and tag not in out:
                    out.append(tag)
        return tuple(out)

    def date(self, key: str) -> date | None:
        try:
            return parse_date(self.note.meta.get(key))
        except DateError as exc:
            self.problems.append(Problem(self.note.path, self._line(key), f"{key}: {exc}"))
            return None

    def flag(self, key: str) -> bool:
        value = self.note.meta.get(key)
        if isinstance(value, str):
            return value.strip().lower() in ("true", "yes", "y", "done", "sent")
        return bool(value)

    def direction(self) -> str:
        """`direction:` as "in" or "out"; "" when not given, or not one of those."""
        value = self.text("direction").lower()
        if not value or value in _BOTH_WAYS:
            return ""
        for side, words in _DIRECTIONS.items():
            if value in words:
                return side
        message = f"direction: “{value}” is neither in (they wrote) nor out (you wrote)"
        self.problems.append(Problem(self.note.path, self._line("direction"), message, "warning"))
        return ""

    def past_roles(self, key: str = "previous") -> tuple[PastRole, ...]:
        """`previous:` entries, each `{org: …, role: …, until: date}`; others are a problem."""
        value = self.note.meta.get(key)
        out: list[PastRole] = []
        for item in value if isinstance(value, list) else ([] if value is None else [value]):
            if not isinstance(item, dict):
                message = f"{key}: each entry should be `org:`, `role:` and `until:`"
                self.problems.append(Problem(self.note.path, self._line(key), message, "warning"))
                continue
            try:
                until = parse_date(item.get("until"))
            except DateError as exc:
                self.problems.append(Problem(self.note.path, self._line(key), f"{key}: {exc}"))
                until = None
            org, role = (clean(str(item.get(k) or "")).strip() for k in ("org", "role"))
            out.append(PastRole(link_target(org) or org, role, until))
        return tuple(out)

    def ref(self, key: str) -> Ref | None:
        refs = self.refs(key)
        return refs[0] if refs else None

    def refs(self, key: str) -> tuple[Ref, ...]:
        line = self._line(key)
        out: list[Ref] = []
        for value in self.texts(key):
            # `[[A]], [[B]]` in one string is two links.
            found = _ANY_WIKILINK.findall(value)
            for written in found or [value]:
                name = link_target(written)
                if name:
                    out.append(Ref(sys.intern(name), resolve_name(self.names, name), line))
        return tuple(out)

    def cadence(self) -> tuple[timedelta | None, bool]:
        if "cadence" not in self.note.meta:
            return None, False
        try:
            return parse_duration(self.note.meta["cadence"]), True
        except DateError as exc:
            self.problems.append(Problem(self.note.path, self._line("cadence"), f"cadence: {exc}"))
            return None, False


def _flatten(value: Any) -> list[Any]:
    """Obsidian writes `with: [[Ada]]` unquoted, which YAML reads as [["Ada"]]."""
    if isinstance(value, list):
        if len(value) == 1 and isinstance(value[0], list) and len(value[0]) == 1:
            return [f"[[{value[0][0]}]]"]
        if len(value) == 1 and isinstance(value[0], str):
            return [f"[[{value[0]}]]"]
        return [v for item in value for v in _flatten(item)]
    if isinstance(value, dict):
        return []
    if isinstance(value, datetime | date):
        return [value.isoformat()]
    return [value] if value is not None else []


# ---------------------------------------------------------------------------
# Building the model


def note_kind(note: Note, settings: Settings) -> str:
    """contact, interaction, org, goal or note: `type:` › folder › `categories:` › plain."""
    declared = note.meta.get("type")
    if isinstance(declared, str) and declared.strip().lower() in _TYPE_KINDS:
        return _TYPE_KINDS[declared.strip().lower()]
    parts = PurePosixPath(note.path).parts[:-1]
    for depth in range(len(parts), 0, -1):
        folder = "/".join(parts[:depth]).lower()
        kind = settings.folders.get(folder) or settings.folders.get(parts[depth - 1].lower())
        if kind:
            return kind
    categories = note.meta.get("categories")
    if categories:
        for value in categories if isinstance(categories, list) else [categories]:
            for item in _flatten(value):
                kind = _CATEGORY_KINDS.get(fold(link_target(str(item))))
                if kind:
                    return kind
    return "note"


def _aliases(note: Note) -> tuple[str, ...]:
    value = note.meta.get("aliases")
    items = value if isinstance(value, list) else [value] if value else []
    return tuple(clean(str(v)).strip() for v in items if v is not None and str(v).strip())


def build_model(
    notes: Iterable[Note | ParsedNote], settings: Settings, assets: Iterable[str] = ()
) -> Model:
    """The model of a vault from its notes (parsed or not) and attachment paths.

    Problems are collected, never raised: a bad note is reported and the rest stand.
    """
    maker = ModelMaker(settings, assets)
    parsed = (n if isinstance(n, ParsedNote) else parse(n, settings.allow_html) for n in notes)
    return maker.update({n.path: n for n in parsed}).model


@record
class Head:
    """What a note says about itself alone: its kind, title, aliases and the names it claims."""

    kind: str
    title: str
    aliases: tuple[str, ...]
    claims: tuple[tuple[int, str, str, int], ...]  # (rank, folded name, as written, line)


@record
class Share:
    """What one note brings to the model, given the name index."""

    page: Page  # when making it failed, a plain note's (its problem says why)
    entry: Contact | Interaction | Org | Goal | None
    problems: tuple[Problem, ...]
    lookups: frozenset[str]  # every folded name it looked up in the name index
    backlinks: frozenset[str]  # the notes it links to (not itself)
    touches: tuple[tuple[str, Touch], ...]  # (contact it may touch, the touch)


@record
class ModelChange:
    """What `ModelMaker.update` made: the new model, and which notes it differs in."""

    model: Model
    # Notes added, removed, or whose share of the model changed (their own page,
    # record, links or problems): given notes whose share is the same are not in it.
    notes: frozenset[str]
    fresh: bool  # made from nothing: every note is new to it


class _Lookups(Mapping[str, str]):
    """The name index, noting every name a note looks up in it."""

    def __init__(self, names: Mapping[str, str]) -> None:
        self.names = names
        self.seen: set[str] = set()

    def __getitem__(self, key: str) -> str:
        self.seen.add(key)
        return self.names[key]

    def get(self, key: str, default: Any = None) -> Any:
        self.seen.add(key)
        return self.names.get(key, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


class ModelMaker:
    """Keeps the model of one vault's notes, applying each changed note as a difference.

    A note's share of the model (its page, record, links and problems) depends on
    the note itself and on the name index alone. So a changed note is made again,
    and so are the notes that looked up a name whose owner changed, found through
    a reverse index from names to the notes that looked them up; every other
    note's share is kept. The model after any sequence of updates is the one
    `build_model` makes of the same notes from nothing (tests check it).
    """

    def __init__(self, settings: Settings, assets: Iterable[str] = ()) -> None:
        self.settings = settings
        self.assets = tuple(assets)
        self._attachments = asset_index(self.assets)
        self._keys = KeyNames(settings.properties)
        # Notes re-keyed while they are claimed, for their shares: each once an update.
        self._keyed: dict[str, tuple[Note, Note]] = {}
        self._parsed: dict[str, ParsedNote] = {}
        self._heads: dict[str, Head] = {}
        self._failures: dict[str, Problem] = {}  # notes whose head could not be made
        self._claims: dict[str, list[tuple[int, str, str, int]]] = {}
        self._names: dict[str, str] = {}
        self._clashes: dict[str, tuple[Problem, ...]] = {}
        self._shares: dict[str, Share] = {}
        # Folded name → notes that looked it up: made when a name first moves (a new
        # process restored from the cache may never need it), then kept up to date.
        self._readers: dict[str, set[str]] | None = None
        self._sources: dict[str, set[str]] = {}  # note → notes linking to it
        self._backlinks: dict[str, tuple[str, ...]] = {}
        self._touching: dict[str, set[Touch]] = {}  # contact → touches
        self._touches: dict[str, tuple[Touch, ...]] = {}
        self._stale_backlinks: set[str] = set()  # targets whose sorted backlinks are stale
        self._stale_touches: set[str] = set()  # contacts whose sorted touches are stale
        # The last model made, and what changed since: the next is that one, patched.
        self._made: Model | None = None
        self._renamed = False  # whether a name went to another note since the last model made
        self._since: set[str] = set()  # notes given since
        self._since_backlinks: set[str] = set()  # targets whose backlinks were sorted again since
        self._since_touches: set[str] = set()  # contacts whose touches were sorted again since
        self._problems: dict[str, tuple[Problem, ...]] = {}  # note → its problems, if any
        # Notes whose `kept` may differ since the caller last emptied this set.
        self.unkept: set[str] = set()

    def model(self) -> Model:
        """The model as it stands."""
        return self._model()

    @property
    def paths(self) -> frozenset[str]:
        """Every note the model was given, readable or not."""
        return frozenset(self._parsed)

    def parsed(self, path: str) -> ParsedNote | None:
        """The parse of the note at `path` the model was given, if any."""
        return self._parsed.get(path)

    def update(self, notes: Mapping[str, ParsedNote | None]) -> ModelChange:
        """Apply `notes` (path → its new parse, or None when it is gone); the new model."""
        fresh = not self._parsed
        differ = self.apply(notes)
        return ModelChange(self._model(), differ, fresh)

    def apply(self, notes: Mapping[str, ParsedNote | None]) -> frozenset[str]:
        """`update` without making the model: the notes whose share differs."""
        touched: set[str] = set()
        self._since.update(notes)
        for path, parsed in notes.items():
            touched |= self._unclaim(path)
            if parsed is None:
                self._parsed.pop(path, None)
                continue
            self._parsed[path] = parsed
            if parsed.note.readable:
                touched |= self._claim(path, self._rekeyed(path, parsed.note))
        moved = {key for key in touched if self._settle_name(key)}
        redo = set(notes)
        readers = self._name_readers() if moved else {}
        for key in moved:
            redo |= readers.get(key, set())
        redo &= self._heads.keys()  # gone, unreadable now, or failed: no share to make
        differ = {path for path in notes if path not in self._heads and path in self._shares}
        for path in differ:
            self._index(path, self._shares.pop(path), -1)
        self._since |= redo
        for path in sorted(redo):
            old = self._shares.get(path)
            new = self._share(path)
            if old is not None:
                self._index(path, old, -1)
            self._shares[path] = new
            self._index(path, new, +1)
            if new != old:
                differ.add(path)
        differ |= {path for path in notes if path not in self._shares}
        self._keyed.clear()
        self.unkept |= notes.keys() | redo
        return frozenset(differ)

    # -- names ---------------------------------------------------------------

    def _rekeyed(self, path: str, note: Note) -> Note:
        """`rekeyed(note)`, made once for the claim and the share of one update."""
        held = self._keyed.get(path)
        if held is not None and held[0] is note:
            return held[1]
        found = rekeyed(note, self._keys)
        self._keyed[path] = (note, found)
        return found

    def _claim(self, path: str, note: Note) -> set[str]:
        """Index the names `note` claims; the folded names touched."""
        try:
            kind = note_kind(note, self.settings)
            title = _title(note, kind)
            aliases = _aliases(note)
        # A note that trips a bug is left out; the others stand.
        except Exception as exc:  # noqa: BLE001
            self._failures[path] = failure(path, exc, "reading")
            return set()
        claims = tuple(_claims(note, kind, title, aliases))
        self._heads[path] = Head(kind, title, aliases, claims)
        for rank, key, written, line in claims:
            self._claims.setdefault(key, []).append((rank, path, written, line))
        return {key for _rank, key, _written, _line in claims}

    def _unclaim(self, path: str) -> set[str]:
        """Forget the names the note at `path` claimed; the folded names touched."""
        self._failures.pop(path, None)
        head = self._heads.pop(path, None)
        if head is None:
            return set()
        for _rank, key, _written, _line in head.claims:
            owners = self._claims[key]
            owners[:] = [owner for owner in owners if owner[1] != path]
            if not owners:
                del self._claims[key]
        return {key for _rank, key, _written, _line in head.claims}

    def _settle_name(self, key: str) -> bool:
        """Give `key` to its best claim and note clashes; whether its owner changed."""
        before = self._names.get(key)
        owners = sorted(self._claims.get(key, ()))
        self._clashes.pop(key, None)
        if not owners:
            self._names.pop(key, None)
            self._renamed = self._renamed or before is not None
            return before is not None
        winner = self._names[key] = owners[0][1]
        self._renamed = self._renamed or before != winner
        if len(owners) > 1 and owners[0][0] > 0:
            self._clashes[key] = tuple(
                Problem(
                    path, line, f"“{written}” also names {winner}: links to it go there", "warning"
                )
                for _rank, path, written, line in owners[1:]
            )
        return before != winner

    # -- shares --------------------------------------------------------------

    def _share(self, path: str) -> Share:
        """The share of the model of the note at `path`, whose head is known."""
        names = _Lookups(self._names)
        try:
            return _share(self._parsed[path], self._heads[path], names, self)
        # A note that trips a bug is left out; the others stand.
        except Exception as exc:  # noqa: BLE001
            outcome = "shown as a plain note, without what its front matter says"
            problem = failure(path, exc, "linking", outcome)
            # Links to it still resolve to it, so it keeps a page: its body, nothing more.
            parsed, head = self._parsed[path], self._heads[path]
            keys = renamed(parsed.note, self._keys)
            page = Page(
                path,
                "note",
                head.title,
                head.aliases,
                (),
                None,
                (),
                (),
                parsed.note,
                parsed.body,
                keys,
            )
            return Share(page, None, (problem,), frozenset(names.seen), frozenset(), ())

    def _name_readers(self) -> dict[str, set[str]]:
        """The reverse index of names: folded name → the notes that looked it up."""
        if self._readers is None:
            self._readers = {}
            for path, share in self._shares.items():
                for key in share.lookups:
                    found = self._readers.get(key)
                    if found is None:
                        self._readers[key] = {path}
                    else:
                        found.add(path)
        return self._readers

    def _index(self, path: str, share: Share, sign: int) -> None:
        """Add (`sign` +1) or remove (-1) a share in the reverse indexes."""
        if self._readers is not None:
            for key in share.lookups:
                readers = self._readers.setdefault(key, set())
                if sign > 0:
                    readers.add(path)
                else:
                    readers.discard(path)
                    if not readers:
                        del self._readers[key]
        for target in share.backlinks:
            sources = self._sources.setdefault(target, set())
            sources.add(path) if sign > 0 else sources.discard(path)
            self._stale_backlinks.add(target)
        for contact, touch in share.touches:
            found = self._touching.setdefault(contact, set())
            found.add(touch) if sign > 0 else found.discard(touch)
            self._stale_touches.add(contact)

    def _refresh(self) -> None:
        """Sort again the backlinks and touches that changed (once, not once per note)."""
        for target in self._stale_backlinks:
            sources = self._sources.get(target)
            if sources:
                self._backlinks[target] = tuple(sorted(sources))
            else:
                self._sources.pop(target, None)
                self._backlinks.pop(target, None)
        for contact in self._stale_touches:
            found = self._touching.get(contact)
            if found:
                self._touches[contact] = tuple(sorted(found, key=lambda t: (t.date, t.path)))
            else:
                self._touching.pop(contact, None)
                self._touches.pop(contact, None)
        self._since_backlinks |= self._stale_backlinks
        self._since_touches |= self._stale_touches
        self._stale_backlinks.clear()
        self._stale_touches.clear()

    # -- saving and restoring ------------------------------------------------

    def kept(self, path: str) -> tuple[Head | None, Share | None, Problem | None]:
        """What the model keeps of the note at `path`, to save beside its parse."""
        return self._heads.get(path), self._shares.get(path), self._failures.get(path)

    @classmethod
    def restore(
        cls,
        settings: Settings,
        assets: Iterable[str],
        notes: Mapping[str, tuple[ParsedNote, Head | None, Share | None, Problem | None]],
    ) -> ModelMaker:
        """The maker that `kept` the notes so, its indexes made again but no share.

        A readable note with nothing kept is left out: the next update gives it anew.
        """
        maker = cls(settings, assets)
        # `_claim` and `_index` of every note, inlined: forty thousand notes' worth of
        # calls took half a second of every new process.
        claims, sources, touching = maker._claims, maker._sources, maker._touching
        for path, (parsed, head, share, failed) in notes.items():
            if parsed.note.readable and head is None and failed is None:
                continue
            maker._parsed[path] = parsed
            if failed is not None:
                maker._failures[path] = failed
            if head is not None:
                maker._heads[path] = head
                for rank, key, written, line in head.claims:
                    owners = claims.get(key)
                    if owners is None:
                        claims[key] = [(rank, path, written, line)]
                    else:
                        owners.append((rank, path, written, line))
            if share is not None:
                maker._shares[path] = share
                for target in share.backlinks:
                    found = sources.get(target)
                    if found is None:
                        sources[target] = {path}
                    else:
                        found.add(path)
                for contact, touch in share.touches:
                    found = touching.get(contact)
                    if found is None:
                        touching[contact] = {touch}
                    else:
                        found.add(touch)
        maker._stale_backlinks.update(sources)
        maker._stale_touches.update(touching)
        for key, owners in claims.items():
            if len(owners) == 1:  # the one claim wins, and nothing clashes
                maker._names[key] = owners[0][1]
            else:
                maker._settle_name(key)
        return maker

    # -- the model -----------------------------------------------------------

    def _model(self) -> Model:
        """The model of every share, ordered as a model is: the last one made, patched.

        Patching copies the last model's mappings (in C) and puts in the values of the
        notes that changed since, where no key comes or goes and no interaction moves
        in the order: sorting forty thousand shares again took a fifth of an edit.
        """
        self._refresh()
        changed, self._since = self._since, set()
        targets, self._since_backlinks = self._since_backlinks, set()
        contacts, self._since_touches = self._since_touches, set()
        old, made = self._made, None
        if old is not None:
            for path in changed:
                self._problems.pop(path, None)
                if found := self._note_problems(path):
                    self._problems[path] = found
            made = self._patched(old, changed, targets, contacts)
        self._made = made or self._model_anew()
        self._renamed = False
        return self._made

    def _note_problems(self, path: str) -> tuple[Problem, ...]:
        """The problems of the note at `path`: its parse's, its head's and its share's."""
        parsed, failed, share = (
            self._parsed.get(path),
            self._failures.get(path),
            self._shares.get(path),
        )
        return (
            *(parsed.problems if parsed is not None else ()),
            *((failed,) if failed is not None else ()),
            *(share.problems if share is not None else ()),
        )

    def _all_problems(self) -> tuple[Problem, ...]:
        """Every note's problems and every name clash, in order."""
        found = [p for problems in self._problems.values() for p in problems]
        found += [p for clashes in self._clashes.values() for p in clashes]
        return tuple(in_order(found))

    def _patched(
        self, old: Model, changed: set[str], targets: set[str], touched: set[str]
    ) -> Model | None:
        """`old` with the shares of `changed`, and the backlinks of `targets` and touches of
        `touched` sorted again since; None where a key would come or go, or an
        interaction move (then the model is made anew).
        """
        news = {path: self._shares.get(path) for path in changed}
        entries = {path: None if share is None else share.entry for path, share in news.items()}

        def of(kind: type) -> dict[str, Any]:
            return {path: e if isinstance(e, kind) else None for path, e in entries.items()}

        interactions = of(Interaction)
        if any(
            e is not None and path in old.interactions and old.interactions[path].date != e.date
            for path, e in interactions.items()
        ):
            return None
        pages = _patch(old.pages, {path: s and s.page for path, s in news.items()})
        contacts = _patch(old.contacts, of(Contact))
        if pages is None or contacts is None:
            return None
        parts = (
            _patch(old.interactions, interactions),
            _patch(old.orgs, of(Org)),
            _patch(old.goals, of(Goal)),
            _patch(old.backlinks, {t: self._backlinks.get(t) for t in targets}),
            _patch(old.touches, {c: self._touches.get(c) for c in touched if c in contacts}),
        )
        if any(part is None for part in parts):
            return None
        return Model(
            pages=pages,
            contacts=contacts,
            interactions=parts[0],  # type: ignore[arg-type]
            orgs=parts[1],  # type: ignore[arg-type]
            goals=parts[2],  # type: ignore[arg-type]
            backlinks=parts[3],  # type: ignore[arg-type]
            touches=parts[4],  # type: ignore[arg-type]
            names=MappingProxyType(dict(self._names)) if self._renamed else old.names,
            assets=old.assets,
            problems=self._all_problems(),
        )

    def _model_anew(self) -> Model:
        """The model of every share, made from nothing."""
        shares = sorted(self._shares.items())
        pages = {path: share.page for path, share in shares}
        entries = [(path, share.entry) for path, share in shares if share.entry is not None]
        contacts = {path: e for path, e in entries if isinstance(e, Contact)}
        found = [(path, e) for path, e in entries if isinstance(e, Interaction)]
        found.sort(key=lambda kv: (kv[1].date or date.min, kv[0]))
        # Most notes have no problem: only those that have one are looked at again.
        having = {path for path, parsed in self._parsed.items() if parsed.problems}
        having |= {path for path, share in self._shares.items() if share.problems}
        self._problems = {
            path: self._note_problems(path) for path in having | self._failures.keys()
        }
        return Model(
            pages=MappingProxyType(pages),
            contacts=MappingProxyType(contacts),
            interactions=MappingProxyType(dict(found)),
            orgs=MappingProxyType({path: e for path, e in entries if isinstance(e, Org)}),
            goals=MappingProxyType({path: e for path, e in entries if isinstance(e, Goal)}),
            backlinks=MappingProxyType(dict(sorted(self._backlinks.items()))),
            touches=MappingProxyType(
                {c: t for c, t in sorted(self._touches.items()) if c in contacts}
            ),
            names=MappingProxyType(dict(self._names)),
            assets=MappingProxyType(self._attachments),
            problems=self._all_problems(),
        )


def _patch(old: Mapping[str, Any], values: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """`old` with `values` put in (None: not there), unless a key comes or goes: `old`
    itself when every value is the one there (what is kept is told by identity).
    """
    if any((value is None) == (key in old) for key, value in values.items()):
        return None
    put = {key: value for key, value in values.items() if value is not None}
    if all(old[key] is value for key, value in put.items()):
        return old
    found = old.copy() if isinstance(old, MappingProxyType) else dict(old)
    found.update(put)
    return MappingProxyType(found)


def _clash(path: str, line: int, written: str, winner: str) -> Problem:
    """The warning that a name a note claims is another note's."""
    return Problem(path, line, f"“{written}” also names {winner}: links to it go there", "warning")


def _claims(
    note: Note, kind: str, title: str, aliases: tuple[str, ...]
) -> Iterator[tuple[int, str, str, int]]:
    """The names a note is linked by, best first: (rank, folded name, as written, line)."""
    keys = [(0, note.path.rsplit(".", 1)[0], 1), (1, note.stem, 1)]
    if kind in ("contact", "org"):
        # People and organisations are linked by their name even when the file
        # is named otherwise (`ada-lovelace.md` with `name: Ada Lovelace`).
        keys.append((2, title, note.line_of("name")))
    keys += [(3, alias, note.line_of("aliases")) for alias in aliases]
    seen: set[str] = set()
    for rank, key, line in keys:
        folded = fold(key)
        if folded and folded not in seen:
            seen.add(folded)
            yield rank, folded, key, line


def _share(parsed: ParsedNote, head: Head, names: _Lookups, maker: ModelMaker) -> Share:
    """One note's page, record and problems, its links resolved in `names`."""
    note, body, tasks = maker._rekeyed(parsed.path, parsed.note), parsed.body, parsed.tasks
    kind, title = head.kind, head.title
    fields = _Fields(note, names)
    when = _note_date(fields, note, kind)
    problems = [] if note is parsed.note else list(_repeated_keys(parsed.note, maker._keys))
    entry: Contact | Interaction | Org | Goal | None = None
    if kind == "contact":
        entry = _contact(fields, title)
    elif kind == "interaction":
        entry = _interaction(fields, title, when, tasks, parsed.lead)
        if when is None:
            message = "an interaction needs a date: add `date:` or start the file name with one"
            problems.append(Problem(note.path, 1, message, "warning"))
    elif kind == "org":
        entry = Org(
            note.path,
            title,
            website=fields.text("website"),
            location=fields.text("location"),
            industry=fields.text("industry"),
            tags=fields.tags(),
        )
    elif kind == "goal":
        entry = _goal(fields, title)
    body_refs = _body_refs(body.links, note, names)
    meta_refs = _meta_refs(fields, note)
    tags = tuple(dict.fromkeys(fields.tags() + body.tags))
    # A contact's was read (and any problem with it said) with its other fields.
    snooze = entry.snooze_until if isinstance(entry, Contact) else fields.date("snooze_until")
    problems += fields.problems
    page = Page(
        path=note.path,
        kind=kind,
        title=title,
        aliases=head.aliases,
        tags=tags,
        date=when,
        refs=meta_refs + body_refs,
        tasks=tasks,
        note=parsed.note,
        body=body,
        keys=() if note is parsed.note else renamed(parsed.note, maker._keys),
        snooze_until=snooze,
    )
    problems += _broken_links(page)
    problems += _missing_attachments(page, maker._attachments)
    return Share(
        page,
        entry,
        tuple(problems),
        frozenset(names.seen),
        frozenset(r.target for r in page.refs if r.target and r.target != page.path),
        tuple(_touches(page, entry, maker.settings)),
    )


def _note_date(fields: _Fields, note: Note, kind: str) -> date | None:
    if "date" in note.meta:
        return fields.date("date")
    if kind == "interaction" or _DAILY.match(note.stem):
        return date_prefix(note.stem)
    return None


def _contact(fields: _Fields, name: str) -> Contact:
    cadence, given = fields.cadence()
    return Contact(
        path=fields.note.path,
        name=name,
        org=fields.ref("org"),
        role=fields.text("role", "title"),
        emails=fields.texts("email") + fields.texts("emails"),
        phones=fields.texts("phone") + fields.texts("phones"),
        linkedin=fields.text("linkedin"),
        website=fields.text("website"),
        location=fields.text("location"),
        tags=fields.tags(),
        circle=fields.text("circle").lower(),
        status=fields.text("status").lower(),
        cadence=cadence,
        cadence_given=given,
        how_met=fields.text("how_met"),
        met=fields.date("met"),
        referred_by=fields.ref("referred_by"),
        intro_via=fields.ref("intro_via"),
        last_contact=fields.date("last_contact"),
        follow_up=fields.date("follow_up"),
        follow_up_note=fields.text("follow_up_note"),
        follow_up_done=fields.flag("follow_up_done"),
        snooze_until=fields.date("snooze_until"),
        interests=fields.texts("interests"),
        offers=fields.texts("offers"),
        asks=fields.texts("asks"),
        birthday=fields.text("birthday"),
        source=fields.text("source").lower(),
        previous=fields.past_roles(),
    )


def _interaction(
    fields: _Fields, title: str, when: date | None, tasks: tuple[Task, ...], lead: str = ""
) -> Interaction:
    """The interaction a note is; `lead` is its body's first words (`ParsedNote.lead`)."""
    sent, sent_on = _thank_you(fields)
    with_ = fields.refs("with")
    thanks = [t for t in tasks if thanks_task(t, with_, fields.names)]
    # Ticking the note's thank-you task says it was sent, as `thank_you:` does.
    sent = sent or (bool(thanks) and all(t.done for t in thanks))
    direction = fields.direction()
    # A message's first words are shown in lists of replies owed and awaited.
    summary = fields.text("summary")
    lead = (first_words(summary) if summary else lead) if direction else ""
    return Interaction(
        path=fields.note.path,
        title=title,
        date=when,
        type=fields.text("type").lower(),
        with_=with_,
        org=fields.ref("org"),
        follow_up=fields.date("follow_up"),
        thank_you=sent,
        thank_you_date=sent_on,
        thank_you_tasks=tuple(t.line for t in thanks if not t.done),
        referred_by=fields.ref("referred_by"),
        referrals=fields.refs("referrals"),
        air=fields.texts("air"),
        gave=fields.texts("gave"),
        tags=fields.tags(),
        direction=direction,
        # `replied: true`, or the date of the reply.
        replied=fields.flag("replied")
        or bool(re.match(r"\d{4}-\d\d-\d\d", fields.text("replied"))),
        lead=lead,
    )


def _goal(fields: _Fields, title: str) -> Goal:
    targets = fields.refs("targets") + fields.refs("orgs") + fields.refs("target_orgs")
    return Goal(
        fields.note.path,
        title,
        fields.text("status"),
        targets,
        fields=_phrases(fields, "fields", "field"),
        roles=_phrases(fields, "roles", "role"),
    )


def _phrases(fields: _Fields, *keys: str) -> tuple[str, ...]:
    """Short texts from a list, or from one comma-separated line; `[[links]]` as their names."""
    out: list[str] = []
    for key in keys:
        for value in fields.texts(key):
            # `roles: Data analyst, Analytics engineer` is a list written on one line.
            for item in re.split(r"[,;]", value):
                text = link_target(item)
                if text and fold(text) not in map(fold, out):
                    out.append(text)
    return tuple(out)


def _thank_you(fields: _Fields) -> tuple[bool, date | None]:
    """Whether a thank-you was sent, and when: `thank_you: 2026-11-21` or `true`."""
    value = fields.note.meta.get("thank_you")
    if isinstance(value, date):
        return True, fields.date("thank_you")
    if isinstance(value, str) and re.match(r"\d{4}-", value.strip()):
        sent_on = fields.date("thank_you")
        return sent_on is not None, sent_on
    return fields.flag("thank_you"), None


_THANKS = re.compile(r"\bthank(?:s|ed|ing|you)?\b", re.IGNORECASE)


def thanks_task(task: Task, met: tuple[Ref, ...], names: Mapping[str, str]) -> bool:
    """Whether a task of an interaction's note is its thank-you: the task mentions thanks
    (thank, thanks, thank-you, thank you) and links nobody but the people `met`.

    "Thank [[Jonah]] for the intro", in the note of a meeting Jonah was not at, is
    someone else's thank-you, and an ordinary task.
    """
    if _THANKS.search(task.text) is None:
        return False
    paths = {r.target for r in met if r.target}
    texts = {fold(r.text) for r in met}
    return all(resolve_name(names, name) in paths or fold(name) in texts for name in task.links)


_LINK_FIELDS = (
    "with",
    "org",
    "referred_by",
    "intro_via",
    "referrals",
    "targets",
    "orgs",
    "target_orgs",
    "related",
    "categories",
)


_NAME_FIELDS = frozenset({"org", "targets", "orgs", "target_orgs"})


def _meta_refs(fields: _Fields, note: Note) -> tuple[Ref, ...]:
    """Links written in front matter: the link fields, and any `[[…]]` in other values."""
    out: list[Ref] = []
    for key in note.meta:
        if key in _LINK_FIELDS and key != "categories":
            # An organisation or a goal's target may be a name with no note: not a broken link.
            out += [r for r in fields.refs(key) if key not in _NAME_FIELDS or r.target]
        elif key != "categories":
            for value in fields.texts(key):
                for written in _ANY_WIKILINK.findall(value):
                    name = link_target(written)
                    out.append(Ref(name, resolve_name(fields.names, name), note.line_of(key)))
    return tuple(out)


def _body_refs(
    links: tuple[WikiLink, ...], note: Note, names: Mapping[str, str]
) -> tuple[Ref, ...]:
    """Wikilinks in the body that point at notes (embedded images are attachments)."""
    out: list[Ref] = []
    for link in links:
        if not link.target or _is_file_embed(link):
            # `[[#Heading]]` points into the same note; embedded files are attachments.
            continue
        name = sys.intern(link.target)  # a name links from many notes
        out.append(Ref(name, resolve_name(names, name), note.body_line + link.line))
    return tuple(out)


def _broken_links(page: Page) -> list[Problem]:
    """Links of `page` to names no note has."""
    problems: list[Problem] = []
    for ref in page.refs:
        if ref.target is None:
            message = f"link to “{ref.text}”, which no note has as name or alias"
            problems.append(Problem(page.path, ref.line, message, "warning"))
    return problems


def _missing_attachments(page: Page, assets: Mapping[str, str]) -> list[Problem]:
    """Files `page` embeds (`![[photo.png]]`) that are not in the vault."""
    problems: list[Problem] = []
    for link in page.body.links:
        if not _is_file_embed(link) or resolve_asset(assets, link.target):
            continue
        message = f"embeds “{link.target}”, which is not in the vault"
        problems.append(Problem(page.path, page.note.body_line + link.line, message, "warning"))
    return problems


def _is_file_embed(link: WikiLink) -> bool:
    """`![[photo.png]]` embeds a file; `![[Note]]` embeds (links) a note."""
    return link.embed and bool(_FILE_SUFFIX.search(link.target))


def _touches(
    page: Page, entry: Contact | Interaction | Org | Goal | None, settings: Settings
) -> Iterator[tuple[str, Touch]]:
    """The dated mentions a note makes, of notes that may be contacts: (contact, touch).

    Interactions always touch whom they were with; other dated notes (daily notes)
    touch whom they link to, if the settings say so.
    """
    if isinstance(entry, Interaction):
        if entry.date is not None:
            for path in entry.contacts:
                yield path, Touch(entry.date, page.path, True)
    elif settings.dated_notes_are_touches and page.kind != "contact" and page.date is not None:
        for ref in page.refs:
            if ref.target:
                yield ref.target, Touch(page.date, page.path, False)
