"""Conversations waiting on a reply, from the `direction:` of interactions.

An interaction with `direction: out` is a message you sent; `direction: in`, one
they sent you; an interaction with no direction (a meeting, a call) went both
ways. With each contact, the messages since the last exchange that went both
ways say who is waiting: after yours, you wait on them; after theirs, you owe
them a reply (a follow-up, `followups.rule_reply`).

Choices where the notes leave room:

- Several messages one way in a row are one wait, since the first of them.
- A day with messages both ways went both ways: which came first is not written.
- `replied: true` (or the date of the reply) on a message says it was answered
  although no note logs the answer; it then counts as going both ways.
- Only conversations whose last message is within `reply_lookback_days` are open:
  a message nobody answered two years ago is not something to act on today.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from .config import Settings
from .model import Model
from .records import record

SIDES = ("you", "them")  # who the conversation waits on


@record
class Waiting:
    """A conversation with one contact that waits on a reply: yours, or theirs."""

    contact: str  # the contact's note path
    side: str  # "you" (they wrote last: you owe a reply) or "them" (you wrote last)
    since: date  # the first message not answered
    path: str  # the last message not answered: the note to reply to, or mark `replied:`
    messages: int  # how many messages one way since the last exchange both ways
    lead: str  # the first words of the last message

    def days(self, today: date) -> int:
        """Days since the first message not answered."""
        return (today - self.since).days


def _recent_writers(model: Model, today: date, oldest: date) -> set[str]:
    """The contacts of the messages dated from `oldest` to `today`."""
    found: set[str] = set()
    for interaction in model.dated(oldest, today):
        if interaction.direction:
            found.update(p for p in interaction.contacts if p in model.contacts)
    return found


def waiting_with(model: Model, contact: str, today: date) -> Waiting | None:
    """What the conversation with `contact` waits on, as of `today`; None if nothing."""
    open_: Waiting | None = None
    day: date | None = None
    ways: set[str] = set()  # the directions of `day`'s interactions
    for touch in model.touches.get(contact, ()):  # oldest first
        if not touch.is_interaction or touch.date > today:
            continue
        interaction = model.interactions.get(touch.path)
        if interaction is None:
            continue
        if touch.date != day:
            day, ways = touch.date, set()
        way = "" if interaction.replied else interaction.direction
        ways.add(way)
        if "" in ways or len(ways) > 1:  # went both ways that day
            open_ = None
            continue
        side = "them" if way == "out" else "you"
        if open_ is not None and open_.side == side:
            open_ = Waiting(
                contact, side, open_.since, touch.path, open_.messages + 1, interaction.lead
            )
        else:
            open_ = Waiting(contact, side, touch.date, touch.path, 1, interaction.lead)
    return open_


def waiting(model: Model, today: date, settings: Settings) -> tuple[Waiting, ...]:
    """Every conversation waiting on a reply whose last message is within the look-back,
    the longest waiting first.
    """
    oldest = today - timedelta(days=settings.reply_lookback_days)
    found = (waiting_with(model, c, today) for c in sorted(_recent_writers(model, today, oldest)))
    return _ordered(w for w in found if w is not None and _last(model, w) >= oldest)


def _last(model: Model, found: Waiting) -> date:
    """The date of the last message of a conversation waiting on a reply."""
    when = model.interactions[found.path].date
    assert when is not None  # only dated interactions are touches
    return when


def _ordered(found: Iterable[Waiting]) -> tuple[Waiting, ...]:
    return tuple(sorted(found, key=lambda w: (w.since, w.contact)))
