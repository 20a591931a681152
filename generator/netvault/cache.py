"""The cache on disk: what the last build parsed and wrote, for the next process to reuse.

It lives in `.netvault-cache/` at the top of the vault: a dot-folder, so neither
discovery nor `watch` ever looks into it, with a `.gitignore` of its own so it is
never committed even in a vault without netvault's `.gitignore`. Everything in it
is keyed by the code that wrote it (`code_key`): a cache written by another
version of netvault, or by an edited checkout, is never read, only replaced.

The cache is pickled, and unpickling runs whatever a pickle says: a vault copied
from someone else could carry a cache made to run code. So every file is sealed
with a keyed digest (BLAKE2b with a key of 32 random bytes) under a key kept
outside the vault, in the user's configuration folder (`key_file`), and nothing is
unpickled before its seal is checked. A cache that another machine or user wrote,
or that is damaged, is read as no cache, and `load` says why.

A cache is an optimisation and nothing more: one that cannot be read, or cannot
be written (a read-only vault), is ignored and the build goes on without it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import io
import os
import pickle
import secrets
import sys
import zlib
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any, BinaryIO

from . import __version__
from .notes import collector_paused

FOLDER = ".netvault-cache"
KEY_ENV = "NETVAULT_CACHE_KEY"  # a file holding the key, instead of the default place
KEY_BYTES = 32
MAGIC = b"netvault-cache 2\n"
SEAL_BYTES = 32
# A dict is saved as pickles of CHUNK items each, after the marker _DICT, and
# ends with an empty one: a pickler remembers every object it wrote until it is
# done, which for a whole vault's parses in one pickle takes hundreds of megabytes.
CHUNK = 2000
# Files a bucketed cache is spread over: an edit rewrites one of each, a few hundred
# notes' worth (at 32, one bucket of a 41,000-note vault's parses took 60 ms to write).
BUCKETS = 128
_DICT = "netvault-cache-dict"
_VALUE = "netvault-cache-value"
_GITIGNORE = "# netvault's cache: safe to delete, never worth committing.\n*\n"

Warn = Callable[[str], None]


@functools.cache
def code_key() -> str:
    """A key of netvault's own code: its version, its Python, and every module's source."""
    digest = hashlib.blake2b(digest_size=8)
    digest.update(f"{__version__}|{sys.version}|{pickle.HIGHEST_PROTOCOL}".encode())
    package = Path(__file__).parent
    # Subpackages too: the site writes the calendar feed with exporters/ics.py.
    for module in sorted(package.rglob("*.py")):
        digest.update(module.relative_to(package).as_posix().encode())
        digest.update(module.read_bytes())
    return digest.hexdigest()


def key_file() -> Path:
    """Where the key that seals caches is kept: never inside a vault."""
    given = os.environ.get(KEY_ENV)
    if given:
        return Path(given)
    config = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(config) / "netvault" / "cache-key"


def seal_key() -> bytes | None:
    """This user's key for sealing caches, made on first use; None when it cannot be kept."""
    path = key_file()
    with contextlib.suppress(OSError):
        key = path.read_bytes()
        if len(key) == KEY_BYTES:
            return key
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
        # Readable by this user alone: whoever holds the key can make a cache run code.
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(secrets.token_bytes(KEY_BYTES))
        # Two processes making a key at once: the first one linked in wins for both.
        with contextlib.suppress(FileExistsError):
            os.link(temp, path)
        temp.unlink()
        key = path.read_bytes()
    except OSError:
        return None
    return key if len(key) == KEY_BYTES else None


def folder(vault: Path) -> Path:
    """Where the cache of `vault` lives."""
    return vault / FOLDER


def path_of(vault: Path, name: str) -> Path:
    """The file the cache `name` of this code is kept in."""
    return folder(vault) / f"{name}-{code_key()}.pickle"


def _seal(key: bytes, data: bytes | memoryview) -> bytes:
    return hashlib.blake2b(data, key=key, digest_size=SEAL_BYTES).digest()


def load(vault: Path, name: str, warn: Warn | None = None) -> Any | None:
    """The object saved as `name` by this code for this user, or None when there is none.

    A file that is there but damaged, or sealed with another key (a cache that came
    with a vault from elsewhere), is never unpickled: `warn` is told why.
    """
    path = path_of(vault, name)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    key = seal_key()
    if key is None:
        return None
    view = memoryview(data)
    head, seal, body = (
        view[: len(MAGIC)],
        view[len(MAGIC) : len(MAGIC) + SEAL_BYTES],
        view[len(MAGIC) + SEAL_BYTES :],
    )
    if head != MAGIC or not hmac.compare_digest(seal, _seal(key, body)):
        if warn is not None:
            where = path.relative_to(vault).as_posix()
            warn(
                f"{where} was not written by netvault for this user, or is damaged: "
                "ignored (the next build replaces it)"
            )
        return None
    try:
        # Unpickling a vault's parses takes four times as long with the collector on.
        with collector_paused():
            return _load(io.BytesIO(body))
    # Sealed by this very code, so only a bug or a full disk at save time gets here.
    except Exception:  # noqa: BLE001
        return None


def bucket(key: str, buckets: int = BUCKETS) -> int:
    """Which of `buckets` files the item `key` of a bucketed cache is kept in."""
    return zlib.crc32(key.encode()) % buckets


def load_buckets(vault: Path, name: str, warn: Warn | None = None) -> list[dict[str, Any]]:
    """The buckets of the bucketed cache `name` (see `save_buckets`); {} for each missing one."""
    found = []
    with collector_paused():  # across all the buckets, not only within each
        for number in range(BUCKETS):
            value = load(vault, f"{name}.{number:02d}", warn)
            found.append(value if isinstance(value, dict) else {})
    return found


def save_buckets(
    vault: Path, name: str, buckets: list[dict[str, Any]], dirty: Collection[int]
) -> bool:
    """Save the `dirty` buckets of the cache `name`: one file each, so an edit costs one.

    A vault's parses pickle to tens of megabytes: saving them all after every edit
    would cost more than the edit's build.
    """
    return all(save(vault, f"{name}.{number:02d}", buckets[number]) for number in sorted(dirty))


def _load(file: BinaryIO) -> Any:
    if pickle.load(file) != _DICT:
        return pickle.load(file)
    found: dict[Any, Any] = {}
    while chunk := pickle.load(file):
        found.update(chunk)
    return found


def save(vault: Path, name: str, value: Any) -> bool:
    """Save `value` as `name` (atomically), dropping older caches of that name; False if not."""
    key = seal_key()
    if key is None:
        return False
    where = folder(vault)
    path = path_of(vault, name)
    temp = where / f".{path.name}.{secrets.token_hex(4)}"
    try:
        where.mkdir(exist_ok=True)
        ignore = where / ".gitignore"
        if not ignore.exists():
            ignore.write_text(_GITIGNORE, encoding="utf-8")
        body = io.BytesIO()
        _dump(value, body)
        data = body.getbuffer()
        with temp.open("wb") as file:
            file.write(MAGIC)
            file.write(_seal(key, data))
            file.write(data)
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()
        return False
    for stale in where.glob(f"{name}-*.pickle"):
        if stale != path:
            with contextlib.suppress(OSError):
                stale.unlink()
    return True


def _dump(value: Any, file: BinaryIO) -> None:
    """Pickle `value` into `file`: a dict in chunks, anything else in one piece."""
    if not isinstance(value, dict):
        for part in (_VALUE, value):
            pickle.dump(part, file, protocol=pickle.HIGHEST_PROTOCOL)
        return
    pickle.dump(_DICT, file, protocol=pickle.HIGHEST_PROTOCOL)
    items = list(value.items())
    for start in range(0, len(items), CHUNK):
        pickle.dump(dict(items[start : start + CHUNK]), file, protocol=pickle.HIGHEST_PROTOCOL)
    pickle.dump({}, file, protocol=pickle.HIGHEST_PROTOCOL)
