from pathlib import Path

import pytest

from netvault.importers import Incoming, Read, decode
from netvault.importers.vcard import read_vcards
from netvault.problems import Problem

FIXTURES = Path(__file__).parent / "fixtures"


def read_fixture(name: str) -> Read:
    """A fixture file read as the importer reads an uploaded file: bytes, decoded."""
    return read_vcards(decode((FIXTURES / name).read_bytes()), name)


def card(*lines: str, version: str = "3.0") -> str:
    """One vCard of the given property lines, CRLF-ended as address books write them."""
    return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD", ""])


def only(read: Read) -> Incoming:
    """The one contact a read found, making sure there were no problems."""
    assert read.problems == ()
    [contact] = read.contacts
    return contact


# ---------------------------------------------------------------------------
# The fixture files, as phones and address books write them


def test_iphone_export_reads_every_card_with_its_fields():
    read = read_fixture("iphone.vcf")

    assert read.problems == ()
    assert read.contacts == (
        Incoming(
            line=1,
            name="Ada Lovelace",
            fields={
                "email": ["ada@engines.example", "ada.home@example.org"],
                "phone": ["+44 20 7946 0018", "+44 20 7946 0019"],
                "org": "Analytical Engines Ltd",
                "role": "Chief Mathematician",
                "linkedin": "https://www.linkedin.com/in/ada-lovelace",
                "website": "https://engines.example/ada",
                "location": "London",
                "birthday": "--12-10",
                "tags": ["mathematics", "Friends"],
                "source": "vcard",
            },
            note="Met at the Royal Society, 1833.\n"
            "Wants an introduction to Babbage; ask about the engine.",
            photos=1,
        ),
        Incoming(
            line=28,
            name="Grace Brewster Hopper",
            fields={
                "phone": ["(555) 010-0200"],
                "website": "http://cobol.example",
                "birthday": "1906-12-09",
                "tags": ["navy"],
                "source": "vcard",
            },
        ),
        Incoming(
            line=39,
            name="Babbage & Sons, Engineers",
            fields={
                "phone": ["+44 20 7946 0100"],
                "org": "Babbage & Sons, Engineers",
                "source": "vcard",
            },
            photos=1,
        ),
    )
    assert read.skipped_photos == 2


def test_photos_are_counted_and_never_pasted_anywhere():
    read = read_fixture("iphone.vcf")

    assert [c.photos for c in read.contacts] == [1, 0, 1]
    pasted = repr([(c.name, c.fields, c.note) for c in read.contacts])
    assert "/9j/" not in pasted and "JFIF" not in pasted


def test_android_and_nokia_2_1_export_decodes_quoted_printable_and_folds():
    read = read_fixture("android21.vcf")

    assert read.problems == ()
    assert read.contacts == (
        Incoming(
            line=1,
            name="Élise Müller",
            fields={
                "email": ["elise@example.fr", "elise.muller@societe.example"],
                # The HOME number is the CELL one spelled without spaces: kept once.
                "phone": ["+33 6 12 34 56 78", "+33 1 23 45 67 89"],
                "org": "Société Générale, Paris",
                "role": "Directrice financière",
                "linkedin": "http://www.linkedin.com/in/elise-muller",
                "website": "elise.example.fr",
                "location": "Montréal",
                "birthday": "1985-03-14",
                "source": "vcard",
            },
            note="Rencontrée au salon VivaTech, stand B12.\nParle français et anglais.",
            photos=1,
        ),
        Incoming(
            line=23,
            name="Matti Virtanen",  # 2.1 folds keep the space that starts the next line
            fields={
                "email": ["matti.virtanen@example.fi"],
                "phone": ["+358 40 123 4567"],
                "role": "Senior Systems Engineer",
                "birthday": "1979-06-23",
                "tags": ["Ystävät"],
                "source": "vcard",
            },
            note="Vanha ystävä armeijasta, soittaa jouluna ja juhannuksena.",
        ),
    )
    assert read.skipped_photos == 1


def test_nextcloud_4_0_export_reads_the_good_cards_around_a_broken_one():
    read = read_fixture("nextcloud40.vcf")

    assert read.contacts == (
        Incoming(
            line=1,
            name="Grace Hopper",
            fields={
                "email": ["grace@navy.example", "grace.hopper@cobol.example"],
                "phone": ["+1-555-0100", "+1-555-0199"],
                "org": "United States Navy",
                "role": "Rear Admiral",
                "linkedin": "https://linkedin.com/in/grace-hopper",
                "website": "https://cobol.example/grace",
                "location": "Washington",
                "birthday": "--03-14",
                "tags": ["navy", "computing"],
                "source": "vcard",
            },
            note="Taught the first COBOL class, 1959.\nAsk about the nanosecond wire.",
            photos=1,
        ),
        Incoming(
            line=23,
            name="Hedy Lamarr",
            fields={
                "email": ["hedy@example.com"],
                "linkedin": "https://www.linkedin.com/in/hedy-lamarr",
                "birthday": "1914-11-09",
                "source": "vcard",
            },
            photos=1,
        ),
        Incoming(
            line=46,
            name="Alan Mathison Turing",
            fields={"email": ["alan@example.org"], "birthday": "--06-23", "source": "vcard"},
        ),
    )
    assert read.problems == (
        Problem(
            "nextcloud40.vcf",
            34,
            "could not read this vCard: Failed to parse line: this line has no colon",
        ),
        Problem("nextcloud40.vcf", 40, "a contact group, not a person: skipped", "warning"),
        Problem(
            "nextcloud40.vcf",
            52,
            "a vCard with no name, organisation or e-mail: skipped",
            "warning",
        ),
    )
    assert read.skipped_photos == 2


# ---------------------------------------------------------------------------
# Values


@pytest.mark.parametrize(
    ("written", "birthday"),
    [
        ("BDAY:1985-03-14", "1985-03-14"),
        ("BDAY:19850314", "1985-03-14"),
        ("BDAY:1985-03-14T00:00:00Z", "1985-03-14"),
        ("BDAY:--0314", "--03-14"),
        ("BDAY:--03-14", "--03-14"),
        ("BDAY;VALUE=date:1604-03-14", "--03-14"),
        ("BDAY;X-APPLE-OMIT-YEAR=1604;VALUE=DATE:16040314", "--03-14"),
        ("BDAY:--0229", "--02-29"),
    ],
)
def test_birthdays_in_every_written_form(written, birthday):
    contact = only(read_vcards(card("FN:Ada", written)))

    assert contact.fields["birthday"] == birthday


@pytest.mark.parametrize("written", ["BDAY;VALUE=text:circa 1815", "BDAY:1985-02-30"])
def test_a_birthday_that_is_no_date_is_left_out_with_a_warning(written):
    read = read_vcards(card("FN:Ada", "EMAIL:ada@example.com", written), "a.vcf")

    [contact] = read.contacts
    assert "birthday" not in contact.fields
    assert contact.fields["email"] == ["ada@example.com"]
    [problem] = read.problems
    assert (problem.path, problem.line, problem.level) == ("a.vcf", 1, "warning")
    assert written.split(":", 1)[1] in problem.message


def test_a_bare_comma_in_a_text_value_does_not_cut_it_short():
    # vCard 3.0 asks for `\,`, but 2.1 files and many writers leave commas bare.
    contact = only(
        read_vcards(
            card(
                "FN:Smith, John",
                "TITLE:CEO, Founder",
                "URL:https://example.com/a,b",
                "NOTE:Met in Paris, then Rome\\, and Oslo",
            )
        )
    )

    assert contact.name == "Smith, John"
    assert contact.fields["role"] == "CEO, Founder"
    assert contact.fields["website"] == "https://example.com/a,b"
    assert contact.note == "Met in Paris, then Rome, and Oslo"


def test_one_line_values_are_stripped_with_whitespace_collapsed():
    contact = only(read_vcards(card("FN:  Ada \t  Lovelace ", "TITLE: Chief   Mathematician ")))

    assert contact.name == "Ada Lovelace"
    assert contact.fields["role"] == "Chief Mathematician"


def test_empty_values_are_left_out():
    contact = only(read_vcards(card("FN:Ada", "EMAIL:", "TEL: ", "ORG:;", "TITLE:", "NOTE:")))

    assert contact.fields == {"source": "vcard"}
    assert contact.note == ""


def test_emails_and_phones_keep_file_order_each_once():
    contact = only(
        read_vcards(
            card(
                "FN:Ada",
                "EMAIL;TYPE=work:ada@work.example",
                "EMAIL;TYPE=home:ada@home.example",
                "EMAIL:ADA@work.example",
                "TEL;TYPE=cell:+44 20 7946 0018",
                "TEL;TYPE=work:+44 20 7946 0019",
                "TEL:+442079460018",
            )
        )
    )

    assert contact.fields["email"] == ["ada@work.example", "ada@home.example"]
    assert contact.fields["phone"] == ["+44 20 7946 0018", "+44 20 7946 0019"]


def test_linkedin_goes_to_linkedin_and_the_first_other_url_to_website():
    contact = only(
        read_vcards(
            card(
                "URL:https://uk.linkedin.com/in/ada",
                "FN:Ada",
                "URL:https://ada.example",
                "URL:https://blog.ada.example",
            )
        )
    )

    assert contact.fields["linkedin"] == "https://uk.linkedin.com/in/ada"
    assert contact.fields["website"] == "https://ada.example"


def test_a_host_that_merely_ends_in_linkedin_is_a_website():
    contact = only(read_vcards(card("FN:Ada", "URL:https://notlinkedin.com/ada")))

    assert contact.fields == {"website": "https://notlinkedin.com/ada", "source": "vcard"}


def test_several_notes_become_paragraphs():
    contact = only(read_vcards(card("FN:Ada", "NOTE:First.", "NOTE:Second\\nand third.")))

    assert contact.note == "First.\n\nSecond\nand third."


def test_google_system_group_is_not_a_tag():
    contact = only(read_vcards(card("FN:Ada", "CATEGORIES:myContacts,Family,family")))

    assert contact.fields["tags"] == ["Family"]


# ---------------------------------------------------------------------------
# Names


def test_the_name_falls_back_to_n_then_org_then_email():
    text = (
        card("N:Lovelace;Ada;Augusta;Lady;", "EMAIL:ada@example.com")
        + card("N:;;;;", "ORG:Analytical Engines;Research", "EMAIL:info@engines.example")
        + card("EMAIL:someone@example.com", "TEL:+1 555 0100")
    )

    names = [c.name for c in read_vcards(text).contacts]

    assert names == ["Ada Augusta Lovelace", "Analytical Engines", "someone@example.com"]


def test_a_card_with_nothing_to_call_it_by_is_a_warning():
    read = read_vcards(card("TEL:+1 555 0100") + card("FN:Ada"), "a.vcf")

    assert [c.name for c in read.contacts] == ["Ada"]
    assert read.problems == (
        Problem("a.vcf", 1, "a vCard with no name, organisation or e-mail: skipped", "warning"),
    )


def test_a_4_0_organisation_card_names_its_org():
    contact = only(read_vcards(card("KIND:org", "FN:Analytical Engines", version="4.0")))

    assert contact.name == "Analytical Engines"
    assert contact.fields["org"] == "Analytical Engines"


def test_an_apple_contact_group_is_skipped_with_a_warning():
    group = card("X-ADDRESSBOOKSERVER-KIND:group", "FN:Book club")

    read = read_vcards(group, "a.vcf")

    assert read.contacts == ()
    assert read.problems == (
        Problem("a.vcf", 1, "a contact group, not a person: skipped", "warning"),
    )


# ---------------------------------------------------------------------------
# Lines, folds and encodings


def test_each_contact_starts_at_its_begin_line():
    text = "\n" + card("FN:Ada") + "\n\n" + card("FN:Grace").replace("BEGIN", "begin")

    assert [c.line for c in read_vcards(text).contacts] == [2, 8]


def test_folded_lines_are_joined_as_each_version_says():
    three = card("FN:Ada Love", " lace", "TITLE:Chief", "\t Mathematician")
    two_one = card("FN:Ada", " Lovelace", version="2.1")

    assert only(read_vcards(three)).name == "Ada Lovelace"
    assert only(read_vcards(three)).fields["role"] == "Chief Mathematician"
    assert only(read_vcards(two_one)).name == "Ada Lovelace"


def test_a_3_0_line_ending_in_equals_is_not_taken_for_quoted_printable():
    text = card(
        "FN:Ada",
        "NOTE:about quoted-printable: ends with =",
        "URL:https://example.com/?q=",
    )

    contact = only(read_vcards(text))

    assert contact.note == "about quoted-printable: ends with ="
    assert contact.fields["website"] == "https://example.com/?q="


def test_quoted_printable_in_a_legacy_charset():
    text = card("FN;CHARSET=ISO-8859-1;QUOTED-PRINTABLE:Jos=E9 Garc=EDa", version="2.1")

    assert only(read_vcards(text)).name == "José García"


def test_quoted_printable_that_cannot_be_decoded_is_an_error_and_the_rest_are_read():
    text = (
        card("FN;CHARSET=X-UNKNOWN;ENCODING=QUOTED-PRINTABLE:=C3=89", version="2.1")
        + card("FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=FF=FE", version="2.1")
        + card("FN:Ada")
    )

    read = read_vcards(text, "a.vcf")

    assert [c.name for c in read.contacts] == ["Ada"]
    assert [(p.line, p.level) for p in read.problems] == [(1, "error"), (5, "error")]
    assert all(p.message.startswith("could not read this vCard: ") for p in read.problems)


def test_pictures_that_are_not_base64_do_not_spoil_the_card():
    text = card(
        "FN:Ada",
        "PHOTO;ENCODING=b;TYPE=JPEG:!!not base64!!",
        "LOGO;ENCODING=b;TYPE=PNG:!!not base64 either!!",
    )

    contact = only(read_vcards(text))

    assert (contact.name, contact.photos) == ("Ada", 1)


def test_a_card_without_end_is_an_error_and_the_next_card_is_read():
    text = "BEGIN:VCARD\nVERSION:3.0\nFN:Ada\n" + card("FN:Grace") + "BEGIN:VCARD\nFN:Alan\n"

    read = read_vcards(text, "a.vcf")

    assert [(c.name, c.line) for c in read.contacts] == [("Grace", 4)]
    assert read.problems == (
        Problem("a.vcf", 1, "this vCard has no END:VCARD: skipped"),
        Problem("a.vcf", 8, "this vCard has no END:VCARD: skipped"),
    )


def test_a_file_that_is_no_vcard_is_an_error():
    read = read_vcards("Name,E-mail\nAda,ada@example.com\n", "contacts.csv")

    assert read == Read(
        (), (Problem("contacts.csv", 1, "no BEGIN:VCARD: this is not a vCard file"),)
    )


def test_an_empty_file_has_no_contacts_and_no_problems():
    assert read_vcards("\r\n") == Read(())


def test_a_byte_order_mark_is_no_obstacle():
    assert only(read_vcards("\ufeff" + card("FN:Ada"))).name == "Ada"
