"""A whole build: what it reads, what it writes, and what it leaves alone."""

import hashlib
import os
import random
import shutil
import subprocess
from datetime import date, timedelta

import pytest

from netvault import build, followups, search
from netvault.commits import record_changes
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


GUARDED = {
    "contacts/Ada.md": "---\ncadence: 30d\n---\nKnows [[Bo]].\n",
    "contacts/Bo.md": "Trips netvault up.\n",
    "interactions/2026-11-20 Tea.md": "---\nwith: ['[[Ada]]', '[[Bo]]']\n---\nTea.\n",
}


def _trip(real, when):
    """`real`, but raising for the note `when` says: a bug netvault has on one note."""

    def tripped(*args, **kwargs):
        if when(*args):
            raise RuntimeError("a bug")
        return real(*args, **kwargs)

    return tripped


@pytest.mark.parametrize(
    ("stage", "patch", "outcome", "page"),
    [
        (
            "parsing",
            ("netvault.notes:parse_body", lambda text, **_: "Trips" in text),
            "left out",
            None,
        ),
        (
            "linking",
            ("netvault.model:_contact", lambda fields, name: name == "Bo"),
            "shown as a plain note, without what its front matter says",
            "notes/bo.html",
        ),
        (
            "making the page of",
            ("netvault.site:Pages.contact_page", lambda pages, path: path == "contacts/Bo.md"),
            "left out",
            None,
        ),
    ],
    ids=["parse", "model", "page"],
)
def test_a_note_that_trips_any_stage_is_its_problem_and_the_rest_is_built(
    vault, tmp_path, monkeypatch, stage, patch, outcome, page
):
    import importlib

    from click.testing import CliRunner

    from netvault.cli import cli

    target, when = patch
    module, attribute = target.split(":")
    owner = importlib.import_module(module)
    *parents, name = attribute.split(".")
    for parent in parents:
        owner = getattr(owner, parent)
    monkeypatch.setattr(owner, name, _trip(getattr(owner, name), when))
    root = vault(GUARDED)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["build", str(root), "--out", str(out), "--today", "2026-11-22"]
    )
    assert result.exit_code == 1, result.output
    message = (
        f"contacts/Bo.md:1: error: netvault failed while {stage} this note"
        f" (RuntimeError: a bug); {outcome}"
    )
    assert message in result.output
    assert (out / "contacts" / "ada.html").is_file()
    assert (out / "interactions" / "2026-11-20-tea.html").is_file()
    assert not (out / "contacts" / "bo.html").exists()
    if page is not None:
        assert "Trips netvault up." in (out / page).read_text()
    # The problem stays with the note while it trips, in a new builder and an old one.
    builder = build.Builder(root, out, workers=1)
    assert any(p.message.startswith("netvault failed") for p in builder.build(TODAY).problems)
    (root / "contacts" / "Ada.md").write_text("---\ncadence: 7d\n---\nKnows [[Bo]].\n")
    again = builder.build(TODAY)
    assert [str(p) for p in again.problems if p.path == "contacts/Bo.md"] == [message]


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


# ---------------------------------------------------------------------------
# Incremental builds: the very site a full build gives, with only the work needed.


def tree(root):
    """Every file below `root` (dot-files too) by relative path, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def empty_dirs(root):
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_dir() and not any(p.iterdir())
    )


def assert_same_site(incremental, full):
    a, b = tree(incremental), tree(full)
    assert sorted(a.keys() - b.keys()) == [], "files only in the incremental site"
    assert sorted(b.keys() - a.keys()) == [], "files missing from the incremental site"
    assert sorted(rel for rel in a if a[rel] != b[rel]) == [], "files whose bytes differ"
    assert empty_dirs(incremental) == []


def full_build(root, out, today):
    """A build from nothing: a new builder, no cache, into a folder of its own."""
    return build.Builder(root, out, use_cache=False).build(today)


def built_and_saved(root, out, today=None):
    """A builder that built the vault and saved its cache, as a process before this one."""
    builder = build.Builder(root, out)
    builder.build(today or TODAY)
    builder.save_cache()
    return builder


@pytest.fixture
def shared_templates(monkeypatch):
    """Compile the theme's templates once for the whole test, not once per builder.

    Compiling them is most of the time of a small build; the templates of these
    tests never change, and an environment holds nothing of the vault's notes.
    """
    from netvault import site

    made = {}
    real = site.environment

    def environment(theme, vault):
        if (theme, vault) not in made:
            made[theme, vault] = real(theme, vault)
        return made[theme, vault]

    monkeypatch.setattr(site, "environment", environment)


CONTACTS = (
    "Ada Lovelace",
    "Grace Hopper",
    "Linus Torvalds",
    "Barbara Liskov",
    "Alan Turing",
    "Edsger Dijkstra",
    "Margaret Hamilton",
    "Dennis Ritchie",
)
CIRCLES = ("inner", "close", "active", "casual")
ORGS = ('"[[Analytical Engines]]"', '"[[Navy]]"', "Startup Inc")
TAGS = ("mentor", "rust", "idea", "ml", "nested/tag")
FOLDERS = ("contacts", "people", "interactions", "orgs", "goals", "notes", "")
WORDS = ("compilers", "lunch", "the paper", "a conference", "chess", "tea", "rockets")


class EditableVault:
    """A vault kept as structured notes, written to disk after every edit.

    Every file written or touched gets an mtime one second later than the last,
    so that no edit can hide behind a coarse file-system clock.
    """

    def __init__(self, root, rng):
        self.root = root
        self.rng = rng
        self.clock = 1_750_000_000 * 10**9
        self.notes = {}  # rel -> {"meta": {key: yaml text}, "body": [lines], "broken": bool}
        self.created = 0
        for i, name in enumerate(CONTACTS):
            meta = {"circle": CIRCLES[i % 4], "org": ORGS[i % 2]}
            if i % 3 == 0:
                meta["cadence"] = "30d"
            if i % 4 == 1:
                meta["follow_up"] = f"2026-11-{15 + i:02d}"
            if i % 5 == 2:
                meta["tags"] = "[mentor]"
            body = ["Met at a conference.", f"Knows [[{CONTACTS[(i + 1) % 8]}]]."]
            if i % 2:
                body.append("#friend")
            if i % 4 == 3:  # long overdue: Today counts it, the pages of follow-ups list it
                body.append(f"- [ ] Send the slides \U0001f4c5 2026-0{5 + i // 4}-01")
            self.notes[f"contacts/{name}.md"] = self._note(meta, body)
        for j in range(12):
            day = f"2026-{10 + j // 6}-{(j % 6) * 4 + 2:02d}"
            meta = {"type": "coffee", "with": f'"[[{CONTACTS[j % 8]}]]"'}
            if j % 4 == 0:
                meta["follow_up"] = f"2026-11-{10 + j:02d}"
            if j % 3 == 1:
                meta["thank_you"] = "false"
            if j % 4 == 3:  # messages: replies owed and awaited
                meta["direction"] = ("in", "out")[j % 8 // 4]
            body = [f"We talked about {WORDS[j % len(WORDS)]}."]
            if j % 5 == 0:
                body.append("#work")
            self.notes[f"interactions/{day} Coffee {j}.md"] = self._note(meta, body)
        self.notes["orgs/Analytical Engines.md"] = self._note(
            {"website": "https://engines.example"}, ["Makes engines."]
        )
        self.notes["orgs/Navy.md"] = self._note({}, ["Big."])
        self.notes["goals/Move into design.md"] = self._note(
            {"targets": '["[[Analytical Engines]]"]'},
            ["- [ ] Read the paper \U0001f4c5 2026-12-01", "Ask [[Ada Lovelace]]."],
        )
        self.notes["notes/Ideas.md"] = self._note(
            {"tags": "[idea]"},
            [
                "Some <mark>ideas</mark> #rust and #ml.",
                "See [[Grace Hopper]] and [[Navy]].",
                "![[pic.png]]",
            ],
        )
        self.notes["Daily/2026-11-10.md"] = self._note({}, ["Bumped into [[Alan Turing]]."])
        self.title = 0
        self.allow_html = False
        self.editor = "auto"
        for rel in self.notes:
            self._write_note(rel)
        self._write_settings()
        self.write("attachments/pic.png", b"\x89PNG fake 0")

    @staticmethod
    def _note(meta, body):
        return {"meta": dict(meta), "body": list(body), "broken": False}

    # -- writing ----------------------------------------------------------------

    def tick(self, rel):
        self.clock += 10**9
        os.utime(self.root / rel, ns=(self.clock, self.clock))

    def write(self, rel, data):
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.tick(rel)

    def text(self, rel):
        note = self.notes[rel]
        meta = [f"{key}: {value}" for key, value in note["meta"].items()]
        if note["broken"]:
            meta.insert(0, "broken: [")
        front = "---\n" + "".join(f"{line}\n" for line in meta) + "---\n" if meta else ""
        return front + "".join(f"{line}\n" for line in note["body"])

    def _write_note(self, rel):
        self.write(rel, self.text(rel).encode("utf-8"))

    def _write_settings(self):
        html = "true" if self.allow_html else "false"
        text = f'[site]\ntitle = "My net {self.title}"\nallow_html = {html}\n'
        text += f'[links]\neditor = "{self.editor}"\n'
        self.write("netvault.toml", text.encode())

    # -- edits: each returns the vault-relative paths it changed ---------------

    def pick(self, broken=None):
        rels = sorted(
            rel for rel, note in self.notes.items() if broken is None or note["broken"] == broken
        )
        return self.rng.choice(rels) if rels else None

    def titles(self):
        return sorted(rel.rsplit("/", 1)[-1][:-3] for rel in self.notes)

    def edit_body(self):
        rel = self.pick()
        body = self.notes[rel]["body"]
        plain = [i for i, line in enumerate(body) if "[[" not in line and "#" not in line]
        sentence = f"We spoke about {self.rng.choice(WORDS)} ({self.rng.randrange(1000)})."
        if plain:  # the same line, other words: the quick path for body text
            body[self.rng.choice(plain)] = sentence
        else:
            body.append(sentence)
        self._write_note(rel)
        return {rel}

    def add_link(self):
        rel = self.pick()
        target = self.rng.choice([*self.titles(), "Nobody Known", "pic.png"])
        self.notes[rel]["body"].append(f"Met via [[{target}]].")
        self._write_note(rel)
        return {rel}

    def remove_link(self):
        linked = sorted(r for r, n in self.notes.items() if any("[[" in x for x in n["body"]))
        if not linked:
            return self.add_link()
        rel = self.rng.choice(linked)
        body = self.notes[rel]["body"]
        body.remove(self.rng.choice([line for line in body if "[[" in line]))
        self._write_note(rel)
        return {rel}

    def add_tag(self):
        rel = self.pick()
        self.notes[rel]["body"].append(f"#{self.rng.choice(TAGS)}")
        self._write_note(rel)
        return {rel}

    def remove_tag(self):
        tagged = sorted(r for r, n in self.notes.items() if any("#" in x for x in n["body"]))
        if not tagged:
            return self.add_tag()
        rel = self.rng.choice(tagged)
        body = self.notes[rel]["body"]
        body.remove(self.rng.choice([line for line in body if "#" in line]))
        self._write_note(rel)
        return {rel}

    def front_matter(self):
        rel = self.pick()
        meta = self.notes[rel]["meta"]
        links = [f'"[[{name}]]"' for name in (*CONTACTS[:3], "Ada", "Nobody Known")]
        values = {
            "circle": CIRCLES,
            "org": ORGS,
            "date": [f"2026-{m}-{d:02d}" for m in (10, 11) for d in (1, 9, 18, 27)],
            # Some long overdue, one about to become so as the days go by.
            "follow_up": [
                *(f"2026-11-{d:02d}" for d in (1, 12, 19, 20, 21, 25, 30)),
                *("2026-06-01", "2026-09-23"),
            ],
            "cadence": ("7d", "30d", "90d", "none"),
            # A new name or alias moves where links elsewhere go (and may clash).
            "name": ("Ada", "Grace", "Navy", "Ada Lovelace", "Someone New"),
            "aliases": ("[Ada]", "[Navy, Amazing Grace]", "[Nobody Known]"),
            "referred_by": links,
            "intro_via": links,
            "with": links,
            "status": ("prospect", "contacted", "active"),
            "type": ("contact", "interaction", "note", "coffee"),
            # Shown on the note's own page alone: the pages around it stay as they are;
            # on any note, it holds back the follow-ups the note sets, or moves them.
            "snooze_until": ("2026-11-19", "2026-11-28", "2026-08-15"),
            "birthday": ("1815-12-10", "June 3"),
            "how_met": ("PyCon", "a friend's party"),
            "email": ("ada@example.com", "grace@navy.example"),
            "website": ("https://example.com",),
            "direction": ("in", "out", "both"),
            "replied": ("true", "false"),
        }
        key = self.rng.choice(sorted(values))
        values = values[key]
        if key in meta and self.rng.random() < 0.3:
            del meta[key]
        else:
            meta[key] = self.rng.choice(values)
        self._write_note(rel)
        return {rel}

    def create(self):
        self.created += 1
        folder = self.rng.choice(FOLDERS)
        name = f"2026-11-{self.rng.randint(1, 28):02d} New {self.created}"
        rel = f"{folder}/{name}.md" if folder else f"{name}.md"
        meta = {"with": f'"[[{self.rng.choice(CONTACTS)}]]"', "circle": "inner"}
        self.notes[rel] = self._note(meta, [f"New about [[{self.rng.choice(self.titles())}]]."])
        self._write_note(rel)
        return {rel}

    def delete(self):
        rel = self.pick()
        del self.notes[rel]
        (self.root / rel).unlink()
        return {rel}

    def move(self):
        """Move a note into another folder (its kind changes), as a file manager does."""
        rel = self.pick()
        folder, name = rel.rsplit("/", 1) if "/" in rel else ("", rel)
        to = self.rng.choice([f for f in FOLDERS if f != folder])
        new = f"{to}/{name}" if to else name
        if new in self.notes:
            return self.edit_body()
        (self.root / new).parent.mkdir(parents=True, exist_ok=True)
        os.rename(self.root / rel, self.root / new)  # keeps its mtime and inode
        self.notes[new] = self.notes.pop(rel)
        return {rel, new}

    def break_yaml(self):
        rel = self.pick(broken=False)
        self.notes[rel]["broken"] = True
        self._write_note(rel)
        return {rel}

    def fix_yaml(self):
        rel = self.pick(broken=True)
        if rel is None:
            return self.break_yaml()
        self.notes[rel]["broken"] = False
        self._write_note(rel)
        return {rel}

    def settings(self):
        roll = self.rng.random()
        if roll < 0.25:
            self.title += 1
        elif roll < 0.5:  # every note is parsed again
            self.allow_html = not self.allow_html
        elif roll < 0.75:  # every page's links to the editor change
            self.editor = self.rng.choice(("obsidian", "vscode", "none", "auto"))
        else:  # what `auto` chooses
            obsidian = self.root / ".obsidian"
            if obsidian.exists():
                obsidian.rmdir()
            else:
                obsidian.mkdir()
            return {".obsidian"}
        self._write_settings()
        return {"netvault.toml"}

    def attachment(self):
        """Delete the picture, or give it new bytes, or put it back."""
        path = self.root / "attachments" / "pic.png"
        if path.exists() and self.rng.random() < 0.5:
            path.unlink()
        else:
            self.write("attachments/pic.png", f"\x89PNG fake {self.clock}".encode())
        return {"attachments/pic.png"}

    def touch(self):
        rel = self.rng.choice([*sorted(self.notes), "netvault.toml"])
        self.tick(rel)
        return {rel}

    def today(self):
        return None

    def commit(self):
        """Record the vault in git as `netvault commit` does (making the repository first)."""
        if not (self.root / ".git").exists():
            subprocess.run(["git", "init", "-q"], cwd=self.root, check=True)
        record_changes(self.root)
        return None


EDITS = [
    "edit_body",
    "add_link",
    "remove_link",
    "add_tag",
    "remove_tag",
    "front_matter",
    "front_matter",
    "front_matter",
    "front_matter",
    "front_matter",
    "front_matter",
    "add_link",
    "remove_link",
    "create",
    "delete",
    "move",
    "move",
    "break_yaml",
    "fix_yaml",
    "settings",
    "settings",
    "settings",
    "attachment",
    "touch",
    "today",
    "commit",
    "commit",
    "commit",
]


@pytest.mark.parametrize(
    ("seed", "tell_changed"),
    [
        (seed, ("process", "all", "watch")[seed % 3])
        for seed in range(1, int(os.environ.get("NETVAULT_SEEDS", 6)) + 1)
    ],
    ids=lambda value: str(value),
)
def test_incremental_builds_equal_full_builds_over_random_edits(
    tmp_path, shared_templates, seed, tell_changed, monkeypatch
):
    """After every edit, the incremental builder's site is byte for byte a full build's.

    With "watch", one long-lived builder is told which paths changed, as `watch`
    does; with "all", it is told nothing and looks for itself; with "process", each
    build is as often as not a new process's, which takes up from the cache.
    Pages of at most five follow-ups (ending where their rows say) and of two contacts,
    and two interactions on Interactions: so that rows move from page to page.
    """
    from netvault import site

    monkeypatch.setattr(site, "FOLLOWUP_PAGE_ROWS", 5)
    monkeypatch.setattr(site, "CONTACT_PAGE_ROWS", 2)
    monkeypatch.setattr(site, "INTERACTIONS_SHOWN", 2)
    new_process = tell_changed == "process"
    tell_changed = tell_changed == "watch"
    rng = random.Random(seed)
    edits = EditableVault(tmp_path / "vault", rng)
    order = list(EDITS)
    rng.shuffle(order)
    if order.index("fix_yaml") < order.index("break_yaml"):  # break first, fix later
        i, j = order.index("fix_yaml"), order.index("break_yaml")
        order[i], order[j] = order[j], order[i]
    today = TODAY
    builder = build.Builder(edits.root, tmp_path / "a")
    assert builder.build(today).written > 0
    for step, edit in enumerate(order):
        changed = getattr(edits, edit)()
        before = today
        if edit == "today" or rng.random() < 0.2:
            today += timedelta(days=rng.choice((-3, 1, 2, 5)))
        note = f"step {step}: {edit} {sorted(changed or ())} today={today}"
        if new_process and rng.random() < 0.6:
            builder.save_cache()
            builder = build.Builder(edits.root, tmp_path / "a")
            note += " (a new process)"
        result = builder.build(today, sorted(changed) if tell_changed and changed else None)
        full = tmp_path / f"full-{step}"
        expected = full_build(edits.root, full, today)
        try:
            assert_same_site(tmp_path / "a", full)
        except AssertionError as exc:
            raise AssertionError(f"{note}: {exc}") from None
        assert (result.pages, result.problems) == (expected.pages, expected.problems), note
        assert result.summary == expected.summary, note
        if edit == "touch" and today == before:  # the same bytes: the same site
            assert result.written == 0, note
        assert builder.build(today).written == 0, note
        shutil.rmtree(full)


def edited_under_watch(vault, tmp_path, files, rel, text):
    """Build `files`, edit `rel` to `text` and build again as `watch` does (told `rel`):
    the site, checked byte for byte against a full build of the vault as edited.
    """
    root = vault(files)
    builder = build.Builder(root, tmp_path / "a")
    builder.build(TODAY)
    (root / rel).write_text(text)
    builder.build(TODAY, [rel])
    full_build(root, tmp_path / "full", TODAY)
    assert_same_site(tmp_path / "a", tmp_path / "full")
    return tmp_path / "a"


def test_a_contact_added_or_deleted_moves_rows_across_the_contacts_pages(
    vault, tmp_path, monkeypatch
):
    """Under watch, a contact that comes or goes shifts the later pages of the contacts
    list, and a page left empty is deleted: as a build from nothing gives.
    """
    from netvault import site

    monkeypatch.setattr(site, "CONTACT_PAGE_ROWS", 2)
    root = vault({f"contacts/P{n}.md": "" for n in (1, 2, 3, 4)})
    builder = build.Builder(root, tmp_path / "a")
    builder.build(TODAY)
    assert sorted(p.name for p in (tmp_path / "a").glob("contacts*.html")) == [
        "contacts-2.html",
        "contacts.html",
    ]
    (root / "contacts" / "P0.md").write_text("")  # first by name: every row moves on
    builder.build(TODAY, ["contacts/P0.md"])
    assert (tmp_path / "a" / "contacts-3.html").is_file()
    full_build(root, tmp_path / "full", TODAY)
    assert_same_site(tmp_path / "a", tmp_path / "full")
    for name in ("P0", "P3"):
        (root / "contacts" / f"{name}.md").unlink()
        builder.build(TODAY, [f"contacts/{name}.md"])
    assert not (tmp_path / "a" / "contacts-3.html").exists()
    shutil.rmtree(tmp_path / "full")
    full_build(root, tmp_path / "full", TODAY)
    assert_same_site(tmp_path / "a", tmp_path / "full")


def test_an_org_written_otherwise_by_its_first_contact_is_renamed_on_every_page(vault, tmp_path):
    """An org with no note is shown as its first contact writes it, on everyone's page."""
    files = {
        "contacts/A.md": "---\norg: ACME corp\n---\n",
        "contacts/B.md": "---\norg: acme Corp\n---\n",
        "interactions/2026-11-01 Call.md": "---\norg: Acme Corp\n---\n",
    }
    out = edited_under_watch(vault, tmp_path, files, "contacts/A.md", "---\norg: Acme CORP\n---\n")
    assert "Acme CORP" in (out / "contacts" / "b.html").read_text()


def test_a_contact_renamed_is_renamed_on_the_pages_of_follow_ups_that_name_them(vault, tmp_path):
    """A task's follow-up is the same after its contact takes another name; its row is not."""
    files = {
        "contacts/Ada.md": "---\nname: Ada\n---\n",
        "notes/Plan.md": "- [ ] Call [[Ada]] 📅 2026-11-25\n",
    }
    out = edited_under_watch(
        vault, tmp_path, files, "contacts/Ada.md", "---\nname: Ada King\n---\n"
    )
    assert "Ada King" in (out / "followups" / "soon-task.html").read_text()


def test_a_new_process_takes_up_the_site_map_and_referrals_a_cadence_edit_leaves(
    vault, tmp_path, monkeypatch
):
    """A cadence edit in a new process works out neither URLs nor referrals again, nor the
    ties gone quiet of the contacts it cannot touch, nor the list rows (or their digests)
    of the contacts it cannot show, nor the contacts list's filters.
    """
    from netvault import insight_pages, site
    from netvault.insights import health

    root = vault({**SMALL, "contacts/Linus Torvalds.md": "---\ncircle: casual\n---\n"})
    out = tmp_path / "out"
    built_and_saved(root, out)
    calls = {"places": 0, "referrals": 0}
    quiet_of = []  # the contacts each working out of the ties gone quiet looked at
    real_dormant = health.dormant

    def dormant(model, today, settings, previous=(), only=None):
        quiet_of.append(set(model.contacts) if only is None else set(only))
        return real_dormant(model, today, settings, previous, only)

    monkeypatch.setattr(health, "dormant", dormant)
    digested = []
    real_fingerprint = site._fingerprint

    def fingerprint(name, context):
        if not name:  # a row's
            digested.append(context)
        return real_fingerprint(name, context)

    monkeypatch.setattr(site, "_fingerprint", fingerprint)
    rows_made = []
    real_row = site.Pages._contact_row

    def contact_row(self, contact, links):
        rows_made.append(contact.path)
        return real_row(self, contact, links)

    monkeypatch.setattr(site.Pages, "_contact_row", contact_row)

    def counted(name, real):
        def call(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)

        return call

    monkeypatch.setattr(site, "_places", counted("places", site._places))
    monkeypatch.setattr(
        insight_pages, "referral_view", counted("referrals", insight_pages.referral_view)
    )
    calls["filters"] = 0
    monkeypatch.setattr(site.Pages, "_choices", counted("filters", site.Pages._choices))
    grace = root / "contacts" / "Grace Hopper.md"
    grace.write_text(grace.read_text().replace("circle: casual", "circle: casual\ncadence: 9d"))
    builder = build.Builder(root, out)  # a new process
    assert builder.build(TODAY).written > 0
    assert "every 9 days" in (out / "contacts" / "grace-hopper.html").read_text()
    assert calls == {"places": 0, "referrals": 0, "filters": 0}
    assert "contacts/Grace Hopper.md" in rows_made
    assert "contacts/Linus Torvalds.md" not in rows_made  # kept from the last process
    assert quiet_of and all("contacts/Linus Torvalds.md" not in seen for seen in quiet_of)
    assert [row.link.href for row in digested] == ["contacts/grace-hopper.html"]
    builder.save_cache()
    # Who referred her is what the referrals show: they are worked out again.
    grace.write_text(grace.read_text().replace("cadence: 9d", "referred_by: '[[Ada Lovelace]]'"))
    builder = build.Builder(root, out)
    builder.build(TODAY)
    assert calls == {"places": 0, "referrals": 1, "filters": 0}
    full_build(root, tmp_path / "full", TODAY)
    assert_same_site(out, tmp_path / "full")


def test_a_cadence_edit_makes_again_only_the_contacts_list_page_that_lists_its_contact(
    vault, tmp_path, monkeypatch
):
    """The contacts list's pages that list none of the notes an edit touches are kept as
    they are; one more contact moves rows across them all, and each is made again.
    """
    from netvault import site

    monkeypatch.setattr(site, "CONTACT_PAGE_ROWS", 2)
    people = {f"contacts/P{n}.md": "---\ncircle: inner\n---\n" for n in range(8)}
    root = vault(people)
    out = tmp_path / "out"
    builder = build.Builder(root, out)
    builder.build(TODAY)
    made = []
    real_page = site.Pages.contacts_page

    def contacts_page(self, file):
        made.append(file)
        return real_page(self, file)

    monkeypatch.setattr(site.Pages, "contacts_page", contacts_page)
    (root / "contacts" / "P5.md").write_text("---\ncircle: inner\ncadence: 9d\n---\n")
    builder.build(TODAY, changed=["contacts/P5.md"])
    assert made == ["contacts-3.html"]  # P4 and P5
    made.clear()
    (root / "contacts" / "P0 new.md").write_text("---\ncircle: inner\n---\n")
    builder.build(TODAY)
    assert made == [f"contacts{f'-{n}' if n > 1 else ''}.html" for n in range(1, 6)]
    full_build(root, tmp_path / "full", TODAY)
    assert_same_site(out, tmp_path / "full")


def test_an_edit_in_a_new_process_rewrites_only_the_follow_ups_it_changes(
    vault, tmp_path, monkeypatch
):
    """The follow-ups are kept in buckets by note: an edit writes again the bucket of the
    note it changed, and a process after it reads the same follow-ups a full build finds.
    Saving the notes' buckets looks at what the model keeps of the edited note alone.
    """
    from netvault import cache, followups
    from netvault.model import ModelMaker

    notes = {f"contacts/C{n}.md": f"---\nfollow_up: 2026-11-{n + 1:02d}\n---\n" for n in range(20)}
    root = vault({**SMALL, **notes})
    out = tmp_path / "out"
    built_and_saved(root, out)

    def kept() -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in cache.folder(root).glob("followups.*.pickle")}

    before = kept()
    assert len(before) > 1  # the notes' follow-ups are spread over several buckets
    (root / "contacts" / "C3.md").write_text("---\nfollow_up: 2026-11-25\n---\n")
    looked_at = []
    real_kept = ModelMaker.kept
    monkeypatch.setattr(
        ModelMaker, "kept", lambda self, path: looked_at.append(path) or real_kept(self, path)
    )
    built_and_saved(root, out)  # a new process
    assert looked_at == ["contacts/C3.md"]
    after = kept()
    rewritten = {name for name in after if after[name] != before.get(name)}
    assert rewritten == {
        cache.path_of(root, f"followups.{cache.bucket('contacts/C3.md'):02d}").name
    }
    fresh = build.load(root)
    recalled = build.Builder(root, out).recall(TODAY)
    assert recalled is not None
    assert recalled.followups == followups.compute(fresh.model, TODAY, fresh.settings)


SMALL = {
    "netvault.toml": '[site]\ntitle = "My net"\n',
    "contacts/Ada Lovelace.md": (
        "---\ncircle: inner\norg: '[[Engines]]'\n---\n"
        "Met at a conference.\nKnows [[Grace Hopper]].\n"
    ),
    "contacts/Grace Hopper.md": "---\ncircle: casual\nfollow_up: 2026-11-20\n---\nNavy.\n",
    "interactions/2026-11-01 Coffee.md": "---\nwith: '[[Ada Lovelace]]'\n---\nWe talked #work.\n",
    "orgs/Engines.md": "Makes engines.\n",
    "notes/Ideas.md": "Some ideas #rust, see [[Ada Lovelace]].\n",
}


def test_an_update_past_the_memory_budget_waits_in_files_and_lands_whole(
    vault, tmp_path, monkeypatch
):
    from netvault import site

    root = vault(SMALL)
    out = tmp_path / "out"
    builder = build.Builder(root, out)
    builder.build(TODAY)
    monkeypatch.setattr(site, "UPDATE_MAX_BYTES", 100)  # every changed page spills
    untouched = (out / "orgs" / "engines.html").stat().st_ino
    (root / "contacts" / "Grace Hopper.md").write_text("---\ncircle: inner\n---\nNavy.\n")
    assert builder.build(TODAY).written > 1
    # Updated in place, not written anew as a whole fresh site.
    assert (out / "orgs" / "engines.html").stat().st_ino == untouched
    full_build(root, tmp_path / "full", TODAY)
    assert_same_site(out, tmp_path / "full")
    assert not [p for p in out.rglob(".*") if p.is_file()]  # no temporary file left
    # A failure while rendering leaves the site as it was, and no temporary file.
    before = files_of(out)
    real = site._render
    calls = []

    def fail_second(*args):
        calls.append(1)
        if len(calls) == 2:
            raise SiteError("a theme template broke")
        return real(*args)

    monkeypatch.setattr(site, "_render", fail_second)
    (root / "contacts" / "Grace Hopper.md").write_text("---\ncircle: casual\n---\nNavy.\n")
    with pytest.raises(SiteError):
        builder.build(TODAY)
    assert files_of(out) == before


def test_each_new_day_in_a_new_process_remakes_only_what_the_day_changes(
    vault, tmp_path, monkeypatch
):
    from netvault import site

    files = {f"contacts/Person {i}.md": "---\ncadence: none\n---\nQuiet.\n" for i in range(6)}
    files["contacts/Due.md"] = "---\nfollow_up: 2026-11-24\n---\n"
    root = vault(files)
    out = tmp_path / "out"
    made = []
    real = site.Pages.contact_page
    monkeypatch.setattr(
        site.Pages, "contact_page", lambda pages, path: made.append(path) or real(pages, path)
    )
    for day in range(22, 27):
        made.clear()
        builder = build.Builder(root, out)
        builder.build(date(2026, 11, day))
        builder.save_cache()
        if day > 22:  # the quiet people's pages do not depend on the day: not made again
            assert made == [], day
        full_build(root, tmp_path / f"full-{day}", date(2026, 11, day))
        assert_same_site(out, tmp_path / f"full-{day}")


def test_a_build_after_no_edit_writes_nothing(vault, tmp_path):
    root = vault(SMALL)
    builder = build.Builder(root, tmp_path / "out")
    first = builder.build(TODAY)
    assert first.written == len(tree(tmp_path / "out"))
    again = builder.build(TODAY)
    assert again.written == 0
    assert (again.pages, again.problems, again.summary) == (first.pages, (), first.summary)
    # A new builder, as a new process would make, finds nothing to do either,
    # once the first has saved its cache.
    builder.save_cache()
    assert build.Builder(root, tmp_path / "out").build(TODAY).written == 0


def test_a_body_edit_rewrites_only_that_notes_page(vault, tmp_path):
    root = vault(SMALL)
    out = tmp_path / "out"
    builder = build.Builder(root, out)
    builder.build(TODAY)
    before = tree(out)
    note = root / "contacts" / "Ada Lovelace.md"
    note.write_text(note.read_text().replace("a conference", "the opera"))
    result = builder.build(TODAY)
    after = tree(out)
    # Her page, and the search index's shards of the words that came and went, and of
    # her snippet, and the list of the shards there are.
    assert sorted(rel for rel in after if after[rel] != before.get(rel)) == [
        "contacts/ada-lovelace.html",
        "search/co.js",
        "search/docs/"
        + search.doc_shard(search.base_id("contacts/Ada Lovelace.md", "contact", None))
        + ".js",
        "search/op.js",
        "search/shards.js",
        "search/th.js",
    ]
    # No other note has a word of one letter, nor one beginning "op" or "th".
    assert after.keys() == (before.keys() - {"search/a_.js"}) | {"search/op.js", "search/th.js"}
    assert result.written == 7
    assert b"the opera" in after["contacts/ada-lovelace.html"]
    full = tmp_path / "full"
    full_build(root, full, TODAY)
    assert_same_site(out, full)


def test_a_body_edit_keeps_the_fields_a_note_writes_under_other_names(vault, tmp_path):
    root = vault({"contacts/Ada.md": "", COFFEE: "---\nPeople: '[[Ada]]'\n---\nWe talked.\n"})
    builder = build.Builder(root, tmp_path / "out")
    builder.build(TODAY)
    rewrite(root / COFFEE, "---\nPeople: '[[Ada]]'\n---\nWe talked at length.\n")
    result = builder.build(TODAY)
    # The body alone was built again: the note's page, and the search shards of "at",
    # "length" and of its snippet; and the list of shards ("le" is new).
    assert result.written == 5
    model = result.loaded.model
    assert dict(model.pages[COFFEE].note.meta) == {"People": "[[Ada]]"}  # as written
    assert (model.pages[COFFEE].keys, model.pages[COFFEE].line_of("with")) == (
        (("with", "People"),),
        2,
    )
    assert model.interactions[COFFEE].contacts == ("contacts/Ada.md",)


def without_the_model(monkeypatch):
    """Make reading every note's parse from the cache, or making the model, fail."""
    from netvault import cache, model

    def refused(*_args, **_kwargs):
        raise AssertionError("the model was made")

    monkeypatch.setattr(cache, "load_buckets", refused)
    monkeypatch.setattr(model.ModelMaker, "restore", refused)
    monkeypatch.setattr(model.ModelMaker, "update", refused)


def rewrite(path, text):
    """Write `text` into `path`, a second later than it was (as an editor saves)."""
    when = path.stat().st_mtime_ns + 10**9
    path.write_text(text)
    os.utime(path, ns=(when, when))


COFFEE = "interactions/2026-11-01 Coffee.md"


def test_a_new_process_puts_a_body_edited_alone_in_its_page_without_the_model(
    vault, tmp_path, monkeypatch
):
    """One sentence edited, then `netvault build`: the note's page is the only one that can
    change, and a new process makes it without reading every note or making the model;
    the process after it takes up the cache it left as if it had made the model.
    """
    root = vault(SMALL)
    out = tmp_path / "out"
    built_and_saved(root, out)
    rewrite(root / COFFEE, "---\nwith: '[[Ada Lovelace]]'\n---\nWe talked at length #work.\n")
    with monkeypatch.context() as patched:
        without_the_model(patched)
        builder = build.Builder(root, out)
        result = builder.build(TODAY)
        builder.save_cache()
    # Its page, and the search index's shards of the words that came and of its snippet,
    # and the list of shards.
    assert result.written == 5
    page = (out / "interactions" / "2026-11-01-coffee.html").read_text()
    assert "We talked at length" in page
    expected = full_build(root, tmp_path / "full", TODAY)
    assert_same_site(out, tmp_path / "full")
    assert (result.pages, result.problems, result.summary) == (
        expected.pages,
        expected.problems,
        expected.summary,
    )
    # `check` and `due` read the cache the edit left, and a second edit needs no model either.
    assert build.Builder(root).recall(TODAY) is not None
    rewrite(root / COFFEE, "---\nwith: '[[Ada Lovelace]]'\n---\nWe talked briefly #work.\n")
    with monkeypatch.context() as patched:
        without_the_model(patched)
        builder = build.Builder(root, out)
        # Its page, "at", "le" (both gone), "br", its snippet and the list of shards.
        assert builder.build(TODAY).written == 6
        builder.save_cache()
    # A front-matter edit makes the model from the cache, with the bodies as edited.
    rewrite(root / "contacts" / "Grace Hopper.md", "---\ncircle: inner\n---\nNavy.\n")
    messages = []
    builder = build.Builder(root, out, messages.append)
    builder.build(TODAY)
    assert "Linking notes" not in messages  # the model taken up from the cache
    full_build(root, tmp_path / "full-2", TODAY)
    assert_same_site(out, tmp_path / "full-2")


@pytest.mark.parametrize(
    ("edit", "why"),
    [
        ("We talked #work, see [[Grace Hopper]].", "a link"),
        ("We talked #work #rust.", "a tag"),
        ("We talked #work.\n\n## Next", "a heading"),
        ("We talked #work.\n- [ ] Write to [[Ada Lovelace]]", "a task"),
        ("\nWe talked #work.", "the lines of the body"),
    ],
    ids=lambda value: value if " " not in value else None,
)
def test_a_body_edit_that_the_model_reads_is_built_with_the_model(
    vault, tmp_path, monkeypatch, edit, why
):
    """Links, tags, headings and tasks are the model's: such an edit makes it (and parses
    the note once)."""
    from netvault import notes

    root = vault(SMALL)
    out = tmp_path / "out"
    built_and_saved(root, out)
    rewrite(root / COFFEE, f"---\nwith: '[[Ada Lovelace]]'\n---\n{edit}\n")
    parsed = []
    real_parse = notes.parse
    monkeypatch.setattr(
        notes, "parse", lambda note, html: parsed.append(note.path) or real_parse(note, html)
    )
    messages = []
    build.Builder(root, out, messages.append).build(TODAY)
    assert parsed == [COFFEE], why
    assert "Reading the cache" in messages, why
    full_build(root, tmp_path / "full", TODAY)
    assert_same_site(out, tmp_path / "full")


def test_a_body_edit_that_is_the_first_since_a_commit_is_built_with_the_model(
    tmp_path, monkeypatch
):
    """The first edit since a commit puts the note among those not committed, which Today
    lists: the model is made. The next edit leaves that list as it is: no model."""
    from gitrepo import Repo

    repo = Repo(tmp_path / "vault")
    for rel, text in SMALL.items():
        repo.write(rel, text)
    repo.commit("My network")
    out = tmp_path / "out"
    built_and_saved(repo.root, out)
    messages = []
    rewrite(repo.root / COFFEE, "---\nwith: '[[Ada Lovelace]]'\n---\nWe talked more #work.\n")
    builder = build.Builder(repo.root, out, messages.append)
    builder.build(TODAY)
    builder.save_cache()
    assert "Reading the cache" in messages
    page = out / "interactions" / "2026-11-01-coffee.html"
    assert 'id="uncommitted"' in page.read_text()
    rewrite(repo.root / COFFEE, "---\nwith: '[[Ada Lovelace]]'\n---\nWe talked again #work.\n")
    with monkeypatch.context() as patched:
        without_the_model(patched)
        assert build.Builder(repo.root, out).build(TODAY).written == 5  # as above
    assert "We talked again" in page.read_text()
    full_build(repo.root, tmp_path / "full", TODAY)
    assert_same_site(out, tmp_path / "full")


def test_a_body_edit_with_its_page_changed_by_hand_is_built_with_the_model(vault, tmp_path):
    """A page that is not as the last build wrote it is made again from the model."""
    root = vault(SMALL)
    out = tmp_path / "out"
    built_and_saved(root, out)
    (out / "interactions" / "2026-11-01-coffee.html").write_text("scribbled over")
    rewrite(root / COFFEE, "---\nwith: '[[Ada Lovelace]]'\n---\nWe talked again #work.\n")
    messages = []
    build.Builder(root, out, messages.append).build(TODAY)
    assert "Reading the cache" in messages
    full_build(root, tmp_path / "full", TODAY)
    assert_same_site(out, tmp_path / "full")


def test_a_theme_that_shows_a_body_twice_has_its_pages_made_with_the_model(vault, tmp_path):
    """Where a page does not show its note's body once, the page is made again whole."""
    root = vault(SMALL)
    override = root / "themes" / "default" / "templates" / "interaction.html"
    override.parent.mkdir(parents=True)
    override.write_text(
        '{% extends "default:interaction.html" %}'
        "{% block content %}{{ super() }}<aside>{{ body }}</aside>{% endblock %}"
    )
    out = tmp_path / "out"
    built_and_saved(root, out)
    rewrite(root / COFFEE, "---\nwith: '[[Ada Lovelace]]'\n---\nWe talked twice #work.\n")
    messages = []
    build.Builder(root, out, messages.append).build(TODAY)
    assert "Reading the cache" in messages
    assert (out / "interactions" / "2026-11-01-coffee.html").read_text().count("talked twice") == 2
    full_build(root, tmp_path / "full", TODAY)
    assert_same_site(out, tmp_path / "full")


def test_a_new_builder_with_a_warm_cache_reparses_only_the_edited_note(
    vault, tmp_path, monkeypatch
):
    from netvault import notes

    root = vault(SMALL)
    out = tmp_path / "out"
    built_and_saved(root, out)
    note = root / "notes" / "Ideas.md"
    note.write_text("Other ideas #ml, see [[Grace Hopper]].\n")
    os.utime(note, ns=(note.stat().st_mtime_ns + 10**9,) * 2)
    parsed = []
    real_parse = notes.parse
    monkeypatch.setattr(
        notes, "parse", lambda note, html: parsed.append(note.path) or real_parse(note, html)
    )
    second = build.Builder(root, out)
    result = second.build(TODAY)
    assert parsed == ["notes/Ideas.md"]
    assert result.written > 0
    expected = full_build(root, tmp_path / "full", TODAY)
    assert_same_site(out, tmp_path / "full")
    assert (result.pages, result.problems) == (expected.pages, expected.problems)

    # Between two more processes: a note gone, a note moved, a new title, a later day.
    second.save_cache()
    (root / "orgs" / "Engines.md").unlink()
    (root / "contacts" / "Grace Hopper.md").rename(root / "notes" / "Grace Hopper.md")
    (root / "netvault.toml").write_text('[site]\ntitle = "Another title"\n')
    parsed.clear()
    later = TODAY + timedelta(days=3)
    result = build.Builder(root, out).build(later)
    assert parsed == ["notes/Grace Hopper.md"]
    expected = full_build(root, tmp_path / "full-2", later)
    assert_same_site(out, tmp_path / "full-2")
    assert (result.pages, result.problems) == (expected.pages, expected.problems)
    assert "Another title" in (out / "index.html").read_text()
    assert not (out / "contacts" / "grace-hopper.html").exists()
    assert (out / "notes" / "grace-hopper.html").is_file()


def test_keep_last_good_shows_a_broken_note_as_it_last_was(vault, tmp_path):
    root = vault(SMALL)
    out = tmp_path / "out"
    builder = build.Builder(root, out, keep_last_good=True)
    assert builder.build(TODAY).problems == ()
    page = out / "contacts" / "grace-hopper.html"
    assert "Navy." in page.read_text()
    note = root / "contacts" / "Grace Hopper.md"
    note.write_text("---\ncircle: [casual\nfollow_up: 2026-11-20\n---\nThe Navy, broken.\n")
    broken = builder.build(TODAY)
    assert "Navy." in page.read_text()
    assert "The Navy, broken." not in page.read_text()
    [problem] = broken.problems
    assert str(problem).startswith("contacts/Grace Hopper.md:2: error: front matter is not")
    assert str(problem).endswith(" (the site shows its last good version until this is fixed)")
    # Its follow-up is kept too: the site shows the note as it last was.
    assert ("contacts/Grace Hopper.md",) in [f.contacts for f in broken.followups]
    note.write_text("---\ncircle: casual\n---\nThe Navy, fixed.\n")
    os.utime(note, ns=(note.stat().st_mtime_ns + 10**9,) * 2)
    fixed = builder.build(TODAY)
    assert "The Navy, fixed." in page.read_text()
    assert fixed.problems == ()
    assert ("contacts/Grace Hopper.md",) not in [f.contacts for f in fixed.followups]
    # A note deleted, then made again but broken, has no last good version.
    note.unlink()
    builder.build(TODAY)
    assert not page.exists()
    note.write_text("---\ncircle: [\n---\nA new Grace.\n")
    again = builder.build(TODAY)
    assert "A new Grace." in page.read_text()
    assert "The Navy, fixed." not in page.read_text()
    assert [p.path for p in again.problems] == ["contacts/Grace Hopper.md"]
    assert "last good version" not in again.problems[0].message


def test_history_is_read_from_git_once_per_head_and_kept_in_the_cache(tmp_path, monkeypatch):
    from gitrepo import Repo
    from netvault import history

    repo = Repo(tmp_path / "vault")
    repo.write("contacts/Ada.md", "---\ncadence: 30d\n---\nHi.\n")
    repo.write("contacts/Grace.md", "---\ncadence: 90d\n---\nHello.\n")
    repo.commit("Add Ada and Grace")
    ran: list[str] = []
    real = history.git

    def spy(cwd, *args, **kwargs):
        ran.append(args[0])
        return real(cwd, *args, **kwargs)

    monkeypatch.setattr(history, "git", spy)
    builder = build.Builder(repo.root, tmp_path / "out")
    builder.build(TODAY)
    assert {"rev-parse", "log", "ls-tree", "cat-file"} <= set(ran)
    ran.clear()
    repo.write("contacts/Ada.md", "---\ncadence: 30d\n---\nHi again.\n")
    builder.build(TODAY)
    # Where HEAD is, and whether git sees the edited note (alone) as changed.
    assert ran == ["rev-parse", "hash-object"]
    builder.save_cache()
    ran.clear()
    build.Builder(repo.root, tmp_path / "out").build(TODAY + timedelta(days=1))
    assert ran == ["rev-parse", "hash-object"]  # a new process: the history from the cache
    repo.commit("Say hi again")
    ran.clear()
    builder.build(TODAY)
    assert "log" in ran
    page = (tmp_path / "out" / "contacts" / "ada.html").read_text()
    assert "Say hi again" in page and "notes edited" in page


def test_a_build_counts_the_follow_ups_overdue_due_today_and_due_soon(vault, tmp_path):
    """The counts a build reports are those of each follow-up's state, whatever its kind."""
    days = {"Ancient": -61, "Old": -30, "Late": -1, "Now": 0, "Now too": 0, "Soon": 3, "Later": 40}
    files = {
        f"contacts/{name}.md": f"---\nfollow_up: {TODAY + timedelta(days=offset)}\n---\n"
        for name, offset in days.items()
    }
    files["notes/Plan.md"] = f"- [ ] Write to [[Soon]] 📅 {TODAY + timedelta(days=1)}\n"
    result = build.Builder(vault(files), tmp_path / "out").build(TODAY)
    states = [f.state(TODAY, 7, 60) for f in result.followups]
    assert (
        result.summary.due.by_state()
        == tuple((s, states.count(s)) for s in followups.STATES)
        == (("overdue", 2), ("today", 2), ("soon", 2), ("later", 1), ("long-overdue", 1))
    )


def test_a_new_process_reads_the_follow_ups_back_in_order_without_sorting_them(
    vault, tmp_path, monkeypatch
):
    """The cache says where each follow-up goes: `due` in a new process sorts nothing."""
    from netvault import followups

    files = {
        f"contacts/P{n}.md": f"---\ncadence: {7 + n}d\nlast_contact: 2026-10-{1 + n:02d}\n---\n"
        for n in range(12)
    }
    files["notes/Plan.md"] = "".join(f"- [ ] Call [[P{n}]] 📅 2026-11-{10 + n}\n" for n in range(6))
    root = vault(files)
    built_and_saved(root, tmp_path / "out")
    loaded = build.load(root)
    made = followups.compute(loaded.model, TODAY, loaded.settings)
    assert len(made) == 18

    def unsorted(_followups):
        raise AssertionError("sorted again")

    monkeypatch.setattr(followups, "in_order", unsorted)
    recalled = build.Builder(root, tmp_path / "out").recall(TODAY)
    assert recalled is not None and recalled.followups == made


def test_a_watchers_edit_keys_the_notes_as_a_new_process_does(vault, tmp_path, monkeypatch):
    """After edits told by a watcher (their runs of signatures digested again alone), the
    cache's key of the notes is a fresh look's: `due` in a new process recalls it."""
    monkeypatch.setattr(build, "RUN", 3)
    files = {f"contacts/P{n}.md": f"---\nfollow_up: 2026-11-{10 + n}\n---\n" for n in range(10)}
    root = vault(files)
    builder = build.Builder(root, tmp_path / "out")
    builder.build(TODAY)
    for n in (7, 2, 7):
        (root / f"contacts/P{n}.md").write_text(f"---\nfollow_up: 2026-12-0{n}\n---\n")
        builder.build(TODAY, [f"contacts/P{n}.md"])
        assert builder._scan.rescanned
    builder.save_cache()
    recalled = build.Builder(root, tmp_path / "out").recall(TODAY)
    assert recalled is not None and recalled.followups is not None
    assert {f.due.isoformat() for f in recalled.followups} >= {"2026-12-02", "2026-12-07"}


def test_a_new_meeting_shows_in_the_base_views_of_the_people_it_names(vault, tmp_path):
    """A page that embeds a base's view is made again whatever note changed."""
    files = {
        "Meetings.base": (
            "views:\n  - type: table\n    name: Person\n    filters:\n"
            "      and:\n        - list(people).contains(this)\n"
        ),
        "people/Steph Ango.md": "![[Meetings.base#Person]]\n",
        "meetings/Coffee.md": '---\npeople: ["[[Steph Ango]]"]\n---\nHi.\n',
    }
    root = vault(files)
    out = tmp_path / "out"
    builder = built_and_saved(root, out)
    (root / "meetings" / "Call.md").write_text('---\npeople: ["[[Steph Ango]]"]\n---\n')
    builder.build(TODAY, ["meetings/Call.md"])  # as watch does
    assert "Call.md" in (out / "contacts" / "steph-ango.html").read_text()
    full_build(root, tmp_path / "full", TODAY)
    assert_same_site(out, tmp_path / "full")
    builder.save_cache()
    rewrite(root / "meetings" / "Coffee.md", '---\npeople: ["[[Someone Else]]"]\n---\nHi.\n')
    build.Builder(root, out).build(TODAY)  # a new process
    assert "Coffee.md" not in (out / "contacts" / "steph-ango.html").read_text()
    full_build(root, tmp_path / "full-2", TODAY)
    assert_same_site(out, tmp_path / "full-2")


def test_a_note_tagged_shows_in_a_base_view_of_a_note_it_does_not_link_to(vault, tmp_path):
    """A view selects by tag: a note the edit does not link to still shows it."""
    base = 'views:\n  - type: list\n    filters:\n      and:\n        - file.hasTag("book")\n'
    files = {
        "Reading.base": base,
        "notes/Reading list.md": "![[Reading.base]]\n",
        "notes/Dune.md": "A book.\n",
    }
    root = vault(files)
    out = tmp_path / "out"
    builder = built_and_saved(root, out)
    assert "Dune" not in (out / "notes" / "reading-list.html").read_text()
    rewrite(root / "notes" / "Dune.md", "A book. #book\n")
    builder.build(TODAY, ["notes/Dune.md"])  # as watch does
    assert "Dune.md" in (out / "notes" / "reading-list.html").read_text()
    full_build(root, tmp_path / "full", TODAY)
    assert_same_site(out, tmp_path / "full")


def test_a_cadence_edit_of_a_note_with_keys_of_its_own_makes_no_page_around_it(
    vault, tmp_path, monkeypatch
):
    """`Company:` is read as `org`; the note as written is shown on its own page alone, so
    an edit of a field only that page shows leaves the pages around it as they were."""
    from netvault import site

    files = {
        "contacts/Ada.md": "---\nCompany: Engines\ncadence: 30d\n---\nKnows [[Grace]].\n",
        "contacts/Grace.md": "---\ncircle: inner\n---\nNavy.\n",
        "interactions/2026-11-01 Coffee.md": "---\nwith: '[[Ada]]'\n---\nTalked.\n",
    }
    root = vault(files)
    builder = build.Builder(root, tmp_path / "out")
    builder.build(TODAY)
    made = []
    for name in ("contact_page", "interaction_page"):
        real = getattr(site.Pages, name)
        monkeypatch.setattr(
            site.Pages, name, lambda self, path, real=real: made.append(path) or real(self, path)
        )
    (root / "contacts" / "Ada.md").write_text(files["contacts/Ada.md"].replace("30d", "45d"))
    builder.build(TODAY, ["contacts/Ada.md"])
    assert made == ["contacts/Ada.md"]
    full_build(root, tmp_path / "full", TODAY)
    assert_same_site(tmp_path / "out", tmp_path / "full")


MESSAGE = "interactions/2026-11-18 Ada wrote.md"


@pytest.mark.parametrize("how", ["watch", "process"])
def test_a_body_edit_of_a_message_shows_its_new_first_words_on_today(vault, tmp_path, how):
    """Today lists a reply owed with the message's first words: not the note's page alone."""
    files = {**SMALL, MESSAGE: "---\nwith: '[[Ada Lovelace]]'\ndirection: in\n---\nHello.\n"}
    edited = "---\nwith: '[[Ada Lovelace]]'\ndirection: in\n---\nCould we meet on Friday?\n"
    if how == "watch":
        out = edited_under_watch(vault, tmp_path, files, MESSAGE, edited)
    else:
        root, out = vault(files), tmp_path / "out"
        built_and_saved(root, out)
        rewrite(root / MESSAGE, edited)
        build.Builder(root, out).build(TODAY)
        full_build(root, tmp_path / "full", TODAY)
        assert_same_site(out, tmp_path / "full")
    assert "“Could we meet on Friday?”" in (out / "index.html").read_text()


def test_a_vault_moved_elsewhere_links_to_the_editor_where_it_is_now(vault, tmp_path):
    """The links to the editor hold the vault's path: its cache, moved with it, is not
    taken for the site of the vault where it was."""
    from gitrepo import Repo

    root, out = vault(SMALL), tmp_path / "out"
    Repo(root).commit("The network")  # the same history wherever the vault is
    built_and_saved(root, out)
    moved = tmp_path / "moved vault"
    os.rename(root, moved)  # as `mv` does: every file keeps its inode and times
    builder = build.Builder(moved, out)
    assert builder.build(TODAY).written > 0
    full_build(moved, tmp_path / "full", TODAY)
    assert_same_site(out, tmp_path / "full")
    today = (out / "index.html").read_text()
    assert "vscode://file" + moved.as_posix().replace(" ", "%20") in today
    assert root.as_posix() + "/" not in today
    builder.save_cache()
    assert build.Builder(moved, out).build(TODAY).written == 0  # where it is now, kept
