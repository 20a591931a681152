"""Problems found in a vault, reported as `path:line: level: message`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import Literal

from .records import record

Level = Literal["error", "warning"]


@record(order=True)
class Problem:
    """One thing wrong with one place in the vault."""

    path: str
    line: int
    message: str
    level: Level = "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.level}: {self.message}"


# A problem's fields as a tuple, read in C: a vault may have thousands of problems.
_ORDER = attrgetter("path", "line", "message", "level")


def in_order(problems: Iterable[Problem]) -> list[Problem]:
    """`sorted(problems)`, comparing tuples in C."""
    return sorted(problems, key=_ORDER)


def joined(ordered: Sequence[Problem], *more: Iterable[Problem]) -> tuple[Problem, ...]:
    """`ordered`, in order already, and `more`, all in order: sorted only if there is more."""
    extra = [problem for problems in more for problem in problems]
    return tuple(in_order([*ordered, *extra])) if extra else tuple(ordered)


def count(problems: list[Problem] | tuple[Problem, ...], level: Level) -> int:
    """How many problems of one level there are."""
    return sum(1 for p in problems if p.level == level)
