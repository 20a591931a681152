"""Contacts from other tools' export files: LinkedIn, vCard, Google Contacts.

Each reader (`linkedin.py`, `vcard.py`, `google.py`) turns one export file's text
into `Incoming` contacts and the problems of rows it could not read; it knows
nothing of the vault. `merge.py` matches them with the vault's contacts and plans
what to write; `apply.py` writes the plan. Nothing from a file is trusted: its
values are plain text, whatever YAML or HTML they look like.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..problems import Problem
from ..records import record

# The front-matter fields an import may fill, in the order they are written.
FIELDS = (
    "name",
    "email",
    "phone",
    "org",
    "role",
    "linkedin",
    "website",
    "location",
    "birthday",
    "met",
    "tags",
    "source",
)


@record
class Incoming:
    """One contact as an export file tells it, before it meets the vault.

    `fields` uses netvault's front-matter names (see FIELDS), holding only what the
    file gave: `email` and `phone` are lists (several per person), `tags` a list,
    `met` a `datetime.date`, `birthday` "YYYY-MM-DD" or "--MM-DD" (no year),
    everything else a one-line string, stripped.
    """

    line: int  # where the contact starts in the file, 1-based, for messages
    name: str  # never empty: a row without a name is a problem, not a contact
    fields: Mapping[str, Any]
    note: str = ""  # free text (a vCard NOTE, Google's Notes): the new note's body
    photos: int = 0  # pictures the file held for this contact, skipped


@record
class Read:
    """What a reader found in one file."""

    contacts: tuple[Incoming, ...]
    problems: tuple[Problem, ...] = ()  # rows that could not be read, by path:line
    skipped_photos: int = 0  # photos left out (never pasted into YAML)


def decode(data: bytes) -> str:
    """An export file's text: UTF-8 (with or without a byte-order mark), or UTF-16 with one.

    Exports from older address books may be in a legacy encoding: Windows-1252 is
    the common one, and any byte sequence decodes in it, so it comes last.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
