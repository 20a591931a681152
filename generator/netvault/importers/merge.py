"""Matching imported contacts with the vault's, and planning what to write: never losing.

A row matches an existing contact by LinkedIn profile, then e-mail, then exact name
or alias. A new contact gets a new note with a safe, readable, unique file name.
An existing contact gets only its empty fields filled: every value the user set
stays, and one that differs from the file is a conflict, reported and not written.

One exception, for LinkedIn: a contact whose organisation and role are still what
an earlier LinkedIn import wrote (kept in `linkedin_role`) and whose new export
says otherwise has changed jobs. The old role goes to the note's `previous` list
and the new one is written; `followups.py` then raises "congratulate them".

Planning is pure: the vault's notes come in as the model and a function that
reads a note's text; `apply.py` writes the plan.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from ..config import Settings
from ..frontmatter import EditError, dump, set_fields
from ..model import KeyNames, Model
from ..problems import Problem
from ..records import record
from ..text import fold
from ..vault import parse_note
from . import Incoming

NAME_MAX = 80  # characters of a new note's file name, before ".md"
# Names Windows will not give a file, whatever the extension.
_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10)]
)
_UNSAFE = re.compile(r'[\\/:*?"<>|#^\[\]\x00-\x1f\x7f]')  # files, and Obsidian's link syntax
# The fields the value of an imported field may be in, first the one written. A note's
# keys are matched to fields as the model matches them (`model.KeyNames`): `Company:` and
# `organization:` are `org`, `E-mail:` is `email`.
KEYS = {
    "org": ("org",),
    "role": ("role", "title"),
    "email": ("email", "emails"),
    "phone": ("phone", "phones"),
}
LISTS = ("email", "phone", "tags")
JOB = ("org", "role")
JOB_RECORD = "linkedin_role"  # the organisation and role as a LinkedIn import last wrote them


@record
class Defaults:
    """What a new imported contact gets besides what the file says (from the settings)."""

    folder: str = "contacts"
    circle: str = ""
    cadence: str = ""


@record
class Created:
    """A new note to write."""

    path: str
    text: str
    incoming: Incoming


@record
class Updated:
    """An existing note with fields to fill (and, for a job change, to replace)."""

    path: str
    before: str  # the note's text when planned: it is written only if still so
    text: str
    fields: tuple[str, ...]  # the fields written
    incoming: Incoming
    job_change: str = ""  # "Acme, Engineer → Initech, CTO" when the role changed


@record
class Conflict:
    """A field the file gives a value that differs from what the note says: not written."""

    path: str
    field: str
    ours: str
    theirs: str
    line: int  # the row of the file


@record
class Plan:
    """Everything an import would do, for `--dry-run` to show and `apply` to write."""

    created: tuple[Created, ...] = ()
    updated: tuple[Updated, ...] = ()
    unchanged: tuple[str, ...] = ()  # notes matched that need nothing
    conflicts: tuple[Conflict, ...] = ()
    problems: tuple[Problem, ...] = ()


def plan_import(
    model: Model,
    read: Callable[[str], str],
    incoming: Iterable[Incoming],
    *,
    source: str,
    today: date,
    taken: Collection[str] = (),
    defaults: Defaults | None = None,
    path: str = "",
    properties: Mapping[str, Iterable[str]] | None = None,
) -> Plan:
    """Match each contact of an export file with the vault's and plan what to write.

    `read` gives an existing note's text by its vault-relative path; `taken` are
    the vault's file paths (a new note's name must not clash with any, in any
    case); `path` is the export file's name, for problems; `properties` the other
    names of fields (the settings' `[properties]`).
    """
    index = _Index(model)
    taken_keys = {p.casefold() for p in taken}
    names = KeyNames(Settings().properties if properties is None else properties)
    planned = _Planner(read, source, today, taken_keys, defaults or Defaults(), path, names)
    for contact in incoming:
        found = index.match(contact)
        if isinstance(found, Problem):
            planned.problems.append(found)
            continue
        if found is None:
            index.add(planned.create(contact), contact)
        else:
            planned.update(found, contact)
    return planned.plan()


class _Index:
    """The vault's contacts by LinkedIn profile, e-mail and name, and those planned since."""

    def __init__(self, model: Model) -> None:
        self.linkedin: dict[str, str] = {}
        self.email: dict[str, str] = {}
        self.name: dict[str, list[str]] = {}
        self.profile: dict[str, str] = {}  # path → its LinkedIn profile, to tell namesakes apart
        for path, contact in model.contacts.items():
            aliases = model.pages[path].aliases if path in model.pages else ()
            self._add(path, contact.name, aliases, contact.linkedin, contact.emails)

    def _add(
        self,
        path: str,
        name: str,
        aliases: Iterable[str],
        linkedin: str,
        emails: Iterable[str],
    ) -> None:
        profile = linkedin_key(linkedin)
        if profile:
            self.linkedin.setdefault(profile, path)
            self.profile[path] = profile
        for email in emails:
            self.email.setdefault(email.strip().casefold(), path)
        for key in {fold(name), *(fold(a) for a in aliases)} - {""}:
            self.name.setdefault(key, []).append(path)

    def add(self, path: str, contact: Incoming) -> None:
        """Know a contact planned in this import, so that a second row of it matches."""
        fields = contact.fields
        self._add(path, contact.name, (), fields.get("linkedin", ""), fields.get("email", ()))

    def match(self, contact: Incoming) -> str | Problem | None:
        """The path of the contact this row is, None for a new one, or why it cannot tell."""
        profile = linkedin_key(contact.fields.get("linkedin", ""))
        if profile in self.linkedin:
            return self.linkedin[profile]
        for email in contact.fields.get("email", ()):
            if email.strip().casefold() in self.email:
                return self.email[email.strip().casefold()]
        # A namesake with another LinkedIn profile is another person.
        named = [
            p
            for p in self.name.get(fold(contact.name), [])
            if not profile or not self.profile.get(p)
        ]
        if len(named) > 1:
            names = ", ".join(sorted(named))
            message = f"{contact.name} matches several contacts ({names}): left for you to merge"
            return Problem("", contact.line, message, "warning")
        return named[0] if named else None


class _Planner:
    """The plan as it grows, row by row."""

    def __init__(
        self,
        read: Callable[[str], str],
        source: str,
        today: date,
        taken: set[str],
        defaults: Defaults,
        path: str,
        names: KeyNames,
    ) -> None:
        self.read = read
        self.names = names
        self.source = source
        self.today = today
        self.taken = taken
        self.defaults = defaults
        self.path = path
        self.created: dict[str, Created] = {}
        self.updated: dict[str, Updated] = {}
        self.unchanged: list[str] = []
        self.conflicts: list[Conflict] = []
        self.problems: list[Problem] = []

    def plan(self) -> Plan:
        """The plan so far, with problems naming the export file."""
        unchanged = [p for p in dict.fromkeys(self.unchanged) if p not in self.updated]
        return Plan(
            tuple(self.created.values()),
            tuple(self.updated.values()),
            tuple(p for p in unchanged if p not in self.created),
            tuple(self.conflicts),
            tuple(_named(p, self.path) for p in self.problems),
        )

    def create(self, contact: Incoming) -> str:
        """Plan a new note for `contact`; its path."""
        path = self._free_path(contact.name)
        values: dict[str, Any] = {}
        if PurePosixPath(path).stem != contact.name:
            values["name"] = contact.name
        for key, value in contact.fields.items():
            if key not in ("name", "source"):
                values[key] = _single(key, value)
        if self.defaults.circle:
            values["circle"] = self.defaults.circle
        if self.defaults.cadence:
            values["cadence"] = self.defaults.cadence
        values["source"] = self.source
        if self.source == "linkedin" and any(k in contact.fields for k in JOB):
            values[JOB_RECORD] = {k: contact.fields[k] for k in JOB if k in contact.fields}
        body = contact.note.strip()
        text = "---\n" + dump(values) + "---\n" + (f"{body}\n" if body else "")
        self.created[path] = Created(path, text, contact)
        return path

    def _free_path(self, name: str) -> str:
        """A file name for a new contact: safe, readable, and free in any case."""
        stem = safe_stem(name)
        folder = self.defaults.folder.strip("/")
        prefix = f"{folder}/" if folder else ""
        number = 1
        while True:
            path = f"{prefix}{stem}{f' {number}' if number > 1 else ''}.md"
            if path.casefold() not in self.taken:
                self.taken.add(path.casefold())
                return path
            number += 1

    def update(self, path: str, contact: Incoming) -> None:
        """Plan what `contact` fills in the note at `path` (or a note planned before)."""
        if path in self.created:
            known = self.created[path]
            text, before = known.text, None
        else:
            known_update = self.updated.get(path)
            before = known_update.before if known_update else self.read(path)
            text = known_update.text if known_update else before
        meta = _fielded(parse_note(path, text).meta, self.names)
        fill: dict[str, Any] = {}
        for key, value in contact.fields.items():
            if key in ("name", "source", *JOB):
                continue
            ours = _current(meta, key)
            if _empty(ours):
                fill[key] = _single(key, value)
            elif not _same(key, ours, value):
                self.conflicts.append(
                    Conflict(path, key, _shown(ours), _shown(value), contact.line)
                )
        change = self._job(path, meta, contact, fill)
        if not fill:
            self.unchanged.append(path)
            return
        try:
            edited = set_fields(text, _keys_in(meta, fill))
        except EditError as exc:
            message = f"{path}: not updated, {exc}"
            self.problems.append(Problem("", contact.line, message, "warning"))
            return
        if before is None:
            self.created[path] = Created(path, edited, self.created[path].incoming)
            return
        done = self.updated.get(path)
        fields = tuple(dict.fromkeys([*(done.fields if done else ()), *fill]))
        change = change or (done.job_change if done else "")
        self.updated[path] = Updated(path, before, edited, fields, contact, change)

    def _job(self, path: str, meta: Mapping[str, Any], contact: Incoming, fill: dict) -> str:
        """Plan the organisation and role from the file; words for a job change, else ""."""
        theirs = {k: contact.fields[k] for k in JOB if k in contact.fields}
        ours = {k: _current(meta, k) for k in JOB}
        differs = [k for k in theirs if not _empty(ours[k]) and not _same(k, ours[k], theirs[k])]
        recorded = _value(meta, JOB_RECORD)
        if (
            differs
            and self.source == "linkedin"
            and isinstance(recorded, Mapping)
            and all(_same(k, ours[k], recorded.get(k)) or _empty(ours[k]) for k in JOB)
        ):
            # Still what LinkedIn said last time: the person changed jobs, not the user.
            was = {k: ours[k] for k in JOB if not _empty(ours[k])}
            previous = list(_value(meta, "previous") or [])
            previous.append({**was, "until": self.today})
            fill.update(theirs)
            fill["previous"] = previous
            fill[JOB_RECORD] = theirs
            return f"{_job_words(was)} → {_job_words(theirs)}"
        for key in differs:
            self.conflicts.append(
                Conflict(path, key, _shown(ours[key]), _shown(theirs[key]), contact.line)
            )
        empty = {k: v for k, v in theirs.items() if _empty(ours[k])}
        fill.update(empty)
        if empty and self.source == "linkedin":
            fill[JOB_RECORD] = {**(recorded if isinstance(recorded, Mapping) else {}), **empty}
        return ""


def linkedin_key(value: str) -> str:
    """A LinkedIn profile as a key: `linkedin.com/in/ada-lovelace`, whatever URL form it had."""
    value = value.strip()
    if not value:
        return ""
    if "linkedin.com" not in value.casefold():
        handle = value.strip("/").rsplit("/", 1)[-1]
        return f"linkedin.com/in/{handle.casefold()}"
    rest = re.sub(r"^[a-z]+://", "", value.casefold())
    rest = re.sub(r"^([a-z]{2,3}|www|m)\.linkedin\.com", "linkedin.com", rest)
    return re.split(r"[?#]", rest)[0].rstrip("/")


def safe_stem(name: str) -> str:
    """A file name (without .md) for a contact: the name, without what file systems refuse.

    Letters of every script stay; emoji and symbols, slashes, colons and Obsidian's
    link characters go; very long names are cut at a word.
    """
    kept = "".join(
        " " if _UNSAFE.match(ch) else ch
        for ch in unicodedata.normalize("NFC", name)
        if unicodedata.category(ch) not in ("So", "Sk", "Cs", "Co", "Cn", "Cf")
    )
    stem = " ".join(kept.split()).strip(" .")
    if len(stem) > NAME_MAX:
        cut = stem[:NAME_MAX]
        stem = (cut.rsplit(" ", 1)[0] if " " in cut else cut).strip(" .")
    if not stem:
        return "Contact"
    if stem.split(".")[0].casefold() in _RESERVED:
        return f"{stem} (contact)"
    return stem


@record
class _Field:
    """A front-matter value, and the key the note writes it under."""

    key: str
    value: Any


def _fielded(meta: Mapping[str, Any], names: KeyNames) -> dict[str, Any]:
    """A note's front matter by the field each key sets, as the model reads it: values as
    `_Field`s, for the key written; the first key of a field wins.
    """
    out: dict[str, Any] = {}
    for key, value in meta.items():
        out.setdefault(names.field(key), _Field(key, value))
    return out


def _value(meta: Mapping[str, Any], key: str) -> Any:
    """The value of field `key` in a `_fielded` note (a plain mapping's, too)."""
    found = meta.get(key)
    return found.value if isinstance(found, _Field) else found


def _current(meta: Mapping[str, Any], key: str) -> Any:
    """A field's value in a note, under any of the keys it may be written as."""
    values = [_value(meta, k) for k in KEYS.get(key, (key,)) if not _empty(_value(meta, k))]
    if key in LISTS:
        return [v for value in values for v in (value if isinstance(value, list) else [value])]
    return values[0] if values else None


def _keys_in(meta: Mapping[str, Any], fill: Mapping[str, Any]) -> dict[str, Any]:
    """`fill` under the keys the note already uses (`Company:` for an organisation, say)."""
    out: dict[str, Any] = {}
    for key, value in fill.items():
        used = [meta[k] for k in KEYS.get(key, (key,)) if k in meta]
        out[used[0].key if used and isinstance(used[0], _Field) else key] = value
    return out


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _single(key: str, value: Any) -> Any:
    """A value as written into a note: one e-mail or phone as text, several as a list."""
    if key in ("email", "phone") and isinstance(value, list) and len(value) == 1:
        return value[0]
    return value


def _same(key: str, ours: Any, theirs: Any) -> bool:
    """Whether the note already says what the file says (a list: all of the file's items)."""
    if key in LISTS:
        mine = {_key(key, v) for v in (ours if isinstance(ours, list) else [ours])}
        return {_key(key, v) for v in (theirs if isinstance(theirs, list) else [theirs])} <= mine
    return _key(key, ours) == _key(key, theirs)


def _key(key: str, value: Any) -> str:
    """A value as compared: links to their names, phones to their digits, text folded."""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value if value is not None else "")
    if key == "phone":
        return re.sub(r"[^\d+]", "", text)
    if key == "linkedin":
        return linkedin_key(text)
    link = re.fullmatch(r"\s*\[\[([^\]|#]*)(?:[#|][^\]]*)?\]\]\s*", text)
    return fold(link[1] if link else text)


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _job_words(job: Mapping[str, Any]) -> str:
    return ", ".join(str(job[k]) for k in JOB if not _empty(job.get(k))) or "no role"


def _named(problem: Problem, path: str) -> Problem:
    """A problem found planning, named after the export file."""
    return Problem(path or problem.path, problem.line, problem.message, problem.level)
