"""Reading Google Contacts CSV exports, in the current and the older layout."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from netvault.importers import Incoming, Read, decode
from netvault.importers.google import NO_HEADER, read_google
from netvault.problems import Problem

FIXTURES = Path(__file__).parent / "fixtures"

# The current layout's fixed columns, then the numbered ones a small export has.
HEADER = (
    "First Name,Middle Name,Last Name,Name Prefix,Name Suffix,Nickname,File As,"
    "Organization Name,Organization Title,Birthday,Notes,Photo,Labels,"
    "E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,"
    "Website 1 - Label,Website 1 - Value\n"
)


def read_fixture(name: str) -> Read:
    """A fixture export read the way the CLI reads one: bytes, decoded, then parsed."""
    return read_google(decode((FIXTURES / name).read_bytes()), name)


def row(cells: dict[str, str]) -> str:
    """One CSV line of HEADER's columns, from values given by column name."""
    names = HEADER.strip().split(",")
    assert set(cells) <= set(names), set(cells) - set(names)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([cells.get(name, "") for name in names])
    return out.getvalue()


def one(cells: dict[str, str]) -> Incoming:
    """The one contact an export of a single row holds."""
    read = read_google(HEADER + row(cells))
    assert read.problems == ()
    [contact] = read.contacts
    return contact


def test_current_layout_reads_every_contact():
    found = read_fixture("google_contacts.csv")
    assert found.contacts == (
        Incoming(
            2,
            "Dr. Ada King Lovelace",
            {
                "email": ["ada@example.org", "ada@analytical.example"],
                "phone": ["+44 20 7946 0018", "+44 20 7946 0019"],
                "org": "Analytical Engines",
                "role": "Mathematician",
                "linkedin": "https://www.linkedin.com/in/ada-lovelace",
                "website": "https://ada.example.org/notes",
                "location": "London",
                "birthday": "1815-12-10",
                "tags": ["Mentors", "starred"],
                "source": "google",
            },
            note="Met at the Difference Engine demo.\n"
            'Wants an intro to Babbage\'s investors, "soon".',
            photos=1,
        ),
        Incoming(
            6,
            "张伟",
            {
                "phone": ["+86 10 5555 0123"],
                # No city: the formatted address, on one line.
                "location": "Room 1201, Tower B 1 Zhongguancun St Beijing 100080",
                "birthday": "--03-14",
                "tags": ["Friends"],
                "source": "google",
            },
        ),
        Incoming(
            10,
            "someone@example.net",  # only an e-mail address to go by
            {"email": ["someone@example.net"], "source": "google"},
        ),
        Incoming(
            11,
            "Stripe",
            {
                "phone": ["+1 888-555-0100"],
                "org": "Stripe",
                "tags": ["Vendors"],
                "source": "google",
            },
        ),
        Incoming(
            13,
            "Ana 🌻 Flores",
            {
                "email": ["ana@example.com"],
                "phone": ["+34 600 000 111"],  # in two columns, kept once
                "linkedin": "linkedin.com/in/ana-flores",
                "tags": ["Friends", "Met at PyCon"],
                "source": "google",
            },
            photos=1,
        ),
    )
    assert found.skipped_photos == 2


def test_current_layout_reports_rows_by_their_first_line():
    problems = read_fixture("google_contacts.csv").problems
    # Rows 2-5 and 6-9 hold quoted newlines, so these line numbers count them.
    assert [(p.path, p.line, p.level) for p in problems] == [
        ("google_contacts.csv", 12, "warning"),  # only a phone number: nothing names it
        ("google_contacts.csv", 13, "warning"),  # Birthday: March 14
    ]
    assert "no name" in problems[0].message
    assert "'March 14'" in problems[1].message


def test_older_layout_reads_every_contact():
    found = read_fixture("google_contacts_legacy.csv")
    assert found.contacts == (
        Incoming(
            2,
            "Grace Hopper",
            {
                "email": ["grace@navy.example", "grace.hopper@example.com"],
                "phone": ["+1 202-555-0143"],
                "org": "US Navy",
                "role": "Rear Admiral",
                "website": "grace.example.com",
                "location": "Washington",  # the address's city before the Location column
                "birthday": "1906-12-09",
                "tags": ["Navy", "starred"],
                "source": "google",
            },
            note="Invented the first compiler.",
        ),
        Incoming(
            5,
            "Zoë Ångström",  # no Name: Given and Family Name
            {
                "linkedin": "https://se.linkedin.com/in/zoe-angstrom",
                "location": "Uppsala",
                "birthday": "--07-04",
                "tags": ["Physics"],
                "source": "google",
            },
            photos=1,
        ),
        Incoming(
            6,
            "only.email@example.com",
            {"email": ["only.email@example.com"], "source": "google"},
        ),
        Incoming(
            7,
            "Dima",  # only a nickname
            {"phone": ["+7 495 555-01-23"], "source": "google"},
            note="Дмитрий from the Moscow meetup.\nSpeaks at HighLoad every year.",
        ),
        Incoming(9, "Katherine Johnson", {"source": "google"}),
    )
    assert found.skipped_photos == 1
    assert [(p.line, p.level) for p in found.problems] == [(9, "warning")]
    assert "'08/26/1918'" in found.problems[0].message


@pytest.mark.parametrize("birthday", ["1985-03-14", "--03-14", "--02-29", "2000-02-29"])
def test_birthdays_with_or_without_a_year_are_kept_as_written(birthday):
    assert one({"First Name": "Ada", "Birthday": birthday}).fields["birthday"] == birthday


@pytest.mark.parametrize(
    "birthday", ["03/14/1985", "14.03.1985", "1985-02-29", "--13-01", "1985-3-14", "March 14"]
)
def test_other_birthdays_are_left_out_with_a_warning(birthday):
    read = read_google(HEADER + row({"First Name": "Ada", "Birthday": birthday}), "g.csv")
    assert read.contacts == (Incoming(2, "Ada", {"source": "google"}),)
    assert [(p.path, p.line, p.level) for p in read.problems] == [("g.csv", 2, "warning")]


def test_system_groups_are_dropped_except_starred():
    labels = "* myContacts ::: Friends ::: * starred ::: * Family ::: Met at PyCon ::: Friends"
    assert one({"First Name": "Ada", "Labels": labels}).fields["tags"] == [
        "Friends",
        "starred",
        "Met at PyCon",
    ]


def test_only_system_groups_give_no_tags():
    assert "tags" not in one({"First Name": "Ada", "Labels": "* myContacts"}).fields


@pytest.mark.parametrize(
    ("url", "field", "value"),
    [
        ("https://www.linkedin.com/in/ada/", "linkedin", "https://www.linkedin.com/in/ada"),
        ("http://LinkedIn.com/in/ada", "linkedin", "http://LinkedIn.com/in/ada"),
        ("uk.linkedin.com/in/ada", "linkedin", "uk.linkedin.com/in/ada"),
        ("https://notlinkedin.com/ada", "website", "https://notlinkedin.com/ada"),
        (
            "https://example.org/?from=linkedin.com",
            "website",
            "https://example.org/?from=linkedin.com",
        ),
    ],
)
def test_a_website_on_linkedin_goes_to_the_linkedin_field(url, field, value):
    fields = one({"First Name": "Ada", "Website 1 - Value": url}).fields
    assert {key: fields.get(key) for key in ("linkedin", "website")} == {
        "linkedin": None,
        "website": None,
        field: value,
    }


def test_several_websites_keep_the_first_of_each_kind():
    urls = "https://ada.example.org ::: https://www.linkedin.com/in/ada ::: https://b.example"
    fields = one({"First Name": "Ada", "Website 1 - Value": urls}).fields
    assert (fields["website"], fields["linkedin"]) == (
        "https://ada.example.org",
        "https://www.linkedin.com/in/ada",
    )


def test_name_parts_join_with_prefix_and_suffix():
    parts = ("Name Prefix", "First Name", "Middle Name", "Last Name", "Name Suffix")
    contact = one(dict(zip(parts, ("Rear Adm.", "Grace", "B.", "Hopper", "PhD"), strict=True)))
    assert contact.name == "Rear Adm. Grace B. Hopper PhD"


@pytest.mark.parametrize(
    ("cells", "name"),
    [
        ({"Nickname": "Gracie", "File As": "Hopper", "Organization Name": "Navy"}, "Gracie"),
        ({"File As": "Hopper", "Organization Name": "Navy"}, "Hopper"),
        ({"Organization Name": "Navy", "E-mail 1 - Value": "g@navy.example"}, "Navy"),
        ({"E-mail 1 - Value": "g@navy.example ::: grace@example.com"}, "g@navy.example"),
    ],
)
def test_without_a_name_the_nickname_file_as_organisation_or_email_names_the_contact(cells, name):
    assert one(cells).name == name


def test_older_layout_name_falls_back_to_given_additional_and_family_name():
    text = (
        "Name,Given Name,Additional Name,Family Name,Name Prefix,Group Membership\n"
        "Grace Hopper,Grace,,Hopper,,* My Contacts\n"
        ",Grace,Brewster,Hopper,Dr.,* My Contacts\n"
    )
    assert [c.name for c in read_google(text).contacts] == [
        "Grace Hopper",
        "Dr. Grace Brewster Hopper",
    ]


def test_notes_keep_their_lines_with_plain_line_ends():
    contact = one({"First Name": "Ada", "Notes": "  First line.\r\n\r\nThird line.\r\n"})
    assert contact.note == "First line.\n\nThird line."


def test_a_row_that_names_no_one_is_one_warning_whatever_else_is_wrong_with_it():
    text = HEADER + row({"Phone 1 - Value": "+1 415-555-0199", "Birthday": "soon"})
    read = read_google(text, "g.csv")
    assert read.contacts == ()
    assert [(p.line, p.level) for p in read.problems] == [(2, "warning")]
    assert "no name" in read.problems[0].message


def test_a_row_with_values_past_the_header_is_an_error_and_the_rest_is_read():
    text = "First Name,Last Name,Labels\nAda,Lovelace,Friends,Mentors\nGrace,Hopper,\n"
    read = read_google(text, "g.csv")
    assert [(c.line, c.name) for c in read.contacts] == [(3, "Grace Hopper")]
    assert [(p.line, p.level) for p in read.problems] == [(2, "error")]
    assert "4 values for 3 columns" in read.problems[0].message


def test_a_stray_quote_is_an_error_at_its_row_and_the_rest_is_read():
    text = 'First Name,Last Name,Labels\n"Ada" Lovelace,,\n\n,,\nGrace,Hopper,\n'
    read = read_google(text, "g.csv")
    assert [(c.line, c.name) for c in read.contacts] == [(5, "Grace Hopper")]
    assert [(p.line, p.level) for p in read.problems] == [(2, "error")]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ada,Lovelace,https://www.linkedin.com/in/ada,,Engines,Mathematician,07 Dec 2025\n",
        "BEGIN:VCARD\nVERSION:3.0\nFN:Ada Lovelace\nEND:VCARD\n",
    ],
)
def test_a_file_without_a_google_header_is_one_error_at_line_1(text):
    read = read_google(text, "g.csv")
    assert read == Read((), (Problem("g.csv", 1, NO_HEADER),))
    assert "First Name,Middle Name,Last Name" in read.problems[0].message
