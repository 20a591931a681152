"""New notes from the vault's templates: `netvault new contact NAME`, `new interaction TITLE`.

The templates are the ones Obsidian's Templates plugin uses (`templates/KIND.md`,
with `{{title}}` and `{{date}}`), so a note made here and one made in Obsidian
look the same. A title may hold anything a name can: it goes into the front
matter as a quoted YAML string, never as raw text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from .frontmatter import EditError, set_fields
from .importers.merge import safe_stem
from .records import record
from .vault import parse_note

# What each kind of note is made from: its template, and the note kind whose folder it goes in.
TEMPLATES = {
    "contact": "contact",
    "interaction": "interaction",
    "informational-interview": "interaction",
    "org": "org",
    "goal": "goal",
}


class NewNoteError(ValueError):
    """The note cannot be made from this template and title: the message says why."""


@record
class NewNote:
    """A note to write: where, and its text."""

    path: str
    text: str


def new_note(
    kind: str,
    title: str,
    template: str,
    today: date,
    folder: str,
    fields: Mapping[str, Any] | None = None,
) -> NewNote:
    """The note of `kind` named `title` in `folder`, from `template`, with `fields` set.

    An interaction's file name starts with `today`, as the vault's interactions do.
    """
    stem = safe_stem(title)
    if not title.strip():
        raise NewNoteError("a new note needs a title")
    note_kind = TEMPLATES[kind]
    name = f"{today.isoformat()} {stem}" if note_kind == "interaction" else stem
    text = _filled(template, title, today)
    try:
        text = set_fields(text, dict(fields or {}))
    except EditError as exc:
        raise NewNoteError(f"the template's front matter cannot take the fields: {exc}") from None
    return NewNote(f"{folder}/{name}.md", text)


def _filled(template: str, title: str, today: date) -> str:
    """The template with `{{title}}` and `{{date}}` filled in; quoted ones as YAML strings."""
    # A JSON string is a YAML double-quoted scalar: quotes, colons and `#` stay text.
    text = template.replace('"{{title}}"', json.dumps(title, ensure_ascii=False))
    text = text.replace("{{title}}", title).replace("{{date}}", today.isoformat())
    problems = [p for p in parse_note("", text).problems if p.level == "error"]
    if problems:
        raise NewNoteError(f"the template does not read as a note: {problems[0].message}")
    return text


def links(names: Sequence[str]) -> list[str]:
    """`[[Name]]` for each name, as a `with:` list holds them."""
    return [f"[[{name.strip()}]]" for name in names if name.strip()]
