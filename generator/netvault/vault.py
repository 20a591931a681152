"""Finding a vault's notes and attachments, and reading each note into a `Note`."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import field
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from . import yamlcore
from .problems import Problem
from .records import record

NOTE_SUFFIXES = (".md", ".markdown")
# Folders that are never content: tools' state, build output, note templates.
IGNORED_DIRS = frozenset(
    {".git", ".obsidian", "site", "templates", "themes", "node_modules", ".trash"}
)
# Editors save through temporary files; they must never be read as notes.
_TEMP_FILE = re.compile(r"(^\.|^#.*#$|~$|\.swp$|\.swx$|\.tmp$|\.bak$|\.crswap$|^4913$)")
MAX_NOTE_BYTES = 2_000_000
_KEY_LINE = re.compile(r"^([^\s#:][^:]*?)\s*:", re.MULTILINE)
_HANDLER = YAMLHandler()


@record
class Note:
    """One Markdown file of the vault: its front matter, body and where each came from."""

    path: str  # relative to the vault, with forward slashes
    meta: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    meta_lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    body: str = ""
    body_line: int = 1  # line number, in the file, of the body's first line
    problems: tuple[Problem, ...] = ()
    readable: bool = True  # False when the file could not be read as text at all

    @property
    def stem(self) -> str:
        """The file name without its extension: the note's default title."""
        # As PurePosixPath(path).stem says, without making a path: asked of every note.
        name = self.path.rpartition("/")[2]
        dot = name.rfind(".")
        return name[:dot] if 0 < dot < len(name) - 1 else name

    @property
    def folder(self) -> str:
        """The folder the note is in, relative to the vault ('' at the top)."""
        parent = str(PurePosixPath(self.path).parent)
        return "" if parent == "." else parent

    def line_of(self, key: str) -> int:
        """The line a front-matter key is set on, or the first line."""
        return self.meta_lines.get(key, 1)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as plain dicts: a read-only mapping proxy cannot be pickled itself."""
        return (
            _note,
            (
                self.path,
                dict(self.meta),
                dict(self.meta_lines),
                self.body,
                self.body_line,
                self.problems,
                self.readable,
            ),
        )


def _note(
    path: str,
    meta: dict[str, Any],
    meta_lines: dict[str, int],
    body: str,
    body_line: int,
    problems: tuple[Problem, ...],
    readable: bool,
) -> Note:
    """A `Note` back from its pickled parts."""
    return Note(
        path,
        MappingProxyType(meta),
        MappingProxyType(meta_lines),
        body,
        body_line,
        problems,
        readable,
    )


@record
class VaultFiles:
    """What discovery found: note paths, attachment paths and skipped entries."""

    notes: tuple[str, ...]
    assets: tuple[str, ...]
    problems: tuple[Problem, ...]


def is_ignored_name(name: str, is_dir: bool) -> bool:
    """Whether a file or folder name is never part of the vault's content."""
    if is_dir:
        return name.startswith(".") or name.lower() in IGNORED_DIRS
    return bool(_TEMP_FILE.search(name))


def discover(root: Path, exclude: tuple[Path, ...] = ()) -> VaultFiles:
    """Every note and attachment below `root`, in a stable order.

    `exclude` holds folders to skip besides the usual ones, such as an output
    folder inside the vault. Links that lead outside the vault are skipped with
    a warning: a vault's notes are what is in the vault.
    """
    root = root.resolve()
    skip = {p.resolve() for p in exclude}
    notes: list[str] = []
    assets: list[str] = []
    problems: list[Problem] = []
    for rel in _walk(root, root, skip, problems):
        if rel.lower().endswith(NOTE_SUFFIXES):
            notes.append(rel)
        else:
            assets.append(rel)
    return VaultFiles(tuple(sorted(notes)), tuple(sorted(assets)), tuple(problems))


def _walk(root: Path, folder: Path, skip: set[Path], problems: list[Problem]) -> Iterator[str]:
    """The vault-relative path of every content file below `folder`."""
    # Plain strings, not Path objects: a vault has tens of thousands of files.
    prefix = "" if folder == root else _rel(root, folder) + "/"
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        problems.append(Problem(_rel(root, folder), 1, f"cannot read folder: {exc}", "warning"))
        return
    for entry in entries:
        is_dir = entry.is_dir()
        if is_ignored_name(entry.name, is_dir):
            continue
        rel = prefix + entry.name
        if entry.is_symlink():
            target = Path(entry.path).resolve()
            if not target.is_relative_to(root) or not target.exists():
                message = "skipped: a link to something outside the vault (or to nothing)"
                problems.append(Problem(rel, 1, message, "warning"))
                continue
            if is_dir:
                # A link to a folder already in the vault would list its notes twice.
                continue
        if is_dir:
            path = Path(entry.path)
            if path in skip or path.resolve() in skip:
                continue
            yield from _walk(root, path, skip, problems)
        elif entry.is_file():
            yield rel


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix() if path != root else "."


def read_note(root: Path, rel: str) -> Note:
    """Read one note file; any problem is recorded on the note, never raised."""
    data = read_bytes(root, rel)
    return data if isinstance(data, Note) else decode_note(rel, data)


def read_bytes(root: Path, rel: str) -> bytes | Note:
    """The bytes of a note file, or an unreadable `Note` saying why they cannot be had."""
    full = root / rel
    try:
        size = full.stat().st_size
        if size > MAX_NOTE_BYTES:
            limit = MAX_NOTE_BYTES // 1_000_000
            message = f"skipped: {size:,} bytes is larger than a note can be ({limit} MB)"
            return Note(rel, problems=(Problem(rel, 1, message),), readable=False)
        return full.read_bytes()
    except OSError as exc:
        problem = Problem(rel, 1, f"cannot read: {exc.strerror or exc}")
        return Note(rel, problems=(problem,), readable=False)


def decode_note(rel: str, data: bytes) -> Note:
    """A note from the bytes of its file: refused when binary or not UTF-8."""
    if b"\0" in data:
        problem = Problem(rel, 1, "skipped: a binary file, not a note")
        return Note(rel, problems=(problem,), readable=False)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problem = Problem(rel, line, "skipped: not UTF-8 text")
        return Note(rel, problems=(problem,), readable=False)
    return parse_note(rel, text)


def parse_note(rel: str, text: str) -> Note:
    """A note from its text: front matter (if any), body, and the lines they start on."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.startswith("---") or not re.match(r"^-{3,}\s*\n", text):
        return Note(rel, body=text)
    try:
        front, body = _HANDLER.split(text)
    except ValueError:
        message = "front matter is not closed: add a line with --- after it"
        return Note(rel, body=text, problems=(Problem(rel, 1, message),))
    # The handler's pieces keep their place in the text: count lines up to them.
    # `front` starts with the newline that ends the opening fence.
    stripped = body.lstrip("\n")
    start = len(text) - len(stripped)
    body_line = text.count("\n", 0, start) + 1
    body = stripped
    try:
        meta = yamlcore.load(front)
    except yaml.YAMLError as exc:
        line, problem = yamlcore.error_at(exc)
        message = f"front matter is not valid YAML: {problem}"
        return Note(rel, body=body, body_line=body_line, problems=(Problem(rel, line, message),))
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        message = "front matter must be `key: value` lines"
        return Note(rel, body=body, body_line=body_line, problems=(Problem(rel, 2, message),))
    # Interned: every note repeats the same few keys, and a vault holds them all at once.
    meta = {sys.intern(str(k)): v for k, v in meta.items()}
    lines = {
        m[1].strip("'\""): front.count("\n", 0, m.start()) + 1 for m in _KEY_LINE.finditer(front)
    }
    return Note(
        rel,
        meta=MappingProxyType(meta),
        meta_lines=MappingProxyType({k: lines[k] for k in meta if k in lines}),
        body=body,
        body_line=body_line,
    )


def is_base(rel: str) -> bool:
    """Whether the vault file `rel` is an Obsidian Base (`.base`), which the site shows as a
    page of its views rather than copying it.
    """
    return rel.lower().endswith(".base")
