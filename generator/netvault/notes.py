"""Notes parsed: one note's body rendered and its tasks found, and many notes at once.

Parsing is the expensive, per-file part of a build, and it depends on nothing but
the note's own bytes (and whether raw HTML is allowed): the unit that is cached,
in memory and on disk, and spread over worker processes when there are many.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

from .history import blob_id
from .markdown import EMPTY_BODY, ParsedBody, parse_body
from .problems import Problem
from .records import record
from .tasks import Task, find_tasks
from .text import first_words, fold_key
from .vault import Note, decode_note, read_bytes

# What tells a changed file from an unchanged one without reading it: mtime, size, inode.
Signature = tuple[int, int, int]
UNREADABLE: Signature = (-1, -1, -1)
# Fewer notes than this to parse are not worth starting worker processes for.
_DIRECTION = fold_key("direction")  # a message's key; named so, not as `[properties]` may
PARALLEL_MIN = 400
CHUNK = 200  # notes handed to a worker at a time


@record
class ParsedNote:
    """A note with its body parsed and its tasks found."""

    # The note without its body's text: `body` holds all a build needs of it, and a
    # vault's worth of text would double what the parses take in memory.
    note: Note
    body: ParsedBody
    tasks: tuple[Task, ...]
    problems: tuple[Problem, ...]  # the note's own, then its tasks'
    # The first words of the body of a message (a note with a `direction:` key), which
    # lists of replies show; "" for any other note, as the body's text is not kept.
    lead: str = ""

    @property
    def path(self) -> str:
        """The note's vault-relative path."""
        return self.note.path

    @property
    def broken(self) -> bool:
        """Whether the file itself could not be read as a note (unreadable, bad front matter)."""
        return any(p.level == "error" for p in self.note.problems)


@record
class ParsedFile:
    """A note file as last parsed: what tells whether it changed since, and the result."""

    signature: Signature
    # Git's blob id of the file's bytes (`history.blob_id`): it tells both whether the
    # file changed since this parse and whether it differs from the last commit's.
    # Empty when the bytes could not be read.
    digest: bytes
    allow_html: bool
    parsed: ParsedNote


def may_fork() -> bool:
    """Whether this process may fork workers: only on POSIX, and with one thread.

    Fork is quick and shares what is loaded, but a forked child can inherit a lock
    that another thread held at the moment of the fork.
    """
    return os.name == "posix" and threading.active_count() == 1


def resident_bytes() -> int:
    """How much memory this process holds now (0 where that cannot be told)."""
    try:
        with open("/proc/self/statm", "rb") as file:
            return int(file.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """Keep the garbage collector off every object made so far, while forked workers run.

    A forked worker shares its parent's memory until either writes to a page of it,
    and the collector writes into every object it looks at: unfrozen, one collection
    in each process would copy all they share.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def settle_heap() -> None:
    """Free what is garbage now, and leave all that lives on out of later collections.

    A long-lived watcher holds a vault's model, millions of objects: left to the
    collector, each full collection looks over all of them again (a second or more
    at forty thousand notes), in the middle of whichever build it falls in. What
    is frozen is still freed when the last reference to it goes.
    """
    gc.collect()
    gc.freeze()


@contextlib.contextmanager
def collector_paused(freeze: bool = False) -> Iterator[None]:
    """Keep the garbage collector off while millions of long-lived objects are made.

    Each collection looks over every object made since the last, and a build makes
    (or unpickles) millions that live as long as the build: parses, records,
    pages. None of them is in a cycle, so reference counting frees them when they
    go. With `freeze`, what exists at the end is left out of collections for good.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if collecting:
            gc.enable()


def parse(note: Note, allow_html: bool = False) -> ParsedNote:
    """Parse a note's body and find its tasks."""
    body = parse_body(note.body, allow_html=allow_html)
    tasks, task_problems = find_tasks(note.body, note.body_line, note.path)
    lead = first_words(note.body) if _DIRECTION in map(fold_key, note.meta) else ""
    return ParsedNote(
        replace(note, body=""), body, tuple(tasks), (*note.problems, *task_problems), lead
    )


def failure(path: str, exc: Exception, stage: str, outcome: str = "left out") -> Problem:
    """The problem of a note that made netvault itself fail while `stage` (a bug, not the note's).

    `outcome` says what became of the note; the rest of the vault is built as usual.
    """
    message = f"netvault failed while {stage} this note ({type(exc).__name__}: {exc}); {outcome}"
    return Problem(path, 1, message)


def failed_parse(path: str, exc: Exception) -> ParsedNote:
    """What stands for a note whose parse raised: unreadable, with the failure as its problem."""
    problem = failure(path, exc, "parsing")
    note = Note(path, problems=(problem,), readable=False)
    return ParsedNote(note, EMPTY_BODY, (), (problem,))


def parse_guarded(rel: str, data: bytes, allow_html: bool) -> ParsedNote:
    """`parse` of the bytes of note `rel`, where an unexpected failure is the note's problem."""
    try:
        return parse(decode_note(rel, data), allow_html)
    # One note that trips a bug must not stop the build of every other note.
    except Exception as exc:  # noqa: BLE001
        return failed_parse(rel, exc)


def signature(path: Path | str) -> Signature:
    """The file's signature: it changes whenever its content may have changed."""
    try:
        info = os.stat(path)
    except OSError:
        return UNREADABLE
    return (info.st_mtime_ns, info.st_size, info.st_ino)


def is_current(known: ParsedFile | None, sig: Signature, allow_html: bool) -> bool:
    """Whether `known` is the parse of a file whose signature is now `sig`."""
    return (
        known is not None
        and sig != UNREADABLE
        and known.signature == sig
        and known.allow_html == allow_html
    )


def parse_file(
    root: Path, rel: str, allow_html: bool, known: ParsedFile | None = None
) -> ParsedFile:
    """Read and parse the note file `rel`; reuse `known` when the bytes are the same."""
    found = _parse_one(root, rel, allow_html, _digest(known, allow_html))
    return _settle(found, known, allow_html)


def parse_files(
    root: Path,
    jobs: Sequence[tuple[str, ParsedFile | None]],
    allow_html: bool,
    workers: int = 1,
) -> Iterator[ParsedFile]:
    """`parse_file` for every (path, known parse) of `jobs`, in order; in `workers` processes.

    Small batches are parsed here: starting processes would cost more than it saves.
    """
    if workers <= 1 or len(jobs) < PARALLEL_MIN:
        for rel, known in jobs:
            yield parse_file(root, rel, allow_html, known)
        return
    # The digests travel to the workers, not the known parses: a worker answers
    # None for a file whose bytes are unchanged and the parse here is kept.
    chunks = [
        [(rel, _digest(known, allow_html)) for rel, known in jobs[i : i + CHUNK]]
        for i in range(0, len(jobs), CHUNK)
    ]
    # `watch` and `serve` build while other threads run: they spawn fresh interpreters.
    context = multiprocessing.get_context("fork" if may_fork() else "spawn")
    with frozen_heap(), ProcessPoolExecutor(workers, mp_context=context) as pool:
        done = pool.map(_parse_chunk, [root] * len(chunks), [allow_html] * len(chunks), chunks)
        position = 0
        for results in done:
            for found in results:
                yield _settle(found, jobs[position][1], allow_html)
                position += 1


@record
class _Parsed:
    """A worker's answer for one file: `parsed` is None when its bytes had not changed."""

    signature: Signature
    digest: bytes
    parsed: ParsedNote | None


def _digest(known: ParsedFile | None, allow_html: bool) -> bytes:
    """The digest a file's bytes must have for `known` to serve as its parse ('' for none)."""
    return known.digest if known is not None and known.allow_html == allow_html else b""


def _parse_chunk(root: Path, allow_html: bool, chunk: list[tuple[str, bytes]]) -> list[_Parsed]:
    """Parse a chunk of files in a worker process."""
    return [_parse_one(root, rel, allow_html, digest) for rel, digest in chunk]


def _parse_one(root: Path, rel: str, allow_html: bool, known_digest: bytes) -> _Parsed:
    """Read one file and parse it, unless its bytes hash to `known_digest`."""
    sig = signature(root / rel)
    data = read_bytes(root, rel)
    if isinstance(data, Note):  # unreadable: never cached by content
        return _Parsed(UNREADABLE, b"", parse(data, allow_html))
    digest = blob_id(data)
    if digest == known_digest:
        return _Parsed(sig, digest, None)
    return _Parsed(sig, digest, parse_guarded(rel, data, allow_html))


def _settle(found: _Parsed, known: ParsedFile | None, allow_html: bool) -> ParsedFile:
    """A worker's answer as a `ParsedFile`, taking the known parse when nothing changed."""
    if found.parsed is None:
        assert known is not None
        return ParsedFile(found.signature, found.digest, allow_html, known.parsed)
    return ParsedFile(found.signature, found.digest, allow_html, found.parsed)
