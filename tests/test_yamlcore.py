"""Front matter keeps what the user wrote: YAML 1.2 core meaning, not YAML 1.1."""

from datetime import date, datetime

import pytest

from netvault import yamlcore


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("No", "No"),  # a name, not false
        ("no", "no"),
        ("yes", "yes"),
        ("on", "on"),
        ("off", "off"),
        ("0123", "0123"),  # a phone number, not octal 83
        ("01234", "01234"),  # a postcode keeps its leading zero
        ("1:20", "1:20"),  # not sexagesimal 80
        ("1_000", "1_000"),
        ("0x1F", "0x1F"),
        ("true", True),
        ("False", False),
        ("12", 12),
        ("-3", -3),
        ("0", 0),
        ("1.5", 1.5),
        ("2026-11-20", date(2026, 11, 20)),
        ("2026-11-20 10:30:00", datetime(2026, 11, 20, 10, 30)),
        ("2026-11-20T10:30:00", datetime(2026, 11, 20, 10, 30)),
        ("2026-02-30", "2026-02-30"),  # impossible dates stay text for the date checks
        ("null", None),
        ("~", None),
        ("", None),
        ('"[[Ada Lovelace]]"', "[[Ada Lovelace]]"),
    ],
)
def test_scalars_keep_their_written_meaning(written, expected):
    assert yamlcore.load(f"value: {written}\n") == {"value": expected}


def test_lists_follow_the_same_rules():
    assert yamlcore.load("tags: [no, 007, true]\n") == {"tags": ["no", "007", True]}


def test_pyyaml_defaults_are_left_alone():
    """The loader must not change PyYAML's own SafeLoader for other code."""
    import yaml

    assert yaml.safe_load("value: no") == {"value": False}
