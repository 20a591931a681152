"""The vault's git history: every note's changes, renames followed, fields compared.

Git is the vault's audit log. One `git log` reads every commit that touched the
vault, with the files each one added, changed, renamed or deleted; one
`git cat-file --batch` reads the stored versions whose front matter is compared
(`field_changes`). `netvault history` asks `git status` which notes changed since
the last commit; a build asks nothing of the kind: `Tracker` compares each note's
blob id with HEAD's tree, read once per HEAD. When the vault is in no repository,
or git is not installed, there is no history and `History.problem` says why: the
build goes on without it.

Paths are vault-relative with forward slashes, as everywhere else: a vault that
is a folder of a larger repository sees only its own files.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Collection, Iterable, Mapping, Sequence
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
    # Each note's stored version at HEAD: path → blob id (20 bytes), as `blob_id` gives.
    tree: Mapping[str, bytes] = field(default_factory=dict)
    fielded: frozenset[str] = frozenset()  # notes whose changes carry their `fields`

    def first_seen(self, path: str) -> datetime | None:
        """When the note at `path` was first committed (under any earlier name)."""
        changes = self.notes.get(path)
        return changes[-1].commit.when if changes else None


def blob_id(data: bytes) -> bytes:
    """The id git gives a file of these bytes: the SHA-1 of its blob, as 20 bytes.

    Notes are hashed as they are read (`notes.py`), so that what changed since the
    last commit is told by comparing ids with HEAD's, not by running `git status`
    on every build. Git's SHA-1 is an id here, not a defence against anyone.
    """
    digest = hashlib.sha1(b"blob %d\0" % len(data), usedforsecurity=False)
    digest.update(data)
    return digest.digest()


def read_history(vault: Path, known: History | None = None) -> History:
    """The history of `vault`, or an empty one with `problem` set when git cannot tell it.

    `known`, a history read before, is reused when HEAD has not moved since: only
    the uncommitted notes are looked at again (by `git status`).
    """
    tracker = Tracker(vault, known)
    history = tracker.read(*tracker.head())
    if history.problem:
        return history
    try:
        uncommitted = _uncommitted(tracker.top, tracker.prefix)
    except GitError as exc:
        return History(problem=str(exc))
    return replace(history, uncommitted=uncommitted)


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

    HEAD is '' in a repository without a commit yet. One git process.
    """
    lines = (
        git(
            vault,
            "rev-parse",
            "--show-toplevel",
            "--show-prefix",
            "--verify",
            "--quiet",
            "HEAD",
            ok=(0, 1),
        )
        .decode("utf-8", "surrogateescape")
        .splitlines()
    )
    if not lines:
        raise GitError(f"{vault} is not in a git repository: the dashboard has no history")
    prefix, head = (*lines[1:], "", "")[:2]
    return Path(lines[0]), prefix, head


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
    out = _field_differences(old[0], new[0])
    if old[1] != new[1]:
        out.append("notes edited")
    return tuple(out)


def _field_differences(
    old_meta: Mapping[str, Any], new_meta: Mapping[str, Any], prefix: str = ""
) -> list[str]:
    """Field by field, what differs; a mapping's fields as `key.field` (`linkedin_role.org`)."""
    out: list[str] = []
    for name in [*old_meta, *(k for k in new_meta if k not in old_meta)]:
        was, now, key = old_meta.get(name), new_meta.get(name), f"{prefix}{name}"
        if was == now:
            continue
        if isinstance(was, dict) and isinstance(now, dict):
            out += _field_differences(was, now, f"{key}.")
        elif isinstance(was, list) or isinstance(now, list):
            out += _list_changes(key, _as_list(was), _as_list(now))
        elif was is None or was == "":
            out.append(f"{key}: {_shown(now)}")
        elif now is None or now == "":
            out.append(f"removed {key} ({_shown(was)})")
        else:
            out.append(f"{key}: {_shown(was)} → {_shown(now)}")
    return out


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
    item = _singular(key)
    added = [v for v in now if v not in was]
    removed = [v for v in was if v not in now]
    out = [f"added {item} {_shown(v)}" for v in added]
    out += [f"removed {item} {_shown(v)}" for v in removed]
    if not out:  # the same items in another order
        out.append(f"{key} reordered")
    return out


def _singular(key: str) -> str:
    """One item of a list field, in words: tags → tag, aliases → alias; previous stays."""
    if key.endswith(("ss", "us")) or not key.endswith("s") or len(key) < 3:
        return key
    return key[:-2] if key.endswith("ses") else key[:-1]


def _shown(value: Any) -> str:
    """A field value as a person wrote it, on one line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    if isinstance(value, dict):  # a `previous:` role: "org: Acme, role: CTO, until: 2026-11-22"
        return ", ".join(f"{k}: {_shown(v)}" for k, v in value.items())
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


class Tracker:
    """A vault's history kept up to date from build to build, at one git process a build.

    `head()` asks git where HEAD is; `read()` reads the log and HEAD's tree again
    only when HEAD has moved; `uncommitted()` compares the notes' blob ids with the
    tree's, and asks git only about notes whose ids differ, once for each version.
    """

    def __init__(self, vault: Path, known: History | None = None) -> None:
        self.vault = vault
        self.history = known  # the last history read, or one kept from an earlier run
        self.top = vault  # the repository's top folder, and the vault's folder in it
        self.prefix = ""
        # (path, blob id or b"" when not in HEAD) → whether git sees a change there.
        self._verdicts: dict[tuple[str, bytes], bool] = {}

    def head(self) -> tuple[str, str]:
        """HEAD's commit ("" before the first commit), and why there is no history ("")."""
        try:
            self.top, self.prefix, head = locate(self.vault)
        except GitError as exc:
            return "", str(exc)
        return head, ""

    def read(self, head: str, problem: str = "") -> History:
        """The history as of `head` (from `head()`), read from git only if it is new."""
        known = self.history
        if problem:
            return History(problem=problem)
        if known is not None and known.head == head and not known.problem:
            return known
        self._verdicts.clear()
        if not head:
            self.history = History()
            return self.history
        try:
            log = git(self.top, *_LOG, head, "--", self.prefix or ".")
            tree = _tree(
                git(self.top, "ls-tree", "-r", "-z", head, "--", self.prefix or "."), self.prefix
            )
        except GitError as exc:
            return History(problem=str(exc))
        changes = [c for c in parse_log(log, self.prefix) if is_note(c.path) or is_note(c.old_path)]
        self.history = History(head, follow_renames(changes), tuple(changes), tree=tree)
        return self.history

    def with_fields(self, paths: Collection[str]) -> History:
        """The history with the changes of the notes at `paths` told field by field."""
        history = self.history
        if history is None or not history.head:
            return history or History()
        todo = [p for p in paths if p in history.notes and p not in history.fielded]
        if not todo:
            return history
        try:
            found = with_fields(self.top, [c for p in todo for c in history.notes[p]])
        except GitError:
            return history  # the changes are told without their fields
        fields = {(c.commit.id, c.path): c for c in found}
        notes = dict(history.notes)
        for path in todo:
            notes[path] = tuple(fields[c.commit.id, c.path] for c in notes[path])
        self.history = replace(history, notes=notes, fielded=history.fielded | set(todo))
        return self.history

    def uncommitted(
        self, blobs: Mapping[str, bytes], known: frozenset[str] | None = None
    ) -> frozenset[str]:
        """Notes whose contents differ from HEAD's, given each note's blob id.

        Notes in HEAD and gone from the vault count too. A note git ignores does
        not; nor does one that differs in bytes alone, where git converts line
        endings or runs a filter: git itself is asked about every such note.

        `known`, the answer of a call before with HEAD unmoved, says that only the
        notes in `blobs` can have changed since (and none was deleted).
        """
        history = self.history
        if history is None or history.problem:
            return frozenset()
        tree = history.tree
        changed = [(rel, blob) for rel, blob in blobs.items() if blob and tree.get(rel) != blob]
        if known is not None:  # the notes not looked at again stay as they were
            kept = known - blobs.keys()
        else:  # notes in HEAD and gone from the vault
            kept = {r for r in tree if r not in blobs and not os.path.lexists(self.vault / r)}
        asked = [
            (rel, tree.get(rel, b""))
            for rel, _ in changed
            if (rel, tree.get(rel, b"")) not in self._verdicts
        ]
        if asked:
            self._ask([rel for rel, old in asked if old], [rel for rel, old in asked if not old])
        found = {rel for rel, _ in changed if self._verdicts.get((rel, tree.get(rel, b"")), True)}
        return frozenset(found.union(kept))

    def _ask(self, tracked: list[str], untracked: list[str]) -> None:
        """Ask git whether these notes differ from HEAD after all, or are ignored."""
        tree = self.history.tree if self.history else {}
        try:
            if tracked:
                ids = git(self.vault, "hash-object", "--stdin-paths", stdin=_lines(tracked))
                for rel, blob in zip(tracked, ids.decode().split(), strict=True):
                    self._verdicts[rel, tree[rel]] = bytes.fromhex(blob) != tree[rel]
            if untracked:
                out = git(
                    self.vault,
                    "check-ignore",
                    "--stdin",
                    "-z",
                    stdin=_lines(untracked, "\0"),
                    ok=(0, 1),
                )
                ignored = set(out.decode("utf-8", "surrogateescape").split("\0"))
                for rel in untracked:
                    self._verdicts[rel, b""] = rel not in ignored
        except (GitError, ValueError):
            pass  # not asked: the notes count as changed, which they are in bytes


def _lines(paths: list[str], end: str = "\n") -> bytes:
    return "".join(f"{p}{end}" for p in paths).encode("utf-8", "surrogateescape")


def _tree(data: bytes, prefix: str) -> dict[str, bytes]:
    """Notes' blob ids from `git ls-tree -r -z` run at the top, by vault-relative path."""
    tree: dict[str, bytes] = {}
    for entry in data.decode("utf-8", "surrogateescape").split("\0"):
        info, _, path = entry.partition("\t")
        parts = info.split(" ")
        if len(parts) == 3 and parts[1] == "blob" and path.startswith(prefix):
            rel = path[len(prefix) :]
            if is_note(rel):
                tree[rel] = bytes.fromhex(parts[2])
    return tree


def git(cwd: Path, *args: str, stdin: bytes | None = None, ok: tuple[int, ...] = (0,)) -> bytes:
    """Run git in `cwd`; its output, or GitError saying in words what went wrong.

    `ok` are the exit codes that are answers, not failures.
    """
    command = ["git", "-c", "core.quotepath=off", *args]
    try:
        done = subprocess.run(command, cwd=cwd, input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed: the dashboard is built without history") from None
    except OSError as exc:
        raise GitError(f"git could not be run: {exc}") from None
    if done.returncode not in ok:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        if message and "not a git repository" in message[0]:
            raise GitError(f"{cwd} is not in a git repository: the dashboard has no history")
        raise GitError(f"git {args[0]} failed: {message[-1] if message else done.returncode}")
    return done.stdout
