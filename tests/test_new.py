"""New notes from templates: titles stay text, folders follow the settings."""

from __future__ import annotations

from datetime import date

import pytest

from netvault.config import Settings, folder_for
from netvault.new import NewNoteError, new_note
from netvault.vault import parse_note

TODAY = date(2026, 11, 22)
FOLDER = "contacts"


def test_a_title_goes_into_the_front_matter_as_text_and_the_file_name_made_safe():
    template = '---\nname: "{{title}}"\nmet: "{{date}}"\n---\n# {{title}}\n'
    note = new_note("contact", 'Zoë "Z": #1 / AC-DC', template, TODAY, FOLDER)
    assert note.path == "contacts/Zoë Z 1 AC-DC.md"
    parsed = parse_note(note.path, note.text)
    assert dict(parsed.meta) == {"name": 'Zoë "Z": #1 / AC-DC', "met": "2026-11-22"}
    assert parsed.body == '# Zoë "Z": #1 / AC-DC\n'


def test_an_interaction_is_named_for_its_day():
    template = "---\ndate: '{{date}}'\nwith: []   # who\n---\n"
    note = new_note(
        "informational-interview", "Call", template, TODAY, "Meetings", {"with": ["[[Ada]]"]}
    )
    assert note.path == "Meetings/2026-11-22 Call.md"
    assert parse_note(note.path, note.text).meta["with"] == ["[[Ada]]"]


@pytest.mark.parametrize(
    ("template", "title", "message"),
    [
        ("---\nname: {{title}}\n---\n", "a: b", "does not read as a note"),
        ("---\nname: x\n---\n", "  ", "needs a title"),
    ],
)
def test_a_note_that_would_not_read_is_refused(template, title, message):
    with pytest.raises(NewNoteError, match=message):
        new_note("contact", title, template, TODAY, FOLDER)


@pytest.mark.parametrize(
    ("kind", "existing", "folder"),
    [
        ("contact", [], "contacts"),
        ("contact", ["People", "notes"], "People"),
        ("contact", ["People", "contacts"], "contacts"),
        ("interaction", ["meetings", "contacts"], "meetings"),
        ("goal", ["Goals"], "Goals"),
    ],
)
def test_a_new_note_joins_the_folder_of_its_kind_the_vault_already_has(kind, existing, folder):
    assert folder_for(Settings(), kind, existing) == folder
