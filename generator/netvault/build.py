"""One build: read the vault, make the model, work out follow-ups, write the site."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .config import Settings, load_settings
from .model import Model, build_model
from .problems import Problem
from .vault import discover, read_note


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


Progress = Callable[[str], None]


def _quiet(_stage: str) -> None:
    """A progress reporter that reports nothing."""


def load(vault: Path, exclude: tuple[Path, ...] = (), progress: Progress = _quiet) -> Loaded:
    """Read every note of a vault into a model; bad notes become problems."""
    vault = vault.resolve()
    settings, problems = load_settings(vault)
    files = discover(vault, exclude=exclude)
    progress(f"Reading {len(files.notes):,} notes")
    notes = [read_note(vault, rel) for rel in files.notes]
    progress("Linking notes")
    model = build_model(notes, settings, files.assets)
    found = sorted([*problems, *files.problems, *model.problems])
    return Loaded(vault, settings, model, files.assets, tuple(found))


def build(vault: Path, out: Path, today: date, progress: Progress = _quiet) -> BuildResult:
    """Build the site of `vault` into `out` as of `today`; the old site stays until done."""
    from . import followups, site

    loaded = load(vault, exclude=(out,), progress=progress)
    due = followups.compute(loaded.model, today, loaded.settings)
    progress(f"Writing the site into {out}")
    pages = site.write_site(loaded, due, today, out)
    return BuildResult(loaded, due, pages)
