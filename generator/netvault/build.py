"""Builds: read the vault, make the model, work out follow-ups, write the site.

`Builder` keeps what it parsed and wrote between builds, in memory and in the
cache on disk (`cache.py`), so that a build does only the work a change calls for:

- a note is parsed again only when its bytes changed (its signature, then its
  digest, tell), and many notes are parsed in worker processes;
- the model and the follow-ups are made anew in memory (they depend on every
  note at once), unless only the body text of some notes changed: then only
  those notes' pages are rendered again;
- a page is rendered only when the data it shows changed, and written only when
  its bytes changed (`site.SiteWriter`);
- when nothing the site is made from changed (the notes' signatures, the
  settings, the theme, netvault itself, the output folder and `today`), nothing
  is done at all.

`load` and `build` are the one-shot forms.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import secrets
from array import array
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import field, replace
from datetime import date
from functools import partial
from itertools import count
from operator import itemgetter
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from . import cache
from .config import CONFIG_NAME, Settings, load_settings
from .history import History, Tracker
from .model import Model, ModelChange, ModelMaker, Page, linked, with_body
from .notes import (
    PARALLEL_MIN,
    UNREADABLE,
    ParsedFile,
    ParsedNote,
    collector_paused,
    is_current,
    parse_file,
    parse_files,
    signature,
)
from .problems import Problem, in_order, joined
from .records import record
from .vault import VaultFiles, discover, is_base

if TYPE_CHECKING:
    from .counts import ContactCount, DueCount
    from .followups import FollowUp, Moved
    from .site import Manifest, SiteWriter

Progress = Callable[[str], None]
NOTES_CACHE = "notes"  # bucketed: each note's parse, with what the model keeps of it
MODEL_CACHE = "model"  # what the notes' buckets are, and the last build's state
# Beside the model cache, each rewritten only when its value changes, and read only
# by the commands that need it: the last build's follow-ups, where its site put every
# note and tag, its views of the whole network (referrals, outreach), and its list
# rows (read only when an update keeps some). The follow-ups and the rows are many
# megabytes that an edit changes a few of: they are bucketed, by the note they are of,
# and only the buckets an edit changed are written again.
FOLLOWUPS_CACHE = "followups"  # bucketed: source note → its follow-ups, in order
PLACES_CACHE = "places"
VIEWS_CACHE = "views"
ROWS_CACHE = "rows"  # bucketed: (list, note) → its row
SITE_CACHE = "site"
HISTORY_CACHE = "history"
# What a new process needs to put edited bodies in their pages without the model
# (`Builder._bodies_alone`): each note's signature as last parsed, and the name index.
SIGNATURES_CACHE = "signatures"
NAMES_CACHE = "names"
# Past this many notes changed since the last build, a new process makes the model.
BODIES_MAX = 50


def no_progress(_stage: str) -> None:
    """A progress reporter that reports nothing."""


def usable_cpus() -> int:
    """How many processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@record
class Loaded:
    """A vault read and understood: settings, model, and every problem found on the way."""

    vault: Path
    settings: Settings
    model: Model
    assets: tuple[str, ...]
    problems: tuple[Problem, ...]
    # Path → bases.Base, of each `.base` file.
    bases: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


@record
class Summary:
    """What a build found, in numbers: what `build`, `watch` and `serve` print."""

    contacts: ContactCount
    interactions: int
    due: DueCount  # the open follow-ups by state and kind


@record
class BuildResult:
    """What a build did: the pages in the site, the files it wrote, what it found."""

    pages: int
    written: int  # files written or deleted; 0 when nothing had changed
    problems: tuple[Problem, ...]  # every problem found, in path order
    summary: Summary
    history_problem: str = ""  # why the site shows no git history, when it shows none
    cache_problem: str = ""  # why a cache on disk was ignored, when one was
    # The vault as loaded and its follow-ups; None and () when nothing had changed
    # since the build before, so that nothing was loaded.
    loaded: Loaded | None = None
    followups: tuple[FollowUp, ...] = ()


@record
class _Scan:
    """What a look over the vault found: settings, files and their signatures."""

    today: date
    settings: Settings
    problems: tuple[Problem, ...]  # in the settings
    files: VaultFiles
    signatures: dict[str, tuple[int, int, int]]
    runs: tuple[bytes, ...]  # a digest of each run of RUN signatures, in order (`_runs`)
    notes_key: int  # see _notes_key
    frame: bytes  # see Builder._frame
    rescanned: bool  # True when only the paths a watcher named were looked at


@record
class _Last:
    """The last build in this process: what it was made from, its model and follow-ups."""

    frame: bytes
    loaded: Loaded
    followups: tuple[FollowUp, ...]
    summary: Summary
    history: History
    notes: tuple[str, ...]  # every note's path
    base: bytes  # the frame but for the day (see Builder.build)


@record
class _Saved:
    """The model and the last build, as a new process finds them in the cache.

    The notes' buckets each hold a token of the save that wrote them: a bucket of
    another save (a process killed while saving) means the model kept in them is
    not one model, and is not used.
    """

    tokens: tuple[str, ...]  # of each bucket, as this save left it
    settings: str  # repr of the settings the model was made with
    assets: tuple[str, ...]
    # The last build, if the model is the one it was made of.
    inputs: bytes  # the site's, as `_SiteState.inputs`
    frame: bytes
    base: bytes
    today: date
    followups: tuple[str, ...]  # the tokens of the follow-ups cache's buckets that hold them
    # Where each follow-up, in order, is among those of the buckets read in turn
    # (`_followups_saved`): packed indices, or b"" when not worked out.
    order: bytes
    page_order: bytes  # the follow-ups in page order (`SiteWriter.order`), or b""
    summary: Summary
    head: str
    history_problem: str
    uncommitted: frozenset[str]
    used_by: dict[str, set[str]]  # attachments each note's page links to
    failed: tuple[Problem, ...]  # notes whose pages could not be made
    # What `check` and `due` need, while no note changed since (see `Builder.recall`).
    notes_key: int
    problems: tuple[Problem, ...]  # the last build's, pages' failures left out
    pages: int  # how many notes the model has
    titles: dict[str, str]  # the title of each note the follow-ups are with
    discovered: tuple[Problem, ...]  # what discovery found wrong (links out of the vault)
    stats: Any  # insights.health.Stats of `today` and `head`, as the Network page showed them
    places: str  # the token of the places cache that holds where the site put each note
    views: str  # the token of the views cache
    rows: tuple[str, ...]  # the tokens of the rows cache's buckets
    signatures: str  # the token of the signatures cache: each note's, as parsed
    names: str  # the token of the names cache: the model's name index


@record
class Recalled:
    """What the last build found, for `check` and `due`, when no note changed since."""

    settings: Settings
    problems: tuple[Problem, ...]
    pages: int  # how many notes the model has
    followups: tuple[FollowUp, ...] | None  # None unless the last build was for that day
    titles: Mapping[str, str]  # the title of each note the follow-ups are with
    stats: Any  # insights.health.Stats, or None unless for that day and the same HEAD


@record
class _SiteState:
    """The last build of a site, kept on disk: what it was made from and what it wrote."""

    inputs: bytes
    result: BuildResult  # without `loaded` and `followups`
    manifest: Manifest


class Builder:
    """Builds one vault again and again, doing only the work that a change calls for.

    With `use_cache`, parsed notes and the last site's manifest are read from the
    vault's cache folder; `save_cache()` writes them back. With `keep_last_good`
    (what `watch` wants), a note that cannot be read any more (its front matter
    broken mid-edit) keeps its last good version in the site, and its problem is
    reported all the same.
    """

    def __init__(
        self,
        vault: Path,
        out: Path | None = None,
        progress: Progress = no_progress,
        *,
        use_cache: bool = True,
        workers: int | None = None,
        keep_last_good: bool = False,
    ) -> None:
        self.vault = vault.resolve()
        self.out = out
        self.progress = progress
        self.use_cache = use_cache
        self.workers = usable_cpus() if workers is None else workers
        self.keep_last_good = keep_last_good
        self._files: dict[str, ParsedFile] = {}
        self._disk_read = not use_cache  # whether the notes cache on disk was read
        self._unsaved = False
        self._last_good: dict[str, ParsedNote] = {}
        self._ungiven: set[str] = set()  # notes built by their bodies alone, not yet linked
        self._early: dict[str, ParsedFile] = {}  # notes `_bodies_alone` parsed, then gave up on
        self._model_read: Any = None  # the model cache as `_bodies_alone` read it, then gave up
        self._writer: SiteWriter | None = None
        self._state: _SiteState | None = None
        self._last: _Last | None = None
        self._scan: _Scan | None = None
        self._tracker = Tracker(self.vault)
        self._history_read = not use_cache  # whether the history cache on disk was read
        self._history_saved: History | None = None
        self._built_head: tuple[str, str] | None = None  # HEAD at the last build, and why not
        # Why a cache file on disk was not trusted: the first such reason, told once.
        self.cache_problem = ""
        self._maker: ModelMaker | None = None  # the model, kept up to date note by note
        self._buckets: list[dict[str, Any]] | None = None  # the notes cache as on disk
        # The maker whose `kept` the buckets hold, and the notes parsed since they were
        # read or saved: the notes that may differ from them, with the maker's `unkept`.
        self._bucket_maker: ModelMaker | None = None
        self._reparsed: set[str] = set()
        self._sides: dict[str, tuple[str, Any]] = {}  # side cache → (token, value) on disk
        self._parts: dict[str, list[dict[Any, Any]]] = {}  # bucketed side cache → buckets on disk
        self._saved: _Saved | None = None  # the model cache as on disk
        self._change: ModelChange | None = None  # what the last linking changed
        self._places: tuple[tuple[str, ...], dict[str, int]] | None = None  # note → its place
        # The model's names as last saved, and the token of the cache holding them.
        self._names_saved: tuple[Mapping[str, str], str] | None = None
        # The bases as last read, keyed by their files' paths and signatures.
        self._bases_read: tuple[Any, tuple[Mapping[str, Any], list[Problem]]] | None = None

    def _cache_warning(self, message: str) -> None:
        """Keep the first reason a cache file was ignored (one warning is enough)."""
        self.cache_problem = self.cache_problem or message

    def _cached(self, name: str) -> Any:
        """The cache `name` on disk, or None (a damaged or foreign one noted as a problem)."""
        return cache.load(self.vault, name, self._cache_warning)

    # -- reading --------------------------------------------------------------

    def load(self) -> Loaded:
        """Read the vault into a model, reusing every note parsed before and unchanged since."""
        settings, problems = load_settings(self.vault)
        files = self._discover()
        self._parse(settings, files, _signatures(self.vault, files.notes))
        return self._link(settings, problems, files)

    def recall(self, today: date | None = None) -> Recalled | None:
        """What the last build found, if no note, setting or netvault itself changed since.

        `check` and `due` need no model then: the problems and the follow-ups (of the
        same `today`) are in the cache. None when they are not, or may be stale.
        """
        if not self.use_cache:
            return None
        saved = self._cached(MODEL_CACHE)
        if not isinstance(saved, _Saved):
            return None
        settings, problems = load_settings(self.vault)
        if saved.settings != repr(settings) or problems:
            return None
        files = self._discover()
        if _notes_key(_runs(_signatures(self.vault, files.notes))) != saved.notes_key:
            return None
        if files.assets != saved.assets or files.problems != saved.discovered:
            return None
        due = stats = None
        if today is not None and today == saved.today:
            due = self._followups_saved(saved.followups, saved.order)
            if (saved.head, saved.history_problem) == self._tracker.head():
                stats = saved.stats
        return Recalled(settings, saved.problems, saved.pages, due, saved.titles, stats)

    def _discover(self) -> VaultFiles:
        exclude = (self.out,) if self.out is not None else ()
        return discover(self.vault, exclude=exclude)

    def _parse(
        self,
        settings: Settings,
        files: VaultFiles,
        signatures: dict[str, tuple[int, int, int]],
        candidates: Collection[str] | None = None,
    ) -> dict[str, ParsedFile | None]:
        """Parse every note that changed; their parses from before (None for new notes).

        `candidates`, when given, are the only notes that can have changed.
        """
        allow_html = settings.allow_html
        stale = [
            rel
            for rel in (files.notes if candidates is None else sorted(candidates))
            if not is_current(self._files.get(rel), signatures[rel], allow_html)
        ]
        if stale and not self._disk_read:
            self._disk_read = True
            self.progress("Reading the cache")
            found = self._read_notes()
            if found:
                self._files = {**found, **self._files}
                stale = [
                    rel
                    for rel in stale
                    if not is_current(self._files.get(rel), signatures[rel], allow_html)
                ]
        before = {rel: self._files.get(rel) for rel in stale}
        if stale:
            self.progress(f"Parsing {len(stale):,} of {len(files.notes):,} notes")
            # Parsed already by `_bodies_alone`, as the files are still.
            early, self._early = self._early, {}
            for rel in stale:
                if is_current(early.get(rel), signatures[rel], allow_html):
                    self._files[rel] = early[rel]
            jobs = [(rel, known) for rel, known in before.items() if self._files.get(rel) is known]
            with collector_paused(freeze=len(jobs) >= PARALLEL_MIN):
                for (rel, _known), parsed in zip(
                    jobs, parse_files(self.vault, jobs, allow_html, self.workers), strict=True
                ):
                    self._files[rel] = parsed
            self._unsaved = True
            self._reparsed.update(stale)
        # Named candidates are notes that were there and still are: none is gone.
        for gone in self._files.keys() - set(files.notes) if candidates is None else ():
            del self._files[gone]
            self._last_good.pop(gone, None)
            self._unsaved = True
        return before

    def _read_notes(self) -> dict[str, ParsedFile]:
        """The parses in the notes cache on disk (and, kept aside, the model saved with them)."""
        # The parses live as long as this builder: the collector need never look over
        # their millions of objects again (freed all the same when dropped: no cycles).
        with collector_paused(freeze=True):
            self._buckets = cache.load_buckets(self.vault, NOTES_CACHE, self._cache_warning)
        saved, self._model_read = self._model_read or self._cached(MODEL_CACHE), None
        tokens = _tokens(self._buckets)
        self._saved = saved if isinstance(saved, _Saved) and saved.tokens == tokens else None
        return {rel: item[0] for bucket in self._buckets for rel, item in bucket.items() if rel}

    def _followups(
        self, loaded: Loaded, today: date, frame: bytes
    ) -> tuple[tuple[FollowUp, ...], Moved | None]:
        """The open follow-ups: the last build's updated, when only some notes changed since;
        then what came and went since the last build's, if that is what they are.
        """
        from . import followups

        last, change = self._last, self._change
        if last is None or change is None or change.fresh or last.frame != frame:
            return followups.compute(loaded.model, today, loaded.settings), None
        models = (last.loaded.model, loaded.model)
        near = linked(models, linked(models, change.notes))
        return followups.update(
            last.followups, loaded.model, today, loaded.settings, near, last.loaded.model
        )

    def _side(self, name: str, token: str) -> Any | None:
        """The value in the side cache `name`, if it is the one the model cache names `token`."""
        found = self._cached(name)
        if isinstance(found, tuple) and len(found) == 2 and found[0] == token:
            self._sides[name] = found
            return found[1]
        return None

    def _save_side(self, name: str, value: Any) -> str | None:
        """Save `value` in the side cache `name`, unless it is there already: its token."""
        held = self._sides.get(name)
        if held is not None and held[1] is value:
            return held[0]
        item = (secrets.token_hex(8), value)
        if not cache.save(self.vault, name, item):
            return None
        self._sides[name] = item
        return item[0]

    def _items(self, name: str, tokens: tuple[str, ...]) -> dict[Any, Any] | None:
        """The items in the bucketed side cache `name`, if its buckets are the ones of `tokens`."""
        found = cache.load_buckets(self.vault, name, self._cache_warning)
        if _tokens(found) != tokens:
            return None
        self._parts[name] = found
        return {key: item for bucket in found for key, item in bucket.items() if key != ""}

    def _save_items(
        self, name: str, items: Mapping[Any, Any], place: Callable[[Any], str]
    ) -> tuple[str, ...] | None:
        """Save `items` in the bucketed side cache `name`, by `place` of each key; its tokens.

        Only the buckets whose items differ from the ones on disk are written.
        """
        held = self._parts.get(name) or [{} for _ in range(cache.BUCKETS)]
        buckets: list[dict[Any, Any]] = [{} for _ in range(cache.BUCKETS)]
        for key, item in items.items():
            buckets[cache.bucket(place(key))][key] = item
        dirty = set()
        for number, (old, new) in enumerate(zip(held, buckets, strict=True)):
            if len(old) - ("" in old) == len(new) and all(
                key in old and _same(old[key], item) for key, item in new.items()
            ):
                buckets[number] = old
            else:
                new[""] = secrets.token_hex(8)
                dirty.add(number)
        if not cache.save_buckets(self.vault, name, buckets, dirty):
            return None
        self._parts[name] = buckets
        return _tokens(buckets)

    def _followups_saved(
        self, tokens: tuple[str, ...], order: bytes = b""
    ) -> tuple[FollowUp, ...] | None:
        """The last build's follow-ups, from their side cache, if it is the one of `tokens`;
        put in order by `order` (see `_Saved.order`), else sorted.
        """
        from .followups import in_order

        found = self._items(FOLLOWUPS_CACHE, tokens)
        if found is None:
            return None
        flat = [f for kept in found.values() for f in kept]
        places = array("I")
        if len(order) == places.itemsize * len(flat):
            places.frombytes(order)
            return tuple(map(flat.__getitem__, places))
        # Each source's follow-ups are kept in order, and a sort keeps the order of ties.
        return in_order(flat)

    def _restored(
        self, settings: Settings, assets: tuple[str, ...], whole: bool = False
    ) -> ModelMaker | None:
        """The model as the notes cache kept it (of the notes as they were then), if it can be.

        It must have been made with these settings; with `whole`, it must also hold
        every note it was given then, as the last build's model did.
        """
        saved = self._saved
        if saved is None or self._buckets is None:
            return None
        if saved.settings != repr(settings) or saved.assets != assets:
            return None
        kept = {
            rel: (item[0].parsed, *item[1:])
            for bucket in self._buckets
            for rel, item in bucket.items()
            if rel
        }
        if whole and any(
            parsed.note.readable and head is None and failed is None
            for parsed, head, _share, failed in kept.values()
        ):
            return None
        self._bucket_maker = ModelMaker.restore(settings, assets, kept)
        return self._bucket_maker

    def _resume(self, scan: _Scan, base: bytes, out: Path) -> None:
        """Take up the last build where the process that made it left off, if the cache can.

        Then a new process does what a long-lived `watch` would: apply the notes
        that changed since as a difference, and look only at the pages they touch.
        """
        from .site import SiteWriter

        saved, state = self._saved, self._state
        if saved is None or state is None or saved.inputs != state.inputs:
            return
        if saved.base != base or self._writer is not None:
            return
        due = self._followups_saved(saved.followups, saved.order)
        if due is None:
            return
        maker = self._restored(scan.settings, scan.files.assets, whole=True)
        if maker is None:
            return
        self._maker = maker
        model = maker.model()
        self._names_saved = (model.names, saved.names)  # made of the very notes saved with them
        bases, trouble = self._bases(scan.files.assets, model)
        problems = joined(model.problems, scan.problems, scan.files.problems, trouble)
        loaded = Loaded(self.vault, scan.settings, model, scan.files.assets, problems, bases)
        history = History(
            head=saved.head, problem=saved.history_problem, uncommitted=saved.uncommitted
        )
        paths = tuple(sorted(maker.paths))
        self._last = _Last(saved.frame, loaded, due, saved.summary, history, paths, saved.base)
        self._writer = SiteWriter(out, state.manifest, self.workers)
        places = self._side(PLACES_CACHE, saved.places)
        views = self._side(VIEWS_CACHE, saved.views)
        rows = partial(self._items, ROWS_CACHE, saved.rows)
        # The page order is of the follow-ups as that process had them: read in the order
        # it saved (sorted again, ties could fall otherwise).
        order = saved.page_order if saved.order else b""
        self._writer.resume(
            loaded,
            due,
            saved.today,
            history,
            saved.used_by,
            saved.failed,
            places,
            views,
            rows,
            order,
        )

    def _link(
        self,
        settings: Settings,
        problems: list[Problem],
        files: VaultFiles,
        candidates: Collection[str] | None = None,
    ) -> Loaded:
        """The model of every note parsed, made anew or updated by the notes that changed.

        `candidates`, when given, are the only notes that can have been parsed again.
        """
        with collector_paused():  # the model is made of records that live as long
            change = self._relink(settings, files, candidates)
        self._change = change
        bases, trouble = self._bases(files.assets, change.model)
        # The model's are in order: most builds have no others to sort in among them.
        found = joined(change.model.problems, problems, files.problems, trouble)
        return Loaded(self.vault, settings, change.model, files.assets, found, bases)

    def _bases(
        self, assets: Sequence[str], model: Model
    ) -> tuple[Mapping[str, Any], list[Problem]]:
        """`read_bases` of the vault (read again only when a base's file changed), and what
        is wrong in them and in the notes' embeds of their views.
        """
        key = tuple((rel, signature(self.vault / rel)) for rel in filter(is_base, assets))
        if self._bases_read is None or self._bases_read[0] != key:
            self._bases_read = (key, read_bases(self.vault, [rel for rel, _sig in key]))
        bases, trouble = self._bases_read[1]
        return bases, [*trouble, *embed_problems(model, bases)]

    def _relink(
        self, settings: Settings, files: VaultFiles, candidates: Collection[str] | None
    ) -> ModelChange:
        """The model of the notes as parsed now: the notes unlike the model's as a difference."""
        maker = self._maker
        if maker is None:
            maker = self._maker = self._restored(settings, files.assets)
            candidates = None  # the cache's model is of the notes as they were then
        if maker is None or maker.settings != settings or maker.assets != files.assets:
            self.progress("Linking notes")
            maker = self._maker = ModelMaker(settings, files.assets)
            candidates = None
        paths = files.notes if candidates is None else sorted({*candidates, *self._ungiven})
        shown = {rel: self._shown(rel) for rel in paths}
        # A note is given again when its parse is another object than the one the model
        # has: that covers every note parsed since, and never misses one.
        notes: dict[str, ParsedNote | None] = {
            rel: parsed for rel, parsed in shown.items() if maker.parsed(rel) is not parsed
        }
        if candidates is None:
            notes.update(dict.fromkeys(maker.paths - shown.keys()))
        self._ungiven.clear()
        return maker.update(notes)

    def _shown(self, rel: str) -> ParsedNote:
        """The parse of `rel` the site shows: with `keep_last_good`, never a broken one."""
        parsed = self._files[rel].parsed
        if not self.keep_last_good:
            return parsed
        if not parsed.broken:
            self._last_good[rel] = parsed
            return parsed
        good = self._last_good.get(rel)
        if good is None:
            return parsed
        shown = " (the site shows its last good version until this is fixed)"
        return replace(
            good, problems=tuple(replace(p, message=p.message + shown) for p in parsed.problems)
        )

    # -- building -------------------------------------------------------------

    def build(self, today: date, changed: Collection[str] | None = None) -> BuildResult:
        """Build the site as of `today`; the old site stays whole until the new one is.

        `changed`, from a file-system watcher, names the vault-relative paths that
        changed since the last build. When they are all notes that were there and
        still are, the vault is not walked again: only they are looked at.
        """
        from . import site

        if self.out is None:
            raise ValueError("a Builder made without an output folder cannot build a site")
        out = Path(self.out).resolve()
        scan = self._rescan(changed, today) if changed else None
        if scan is None:
            settings, problems = load_settings(self.vault)
            files = self._discover()
            signatures = _signatures(self.vault, files.notes)
            frame = self._frame(settings, files, out)
            runs = _runs(signatures)
            key = _notes_key(runs)
            scan = _Scan(
                today, settings, tuple(problems), files, signatures, runs, key, frame, False
            )
        self._scan = scan
        settings, files, signatures = scan.settings, scan.files, scan.signatures
        problems = list(scan.problems)
        # Where HEAD is, asked of git on every build: a commit changes the pages.
        head, no_history = self._built_head = self._tracker.head()
        # `base` is what the site is made from but the notes and the day; `frame` adds
        # the day: another day changes follow-ups, not the model.
        base = _digest(scan.frame, f"{head}|{no_history}".encode())
        frame = _digest(base, f"{today}".encode())
        inputs = _digest(frame, scan.notes_key.to_bytes(16, "big"))
        state = self._site_state(out)
        if state is not None and state.inputs == inputs and _intact(out, state.manifest):
            self.progress("Nothing changed")
            return replace(state.result, written=0, cache_problem=self.cache_problem)
        if self._writer is None and state is not None and not scan.rescanned:
            done = self._bodies_alone(scan, frame, inputs, out, state)
            if done is not None:
                return done
        before = self._parse(settings, files, signatures, changed if scan.rescanned else None)
        if self._last is None and self.use_cache:
            # What a new process takes up lives as long as the builder: left out of every
            # collection, as the parses it is made of are (`_read_notes`).
            with collector_paused(freeze=True):
                self._resume(scan, base, out)
        last = self._last
        quick = (
            last is not None
            and last.frame == frame
            and last.notes == files.notes
            and before
            and _body_only(before, self._files)
        )
        if quick:
            # Only the text of some bodies changed: the model, the follow-ups and
            # every other page stay as they are.
            assert last is not None
            loaded = _with_bodies(last.loaded, {rel: self._shown(rel) for rel in before})
            self._ungiven.update(before)
            due, moved = last.followups, None
            summary = last.summary
        else:
            loaded = self._link(settings, problems, files, changed if scan.rescanned else None)
            with collector_paused():
                due, moved = self._followups(loaded, today, frame)
            summary = _summary(loaded, due, today)
        history = self._history(head, no_history, loaded, files, tuple(before) if quick else None)
        self.progress(f"Writing the site into {self.out}")
        if self._writer is None:
            self._writer = site.SiteWriter(out, state.manifest if state else None, self.workers)
        change = self._change
        # The model updated from the last build's, with the same settings, theme and
        # HEAD (the day may differ): the site need only look at the pages that can show
        # the notes that changed, or the follow-ups that did.
        changed = (
            change.notes
            if not quick and change is not None and not change.fresh and last and last.base == base
            else None
        )
        # An update makes thousands of short-lived records while the collector would look
        # over the whole model again and again. (Not a first write: the cycles Jinja
        # leaves would pile up over forty thousand pages.)
        with collector_paused() if quick or changed is not None else contextlib.nullcontext():
            written = self._writer.write(
                loaded,
                due,
                today,
                history,
                only=tuple(before) if quick else None,
                changed=changed,
                moved=moved,
                counted=(summary.contacts, summary.due),
            )
        result = BuildResult(
            written.pages,
            written.written,
            # The loaded problems are in order already: most builds add none to them.
            tuple(in_order((*loaded.problems, *written.problems)))
            if written.problems
            else loaded.problems,
            summary,
            history.problem,
        )
        self._state = _SiteState(inputs, result, written.manifest)
        self._last = _Last(frame, loaded, due, summary, history, files.notes, base)
        return replace(result, loaded=loaded, followups=due, cache_problem=self.cache_problem)

    def _bodies_alone(
        self, scan: _Scan, frame: bytes, inputs: bytes, out: Path, state: _SiteState
    ) -> BuildResult | None:
        """A new process's build when the notes changed since the last build's differ from
        it in their bodies' text alone: each one's new body put in place in its page (its
        only page that can differ), with no model made. None when that is not so, or
        cannot be told without the model: the build then goes on as usual.

        Making the model means reading every note's parse: seconds at forty thousand
        notes, where a body takes milliseconds.
        """
        from . import search, site

        saved = self._model_read = self._cached(MODEL_CACHE)
        if not isinstance(saved, _Saved) or saved.inputs != state.inputs or saved.frame != frame:
            return None
        if self.keep_last_good or saved.settings != repr(scan.settings):
            return None
        known = self._side(SIGNATURES_CACHE, saved.signatures)
        if not isinstance(known, dict) or known.keys() != scan.signatures.keys():
            return None
        changed = [rel for rel, sig in scan.signatures.items() if sig != known[rel]]
        if not changed or len(changed) > BODIES_MAX:
            return None
        failed = {problem.path for problem in saved.failed}
        buckets: dict[int, dict[str, Any]] = {}
        found: dict[str, tuple[Any, ParsedFile]] = {}  # note → (its bucket item, its parse)
        for rel in changed:
            number = cache.bucket(rel)
            if number not in buckets:
                bucket = self._cached(f"{NOTES_CACHE}.{number:02d}")
                if not isinstance(bucket, dict) or bucket.get("") != saved.tokens[number]:
                    return None
                buckets[number] = bucket
            item = buckets[number].get(rel)
            # A note the model has (its share kept) and whose page was made.
            if item is None or item[2] is None or item[3] is not None or rel in failed:
                return None
            parsed = self._early[rel] = parse_file(
                self.vault, rel, scan.settings.allow_html, item[0]
            )
            if parsed.signature == UNREADABLE or not _body_only({rel: item[0]}, {rel: parsed}):
                return None
            found[rel] = (item, parsed)
        if not saved.history_problem and not self._same_uncommitted(saved, found):
            return None
        names = self._side(NAMES_CACHE, saved.names)
        places = self._side(PLACES_CACHE, saved.places)
        if not isinstance(names, dict) or places is None:
            return None
        files = dict(state.manifest.files)
        edits: list[tuple[str, Page]] = []  # (page file, the note's page as it is now)
        for rel, ((old, _head, share, _failed), parsed) in found.items():
            url = places.urls.get(rel, "")
            written = files.get(url)
            if written is None or written.body is None or site.on_disk(out / url) != written.stat:
                return None
            if parsed.parsed is not old.parsed:
                edits.append((url, with_body(share.page, parsed.parsed)))
        # The search index holds the bodies' words: its shards that change are written too.
        changes = []
        for rel, ((_old, _head, share, _failed), parsed) in found.items():
            url = site.url_quote(places.urls.get(rel, ""))
            before = search.note_entry(share.page, share.entry, url)
            after = search.note_entry(with_body(share.page, parsed.parsed), share.entry, url)
            if after != before:
                changes.append((before, after))
        searched = site.put_search(out, files, changes) if changes else 0
        if searched is None:
            return None
        self.progress(f"Writing {len(edits)} note page{'s' * (len(edits) != 1)} into {self.out}")
        links = site.body_linker(names, scan.files.assets, places)
        for url, page in edits:
            body = site.body_markup(page, links, scan.settings.allow_html)
            written = site.put_body(out, url, files[url], str(body))
            if written is None:  # changed by hand since the check above: made as usual
                return None
            files[url] = written
        self._early, self._model_read = {}, None
        self._save_bodies(saved, buckets, found, known, inputs, scan.notes_key)
        result = replace(state.result, written=len(edits) + searched)
        self._state = _SiteState(inputs, result, replace(state.manifest, files=files))
        return replace(result, cache_problem=self.cache_problem)

    def _same_uncommitted(self, saved: _Saved, found: Mapping[str, tuple[Any, ParsedFile]]) -> bool:
        """Whether the notes not committed to git are the ones the last build showed, with
        the notes in `found` as parsed now (their pages and Today show which are).
        """
        history = self._cached(HISTORY_CACHE)
        if not isinstance(history, History) or history.head != saved.head:
            return False
        self._history_read = True
        self._tracker.history = self._history_saved = history
        blobs = {rel: parsed.digest for rel, (_item, parsed) in found.items()}
        return self._tracker.uncommitted(blobs, saved.uncommitted) == saved.uncommitted

    def _save_bodies(
        self,
        saved: _Saved,
        buckets: dict[int, dict[str, Any]],
        found: Mapping[str, tuple[Any, ParsedFile]],
        known: dict[str, tuple[int, int, int]],
        inputs: bytes,
        notes_key: int,
    ) -> None:
        """Save what `_bodies_alone` changed: the notes' parses and shares, their signatures,
        and the model cache naming them (the site's state is saved by `save_cache`).
        """
        tokens = list(saved.tokens)
        for rel, ((_old, head, share, _failed), parsed) in found.items():
            page = with_body(share.page, parsed.parsed)
            buckets[cache.bucket(rel)][rel] = (parsed, head, replace(share, page=page), None)
        for number, bucket in buckets.items():
            bucket[""] = tokens[number] = secrets.token_hex(8)
            if not cache.save(self.vault, f"{NOTES_CACHE}.{number:02d}", bucket):
                return
        signatures = self._save_side(
            SIGNATURES_CACHE, {**known, **{rel: p.signature for rel, (_i, p) in found.items()}}
        )
        if signatures is None:
            return
        self._saved = replace(
            saved, tokens=tuple(tokens), inputs=inputs, notes_key=notes_key, signatures=signatures
        )
        cache.save(self.vault, MODEL_CACHE, self._saved)

    def head_moved(self) -> bool:
        """Whether HEAD moved since the last build: a commit made since, by anyone."""
        return self._built_head is not None and self._tracker.head() != self._built_head

    def _history(
        self,
        head: str,
        problem: str,
        loaded: Loaded,
        files: VaultFiles,
        only: tuple[str, ...] | None = None,
    ) -> History:
        """The vault's history as of `head`, with the notes changed since it was committed.

        `only`, in a quick build, are the only notes that changed since the last.
        """
        tracker = self._tracker
        if problem:
            return History(problem=problem)
        known = tracker.history
        if known is None or known.head != head:
            if not self._history_read:
                self._history_read = True
                found = self._cached(HISTORY_CACHE)
                if isinstance(found, History) and found.head == head:
                    tracker.history = self._history_saved = found
            if tracker.history is None or tracker.history.head != head:
                self.progress("Reading the git history")
        history = tracker.read(head)
        if history.problem:
            return history
        history = tracker.with_fields(loaded.model.contacts.keys())
        notes = self._files
        if only is not None and self._last is not None and self._last.history.head == head:
            # A save while watching: only the notes saved are compared again.
            before = self._last.history.uncommitted
            found = tracker.uncommitted({rel: notes[rel].digest for rel in only}, before)
        else:
            found = tracker.uncommitted({rel: notes[rel].digest for rel in files.notes})
        return replace(history, uncommitted=found)

    def _rescan(self, changed: Collection[str], today: date) -> _Scan | None:
        """The last scan with the signatures of `changed` updated; None if a walk is needed."""
        last = self._scan
        if last is None or last.today != today:
            return None
        signatures = dict(last.signatures)
        for rel in changed:
            if rel not in signatures:  # a new file, settings, the theme, an attachment
                return None
            signatures[rel] = signature(self.vault / rel)
            if signatures[rel] == UNREADABLE:  # gone, or moved away
                return None
        # Only the runs of signatures that hold a changed note are digested again.
        notes = last.files.notes
        if self._places is None or self._places[0] is not notes:
            self._places = (notes, {rel: at for at, rel in enumerate(notes)})
        runs = list(last.runs)
        for run in {self._places[1][rel] // RUN for rel in changed}:
            runs[run] = _run_digest(notes[run * RUN : (run + 1) * RUN], signatures)
        key = _notes_key(tuple(runs))
        return replace(last, signatures=signatures, runs=tuple(runs), notes_key=key, rescanned=True)

    def _frame(self, settings: Settings, files: VaultFiles, out: Path) -> bytes:
        """A key of what a site is made from, but the notes and the day."""
        from . import resources, site

        digest = hashlib.blake2b(digest_size=16)
        digest.update(f"{cache.code_key()}|{out}|{self.keep_last_good}\n".encode())
        # Links to the editor hold the vault's path; `auto` chose it by the vault's folders.
        digest.update(f"{self.vault}|{settings.editor}\n".encode())
        digest.update(repr(signature(self.vault / CONFIG_NAME)).encode())
        digest.update(site.theme_key(resources.theme_dirs(settings.theme, self.vault)).encode())
        for rel in files.assets:
            digest.update(f"{rel}|{signature(self.vault / rel)}\n".encode())
        for problem in files.problems:
            digest.update(f"{problem}\n".encode())
        return digest.digest()

    def _site_state(self, out: Path) -> _SiteState | None:
        """The last build's state of `out`: from memory, else from the cache on disk."""
        if self._state is None and self.use_cache and self._writer is None:
            found = self._cached(SITE_CACHE)
            if isinstance(found, _SiteState) and found.manifest.out == str(out):
                self._state = found
        return self._state

    def save_cache(self) -> None:
        """Write what this builder parsed and wrote to the cache on disk, if anything is new."""
        if not self.use_cache:
            return
        # Pickling makes many short-lived objects, and no cycle: a collection would only
        # look over the whole model again, for nothing.
        with collector_paused():
            self._save_cache()

    def _save_cache(self) -> None:
        # The last build's state goes with the notes' buckets, even when no note
        # changed (another day): a new process takes up only a state that is the site's.
        built = self._state is not None and (
            self._saved is None or self._saved.inputs != self._state.inputs
        )
        if self._disk_read and (self._unsaved or built):
            self._save_notes()
            self._unsaved = False
        if self._state is not None:
            cache.save(self.vault, SITE_CACHE, self._state)
        history = self._tracker.history
        if history is not None and history is not self._history_saved and history.head:
            cache.save(self.vault, HISTORY_CACHE, history)
            self._history_saved = history

    def _save_notes(self) -> None:
        """Save the buckets of the notes cache that changed, then what they are and the last build.

        A bucket holds, for each of its notes, the parse and what the model keeps of
        it: a new process makes the model again from them without linking a note.
        """
        maker = self._maker
        if maker is not None and self._last is not None:
            # Notes built by their bodies alone, which the model has not been given yet.
            stale = {
                rel: self._shown(rel)
                for rel in self._ungiven
                if rel in self._files and maker.parsed(rel) is not self._files[rel].parsed
            }
            if stale and not self.keep_last_good:
                maker.apply(stale)
        buckets = self._buckets or [{} for _ in range(cache.BUCKETS)]
        # Only the notes that may differ from their buckets' items are looked at, where
        # that is known: forty thousand looks took a tenth of every new process's build.
        looked: Collection[str] = self._files.keys()
        if self._buckets is not None and maker is not None and maker is self._bucket_maker:
            looked = self._reparsed | maker.unkept
        dirty: set[int] = set()
        for rel in looked:
            parsed = self._files.get(rel)
            if parsed is None:  # gone: taken out below
                continue
            number = cache.bucket(rel)
            kept = (None, None, None)
            if maker is not None and maker.parsed(rel) is parsed.parsed:
                kept = maker.kept(rel)
            item = (parsed, *kept)
            was = buckets[number].get(rel)
            if was is None or any(a is not b for a, b in zip(was, item, strict=True)):
                buckets[number][rel] = item
                dirty.add(number)
        for number, bucket in enumerate(buckets):
            for rel in bucket.keys() - self._files.keys() - {""}:
                del bucket[rel]
                dirty.add(number)
        for number in dirty:
            buckets[number][""] = secrets.token_hex(8)
        self._buckets = buckets
        if not cache.save_buckets(self.vault, NOTES_CACHE, buckets, dirty):
            return
        self._reparsed = set()
        self._bucket_maker = maker
        if maker is not None:
            maker.unkept.clear()
        self._saved = self._saved_state(_tokens(buckets))
        if self._saved is not None:
            cache.save(self.vault, MODEL_CACHE, self._saved)

    def _saved_state(self, tokens: tuple[str, ...]) -> _Saved | None:
        """What to save of the model and the last build beside buckets with these tokens."""
        last, state, maker, writer = self._last, self._state, self._maker, self._writer
        if last is None or state is None or maker is None or writer is None or self._scan is None:
            return None
        history, title = last.history, last.loaded.model.title
        by_source: dict[str, list[FollowUp]] = {}
        for followup in last.followups:
            by_source.setdefault(followup.source, []).append(followup)
        followups = self._save_items(FOLLOWUPS_CACHE, by_source, str)
        order = _order_among(self._parts.get(FOLLOWUPS_CACHE, []), last.followups)
        places = self._save_side(PLACES_CACHE, writer.places())
        views = self._save_side(VIEWS_CACHE, writer.views())
        before = self._saved
        if before is not None and not self._unsaved:  # no note parsed again since
            signatures: str | None = before.signatures
        else:
            found = {rel: parsed.signature for rel, parsed in self._files.items()}
            signatures = self._save_side(SIGNATURES_CACHE, found)
        # A model update where no name moves keeps the very mapping of names.
        held, names = self._names_saved, last.loaded.model.names
        token = held[1] if held is not None and held[0] is names else None
        if token is None:
            token = self._save_side(NAMES_CACHE, dict(names))
            self._names_saved = (names, token) if token is not None else None
        made = writer.rows()  # None: the rows on disk, which the writer took up unread
        if made is None and self._saved is not None:
            rows: tuple[str, ...] | None = self._saved.rows
        else:
            rows = self._save_items(ROWS_CACHE, made or {}, itemgetter(1))
        if followups is None or places is None or views is None or rows is None:
            return None
        if signatures is None or token is None:
            return None
        return _Saved(
            tokens,
            repr(maker.settings),
            maker.assets,
            state.inputs,
            last.frame,
            last.base,
            self._scan.today,
            followups,
            order,
            writer.order(),
            last.summary,
            history.head,
            history.problem,
            frozenset(history.uncommitted),
            writer.used_by(),
            writer.failed(),
            self._scan.notes_key,
            last.loaded.problems,
            len(last.loaded.model.pages),
            {path: title(path) for path in {p for f in last.followups for p in f.contacts}},
            self._scan.files.problems,
            writer.health() or (self._saved.stats if self._saved is not None else None),
            places,
            views,
            rows,
            signatures,
            token,
        )


def _order_among(buckets: list[dict[Any, Any]], followups: tuple[FollowUp, ...]) -> bytes:
    """Where each of `followups` is among those of `buckets` read in turn, packed; b""
    when one is not there as the very object (a bucket kept from before, of equal ones).

    Reading them back in this order needs no sort: sorting tens of thousands of
    follow-ups took 70 ms of every `due` and new process.
    """
    flat = [f for bucket in buckets for key, kept in bucket.items() if key != "" for f in kept]
    if len(flat) != len(followups):
        return b""
    where = dict(zip(map(id, flat), count()))
    try:
        return array("I", map(where.__getitem__, map(id, followups))).tobytes()
    except (KeyError, OverflowError):
        return b""


def _tokens(buckets: list[dict[Any, Any]]) -> tuple[str, ...]:
    """The token of the save that wrote each bucket of a bucketed cache ('' for none)."""
    return tuple(bucket.get("", "") for bucket in buckets)


def _same(old: Any, new: Any) -> bool:
    """Whether an item to save is the one on disk (often the very object: that is quick)."""
    return old is new or old == new


# Signatures digested together, in order: a watcher's edit digests again its run alone.
RUN = 512


def _run_digest(notes: Sequence[str], signatures: Mapping[str, tuple[int, int, int]]) -> bytes:
    """A digest of the paths and signatures of `notes`, pickled (in C) as a list of pairs."""
    data = pickle.dumps([(rel, signatures[rel]) for rel in notes], protocol=pickle.HIGHEST_PROTOCOL)
    return hashlib.blake2b(data, digest_size=16).digest()


def _runs(signatures: dict[str, tuple[int, int, int]]) -> tuple[bytes, ...]:
    """A digest of each run of RUN notes' signatures, in the order given (the vault's)."""
    notes = tuple(signatures)
    return tuple(
        _run_digest(notes[start : start + RUN], signatures) for start in range(0, len(notes), RUN)
    )


def _notes_key(runs: tuple[bytes, ...]) -> int:
    """A key of every note's path and signature, from their runs' digests (`_runs`).

    Digests of runs, not of each note: a digest of each of forty thousand notes took
    80 ms of every `due`, `check` and build, and one of them all 13 ms of every edit
    under `watch`.
    """
    return int.from_bytes(hashlib.blake2b(b"".join(runs), digest_size=16).digest(), "big")


def _digest(*parts: bytes) -> bytes:
    """A key of `parts` together: of everything a site is made from, or of all but the notes."""
    return hashlib.blake2b(b"".join(parts), digest_size=16).digest()


def _body_only(before: dict[str, ParsedFile | None], after: dict[str, ParsedFile]) -> bool:
    """Whether the notes parsed again differ from before in their bodies' text alone.

    What the model is made of (front matter, links, tags, headings, tasks,
    problems, and the lines they are on, and a message's first words) is the
    same: only the notes' own pages can show the difference.
    """
    for rel, old in before.items():
        if old is None:
            return False
        a, b = old.parsed, after[rel].parsed
        if (
            a.note.meta != b.note.meta
            or a.note.meta_lines != b.note.meta_lines
            or a.note.body_line != b.note.body_line
            or a.problems != b.problems
            or a.tasks != b.tasks
            or a.body.links != b.body.links
            or a.body.tags != b.body.tags
            or a.body.headings != b.body.headings
            or a.lead != b.lead
        ):
            return False
    return True


def _with_bodies(loaded: Loaded, notes: dict[str, ParsedNote]) -> Loaded:
    """`loaded` with the bodies of `notes` replaced (nothing else about them changed)."""
    found = loaded.model.pages
    # A proxy's copy() is its dict's: a C-level copy, where dict(proxy) goes key by key.
    pages = found.copy() if isinstance(found, MappingProxyType) else dict(found)
    for rel, parsed in notes.items():
        pages[rel] = with_body(pages[rel], parsed)
    return replace(loaded, model=replace(loaded.model, pages=MappingProxyType(pages)))


def _signatures(vault: Path, notes: tuple[str, ...]) -> dict[str, tuple[int, int, int]]:
    base = f"{vault}{os.sep}"  # strings, not Paths: there may be tens of thousands
    return {rel: signature(base + rel) for rel in notes}


def _intact(out: Path, manifest: Manifest) -> bool:
    """Whether the site in `out` is still as its last build left it (a quick look)."""
    from .site import on_disk

    index = manifest.files.get("index.html")
    return index is not None and on_disk(out / "index.html") == index.stat


def _summary(loaded: Loaded, due: tuple[FollowUp, ...], today: date) -> Summary:
    """The counts a build reports, as every page and command counts them (`counts`)."""
    from .counts import contact_count, due_count

    return Summary(
        contacts=contact_count(loaded.model),
        interactions=len(loaded.model.interactions),
        due=due_count(due, today, loaded.settings),
    )


def read_bases(vault: Path, assets: Sequence[str]) -> tuple[Mapping[str, Any], list[Problem]]:
    """Every Obsidian Base (`.base` file) among `assets`, read; and what is wrong in them."""
    found: dict[str, Any] = {}
    problems: list[Problem] = []
    for rel in filter(is_base, assets):
        from . import bases  # imported (about 30 ms) only for a vault that has a base

        try:
            text = (vault / rel).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(rel, 1, f"cannot read this base: {exc}"))
            continue
        found[rel], trouble = bases.read_base(rel, text)
        problems += trouble
    return MappingProxyType(found), problems


def embed_problems(model: Model, bases: Mapping[str, Any]) -> list[Problem]:
    """A warning for each note's embed of a view that its base lacks."""
    if not bases:
        return []
    from .bases import missing_views

    embeds = (
        (path, page.note.body_line + link.line, model.resolve_asset(link.target), link.heading)
        for path, page in model.pages.items()
        for link in page.body.links
        if link.embed and is_base(link.target)
    )
    return missing_views(embeds, bases)


def load(vault: Path, out: Path | None = None, progress: Progress = no_progress) -> Loaded:
    """Read every note of a vault (but those in the output folder `out`) into a model."""
    return Builder(vault, out, progress).load()


def build(vault: Path, out: Path, today: date, progress: Progress = no_progress) -> BuildResult:
    """Build the site of `vault` into `out` as of `today`; the old site stays until done."""
    return Builder(vault, out, progress).build(today)
