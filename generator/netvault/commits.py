"""Recording the vault's state in git: one commit of what changed, naming the notes.

`netvault commit` (and a cron job, or `watch --autocommit`) calls `record_changes`. It
commits every changed file of the vault (notes, attachments, settings), never
the site or the cache, even in a vault whose `.gitignore` does not list them,
and never anything staged outside the vault when the vault is a folder of a
larger repository.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

from .cache import FOLDER as CACHE_FOLDER
from .history import GitError, git, locate, status
from .records import record

_WORDS = {"A": "added", "?": "added", "D": "deleted", "R": "renamed"}
NAMES_IN_SUBJECT = 3


@record
class Recorded:
    """What `record_changes` committed: the commit, the vault's paths in it, its message."""

    commit: str  # "" when there was nothing to commit
    paths: tuple[str, ...] = ()
    message: str = ""


def record_changes(vault: Path, exclude: Iterable[Path | str] = ()) -> Recorded:
    """Commit every changed file of `vault` but those in the folders `exclude`.

    A folder is a path relative to the vault, or an absolute one (the site folder,
    say); one outside the vault has nothing to leave out. Raises GitError when the
    vault is not in a repository or git refuses.
    """
    top, prefix, _head = locate(vault)
    folders = [_inside(vault, Path(folder)) for folder in (*exclude, CACHE_FOLDER)]
    skipped = tuple(f"{folder}/" for folder in folders if folder)
    changed = [(code, path) for code, path in status(top, prefix) if not path.startswith(skipped)]
    if not changed:
        return Recorded("")
    message = message_for(changed)
    # One list of paths, relative to the top, for both steps: nothing else is staged
    # or committed, whatever the index held before.
    paths = "\0".join(prefix + path for _, path in changed).encode() + b"\0"
    spec = ("--pathspec-from-file=-", "--pathspec-file-nul")
    git(top, "add", "--all", *spec, stdin=paths)
    git(top, *_identity(top), "commit", "--quiet", "--only", "-m", message, *spec, stdin=paths)
    commit = git(top, "rev-parse", "HEAD").decode().strip()
    return Recorded(commit, tuple(path for _, path in changed), message)


def _inside(vault: Path, folder: Path) -> str:
    """`folder` relative to `vault`, with forward slashes; '' when it is not inside."""
    if not folder.is_absolute():
        folder = vault / folder
    try:
        rel = folder.resolve().relative_to(vault.resolve()).as_posix()
    except ValueError:
        return ""
    return "" if rel == "." else rel


def message_for(changed: Sequence[tuple[str, str]]) -> str:
    """A commit message naming the notes changed: a subject line, then every path."""
    notes = [PurePosixPath(path).stem for _, path in changed if path.endswith(".md")]
    named = notes or [PurePosixPath(path).name for _, path in changed]
    shown = ", ".join(named[:NAMES_IN_SUBJECT])
    more = len(named) - NAMES_IN_SUBJECT
    subject = f"Update {shown}" + (f" and {more} more" if more > 0 else "")
    lines = [f"{_WORDS.get(code.strip()[:1], 'changed')}: {path}" for code, path in changed]
    return "\n".join([subject, "", *lines])


def _identity(top: Path) -> list[str]:
    """Options that give git a committer where none is set up, as `netvault init` does."""
    try:
        git(top, "config", "user.name")
        git(top, "config", "user.email")
    except GitError:
        return ["-c", "user.name=netvault", "-c", "user.email=netvault@localhost"]
    return []
