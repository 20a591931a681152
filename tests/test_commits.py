"""`netvault commit`: one commit of what changed in the vault, never the site or the cache."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from gitrepo import Repo, contact
from netvault.cli import cli
from netvault.commits import message_for, record_changes


@pytest.fixture
def repo(tmp_path):
    repo = Repo(tmp_path / "vault")
    repo.write("contacts/Ada.md", contact("30d", []))
    repo.write("contacts/Grace.md", contact("30d", []))
    repo.commit("Start")
    return repo


def committed_files(repo: Repo, commit: str = "HEAD") -> list[str]:
    out = repo.git("show", "--name-status", "--format=", commit)
    return sorted(out.split("\n")[:-1])


def test_every_change_is_one_commit_naming_the_notes(repo):
    repo.write("contacts/Ada.md", contact("90d", []))
    repo.write("contacts/Linus.md", "New.\n")
    (repo.root / "contacts/Grace.md").unlink()
    repo.write("attachments/ada.png", "not really a picture")

    done = record_changes(repo.root)

    assert done.commit == repo.git("rev-parse", "HEAD").strip()
    assert committed_files(repo) == [
        "A\tattachments/ada.png",
        "A\tcontacts/Linus.md",
        "D\tcontacts/Grace.md",
        "M\tcontacts/Ada.md",
    ]
    subject, blank, *body = repo.git("log", "-1", "--format=%B").strip().split("\n")
    assert subject == "Update Ada, Grace, Linus"
    assert blank == ""
    assert sorted(body) == [
        "added: attachments/ada.png",
        "added: contacts/Linus.md",
        "changed: contacts/Ada.md",
        "deleted: contacts/Grace.md",
    ]
    assert repo.git("status", "--porcelain") == ""
    assert record_changes(repo.root).commit == ""  # nothing left: no empty commit


def test_the_site_and_the_cache_are_never_committed(repo):
    repo.write("contacts/Ada.md", contact("45d", []))
    repo.write("site/index.html", "<p>built</p>")
    repo.write("notes/index.html", "<p>a file of the vault</p>")
    repo.write(".netvault-cache/notes.pickle", "cache")

    record_changes(repo.root, exclude=["site"])

    assert committed_files(repo) == ["A\tnotes/index.html", "M\tcontacts/Ada.md"]
    assert repo.git("status", "--porcelain", "--untracked-files=all").splitlines() == [
        "?? .netvault-cache/notes.pickle",
        "?? site/index.html",
    ]


def test_the_commit_command_leaves_out_the_site_folder_it_builds_into(repo, tmp_path):
    repo.write("contacts/Ada.md", contact("45d", []))
    repo.write("site/index.html", "<p>built</p>")
    repo.write("public/index.html", "<p>built</p>")
    result = CliRunner().invoke(cli, ["commit", str(repo.root), "--out", str(repo.root / "public")])
    assert result.exit_code == 0, result.output
    assert committed_files(repo) == ["A\tsite/index.html", "M\tcontacts/Ada.md"]
    CliRunner().invoke(cli, ["commit", str(repo.root)])  # the default: VAULT/site
    assert committed_files(repo) == ["A\tpublic/index.html"]


def test_nothing_staged_outside_the_vault_is_committed(tmp_path):
    repo = Repo(tmp_path / "repo")
    repo.write("README.md", "Top.\n")
    repo.write("network/contacts/Ada.md", contact("30d", []))
    repo.commit("Start")
    repo.write("README.md", "Staged by hand, not ready.\n")
    repo.git("add", "README.md")
    repo.write("network/contacts/Ada.md", contact("60d", []))

    record_changes(repo.root / "network")

    assert committed_files(repo) == ["M\tnetwork/contacts/Ada.md"]
    assert repo.git("status", "--porcelain") == "M  README.md\n"


def test_a_machine_without_a_git_identity_still_commits(repo, monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-such-gitconfig"))
    repo.write("contacts/Ada.md", contact("45d", []))
    record_changes(repo.root)
    assert repo.git("log", "-1", "--format=%an <%ae>").strip() == "netvault <netvault@localhost>"


def test_a_long_list_of_notes_is_cut_short_in_the_subject():
    changed = [(" M", f"contacts/Person {n}.md") for n in range(5)]
    assert message_for(changed).splitlines()[0] == (
        "Update Person 0, Person 1, Person 2 and 2 more"
    )


def test_the_commit_command_reports_what_it_did(repo):
    repo.write("contacts/Ada.md", contact("45d", []))
    result = CliRunner().invoke(cli, ["commit", str(repo.root)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Committed 1 files as ")
    assert result.output.rstrip().endswith(": Update Ada")
    again = CliRunner().invoke(cli, ["commit", str(repo.root)])
    assert "Nothing to commit" in again.output


def test_the_commit_command_outside_git_says_why(tmp_path):
    (tmp_path / "v").mkdir()
    result = CliRunner().invoke(cli, ["commit", str(tmp_path / "v")])
    assert result.exit_code == 1
    assert "not in a git repository" in result.output
