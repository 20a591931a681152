"""Rebuilding the site on every save: file-system events in, one build at a time out.

A `Watcher` listens to the vault with watchdog and runs builds on a worker
thread of its own. A relevant event starts a short quiet period (`quiet`,
30 ms by default): long enough to fold an editor's write-a-temporary-file-then-
rename save into one build, short enough that a lone save is not kept waiting.
Events that arrive while a build runs mark the vault dirty, and exactly one
follow-up build runs after it; builds never queue up. A `git checkout` of
hundreds of files therefore gives one build, or two when it straddles one.

What counts is decided by the vault's own ignore rules (`vault.is_ignored_name`
on every part of the path), plus the vault's `themes/` folder (theme overrides)
and `netvault.toml`. The output folder, and the work folders its atomic swap
makes beside it, never count: the watcher's own writes never trigger a build.
Nor does `.git/`: while idle, the watcher asks git every few seconds whether
HEAD moved instead (a commit changes the pages' history), and builds if it did.

Nothing here prints: each build is reported to a callback with its result or
the exception it raised, and watching goes on either way.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
import warnings
from collections.abc import Callable
from datetime import date
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

from .build import Builder, no_progress
from .commits import Recorded, record_changes
from .notes import settle_heap
from .records import record
from .vault import is_ignored_name

if TYPE_CHECKING:
    from watchdog.observers.api import ObservedWatch

    from .build import BuildResult, Progress

log = logging.getLogger(__name__)

QUIET = 0.03  # seconds without a relevant event before a build starts
MAX_WAIT = 1.0  # seconds: a steady stream of events cannot put a build off for longer
DAY_CHECK = 30.0  # seconds between looks at the clock while idle, to catch midnight
# Seconds between asks of git, while idle, whether HEAD moved: a commit made in a
# terminal or by an editor's git plugin changes the pages' history.
HEAD_CHECK = 3.0
SAVE_IDLE = 5.0  # seconds of quiet after a build before the cache is saved (and at stop)
AUTOCOMMIT_QUIET = 60.0  # with autocommit: seconds of quiet (after that save) before a commit
THEMES = "themes"
# Opening and reading files (as every build does) is not a change: only these are
# asked of the operating system at all. Directory-modified events are noise.
EVENTS: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileClosedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
]


@record
class Rebuild:
    """One build the watcher ran: what set it off, how long it took, and how it ended."""

    number: int  # 1 for the first build, then 2, 3 …
    changed: tuple[str, ...]  # vault-relative paths that changed since the last build
    today: date
    seconds: float
    result: BuildResult | None = None  # None when the build raised
    error: Exception | None = None

    @property
    def ok(self) -> bool:
        """Whether the site was written (problems in notes do not stop a build)."""
        return self.error is None


def failure_message(error: BaseException) -> str:
    """A failed build in one line for people: the site's own errors plainly, others by type."""
    from .site import SiteError

    if isinstance(error, SiteError):
        return str(error)
    if isinstance(error, OSError):
        return f"could not write the site: {error}"
    return f"{type(error).__name__}: {error}"


class Watcher:
    """Keeps the site of `vault` in `out` up to date while the vault's files change.

    `today` is called at each build, so a fixed date makes builds reproducible
    and a watch that runs past midnight builds the new day's Today page (the
    clock is checked every `day_check` seconds while idle). `on_build` is called on
    the worker thread after every build, the first one included.

    Use it as a context manager, or call `start()` and `stop()`::

        with Watcher(vault, vault / "site", date.today, report):
            wait_for_ctrl_c()
    """

    def __init__(
        self,
        vault: Path,
        out: Path,
        today: Callable[[], date],
        on_build: Callable[[Rebuild], None] | None = None,
        *,
        quiet: float = QUIET,
        max_wait: float = MAX_WAIT,
        day_check: float = DAY_CHECK,
        head_check: float = HEAD_CHECK,
        save_idle: float = SAVE_IDLE,
        progress: Progress | None = None,
        autocommit: float | None = None,
        on_commit: Callable[[Recorded | Exception], None] | None = None,
    ) -> None:
        self.vault = Path(vault).resolve()
        self.out = Path(out).resolve()
        self.today = today
        self.on_build = on_build
        self.quiet = quiet
        self.max_wait = max(max_wait, quiet)
        self.day_check = day_check
        self.head_check = head_check
        self.save_idle = save_idle
        # Seconds of quiet before changed notes are committed; None: never.
        self.autocommit = autocommit
        self.on_commit = on_commit
        # A note broken mid-edit keeps its last good page while watching.
        self.builder = Builder(self.vault, self.out, progress or no_progress, keep_last_good=True)
        self.builds = 0
        self._cond = threading.Condition()
        self._changed: set[str] = set()
        self._pending = False
        self._first_event = 0.0
        self._last_event = 0.0
        self._building = False
        self._stopping = False
        self._built_day: date | None = None
        self._unsaved = False  # builds since the cache was last saved
        self._uncommitted = False  # builds since the last autocommit
        self._committed = False  # a commit moved HEAD: build, to show it
        self._observer: Observer | None = None
        self._worker: threading.Thread | None = None
        self._watches: dict[str, ObservedWatch] = {}
        self._handler = _Handler(self)

    # -- life cycle ---------------------------------------------------------

    def start(self, build_first: bool = True) -> Watcher:
        """Start watching; with `build_first`, build at once rather than at the first change.

        Watching starts before the first build, so that nothing saved while it
        runs is missed.
        """
        if self._worker is not None:
            raise RuntimeError("this watcher has already been started")
        # watchdog warns when a folder made together with its parents gets its inotify
        # watch twice; it is the same watch, so there is nothing to tell anyone.
        warnings.filterwarnings(
            "ignore",
            message="Callback with id .* already exists",
            category=RuntimeWarning,
            module=r"watchdog\.",
        )
        self._observer = Observer()
        self._observer.schedule(
            self._handler, str(self.vault), recursive=False, event_filter=EVENTS
        )
        try:
            entries = sorted(os.scandir(self.vault), key=lambda e: e.name)
        except OSError:
            entries = []
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                self._watch_folder(entry.name)
        self._observer.start()
        if build_first:
            with self._cond:
                self._build_now()
        self._worker = threading.Thread(target=self._run, name="netvault-watch", daemon=True)
        self._worker.start()
        return self

    def stop(self, timeout: float | None = None) -> None:
        """Stop watching; a build under way is finished first, never left half-swapped."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout)
        if self._worker is not None and self._worker is not threading.current_thread():
            self._worker.join(timeout)
            if not self._worker.is_alive():
                self._save_cache()

    def __enter__(self) -> Watcher:
        if self._worker is None:
            self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no build is running or waiting; False when `timeout` seconds ran out."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._building or self._pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return True

    # -- events -------------------------------------------------------------

    def relevant(self, path: str, is_dir: bool) -> str | None:
        """The vault-relative path of `path` if a change to it can change the site, else None."""
        full = Path(path)
        if full == self.out or full.is_relative_to(self.out):
            return None
        # The site swap works in `.site.tmp-*` and `.site.old-*` beside the output folder.
        if full.parent == self.out.parent and full.name.startswith(f".{self.out.name}."):
            return None
        try:
            parts = full.relative_to(self.vault).parts
        except ValueError:
            return None
        if not parts:
            return None
        *folders, name = parts
        if parts[0].lower() == THEMES:
            # Theme overrides: every folder counts (`templates/` too) but hidden ones.
            if any(part.startswith(".") for part in parts):
                return None
            ignored = False if is_dir else is_ignored_name(name, False)
        else:
            ignored = any(is_ignored_name(part, True) for part in folders)
            ignored = ignored or is_ignored_name(name, is_dir)
        return None if ignored else PurePosixPath(*parts).as_posix()

    def _event(self, event: FileSystemEvent) -> None:
        """Note a file-system event; called on watchdog's thread."""
        src = os.fsdecode(event.src_path)
        dest = os.fsdecode(event.dest_path) if event.dest_path else ""
        if event.is_directory:
            self._follow_top_folders(event, src, dest)
        changed = [self.relevant(src, event.is_directory)]
        if dest:
            changed.append(self.relevant(dest, event.is_directory))
        changed_paths = [rel for rel in changed if rel is not None]
        if changed_paths:
            self.touch(*changed_paths)

    def touch(self, *paths: str) -> None:
        """Mark vault-relative `paths` as changed, as a file-system event would."""
        now = time.monotonic()
        with self._cond:
            if not self._pending:
                self._first_event = now
            self._pending = True
            self._last_event = now
            self._changed.update(paths)
            self._cond.notify_all()

    # Each folder at the top of the vault is watched on its own (the top itself
    # without recursion), so that `.git/` and the output folder, where thousands
    # of files change at a time, never flood the event queue.

    def _follow_top_folders(self, event: FileSystemEvent, src: str, dest: str) -> None:
        if isinstance(event, DirCreatedEvent | DirMovedEvent) and Path(dest or src).parent == (
            self.vault
        ):
            self._watch_folder(Path(dest or src).name)
        if isinstance(event, DirDeletedEvent | DirMovedEvent) and Path(src).parent == self.vault:
            self._unwatch_folder(Path(src).name)

    def _watch_folder(self, name: str) -> None:
        folder = self.vault / name
        if self._observer is None or name in self._watches or folder == self.out:
            return
        if name.lower() != THEMES and is_ignored_name(name, True):
            return
        try:
            self._watches[name] = self._observer.schedule(
                self._handler, str(folder), recursive=True, event_filter=EVENTS
            )
        except OSError as exc:  # gone already, or out of inotify watches
            log.warning("cannot watch %s: %s", folder, exc)

    def _unwatch_folder(self, name: str) -> None:
        watch = self._watches.pop(name, None)
        if watch is not None and self._observer is not None:
            # Its emitter may have stopped by itself when the folder went.
            with contextlib.suppress(KeyError, OSError):
                self._observer.unschedule(watch)

    # -- builds -------------------------------------------------------------

    def _run(self) -> None:
        while True:
            changed = self._next()
            if changed is None:
                return
            self._build(changed)

    def _next(self) -> tuple[str, ...] | None:
        """Wait for the next build to be due; the paths changed since the last, or None to stop."""
        with self._cond:
            while not self._stopping and not self._pending:
                if self._unsaved:
                    # Saving the cache takes seconds in a big vault: do it once
                    # watching has been idle a while, not while someone is typing.
                    if self._after_quiet(self.save_idle, self._save_cache):
                        self._unsaved = False
                    continue
                if self._uncommitted and self.autocommit is not None:
                    if self._after_quiet(self.autocommit, self._commit):
                        self._uncommitted = False
                    continue
                idle = min(self.day_check, self.head_check)
                if self._cond.wait(idle):
                    continue
                if self._head_moved():
                    self._build_now(committed=True)
                elif self._new_day():
                    self._build_now()
            while not self._stopping:
                due = min(self._last_event + self.quiet, self._first_event + self.max_wait)
                left = due - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            if self._stopping:
                return None
            changed = tuple(sorted(self._changed))
            self._changed.clear()
            self._pending = False
            self._building = True
            return changed

    def _after_quiet(self, seconds: float, job: Callable[[], None]) -> bool:
        """Run `job` (outside the lock) if `seconds` pass with no event; whether it ran.

        Called with the lock held. The caller clears the flag that made the job due:
        only builds set those flags, and they run on this thread, never during `job`.
        """
        if self._cond.wait(seconds) or self._pending:
            return False
        self._cond.release()
        try:
            job()
        finally:
            self._cond.acquire()
        return True

    def _build_now(self, committed: bool = False) -> None:
        """Make a build due at once, with no file changed (with the lock held).

        `committed`: HEAD moved, so the build shows a commit, not work to commit.
        """
        self._pending = True
        self._committed = self._committed or committed
        self._first_event = self._last_event = float("-inf")

    def _new_day(self) -> bool:
        try:
            return self._built_day is not None and self.today() != self._built_day
        except Exception:  # a broken clock callable must not end watching
            log.exception("could not tell today's date")
            return False

    def _head_moved(self) -> bool:
        try:
            return self.builder.head_moved()
        except Exception:  # a failing git must not end watching
            log.exception("could not ask git where HEAD is")
            return False

    def _build(self, changed: tuple[str, ...]) -> None:
        started = time.perf_counter()
        result: BuildResult | None = None
        error: Exception | None = None
        day = self._built_day or date.min
        try:
            day = self.today()
            result = self.builder.build(day, changed)
        # One failed build (a broken theme template, a full disk, a bug met by an odd
        # note) is reported and watching goes on: the next save may well fix it, and
        # the old site stays whole meanwhile.
        except Exception as exc:  # noqa: BLE001
            error = exc
        seconds = time.perf_counter() - started
        with self._cond:
            self.builds += 1
            number = self.builds
            self._built_day = day
            self._unsaved = True
            # The build that shows an autocommit changed nothing worth committing.
            self._uncommitted = self._uncommitted or bool(changed) or not self._committed
            self._committed = False
        rebuild = Rebuild(number, changed, day, seconds, result, error)
        try:
            if self.on_build is not None:
                self.on_build(rebuild)
        except Exception:  # a failing reporter must not end watching
            log.exception("the build callback failed")
        finally:
            with self._cond:
                self._building = False
                self._cond.notify_all()
        # Between builds, so that no build waits on a collection over the whole model.
        settle_heap()

    def _commit(self) -> None:
        """Commit what changed in the vault (never the site), and tell `on_commit`."""
        outcome: Recorded | Exception
        try:
            outcome = record_changes(self.vault, [self.out])
        except Exception as exc:  # noqa: BLE001 - told to on_commit; watching goes on
            outcome = exc
        if isinstance(outcome, Recorded) and outcome.commit:
            # The commit moved HEAD: the pages' history and uncommitted marks change.
            with self._cond:
                self._build_now(committed=True)
                self._cond.notify_all()
        try:
            if self.on_commit is not None:
                self.on_commit(outcome)
        except Exception:  # a failing reporter must not end watching
            log.exception("the commit callback failed")

    def _save_cache(self) -> None:
        try:
            self.builder.save_cache()
        except Exception:  # a cache is only ever an optimisation
            log.exception("could not save the cache")


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: Watcher) -> None:
        super().__init__()
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.watcher._event(event)
