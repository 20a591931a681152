"""Putting off long-overdue follow-ups in bulk: `snooze_until:` in the notes that set them.

A follow-up is held back while the note it comes from has a `snooze_until:` ahead
(`followups.held`), so the notes to snooze are the sources of the follow-ups
overdue by more than so many days. Each is edited as an import edits a note
(`frontmatter.set_fields`): that one field set, under the key the note already
writes it with, and every other byte kept.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path

from .followups import FollowUp
from .frontmatter import EditError, set_fields
from .importers.apply import read_text, write_file
from .model import Model
from .problems import Problem
from .records import record
from .vault import parse_note

FIELD = "snooze_until"


@record
class Snooze:
    """A note to snooze: where, the key it writes `snooze_until` under, and what it puts off."""

    path: str  # relative to the vault
    key: str
    followups: tuple[FollowUp, ...]  # the long-overdue ones, oldest first


@record
class Snoozed:
    """A note snoozed (or, in a dry run, that would be): where the field now is."""

    snooze: Snooze
    line: int


def plan(
    model: Model,
    followups: Iterable[FollowUp],
    today: date,
    older_than: int,
    kinds: Collection[str] = (),
) -> tuple[Snooze, ...]:
    """The notes that set a follow-up overdue by more than `older_than` days (of `kinds`,
    when given), by path, each with those follow-ups.
    """
    before = today - timedelta(days=older_than)
    found: dict[str, list[FollowUp]] = {}
    for followup in followups:
        if followup.due < before and (not kinds or followup.kind in kinds):
            found.setdefault(followup.source, []).append(followup)
    snoozes = []
    for path in sorted(found):
        page = model.pages.get(path)
        if page is None:
            continue
        key = next((key for name, key in page.keys if name == FIELD), FIELD)
        held = tuple(sorted(found[path], key=lambda f: (f.due, f.line)))
        snoozes.append(Snooze(path, key, held))
    return tuple(snoozes)


def snoozed_text(text: str, key: str, until: date) -> tuple[str, int]:
    """The note's `text` with `key: until` set in its front matter, and the line it is on.

    Raises EditError when the front matter cannot take it without changing anything else.
    """
    edited = set_fields(text, {key: until})
    return edited, parse_note("", edited).line_of(key)


def apply(
    vault: Path, snoozes: Sequence[Snooze], until: date, *, dry_run: bool = False
) -> tuple[tuple[Snoozed, ...], tuple[Problem, ...]]:
    """Write `snooze_until: until` into each note of `snoozes` (with `dry_run`, only work
    out where): the notes done, and the ones left alone with why.

    A note whose file is not inside `vault` (a link out of it) is never written.
    """
    root = vault.resolve()
    done: list[Snoozed] = []
    problems: list[Problem] = []
    for snooze in snoozes:
        target = vault / snooze.path
        if not target.resolve().is_relative_to(root):
            problems.append(Problem(snooze.path, 1, "not snoozed: the file is outside the vault"))
            continue
        try:
            edited, line = snoozed_text(read_text(target), snooze.key, until)
            if not dry_run:
                write_file(target, edited.encode("utf-8"))
        except EditError as exc:
            problems.append(Problem(snooze.path, 1, f"not snoozed: {exc}"))
            continue
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(snooze.path, 1, f"not snoozed: {exc}"))
            continue
        done.append(Snoozed(snooze, line))
    return tuple(done), tuple(problems)
