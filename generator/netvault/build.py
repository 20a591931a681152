"""Builds: read the vault, make the model, work out follow-ups, write the site.

`Builder` keeps what it parsed and wrote between builds, in memory and in the
cache on disk (`cache.py`), so that a build does only the work a change calls for:

- a note is parsed again only when its bytes changed (its signature, then its
  digest, tell), and many notes are parsed in worker processes;
- the model and the follow-ups are always made anew in memory (they depend on
  every note at once, and take a small part of a build);
- a page is rendered only when the data it shows changed, and written only when
  its bytes changed (`site.SiteWriter`);
- when nothing the site is made from changed (the notes' signatures, the
  settings, the theme, netvault itself, the output folder and `today`), nothing
  is done at all.

`load` and `build` are the one-shot forms.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from . import cache
from .config import CONFIG_NAME, Settings, load_settings
from .model import Model, build_model
from .notes import ParsedFile, ParsedNote, is_current, parse_files, signature
from .problems import Problem
from .vault import VaultFiles, discover

if TYPE_CHECKING:
    from .followups import FollowUp
    from .site import Manifest, SiteWriter

Progress = Callable[[str], None]
NOTES_CACHE = "notes"
SITE_CACHE = "site"


def no_progress(_stage: str) -> None:
    """A progress reporter that reports nothing."""


def usable_cpus() -> int:
    """How many processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Loaded:
    """A vault read and understood: settings, model, and every problem found on the way."""

    vault: Path
    settings: Settings
    model: Model
    assets: tuple[str, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Summary:
    """What a build found, in numbers: what `build`, `watch` and `serve` print."""

    contacts: int
    interactions: int
    overdue: int
    due_today: int
    soon: int


@dataclass(frozen=True)
class BuildResult:
    """What a build did: the pages in the site, the files it wrote, what it found."""

    pages: int
    written: int  # files written or deleted; 0 when nothing had changed
    problems: tuple[Problem, ...]  # every problem found, in path order
    summary: Summary
    # The vault as loaded and its follow-ups; None and () when nothing had changed
    # since the build before, so that nothing was loaded.
    loaded: Loaded | None = None
    followups: tuple[FollowUp, ...] = ()


@dataclass(frozen=True)
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
        self._writer: SiteWriter | None = None
        self._state: _SiteState | None = None

    # -- reading --------------------------------------------------------------

    def load(self) -> Loaded:
        """Read the vault into a model, reusing every note parsed before and unchanged since."""
        settings, problems = load_settings(self.vault)
        files = self._discover()
        return self._load(settings, problems, files, _signatures(self.vault, files.notes))

    def _discover(self) -> VaultFiles:
        exclude = (self.out,) if self.out is not None else ()
        return discover(self.vault, exclude=exclude)

    def _load(
        self,
        settings: Settings,
        problems: list[Problem],
        files: VaultFiles,
        signatures: dict[str, tuple[int, int, int]],
    ) -> Loaded:
        allow_html = settings.allow_html
        stale = [
            rel
            for rel in files.notes
            if not is_current(self._files.get(rel), signatures[rel], allow_html)
        ]
        if stale and not self._disk_read:
            self._disk_read = True
            self.progress("Reading the cache")
            found = cache.load(self.vault, NOTES_CACHE)
            if isinstance(found, dict):
                self._files = {**found, **self._files}
                stale = [
                    rel
                    for rel in stale
                    if not is_current(self._files.get(rel), signatures[rel], allow_html)
                ]
        if stale:
            self.progress(f"Parsing {len(stale):,} of {len(files.notes):,} notes")
            jobs = [(rel, self._files.get(rel)) for rel in stale]
            for rel, parsed in zip(
                stale, parse_files(self.vault, jobs, allow_html, self.workers), strict=True
            ):
                self._files[rel] = parsed
            self._unsaved = True
        for gone in self._files.keys() - set(files.notes):
            del self._files[gone]
            self._last_good.pop(gone, None)
            self._unsaved = True
        self.progress("Linking notes")
        model = build_model([self._shown(rel) for rel in files.notes], settings, files.assets)
        found = sorted([*problems, *files.problems, *model.problems])
        return Loaded(self.vault, settings, model, files.assets, tuple(found))

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

    def build(self, today: date) -> BuildResult:
        """Build the site as of `today`; the old site stays whole until the new one is."""
        from . import followups, site

        if self.out is None:
            raise ValueError("a Builder made without an output folder cannot build a site")
        out = Path(self.out).resolve()
        settings, problems = load_settings(self.vault)
        files = self._discover()
        signatures = _signatures(self.vault, files.notes)
        inputs = self._inputs(settings, files, signatures, today, out)
        state = self._site_state(out)
        if state is not None and state.inputs == inputs and _intact(out, state.manifest):
            self.progress("Nothing changed")
            return replace(state.result, written=0)
        loaded = self._load(settings, problems, files, signatures)
        due = followups.compute(loaded.model, today, settings)
        self.progress(f"Writing the site into {self.out}")
        if self._writer is None:
            self._writer = site.SiteWriter(out, state.manifest if state else None)
        written = self._writer.write(loaded, due, today)
        result = BuildResult(
            written.pages,
            written.written,
            loaded.problems,
            _summary(loaded, due, today),
        )
        self._state = _SiteState(inputs, result, written.manifest)
        return replace(result, loaded=loaded, followups=due)

    def _inputs(
        self,
        settings: Settings,
        files: VaultFiles,
        signatures: dict[str, tuple[int, int, int]],
        today: date,
        out: Path,
    ) -> bytes:
        """A key of everything a site is made from; the same key, the same site."""
        from . import resources, site

        digest = hashlib.blake2b(digest_size=16)
        digest.update(f"{cache.code_key()}|{today}|{out}|{self.keep_last_good}\n".encode())
        digest.update(repr(signature(self.vault / CONFIG_NAME)).encode())
        digest.update(site.theme_key(resources.theme_dirs(settings.theme, self.vault)).encode())
        for rel in files.notes:
            digest.update(f"{rel}|{signatures[rel]}\n".encode())
        for rel in files.assets:
            digest.update(f"{rel}|{signature(self.vault / rel)}\n".encode())
        for problem in files.problems:
            digest.update(f"{problem}\n".encode())
        return digest.digest()

    def _site_state(self, out: Path) -> _SiteState | None:
        """The last build's state of `out`: from memory, else from the cache on disk."""
        if self._state is None and self.use_cache and self._writer is None:
            found = cache.load(self.vault, SITE_CACHE)
            if isinstance(found, _SiteState) and found.manifest.out == str(out):
                self._state = found
        return self._state

    def save_cache(self) -> None:
        """Write what this builder parsed and wrote to the cache on disk, if anything is new."""
        if not self.use_cache:
            return
        if self._unsaved and self._disk_read:
            cache.save(self.vault, NOTES_CACHE, self._files)
            self._unsaved = False
        if self._state is not None:
            cache.save(self.vault, SITE_CACHE, self._state)


def _signatures(vault: Path, notes: tuple[str, ...]) -> dict[str, tuple[int, int, int]]:
    return {rel: signature(vault / rel) for rel in notes}


def _intact(out: Path, manifest: Manifest) -> bool:
    """Whether the site in `out` is still as its last build left it (a quick look)."""
    from .site import on_disk

    index = manifest.files.get("index.html")
    return index is not None and on_disk(out / "index.html") == index.stat


def _summary(loaded: Loaded, due: tuple[FollowUp, ...], today: date) -> Summary:
    states = [f.state(today, loaded.settings.soon_days) for f in due]
    return Summary(
        contacts=len(loaded.model.contacts),
        interactions=len(loaded.model.interactions),
        overdue=states.count("overdue"),
        due_today=states.count("today"),
        soon=states.count("soon"),
    )


def load(vault: Path, out: Path | None = None, progress: Progress = no_progress) -> Loaded:
    """Read every note of a vault (but those in the output folder `out`) into a model."""
    return Builder(vault, out, progress).load()


def build(vault: Path, out: Path, today: date, progress: Progress = no_progress) -> BuildResult:
    """Build the site of `vault` into `out` as of `today`; the old site stays until done."""
    return Builder(vault, out, progress).build(today)
