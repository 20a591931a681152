"""The example network of `netvault init --example`, and the vault template it lands in."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from netvault import build, followups
from netvault.config import _LAYOUT, Settings, parse_settings
from netvault.example import write_example
from netvault.resources import shipped
from netvault.vault import discover, parse_note

TODAY = date(2026, 3, 1)
TEMPLATE = shipped("vault_template")


def _new_vault(root: Path) -> Path:
    """A vault as `netvault init` makes it: the template copied into a fresh folder."""
    vault = root / "vault"
    shutil.copytree(TEMPLATE, vault)
    return vault


def _write(root: Path, today: date) -> Path:
    """A new vault with the example network written into it as of `today`."""
    vault = _new_vault(root)
    write_example(vault, today)
    return vault


# ---------------------------------------------------------------------------
# The example network


def test_every_note_parses_and_the_vault_loads_without_problems(tmp_path):
    vault = _new_vault(tmp_path)
    written = write_example(vault, TODAY)

    assert written == sorted(written)
    assert all(path.is_file() and path.is_relative_to(vault) for path in written)
    for path in written:
        note = parse_note(path.relative_to(vault).as_posix(), path.read_text(encoding="utf-8"))
        assert note.problems == (), path
    loaded = build.load(vault)
    assert loaded.problems == ()
    model = loaded.model
    assert len(model.contacts) >= 20
    assert len(model.interactions) >= 30
    assert 3 <= len(model.orgs) <= 4
    assert len(model.goals) == 2
    daily = [p for p in model.pages.values() if p.path.startswith("daily/")]
    assert 3 <= len(daily) <= 4
    assert all(p.date is not None for p in daily)


def test_the_network_has_what_the_dashboard_shows_off(tmp_path):
    model = build.load(_write(tmp_path, TODAY)).model
    circles = {c.circle for c in model.contacts.values()}
    assert {"inner", "follow"} <= circles
    prospects = [c for c in model.contacts.values() if c.status == "prospect"]
    assert prospects and all(c.intro_via and c.intro_via.target for c in prospects)
    interviews = [i for i in model.interactions.values() if i.type == "informational-interview"]
    assert len(interviews) >= 3
    assert all(i.air for i in interviews)
    assert any(i.referrals for i in interviews)
    assert any(i.gave for i in model.interactions.values())
    # A referral chain: A referred B, who referred C.
    referrer = {path: c.referred_by.target for path, c in model.contacts.items() if c.referred_by}
    assert any(referrer.get(b) for b in referrer.values())
    # Orgs as links and as plain text; a name outside the Latin alphabet, reachable by alias.
    orgs = [c.org for c in model.contacts.values() if c.org]
    assert any(o.target for o in orgs) and any(o.target is None for o in orgs)
    assert model.resolve("Siyuan Chen") == "contacts/陈思远.md"
    tasks = [t for p in model.pages.values() for t in p.tasks]
    assert any(t.done for t in tasks) and any(not t.done and t.due for t in tasks)


def test_interaction_files_are_named_by_their_date(tmp_path):
    model = build.load(_write(tmp_path, TODAY)).model
    for path, interaction in model.interactions.items():
        stem = Path(path).stem
        assert stem.startswith(interaction.date.isoformat() + " "), path
        assert interaction.date <= TODAY


@pytest.mark.parametrize("today", [TODAY, date(2027, 7, 19)])
def test_every_rule_has_an_overdue_follow_up(tmp_path, today):
    loaded = build.load(_write(tmp_path, today))
    found = followups.compute(loaded.model, today, loaded.settings)
    overdue = [f for f in found if f.state(today, loaded.settings.soon_days) == "overdue"]

    assert {f.kind for f in overdue} == set(followups.KINDS)

    def day(offset: int) -> str:
        return (today + timedelta(days=offset)).isoformat()

    sources = {(f.kind, f.source) for f in overdue}
    assert ("explicit", "contacts/Greg Castellano.md") in sources
    assert ("explicit", f"interactions/{day(-12)} Call with Beatriz Soto.md") in sources
    assert ("task", f"interactions/{day(-6)} Lunch with Sam.md") in sources
    kenji = f"interactions/{day(-3)} Informational interview with Kenji Watanabe.md"
    assert ("thank-you", kenji) in sources
    # Its task "Send Kenji a thank-you note" is that thank-you, not a task besides.
    assert [f.kind for f in found if f.source == kenji] == ["thank-you", "close-the-loop"]
    assert ("keep-in-touch", "contacts/Maya Lindqvist.md") in sources
    lena = f"interactions/{day(-10)} Informational interview with Lena Hartmann.md"
    assert ("close-the-loop", lena) in sources
    assert ("new-connection", "contacts/Noor Haddad.md") in sources
    # Lived in: plenty due soon, and nothing overdue by more than a few weeks.
    soon = [f for f in found if f.state(today, loaded.settings.soon_days) == "soon"]
    assert len({f.kind for f in soon}) >= 4
    assert all(f.days_overdue(today) <= 14 for f in overdue)


def test_same_today_gives_the_same_bytes(tmp_path):
    first = write_example(_mkdir(tmp_path / "a"), TODAY)
    second = write_example(_mkdir(tmp_path / "b"), TODAY)
    assert [p.relative_to(tmp_path / "a") for p in first] == [
        p.relative_to(tmp_path / "b") for p in second
    ]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path


def test_it_never_overwrites_and_writes_nothing_when_it_would(tmp_path):
    mine = tmp_path / "contacts" / "Maya Lindqvist.md"
    mine.parent.mkdir()
    mine.write_text("my own notes\n", encoding="utf-8")

    with pytest.raises(FileExistsError, match=r"Maya Lindqvist\.md"):
        write_example(tmp_path, TODAY)

    assert mine.read_text(encoding="utf-8") == "my own notes\n"
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [mine]


def test_running_it_twice_refuses_the_second_time(tmp_path):
    written = write_example(tmp_path, TODAY)
    before = {p: p.read_bytes() for p in written}
    with pytest.raises(FileExistsError):
        write_example(tmp_path, TODAY)
    assert {p: p.read_bytes() for p in written} == before


# ---------------------------------------------------------------------------
# The vault template

_COMMENTED_SETTING = re.compile(r"^# (?=\[folders\]$|[A-Za-z_][\w-]* = )", re.MULTILINE)


def test_template_settings_are_all_commented_defaults():
    text = (TEMPLATE / "netvault.toml").read_text(encoding="utf-8")
    settings, problems = parse_settings(text)
    assert problems == []
    assert settings == Settings()


def test_template_settings_uncommented_are_exactly_the_defaults():
    text = (TEMPLATE / "netvault.toml").read_text(encoding="utf-8")
    uncommented, count = _COMMENTED_SETTING.subn("", text)
    settings, problems = parse_settings(uncommented)
    assert problems == []
    assert settings == Settings()
    # Every setting is there, as a line or (for tables of values) as a [table.key] header.
    for table, keys in _LAYOUT.items():
        for key in keys:
            line = rf"^({key} = |\[{table}\.{key}\]$)"
            assert re.search(line, uncommented, re.MULTILINE), f"{table}.{key}"
    assert count >= 30


def test_template_notes_are_valid_yaml_with_placeholders_and_after_obsidian_fills_them(tmp_path):
    templates = sorted((TEMPLATE / "templates").glob("*.md"))
    names = {p.stem for p in templates}
    assert names == {"contact", "interaction", "informational-interview", "org", "goal"}
    files = {}
    for path in templates:
        text = path.read_text(encoding="utf-8")
        assert "{{title}}" in text or "{{date}}" in text, path.name
        note = parse_note(f"templates/{path.name}", text)
        assert note.problems == (), path.name
        assert note.meta, path.name
        filled = text.replace("{{title}}", "Ada Lovelace").replace("{{date}}", "2026-03-01")
        folder = {"contact": "contacts", "org": "orgs", "goal": "goals"}.get(path.stem)
        rel = f"{folder}/Ada Lovelace.md" if folder else f"interactions/2026-03-01 {path.stem}.md"
        files[rel] = filled
    vault = tmp_path / "vault"
    for rel, text in files.items():
        (vault / rel).parent.mkdir(parents=True, exist_ok=True)
        (vault / rel).write_text(text, encoding="utf-8")
    loaded = build.load(vault)
    assert [p for p in loaded.problems if p.level == "error"] == []
    contact = loaded.model.contacts["contacts/Ada Lovelace.md"]
    assert contact.met == date(2026, 3, 1)
    assert contact.cadence_given is False  # the circle's cadence applies until one is set
    for interaction in loaded.model.interactions.values():
        assert interaction.date == date(2026, 3, 1)
    interview = (TEMPLATE / "templates" / "informational-interview.md").read_text("utf-8")
    for section in ("Prepare", "Notes", "AIR received", "What I learned", "Next step"):
        assert f"## {section}" in interview
    assert re.search(r"## Thank-you sent\n\n- \[ \] ", interview)


def test_template_holds_no_content_notes_and_keeps_its_folders():
    found = discover(TEMPLATE)
    assert found.notes == ()
    for folder in ("contacts", "interactions", "orgs", "goals", "attachments"):
        assert (TEMPLATE / folder / ".gitkeep").is_file()
    ignored = (TEMPLATE / ".gitignore").read_text(encoding="utf-8").split()
    for entry in ("site/", ".netvault-cache/", ".obsidian/workspace*.json", ".trash/"):
        assert entry in ignored


def test_template_obsidian_settings_find_the_templates():
    obsidian = TEMPLATE / ".obsidian"
    plugins = json.loads((obsidian / "core-plugins.json").read_text(encoding="utf-8"))
    assert isinstance(plugins, list) and "templates" in plugins and "daily-notes" in plugins
    templates = json.loads((obsidian / "templates.json").read_text(encoding="utf-8"))
    assert templates == {"folder": "templates", "dateFormat": "YYYY-MM-DD"}
    daily = json.loads((obsidian / "daily-notes.json").read_text(encoding="utf-8"))
    assert daily == {"folder": "daily", "format": "YYYY-MM-DD"}
    app = json.loads((obsidian / "app.json").read_text(encoding="utf-8"))
    assert app == {"newLinkFormat": "shortest", "useMarkdownLinks": False}
