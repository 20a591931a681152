"""Setting front-matter fields in a note's text, leaving every other byte as it was.

A note is the user's file: an import that fills in an e-mail must not reorder their
keys, drop their comments or reflow their lists. So fields are edited as lines of
text (a key's line and the lines that continue it), the values are written by the
YAML library, and the result is read back: unless it gives the same note with
just those fields changed, nothing is written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from . import yamlcore
from .vault import Note, parse_note

_FENCE = re.compile(r"^-{3,}\s*$")
_CLOSE = re.compile(r"^(-{3,}|\.{3})\s*$")


class EditError(ValueError):
    """The fields could not be set without changing something else of the note."""


def dump(values: Mapping[str, Any]) -> str:
    """`key: value` lines for `values`, quoted wherever YAML needs it, one field after another."""
    return yaml.safe_dump(
        dict(values), allow_unicode=True, sort_keys=False, default_flow_style=False, width=10**6
    )


def set_fields(text: str, values: Mapping[str, Any]) -> str:
    """`text` with the front-matter fields `values` set: in place where present, else added.

    Raises EditError when the front matter cannot be read, or when the edited text
    would not read back as the same note with only those fields changed.
    """
    if not values:
        return text
    before = parse_note("", text)
    if any(p.level == "error" for p in before.problems):
        raise EditError(before.problems[0].message)
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    if lines and _FENCE.match(lines[0]):
        close = next((i for i in range(1, len(lines)) if _CLOSE.match(lines[i])), None)
        if close is None:
            raise EditError("front matter is not closed")
        front = lines[1:close]
        for key, value in values.items():
            front = _replace(front, key, dump({key: value}).rstrip("\n").split("\n"))
        edited = newline.join([lines[0], *front, *lines[close:]])
    else:
        edited = newline.join(["---", *dump(values).rstrip("\n").split("\n"), "---", *lines])
    _check(before, edited, values)
    return edited


def _replace(front: list[str], key: str, new: list[str]) -> list[str]:
    """The front-matter lines with `key`'s lines replaced by `new`, or `new` added at the end."""
    pattern = re.compile(rf"^(['\"]?){re.escape(key)}\1\s*:")
    start = next((i for i, line in enumerate(front) if pattern.match(line)), None)
    if start is None:
        end = len(front)
        while end and not front[end - 1].strip():  # after the last field, not its blank lines
            end -= 1
        return [*front[:end], *new, *front[end:]]
    end = start + 1
    # A value goes on over indented lines, and over a list's `- ` lines at the margin.
    while end < len(front) and (not front[end].strip() or front[end][0] in " \t-"):
        end += 1
    while end > start + 1 and not front[end - 1].strip():
        end -= 1
    return [*front[:start], *new, *front[end:]]


def _check(before: Note, edited: str, values: Mapping[str, Any]) -> None:
    """Raise EditError unless `edited` is the note `before` with only `values` changed."""
    after = parse_note("", edited)
    if any(p.level == "error" for p in after.problems):
        raise EditError(f"the edited front matter would not read: {after.problems[0].message}")
    wanted = {**before.meta, **yamlcore.load(dump(values))}
    if dict(after.meta) != wanted or after.body != before.body:
        raise EditError("the edit would change more than the fields asked for")
