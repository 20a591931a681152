"""A whole build: what it reads, what it writes, and what it leaves alone."""

import hashlib
from datetime import date

import pytest

from netvault import build
from netvault.site import SiteError

TODAY = date(2026, 11, 22)


def files_of(root):
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def test_build_never_writes_into_the_vault(vault, tmp_path):
    root = vault(
        {
            "contacts/Ada.md": "---\nname: Ada\nfollow_up: 2026-11-20\n---\n![[photo.png]]\n",
            "notes/Bad.md": "---\nname: [\n---\n",
        }
    )
    (root / "attachments").mkdir()
    (root / "attachments" / "photo.png").write_bytes(b"\x89PNG fake")
    before = files_of(root)
    result = build.build(root, tmp_path / "out", TODAY)
    assert files_of(root) == before
    assert result.pages > 0
    assert [f.kind for f in result.followups] == ["explicit"]
    assert [(p.path, p.level) for p in result.problems] == [("notes/Bad.md", "error")]


def test_the_output_folder_inside_the_vault_is_not_read_as_notes(vault):
    root = vault({"contacts/Ada.md": "---\nname: Ada\n---\n"})
    build.build(root, root / "public", TODAY)
    (root / "public" / "stray.md").write_text("---\nname: Stray\n---\n")
    result = build.build(root, root / "public", TODAY)
    assert list(result.loaded.model.contacts) == ["contacts/Ada.md"]
    assert "public/stray.md" not in result.loaded.model.pages


def test_a_failed_build_leaves_the_previous_site_whole(vault):
    root = vault({"contacts/Ada.md": "---\nname: Ada\n---\n"})
    out = root / "site"
    build.build(root, out, TODAY)
    before = files_of(out)
    broken = root / "themes" / "default" / "templates" / "contact.html"
    broken.parent.mkdir(parents=True)
    broken.write_text("{% extends 'default:base.html' %}{% block main %}{{ nope( }}{% endblock %}")
    with pytest.raises(SiteError, match=r"contact\.html"):
        build.build(root, out, TODAY)
    assert files_of(out) == before
    assert [p.name for p in root.iterdir() if p.name.startswith(".site")] == []


def test_load_reports_settings_problems_with_the_notes(vault):
    root = vault({"netvault.toml": "[site]\nrows_per_group = 'many'\n", "contacts/Ada.md": ""})
    loaded = build.load(root)
    assert [(p.path, p.line) for p in loaded.problems] == [("netvault.toml", 2)]
    assert "contacts/Ada.md" in loaded.model.contacts


def test_odd_front_matter_values_never_stop_a_build(vault, tmp_path):
    """Every field with every odd value, in one vault: the build finishes and renders Ada."""
    from test_model import FIELDS, WEIRD_VALUES

    files = {"contacts/Ada.md": "---\nname: Ada\n---\n"}
    for i, field in enumerate(FIELDS):
        for j, value in enumerate(WEIRD_VALUES):
            files[f"contacts/odd {i}-{j}.md"] = f"---\n{field}: {value}\n---\n"
            files[f"interactions/2026-11-20 odd {i}-{j}.md"] = (
                f"---\n{field}: {value}\nwith: '[[Ada]]'\n---\n"
            )
            files[f"notes/odd {i}-{j}.md"] = f"---\n{field}: {value}\ndate: 2026-11-19\n---\n"
    root = vault(files)
    result = build.build(root, tmp_path / "out", TODAY)
    assert (tmp_path / "out" / "contacts" / "ada.html").is_file()
    assert result.pages > len(files)


def test_a_builder_reparses_only_changed_notes(vault, tmp_path, monkeypatch):
    from netvault import notes

    root = vault({"contacts/Ada.md": "---\nname: Ada\n---\n", "contacts/Grace.md": "x\n"})
    builder = build.Builder(root, tmp_path / "out")
    builder.build(TODAY)
    parsed: list[str] = []
    real_parse = notes.parse
    monkeypatch.setattr(
        notes, "parse", lambda note, html: parsed.append(note.path) or real_parse(note, html)
    )
    (root / "contacts" / "Grace.md").write_text("---\nfollow_up: 2026-11-20\n---\nchanged\n")
    (root / "contacts" / "Linus.md").write_text("new\n")
    result = builder.build(TODAY)
    assert sorted(parsed) == ["contacts/Grace.md", "contacts/Linus.md"]
    assert [f.contacts for f in result.followups] == [("contacts/Grace.md",)]
    (root / "contacts" / "Ada.md").unlink()
    assert "contacts/Ada.md" not in builder.build(TODAY).loaded.model.contacts
