"""The cache on disk: what the last build parsed and wrote, for the next process to reuse.

It lives in `.netvault-cache/` at the top of the vault: a dot-folder, so neither
discovery nor `watch` ever looks into it, with a `.gitignore` of its own so it is
never committed even in a vault without netvault's `.gitignore`. Everything in it
is keyed by the code that wrote it (`code_key`): a cache written by another
version of netvault, or by an edited checkout, is never read, only replaced.

A cache is an optimisation and nothing more: one that cannot be read, or cannot
be written (a read-only vault), is ignored and the build goes on without it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import secrets
import sys
from pathlib import Path
from typing import Any, BinaryIO

from . import __version__

FOLDER = ".netvault-cache"
# A dict is saved as pickles of CHUNK items each, after the marker _DICT, and
# ends with an empty one: a pickler remembers every object it wrote until it is
# done, which for a whole vault's parses in one pickle takes hundreds of megabytes.
CHUNK = 2000
_DICT = "netvault-cache-dict"
_VALUE = "netvault-cache-value"
_GITIGNORE = "# netvault's cache: safe to delete, never worth committing.\n*\n"


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


def folder(vault: Path) -> Path:
    """Where the cache of `vault` lives."""
    return vault / FOLDER


def load(vault: Path, name: str) -> Any | None:
    """The object saved as `name` by this very code, or None when there is none to trust."""
    path = folder(vault) / f"{name}-{code_key()}.pickle"
    try:
        with path.open("rb") as file:
            if pickle.load(file) != _DICT:
                return pickle.load(file)
            found: dict[Any, Any] = {}
            while chunk := pickle.load(file):
                found.update(chunk)
            return found
    # A cache half-written by a killed process, or damaged: build without it.
    except Exception:  # noqa: BLE001
        return None


def save(vault: Path, name: str, value: Any) -> bool:
    """Save `value` as `name` (atomically), dropping older caches of that name; False if not."""
    where = folder(vault)
    path = where / f"{name}-{code_key()}.pickle"
    temp = where / f".{path.name}.{secrets.token_hex(4)}"
    try:
        where.mkdir(exist_ok=True)
        ignore = where / ".gitignore"
        if not ignore.exists():
            ignore.write_text(_GITIGNORE, encoding="utf-8")
        with temp.open("wb") as file:
            _dump(value, file)
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
