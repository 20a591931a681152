"""`Watcher` on real file-system events: edits, creates, renames, moves, deletes, bursts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from editing import DEADLINE, save, wait_for
from netvault.site import SiteError
from netvault.watch import Rebuild, Watcher, failure_message

TODAY = date(2026, 11, 20)
NOTES = {
    "netvault.toml": '[site]\ntitle = "First title"\n',
    "contacts/Ada Lovelace.md": "---\norg: Analytical Engines\ncircle: inner\n---\nLikes tea.\n",
    "contacts/Grace Hopper.md": "---\norg: Navy\n---\nCompilers.\n",
    "interactions/2026-11-16 Coffee with Grace.md": (
        '---\ntype: coffee\nwith: "[[Grace Hopper]]"\n---\nTalked about COBOL.\n'
    ),
}


def text_of(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:  # not there (yet), or swapped away while reading
        return ""


class Recorder:
    """Every build a watcher reports, safe to read from the test's thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.builds: list[Rebuild] = []

    def __call__(self, rebuild: Rebuild) -> None:
        with self.lock:
            self.builds.append(rebuild)

    @property
    def count(self) -> int:
        with self.lock:
            return len(self.builds)

    def last(self) -> Rebuild:
        with self.lock:
            return self.builds[-1]

    def since(self, number: int) -> list[Rebuild]:
        with self.lock:
            return self.builds[number:]


@pytest.fixture
def watched(vault, tmp_path):
    """Start a watcher on a vault written from `files`; it is stopped after the test, always."""
    watchers: list[Watcher] = []

    def start(files: dict[str, str] = NOTES, out: Path | None = None, **options):
        root = vault(files)
        recorder = Recorder()
        options.setdefault("quiet", 0.02)
        options.setdefault("today", lambda: TODAY)
        watcher = Watcher(root, out or root / "site", on_build=recorder, **options)
        watchers.append(watcher)
        watcher.start()
        wait_for(lambda: recorder.count >= 1, "the first build")
        assert watcher.wait_idle(DEADLINE)
        first = recorder.last()
        assert first.ok, first.error
        assert first.number == 1 and first.changed == ()
        return root, watcher.out, watcher, recorder

    yield start
    for watcher in watchers:
        watcher.stop(timeout=DEADLINE)


def test_an_edit_reaches_the_page(watched):
    root, out, watcher, builds = watched()
    page = out / "contacts" / "ada-lovelace.html"
    assert "Likes tea." in text_of(page)
    note = root / "contacts" / "Ada Lovelace.md"
    note.write_text(note.read_text().replace("Likes tea.", "Likes coffee now."))
    wait_for(lambda: "Likes coffee now." in text_of(page), "the edited page")
    assert "Likes tea." not in text_of(page)
    assert watcher.wait_idle(DEADLINE)  # the callback hears of a build after its swap
    assert any("contacts/Ada Lovelace.md" in b.changed for b in builds.since(1))


def test_create_rename_and_delete_a_note(watched):
    root, out, _, _ = watched()
    (root / "contacts" / "Alan Turing.md").write_text("---\norg: Bletchley\n---\nMachines.\n")
    new = out / "contacts" / "alan-turing.html"
    wait_for(new.is_file, "the new contact's page")
    assert "Machines." in text_of(new)

    (root / "contacts" / "Alan Turing.md").rename(root / "contacts" / "Alan M Turing.md")
    renamed = out / "contacts" / "alan-m-turing.html"
    wait_for(lambda: renamed.is_file() and not new.exists(), "the page under its new name")

    (root / "contacts" / "Alan M Turing.md").unlink()
    wait_for(lambda: not renamed.exists(), "the deleted note's page to go")
    assert (out / "contacts" / "ada-lovelace.html").is_file()


def test_a_note_moved_between_folders_changes_kind(watched):
    root, out, watcher, _ = watched()
    (root / "notes").mkdir()
    (root / "contacts" / "Ada Lovelace.md").rename(root / "notes" / "Ada Lovelace.md")
    moved, old = out / "notes" / "ada-lovelace.html", out / "contacts" / "ada-lovelace.html"
    # A build writes the new page before it deletes the old one: wait for both.
    wait_for(lambda: moved.is_file() and not old.exists(), "the note's page moved to notes/")
    assert watcher.wait_idle(DEADLINE)
    assert "Ada Lovelace" not in text_of(out / "contacts.html")


def test_a_renamed_top_folder_is_still_watched(watched):
    root, out, _, _ = watched()
    (root / "interactions").rename(root / "meetings")  # interactions too, by default
    (root / "people").mkdir()
    (root / "people" / "Alan Turing.md").write_text("---\norg: Bletchley\n---\n")
    wait_for((out / "contacts" / "alan-turing.html").is_file, "a contact in a new folder")
    note = root / "meetings" / "2026-11-16 Coffee with Grace.md"
    note.write_text(note.read_text().replace("COBOL", "FLOW-MATIC"))
    page = out / "interactions" / "2026-11-16-coffee-with-grace.html"
    wait_for(lambda: "FLOW-MATIC" in text_of(page), "an edit inside the renamed folder")
    (root / "people" / "Alan Turing.md").write_text("---\norg: Manchester\n---\nLater.\n")
    wait_for(
        lambda: "Later." in text_of(out / "contacts" / "alan-turing.html"),
        "an edit inside the new folder",
    )


@pytest.mark.parametrize("temp_name", [".Ada Lovelace.md.tmp", "Ada Lovelace.md~"])
def test_an_atomic_save_builds_exactly_the_new_content(watched, temp_name):
    root, out, watcher, builds = watched()
    temp = root / "contacts" / temp_name
    new_text = "---\norg: Analytical Engines\n---\nWrote the first program.\n"
    with temp.open("w", encoding="utf-8") as stream:  # written in pieces, as editors do
        stream.write(new_text[:10])
        stream.flush()
        stream.write(new_text[10:])
    os.replace(temp, root / "contacts" / "Ada Lovelace.md")
    page = out / "contacts" / "ada-lovelace.html"
    wait_for(lambda: "Wrote the first program." in text_of(page), "the saved content")
    assert watcher.wait_idle(DEADLINE)
    assert "Likes tea." not in text_of(page)
    for rebuild in builds.since(1):
        assert rebuild.ok
        assert all(not name.endswith((".tmp", "~")) for name in rebuild.changed)
        paths = rebuild.result.loaded.model.pages
        assert sorted(paths) == sorted(p for p in NOTES if p.endswith(".md"))
    assert sorted(p.name for p in (out / "contacts").iterdir()) == [
        "ada-lovelace.html",
        "grace-hopper.html",
    ]


def test_a_broken_note_is_reported_and_watching_goes_on(watched):
    root, out, _, builds = watched()
    note = root / "contacts" / "Ada Lovelace.md"
    good = note.read_text()
    note.write_text("---\norg: Analytical Engines\ncircle: [inner\n---\nHalf typed.\n")
    wait_for(lambda: builds.count >= 2 and builds.last().result.problems, "the problem")
    problems = [str(p) for p in builds.last().result.problems]
    assert len(problems) == 1
    assert problems[0].startswith("contacts/Ada Lovelace.md:3: error:")
    # The rest of the site is still built.
    assert "Compilers." in text_of(out / "contacts" / "grace-hopper.html")

    note.write_text(good.replace("Likes tea.", "Fixed."))
    page = out / "contacts" / "ada-lovelace.html"
    wait_for(lambda: "Fixed." in text_of(page), "the fixed page")
    wait_for(lambda: builds.last().result.problems == (), "no problems after the fix")


def test_a_burst_of_files_gives_a_few_builds_not_one_each(watched):
    root, out, watcher, builds = watched()
    folder = root / "contacts"
    for number in range(200):
        (folder / f"Person {number:03}.md").write_text(f"---\ncircle: casual\n---\nNo. {number}\n")
    wait_for(
        lambda: len(list((out / "contacts").glob("person-*.html"))) == 200,
        "all 200 pages",
    )
    assert watcher.wait_idle(DEADLINE)
    assert 1 <= len(builds.since(1)) <= 3
    assert len(builds.last().result.loaded.model.contacts) == 202


@pytest.mark.parametrize("where", ["site", "public", "outside"])
def test_its_own_writes_never_trigger_a_build(watched, tmp_path, where):
    out = tmp_path / "outside" if where == "outside" else tmp_path / "vault" / where
    root, _, _, builds = watched(out=out)
    time.sleep(1.0)  # long enough for any echo of the first build to arrive
    assert builds.count == 1, [b.changed for b in builds.since(1)]
    note = root / "contacts" / "Grace Hopper.md"
    note.write_text(note.read_text() + "Seen.\n")
    wait_for(lambda: builds.count >= 2, "the build after an edit")
    time.sleep(1.0)
    assert builds.count == 2, [b.changed for b in builds.since(1)]
    assert builds.last().changed == ("contacts/Grace Hopper.md",)


def test_settings_and_theme_overrides_are_watched(watched):
    root, out, watcher, builds = watched()
    index = out / "index.html"
    assert "First title" in text_of(index)
    (root / "netvault.toml").write_text('[site]\ntitle = "Second title"\n')
    wait_for(lambda: "Second title" in text_of(index), "the new site title")

    template = root / "themes" / "default" / "templates" / "contact.html"
    save(template, "{% extends 'default:contact.html' %}{% block title %}{{ nope( }}")
    wait_for(lambda: not builds.last().ok, "the broken template's failed build")
    error = builds.last().error
    assert isinstance(error, SiteError)
    assert "contact.html" in failure_message(error)
    assert "Likes tea." in text_of(out / "contacts" / "ada-lovelace.html")  # the old site

    save(template, "{% extends 'default:contact.html' %}{% block title %}Custom{% endblock %}")
    page = out / "contacts" / "ada-lovelace.html"
    # The site is swapped in just before the callback hears of the build: wait for both.
    wait_for(
        lambda: "<title>Custom</title>" in text_of(page) and builds.last().ok,
        "the fixed override",
    )
    assert watcher.wait_idle(DEADLINE)


def test_ignored_folders_and_files_change_nothing(watched):
    root, _, _, builds = watched()
    for rel in [
        ".git/index",
        ".obsidian/workspace.json",
        ".netvault-cache/abc",
        "templates/Contact.md",
        "contacts/.Ada Lovelace.md.swp",
        "contacts/#Ada Lovelace.md#",
        ".site.tmp-1234/index.html",
    ]:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("noise")
    time.sleep(1.0)
    assert builds.count == 1, [b.changed for b in builds.since(1)]


def test_relevant_paths(tmp_path):
    root = tmp_path / "vault"
    root.mkdir()
    watcher = Watcher(root, root / "site", lambda: TODAY)
    cases = {
        "contacts/Ada.md": "contacts/Ada.md",
        "netvault.toml": "netvault.toml",
        "attachments/photo.png": "attachments/photo.png",
        "themes/default/templates/base.html": "themes/default/templates/base.html",
        "themes/default/static/netvault.css": "themes/default/static/netvault.css",
        "themes/default/templates/.base.html.swp": None,
        "site/index.html": None,
        ".site.tmp-ab12/index.html": None,
        ".site.old-ab12": None,
        ".git/HEAD": None,
        ".obsidian/app.json": None,
        ".netvault-cache/parsed": None,
        "templates/Contact.md": None,
        "contacts/.Ada.md.tmp": None,
        "contacts/Ada.md~": None,
        "contacts/4913": None,
        "contacts/.obsidian/x.md": None,
    }
    for rel, expected in cases.items():
        assert watcher.relevant(str(root / rel), is_dir=False) == expected, rel
    assert watcher.relevant(str(root / "contacts"), is_dir=True) == "contacts"
    assert watcher.relevant(str(root), is_dir=True) is None
    assert watcher.relevant(str(tmp_path / "elsewhere.md"), is_dir=False) is None


def test_a_new_day_rebuilds_by_itself(watched):
    days = [TODAY]
    _, out, _, builds = watched(today=lambda: days[-1], day_check=0.05)
    days.append(date(2026, 11, 21))
    wait_for(lambda: builds.last().today == date(2026, 11, 21), "the new day's build")
    assert builds.last().changed == ()
    assert (out / "index.html").is_file()


def test_a_failing_callback_does_not_stop_watching(watched):
    root, out, watcher, builds = watched()
    calls: list[int] = []

    def explode(rebuild: Rebuild) -> None:
        calls.append(rebuild.number)
        builds(rebuild)
        raise RuntimeError("the reporter broke")

    watcher.on_build = explode
    note = root / "contacts" / "Grace Hopper.md"
    note.write_text(note.read_text() + "Once.\n")
    wait_for(lambda: len(calls) == 1, "the first reported build")
    note.write_text(note.read_text() + "Twice.\n")
    wait_for(lambda: len(calls) == 2, "a build after the callback failed")
    assert "Twice." in text_of(out / "contacts" / "grace-hopper.html")


def test_the_cache_is_saved_once_watching_is_idle_and_at_stop(watched):
    """So that the next `build` starts warm; never while edits keep coming."""
    from netvault.build import Builder

    root, out, watcher, builds = watched(save_idle=0.3)
    cache = root / ".netvault-cache"
    wait_for(lambda: list(cache.glob("notes.*.pickle")), "the cache saved after a quiet spell")
    note = root / "contacts" / "Grace Hopper.md"
    note.write_text(note.read_text() + "Saved at stop.\n")
    wait_for(lambda: builds.count >= 2, "the rebuild")
    watcher.stop(timeout=DEADLINE)
    # A new process finds every note parsed: nothing changed since the watcher's last build.
    result = Builder(root, out).build(TODAY)
    assert result.written == 0
    assert "Saved at stop." in text_of(out / "contacts" / "grace-hopper.html")


def test_stop_joins_its_threads(vault):
    root = vault(NOTES)
    before = set(threading.enumerate())
    with Watcher(root, root / "site", lambda: TODAY, quiet=0.01) as watcher:
        assert watcher.wait_idle(DEADLINE)
        assert watcher.builds == 1
    wait_for(lambda: set(threading.enumerate()) <= before, "every watcher thread to end", 5)
    with pytest.raises(RuntimeError):
        watcher.start()


@pytest.mark.parametrize("command", ["watch", "serve"])
def test_watch_and_serve_have_help_with_an_example(command):
    from click.testing import CliRunner

    from netvault.cli import cli

    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "--today" in result.output


def test_the_watch_command_reports_each_rebuild_and_stops_on_ctrl_c(vault):
    root = vault(NOTES)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "generator")}
    command = [sys.executable, "-c", "from netvault.cli import main; main()", "watch", str(root)]
    process = subprocess.Popen(
        [*command, "--today", "2026-11-20"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        # A shell may start tests with SIGINT ignored; the command must see Ctrl-C.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    lines: list[str] = []
    try:
        reader = threading.Thread(target=lambda: lines.extend(process.stderr), daemon=True)
        reader.start()
        wait_for(lambda: any(line.startswith("Built in ") for line in lines), "the first build")
        note = root / "contacts" / "Ada Lovelace.md"
        note.write_text("---\ncircle: [inner\n---\n")
        wait_for(lambda: any(line.startswith("Rebuilt in ") for line in lines), "a rebuild")
        process.send_signal(signal.SIGINT)
        process.wait(timeout=DEADLINE)
        reader.join(DEADLINE)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, "".join(lines)
    text = "".join(lines)
    assert "Traceback" not in text
    assert "contacts/Ada Lovelace.md:2: error: front matter is not valid YAML" in text
    rebuilt = next(line for line in lines if line.startswith("Rebuilt in "))
    assert " ms after contacts/Ada Lovelace.md: " in rebuilt
    assert "; 1 error; 2 files written." in rebuilt  # the contact page and the Today page
    assert text.rstrip().endswith("Stopped.")


def test_autocommit_commits_what_was_saved_after_a_quiet_spell(vault):
    """Never the site, never before the saves stop; its commit is shown by one more build."""
    from gitrepo import Repo

    root = vault(NOTES)
    repo = Repo(root)
    repo.commit("Start")
    commits = []
    recorder = Recorder()
    with Watcher(
        root,
        root / "site",
        lambda: TODAY,
        recorder,
        quiet=0.02,
        save_idle=0.05,
        autocommit=0.3,
        on_commit=commits.append,
    ) as watcher:
        wait_for(lambda: commits, "the first build's commit (of nothing)")
        assert commits[0].commit == "" and not isinstance(commits[0], Exception)
        save(root / "contacts" / "Ada Lovelace.md", "---\ncircle: outer\n---\nLikes tea.\n")
        save(root / "contacts" / "Linus.md", "---\norg: Kernel\n---\n")
        page = root / "site" / "contacts" / "linus.html"
        wait_for(lambda: page.is_file() and 'id="uncommitted"' in page.read_text(), "the save")
        wait_for(lambda: len(commits) >= 2, "the autocommit")
        wait_for(lambda: 'id="uncommitted"' not in page.read_text(), "the build after it")
        assert "Update Ada Lovelace, Linus" in page.read_text()  # its History section
        assert watcher.wait_idle(DEADLINE)
        builds = recorder.count
        time.sleep(0.6)  # past the autocommit's quiet spell: nothing more to commit or build
        assert (recorder.count, len(commits)) == (builds, 2)
    done = commits[1]
    assert set(done.paths) == {"contacts/Ada Lovelace.md", "contacts/Linus.md"}
    assert repo.git("log", "-1", "--format=%s").strip() == "Update Ada Lovelace, Linus"
    assert repo.git("status", "--porcelain").splitlines() == ["?? site/"]


def test_a_commit_made_in_a_terminal_while_watching_is_shown(vault):
    """HEAD moved by someone else: the pages' history and uncommitted marks follow."""
    from gitrepo import Repo

    root = vault(NOTES)
    repo = Repo(root)
    repo.write(".gitignore", "site/\n.netvault-cache/\n")
    repo.commit("Start")
    page = root / "site" / "contacts" / "linus.html"
    with Watcher(
        root, root / "site", lambda: TODAY, quiet=0.02, save_idle=0.05, head_check=0.05
    ) as watcher:
        save(root / "contacts" / "Linus.md", "---\norg: Kernel\n---\n")
        wait_for(lambda: page.is_file() and 'id="uncommitted"' in page.read_text(), "the save")
        assert watcher.wait_idle(DEADLINE)
        repo.commit("Linus, by hand")
        wait_for(lambda: 'id="uncommitted"' not in page.read_text(), "the build after it")
        assert "Linus, by hand" in page.read_text()
        assert "Linus, by hand" in (root / "site" / "activity.html").read_text()
