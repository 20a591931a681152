"""Writing an import's plan into the vault: every file whole, nothing overwritten unawares.

A new note is written to a temporary file and linked into place, which fails
rather than replace a file that appeared meanwhile. An updated note is replaced
whole, and only if its text is still what the plan was made from: an edit saved
while the import ran is never lost.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..problems import Problem
from ..records import record
from .merge import Plan


@record
class Applied:
    """What writing a plan did."""

    created: tuple[str, ...]
    updated: tuple[str, ...]
    problems: tuple[Problem, ...]  # notes left alone, and why


def apply_plan(vault: Path, plan: Plan, done: Callable[[], None] = lambda: None) -> Applied:
    """Write `plan` into `vault`, calling `done` after each note (for a progress bar)."""
    created: list[str] = []
    updated: list[str] = []
    problems: list[Problem] = []
    for new in plan.created:
        try:
            create_file(vault / new.path, new.text)
            created.append(new.path)
        except FileExistsError:
            problems.append(Problem(new.path, 1, "not created: a file of that name appeared"))
        except OSError as exc:
            problems.append(Problem(new.path, 1, f"not created: {exc}"))
        done()
    for change in plan.updated:
        target = vault / change.path
        try:
            if read_text(target) != change.before:
                problems.append(Problem(change.path, 1, "not updated: it changed meanwhile"))
            else:
                write_file(target, change.text.encode("utf-8"))
                updated.append(change.path)
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(change.path, 1, f"not updated: {exc}"))
        done()
    return Applied(tuple(created), tuple(updated), tuple(problems))


def read_text(path: Path) -> str:
    """A note's text exactly as on disk: its line endings too, which an edit must keep."""
    with open(path, encoding="utf-8", newline="") as file:
        return file.read()


def write_file(target: Path, data: bytes) -> None:
    """Write `target` whole (an export, say): readers see the old file or the new, never half."""
    temporary = _temporary(target, data)
    try:
        if target.exists():
            os.chmod(temporary, target.stat().st_mode & 0o7777)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _temporary(target: Path, data: str | bytes) -> Path:
    """`data` (text as UTF-8) in a new temporary file beside `target`, flushed to disk."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=".netvault-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data.encode("utf-8") if isinstance(data, str) else data)
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def create_file(target: Path, text: str) -> None:
    """Write a new file whole; FileExistsError if `target` exists."""
    temporary = _temporary(target, text)
    try:
        os.link(temporary, target)  # fails, unlike a rename, when the name is taken
    finally:
        temporary.unlink(missing_ok=True)
