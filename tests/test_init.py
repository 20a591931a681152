import subprocess
from datetime import date

import pytest

from netvault.init import InitError, init_vault

TODAY = date(2026, 11, 22)


def test_init_copies_the_template_and_commits_it(tmp_path):
    target = tmp_path / "network"
    result = init_vault(target, example=False, today=TODAY)
    assert result.git_message == ""
    assert target / "netvault.toml" in result.files
    assert (target / ".obsidian" / "templates.json").is_file()
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=target, capture_output=True, text=True, check=True
    ).stdout.split()
    assert "netvault.toml" in tracked
    assert "templates/interaction.md" in tracked


def test_init_with_the_example_adds_a_network(tmp_path):
    result = init_vault(tmp_path / "v", example=True, today=TODAY)
    contacts = [p for p in result.files if p.parent.name == "contacts" and p.suffix == ".md"]
    assert len(contacts) >= 20


def test_init_refuses_a_file_and_a_non_empty_folder(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(InitError, match="is a file"):
        init_vault(tmp_path / "file", example=False, today=TODAY)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / ".keep").write_text("")
    with pytest.raises(InitError, match="not empty"):
        init_vault(tmp_path / "full", example=False, today=TODAY)


def test_init_without_git_still_makes_the_vault(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools-here"))
    result = init_vault(tmp_path / "v", example=False, today=TODAY)
    assert "git is not installed" in result.git_message
    assert (tmp_path / "v" / "netvault.toml").is_file()
    assert not (tmp_path / "v" / ".git").exists()
