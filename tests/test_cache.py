"""The cache on disk: read back only by the code that wrote it, and never in the way."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

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
    assert cache_files(root) == [".gitignore", cache.path_of(root, "notes").name]


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


def test_a_damaged_cache_loads_as_nothing_with_a_warning(parsed):
    root, value = parsed
    cache.save(root, "notes", value)
    path = cache.path_of(root, "notes")
    data = path.read_bytes()
    for damaged in (data[: len(data) // 2], b"", b"not a pickle at all", data[:-1]):
        path.write_bytes(damaged)
        warnings = []
        assert cache.load(root, "notes", warnings.append) is None
        assert len(warnings) == 1
        assert warnings[0].startswith(f".netvault-cache/{path.name} was not written by netvault")
    # And the next save mends it.
    assert cache.save(root, "notes", value)
    assert cache.load(root, "notes") == value


def test_a_dict_is_saved_in_chunks(parsed, monkeypatch):
    # Chunks keep the pickler from remembering a whole vault's objects at once.
    root, value = parsed
    monkeypatch.setattr(cache, "CHUNK", 1)
    assert cache.save(root, "notes", value)
    body = cache.path_of(root, "notes").read_bytes()[len(cache.MAGIC) + cache.SEAL_BYTES :]
    assert body.startswith(pickle.dumps(cache._DICT, protocol=pickle.HIGHEST_PROTOCOL))
    assert cache.load(root, "notes") == value


class _Trap:
    """What a hostile cache holds: unpickling it would touch a file (it could run anything)."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_a_cache_from_someone_else_is_never_unpickled(parsed, tmp_path, monkeypatch):
    # A vault received from elsewhere, cache and all: sealed with their key, or not at all.
    root, _ = parsed
    marker = tmp_path / "code-ran"
    monkeypatch.setenv(cache.KEY_ENV, str(tmp_path / "their-key"))
    assert cache.save(root, "notes", _Trap(marker))
    assert not marker.exists()
    monkeypatch.setenv(cache.KEY_ENV, str(tmp_path / "my-key"))
    warnings = []
    assert cache.load(root, "notes", warnings.append) is None
    assert not marker.exists()
    assert len(warnings) == 1 and "not written by netvault for this user" in warnings[0]
    # A plain pickle dropped where the cache goes, with no seal at all, is no better.
    cache.path_of(root, "notes").write_bytes(pickle.dumps(_Trap(marker)))
    assert cache.load(root, "notes", warnings.append) is None
    assert not marker.exists()
    # With the right key, the same file would have run: the seal is what stops it.
    monkeypatch.setenv(cache.KEY_ENV, str(tmp_path / "their-key"))
    assert cache.save(root, "notes", _Trap(marker))
    cache.load(root, "notes")
    assert marker.exists()


def test_the_key_is_kept_outside_the_vault_readable_by_its_owner_alone(
    parsed, cache_key, monkeypatch
):
    root, value = parsed
    assert cache.save(root, "notes", value)
    assert cache.key_file() == cache_key
    assert len(cache_key.read_bytes()) == cache.KEY_BYTES
    assert cache_key.stat().st_mode & 0o777 == 0o600
    assert cache.seal_key() == cache_key.read_bytes()  # made once, then kept
    # Unless told otherwise, it lives in the user's configuration folder.
    monkeypatch.delenv(cache.KEY_ENV)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(cache_key.parent / "config"))
    assert cache.key_file() == cache_key.parent / "config" / "netvault" / "cache-key"


def test_without_a_place_for_the_key_nothing_is_cached(parsed, tmp_path, monkeypatch):
    root, value = parsed
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv(cache.KEY_ENV, str(tmp_path / "a-file" / "key"))
    assert cache.save(root, "notes", value) is False
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
