"""Settings from `netvault.toml`, with defaults and validation."""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Iterable
from dataclasses import field, fields, replace
from datetime import timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .dates import DateError, parse_duration
from .problems import Problem
from .records import record
from .text import fold_key

CONFIG_NAME = "netvault.toml"
KINDS = ("contact", "interaction", "org", "goal")
# Every front-matter field the model reads, by netvault's name for it. A key is
# matched in any case and with or without spaces, `-` and `_` (`Follow Up` is
# `follow_up`), and through the other names `[properties]` gives each field.
PROPERTY_FIELDS = (
    *("type", "categories", "name", "title", "aliases", "date", "tags", "related"),
    *("org", "role", "email", "emails", "phone", "phones", "linkedin", "website"),
    *("location", "circle", "status", "cadence", "how_met", "met", "referred_by"),
    *("intro_via", "last_contact", "follow_up", "follow_up_note", "follow_up_done"),
    *("snooze_until", "interests", "offers", "asks", "birthday", "source", "previous"),
    *("with", "referrals", "air", "gave", "thank_you", "industry"),
    *("direction", "replied", "summary"),
    *("targets", "orgs", "target_orgs", "fields", "field", "roles"),
)
# The other names a field may be written as, by default (Obsidian CRM vaults
# write a meeting's attendees `people:`, a person's organisation `company:`).
_PROPERTY_NAMES: dict[str, tuple[str, ...]] = {
    "with": ("people", "attendees", "participants", "contacts"),
    "org": ("company", "organisation", "organization", "employer"),
    "role": ("position", "job title"),
    "email": ("mail", "email address"),
    "phone": ("phone number", "tel", "telephone", "mobile"),
    "linkedin": ("linkedin url", "linkedin profile"),
    "website": ("url", "homepage"),
    "date": ("day", "meeting date"),
    "name": ("full name",),
    "aliases": ("alias",),
    "tags": ("tag",),
    "categories": ("category",),
    "thank_you": ("thank you sent",),
    "location": ("city",),
    "birthday": ("birthdate", "date of birth"),
}


def _frozen(mapping: dict[str, Any]) -> MappingProxyType[str, Any]:
    return MappingProxyType(dict(mapping))


@record
class Settings:
    """Every setting netvault reads; each has a default, so the file is optional."""

    title: str = "My network"
    theme: str = "default"
    allow_html: bool = False
    rows_per_group: int = 10
    recent_days: int = 14
    soon_days: int = 7
    # Follow-ups overdue by more than this many days are long overdue: Today counts
    # them by kind instead of listing them (the longest of the rules' own look-backs).
    overdue_lookback_days: int = 60
    dated_notes_are_touches: bool = True
    # Folder (lower-cased) → note kind.
    folders: MappingProxyType[str, str] = field(
        default_factory=lambda: _frozen(
            {
                "contacts": "contact",
                "people": "contact",
                "interactions": "interaction",
                "meetings": "interaction",
                "orgs": "org",
                "organisations": "org",
                "organizations": "org",
                "companies": "org",
                "goals": "goal",
            }
        )
    )
    default_cadence: timedelta | None = None
    circle_cadence: MappingProxyType[str, timedelta | None] = field(
        default_factory=lambda: _frozen(
            {
                "inner": timedelta(days=30),
                "close": timedelta(days=30),
                "active": timedelta(days=60),
                "network": timedelta(days=90),
                "casual": timedelta(days=180),
                "acquaintance": timedelta(days=365),
                "follow": None,
            }
        )
    )
    tag_cadence: MappingProxyType[str, timedelta | None] = field(
        default_factory=lambda: _frozen({})
    )
    # Order of circles from closest to farthest; the Today page lists closer first.
    circle_order: tuple[str, ...] = (
        "inner",
        "close",
        "active",
        "network",
        "casual",
        "acquaintance",
    )
    thank_you_days: MappingProxyType[str, int] = field(
        default_factory=lambda: _frozen(
            {"informational-interview": 1, "coffee": 1, "intro": 1, "interview": 2}
        )
    )
    thank_you_lookback_days: int = 14
    loop_after_days: int = 7
    loop_lookback_days: int = 60
    new_connection_after_days: int = 7
    new_connection_lookback_days: int = 30
    # Imports: what a new imported contact gets, and whether it is kept in touch
    # with before a first interaction (3,000 LinkedIn connections must not flood Today).
    import_circle: str = ""
    import_cadence: str = ""  # as written in a note: "90d"
    import_keep_in_touch: bool = False
    new_role_lookback_days: int = 30  # how long a job change found by an import is news
    # Messages: a reply is due this many days after they wrote; older ones are not shown.
    reply_after_days: int = 2
    reply_lookback_days: int = 30
    # How a link opens a note to edit: "obsidian", "vscode", "none", or a URL template
    # (`EDITOR_FIELDS`); "auto", as parsed, is made one of the first two by `load_settings`.
    editor: str = "auto"
    # Front-matter field → the other names it may be written as.
    properties: MappingProxyType[str, tuple[str, ...]] = field(
        default_factory=lambda: _frozen(_PROPERTY_NAMES)
    )


# The TOML layout: table → {toml key: (Settings field, converter name)}.
_LAYOUT: dict[str, dict[str, tuple[str, str]]] = {
    "site": {
        "title": ("title", "str"),
        "theme": ("theme", "str"),
        "allow_html": ("allow_html", "bool"),
        "rows_per_group": ("rows_per_group", "count"),
        "recent_days": ("recent_days", "count"),
    },
    "followups": {
        "soon_days": ("soon_days", "count"),
        "lookback_days": ("overdue_lookback_days", "count"),
        "dated_notes_are_touches": ("dated_notes_are_touches", "bool"),
    },
    "cadence": {
        "default": ("default_cadence", "duration"),
        "circles": ("circle_cadence", "durations"),
        "tags": ("tag_cadence", "durations"),
        "circle_order": ("circle_order", "names"),
    },
    "thank_you": {
        "types": ("thank_you_days", "counts"),
        "lookback_days": ("thank_you_lookback_days", "count"),
    },
    "close_the_loop": {
        "after_days": ("loop_after_days", "count"),
        "lookback_days": ("loop_lookback_days", "count"),
    },
    "new_connection": {
        "after_days": ("new_connection_after_days", "count"),
        "lookback_days": ("new_connection_lookback_days", "count"),
    },
    "import": {
        "circle": ("import_circle", "str"),
        "cadence": ("import_cadence", "duration text"),
        "keep_in_touch_before_first_interaction": ("import_keep_in_touch", "bool"),
    },
    "new_role": {
        "lookback_days": ("new_role_lookback_days", "count"),
    },
    "replies": {
        "after_days": ("reply_after_days", "count"),
        "lookback_days": ("reply_lookback_days", "count"),
    },
    "links": {
        "editor": ("editor", "editor"),
    },
}
# The editors a link can open a note in by name, as URL templates. In a template,
# {path} is the note's absolute path (with forward slashes, starting with `/`),
# {line} the line to go to, {vault} the vault's folder name and {file} the note's
# path in the vault without `.md` (what Obsidian calls it); each is percent-encoded.
EDITORS = MappingProxyType(
    {
        "obsidian": "obsidian://open?vault={vault}&file={file}",
        "vscode": "vscode://file{path}:{line}",
    }
)
EDITOR_FIELDS = frozenset({"path", "line", "vault", "file"})
# Schemes a template may not use: they run code or make content, not open an editor.
_UNSAFE_SCHEMES = frozenset({"javascript", "data", "vbscript"})
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_FIELD_NAMES = {f.name for f in fields(Settings)}


class SettingError(ValueError):
    """A setting with a value of the wrong shape."""


def _convert(kind: str, value: Any) -> Any:
    """Check and convert one TOML value to the type its Settings field holds."""
    if kind == "str":
        if not isinstance(value, str):
            raise SettingError("expected text")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise SettingError("expected true or false")
        return value
    if kind == "count":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise SettingError("expected a whole number of 0 or more")
        return value
    if kind in ("duration", "duration text"):
        try:
            duration = parse_duration(value)
        except DateError as exc:
            raise SettingError(str(exc)) from None
        return str(value).strip() if kind == "duration text" else duration
    if kind == "editor":
        return _editor(value)
    if kind == "names":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise SettingError("expected a list of names")
        return tuple(v.lower() for v in value)
    if kind in ("durations", "counts"):
        if not isinstance(value, dict):
            raise SettingError("expected a table")
        inner = "duration" if kind == "durations" else "count"
        return {str(k).lower(): _convert(inner, v) for k, v in value.items()}
    raise AssertionError(kind)


def _editor(value: Any) -> str:
    """`auto`, `none`, a name in EDITORS, or a URL template with only EDITOR_FIELDS in it."""
    if not isinstance(value, str):
        raise SettingError("expected text")
    text = value.strip()
    if text.lower() in ("auto", "none", *EDITORS):
        return text.lower()
    scheme = _SCHEME.match(text)
    if scheme is None:
        names = ", ".join(f'"{name}"' for name in ("auto", *EDITORS, "none"))
        raise SettingError(f'expected {names}, or a URL such as "vscode://file{{path}}:{{line}}"')
    if scheme[1].lower() in _UNSAFE_SCHEMES:
        raise SettingError(f"a {scheme[1]}: URL does not open an editor")
    try:
        used = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        raise SettingError(f"not a URL template: {exc}") from None
    unknown = sorted(used - EDITOR_FIELDS)
    if unknown:
        known = ", ".join(f"{{{name}}}" for name in sorted(EDITOR_FIELDS))
        raise SettingError(f"{{{unknown[0]}}} is not one of {known}")
    return text


def _line_of(text: str, key: str, table: str = "") -> int:
    """The first line of the file that sets `key` (in `table`, if given), for error messages."""
    name = re.escape(key)
    pattern = re.compile(rf"^\s*(?:\"?{name}\"?\s*=|\[+\s*(?:[\w.-]+\.)?{name}\s*\])", re.MULTILINE)
    header = re.search(rf"^\s*\[\s*{re.escape(table)}\s*\]", text, re.MULTILINE) if table else None
    match = pattern.search(text, header.end() if header else 0)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def parse_settings(text: str, path: str = CONFIG_NAME) -> tuple[Settings, list[Problem]]:
    """Settings from the text of a `netvault.toml`, with the problems found in it."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match[1]) if match else 1
        return Settings(), [Problem(path, line, f"not valid TOML: {exc}")]
    problems: list[Problem] = []
    changes: dict[str, Any] = {}
    for table, value in data.items():
        layout = _LAYOUT.get(table)
        if table == "folders" and isinstance(value, dict):
            changes["folders"] = _folders(value, text, path, problems)
            continue
        if table == "properties" and isinstance(value, dict):
            changes["properties"] = _properties(value, text, path, problems)
            continue
        if layout is None or not isinstance(value, dict):
            problems.append(
                Problem(path, _line_of(text, table), f"unknown setting [{table}]", "warning")
            )
            continue
        for key, raw in value.items():
            if key not in layout:
                message = f"unknown setting {table}.{key}"
                problems.append(Problem(path, _line_of(text, key), message, "warning"))
                continue
            name, kind = layout[key]
            try:
                converted = _convert(kind, raw)
            except SettingError as exc:
                problems.append(Problem(path, _line_of(text, key), f"{table}.{key}: {exc}"))
                continue
            if kind in ("durations", "counts"):
                # A table in the file adds to the defaults instead of replacing them.
                converted = {**getattr(Settings(), name), **converted}
            changes[name] = _frozen(converted) if isinstance(converted, dict) else converted
    assert set(changes) <= _FIELD_NAMES
    return replace(Settings(), **changes), problems


def _folders(
    value: dict[str, Any], text: str, path: str, problems: list[Problem]
) -> MappingProxyType[str, str]:
    """The [folders] table: kind → list of folder names."""
    folders: dict[str, str] = {}
    for kind, names in value.items():
        if kind.rstrip("s") not in KINDS or not isinstance(names, list):
            message = f"folders.{kind}: expected one of {', '.join(k + 's' for k in KINDS)}"
            problems.append(Problem(path, _line_of(text, kind), message))
            continue
        for name in names:
            folders[str(name).strip("/").lower()] = kind.rstrip("s")
    return _frozen(folders)


def _properties(
    value: dict[str, Any], text: str, path: str, problems: list[Problem]
) -> MappingProxyType[str, tuple[str, ...]]:
    """The [properties] table: field → the other names it may be written as.

    A field named here has these names instead of its default ones, and a name
    given here is no other field's default any more.
    """
    fields = {fold_key(name): name for name in PROPERTY_FIELDS}
    taken = dict(fields)  # folded name → the field it names
    given: dict[str, tuple[str, ...]] = {}
    for key, names in value.items():
        line = _line_of(text, key, "properties")
        name = fields.get(fold_key(key))
        if name is None:
            message = f"properties.{key}: netvault reads no such field"
            problems.append(Problem(path, line, message, "warning"))
            continue
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            message = f"properties.{key}: expected a list of names"
            problems.append(Problem(path, line, message, "warning"))
            continue
        kept: list[str] = []
        for other in names:
            owner = taken.setdefault(fold_key(other), name)
            if owner == name:
                kept.append(other)
            else:
                message = f"properties.{key}: “{other}” names {owner} already"
                problems.append(Problem(path, line, message, "warning"))
        given[name] = tuple(kept)
    defaults = {
        name: tuple(other for other in others if taken.get(fold_key(other), name) == name)
        for name, others in _PROPERTY_NAMES.items()
    }
    return _frozen({**defaults, **given})


def folder_for(settings: Settings, kind: str, existing: Iterable[str] = ()) -> str:
    """Where a new note of `kind` goes: a folder of that kind the vault has, else the first.

    `existing` are the vault's top folders as named on disk (`People`, say): a new
    contact joins the others rather than starting a `contacts/` beside them.
    """
    mapped = [folder for folder, k in settings.folders.items() if k == kind and "/" not in folder]
    on_disk = {name.lower(): name for name in sorted(existing)}
    for folder in mapped:  # in the settings' order: `contacts` before `people`
        if folder in on_disk:
            return on_disk[folder]
    return mapped[0] if mapped else f"{kind}s"


def load_settings(vault: Path) -> tuple[Settings, list[Problem]]:
    """Settings of a vault: its `netvault.toml` if there is one, else the defaults."""
    path = vault / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return _resolved(Settings(), vault), []
    except (OSError, UnicodeDecodeError) as exc:
        return _resolved(Settings(), vault), [
            Problem(CONFIG_NAME, 1, f"cannot read settings: {exc}")
        ]
    settings, problems = parse_settings(text)
    return _resolved(settings, vault), problems


def _resolved(settings: Settings, vault: Path) -> Settings:
    """`settings` with an `auto` editor made the one the vault is kept in: Obsidian when
    it has an `.obsidian/` folder, else VS Code.
    """
    if settings.editor != "auto":
        return settings
    return replace(settings, editor="obsidian" if (vault / ".obsidian").is_dir() else "vscode")
