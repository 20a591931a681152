"""One note parsed: its body's Markdown tokens and its task lines.

This is the expensive, per-file part of a build, and it depends on nothing but
the note's own text (and whether raw HTML is allowed): the unit that can be
cached and parsed in parallel.
"""

from __future__ import annotations

from dataclasses import dataclass

from .markdown import ParsedBody, parse_body
from .problems import Problem
from .tasks import Task, find_tasks
from .vault import Note


@dataclass(frozen=True)
class ParsedNote:
    """A note with its body parsed and its tasks found."""

    note: Note
    body: ParsedBody
    tasks: tuple[Task, ...]
    problems: tuple[Problem, ...]  # the note's own, then its tasks'

    @property
    def path(self) -> str:
        """The note's vault-relative path."""
        return self.note.path


def parse(note: Note, allow_html: bool = False) -> ParsedNote:
    """Parse a note's body and find its tasks."""
    body = parse_body(note.body, allow_html=allow_html)
    tasks, task_problems = find_tasks(note.body, note.body_line, note.path)
    return ParsedNote(note, body, tuple(tasks), (*note.problems, *task_problems))
