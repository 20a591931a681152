"""The numbers every page and command shows, each defined once and labelled one way.

`netvault build` and `stats`, the Today page and the Network page all count
through these, so a number reads the same wherever it is shown:

- Contacts: every contact note (the rows of the Contacts page). Thought leaders
  (`circle: follow`) are among them, and said apart: "28 contacts (3 followed)".
- Open follow-ups: by state, as each follow-up's own state says (overdue, due
  today, due soon, later, and long overdue past the settings' look-back: they add
  up to all of them), and by kind.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from operator import attrgetter

from .config import Settings
from .followups import KINDS, LONG_OVERDUE, STATES, FollowUp, state_of
from .insights.outreach import FOLLOW
from .model import Model
from .records import record

# What each state is called wherever a count of it is shown.
STATE_LABELS = {
    "overdue": "overdue",
    "today": "due today",
    "soon": "due soon",
    "later": "later",
    LONG_OVERDUE: "long overdue",
}


@record
class ContactCount:
    """How many contacts there are, and how many of them are thought leaders you follow."""

    total: int  # every contact note, thought leaders included
    followed: int  # of them, `circle: follow`

    def words(self, noun: bool = True) -> str:
        """The count as every page and command says it: "28 contacts (3 followed)", or
        "28 (3 followed)" without the noun, after a label that says it.
        """
        text = f"{self.total} contact{'s' * (self.total != 1)}" if noun else str(self.total)
        return f"{text} ({self.followed} followed)" if self.followed else text


def contact_count(model: Model) -> ContactCount:
    """The contacts of the vault, counted."""
    followed = sum(1 for c in model.contacts.values() if c.circle == FOLLOW)
    return ContactCount(len(model.contacts), followed)


@record
class DueCount:
    """The open follow-ups of a day, counted by state and by kind."""

    overdue: int  # overdue by no more than the look-back: Today lists them
    today: int
    soon: int
    later: int
    long_overdue: int  # overdue by more than the look-back: Today only counts them
    kinds: tuple[tuple[str, int], ...]  # every kind (KINDS order, then others by name) → count

    @property
    def total(self) -> int:
        """Every open follow-up."""
        return self.overdue + self.today + self.soon + self.later + self.long_overdue

    def by_state(self) -> tuple[tuple[str, int], ...]:
        """(state, count) in STATES order."""
        return tuple((state, getattr(self, state.replace("-", "_"))) for state in STATES)

    def words(self) -> str:
        """The count as every page and command says it: "9 overdue, 0 due today, 12 due soon,
        13 later", then ", 40 long overdue" when there are any (as on Today).
        """
        return ", ".join(
            f"{n} {STATE_LABELS[state]}"
            for state, n in self.by_state()
            if n or state != LONG_OVERDUE
        )


def due_count(followups: Iterable[FollowUp], today: date, settings: Settings) -> DueCount:
    """The follow-ups open on `today`, counted: soon means within the settings' `soon_days`
    after today, long overdue more than their `overdue_lookback_days` before it.
    """
    soon_days, lookback_days = settings.soon_days, settings.overdue_lookback_days
    # Tens of thousands of follow-ups on every edit: count their fields in C, then
    # take each distinct due date's state once.
    found = tuple(followups)
    states = dict.fromkeys(STATES, 0)
    for due, n in Counter(map(attrgetter("due"), found)).items():
        states[state_of(due, today, soon_days, lookback_days)] += n
    kinds = Counter(map(attrgetter("kind"), found))
    return DueCount(
        **{state.replace("-", "_"): n for state, n in states.items()},
        kinds=tuple((k, kinds.get(k, 0)) for k in KINDS)
        + tuple((k, n) for k, n in sorted(kinds.items()) if k not in KINDS),
    )
