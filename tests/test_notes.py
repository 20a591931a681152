"""Parsing note files: alone or many at once, reusing what is known, never raising."""

from __future__ import annotations

import os
import pickle

import pytest

from netvault import notes
from netvault.notes import UNREADABLE, ParsedFile, parse_file, parse_files, signature

NOTES = {
    "contacts/Ada.md": "---\nname: Ada\ncircle: inner\n---\nKnows [[Grace]] #mentor\n",
    "contacts/Grace.md": "---\nfollow_up: 2026-11-20\n---\n# Navy\n- [ ] Call 📅 2026-12-01\n",
    "notes/Ideas.md": "Some <b>ideas</b> #rust, see [[Ada|her]] and ![[pic.png]].\n",
    "notes/Broken.md": "---\nname: [\n---\nStill a body.\n",
    "notes/Task.md": "- [ ] Bad date 📅 2026-13-45\n- [x] Done\n",
    "goals/Goal.md": "---\ntargets: ['[[Engines]]']\n---\n> [!note] A callout\n> inside\n",
    "orgs/Engines.md": "",
    "Daily/2026-11-01.md": "```\n[[not a link]]\n```\n",
}


def bump_mtime(path, seconds=1):
    """Move a file's mtime on, whatever the file system's clock resolution."""
    mtime = path.stat().st_mtime_ns + seconds * 10**9
    os.utime(path, ns=(mtime, mtime))


@pytest.fixture
def many(vault):
    root = vault(NOTES)
    (root / "notes" / "Binary.md").write_bytes(b"---\nname: x\n---\n\0\0\0")
    (root / "notes" / "Latin1.md").write_bytes("caf\u00e9\n".encode("latin-1"))
    return root


def test_parsing_in_workers_gives_what_parsing_here_gives(many, monkeypatch):
    monkeypatch.setattr(notes, "PARALLEL_MIN", 4)
    monkeypatch.setattr(notes, "CHUNK", 2)
    pools = []
    real_pool = notes.ProcessPoolExecutor

    def pool(*args, **kwargs):
        pools.append(args)
        return real_pool(*args, **kwargs)

    monkeypatch.setattr(notes, "ProcessPoolExecutor", pool)
    rels = sorted(p.relative_to(many).as_posix() for p in many.rglob("*") if p.suffix == ".md")
    assert len(rels) == 10
    known = {rel: parse_file(many, rel, False) for rel in rels[::3]}
    changed = rels[::6]  # known, but changed since
    for rel in changed:
        (many / rel).write_text(f"Changed {rel}.\n")
        bump_mtime(many / rel)
    jobs = [(rel, known.get(rel)) for rel in rels]

    here = list(parse_files(many, jobs, False, workers=1))
    assert pools == []
    there = list(parse_files(many, jobs, False, workers=2))
    assert len(pools) == 1

    assert [f.parsed.path for f in there] == rels
    assert there == here
    for rel, found in zip(rels, there, strict=True):
        if rel in changed:
            assert found.parsed.body.html == f"<p>Changed {rel}.</p>\n"
        elif rel in known:
            # The bytes are as they were: the worker said so, and the known parse is kept.
            assert found.parsed is known[rel].parsed


def test_a_file_touched_but_not_changed_is_not_parsed_again(vault, monkeypatch):
    root = vault(NOTES)
    rel = "contacts/Grace.md"
    known = parse_file(root, rel, False)
    bump_mtime(root / rel)
    calls = []
    real_parse = notes.parse
    monkeypatch.setattr(
        notes, "parse", lambda note, html: calls.append(note) or real_parse(note, html)
    )
    assert not notes.is_current(known, signature(root / rel), False)
    found = parse_file(root, rel, False, known)
    assert found.parsed is known.parsed
    assert calls == []
    assert found.signature == signature(root / rel) != known.signature
    assert found.digest == known.digest
    assert notes.is_current(found, signature(root / rel), False)


def test_a_known_parse_with_other_html_settings_is_parsed_again(vault):
    root = vault(NOTES)
    rel = "notes/Ideas.md"
    known = parse_file(root, rel, False)
    assert not known.parsed.body.raw_html
    assert not notes.is_current(known, known.signature, True)
    found = parse_file(root, rel, True, known)
    assert found.parsed is not known.parsed
    assert found.allow_html
    assert found.parsed.body.raw_html
    assert found.digest == known.digest
    # And back: a parse made with raw HTML allowed is not taken for one without.
    again = parse_file(root, rel, False, found)
    assert again.parsed is not found.parsed
    assert again.parsed == known.parsed


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"---\nname: x\n---\n\0\0\0", "skipped: a binary file, not a note"),
        ("caf\u00e9\n".encode("latin-1"), "skipped: not UTF-8 text"),
    ],
    ids=["binary", "not-utf8"],
)
def test_a_file_that_is_not_text_gives_a_problem_and_is_kept_while_unchanged(vault, data, message):
    root = vault({"notes/Fine.md": "Fine.\n"})
    rel = "notes/Odd.md"
    (root / rel).write_bytes(data)
    found = parse_file(root, rel, False)
    assert not found.parsed.note.readable
    assert found.parsed.broken
    assert [(p.path, p.line, p.message) for p in found.parsed.problems] == [(rel, 1, message)]
    # Its bytes were read: the parse stands for those bytes, like any other.
    assert found.digest
    assert notes.is_current(found, signature(root / rel), False)
    bump_mtime(root / rel)
    assert parse_file(root, rel, False, found).parsed is found.parsed
    (root / rel).write_text("Text now.\n")
    assert parse_file(root, rel, False, found).parsed.body.html == "<p>Text now.</p>\n"


@pytest.mark.parametrize("case", ["missing", "too-big"])
def test_a_file_that_cannot_be_read_gives_a_problem_and_no_digest(vault, monkeypatch, case):
    root = vault({"notes/Fine.md": "Fine.\n", "notes/Big.md": "Twelve bytes"})
    if case == "too-big":
        monkeypatch.setattr("netvault.vault.MAX_NOTE_BYTES", 10)
        rel, message = "notes/Big.md", "skipped: 12 bytes is larger than a note can be (0 MB)"
    else:
        rel, message = "notes/Gone.md", "cannot read: No such file or directory"
    found = parse_file(root, rel, False)
    assert found.digest == b""
    assert found.signature == UNREADABLE
    assert not found.parsed.note.readable
    assert found.parsed.broken
    assert [(p.path, p.line, p.message) for p in found.parsed.problems] == [(rel, 1, message)]
    # Never taken as current, so it is read again at the next look.
    assert not notes.is_current(found, signature(root / rel), False)
    # Many at once, unreadable ones among them, never raise either.
    [again, fine] = parse_files(root, [(rel, found), ("notes/Fine.md", None)], False)
    assert again == found
    assert fine.digest
    assert fine.parsed.body.html == "<p>Fine.</p>\n"


def test_parsed_files_survive_pickling(many):
    rels = sorted(p.relative_to(many).as_posix() for p in many.rglob("*") if p.suffix == ".md")
    found = [parse_file(many, rel, allow_html) for rel in rels for allow_html in (False, True)]
    assert any(f.parsed.tasks for f in found)
    assert any(f.parsed.problems for f in found)
    assert any(f.parsed.note.meta for f in found)
    back = pickle.loads(pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == found
    assert [b.parsed for b in back] == [f.parsed for f in found]
    assert all(isinstance(b, ParsedFile) for b in back)
    # The front matter stays read-only once unpickled.
    ada = back[rels.index("contacts/Ada.md") * 2].parsed.note
    assert ada.meta["circle"] == "inner"
    with pytest.raises(TypeError):
        ada.meta["circle"] = "outer"  # type: ignore[index]
