"""Network health: growth, activity, keeping in touch, dormant ties, and the headline numbers.

Choices where the spec leaves room:

- Thought leaders (`circle: follow`) are contacts, counted as every page counts them
  (`counts.contact_count`: "28 contacts (3 followed)") and in growth; within-cadence
  shares, dormant ties and the people you know leave them out; `thought_leaders` lists them.
- A contact is in the network since the earliest thing that says so (`in_network_since`):
  `met`, the first interaction or other touch, `last_contact`, or the first commit of
  its note. A vault committed today with a year of meetings in it has grown over that year.
- Growth runs month by month, every month from the first dated one to today's, empty
  months included, so its last point is the contacts count. A contact dated after today,
  or with no date of any kind (a note not committed yet, never met), counts from today.
- Within cadence counts the contacts the keep-in-touch rule (R4) measures — a cadence,
  and a touch, `last_contact` or `met` to count from; not snoozed, not an untouched
  import — and calls one within cadence while its keep-in-touch follow-up is not overdue.
- A dormant tie had an interaction on or before today and has been silent (since its last
  touch or `last_contact`) for more than twice its cadence; a snoozed one is left alone.
- Only interactions dated on or before today are counted per month and this year.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from ..config import Settings
from ..counts import ContactCount, DueCount, contact_count, due_count
from ..dates import days_label
from ..followups import FollowUp, _cadence, last_touch, rule_keep_in_touch
from ..history import History
from ..model import Contact, Model
from ..records import record
from .outreach import FOLLOW, knows, sort_key


@record
class Since:
    """When a contact entered the network, and what says so."""

    date: date
    why: str  # "met", "first interaction", "first mention", "last contact" or "first commit"
    path: str | None = None  # the note of the first touch, when that is what says so


@record
class CircleShare:
    """How many of a circle's contacts are within their keep-in-touch cadence."""

    circle: str  # "" for contacts in no circle
    contacts: int  # contacts with a cadence the keep-in-touch rule measures
    within: int  # of them, not overdue
    percent: int  # within / contacts, 0–100, rounded down


@record
class Reconnect:
    """A tie gone quiet: once active, silent past twice its cadence."""

    contact: str
    last: date  # the last touch or `last_contact`
    last_path: str | None  # the note of that touch; None for `last_contact`
    cadence_days: int
    silent_days: int  # days from `last` to today
    reason: str  # in words, not relative to today


@record
class Stats:
    """The headline numbers of `netvault stats`."""

    today: date
    contacts: ContactCount  # every contact, and the thought leaders among them
    known: int  # people you know (outreach.knows)
    new_this_year: int  # contacts in the network since (`in_network_since`) today's year
    interactions: int  # every interaction note
    interactions_this_year: int  # dated this year, on or before today
    within_cadence: tuple[CircleShare, ...]
    dormant: int
    due: DueCount  # the open follow-ups by state and kind (counts.due_count)
    goals: tuple[tuple[str, int], ...]  # goal status ("" when none) → count, by status

    @property
    def overdue(self) -> int:
        """Open follow-ups overdue, but not long overdue (as Today lists them)."""
        return self.due.overdue

    @property
    def followups(self) -> tuple[tuple[str, int], ...]:
        """Every kind of follow-up (followups.KINDS order, then others) → open count."""
        return self.due.kinds

    def to_dict(self) -> dict[str, Any]:
        """The numbers as JSON-ready values: dates as ISO text, pairs as objects."""
        return {
            "today": self.today.isoformat(),
            "contacts": self.contacts.total,
            "thought_leaders": self.contacts.followed,
            "known": self.known,
            "new_this_year": self.new_this_year,
            "interactions": self.interactions,
            "interactions_this_year": self.interactions_this_year,
            "within_cadence": [
                {
                    "circle": s.circle,
                    "contacts": s.contacts,
                    "within": s.within,
                    "percent": s.percent,
                }
                for s in self.within_cadence
            ],
            "dormant": self.dormant,
            "overdue": self.due.overdue,
            "due_today": self.due.today,
            "due_soon": self.due.soon,
            "due_later": self.due.later,
            "long_overdue": self.due.long_overdue,
            "open_followups": self.due.total,
            "followups": dict(self.due.kinds),
            "goals": dict(self.goals),
        }


def _month(when: date) -> str:
    return f"{when.year:04d}-{when.month:02d}"


def _months(first: date, last: date) -> list[str]:
    """Every month "YYYY-MM" from `first`'s to `last`'s, both included."""
    out = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def first_dates(
    model: Model,
    history: History,
    previous: Mapping[str, date | None] | None = None,
    only: Collection[str] | None = None,
) -> dict[str, date | None]:
    """When each contact entered the network (`in_network_since`); None when nothing says.

    With `only`, the contacts at those paths are looked at again and the others are
    taken from `previous`, the dates this gave of a model alike but for `only` (the
    notes that changed and those they link to or from, in either model) and of the
    same history.
    """

    def first(contact: Contact) -> date | None:
        since = in_network_since(model, history, contact)
        return since.date if since is not None else None

    if only is None or previous is None:
        return {contact.path: first(contact) for contact in model.contacts.values()}
    out = dict(previous)
    for path in only:
        contact = model.contacts.get(path)
        if contact is None:
            out.pop(path, None)
        else:
            out[path] = first(contact)
    return out


def in_network_since(model: Model, history: History, contact: Contact) -> Since | None:
    """When the contact entered the network: the earliest of `met`, the first interaction
    or other touch, `last_contact` and the first commit of its note; None when none is known.

    On one day, the likeliest reason is given: met, then an interaction, a mention, the
    `last_contact` field, the commit.
    """
    found: list[tuple[date, int, str, str | None]] = []
    if contact.met is not None:
        found.append((contact.met, 0, "met", None))
    touches = model.touches.get(contact.path, ())
    met = next((t for t in touches if t.is_interaction), None)  # touches are oldest first
    if met is not None:
        found.append((met.date, 1, "first interaction", met.path))
    if touches and not touches[0].is_interaction:
        found.append((touches[0].date, 2, "first mention", touches[0].path))
    if contact.last_contact is not None:
        found.append((contact.last_contact, 3, "last contact", None))
    seen = history.first_seen(contact.path)
    if seen is not None:
        found.append((seen.date(), 4, "first commit", None))
    if not found:
        return None
    when, _rank, why, path = min(found)
    return Since(when, why, path)


def known(
    model: Model, previous: Collection[str] | None = None, only: Collection[str] | None = None
) -> frozenset[str]:
    """The contacts you know (`outreach.knows`); with `only`, as `first_dates` takes it."""
    if only is None or previous is None:
        return frozenset(c.path for c in model.contacts.values() if knows(model, c))
    found = set(previous) - set(only)
    for path in only:
        contact = model.contacts.get(path)
        if contact is not None and knows(model, contact):
            found.add(path)
    return frozenset(found)


def growth(
    model: Model,
    history: History,
    today: date,
    dates: Mapping[str, date | None] | None = None,
) -> tuple[tuple[str, int], ...]:
    """Contacts in the network at the end of each month ("YYYY-MM", cumulative), up to
    today's month, whose number is every contact's (see the module docstring).

    `dates` are `first_dates(model, history)`, when they were worked out already.
    """
    dates = first_dates(model, history) if dates is None else dates
    counted = [_counted_from(d, today) for d in dates.values()]
    per_month = Counter(map(_month, counted))
    out: list[tuple[str, int]] = []
    total = 0
    if counted:
        for month in _months(min(counted), today):
            total += per_month[month]
            out.append((month, total))
    return tuple(out)


def _counted_from(since: date | None, today: date) -> date:
    """The day a contact is counted from: when it entered the network, today at the latest."""
    return today if since is None or since > today else since


def interactions_per_month(
    model: Model, today: date, months: int = 24
) -> tuple[tuple[str, int], ...]:
    """Interactions in each of the last `months` months up to today's, oldest first."""
    if months <= 0:
        return ()
    index = today.year * 12 + today.month - 1
    first = index - months + 1
    counts = [0] * months
    start = date(first // 12, first % 12 + 1, 1) if first >= 12 else date.min
    for interaction in model.dated(start, today):
        when = interaction.date
        counts[when.year * 12 + when.month - 1 - first] += 1  # type: ignore[union-attr]
    return tuple(
        (f"{(first + k) // 12:04d}-{(first + k) % 12 + 1:02d}", counts[k]) for k in range(months)
    )


def within_cadence(
    model: Model,
    today: date,
    settings: Settings,
    followups: Iterable[FollowUp] | None = None,
) -> tuple[CircleShare, ...]:
    """Per circle (settings.circle_order first, others by name, no circle last): contacts with
    a measured cadence and how many are within it. Circles with no such contact are left out.

    `followups`, the open follow-ups of `today` (followups.compute), spare working out
    the keep-in-touch ones again.
    """
    kept = (
        rule_keep_in_touch(model, today, settings)
        if followups is None
        else (f for f in followups if f.kind == "keep-in-touch")
    )
    counts: dict[str, list[int]] = {}
    for followup in kept:
        [path] = followup.contacts
        tally = counts.setdefault(model.contacts[path].circle, [0, 0])
        tally[0] += 1
        tally[1] += followup.due >= today
    order = {circle: k for k, circle in enumerate(settings.circle_order)}
    circles = sorted(counts, key=lambda c: (c == "", order.get(c, len(order)), c))
    return tuple(
        CircleShare(c, counts[c][0], counts[c][1], counts[c][1] * 100 // counts[c][0])
        for c in circles
    )


def dormant(
    model: Model,
    today: date,
    settings: Settings,
    previous: Iterable[Reconnect] = (),
    only: Collection[str] | None = None,
) -> tuple[Reconnect, ...]:
    """Ties gone quiet, as reconnect suggestions: the longest silent (in cadences) first.

    With `only`, the contacts at those paths are looked at again and the others are
    taken from `previous`, the ties this found of a model alike but for `only` (the
    notes that changed and those they link to or from, in either model).
    """

    def order(r: Reconnect) -> tuple[float, tuple[str, str]]:
        return -r.silent_days / r.cadence_days, sort_key(model, r.contact)

    if only is None:
        out = [
            found for c in model.contacts.values() if (found := _quiet(model, c, today, settings))
        ]
        out.sort(key=order)
        return tuple(out)
    # `previous` is in order: the few ties looked at again go in their place.
    out = [r for r in previous if r.contact not in only]
    for path in only:
        contact = model.contacts.get(path)
        if contact is not None and (found := _quiet(model, contact, today, settings)):
            bisect.insort(out, found, key=order)
    return tuple(out)


def _quiet(model: Model, contact: Contact, today: date, settings: Settings) -> Reconnect | None:
    """The contact as a tie gone quiet, if it is one."""
    if contact.circle == FOLLOW:
        return None
    if contact.snooze_until is not None and contact.snooze_until > today:
        return None
    cadence, _key = _cadence(contact, settings)
    if cadence is None or cadence <= timedelta(0):
        return None
    touches = model.touches.get(contact.path, ())
    if not any(t.is_interaction and t.date <= today for t in touches):
        return None
    touched = last_touch(model, contact.path, today)
    assert touched is not None  # there is an interaction on or before today
    last, last_path = touched
    silent = (today - last).days
    if silent <= 2 * cadence.days:
        return None
    where = f" ({model.title(last_path)})" if last_path else " (last_contact)"
    reason = (
        f"Reconnect with {contact.name}: last touch {last.isoformat()}{where}, "
        f"kept in touch every {days_label(cadence.days)}"
    )
    return Reconnect(contact.path, last, last_path, cadence.days, silent, reason)


def thought_leaders(model: Model) -> tuple[str, ...]:
    """Contacts in circle `follow` (followed, never nagged, never counted), by name."""
    found = [p for p, c in model.contacts.items() if c.circle == FOLLOW]
    return tuple(sorted(found, key=lambda p: sort_key(model, p)))


def stats(
    model: Model,
    today: date,
    settings: Settings,
    history: History,
    followups: Iterable[FollowUp],
    quiet: Sequence[Reconnect] | None = None,
    first: Mapping[str, date | None] | None = None,
    known_paths: Collection[str] | None = None,
    due: DueCount | None = None,
    contacts: ContactCount | None = None,
) -> Stats:
    """The headline numbers as of today, from the open follow-ups (followups.compute).

    `quiet` is `dormant(model, today, settings)`, `first` is `first_dates(model,
    history)`, `known_paths` is `known(model)`, `due` is `counts.due_count` of the
    follow-ups and `contacts` is `counts.contact_count(model)`, when they were worked
    out already.
    """
    found = tuple(followups)
    first = first_dates(model, history) if first is None else first
    return Stats(
        today=today,
        contacts=contact_count(model) if contacts is None else contacts,
        known=len(known(model) if known_paths is None else known_paths),
        new_this_year=sum(1 for d in first.values() if _counted_from(d, today).year == today.year),
        interactions=len(model.interactions),
        interactions_this_year=len(model.dated(date(today.year, 1, 1), today)),
        within_cadence=within_cadence(
            model, today, settings, [f for f in found if f.kind == "keep-in-touch"]
        ),
        dormant=len(quiet if quiet is not None else dormant(model, today, settings)),
        due=due if due is not None else due_count(found, today, settings),
        goals=tuple(sorted(Counter(g.status for g in model.goals.values()).items())),
    )
