"""Contacts from LinkedIn's data export, `Connections.csv`.

Current exports open with a few `Notes:` lines before the header, older ones do
not, and the set of columns has changed over the years (URL and Email Address
come and go), so the header is found by its content and columns by their names.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ..problems import Problem
from . import Incoming, Read
from .table import one_line, table_rows

SOURCE = "linkedin"

NO_HEADER = (
    "no LinkedIn header row: expected a Connections.csv header such as "
    '"First Name,Last Name,URL,Email Address,Company,Position,Connected On"'
)

_MONTH_NAMES = (
    "january february march april may june july august september october november december"
)
# LinkedIn writes English month abbreviations whatever the account's language;
# full names are accepted too, as a spreadsheet may have rewritten the column.
_MONTHS = {
    key: number
    for number, name in enumerate(_MONTH_NAMES.split(), start=1)
    for key in (name, name[:3])
}
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2}) ([A-Za-z]+) (\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def read_linkedin(text: str, path: str = "") -> Read:
    """The contacts in a LinkedIn `Connections.csv`, and the rows that could not be read."""
    rows, problems = table_rows(text, path, _is_header)
    if rows is None:
        return Read((), (Problem(path, 1, NO_HEADER),))
    contacts = [_contact(line, row, path, problems) for line, row in rows]
    return Read(tuple(c for c in contacts if c is not None), tuple(sorted(problems)))


def _is_header(names: list[str]) -> bool:
    """Whether a row is the header: it names First Name and Last Name columns."""
    return "first name" in names and "last name" in names


def _contact(line: int, row: dict[str, str], path: str, problems: list[Problem]) -> Incoming | None:
    """The contact one row describes, or None (and a problem) when it names no one."""
    name = one_line(f"{row.get('first name', '')} {row.get('last name', '')}")
    if not name:
        message = "no name: First Name and Last Name are both empty; row skipped"
        problems.append(Problem(path, line, message, "warning"))
        return None
    fields: dict[str, Any] = {}
    email = one_line(row.get("email address", ""))
    if email:
        fields["email"] = [email]
    _put(fields, "org", one_line(row.get("company", "")))
    _put(fields, "role", one_line(row.get("position", "")))
    _put(fields, "linkedin", one_line(row.get("url", "")).rstrip("/"))
    connected = one_line(row.get("connected on", ""))
    met = parse_connected(connected)
    if met is not None:
        fields["met"] = met
    elif connected:
        message = f"Connected On: {connected!r} is not a date like 07 Dec 2025; met left out"
        problems.append(Problem(path, line, message, "warning"))
    fields["source"] = SOURCE
    return Incoming(line, name, fields)


def _put(fields: dict[str, Any], key: str, value: str) -> None:
    """Store a field only when the file gave a value for it."""
    if value:
        fields[key] = value


def parse_connected(value: str) -> date | None:
    """The date in a Connected On cell (`07 Dec 2025`, `7 Dec 2025`, `2025-12-07`), if real."""
    match = _DAY_MONTH_YEAR.fullmatch(value)
    if match:
        month = _MONTHS.get(match[2].casefold())
        day, year = int(match[1]), int(match[3])
    else:
        match = _ISO.fullmatch(value)
        if not match:
            return None
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    if month is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:  # 31 Feb and friends
        return None
