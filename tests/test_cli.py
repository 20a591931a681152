"""The commands, run as a user runs them (through click's CliRunner)."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from netvault.cli import cli
from netvault.followups import KINDS

TODAY = "2026-11-22"


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)


def snapshot(root: Path, skip: tuple[str, ...] = ("site", ".netvault-cache")) -> dict[str, str]:
    """Every file under root (but the output folder and the cache) with a hash of its bytes."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.relative_to(root).parts[0] not in skip
    }


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["init"],
        ["build"],
        ["check"],
        ["due"],
        ["watch"],
        ["serve"],
        ["history"],
        ["commit"],
        ["import"],
        ["export"],
        ["stats"],
        ["new"],
        ["snooze"],
    ],
)
def test_every_command_has_help_with_an_example(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_init_makes_a_committed_git_vault(tmp_path):
    target = tmp_path / "network"
    result = run("init", target)
    assert result.exit_code == 0, result.output
    assert (target / "netvault.toml").is_file()
    assert (target / "templates" / "contact.md").is_file()
    assert (target / ".gitignore").is_file()
    assert (target / ".git").is_dir()
    import subprocess

    log = subprocess.run(
        ["git", "log", "--oneline"], cwd=target, capture_output=True, text=True, check=True
    )
    assert len(log.stdout.splitlines()) == 1
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=target, capture_output=True, text=True, check=True
    )
    assert status.stdout == ""


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "notes.md").write_text("mine")
    result = CliRunner().invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert "not empty" in result.output
    assert (tmp_path / "notes.md").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.md"]


def test_build_of_an_empty_vault(tmp_path):
    run("init", tmp_path / "v")
    result = run("build", tmp_path / "v", "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "v" / "site" / "index.html").is_file()


def test_build_after_a_sentence_edited_writes_its_page_and_search_shards_and_says_so(tmp_path):
    """Two edits of a meeting's text: the first puts the note among those not committed
    (Today lists them), the second changes its page alone, and the search index's shards
    of the word that came ("other") and of the note's entry."""
    vault = tmp_path / "demo"
    run("init", vault, "--example", "--today", TODAY)
    assert run("build", vault, "--today", TODAY).exit_code == 0
    note = sorted((vault / "interactions").glob("*.md"))[0]
    for words in ("More words.", "Other words."):
        with note.open("a", encoding="utf-8") as file:
            file.write(f"\n{words}\n")
        result = run("build", vault, "--today", TODAY)
    assert "; 3 files written." in result.output
    assert sum("Other words." in page.read_text() for page in (vault / "site").rglob("*.html")) == 1
    assert '"other":' in (vault / "site" / "search" / "ot.js").read_text()


def test_a_call_logged_without_a_type_asks_for_no_thank_you(tmp_path):
    """`netvault new interaction` leaves the type to you: it no longer says coffee, which is
    owed a thank-you the next day."""
    from netvault import build as building

    vault = tmp_path / "v"
    run("init", vault)
    run("new", "contact", "Ada", "--vault", vault)
    made = run("new", "interaction", "Call with Ada", "--vault", vault, "--today", TODAY,
               "--with", "Ada")  # fmt: skip
    assert made.exit_code == 0, made.output
    result = building.build(vault, tmp_path / "site", date.fromisoformat(TODAY) + timedelta(days=2))
    [call] = result.loaded.model.interactions.values()
    assert call.type == ""
    assert [f.kind for f in result.followups if f.source == call.path] == []


def test_ticking_the_templates_thank_you_task_settles_the_thank_you(tmp_path):
    """An informational interview made from the template is owed one thank-you, at its
    task's line; ticking that task, with `thank_you: false` left as it is, settles it."""
    from netvault import build as building

    vault = tmp_path / "v"
    run("init", vault)
    run("new", "contact", "Ada", "--vault", vault)
    made = run("new", "informational-interview", "Chat with Ada", "--vault", vault,
               "--today", TODAY, "--with", "Ada")  # fmt: skip
    assert made.exit_code == 0, made.output
    note = vault / "interactions" / f"{TODAY} Chat with Ada.md"
    lines = note.read_text(encoding="utf-8").split("\n")
    task = next(n for n, line in enumerate(lines, 1) if "Send a thank-you note" in line)
    day_after = date.fromisoformat(TODAY) + timedelta(days=1)

    def owed() -> list[tuple[str, int]]:
        found = building.build(vault, tmp_path / "site", day_after).followups
        return [(f.kind, f.line) for f in found if f.source.startswith("interactions/")]

    assert owed() == [("thank-you", task)]
    lines[task - 1] = lines[task - 1].replace("- [ ]", "- [x]")
    note.write_text("\n".join(lines), encoding="utf-8")
    assert owed() == []


def test_example_vault_end_to_end(tmp_path):
    """init --example → a broken note added → build: everything but the broken note renders."""
    vault = tmp_path / "demo"
    assert run("init", vault, "--example", "--today", TODAY).exit_code == 0
    (vault / "contacts" / "Broken Yaml.md").write_text(
        "---\nname: Broken\ntags: [unclosed\n---\nBody\n", encoding="utf-8"
    )
    before = snapshot(vault)
    result = run("build", vault, "--today", TODAY)
    assert result.exit_code == 1
    assert "contacts/Broken Yaml.md:3: error:" in result.output
    assert snapshot(vault) == before  # the build never writes into the vault's notes
    # Its site and cache are ignored by git: nothing new to commit but the note added.
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=vault, capture_output=True, text=True, check=True
    )
    assert status.stdout.splitlines() == ['?? "contacts/Broken Yaml.md"']
    site = vault / "site"
    index = (site / "index.html").read_text(encoding="utf-8")
    for kind in KINDS:
        assert f'class="followup {kind} overdue"' in index, kind
    contacts = sorted((vault / "contacts").glob("*.md"))
    pages = list((site / "contacts").glob("*.html"))
    assert len(contacts) >= 20
    assert len(pages) == len(contacts)


def test_a_vault_outside_git_builds_with_one_warning_that_is_not_a_problem(vault):
    root = vault({"contacts/Ada.md": "---\ncadence: 30d\n---\n"})
    result = run("build", root, "--today", TODAY, "--strict")
    assert result.exit_code == 0, result.output
    warning = f"warning: {root} is not in a git repository: the dashboard has no history"
    assert result.output.count(warning) == 1
    assert "no problems" in result.output


def test_a_cache_from_another_machine_is_ignored_with_one_warning(vault, tmp_path, monkeypatch):
    # The vault arrives with a cache someone else's netvault sealed: built as if none.
    root = vault({"contacts/Ada.md": "---\ncadence: 30d\n---\n", "contacts/Bo.md": "Hi\n"})
    monkeypatch.setenv("NETVAULT_CACHE_KEY", str(tmp_path / "their-key"))
    assert run("build", root, "--today", TODAY).exit_code == 0
    first = (root / "site" / "contacts" / "ada.html").read_bytes()
    monkeypatch.setenv("NETVAULT_CACHE_KEY", str(tmp_path / "my-key"))
    (root / "site").rename(tmp_path / "their-site")
    for command in (["build", root, "--today", TODAY, "--strict"], ["due", root], ["check", root]):
        result = run(*command)
        assert result.exit_code == 0, result.output
        warnings = [line for line in result.output.splitlines() if ".netvault-cache/" in line]
        assert len(warnings) == 1, result.output
        assert warnings[0].startswith("warning: .netvault-cache/")
        assert "not written by netvault for this user" in warnings[0]
        if command[0] == "build":
            assert (root / "site" / "contacts" / "ada.html").read_bytes() == first
            # The build sealed a cache of its own: the next command trusts it, silently.
            assert ".netvault-cache" not in run(*command).output
            monkeypatch.setenv("NETVAULT_CACHE_KEY", str(tmp_path / "their-key"))
            run("build", root, "--today", TODAY)
            monkeypatch.setenv("NETVAULT_CACHE_KEY", str(tmp_path / "my-key"))


def test_due_check_and_stats_after_a_build_recall_it_without_making_the_model(vault, monkeypatch):
    from netvault.model import ModelMaker

    root = vault(
        {
            "contacts/Ada.md": "---\nfollow_up: 2026-11-20\n---\nKnows [[Nobody]].\n",
            "contacts/Bo.md": "---\ncadence: 7d\nlast_contact: 2026-11-01\n---\n",
        }
    )
    due = ["due", root, "--json", "--today", TODAY]
    stats = ["stats", root, "--json", "--today", TODAY]
    told = {
        "due": run(*due).output,
        "check": run("check", root).output,
        "stats": run(*stats).stdout,
    }
    assert "Knows" not in told["due"] and "Nobody" in told["check"]
    assert run("build", root, "--today", TODAY).exit_code == 0

    def never(*_args):
        raise AssertionError("the model was made again")

    monkeypatch.setattr(ModelMaker, "apply", never)
    assert run(*due).output == told["due"]
    assert run("check", root).output == told["check"]
    assert run(*stats).stdout == told["stats"]
    monkeypatch.undo()
    # A note edited since the build: read again, never recalled stale.
    (root / "contacts" / "Bo.md").write_text("---\ncadence: none\n---\n")
    assert "Bo" not in run(*due).output
    # Another day than the build's: the follow-ups are worked out for it.
    later = json.loads(run("due", root, "--json", "--today", "2026-12-20").stdout)
    assert [row["days_overdue"] for row in later] == [30]


def test_stats_is_recalled_only_while_head_stays_where_the_build_saw_it(tmp_path):
    from netvault.build import Builder

    root = tmp_path / "demo"
    assert run("init", root, "--example", "--today", TODAY).exit_code == 0
    stats = ["stats", root, "--json", "--today", TODAY]
    computed = run(*stats).stdout
    assert run("build", root, "--today", TODAY).exit_code == 0
    assert Builder(root, root / "site").recall(date(2026, 11, 22)).stats is not None
    assert run(*stats).stdout == computed
    # A commit made since the build (HEAD moved): nothing of it is recalled.
    who = ["-c", "user.name=Test", "-c", "user.email=test@example.org"]
    subprocess.run(["git", *who, "commit", "-q", "--allow-empty", "-m", "x"], cwd=root, check=True)
    assert Builder(root, root / "site").recall(date(2026, 11, 22)).stats is None
    assert run(*stats).stdout == computed


def test_same_vault_and_today_give_the_same_bytes(tmp_path):
    vault = tmp_path / "demo"
    run("init", vault, "--example", "--today", TODAY)
    run("build", vault, "--out", tmp_path / "a", "--today", TODAY)
    run("build", vault, "--out", tmp_path / "b", "--today", TODAY)
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_netvault_today_environment_variable(tmp_path, vault):
    root = vault({"contacts/Ada.md": "---\nfollow_up: 2026-11-20\n---\n"})
    result = run("due", root, env={"NETVAULT_TODAY": "2026-11-22"})
    assert "2d overdue" in result.output
    result = run("due", root, env={"NETVAULT_TODAY": "2026-11-19"})
    assert "in 1d" in result.output


def test_check_reports_problems_as_path_line_and_exits_1(vault):
    root = vault(
        {
            "contacts/Ada.md": "---\nname: Ada\nmet: 2026-02-30\n---\nSee [[Nobody]].\n",
            "contacts/Grace.md": "---\nname: Grace\n---\n",
        }
    )
    result = run("check", root)
    assert result.exit_code == 1
    assert "contacts/Ada.md:3: error: met:" in result.output
    assert "contacts/Ada.md:5: warning: link to “Nobody”" in result.output


def console(*args: str) -> subprocess.CompletedProcess[str]:
    """The console script's entry point, run in a process of its own as a user runs it."""
    code = "import sys; from netvault.cli import main; sys.argv[0] = 'netvault'; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True, check=False
    )


def test_the_console_script_ends_with_the_commands_exit_code_and_all_it_printed(vault):
    """The entry point ends the process itself: what a command printed still reaches a
    pipe whole, and its exit code is the command's.
    """
    notes = {
        f"contacts/P{n}.md": f"---\nmet: 2026-02-30\n---\nSee [[Nobody {n}]].\n" for n in range(300)
    }
    root = vault(notes)
    checked = console("check", root)
    assert checked.returncode == 1
    assert checked.stderr.count(": error: met:") == 300
    assert checked.stderr.rstrip().endswith("300 errors, 300 warnings.")
    built = console("build", root, "--today", TODAY, "--out", root.parent / "site")
    assert built.returncode == 1 and (root.parent / "site" / "index.html").is_file()
    assert "300 errors, 300 warnings;" in built.stdout + built.stderr
    usage = console("check", "--no-such-option")
    assert usage.returncode == 2 and "No such option" in usage.stderr
    assert console("--version").returncode == 0


def test_strict_counts_warnings(vault):
    root = vault({"notes/n.md": "[[Nobody]]\n"})
    assert run("check", root).exit_code == 0
    assert run("check", root, "--strict").exit_code == 1
    assert run("build", root, "--today", TODAY).exit_code == 0
    assert run("build", root, "--today", TODAY, "--strict").exit_code == 1


def test_due_json_and_fail_if_overdue(vault):
    root = vault(
        {
            "contacts/Ada Lovelace.md": (
                "---\nfollow_up: 2026-11-20\nfollow_up_note: the deck\n---\n"
            ),
            "contacts/Grace.md": "---\nfollow_up: 2026-12-20\n---\n",
        }
    )
    result = run("due", root, "--json", "--today", TODAY)
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert [(r["kind"], r["contacts"], r["due"], r["days_overdue"]) for r in rows] == [
        ("explicit", ["Ada Lovelace"], "2026-11-20", 2)
    ]
    assert rows[0]["source"] == "contacts/Ada Lovelace.md:2"
    assert "the deck" in rows[0]["reason"]
    wide = json.loads(run("due", root, "--json", "--within", "1m", "--today", TODAY).output)
    assert len(wide) == 2
    assert run("due", root, "--fail-if-overdue", "--today", TODAY).exit_code == 3
    assert run("due", root, "--fail-if-overdue", "--today", "2026-11-19").exit_code == 0


def test_due_lists_what_falls_due_within_the_window_by_day_then_kind(vault):
    """The window's last day is in it, the next is not; a day's follow-ups go by kind."""
    root = vault(
        {
            "contacts/Ada.md": "---\nfollow_up: 2026-11-25\n---\n",  # the window's last day
            "contacts/Bob.md": "---\nfollow_up: 2026-11-26\n---\n",  # a day past it
            "notes/Plan.md": "- [ ] Call [[Ada]] 📅 2026-11-25\n- [ ] Mail [[Bob]] 📅 2026-11-21\n",
        }
    )
    for _cached in (False, True):  # worked out, then recalled from the build's cache
        rows = json.loads(run("due", root, "--json", "--within", "3", "--today", TODAY).output)
        assert [(r["due"], r["kind"]) for r in rows] == [
            ("2026-11-21", "task"),
            ("2026-11-25", "explicit"),
            ("2026-11-25", "task"),
        ]
        run("build", root, "--today", TODAY)


# Years of history as of TODAY (2026-11-22): a contact kept in touch with until 2020, one
# with a follow-up set for 2019 under the key her vault uses, a meeting of 2018 with two
# tasks and a follow-up; and one follow-up of last month, overdue but not long overdue.
BACKLOG = {
    "contacts/Ada Lovelace.md": (
        "---\r\n# kept as I wrote it\r\ncadence: 30d\r\nlast_contact: 2020-01-01\r\n"
        "tags: [mentor,  friend]\r\n---\r\nBody   stays\r\n\r\n- [x] done 📅 2019-01-01\r\n"
    ),
    "contacts/Grace Hopper.md": (
        "---\ncadence: none\nFollow Up: 2019-05-01\nSnooze Until: 2019-02-01\n---\n"
    ),
    "contacts/Linus.md": "---\ncadence: none\nfollow_up: 2026-10-20\n---\n",
    "interactions/2018-03-01 Call.md": (
        "---\nwith: '[[Linus]]'\ntype: call\nfollow_up: 2018-04-01\n---\n"
        "- [ ] Send the paper 📅 2018-03-05\n- [ ] Ask about chess 📅 2018-04-01\n"
    ),
    "netvault.toml": "[properties]\nsnooze_until = ['Snooze Until']\n",
}


def test_due_counts_the_long_overdue_by_kind_as_today_does_and_all_lists_them(vault):
    root = vault(BACKLOG)
    result = run("due", root, "--today", TODAY)
    assert result.exit_code == 0
    listed = [line for line in result.output.splitlines() if line.startswith("2026-10-20")]
    assert len(listed) == 1 and "Follow up with Linus" in listed[0]
    assert "Long overdue (more than 60 days): 5, not listed" in result.output
    oldest = {line.split()[0]: line for line in result.output.splitlines() if "the oldest" in line}
    assert oldest.keys() == {"task", "explicit", "keep-in-touch"}
    assert "2  the oldest 2018-03-05" in oldest["task"]
    assert "interactions/2018-03-01 Call.md:6" in result.output  # where the oldest task is
    assert "2018-03-05" not in result.output.split("Long overdue")[0]
    every = run("due", root, "--all", "--today", TODAY).output
    assert "Long overdue" not in every and every.count("2018-0") >= 3
    rows = json.loads(run("due", root, "--json", "--today", TODAY).output)
    states = [r["state"] for r in rows]
    assert states.count("long-overdue") == 5 and states.count("overdue") == 1
    # Only what Today lists makes cron fail: Linus's follow-up, done, leaves the backlog.
    assert run("due", root, "--fail-if-overdue", "--today", TODAY).exit_code == 3
    (root / "contacts/Linus.md").write_text("---\ncadence: none\n---\n")
    assert run("due", root, "--fail-if-overdue", "--today", TODAY).exit_code == 0
    assert run("due", root, "--fail-if-overdue", "--all", "--today", TODAY).exit_code == 3


def test_the_calendar_export_leaves_out_the_long_overdue(vault):
    from icalendar import Calendar

    root = vault(BACKLOG)
    printed = run("export", "ics", "--vault", root, "--today", TODAY).output
    events = list(Calendar.from_ical(printed.encode()).walk("VEVENT"))
    assert [e.decoded("dtstart").isoformat() for e in events] == ["2026-10-20"]


def test_snooze_writes_snooze_until_into_the_notes_of_the_long_overdue_and_nothing_else(vault):
    root = vault(BACKLOG)
    before = snapshot(root)
    texts = {rel: (root / rel).read_bytes() for rel in before}
    dry = run("snooze", root, "--until", "2027-01-15", "--dry-run", "--today", TODAY)
    assert dry.exit_code == 0, dry.output
    assert snapshot(root) == before
    result = run("snooze", root, "--until", "2027-01-15", "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert result.stdout == dry.stdout
    assert "Dry run: would snooze 3 notes, 5 follow-ups" in dry.stderr
    assert result.stdout.splitlines() == [
        "contacts/Ada Lovelace.md:6: snooze_until: 2027-01-15"
        "  (1 keep-in-touch, the oldest due 2020-01-31)",
        "contacts/Grace Hopper.md:4: Snooze Until: 2027-01-15"
        "  (1 explicit, the oldest due 2019-05-01)",
        "interactions/2018-03-01 Call.md:5: snooze_until: 2027-01-15"
        "  (3 task, explicit, the oldest due 2018-03-05)",
    ]
    changed = {rel for rel, digest in snapshot(root).items() if before[rel] != digest}
    assert changed == {
        "contacts/Ada Lovelace.md",
        "contacts/Grace Hopper.md",
        "interactions/2018-03-01 Call.md",
    }
    # The field set, in place or added after the last; every other byte as it was.
    assert (root / "contacts/Ada Lovelace.md").read_bytes() == texts[
        "contacts/Ada Lovelace.md"
    ].replace(b"friend]\r\n---", b"friend]\r\nsnooze_until: 2027-01-15\r\n---")
    assert (root / "contacts/Grace Hopper.md").read_bytes() == texts[
        "contacts/Grace Hopper.md"
    ].replace(b"Snooze Until: 2019-02-01", b"Snooze Until: 2027-01-15")
    call = "interactions/2018-03-01 Call.md"
    assert (root / call).read_bytes() == texts[call].replace(
        b"2018-04-01\n---", b"2018-04-01\nsnooze_until: 2027-01-15\n---"
    )
    # Today now lists Linus's follow-up and nothing long overdue; the rest wakes on the 15th.
    due = run("due", root, "--json", "--today", TODAY).output
    assert [r["state"] for r in json.loads(due)] == ["overdue"]
    woken = json.loads(run("due", root, "--json", "--today", "2027-01-15").output)
    assert {r["due"] for r in woken if r["contacts"] != ["Linus"]} == {"2027-01-15"}
    again = run("snooze", root, "--until", "2027-01-15", "--today", TODAY)
    assert again.stdout == "" and "Snoozed 0 notes" in again.stderr


def test_snooze_by_kind_and_age_and_its_usage_errors(vault):
    root = vault(BACKLOG)
    result = run("snooze", root, "--until", "2027-01-15", "--kind", "task", "--today", TODAY)
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        "interactions/2018-03-01 Call.md"
    ]
    # Overdue by more than 20 days: Linus's follow-up of last month too.
    result = run("snooze", root, "--until", "2027-01-15", "--older-than", "20d", "--today", TODAY)
    assert "contacts/Linus.md:4: snooze_until: 2027-01-15" in result.output
    for args, message in (
        (("--until", TODAY), "not after today"),
        (("--until", "2027-01-15", "--kind", "chores"), "not a kind of follow-up"),
        ((), "Missing option '--until'"),
    ):
        failed = run("snooze", root, *args, "--today", TODAY)
        assert failed.exit_code == 2 and message in failed.output


def test_bad_today_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["due", str(tmp_path), "--today", "yesterday"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_missing_vault_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "netvault init" in result.output


def test_default_today_is_the_real_date(vault):
    root = vault({"contacts/Ada.md": f"---\nfollow_up: {date.today().isoformat()}\n---\n"})
    rows = json.loads(run("due", root, "--json").output)
    assert rows[0]["state"] == "today"


FIXTURES = Path(__file__).parent / "importers" / "fixtures"


def test_import_linkedin_dry_run_then_import_then_again(tmp_path):
    vault = tmp_path / "v"
    run("init", vault)
    export = FIXTURES / "linkedin_connections.csv"
    before = snapshot(vault)
    dry = run("import", "linkedin", export, "--vault", vault, "--dry-run", "--today", TODAY)
    assert "New contacts (" in dry.output and "contacts/Ada Lovelace.md" in dry.output
    assert "nothing written" in dry.output
    assert snapshot(vault) == before  # a dry run writes nothing
    done = run("import", "linkedin", export, "--vault", vault, "--today", TODAY)
    assert "Imported linkedin_connections.csv:" in done.output
    made = sorted(set(snapshot(vault)) - set(before))
    assert "contacts/Ada Lovelace.md" in made and "contacts/张伟.md" in made
    assert run("build", vault, "--today", TODAY).exit_code == 0
    contacts = (vault / "site" / "contacts.html").read_text(encoding="utf-8")
    assert "Ada Lovelace" in contacts and "张伟" in contacts and "Ana 🌻" in contacts
    # Imported connections wait for a first interaction before anyone nags.
    today = (vault / "site" / "index.html").read_text(encoding="utf-8")
    assert "Keep in touch with Ada Lovelace" not in today
    after = snapshot(vault)
    again = run("import", "linkedin", export, "--vault", vault, "--today", TODAY)
    assert f"0 created, 0 updated, {len(made)} unchanged, 0 conflicts" in again.output
    assert snapshot(vault) == after


def test_export_ics_and_json_read_back(tmp_path):
    from icalendar import Calendar

    vault = tmp_path / "demo"
    run("init", vault, "--example", "--today", TODAY)
    out = tmp_path / "f.ics"
    assert run("export", "ics", "--vault", vault, "--out", out, "--today", TODAY).exit_code == 0
    events = list(Calendar.from_ical(out.read_bytes()).walk("VEVENT"))
    assert len(events) > 10
    assert len({str(e["uid"]) for e in events}) == len(events)
    printed = run("export", "json", "--vault", vault, "--today", TODAY)
    data = json.loads(printed.output)
    assert len(data["contacts"]) == len(list((vault / "contacts").glob("*.md")))


def test_export_vcard_then_import_it_into_an_empty_vault_gives_the_same_contacts(tmp_path):
    from netvault import build as building

    demo = tmp_path / "demo"
    run("init", demo, "--example", "--today", TODAY)
    cards = tmp_path / "contacts.vcf"
    assert run("export", "vcard", "--vault", demo, "--out", cards).exit_code == 0
    empty = tmp_path / "empty"
    run("init", empty)
    result = run("import", "vcard", cards, "--vault", empty, "--today", TODAY)
    assert result.exit_code == 0, result.output

    def people(vault):
        model = building.load(vault).model
        return sorted(
            (c.name, c.emails, c.phones, c.org.text if c.org else "", c.role, c.tags)
            for c in model.contacts.values()
        )

    assert people(empty) == people(demo)


def test_importing_3000_connections_shows_progress_and_does_not_flood_today(tmp_path):
    vault = tmp_path / "v"
    run("init", vault)
    rows = [
        f"First{i},Last{i},https://www.linkedin.com/in/p{i},,Org {i % 50},Role {i % 7},"
        f"{1 + i % 28:02d} Jan 2024"
        for i in range(3000)
    ]
    export = tmp_path / "Connections.csv"
    header = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
    export.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    settings = vault / "netvault.toml"
    settings.write_text('[import]\ncircle = "network"\n', encoding="utf-8")
    result = run("import", "linkedin", export, "--vault", vault, "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "Writing notes" in result.output
    assert "3000 created" in result.output
    assert len(list((vault / "contacts").glob("*.md"))) == 3000
    built = run("build", vault, "--today", TODAY)
    assert "3000 contacts" in built.output
    assert "0 overdue, 0 due today, 0 due soon" in built.output


@pytest.mark.parametrize(
    ("kind", "fixture"),
    [
        ("google", "google_contacts.csv"),
        ("google", "google_contacts_legacy.csv"),
        ("vcard", "iphone.vcf"),
        ("vcard", "android21.vcf"),
        ("vcard", "nextcloud40.vcf"),
        ("linkedin", "linkedin_connections_2019.csv"),
    ],
)
def test_every_export_imports_shows_on_the_dashboard_and_imports_again_as_nothing(
    tmp_path, kind, fixture
):
    from html import unescape

    from netvault.importers import decode
    from netvault.importers.google import read_google
    from netvault.importers.linkedin import read_linkedin
    from netvault.importers.vcard import read_vcards

    readers = {"google": read_google, "vcard": read_vcards, "linkedin": read_linkedin}
    export = FIXTURES / fixture
    people = {c.name for c in readers[kind](decode(export.read_bytes())).contacts}
    vault = tmp_path / "v"
    run("init", vault)
    run("import", kind, export, "--vault", vault, "--today", TODAY)
    assert len(list((vault / "contacts").glob("*.md"))) == len(people)
    run("build", vault, "--today", TODAY)
    page = unescape((vault / "site" / "contacts.html").read_text(encoding="utf-8"))
    assert all(name in page for name in people), people
    before = snapshot(vault)
    again = run("import", kind, export, "--vault", vault, "--today", TODAY)
    assert f"0 created, 0 updated, {len(people)} unchanged, 0 conflicts" in again.output
    assert snapshot(vault) == before


def test_stats_in_words_and_json(vault):
    root = vault(
        {
            "contacts/Ada.md": "---\ncircle: inner\nmet: 2026-01-05\n---\n",
            "contacts/Grace.md": "---\ncircle: inner\nmet: 2025-06-01\n---\n",
            "contacts/Guru.md": "---\ncircle: follow\n---\n",
            "interactions/2026-11-01 Coffee.md": "---\nwith: '[[Ada]]'\ntype: call\n---\n",
            "interactions/2025-07-01 Lunch.md": "---\nwith: '[[Grace]]'\ntype: call\n---\n",
            "goals/Design.md": "---\nstatus: active\n---\n",
        }
    )
    words = run("stats", root, "--today", TODAY)
    assert words.exit_code == 0, words.output
    assert "Contacts: 3 (1 followed); 2 you know, 2 new this year" in words.output
    assert "Interactions: 2 (1 this year)" in words.output
    assert "Within cadence: inner 1/2 (50%)" in words.output
    # Grace: met once, silent since July 2025, past twice her 30-day cadence.
    assert "Ties gone quiet: 1" in words.output
    data = json.loads(run("stats", root, "--today", TODAY, "--json").output)
    assert (data["contacts"], data["dormant"], data["goals"]) == (3, 1, {"active": 1})
    # Grace: silent since July 2025, long overdue (as Today counts her); Ada: not yet.
    overdue = (data["overdue"], data["long_overdue"])
    assert (data["followups"]["keep-in-touch"], overdue) == (2, (0, 1))


def test_stats_build_and_today_count_contacts_and_follow_ups_alike(vault):
    """One definition per number: `stats`, the build's line and Today say the same."""
    day = date.fromisoformat(TODAY)

    def on(offset: int) -> str:
        return (day + timedelta(days=offset)).isoformat()

    root = vault(
        {
            "contacts/Ada.md": f"---\nfollow_up: {on(-3)}\n---\n",
            "contacts/Bob.md": f"---\nfollow_up: {on(0)}\n---\n",
            "contacts/Cy.md": f"---\nfollow_up: {on(2)}\n---\n",
            "contacts/Dee.md": f"---\nfollow_up: {on(30)}\n---\n",
            "contacts/Eve.md": f"---\nfollow_up: {on(40)}\n---\n",
            "contacts/Guru.md": "---\ncircle: follow\n---\n",
            "contacts/Zed.md": f"---\nfollow_up: {on(-100)}\n---\n",  # long overdue
        }
    )
    built = run("build", root, "--today", TODAY)
    assert built.exit_code == 0, built.output
    said = (
        "7 contacts (1 followed), 0 interactions;"
        " 1 overdue, 1 due today, 1 due soon, 2 later, 1 long overdue;"
    )
    assert said in built.output
    words = run("stats", root, "--today", TODAY).output
    assert "Contacts: 7 (1 followed);" in words
    assert (
        "Open follow-ups: 6: 1 overdue, 1 due today, 1 due soon, 2 later, 1 long overdue (by kind:"
        in words
    )
    data = json.loads(run("stats", root, "--today", TODAY, "--json").output)
    assert (data["contacts"], data["thought_leaders"]) == (7, 1)
    states = ("overdue", "due_today", "due_soon", "due_later", "long_overdue", "open_followups")
    assert [data[k] for k in states] == [1, 1, 1, 2, 1, 6]
    today = (root / "site" / "index.html").read_text(encoding="utf-8")
    shown = {
        label: int(n) for n, label in re.findall(r'<span class="n">(\d+)</span> ([^<]+)</a>', today)
    }
    assert shown == {
        "overdue": 1,
        "due today": 1,
        "due soon": 1,
        "later": 2,
        "long overdue": 1,
        "contacts (1 followed)": 7,
        "interactions": 0,
    }
    listed = (root / "site" / "contacts.html").read_text(encoding="utf-8")
    assert "7 contacts (1 followed), by name." in listed


def test_new_notes_from_the_templates_never_overwrite(tmp_path):
    from netvault import build as building

    vault = tmp_path / "v"
    run("init", vault)
    made = run("new", "contact", 'Ada "The Countess" Lovelace: #1', "--vault", vault)
    assert made.exit_code == 0, made.output
    path = Path(made.output.strip())
    assert path == vault / "contacts" / "Ada The Countess Lovelace 1.md"
    talk = run(
        "new", "interaction", "Coffee with Ada", "--vault", vault, "--today", TODAY,
        "--with", 'Ada "The Countess" Lovelace: #1', "--type", "coffee",
    )  # fmt: skip
    assert talk.exit_code == 0, talk.output
    assert Path(talk.output.strip()).name == f"{TODAY} Coffee with Ada.md"
    loaded = building.load(vault)
    ada = loaded.model.contacts["contacts/Ada The Countess Lovelace 1.md"]
    assert ada.name == 'Ada "The Countess" Lovelace: #1'
    coffee = next(iter(loaded.model.interactions.values()))
    assert [r.target for r in coffee.with_] == ["contacts/Ada The Countess Lovelace 1.md"]
    assert (coffee.type, coffee.date.isoformat()) == ("coffee", TODAY)
    assert loaded.problems == ()
    before = path.read_text(encoding="utf-8")
    again = run("new", "contact", 'Ada "The Countess" Lovelace: #1', "--vault", vault)
    assert again.exit_code == 1 and "already called" in again.output
    assert path.read_text(encoding="utf-8") == before


def test_imported_contacts_join_a_vault_that_keeps_people_in_people(vault):
    root = vault({"People/Grace Hopper.md": "---\norg: Navy\n---\n"})
    export = FIXTURES / "linkedin_connections_2019.csv"
    assert run("import", "linkedin", export, "--vault", root, "--today", TODAY).exit_code == 0
    assert not (root / "contacts").exists()
    assert len(list((root / "People").glob("*.md"))) > 1


def test_the_readme_opens_the_page_its_first_command_builds_as_init_says(tmp_path, monkeypatch):
    """The README's set-up command, run as written: the page it says to open is there, and
    it is the one `init`'s hint names."""
    import re

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    command = re.search(r"```sh\n(.+?)\n```", readme)[1]
    init_args = command.split("netvault init ", 1)[1].split(" && ")[0].split()
    build_args = command.split("netvault build ", 1)[1].split(" && ")[0].split()
    opened = re.search(r"open `([^`]+)`", readme)[1]
    monkeypatch.chdir(tmp_path)
    made = run("init", *init_args, "--today", TODAY)
    assert made.exit_code == 0, made.output
    assert run("build", *build_args, "--today", TODAY).exit_code == 0
    assert (tmp_path / opened).is_file()
    assert f"open {opened}" in made.output
