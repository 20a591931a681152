"""Reading LinkedIn's Connections.csv, current and older exports, awkward rows included."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from netvault.importers import Incoming, Read, decode
from netvault.importers.linkedin import NO_HEADER, read_linkedin
from netvault.problems import Problem

FIXTURES = Path(__file__).parent / "fixtures"


def read_fixture(name: str) -> Read:
    """A fixture export read the way the CLI reads one: bytes, decoded, then parsed."""
    return read_linkedin(decode((FIXTURES / name).read_bytes()), name)


def in_(url: str) -> str:
    """A LinkedIn profile address."""
    return f"https://www.linkedin.com/in/{url}"


def test_current_export_reads_every_connection_after_the_notes_lines():
    found = read_fixture("linkedin_connections.csv")
    assert found.contacts == (
        Incoming(
            5,
            "Ada Lovelace",
            {
                "email": ["ada@example.org"],
                "org": "Analytical Engines",
                "role": "Mathematician",
                "linkedin": in_("ada-lovelace"),
                "met": date(2025, 12, 7),
                "source": "linkedin",
            },
        ),
        Incoming(
            6,
            "Grace Hopper",
            {
                "org": "US Navy, Reserve",
                "role": "Rear Admiral",
                "linkedin": in_("grace-hopper"),  # the export's trailing "/" dropped
                "met": date(2024, 1, 7),
                "source": "linkedin",
            },
        ),
        Incoming(
            7,
            "张伟",
            {
                "org": "腾讯",
                "role": "高级工程师",
                "linkedin": in_("zhang-wei-8a1b2c"),
                "met": date(2023, 3, 15),
                "source": "linkedin",
            },
        ),
        Incoming(
            8,
            "Zoë Ångström",
            {
                "email": ["zoe@example.se"],
                "linkedin": in_("zoe-angstrom"),
                "met": date(2022, 2, 1),
                "source": "linkedin",
            },
        ),
        Incoming(
            9,
            "Ana 🌻",
            {
                "org": 'Flores "Sunflower" Ltd',
                "role": "Head of Growth, EMEA & APAC",  # the quoted newline made one space
                "linkedin": in_("ana-sunflower"),
                "met": date(2021, 8, 12),
                "source": "linkedin",
            },
        ),
        Incoming(
            11,
            "Okafor",
            {
                "org": "Acme",
                "role": "CTO",
                "linkedin": in_("okafor"),
                "met": date(2020, 3, 3),
                "source": "linkedin",
            },
        ),
        Incoming(
            14,
            "Linus Pauling",
            {
                "org": "Caltech",
                "role": "Chemist",
                "linkedin": in_("linus-pauling"),
                "source": "linkedin",
            },
        ),
        Incoming(
            16,
            "Marie Curie",
            {
                "email": ["marie@example.fr"],
                "org": "Institut du Radium",
                "role": "Director",
                "linkedin": in_("marie-curie"),
                "met": date(2019, 11, 7),
                "source": "linkedin",
            },
        ),
    )
    assert found.skipped_photos == 0


def test_current_export_names_each_row_it_could_not_read_by_its_first_line():
    problems = read_fixture("linkedin_connections.csv").problems
    # Line 12 is blank and says nothing; lines 9-10 are one row, so later lines stay right.
    assert [(p.path, p.line, p.level) for p in problems] == [
        ("linkedin_connections.csv", 13, "warning"),  # no first or last name
        ("linkedin_connections.csv", 14, "warning"),  # Connected On: Dec 7th 2019
        ("linkedin_connections.csv", 15, "error"),  # an unquoted comma in the company
    ]
    assert "no name" in problems[0].message
    assert "'Dec 7th 2019'" in problems[1].message
    assert "8 values for 7 columns" in problems[2].message


def test_older_export_with_a_bom_and_crlf_and_without_notes_or_url():
    found = read_fixture("linkedin_connections_2019.csv")
    assert found == Read(
        (
            Incoming(
                2,
                "Charles Babbage",
                {
                    "email": ["charles@example.org"],
                    "org": "Difference Engines Ltd",
                    "role": "Inventor",
                    "met": date(2019, 2, 14),
                    "source": "linkedin",
                },
            ),
            Incoming(3, "Hedy Lamarr", {"met": date(2018, 10, 3), "source": "linkedin"}),
            Incoming(
                4,
                "Katherine Johnson",
                {
                    "org": "NASA",
                    "role": "Mathematician Flight Research Division",
                    "met": date(2017, 8, 22),
                    "source": "linkedin",
                },
            ),
            Incoming(
                6,
                "Sophie Wilson",
                {
                    "email": ["sophie@example.co.uk"],
                    "org": "Broadcom",
                    "role": "Director",
                    "source": "linkedin",  # no Connected On: no met, and nothing to report
                },
            ),
        )
    )


def test_a_bom_left_in_the_text_still_finds_the_header():
    raw = (FIXTURES / "linkedin_connections_2019.csv").read_text(encoding="utf-8")
    assert raw.startswith("\ufeff")
    assert read_linkedin(raw, "linkedin_connections_2019.csv") == read_fixture(
        "linkedin_connections_2019.csv"
    )


def test_columns_are_found_by_name_in_any_order_and_case():
    text = "Connected On, COMPANY ,Last Name,first name\n12 Feb 2020,Acme,Lovelace,Ada\n"
    assert read_linkedin(text).contacts == (
        Incoming(
            2, "Ada Lovelace", {"org": "Acme", "met": date(2020, 2, 12), "source": "linkedin"}
        ),
    )


def test_names_and_values_are_trimmed_to_one_line():
    text = 'First Name,Last Name,Position\n"  Ada ","Lovelace\n  King ",  Chief\tof  Staff \n'
    [contact] = read_linkedin(text).contacts
    assert contact.name == "Ada Lovelace King"
    assert contact.fields["role"] == "Chief of Staff"


@pytest.mark.parametrize("text", ["07 Dec 2025", "7 Dec 2025", "7 DEC 2025", "2025-12-07"])
def test_connected_on_dates_in_linkedin_form_or_iso(text):
    read = read_linkedin(f"First Name,Last Name,Connected On\nAda,Lovelace,{text}\n")
    assert read.contacts[0].fields["met"] == date(2025, 12, 7)
    assert read.problems == ()


@pytest.mark.parametrize("text", ["31 Feb 2025", "07 Dez 2025", "12/07/2025", "Dec 7, 2025"])
def test_an_unreadable_date_keeps_the_contact_without_met_and_warns(text):
    read = read_linkedin(f'First Name,Last Name,Connected On\nAda,Lovelace,"{text}"\n', "c.csv")
    assert read.contacts == (Incoming(2, "Ada Lovelace", {"source": "linkedin"}),)
    assert [(p.path, p.line, p.level) for p in read.problems] == [("c.csv", 2, "warning")]
    assert repr(text) in read.problems[0].message


@pytest.mark.parametrize(
    "text",
    [
        "",
        'Notes:\n"When exporting your connection data, you may notice..."\n',
        "Name,Email\nAda Lovelace,ada@example.org\n",
        "First Name,Email\nAda,ada@example.org\n",
    ],
)
def test_a_file_without_the_header_is_one_error_at_line_1(text):
    read = read_linkedin(text, "c.csv")
    assert read == Read((), (Problem("c.csv", 1, NO_HEADER),))
    assert "First Name,Last Name" in read.problems[0].message  # says what was expected


def test_a_row_with_a_stray_quote_is_an_error_and_the_next_rows_are_read():
    text = 'First Name,Last Name,Company\nAda,"Love"lace,Engines\nGrace,Hopper,Navy\n'
    read = read_linkedin(text, "c.csv")
    assert [c.name for c in read.contacts] == ["Grace Hopper"]
    assert read.contacts[0].line == 3
    assert [(p.line, p.level) for p in read.problems] == [(2, "error")]


def test_a_quote_never_closed_is_an_error_where_its_row_starts():
    text = 'First Name,Last Name,Company\nAda,Lovelace,Engines\nGrace,"Hopper,Navy\nAlan,Turing,\n'
    read = read_linkedin(text, "c.csv")
    assert [c.name for c in read.contacts] == ["Ada Lovelace"]
    assert [(p.line, p.level) for p in read.problems] == [(3, "error")]


def test_blank_and_comma_only_rows_are_skipped_silently():
    text = "First Name,Last Name,Company\n\n,,\nAda,Lovelace,\n   \n"
    assert read_linkedin(text) == Read(
        (Incoming(4, "Ada Lovelace", {"source": "linkedin"}),),
    )


def test_short_rows_and_trailing_empty_cells_are_read():
    text = "First Name,Last Name,Company,Position\nAda,Lovelace\nGrace,Hopper,Navy,Admiral,,\n"
    read = read_linkedin(text)
    assert [(c.name, dict(c.fields)) for c in read.contacts] == [
        ("Ada Lovelace", {"source": "linkedin"}),
        ("Grace Hopper", {"org": "Navy", "role": "Admiral", "source": "linkedin"}),
    ]
    assert read.problems == ()
