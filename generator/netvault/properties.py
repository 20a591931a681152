"""A note's front matter as Obsidian's Properties view shows it: every key, in file order, typed.

Obsidian types a property by its value: a checkbox for true and false, a number, a
date or a date and time, a list, and text, where `[[links]]` are links. Here that
typing is pure data (`Property`, `Shown`): the site turns it into HTML, resolving
the links and escaping every piece of text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from .model import link_target
from .records import record
from .text import clean
from .vault import Note

# A text value longer than this is cut, with how much was left out: an image pasted
# as a `data:` URL runs to hundreds of kilobytes.
TEXT_MAX = 300
_LINK = re.compile(r"(\[\[[^\]]+\]\])")


@record
class Piece:
    """A run of a text value: plain text, or a link to the note `target` names."""

    text: str
    target: str = ""  # the note name a `[[link]]` gives, as written; "" for plain text


@record
class Shown:
    """One property's value as typed: `kind` says how it is shown."""

    kind: str  # "text", "number", "checkbox", "date", "datetime", "list" or "empty"
    pieces: tuple[Piece, ...] = ()  # text, number, datetime: the text, in runs
    items: tuple[Shown, ...] = ()  # list: each item, typed
    checked: bool = False  # checkbox
    day: date | None = None  # date


@record
class Property:
    """One front-matter key as written, the line it is on, and its value as typed."""

    key: str
    line: int
    value: Shown


def properties(note: Note) -> tuple[Property, ...]:
    """Every front-matter property of `note`, in the order the file gives them."""
    return tuple(Property(str(key), note.line_of(key), shown(v)) for key, v in note.meta.items())


def shown(value: Any) -> Shown:
    """A front-matter value typed as Obsidian types it."""
    if type(value) is str and value:  # most values: looked at first
        return Shown("text", _pieces(_cut(clean(value))))
    if value is None or value == "" or value == []:
        return Shown("empty")
    if isinstance(value, bool):
        return Shown("checkbox", checked=value)
    if isinstance(value, int | float):
        return Shown("number", (Piece(str(value)),))
    if isinstance(value, datetime):
        return Shown("datetime", (Piece(value.isoformat(sep=" ", timespec="minutes")),))
    if isinstance(value, date):
        return Shown("date", day=value)
    if isinstance(value, list | tuple):
        return Shown("list", items=tuple(shown(item) for item in value))
    if isinstance(value, Mapping):  # Obsidian shows no nested objects: their text, then
        text = ", ".join(f"{key}: {item}" for key, item in value.items())
        return Shown("text", (Piece(_cut(text)),))
    return Shown("text", _pieces(_cut(clean(str(value)))))


def shown_words(value: str) -> Shown:
    """Words written in a note, whole, as a text value: their `[[links]]` are links."""
    return Shown("text", _pieces(clean(value)))


def _cut(text: str) -> str:
    """`text`, or its start and how many characters were left out, when it is too long."""
    if len(text) <= TEXT_MAX:
        return text
    return f"{text[:TEXT_MAX]}… ({len(text) - TEXT_MAX:,} more characters)"


def _pieces(text: str) -> tuple[Piece, ...]:
    """`text` in runs: plain text, and each `[[link]]` (shown as its alias, if it has one)."""
    if "[[" not in text:  # most values
        return (Piece(text),)
    found = []
    for run in _LINK.split(text):
        if not run:
            continue
        if _LINK.fullmatch(run):
            inner = run[2:-2]
            alias = inner.replace("\\|", "|").split("|", 1)
            shown_as = alias[1].strip() if len(alias) > 1 else link_target(run)
            found.append(Piece(shown_as or run, link_target(run) or run))
        else:
            found.append(Piece(run))
    return tuple(found)
