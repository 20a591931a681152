"""Snoozing notes in bulk: which notes, and edits that change that one field alone."""

from __future__ import annotations

from datetime import date

from netvault.build import Builder
from netvault.followups import compute
from netvault.snooze import Snooze, apply, plan, snoozed_text

TODAY = date(2026, 11, 22)
UNTIL = date(2027, 1, 15)


def test_the_notes_planned_are_the_sources_of_the_long_overdue_of_the_kinds_asked(vault):
    root = vault(
        {
            "contacts/Ada.md": "---\nfollow_up: 2019-01-01\ncadence: none\n---\n",
            "contacts/Bob.md": "---\nfollow_up: 2026-11-01\ncadence: none\n---\n",
            "notes/Plan.md": "- [ ] Call [[Ada]] 📅 2018-01-01\n- [ ] Mail [[Bob]] 📅 2019-01-01\n",
        }
    )
    loaded = Builder(root, root / "site").load()
    found = compute(loaded.model, TODAY, loaded.settings)
    planned = plan(loaded.model, found, TODAY, 60)
    assert [(s.path, [f.due.year for f in s.followups]) for s in planned] == [
        ("contacts/Ada.md", [2019]),
        ("notes/Plan.md", [2018, 2019]),  # oldest first
    ]
    assert [s.path for s in plan(loaded.model, found, TODAY, 60, {"task"})] == ["notes/Plan.md"]
    # Bob's follow-up, 21 days overdue, too.
    assert [s.path for s in plan(loaded.model, found, TODAY, 20)] == [
        "contacts/Ada.md",
        "contacts/Bob.md",
        "notes/Plan.md",
    ]


def test_a_note_without_front_matter_gets_one_and_keeps_its_body():
    text = "- [ ] Call [[Ada]] 📅 2018-01-01\n\nNotes.\n"
    edited, line = snoozed_text(text, "snooze_until", UNTIL)
    assert edited == "---\nsnooze_until: 2027-01-15\n---\n" + text
    assert line == 2


def test_a_file_outside_the_vault_is_never_written(tmp_path):
    outside = tmp_path / "elsewhere.md"
    outside.write_text("---\nfollow_up: 2019-01-01\n---\n")
    root = tmp_path / "vault"
    (root / "contacts").mkdir(parents=True)
    (root / "contacts/Bob.md").symlink_to(outside)
    (root / "contacts/Ada.md").write_text("---\nfollow_up: 2019-01-01\n---\n")
    snoozes = [Snooze("contacts/Ada.md", "snooze_until", ()), Snooze("contacts/Bob.md", "x", ())]
    done, problems = apply(root, snoozes, UNTIL)
    assert outside.read_text() == "---\nfollow_up: 2019-01-01\n---\n"
    assert [str(p) for p in problems] == [
        "contacts/Bob.md:1: error: not snoozed: the file is outside the vault"
    ]
    assert [(d.snooze.path, d.line) for d in done] == [("contacts/Ada.md", 3)]


def test_a_note_whose_front_matter_cannot_be_read_is_left_alone_with_why(tmp_path):
    root = tmp_path / "vault"
    root.mkdir()
    broken = "---\nfollow_up: [2019-01-01\n---\nBody.\n"
    (root / "Broken.md").write_text(broken)
    done, problems = apply(root, [Snooze("Broken.md", "snooze_until", ())], UNTIL)
    assert done == () and "not snoozed" in problems[0].message
    assert (root / "Broken.md").read_text() == broken
