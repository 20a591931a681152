"""Setting front-matter fields in a note's text: only those fields change."""

from __future__ import annotations

from datetime import date

import pytest

from netvault.frontmatter import EditError, set_fields
from netvault.vault import parse_note

NOTE = """---
# Met at PyData; ask about the talk.
name: Ada Lovelace
email:
tags:
- mentor
- python

role: CTO   # as of 2026
---
Body with a --- line:
---
and more.
"""


def test_a_field_is_filled_in_place_and_everything_else_is_kept_byte_for_byte():
    edited = set_fields(NOTE, {"email": ["ada@example.org"], "org": "Engines"})
    assert edited == NOTE.replace("email:\n", "email:\n- ada@example.org\n").replace(
        "role: CTO   # as of 2026\n", "role: CTO   # as of 2026\norg: Engines\n"
    )


def test_a_list_is_replaced_whole_with_its_lines():
    edited = set_fields(NOTE, {"tags": ["mentor", "python", "rust"]})
    assert "- rust\n\nrole: CTO" in edited
    assert parse_note("n.md", edited).meta["tags"] == ["mentor", "python", "rust"]


def test_values_that_look_like_yaml_or_html_stay_plain_text():
    values = {
        "org": "Acme: <b>Inc</b>",
        "role": "---",
        "location": "yes",
        "website": "#not-a-comment",
        "met": date(2025, 12, 7),
        "note": "two\nlines",
    }
    meta = parse_note("n.md", set_fields(NOTE, values)).meta
    assert {k: meta[k] for k in values} == values


def test_crlf_line_endings_are_kept():
    text = NOTE.replace("\n", "\r\n")
    edited = set_fields(text, {"org": "Engines"})
    assert "\n" not in edited.replace("\r\n", "")
    assert edited.endswith("and more.\r\n")


def test_a_note_without_front_matter_gets_some():
    assert set_fields("Just notes.\n", {"email": "a@b.org"}) == (
        "---\nemail: a@b.org\n---\nJust notes.\n"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("---\nname: [unclosed\n---\n", "not valid YAML"),
        ("---\nname: Ada\n", "not closed"),
        # A key twice: YAML keeps the last, so editing the first would change nothing
        # the reader sees. Better to refuse than to write something surprising.
        ("---\norg: A\norg: B\n---\n", "more than the fields"),
    ],
)
def test_front_matter_that_cannot_be_edited_safely_is_refused(text, message):
    with pytest.raises(EditError, match=message):
        set_fields(text, {"org": "C"})
