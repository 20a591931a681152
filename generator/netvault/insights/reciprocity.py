"""Give and take: what each contact gave you (`air`) and you gave them (`gave`), and when.

Choices where the spec leaves room:

- Everything in an interaction counts for every contact in its `with`: a panel that gave
  you advice gave it together.
- Balances count items, not interactions; "most one-sided" is the largest difference
  between received and given, then the most exchanged, then by name.
- `never_thanked`: an interaction without a date cannot be told to be followed by another
  and is left out, as is one with no contact; "met again" is any later interaction, or a
  later dated note that mentions them when the settings count those as touches.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from ..config import Settings
from ..followups import names_of
from ..model import Model
from ..records import record
from ..text import unlinked
from .outreach import sort_key


@record
class Exchange:
    """One item received or given, in one interaction."""

    date: date | None
    interaction: str  # the interaction note path
    text: str  # as written, `[[links]]` and all


@record
class YearCount:
    """Items received and given in one year."""

    year: int
    received: int
    gave: int


@record
class Balance:
    """What passed between you and one contact, both ways."""

    contact: str
    received: tuple[Exchange, ...]  # oldest first
    gave: tuple[Exchange, ...]  # oldest first
    years: tuple[YearCount, ...]  # oldest first; dated items only
    received_in: int  # interactions you received something in
    gave_in: int  # interactions you gave something in
    balance: int  # items given minus items received: below 0, you have taken more


@record
class Unthanked:
    """Help received that no thank-you and no later meeting followed."""

    interaction: str
    date: date
    contacts: tuple[str, ...]  # the people of it not met since, by name
    air: tuple[str, ...]  # what they gave you
    evidence: str  # in words


def give_take(model: Model) -> tuple[Balance, ...]:
    """A balance for every contact with anything received or given, most one-sided first."""
    received: dict[str, list[Exchange]] = defaultdict(list)
    gave: dict[str, list[Exchange]] = defaultdict(list)
    for interaction in model.interactions.values():  # oldest first, so lists are too
        if not interaction.air and not interaction.gave:
            continue
        for person in dict.fromkeys(interaction.contacts):
            if person not in model.contacts:
                continue
            for text in interaction.air:
                received[person].append(Exchange(interaction.date, interaction.path, text))
            for text in interaction.gave:
                gave[person].append(Exchange(interaction.date, interaction.path, text))
    out = [_balance(p, received.get(p, []), gave.get(p, [])) for p in {*received, *gave}]
    out.sort(
        key=lambda b: (
            -abs(b.balance),
            -(len(b.received) + len(b.gave)),
            sort_key(model, b.contact),
        )
    )
    return tuple(out)


def _balance(person: str, received: list[Exchange], gave: list[Exchange]) -> Balance:
    years: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for side, items in enumerate((received, gave)):
        for item in items:
            if item.date is not None:
                years[item.date.year][side] += 1
    return Balance(
        contact=person,
        received=tuple(received),
        gave=tuple(gave),
        years=tuple(YearCount(y, r, g) for y, (r, g) in sorted(years.items())),
        received_in=len({e.interaction for e in received}),
        gave_in=len({e.interaction for e in gave}),
        balance=len(gave) - len(received),
    )


def takers_without_giving(model: Model) -> tuple[Balance, ...]:
    """People you received from in 2+ interactions and never gave anything: most taken first."""
    found = [b for b in give_take(model) if b.received_in >= 2 and not b.gave]
    found.sort(key=lambda b: (-b.received_in, sort_key(model, b.contact)))
    return tuple(found)


def never_thanked(model: Model, settings: Settings) -> tuple[Unthanked, ...]:
    """Help received (`air`) with no thank-you recorded and no later meeting: newest first."""
    out: list[Unthanked] = []
    for interaction in model.interactions.values():
        when = interaction.date
        if not interaction.air or interaction.thank_you or when is None:
            continue
        people = [p for p in dict.fromkeys(interaction.contacts) if p in model.contacts]
        unmet = [
            p
            for p in people
            if not any(
                t.date > when and (t.is_interaction or settings.dated_notes_are_touches)
                for t in model.touches.get(p, ())
            )
        ]
        if not unmet:
            continue
        unmet.sort(key=lambda p: sort_key(model, p))
        who = names_of(model, unmet)
        evidence = (
            f"{who} gave you {'; '.join(map(unlinked, interaction.air))} on {when.isoformat()}; "
            f"no thank-you recorded, and no later interaction with {who}"
        )
        out.append(Unthanked(interaction.path, when, tuple(unmet), interaction.air, evidence))
    out.sort(key=lambda u: (u.date, u.interaction), reverse=True)
    return tuple(out)
