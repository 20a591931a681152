"""Git history: real repositories, real commits at fixed dates."""

from __future__ import annotations

import json
import pickle
import subprocess
from datetime import timedelta

import pytest

from gitrepo import Repo, contact
from netvault import history
from netvault.history import field_changes, read_blobs, read_history


@pytest.fixture
def repo(tmp_path):
    return Repo(tmp_path / "vault")


def kinds(found):
    return [(c.kind, c.path, c.commit.subject) for c in found]


@pytest.fixture
def ada_history(repo):
    repo.write("contacts/Ada.md", contact("30d", ["friend"]))
    repo.commit("Add Ada")
    repo.write("contacts/Ada.md", contact("90d", ["friend", "mentor"], org="Initech"))
    repo.commit("Ada moved to Initech")
    repo.git("mv", "contacts/Ada.md", "contacts/Ada Lovelace.md")
    repo.commit("Full name")
    return repo


def test_a_renamed_contact_keeps_its_history_with_field_changes(ada_history):
    repo = ada_history
    found = read_history(repo.root)
    assert found.problem == ""
    changes = found.notes["contacts/Ada Lovelace.md"]
    assert kinds(changes) == [
        ("renamed", "contacts/Ada Lovelace.md", "Full name"),
        ("changed", "contacts/Ada.md", "Ada moved to Initech"),
        ("added", "contacts/Ada.md", "Add Ada"),
    ]
    assert changes[0].old_path == "contacts/Ada.md"
    assert [c.commit.when.date().isoformat() for c in changes] == [
        "2026-01-08",
        "2026-01-07",
        "2026-01-06",
    ]
    assert changes[0].commit.author == "Ada"
    assert "contacts/Ada.md" not in found.notes  # one note, under its name now
    assert pickle.loads(pickle.dumps(found)) == found  # it can be cached

    blobs = read_blobs(repo.root, [b for c in changes for b in (c.blob, c.old_blob)])
    edit = changes[1]
    assert field_changes(blobs[edit.old_blob], blobs[edit.blob]) == (
        "org: Acme → Initech",
        "cadence: 30d → 90d",
        "added tag mentor",
    )
    assert field_changes(blobs[changes[0].old_blob], blobs[changes[0].blob]) == ()


def test_a_deleted_note_keeps_its_history_in_the_activity(repo):
    repo.write("contacts/Grace.md", contact("30d", []))
    repo.write("contacts/Ada.md", contact("30d", []))
    repo.commit("Two contacts")
    (repo.root / "contacts/Grace.md").unlink()
    repo.commit("Grace is gone")

    found = read_history(repo.root)
    assert kinds(found.notes["contacts/Grace.md"]) == [
        ("deleted", "contacts/Grace.md", "Grace is gone"),
        ("added", "contacts/Grace.md", "Two contacts"),
    ]
    assert kinds(found.activity) == [
        ("deleted", "contacts/Grace.md", "Grace is gone"),
        ("added", "contacts/Ada.md", "Two contacts"),
        ("added", "contacts/Grace.md", "Two contacts"),
    ]


def test_only_notes_make_the_history(repo):
    repo.write("contacts/Ada.md", contact("30d", []))
    repo.write(".obsidian/app.json", "{}")
    repo.write("attachments/ada.png", "picture")
    repo.write("templates/.hidden/Skip.md", "skip")
    repo.write("site/index.html", "<p>built</p>")
    repo.commit("Start")
    repo.write(".obsidian/app.json", '{"x": 1}')
    found = read_history(repo.root)
    assert list(found.notes) == ["contacts/Ada.md"]
    assert kinds(found.activity) == [("added", "contacts/Ada.md", "Start")]
    assert found.uncommitted == set()


def test_non_ascii_names_come_through_as_written(repo):
    name = "contacts/Zoë Ñúñez 山田.md"
    repo.write(name, contact("30d", []))
    repo.commit("Añadir a Zoë")
    found = read_history(repo.root)
    assert list(found.notes) == [name]
    assert found.activity[0].commit.subject == "Añadir a Zoë"


def test_a_vault_in_a_folder_of_a_larger_repository_sees_only_itself(tmp_path):
    repo = Repo(tmp_path / "repo")
    repo.write("README.md", "Not a note of the vault.\n")
    repo.write("network/contacts/Ada.md", contact("30d", []))
    repo.commit("Start")
    repo.write("network/contacts/Ada.md", contact("60d", []))
    repo.write("README.md", "Changed.\n")
    repo.commit("Edit")
    repo.write("network/contacts/Linus.md", "New.\n")

    found = read_history(repo.root / "network")
    assert sorted(found.notes) == ["contacts/Ada.md"]
    assert kinds(found.notes["contacts/Ada.md"]) == [
        ("changed", "contacts/Ada.md", "Edit"),
        ("added", "contacts/Ada.md", "Start"),
    ]
    assert found.uncommitted == {"contacts/Linus.md"}


def test_uncommitted_edits_new_and_deleted_notes_are_told(repo):
    repo.write("contacts/Ada.md", contact("30d", []))
    repo.write("contacts/Grace.md", contact("30d", []))
    repo.commit("Start")
    repo.write("contacts/Ada.md", contact("45d", []))
    repo.write("contacts/New one.md", "Hello.\n")
    (repo.root / "contacts/Grace.md").unlink()
    repo.write("site/index.html", "not a note")

    found = read_history(repo.root)
    assert found.uncommitted == {"contacts/Ada.md", "contacts/New one.md", "contacts/Grace.md"}


def test_a_merge_shows_each_change_once_where_it_was_made(repo):
    repo.write("contacts/Ada.md", contact("30d", []))
    repo.commit("Start")
    repo.git("checkout", "-q", "-b", "side")
    repo.write("contacts/Grace.md", contact("30d", []))
    repo.commit("Grace on a branch")
    repo.git("checkout", "-q", "main")
    repo.write("contacts/Ada.md", contact("60d", []))
    repo.commit("Ada on main")
    repo.clock += timedelta(days=1)
    repo.git("merge", "-q", "--no-edit", "side")

    found = read_history(repo.root)
    assert kinds(found.notes["contacts/Grace.md"]) == [
        ("added", "contacts/Grace.md", "Grace on a branch")
    ]
    assert len(found.notes["contacts/Ada.md"]) == 2


def test_a_shallow_clone_has_the_history_it_holds(repo, tmp_path):
    for n in range(3):
        repo.write("contacts/Ada.md", contact(f"{n + 1}0d", []))
        repo.commit(f"Edit {n}")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True
    )
    found = read_history(clone)
    assert found.problem == ""
    assert [c.commit.subject for c in found.notes["contacts/Ada.md"]] == ["Edit 2"]


def test_no_repository_means_no_history_and_one_reason(tmp_path):
    (tmp_path / "vault").mkdir()
    found = read_history(tmp_path / "vault")
    assert found.head == "" and not found.notes
    assert "not in a git repository" in found.problem


def test_no_git_installed_means_no_history_and_one_reason(repo, monkeypatch):
    monkeypatch.setenv("PATH", str(repo.root / "nowhere"))
    found = read_history(repo.root)
    assert not found.notes
    assert "git is not installed" in found.problem


def test_a_repository_without_commits_has_no_history_but_tells_uncommitted(repo):
    repo.write("contacts/Ada.md", "Hello.\n")
    found = read_history(repo.root)
    assert found.problem == "" and found.head == ""
    assert found.uncommitted == {"contacts/Ada.md"}


@pytest.mark.parametrize(
    ("before", "after", "said"),
    [
        ("---\nrole: CTO\n---\nx", "---\nrole: CEO\n---\nx", ("role: CTO → CEO",)),
        ("---\nrole: CTO\n---\nx", "---\n---\nx", ("removed role (CTO)",)),
        ("x", "---\nmet: 2026-01-02\n---\nx", ("met: 2026-01-02",)),
        ("---\ntags: [a, b]\n---\nx", "---\ntags: [b, a]\n---\nx", ("tags reordered",)),
        ("---\ntags: [a]\n---\nx", "---\ntags: [a]\n---\ny", ("notes edited",)),
        (
            "---\nthank_you: false\n---\n",
            "---\nthank_you: true\n---\n",
            ("thank_you: false → true",),
        ),
        ("---\nrole: [unclosed\n---\n", "---\nrole: x\n---\n", ("front matter could not be read",)),
        (
            "---\nlinkedin_role:\n  org: Acme\n  role: CTO\n---\n",
            "---\nlinkedin_role:\n  org: Acme\n  role: CEO\n---\n",
            ("linkedin_role.role: CTO → CEO",),
        ),
        (
            "---\norg: Initech\n---\n",
            "---\norg: Initech\nprevious:\n- {org: Acme, role: CTO, until: 2026-11-22}\n---\n",
            ("added previous org: Acme, role: CTO, until: 2026-11-22",),
        ),
    ],
)
def test_field_changes_say_what_changed_in_words(before, after, said):
    assert field_changes(before.encode(), after.encode()) == said


def test_git_errors_are_told_in_words(repo):
    with pytest.raises(history.GitError, match="git log failed"):
        history.git(repo.root, "log", "--no-such-option")


# ---------------------------------------------------------------------------
# netvault history


def run_history(*args: str):
    from click.testing import CliRunner

    from netvault.cli import cli

    return CliRunner().invoke(cli, ["history", *args])


def test_history_of_a_note_by_name_lists_commits_and_field_changes(ada_history):
    result = run_history("Ada Lovelace", "--vault", str(ada_history.root))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "contacts/Ada Lovelace.md: 3 commits",
        "2026-01-08  renamed contacts/Ada.md → contacts/Ada Lovelace.md  Full name (Ada)",
        "2026-01-07  changed contacts/Ada.md  Ada moved to Initech (Ada)",
        "            org: Acme → Initech",
        "            cadence: 30d → 90d",
        "            added tag mentor",
        "2026-01-06  added contacts/Ada.md  Add Ada (Ada)",
    ]


def test_history_json_of_a_note_by_path_and_of_the_vault(ada_history):
    ada_history.write("contacts/Ada Lovelace.md", contact("7d", []))
    result = run_history("contacts/Ada Lovelace", "--vault", str(ada_history.root), "--json")
    payload = json.loads(result.output)
    assert payload["note"] == "contacts/Ada Lovelace.md"
    assert payload["uncommitted"] is True
    assert [c["subject"] for c in payload["changes"]] == [
        "Full name",
        "Ada moved to Initech",
        "Add Ada",
    ]
    assert payload["changes"][1]["fields"] == [
        "org: Acme → Initech",
        "cadence: 30d → 90d",
        "added tag mentor",
    ]
    vault = json.loads(run_history("--vault", str(ada_history.root), "--json").output)
    assert [c["kind"] for c in vault["activity"]] == ["renamed", "changed", "added"]
    assert vault["uncommitted"] == ["contacts/Ada Lovelace.md"]


def test_history_of_the_vault_groups_changes_by_day(ada_history):
    result = run_history("--vault", str(ada_history.root), "--limit", "2")
    assert result.output.splitlines() == [
        "2026-01-08",
        "  renamed contacts/Ada.md → contacts/Ada Lovelace.md  Full name",
        "2026-01-07",
        "  changed contacts/Ada.md  Ada moved to Initech",
    ]


def test_history_outside_git_says_why(tmp_path):
    (tmp_path / "v").mkdir()
    result = run_history("--vault", str(tmp_path / "v"))
    assert result.exit_code == 1
    assert "not in a git repository" in result.output


def test_history_of_an_unknown_note_is_a_usage_error(ada_history):
    result = run_history("Nobody", "--vault", str(ada_history.root))
    assert result.exit_code == 2
    assert "no note named 'Nobody'" in result.output


def test_a_history_read_before_is_reused_while_head_stays(repo, monkeypatch):
    repo.write("contacts/Ada.md", contact("30d", []))
    repo.commit("Add Ada")
    first = read_history(repo.root)
    calls = []
    real = history.git
    monkeypatch.setattr(
        history, "git", lambda cwd, *a, **k: calls.append(a[0]) or real(cwd, *a, **k)
    )

    repo.write("contacts/Ada.md", contact("60d", []))
    again = read_history(repo.root, first)
    assert "log" not in calls
    assert again.notes == first.notes and again.uncommitted == {"contacts/Ada.md"}

    repo.commit("Ada every two months")
    moved = read_history(repo.root, first)
    assert calls.count("log") == 1
    assert [c.commit.subject for c in moved.notes["contacts/Ada.md"]] == [
        "Ada every two months",
        "Add Ada",
    ]


def test_blob_id_is_the_id_git_gives_the_same_bytes(tmp_path):
    data = "---\nname: Zoë\n---\nNotes 📅\r\n".encode()
    (tmp_path / "note.md").write_bytes(data)
    done = subprocess.run(
        ["git", "hash-object", "--no-filters", "note.md"],
        cwd=tmp_path,
        capture_output=True,
        check=True,
    )
    assert history.blob_id(data).hex() == done.stdout.decode().strip()


def test_a_tracker_of_a_vault_in_a_subfolder_sees_only_its_notes(repo):
    repo.write("network/contacts/Ada.md", contact("30d", []))
    repo.write("network/contacts/Grace.md", contact("30d", []))
    repo.write("code/README.md", "Not the vault.\n")
    repo.commit("Start")
    vault = repo.root / "network"
    (vault / "contacts" / "Ada.md").write_text(contact("90d", []))
    (vault / "contacts" / "Grace.md").unlink()
    (vault / "contacts" / "Linus.md").write_text(contact("7d", []))
    (repo.root / "code" / "README.md").write_text("Changed, outside the vault.\n")
    tracker = history.Tracker(vault)
    head, problem = tracker.head()
    assert (len(head), problem, tracker.prefix) == (40, "", "network/")
    found = tracker.read(head)
    assert sorted(found.tree) == ["contacts/Ada.md", "contacts/Grace.md"]
    blobs = {
        rel: history.blob_id((vault / rel).read_bytes())
        for rel in ("contacts/Ada.md", "contacts/Linus.md")
    }
    assert tracker.uncommitted(blobs) == {
        "contacts/Ada.md",
        "contacts/Grace.md",
        "contacts/Linus.md",
    }
    assert tracker.read(head) is found  # HEAD has not moved: nothing is read again
