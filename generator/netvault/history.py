"""The vault's git history: every note's changes, renames followed, fields compared.

Git is the vault's audit log. One `git log` reads every commit that touched the
vault, with the files each one added, changed, renamed or deleted; one
`git cat-file --batch` reads the stored versions whose front matter is compared
(`field_changes`); one `git status` finds the notes changed since the last
commit. When the vault is in no repository, or git is not installed, there is no
history and `History.problem` says why: the build goes on without it.

Paths are vault-relative with forward slashes, as everywhere else: a vault that
is a folder of a larger repository sees only its own files.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from .records import record
from .vault import is_ignored_name, parse_note

# git's NUL-separated output is read with these between a commit's fields.
_RECORD, _FIELD = "\x1e", "\x1f"
_FORMAT = f"--format={_RECORD}%H{_FIELD}%aI{_FIELD}%an{_FIELD}%s"
# Merges show no changes of their own: each change is told once, where it was made.
_LOG = ("log", "-z", "--raw", "--no-abbrev", "-M", _FORMAT)
_KINDS = {"A": "added", "M": "changed", "T": "changed", "D": "deleted", "R": "renamed"}
_NO_BLOB = "0" * 40


class GitError(Exception):
    """git could not be run, or refused: the message says why, for a person."""


@record
class Commit:
    """One commit: who made it, when, and its subject line."""

    id: str
    when: datetime
    author: str
    subject: str


@record
class Change:
    """What one commit did to one note."""

    commit: Commit
    kind: str  # added, changed, renamed or deleted
    path: str  # the note's path after the commit (before it, when deleted)
    old_path: str = ""  # the path before a rename
    blob: str = ""  # the stored version after the commit; "" when deleted
    old_blob: str = ""  # the stored version before it; "" when added
    fields: tuple[str, ...] = ()  # what changed, in words (see with_fields)


@record
class History:
    """What git knows of a vault: per-note changes, the vault's activity, uncommitted notes."""

    head: str = ""  # the commit read; "" when there is no history
    # A note's path now (or when it was deleted) → its changes, newest first.
    notes: Mapping[str, tuple[Change, ...]] = field(default_factory=dict)
    activity: tuple[Change, ...] = ()  # every change to the vault, newest first
    uncommitted: frozenset[str] = frozenset()  # notes with changes git has not recorded
    problem: str = ""  # why there is no history, when there is none


def read_history(vault: Path, known: History | None = None) -> History:
    """The history of `vault`, or an empty one with `problem` set when git cannot tell it.

    `known`, a history read before, is reused when HEAD has not moved since: only
    the uncommitted notes are looked at again.
    """
    try:
        top, prefix, head = locate(vault)
        uncommitted = _uncommitted(top, prefix)
        if not head:  # a repository without a commit yet
            return History(uncommitted=uncommitted)
        if known is not None and known.head == head:
            return replace(known, uncommitted=uncommitted)
        log = git(top, *_LOG, head, "--", prefix or ".")
    except GitError as exc:
        return History(problem=str(exc))
    changes = [c for c in parse_log(log, prefix) if is_note(c.path) or is_note(c.old_path)]
    return History(head, follow_renames(changes), tuple(changes), uncommitted)


def is_note(path: str) -> bool:
    """Whether a vault-relative path names a note: Markdown, outside ignored folders."""
    *folders, name = path.split("/")
    return (
        name.lower().endswith(".md")
        and not is_ignored_name(name, False)
        and not any(is_ignored_name(folder, True) for folder in folders)
    )


def locate(vault: Path) -> tuple[Path, str, str]:
    """The repository's top folder, the vault's folder in it ('' or 'a/b/'), and HEAD.

    HEAD is '' in a repository without a commit yet.
    """
    lines = git(vault, "rev-parse", "--show-toplevel", "--show-prefix").decode().splitlines()
    if len(lines) < 1:
        raise GitError(f"{vault} is not in a git repository")
    top, prefix = Path(lines[0]), lines[1] if len(lines) > 1 else ""
    try:
        head = git(vault, "rev-parse", "--verify", "--quiet", "HEAD").decode().strip()
    except GitError:
        head = ""
    return top, prefix, head


def parse_log(data: bytes, prefix: str = "") -> list[Change]:
    """Changes from `git log -z --raw --no-abbrev -M` in _FORMAT, newest first.

    Paths are made relative to `prefix` (the vault's folder in the repository);
    files outside it are left out.
    """
    out: list[Change] = []
    for chunk in data.decode("utf-8", "surrogateescape").split(_RECORD)[1:]:
        header, _, raw = chunk.partition("\0")
        commit_id, when, author, subject = header.split(_FIELD, 3)
        commit = Commit(commit_id, datetime.fromisoformat(when), author, subject)
        tokens = raw.lstrip("\n").split("\0")
        i = 0
        while i < len(tokens) and tokens[i].startswith(":"):
            _modes, _mode, old_blob, blob, status = tokens[i][1:].split(" ")
            kind = _KINDS.get(status[0], "changed")
            if kind == "renamed":
                old_path, path, i = tokens[i + 1], tokens[i + 2], i + 3
            else:
                old_path, path, i = "", tokens[i + 1], i + 2
            if not path.startswith(prefix):
                continue
            out.append(
                Change(
                    commit,
                    kind,
                    path[len(prefix) :],
                    old_path[len(prefix) :] if old_path.startswith(prefix) else old_path,
                    "" if blob == _NO_BLOB else blob,
                    "" if old_blob == _NO_BLOB else old_blob,
                )
            )
    return out


def follow_renames(changes: Sequence[Change]) -> Mapping[str, tuple[Change, ...]]:
    """Changes grouped by the note's latest path, following renames back in time."""
    latest: dict[str, str] = {}  # a path at some point in the past → the note's path now
    notes: dict[str, list[Change]] = {}
    for change in changes:  # newest first
        now = latest.get(change.path, change.path)
        notes.setdefault(now, []).append(change)
        if change.kind == "renamed":
            latest[change.old_path] = now
        elif change.kind == "added":
            # Older changes to this path were to another note of the same name.
            latest.pop(change.path, None)
    return {path: tuple(found) for path, found in notes.items()}


def with_fields(vault: Path, changes: Sequence[Change]) -> tuple[Change, ...]:
    """`changes` with what changed in each, in words, from the stored versions."""
    blobs = read_blobs(vault, [b for c in changes for b in (c.blob, c.old_blob)])
    # Each version is the "after" of one change and the "before" of the next: read once.
    versions = {blob: _version(data) for blob, data in blobs.items()}
    return tuple(
        replace(c, fields=_differences(versions[c.old_blob], versions[c.blob]))
        if c.old_blob in versions and c.blob in versions
        else c
        for c in changes
    )


def read_blobs(vault: Path, ids: Iterable[str]) -> dict[str, bytes]:
    """The stored contents of the objects `ids`, read by one `git cat-file --batch`."""
    wanted = sorted(set(ids) - {""})
    if not wanted:
        return {}
    data = git(vault, "cat-file", "--batch", stdin="".join(f"{i}\n" for i in wanted).encode())
    found: dict[str, bytes] = {}
    position = 0
    for blob in wanted:
        end = data.index(b"\n", position)
        header = data[position:end].split()
        position = end + 1
        if len(header) < 3 or header[1] == b"missing":
            continue
        size = int(header[2])
        found[blob] = data[position : position + size]
        position += size + 1  # the object, then a newline
    return found


def field_changes(before: bytes | None, after: bytes | None) -> tuple[str, ...]:
    """What changed from one stored version of a note to the next, in words.

    Front-matter fields are compared by value ("cadence: 30d → 90d", "added tag
    mentor", "removed org"); a changed body is "notes edited".
    """
    if before is None or after is None:
        return ()
    return _differences(_version(before), _version(after))


def _differences(
    old: tuple[Mapping[str, Any], str] | None, new: tuple[Mapping[str, Any], str] | None
) -> tuple[str, ...]:
    """`field_changes` of two versions read by `_version`."""
    if old is None or new is None:
        return ("front matter could not be read",) if old != new else ()
    out: list[str] = []
    old_meta, new_meta = old[0], new[0]
    for key in [*old_meta, *(k for k in new_meta if k not in old_meta)]:
        was, now = old_meta.get(key), new_meta.get(key)
        if was == now:
            continue
        if isinstance(was, list) or isinstance(now, list):
            out += _list_changes(key, _as_list(was), _as_list(now))
        elif was is None or was == "":
            out.append(f"{key}: {_shown(now)}")
        elif now is None or now == "":
            out.append(f"removed {key} ({_shown(was)})")
        else:
            out.append(f"{key}: {_shown(was)} → {_shown(now)}")
    if old[1] != new[1]:
        out.append("notes edited")
    return tuple(out)


def _version(data: bytes) -> tuple[Mapping[str, Any], str] | None:
    """A stored version's front matter and body; None when it cannot be read."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    note = parse_note("", text)
    if any(p.level == "error" for p in note.problems):
        return None
    return note.meta, note.body.strip()


def _as_list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def _list_changes(key: str, was: list[Any], now: list[Any]) -> list[str]:
    """A list field's changes as items added and removed: "added tag mentor"."""
    item = key[:-1] if key.endswith("s") and len(key) > 1 else key
    added = [v for v in now if v not in was]
    removed = [v for v in was if v not in now]
    out = [f"added {item} {_shown(v)}" for v in added]
    out += [f"removed {item} {_shown(v)}" for v in removed]
    if not out:  # the same items in another order
        out.append(f"{key} reordered")
    return out


def _shown(value: Any) -> str:
    """A field value as a person wrote it, on one line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    return " ".join(str(value).split())


def _uncommitted(top: Path, prefix: str) -> frozenset[str]:
    """Vault-relative paths of notes that git sees as changed, new or deleted."""
    return frozenset(path for _, path in status(top, prefix) if is_note(path))


def status(top: Path, prefix: str) -> list[tuple[str, str]]:
    """Every file of the vault git sees as changed: (two-letter status, vault-relative path).

    Ignored files are left out, as git leaves them out.
    """
    data = git(top, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", prefix or ".")
    out: list[tuple[str, str]] = []
    tokens = data.decode("utf-8", "surrogateescape").split("\0")
    i = 0
    while i < len(tokens):
        entry = tokens[i]
        i += 1
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        if "R" in code or "C" in code:
            i += 1  # the name it had before follows
        if path.startswith(prefix):
            out.append((code, path[len(prefix) :]))
    return out


def git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run git in `cwd`; its output, or GitError saying in words what went wrong."""
    command = ["git", "-c", "core.quotepath=off", *args]
    try:
        done = subprocess.run(command, cwd=cwd, input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed: the dashboard is built without history") from None
    except OSError as exc:
        raise GitError(f"git could not be run: {exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        if message and "not a git repository" in message[0]:
            raise GitError(f"{cwd} is not in a git repository: the dashboard has no history")
        raise GitError(f"git {args[0]} failed: {message[-1] if message else done.returncode}")
    return done.stdout
