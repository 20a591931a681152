"""Dates and durations as they appear in notes: ISO dates, datetimes, `30d`, `3m`."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})(?![\d])")
_DURATION = re.compile(r"^\s*(\d+)\s*(d|w|m|y|days?|weeks?|months?|years?)\s*$", re.IGNORECASE)
_UNIT_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}
_SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class DateError(ValueError):
    """A value that was meant to be a date and is not one."""


def parse_date(value: object) -> date | None:
    """A date from a front-matter value (date, datetime or ISO string); None when empty.

    Raises DateError for a value that is present but not a real date, such as
    `2026-02-30` or `next week`.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip().replace("\u00a0", " ")
        match = _ISO_DATE.match(text)
        if match:
            rest = text[match.end() :]
            if rest == "" or rest[0] in "T ":
                try:
                    return date(int(match[1]), int(match[2]), int(match[3]))
                except ValueError as exc:
                    raise DateError(f"{text!r} is not a real date ({exc})") from None
        raise DateError(f"{text!r} is not a date (write it as YYYY-MM-DD)")
    raise DateError(f"{value!r} is not a date (write it as YYYY-MM-DD)")


def date_prefix(stem: str) -> date | None:
    """The date a file name starts with (`2026-11-20 Coffee with Ada`), if any."""
    match = _PREFIX.match(stem)
    if not match:
        return None
    try:
        return parse_date(match[1])
    except DateError:
        return None


def parse_duration(value: object) -> timedelta | None:
    """A cadence such as `2w`, `30d`, `3m`, `1y`; None for `none`, `never` or empty.

    Raises DateError for anything else. A month counts as 30 days and a year as
    365: cadences are reminders, not calendar arithmetic.
    """
    if value is None or value is False:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return timedelta(days=value)
    text = str(value).strip()
    if text.lower() in ("", "none", "never", "off", "no"):
        return None
    match = _DURATION.match(text)
    if not match:
        raise DateError(f"{text!r} is not a duration (write it as 2w, 30d, 3m or 1y)")
    return timedelta(days=int(match[1]) * _UNIT_DAYS[match[2][0].lower()])


def days_label(days: int) -> str:
    """`1 day`, `3 days`: a count of days in words."""
    return f"{days} day" if abs(days) == 1 else f"{days} days"


def short_date(day: date) -> str:
    """`5 Dec 2026`: a date in words, the same in every locale."""
    return f"{day.day} {_SHORT_MONTHS[day.month - 1]} {day.year}"
