"""The model and follow-ups as JSON: loaded back and checked field by field."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from netvault import build, followups
from netvault.exporters import json as json_exporter
from netvault.exporters.ics import followup_uids
from netvault.exporters.json import export_json, to_json
from netvault.model import Contact, Ref

TODAY = date(2026, 11, 20)

FILES = {
    "contacts/Ada Lovelace.md": """
        ---
        org: "[[Analytical Engines]]"
        role: Mathematician
        email: ada@example.org
        cadence: 30d
        tags: [mentor, math]
        met: 2025-03-04
        ---
        """,
    "contacts/li.md": "---\nname: 李雷 Ωmega\ncadence: none\nfollow_up: 2026-11-22\n---\n",
    "interactions/2026-11-15 Coffee with Ada.md": """
        ---
        type: coffee
        with: ["[[Ada Lovelace]]", "[[Nobody Yet]]"]
        ---
        - [ ] Send Ada the paper 📅 2026-11-25
        """,
    "orgs/Analytical Engines.md": "---\nwebsite: https://engines.example\n---\n",
    "goals/Move into design.md": '---\ntargets: ["[[Analytical Engines]]"]\n---\n',
}


def export(root: Path, reverse: bool = False) -> str:
    loaded = build.load(root)
    due = followups.compute(loaded.model, TODAY, loaded.settings)
    return export_json(loaded, due[::-1] if reverse else due, TODAY)


def test_the_model_loads_back_with_every_record_and_its_fields(vault):
    data = json.loads(export(vault(FILES)))
    assert set(data) == {
        "netvault",
        "today",
        "contacts",
        "interactions",
        "orgs",
        "goals",
        "followups",
    }
    assert data["netvault"] == 1
    assert data["today"] == "2026-11-20"
    assert [c["path"] for c in data["contacts"]] == ["contacts/Ada Lovelace.md", "contacts/li.md"]
    ada = data["contacts"][0]
    assert ada["name"] == "Ada Lovelace"
    assert ada["org"] == {"text": "Analytical Engines", "path": "orgs/Analytical Engines.md"}
    assert ada["role"] == "Mathematician"
    assert ada["emails"] == ["ada@example.org"]
    assert ada["tags"] == ["mentor", "math"]
    assert ada["met"] == "2025-03-04"
    assert ada["cadence_days"] == 30 and "cadence" not in ada
    assert ada["referred_by"] is None and ada["last_contact"] is None
    # Every field of the record is there, under its JSON name.
    assert len(ada) == len(Contact.__dataclass_fields__)
    li = data["contacts"][1]
    assert li["cadence_days"] is None and li["follow_up"] == "2026-11-22"
    [coffee] = data["interactions"]
    assert coffee["date"] == "2026-11-15" and coffee["type"] == "coffee"
    # `with_` is written `with`; a link to no note has a null path.
    assert coffee["with"] == [
        {"text": "Ada Lovelace", "path": "contacts/Ada Lovelace.md"},
        {"text": "Nobody Yet", "path": None},
    ]
    assert data["orgs"] == [
        {
            "path": "orgs/Analytical Engines.md",
            "name": "Analytical Engines",
            "website": "https://engines.example",
            "location": "",
            "industry": "",
            "tags": [],
        }
    ]
    [goal] = data["goals"]
    assert goal["targets"] == [{"text": "Analytical Engines", "path": "orgs/Analytical Engines.md"}]


def test_the_follow_ups_are_there_in_due_order_with_their_calendar_uids(vault):
    root = vault(FILES)
    data = json.loads(export(root))
    found = data["followups"]
    assert [(f["kind"], f["due"]) for f in found] == [
        ("thank-you", "2026-11-16"),
        ("explicit", "2026-11-22"),
        ("task", "2026-11-25"),
        ("keep-in-touch", "2026-12-15"),
    ]
    thanks = found[0]
    assert thanks["contacts"] == ["contacts/Ada Lovelace.md"]
    assert thanks["reason"] == "Thank Ada Lovelace for the coffee on 2026-11-15"
    assert thanks["source"] == "interactions/2026-11-15 Coffee with Ada.md"
    assert isinstance(thanks["line"], int)
    keep = found[3]
    assert keep["evidence_path"] == "interactions/2026-11-15 Coffee with Ada.md"
    assert found[1]["evidence_path"] is None
    # The same ids as the calendar feed's UIDs.
    loaded = build.load(root)
    due = followups.compute(loaded.model, TODAY, loaded.settings)
    assert sorted(f["id"] for f in found) == sorted(followup_uids(due))


def test_the_same_input_gives_the_same_text(vault):
    root = vault(FILES)
    text = export(root)
    assert export(root) == text
    assert export(root, reverse=True) == text
    assert text.endswith("}\n")
    assert text.startswith('{\n  "contacts": [')  # indented, keys sorted


def test_non_ascii_is_kept_as_written(vault):
    text = export(vault(FILES))
    assert '"name": "李雷 Ωmega"' in text
    assert "\\u" not in text
    assert json.loads(text)["contacts"][1]["name"] == "李雷 Ωmega"


def test_the_exporter_uses_the_standard_library_json():
    # The module is named json.py; its own `import json` must not be itself.
    assert json_exporter.json is json
    assert json_exporter.__name__ == "netvault.exporters.json"


def test_to_json_converts_any_record_and_refuses_an_unknown_value():
    contact = Contact(
        "contacts/a.md",
        "A",
        org=Ref("Org", None, 3),
        cadence=timedelta(days=14),
        interests=("chess", "go"),
    )
    out = to_json(contact)
    assert out["org"] == {"text": "Org", "path": None}
    assert out["cadence_days"] == 14
    assert out["interests"] == ["chess", "go"]
    assert out["cadence_given"] is False
    with pytest.raises(TypeError):
        to_json(Contact("contacts/b.md", "B", role=object()))  # type: ignore[arg-type]
