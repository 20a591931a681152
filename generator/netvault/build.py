"""Builds: read the vault, make the model, work out follow-ups, write the site.

`Builder` keeps what it parsed between builds, so a rebuild after an edit
re-reads only the files whose size, time or inode changed; `load` and `build`
are the one-shot forms.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .config import Settings, load_settings
from .model import Model, build_model
from .notes import ParsedNote, parse
from .problems import Problem
from .vault import discover, read_note

Progress = Callable[[str], None]
# What tells a changed file from an unchanged one without reading it.
Signature = tuple[int, int, int]


def _quiet(_stage: str) -> None:
    """A progress reporter that reports nothing."""


@dataclass(frozen=True)
class Loaded:
    """A vault read and understood: settings, model, and every problem found on the way."""

    vault: Path
    settings: Settings
    model: Model
    assets: tuple[str, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class BuildResult:
    """What a build did: the loaded vault, its follow-ups and the pages written."""

    loaded: Loaded
    followups: tuple
    pages: int

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Every problem found, in path order."""
        return self.loaded.problems


class Builder:
    """Builds one vault again and again, re-parsing only the notes that changed."""

    def __init__(self, vault: Path, out: Path | None = None, progress: Progress = _quiet) -> None:
        self.vault = vault.resolve()
        self.out = out
        self.progress = progress
        self._parsed: dict[str, tuple[Signature, bool, ParsedNote]] = {}

    def load(self) -> Loaded:
        """Read the vault into a model, reusing every note parsed before and unchanged since."""
        settings, problems = load_settings(self.vault)
        exclude = (self.out,) if self.out is not None else ()
        files = discover(self.vault, exclude=exclude)
        self.progress(f"Reading {len(files.notes):,} notes")
        parsed = [self._note(rel, settings.allow_html) for rel in files.notes]
        for gone in self._parsed.keys() - set(files.notes):
            del self._parsed[gone]
        self.progress("Linking notes")
        model = build_model(parsed, settings, files.assets)
        found = sorted([*problems, *files.problems, *model.problems])
        return Loaded(self.vault, settings, model, files.assets, tuple(found))

    def _note(self, rel: str, allow_html: bool) -> ParsedNote:
        """The parsed note at `rel`, from memory when its file has not changed."""
        try:
            info = os.stat(self.vault / rel)
            signature = (info.st_mtime_ns, info.st_size, info.st_ino)
        except OSError:
            signature = (-1, -1, -1)
        cached = self._parsed.get(rel)
        if cached is not None and cached[0] == signature and cached[1] == allow_html:
            return cached[2]
        parsed = parse(read_note(self.vault, rel), allow_html)
        self._parsed[rel] = (signature, allow_html, parsed)
        return parsed

    def build(self, today: date) -> BuildResult:
        """Build the site as of `today`; the old site stays until the new one is whole."""
        from . import followups, site

        if self.out is None:
            raise ValueError("a Builder made without an output folder cannot build a site")
        loaded = self.load()
        due = followups.compute(loaded.model, today, loaded.settings)
        self.progress(f"Writing the site into {self.out}")
        pages = site.write_site(loaded, due, today, self.out)
        return BuildResult(loaded, due, pages)


def load(vault: Path, out: Path | None = None, progress: Progress = _quiet) -> Loaded:
    """Read every note of a vault (but those in the output folder `out`) into a model."""
    return Builder(vault, out, progress).load()


def build(vault: Path, out: Path, today: date, progress: Progress = _quiet) -> BuildResult:
    """Build the site of `vault` into `out` as of `today`; the old site stays until done."""
    return Builder(vault, out, progress).build(today)
