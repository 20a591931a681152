"""Notes → contacts, interactions, orgs and goals, with the links among them.

The model knows nothing of "today": everything date-relative is the follow-up
rules' business, so the same notes always give the same model.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import field
from datetime import date, datetime, timedelta
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import Any

from .config import Settings
from .dates import DateError, date_prefix, parse_date, parse_duration
from .markdown import ParsedBody, WikiLink
from .notes import ParsedNote, parse
from .problems import Problem
from .records import record
from .tasks import Task
from .text import clean, fold
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
    note: Note
    body: ParsedBody


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
    thank_you: bool = False  # a thank-you was sent
    thank_you_date: date | None = None
    referred_by: Ref | None = None
    referrals: tuple[Ref, ...] = ()
    air: tuple[str, ...] = ()
    gave: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

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

    def title(self, path: str) -> str:
        """The title of the note at `path`."""
        return self.pages[path].title


# ---------------------------------------------------------------------------
# The name index


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


def _build_names(
    notes: Iterable[tuple[Note, str, str, tuple[str, ...]]],
) -> tuple[dict[str, str], list[Problem]]:
    """Name index: path, file name, title and aliases (folded) → path, with clashes."""
    claims: dict[str, list[tuple[int, str, str, int]]] = {}
    for note, kind, title, aliases in notes:
        path_key = note.path.rsplit(".", 1)[0]
        keys = [(0, path_key, 1), (1, note.stem, 1)]
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
                claims.setdefault(folded, []).append((rank, note.path, key, line))
    names: dict[str, str] = {}
    problems: list[Problem] = []
    for key, owners in claims.items():
        owners.sort()
        names[key] = owners[0][1]
        if len(owners) > 1 and owners[0][0] > 0:
            winner = owners[0][1]
            for _rank, path, written, line in owners[1:]:
                message = f"“{written}” also names {winner}: links to it go there"
                problems.append(Problem(path, line, message, "warning"))
    return names, problems


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
    value = note.meta.get("aliases", note.meta.get("alias"))
    items = value if isinstance(value, list) else [value] if value else []
    return tuple(clean(str(v)).strip() for v in items if v is not None and str(v).strip())


def build_model(
    notes: Iterable[Note | ParsedNote], settings: Settings, assets: Iterable[str] = ()
) -> Model:
    """The model of a vault from its notes (parsed or not) and attachment paths.

    Problems are collected, never raised: a bad note is reported and the rest stand.
    """
    parsed = sorted(
        (n if isinstance(n, ParsedNote) else parse(n, settings.allow_html) for n in notes),
        key=lambda n: n.path,
    )
    problems: list[Problem] = [p for n in parsed for p in n.problems]
    usable = [n for n in parsed if n.note.readable]
    kinds = {n.path: note_kind(n.note, settings) for n in usable}
    heads = [(n, kinds[n.path], _title(n.note, kinds[n.path]), _aliases(n.note)) for n in usable]
    names, clashes = _build_names((n.note, *rest) for n, *rest in heads)
    problems += clashes
    attachments = asset_index(assets)

    pages: dict[str, Page] = {}
    contacts: dict[str, Contact] = {}
    interactions: dict[str, Interaction] = {}
    orgs: dict[str, Org] = {}
    goals: dict[str, Goal] = {}
    for parsed_note, kind, title, aliases in heads:
        note, body, tasks = parsed_note.note, parsed_note.body, parsed_note.tasks
        fields = _Fields(note, names)
        when = _note_date(fields, note, kind)
        if kind == "contact":
            contacts[note.path] = _contact(fields, title)
        elif kind == "interaction":
            interaction = _interaction(fields, title, when)
            interactions[note.path] = interaction
            if when is None:
                message = "an interaction needs a date: add `date:` or start the file name with one"
                problems.append(Problem(note.path, 1, message, "warning"))
        elif kind == "org":
            orgs[note.path] = Org(
                note.path,
                title,
                website=fields.text("website", "url"),
                location=fields.text("location"),
                industry=fields.text("industry"),
                tags=fields.tags(),
            )
        elif kind == "goal":
            goals[note.path] = _goal(fields, title)
        body_refs = _body_refs(body.links, note, names)
        meta_refs = _meta_refs(fields, note)
        tags = tuple(dict.fromkeys(fields.tags() + body.tags))
        problems += fields.problems
        pages[note.path] = Page(
            path=note.path,
            kind=kind,
            title=title,
            aliases=aliases,
            tags=tags,
            date=when,
            refs=meta_refs + body_refs,
            tasks=tasks,
            note=note,
            body=body,
        )
    problems += _broken_links(pages)
    problems += _missing_attachments(pages, attachments)
    ordered = dict(sorted(interactions.items(), key=lambda kv: (kv[1].date or date.min, kv[0])))
    return Model(
        pages=MappingProxyType(pages),
        contacts=MappingProxyType(contacts),
        interactions=MappingProxyType(ordered),
        orgs=MappingProxyType(orgs),
        goals=MappingProxyType(goals),
        backlinks=MappingProxyType(_backlinks(pages)),
        touches=MappingProxyType(_touches(pages, ordered, contacts, settings)),
        names=MappingProxyType(names),
        assets=MappingProxyType(attachments),
        problems=tuple(problems),
    )


def _note_date(fields: _Fields, note: Note, kind: str) -> date | None:
    if "date" in note.meta:
        return fields.date("date")
    if kind == "interaction" or _DAILY.match(note.stem):
        return date_prefix(note.stem)
    return None


def _contact(fields: _Fields, name: str) -> Contact:
    cadence, given = fields.cadence()
    org = fields.ref("org") or fields.ref("company")
    return Contact(
        path=fields.note.path,
        name=name,
        org=org,
        role=fields.text("role", "title", "position"),
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


def _interaction(fields: _Fields, title: str, when: date | None) -> Interaction:
    sent, sent_on = _thank_you(fields)
    return Interaction(
        path=fields.note.path,
        title=title,
        date=when,
        type=fields.text("type").lower(),
        with_=fields.refs("with"),
        org=fields.ref("org"),
        follow_up=fields.date("follow_up"),
        thank_you=sent,
        thank_you_date=sent_on,
        referred_by=fields.ref("referred_by"),
        referrals=fields.refs("referrals"),
        air=fields.texts("air"),
        gave=fields.texts("gave"),
        tags=fields.tags(),
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
    key = "thank_you" if "thank_you" in fields.note.meta else "thank_you_sent"
    value = fields.note.meta.get(key)
    if isinstance(value, date):
        return True, fields.date(key)
    if isinstance(value, str) and re.match(r"\d{4}-", value.strip()):
        sent_on = fields.date(key)
        return sent_on is not None, sent_on
    return fields.flag(key), None


_LINK_FIELDS = (
    "with",
    "org",
    "company",
    "referred_by",
    "intro_via",
    "referrals",
    "targets",
    "orgs",
    "target_orgs",
    "related",
    "categories",
)


_NAME_FIELDS = frozenset({"org", "company", "targets", "orgs", "target_orgs"})


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


def _broken_links(pages: Mapping[str, Page]) -> list[Problem]:
    problems: list[Problem] = []
    for page in pages.values():
        for ref in page.refs:
            if ref.target is None:
                message = f"link to “{ref.text}”, which no note has as name or alias"
                problems.append(Problem(page.path, ref.line, message, "warning"))
    return problems


def _missing_attachments(pages: Mapping[str, Page], assets: Mapping[str, str]) -> list[Problem]:
    """Embedded files (`![[photo.png]]`) that are not in the vault."""
    problems: list[Problem] = []
    for page in pages.values():
        for link in page.body.links:
            if not _is_file_embed(link) or resolve_asset(assets, link.target):
                continue
            message = f"embeds “{link.target}”, which is not in the vault"
            problems.append(Problem(page.path, page.note.body_line + link.line, message, "warning"))
    return problems


def _is_file_embed(link: WikiLink) -> bool:
    """`![[photo.png]]` embeds a file; `![[Note]]` embeds (links) a note."""
    return link.embed and bool(_FILE_SUFFIX.search(link.target))


def _backlinks(pages: Mapping[str, Page]) -> dict[str, tuple[str, ...]]:
    found: dict[str, set[str]] = {}
    for page in pages.values():
        for ref in page.refs:
            if ref.target and ref.target != page.path:
                found.setdefault(ref.target, set()).add(page.path)
    return {path: tuple(sorted(sources)) for path, sources in sorted(found.items())}


def _touches(
    pages: Mapping[str, Page],
    interactions: Mapping[str, Interaction],
    contacts: Mapping[str, Contact],
    settings: Settings,
) -> dict[str, tuple[Touch, ...]]:
    """Every dated mention of each contact: interactions always, dated notes if enabled."""
    found: dict[str, set[Touch]] = {}
    for interaction in interactions.values():
        if interaction.date is None:
            continue
        for path in interaction.contacts:
            if path in contacts:
                found.setdefault(path, set()).add(Touch(interaction.date, interaction.path, True))
    if settings.dated_notes_are_touches:
        for page in pages.values():
            if page.kind in ("interaction", "contact") or page.date is None:
                continue
            for ref in page.refs:
                if ref.target in contacts:
                    found.setdefault(ref.target, set()).add(Touch(page.date, page.path, False))
    return {
        path: tuple(sorted(touches, key=lambda t: (t.date, t.path)))
        for path, touches in found.items()
    }
