"""The cache on disk: read back only by the code that wrote it, and never in the way."""

from __future__ import annotations

import os
import pickle

import pytest

from netvault import cache
from netvault.notes import parse_file


def cache_files(root):
    return sorted(p.name for p in cache.folder(root).iterdir())


@pytest.fixture
def parsed(vault):
    root = vault(
        {
            "contacts/Ada.md": "---\ncircle: inner\n---\nKnows [[Grace]] #mentor\n",
            "notes/Tasks.md": "- [ ] Call 📅 2026-12-01\n- [ ] Bad 📅 2026-13-45\n",
        }
    )
    return root, {
        rel: parse_file(root, rel, False) for rel in ("contacts/Ada.md", "notes/Tasks.md")
    }


def test_what_is_saved_loads_back_equal(parsed):
    root, value = parsed
    assert cache.load(root, "notes") is None
    assert cache.save(root, "notes", value) is True
    assert cache.load(root, "notes") == value
    assert cache.load(root, "site") is None  # another name, nothing saved


def test_the_cache_folder_ignores_itself_in_git(parsed):
    root, value = parsed
    cache.save(root, "notes", value)
    ignore = cache.folder(root) / ".gitignore"
    assert "*" in ignore.read_text(encoding="utf-8").splitlines()
    assert cache_files(root) == [".gitignore", f"notes-{cache.code_key()}.pickle"]


def test_a_cache_written_by_other_code_is_not_read_and_is_replaced(parsed, monkeypatch):
    root, value = parsed
    real_key = cache.code_key()
    monkeypatch.setattr(cache, "code_key", lambda: "0123456789abcdef")
    assert cache.save(root, "notes", {"from": "older netvault"})
    assert cache.save(root, "site", "the other name")
    monkeypatch.undo()
    assert cache.code_key() == real_key
    assert cache.load(root, "notes") is None
    assert cache.save(root, "notes", value)
    assert cache.load(root, "notes") == value
    # The other code's cache of this name is gone; that of another name is left alone.
    assert cache_files(root) == [
        ".gitignore",
        f"notes-{real_key}.pickle",
        "site-0123456789abcdef.pickle",
    ]


def test_a_damaged_cache_loads_as_nothing(parsed):
    root, value = parsed
    cache.save(root, "notes", value)
    path = cache.folder(root) / f"notes-{cache.code_key()}.pickle"
    data = path.read_bytes()
    for damaged in (data[: len(data) // 2], b"", b"not a pickle at all", data[:-1]):
        path.write_bytes(damaged)
        assert cache.load(root, "notes") is None
    # And the next save mends it.
    assert cache.save(root, "notes", value)
    assert cache.load(root, "notes") == value


def test_a_dict_is_saved_in_chunks_and_a_missing_chunk_loses_it_all(parsed, monkeypatch):
    # Chunks keep the pickler from remembering a whole vault's objects at once.
    root, value = parsed
    monkeypatch.setattr(cache, "CHUNK", 1)
    assert cache.save(root, "notes", value)
    assert cache.load(root, "notes") == value
    path = cache.folder(root) / f"notes-{cache.code_key()}.pickle"
    data = path.read_bytes()
    # Cut after the first chunk: a clean end of a pickle, but not the end of the dict.
    marker = len(pickle.dumps(cache._DICT, protocol=pickle.HIGHEST_PROTOCOL))
    first = dict([next(iter(value.items()))])
    cut = marker + len(pickle.dumps(first, protocol=pickle.HIGHEST_PROTOCOL))
    path.write_bytes(data[:cut])
    assert cache.load(root, "notes") is None


def test_a_cache_that_cannot_be_written_is_skipped(parsed):
    root, value = parsed
    cache.folder(root).write_text("a file where the cache folder would be")
    assert cache.save(root, "notes", value) is False
    assert cache.load(root, "notes") is None
    assert sorted(p.name for p in root.iterdir()) == [".netvault-cache", "contacts", "notes"]


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write anywhere"
)
def test_a_read_only_vault_is_never_written_to(parsed):
    root, value = parsed
    before = sorted(p.name for p in root.iterdir())
    root.chmod(0o555)
    try:
        assert cache.save(root, "notes", value) is False
        assert cache.load(root, "notes") is None
        assert sorted(p.name for p in root.iterdir()) == before
    finally:
        root.chmod(0o755)


def test_a_build_whose_cache_cannot_be_written_still_succeeds(parsed, tmp_path):
    """The builder's own use: a cache it cannot write is no reason to fail a build."""
    from datetime import date

    from netvault import build

    root, _ = parsed
    cache.folder(root).write_text("in the way")
    builder = build.Builder(root, tmp_path / "out")
    assert builder.build(date(2026, 11, 20)).pages > 0
    builder.save_cache()  # does not raise
    assert (tmp_path / "out" / "index.html").is_file()
