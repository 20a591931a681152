"""Task lines in note bodies: `- [ ] …` with Obsidian Tasks emoji or Dataview field dates."""

from __future__ import annotations

import re
from datetime import date

from .dates import DateError, parse_date
from .problems import Problem
from .records import record
from .text import clean, unlinked

_TASK = re.compile(r"^\s*(?:>\s*)*[-*+]\s+\[(.)\]\s+(.*)$")
_FENCE = re.compile(r"^\s*(```+|~~~+)")
_DATE = r"(\d{4}-\d{2}-\d{2})"
_EMOJI = {"due": "📅", "scheduled": "⏳", "start": "🛫"}
_EMOJI_DATE = {key: re.compile(rf"{emoji}\s*{_DATE}") for key, emoji in _EMOJI.items()}
_FIELD_DATE = {
    key: re.compile(rf"[\[(]?\b{key}::\s*{_DATE}[\])]?", re.IGNORECASE) for key in _EMOJI
}
_RECURRENCE = re.compile(r"🔁\s*([^📅⏳🛫✅➕\[\(]+)")
_DONE_MARKS = frozenset("xX-")
_FIELD = re.compile(r"\[([^\[\]:]+?)::\s*((?:[^\[\]]|\[\[[^\]]*\]\])*?)\s*\]")
_PAREN_FIELD = re.compile(r"\([^()\[\]:]+?::\s*((?:[^()\[\]]|\[\[[^\]]*\]\])*?)\s*\)")
_WIKILINK = re.compile(r"\[\[([^\]|#]+)")


@record
class Task:
    """One task line: its text, whether it is done, and its dates."""

    line: int  # line number in the file
    text: str
    done: bool
    due: date | None = None
    scheduled: date | None = None
    start: date | None = None
    recurrence: str | None = None
    links: tuple[str, ...] = ()  # wikilink targets written in the task

    @property
    def plain(self) -> str:
        """The task's words with `[[Note|shown]]` links written as their shown text."""
        return unlinked(self.text)

    @property
    def when(self) -> date | None:
        """The date the task is for: its due date, else scheduled, else start."""
        return self.due or self.scheduled or self.start


def find_tasks(body: str, first_line: int, path: str) -> tuple[list[Task], list[Problem]]:
    """The task lines of a note body; `first_line` is the body's line number in the file."""
    tasks: list[Task] = []
    problems: list[Problem] = []
    fence: str | None = None
    for offset, raw in enumerate(body.split("\n")):
        fence_match = _FENCE.match(raw)
        if fence_match:
            marker = fence_match[1]
            if fence is None:
                fence = marker
            elif marker.startswith(fence[0]) and len(marker) >= len(fence):
                fence = None
            continue
        if fence is not None:
            continue
        match = _TASK.match(raw)
        if not match:
            continue
        line = first_line + offset
        text = clean(match[2])
        dates: dict[str, date | None] = {}
        for key in _EMOJI:
            found = _EMOJI_DATE[key].search(text) or _FIELD_DATE[key].search(text)
            try:
                dates[key] = parse_date(found[1]) if found else None
            except DateError as exc:
                problems.append(Problem(path, line, f"task {key} date: {exc}"))
                dates[key] = None
        recurrence = _RECURRENCE.search(text)
        tasks.append(
            Task(
                line=line,
                text=_strip_fields(text),
                done=match[1] in _DONE_MARKS,
                recurrence=recurrence[1].strip() if recurrence else None,
                links=tuple(m.strip() for m in _WIKILINK.findall(text)),
                **dates,
            )
        )
    return tasks, problems


def _strip_fields(text: str) -> str:
    """The task's words without its date markers, for showing on the dashboard."""
    for key in _EMOJI:
        text = _EMOJI_DATE[key].sub("", text)
        text = _FIELD_DATE[key].sub("", text)
    text = _RECURRENCE.sub("", text)
    # Other inline fields read as Dataview shows them, as in the note's text (markdown).
    text = _FIELD.sub(r"\1: \2", text)
    text = _PAREN_FIELD.sub(r"\1", text)
    return " ".join(text.split())
