"""Merging imported contacts into a vault: matched, filled, never losing what the user wrote."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from netvault import build, followups
from netvault.importers import Incoming
from netvault.importers.apply import apply_plan, read_text
from netvault.importers.merge import Defaults, linkedin_key, plan_import, safe_stem

TODAY = date(2026, 11, 22)


def row(name, line=2, note="", **fields):
    return Incoming(line, name, fields, note)


def files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): read_text(p)
        for p in sorted(root.rglob("*.md"))
        if ".netvault-cache" not in p.parts
    }


def run(root: Path, rows, source="linkedin", today=TODAY, write=True, **kwargs):
    loaded = build.load(root)
    plan = plan_import(
        loaded.model,
        lambda rel: read_text(root / rel),
        rows,
        source=source,
        today=today,
        taken=[p.relative_to(root).as_posix() for p in root.rglob("*")],
        path="export.csv",
        **kwargs,
    )
    if write:
        applied = apply_plan(root, plan)
        assert applied.problems == ()
    return plan


ADA = row(
    "Ada Lovelace",
    linkedin="https://www.linkedin.com/in/ada-lovelace",
    email=["ada@example.org"],
    org="Analytical Engines",
    role="Mathematician",
    met=date(2025, 12, 7),
    source="linkedin",
)


def test_new_contacts_get_notes_with_what_the_file_said(vault):
    root = vault({"contacts/Grace Hopper.md": "---\norg: Navy\n---\nAdmiral.\n"})
    plan = run(root, [ADA], defaults=Defaults(circle="network", cadence="90d"))
    assert [c.path for c in plan.created] == ["contacts/Ada Lovelace.md"]
    contact = build.load(root).model.contacts["contacts/Ada Lovelace.md"]
    assert (contact.name, contact.org.text, contact.role) == (
        "Ada Lovelace",
        "Analytical Engines",
        "Mathematician",
    )
    assert (contact.emails, contact.met, contact.source) == (
        ("ada@example.org",),
        date(2025, 12, 7),
        "linkedin",
    )
    assert (contact.circle, contact.cadence.days) == ("network", 90)
    assert files(root)["contacts/Grace Hopper.md"] == "---\norg: Navy\n---\nAdmiral.\n"


def test_importing_the_same_file_twice_changes_nothing_the_second_time(vault):
    root = vault({})
    run(root, [ADA, row("Grace Hopper", org="Navy")])
    before = files(root)
    again = run(root, [ADA, row("Grace Hopper", org="Navy")])
    assert (again.created, again.updated, again.conflicts) == ((), (), ())
    assert sorted(again.unchanged) == ["contacts/Ada Lovelace.md", "contacts/Grace Hopper.md"]
    assert files(root) == before


def test_a_hand_written_contact_gets_only_its_empty_fields_and_conflicts_are_reported(vault):
    mine = (
        "---\n# my own notes\naliases: [Countess]\norg: '[[Analytical Engines]]'\n"
        "role: Countess of Lovelace\nemail:\ntags: [friend]\n---\nMet at the opera.\n"
    )
    root = vault({"contacts/Ada.md": mine})
    plan = run(root, [row("Countess", email=["ada@example.org"], role="Mathematician")])
    assert plan.created == ()
    [updated] = plan.updated
    assert (updated.path, updated.fields) == ("contacts/Ada.md", ("email",))
    assert [(c.field, c.ours, c.theirs) for c in plan.conflicts] == [
        ("role", "Countess of Lovelace", "Mathematician")
    ]
    assert files(root)["contacts/Ada.md"] == mine.replace("email:\n", "email: ada@example.org\n")


def test_rows_match_by_linkedin_then_email_then_name(vault):
    root = vault(
        {
            "contacts/A.md": "---\nlinkedin: linkedin.com/in/ada-lovelace/\n---\n",
            "contacts/B.md": "---\nemail: [GRACE@navy.mil]\n---\n",
            "contacts/C.md": "---\naliases: [Linus T]\n---\n",
        }
    )
    rows = [
        row("Someone Else", linkedin="https://uk.linkedin.com/in/Ada-Lovelace?trk=x", role="R"),
        row("Grace", email=["grace@navy.mil"], role="Admiral"),
        row("linus t", role="Kernel"),
    ]
    plan = run(root, rows, source="vcard")
    assert plan.created == ()
    assert sorted((u.path, u.fields) for u in plan.updated) == [
        ("contacts/A.md", ("role",)),
        ("contacts/B.md", ("role",)),
        ("contacts/C.md", ("role",)),
    ]


def test_awkward_names_get_safe_readable_unique_file_names(vault):
    root = vault({"contacts/Ada Lovelace.md": "---\nlinkedin: linkedin.com/in/ada-1\n---\n"})
    rows = [
        row("Ada Lovelace", linkedin="linkedin.com/in/ada-2"),  # a namesake
        row("AC/DC: the band 🎸"),
        row("José  Núñez"),
        row("张伟"),
        row("CON"),
        row("x" * 200),
        row("🌻"),
    ]
    plan = run(root, rows)
    names = [c.path for c in plan.created]
    assert names == [
        "contacts/Ada Lovelace 2.md",
        "contacts/AC DC the band.md",
        "contacts/José Núñez.md",
        "contacts/张伟.md",
        "contacts/CON (contact).md",
        "contacts/" + "x" * 80 + ".md",
        "contacts/Contact.md",
    ]
    model = build.load(root).model
    # The name shown is the person's, whatever the file is called.
    assert model.contacts["contacts/AC DC the band.md"].name == "AC/DC: the band 🎸"
    assert model.contacts["contacts/Ada Lovelace 2.md"].name == "Ada Lovelace"


def test_one_person_twice_in_a_file_is_one_note(vault):
    root = vault({})
    plan = run(root, [row("Ada", email=["a@x.org"]), row("Ada", email=["a@x.org"], role="CTO")])
    assert [c.path for c in plan.created] == ["contacts/Ada.md"]
    assert build.load(root).model.contacts["contacts/Ada.md"].role == "CTO"


def test_text_from_the_file_stays_plain_text(vault):
    root = vault({})
    evil = row(
        "Eve: <script>alert(1)</script>",
        org="---\nname: hacked",
        role="yes",
        note="---\nfollow_up: 2026-11-22\n---\n<img src=x onerror=alert(1)>",
    )
    run(root, [evil])
    [path] = files(root)
    contact = build.load(root).model.contacts[path]
    assert contact.name == "Eve: <script>alert(1)</script>"
    assert contact.org.text == "---\nname: hacked"
    assert contact.role == "yes"
    assert contact.follow_up is None  # the note's text is its body, not front matter


def test_a_linkedin_job_change_keeps_the_old_role_and_raises_a_congratulation(vault):
    root = vault({})
    run(root, [ADA], today=date(2026, 1, 10))
    moved = row(
        "Ada Lovelace",
        linkedin="https://www.linkedin.com/in/ada-lovelace/",
        org="Babbage & Co",
        role="Chief Scientist",
    )
    plan = run(root, [moved])
    [updated] = plan.updated
    assert updated.job_change == "Analytical Engines, Mathematician → Babbage & Co, Chief Scientist"
    loaded = build.load(root)
    ada = loaded.model.contacts["contacts/Ada Lovelace.md"]
    assert (ada.org.text, ada.role) == ("Babbage & Co", "Chief Scientist")
    assert [(p.org, p.role, p.until) for p in ada.previous] == [
        ("Analytical Engines", "Mathematician", TODAY)
    ]
    due = followups.compute(loaded.model, TODAY, loaded.settings)
    [congrats] = [f for f in due if f.kind == "new-role"]
    assert congrats.reason == (
        "Congratulate Ada Lovelace on the new role: Chief Scientist at Babbage & Co"
    )
    assert congrats.due == TODAY
    assert run(root, [moved]).updated == ()  # told once


def test_a_role_typed_by_hand_is_never_replaced_by_an_import(vault):
    root = vault({})
    run(root, [ADA], today=date(2026, 1, 10))
    note = root / "contacts" / "Ada Lovelace.md"
    note.write_text(read_text(note).replace("\nrole: Mathematician", "\nrole: Poet"))
    before = files(root)
    plan = run(root, [row("Ada Lovelace", linkedin=ADA.fields["linkedin"], role="Engineer")])
    assert plan.updated == ()
    assert [(c.field, c.ours, c.theirs) for c in plan.conflicts] == [("role", "Poet", "Engineer")]
    assert files(root) == before


def test_a_note_edited_while_importing_is_left_alone(vault):
    root = vault({"contacts/Ada.md": "---\norg: Engines\n---\n"})
    loaded = build.load(root)
    plan = plan_import(
        loaded.model,
        lambda rel: read_text(root / rel),
        [row("Ada", role="CTO")],
        source="vcard",
        today=TODAY,
    )
    (root / "contacts" / "Ada.md").write_text("---\norg: Engines\n---\nSaved meanwhile.\n")
    applied = apply_plan(root, plan)
    assert applied.updated == ()
    assert "changed meanwhile" in applied.problems[0].message
    assert read_text(root / "contacts" / "Ada.md").endswith("Saved meanwhile.\n")


def test_linkedin_profiles_are_compared_whatever_their_url_form():
    forms = [
        "https://www.linkedin.com/in/ada-lovelace/",
        "http://linkedin.com/in/Ada-Lovelace",
        "linkedin.com/in/ada-lovelace?utm=1",
        "https://de.linkedin.com/in/ada-lovelace#x",
        "ada-lovelace",
    ]
    assert {linkedin_key(f) for f in forms} == {"linkedin.com/in/ada-lovelace"}


def test_safe_stem_keeps_letters_and_drops_what_file_systems_refuse():
    assert safe_stem(' Dr. "Who"? <Doctor> | Time:Lord \\ ') == "Dr. Who Doctor Time Lord"
    assert safe_stem(".hidden") == "hidden"
    assert safe_stem("[[Link]] #tag ^block") == "Link tag block"


def test_an_import_fills_a_field_under_the_key_the_note_writes_it_as(vault):
    """`Company:` and `E-mail:` are the organisation and the e-mail: filled there, or left
    alone, never written again beside them under netvault's own names."""
    mine = "---\nCompany: Analytical Engines\nE-mail:\n---\nMet at the opera.\n"
    root = vault({"contacts/Ada Lovelace.md": mine})
    plan = run(root, [row("Ada Lovelace", email=["ada@example.org"], org="Analytical Engines")])
    [updated] = plan.updated
    assert updated.fields == ("email",)
    assert plan.conflicts == ()
    assert files(root)["contacts/Ada Lovelace.md"] == mine.replace(
        "E-mail:\n", "E-mail: ada@example.org\n"
    )
    # An alias of the settings' own is matched too.
    mine = "---\nemployer: Navy\n---\n"
    root = vault({"contacts/Grace Hopper.md": mine})
    plan = run(root, [row("Grace Hopper", org="Navy")], properties={"org": ["employer"]})
    assert plan.updated == () and plan.conflicts == ()
