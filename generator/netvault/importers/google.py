"""Contacts from a Google Contacts CSV export, in its current or its older layout.

The current layout (`First Name,…,Labels,E-mail 1 - Label,…`) and the older
"Google CSV" one (`Name,Given Name,…,Group Membership,E-mail 1 - Type,…`) share
the numbered `E-mail N - Value` style of columns; Google adds as many of those as
the busiest contact needs, so columns are found by name, never by position.
A cell holding several values joins them with ` ::: `.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from ..problems import Problem
from . import Incoming, Read
from .table import one_line, table_rows

SOURCE = "google"

NO_HEADER = (
    "no Google Contacts header row: expected a header such as "
    '"First Name,Middle Name,Last Name,…,Labels,E-mail 1 - Label,E-mail 1 - Value,…" '
    'or, from older exports, "Name,Given Name,…,Group Membership,E-mail 1 - Type,…"'
)

# Each layout always has these columns, whatever its contacts hold.
_HEADERS = (
    {"first name", "last name", "labels"},
    {"given name", "family name", "group membership"},
)
_EMAIL = re.compile(r"e-mail \d+ - value")
_PHONE = re.compile(r"phone \d+ - value")
_WEBSITE = re.compile(r"website \d+ - value")
_BIRTHDAY = re.compile(r"(\d{4}|-)-(\d{2})-(\d{2})")  # 1985-03-14, or --03-14 with no year
_STARRED = "* starred"


def read_google(text: str, path: str = "") -> Read:
    """The contacts in a Google Contacts CSV export, and the rows that could not be read."""
    rows, problems = table_rows(text, path, _is_header)
    if rows is None:
        return Read((), (Problem(path, 1, NO_HEADER),))
    found = [_contact(line, row, path, problems) for line, row in rows]
    contacts = tuple(c for c in found if c is not None)
    return Read(contacts, tuple(sorted(problems)), sum(contact.photos for contact in contacts))


def _is_header(names: list[str]) -> bool:
    """Whether a row is the header of either layout."""
    return any(layout.issubset(names) for layout in _HEADERS)


def _contact(line: int, row: dict[str, str], path: str, problems: list[Problem]) -> Incoming | None:
    """The contact one row describes, or None (and a problem) when nothing names it."""
    name = _name(row) or _first(
        row, "nickname", "file as", "organization name", "organization 1 - name"
    )
    name = name or next(iter(_values(row, _EMAIL)), "")
    if not name:
        message = "no name, nickname, organisation or e-mail; row skipped"
        problems.append(Problem(path, line, message, "warning"))
        return None
    photos = 1 if row.get("photo", "").strip() else 0  # a URL to Google's copy: never fetched
    fields = _fields(line, row, path, problems)
    return Incoming(line, name, fields, _note(row.get("notes", "")), photos)


def _fields(line: int, row: dict[str, str], path: str, problems: list[Problem]) -> dict[str, Any]:
    """The front-matter fields a row gives values for, in netvault's order."""
    fields: dict[str, Any] = {}
    _put(fields, "email", _values(row, _EMAIL))
    _put(fields, "phone", _values(row, _PHONE))
    _put(fields, "org", _first(row, "organization name", "organization 1 - name"))
    _put(fields, "role", _first(row, "organization title", "organization 1 - title"))
    fields.update(_websites(_values(row, _WEBSITE)))
    _put(fields, "location", _first(row, "address 1 - city", "address 1 - formatted", "location"))
    _put(fields, "birthday", _birthday(line, row.get("birthday", ""), path, problems))
    _put(fields, "tags", _tags(row.get("labels") or row.get("group membership") or ""))
    fields["source"] = SOURCE
    return fields


def _name(row: dict[str, str]) -> str:
    """The person's name from its parts: the current layout's, or the older one's."""
    if "first name" in row:
        parts = ("name prefix", "first name", "middle name", "last name", "name suffix")
        return one_line(" ".join(row.get(part, "") for part in parts))
    parts = ("name prefix", "given name", "additional name", "family name", "name suffix")
    return one_line(row.get("name", "")) or one_line(" ".join(row.get(part, "") for part in parts))


def _first(row: dict[str, str], *names: str) -> str:
    """The first of these columns that has a value, on one line; "" when none has."""
    for name in names:
        value = one_line(row.get(name, ""))
        if value:
            return value
    return ""


def _values(row: dict[str, str], column: re.Pattern[str]) -> list[str]:
    """Every value in the columns whose names match, split at ` ::: `, in order, once each."""
    found: dict[str, None] = {}  # a dict keeps the order and drops repeats
    for name, cell in row.items():
        if column.fullmatch(name):
            found.update(dict.fromkeys(_split(cell)))
    return list(found)


def _split(cell: str) -> list[str]:
    """The values of a ` ::: `-joined cell, each on one line, without empty ones."""
    return [value for value in map(one_line, cell.split(":::")) if value]


def _websites(urls: list[str]) -> dict[str, str]:
    """`website` and `linkedin` from a contact's web addresses: the first of each kind."""
    found: dict[str, str] = {}
    for url in urls:
        if _is_linkedin(url):
            # As the LinkedIn reader does, so the same profile matches in merge.
            found.setdefault("linkedin", url.rstrip("/"))
        else:
            found.setdefault("website", url)
    return {key: found[key] for key in ("linkedin", "website") if key in found}


def _is_linkedin(url: str) -> bool:
    """Whether a web address is on linkedin.com (with or without a scheme)."""
    # Without a scheme, urlsplit reads `linkedin.com/in/ada` as a path, not a host.
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    return host == "linkedin.com" or host.endswith(".linkedin.com")


def _birthday(line: int, value: str, path: str, problems: list[Problem]) -> str:
    """The birthday as `YYYY-MM-DD` or `--MM-DD`; "" (and a warning) when it is neither."""
    value = one_line(value)
    match = _BIRTHDAY.fullmatch(value)
    if not value or (match and _real_day(match)):
        return value
    message = f"Birthday: {value!r} is not a date like 1985-03-14 or --03-14; left out"
    problems.append(Problem(path, line, message, "warning"))
    return ""


def _real_day(match: re.Match[str]) -> bool:
    """Whether a matched birthday is a day that exists (any 29 February without a year)."""
    year = 2000 if match[1] == "-" else int(match[1])  # 2000 is a leap year
    try:
        date(year, int(match[2]), int(match[3]))
    except ValueError:
        return False
    return True


def _tags(cell: str) -> list[str]:
    """Tags from Labels or Group Membership: the user's own groups, and `starred`."""
    tags: dict[str, None] = {}
    for label in _split(cell):
        if label.casefold() == _STARRED:
            tags["starred"] = None
        elif not label.startswith("* "):  # Google's system groups: `* myContacts` and so on
            tags[label] = None
    return list(tags)


def _note(cell: str) -> str:
    """The Notes cell as a note body: its lines kept, with plain line ends, trimmed."""
    return cell.replace("\r\n", "\n").replace("\r", "\n").strip()


def _put(fields: dict[str, Any], key: str, value: str | list[str]) -> None:
    """Store a field only when the file gave a value for it."""
    if value:
        fields[key] = value
