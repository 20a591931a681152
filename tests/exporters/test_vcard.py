import re

from netvault.exporters.vcard import export_vcards
from netvault.importers.vcard import read_vcards
from netvault.model import Contact, Ref

ADA = Contact(
    path="people/Ada Lovelace.md",
    name="Ada Lovelace",
    org=Ref("Analytical Engines", "orgs/Analytical Engines.md", 4),
    role="Chief Mathematician",
    emails=("ada@engines.example", "ada.home@example.org"),
    phones=("+44 20 7946 0018", "+44 20 7946 0019"),
    linkedin="https://www.linkedin.com/in/ada-lovelace",
    website="https://engines.example/ada",
    location="London",
    tags=("mathematics", "friends"),
    birthday="1815-12-10",
)
GRACE = Contact(
    path="people/grace.md",
    name="Grace Brewster Hopper",
    org=Ref("US Navy", None, 3),  # an organisation with no note of its own
    emails=("grace@navy.example",),
    birthday="--12-09",
)
CHER = Contact(path="people/cher.md", name="Cher", phones=("+1 555 0100",))


def lines(text: str) -> list[str]:
    """The text's lines, unfolded as RFC 2425 asks."""
    return text.replace("\r\n ", "").split("\r\n")


def test_the_round_trip_gives_back_what_was_exported():
    read = read_vcards(export_vcards([ADA, GRACE, CHER]))

    assert read.problems == ()
    ada, cher, grace = read.contacts
    assert ada.name == "Ada Lovelace"
    assert ada.fields == {
        "email": ["ada@engines.example", "ada.home@example.org"],
        "phone": ["+44 20 7946 0018", "+44 20 7946 0019"],
        "org": "Analytical Engines",
        "role": "Chief Mathematician",
        "linkedin": "https://www.linkedin.com/in/ada-lovelace",
        "website": "https://engines.example/ada",
        "location": "London",
        "birthday": "1815-12-10",
        "tags": ["mathematics", "friends"],
        "source": "vcard",
    }
    assert grace.name == "Grace Brewster Hopper"
    assert grace.fields == {
        "email": ["grace@navy.example"],
        "org": "US Navy",
        "birthday": "--12-09",
        "source": "vcard",
    }
    assert (cher.name, cher.fields) == ("Cher", {"phone": ["+1 555 0100"], "source": "vcard"})


def test_text_with_separators_and_line_breaks_survives_escaped():
    odd = Contact(
        path="people/odd.md",
        name="Doe; Jane, Jr.",
        org=Ref("Smith, Jones; Partners", None, 2),
        role="CTO: Platform\\Infra",
        location="Washington, D.C.",
        tags=("a,b", "c;d"),
        how_met="Met at PyCon, Berlin;\nintroduced by Grace: ask about COBOL.",
    )

    text = export_vcards([odd])
    contact = read_vcards(text).contacts[0]

    assert "FN:Doe\\; Jane\\, Jr.\r\n" in text
    assert "NOTE:Met at PyCon\\, Berlin\\;\\nintroduced by Grace: ask about COBOL.\r\n" in text
    assert contact.name == "Doe; Jane, Jr."
    assert contact.note == "Met at PyCon, Berlin;\nintroduced by Grace: ask about COBOL."
    assert contact.fields["org"] == "Smith, Jones; Partners"
    assert contact.fields["role"] == "CTO: Platform\\Infra"
    assert contact.fields["location"] == "Washington, D.C."
    assert contact.fields["tags"] == ["a,b", "c;d"]


def test_the_output_is_vcard_3_0_with_crlf_line_ends():
    text = export_vcards([ADA, GRACE])

    assert text.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
    assert text.endswith("END:VCARD\r\n")
    assert text.count("BEGIN:VCARD") == 2
    assert "\n" not in text.replace("\r\n", "")


def test_long_lines_are_folded_and_unfold_intact():
    long = Contact(path="people/long.md", name="Zoë Ångström", how_met="Ça va ünïcödé — " * 20)

    text = export_vcards([long])

    assert max(len(line.encode()) for line in text.split("\r\n")) <= 75
    assert read_vcards(text).contacts[0].note == long.how_met.strip()


def test_the_same_contacts_give_the_same_bytes_in_any_order():
    first = export_vcards([ADA, GRACE, CHER])

    assert export_vcards([CHER, ADA, GRACE]) == first
    assert export_vcards(iter([GRACE, CHER, ADA])) == first


def test_cards_are_sorted_by_name_then_path():
    twin = Contact(
        path="archive/Ada Lovelace.md", name="Ada Lovelace", emails=("twin@example.com",)
    )
    text = export_vcards([GRACE, ADA, CHER, twin])

    names = [line for line in lines(text) if line.startswith("FN:")]
    assert names == ["FN:Ada Lovelace", "FN:Ada Lovelace", "FN:Cher", "FN:Grace Brewster Hopper"]
    assert text.index("twin@example.com") < text.index("ada@engines.example")


def test_the_uid_is_stable_per_note_path():
    moved_on = Contact(path=ADA.path, name="Ada King", role="Countess")

    def uid(contact: Contact) -> str:
        """The contact's UID line."""
        [line] = [line for line in lines(export_vcards([contact])) if line.startswith("UID:")]
        return line

    assert re.fullmatch(r"UID:netvault-[0-9a-f]{32}", uid(ADA))
    assert uid(moved_on) == uid(ADA)  # a renamed person updates the same card
    assert uid(GRACE) != uid(ADA)


def test_n_splits_the_family_name_from_the_given_names():
    [grace_n] = [line for line in lines(export_vcards([GRACE])) if line.startswith("N:")]
    [cher_n] = [line for line in lines(export_vcards([CHER])) if line.startswith("N:")]

    assert grace_n == "N:Hopper;Grace Brewster;;;"
    assert cher_n == "N:;Cher;;;"


def test_each_email_is_an_internet_address_and_linkedin_a_social_profile():
    text = lines(export_vcards([ADA]))

    assert "EMAIL;TYPE=INTERNET:ada@engines.example" in text
    assert "EMAIL;TYPE=INTERNET:ada.home@example.org" in text
    assert "X-SOCIALPROFILE;TYPE=linkedin:https://www.linkedin.com/in/ada-lovelace" in text
    assert "URL:https://www.linkedin.com/in/ada-lovelace" in text


def test_a_linkedin_handle_is_written_as_its_profile_address():
    handle = Contact(path="people/h.md", name="Handle", linkedin="ada-lovelace")

    read = read_vcards(export_vcards([handle]))

    assert read.contacts[0].fields == {
        "linkedin": "https://www.linkedin.com/in/ada-lovelace",
        "source": "vcard",
    }


def test_a_birthday_without_year_is_written_as_apple_writes_it():
    assert "BDAY;X-APPLE-OMIT-YEAR=1604:1604-12-09" in lines(export_vcards([GRACE]))


def test_a_birthday_that_is_no_date_is_left_out():
    for written in ("March 14", "1985-02-30", "--13-01"):
        vague = Contact(path="people/v.md", name="Vague", birthday=written)

        assert "BDAY" not in export_vcards([vague])


def test_fields_a_contact_lacks_write_no_lines():
    text = export_vcards([CHER])

    assert [line.split(":")[0] for line in lines(text) if line] == [
        "BEGIN",
        "VERSION",
        "PRODID",
        "UID",
        "FN",
        "N",
        "TEL",
        "END",
    ]


def test_no_contacts_give_an_empty_file():
    assert export_vcards([]) == ""
