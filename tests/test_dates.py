from datetime import date, datetime, timedelta

import pytest

from netvault.dates import DateError, date_prefix, parse_date, parse_duration


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 11, 20), date(2026, 11, 20)),
        (datetime(2026, 11, 20, 23, 59), date(2026, 11, 20)),
        ("2026-11-20", date(2026, 11, 20)),
        ("2026-11-20T09:00", date(2026, 11, 20)),
        ("2026-11-20 09:00", date(2026, 11, 20)),
        ("\u00a02026-11-20", date(2026, 11, 20)),
        (None, None),
        ("", None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["2026-02-30", "2026-13-01", "next week", "20/11/2026", 3])
def test_parse_date_rejects_what_is_not_a_date(value):
    with pytest.raises(DateError):
        parse_date(value)


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("2026-11-20 Coffee with Ada", date(2026, 11, 20)),
        ("2026-11-20", date(2026, 11, 20)),
        ("2026-11-20-call", date(2026, 11, 20)),
        ("Coffee 2026-11-20", None),
        ("2026-02-30 Nope", None),
        ("20261120", None),
    ],
)
def test_date_prefix(stem, expected):
    assert date_prefix(stem) == expected


@pytest.mark.parametrize(
    ("value", "days"),
    [("2w", 14), ("30d", 30), ("3m", 90), ("1y", 365), ("10 days", 10), (45, 45), ("6W", 42)],
)
def test_parse_duration(value, days):
    assert parse_duration(value) == timedelta(days=days)


@pytest.mark.parametrize("value", ["none", "None", "never", "", None])
def test_parse_duration_none_means_never(value):
    assert parse_duration(value) is None


@pytest.mark.parametrize("value", ["often", "3 fortnights", "-2w"])
def test_parse_duration_rejects_nonsense(value):
    with pytest.raises(DateError):
        parse_duration(value)
