"""The outreach pipeline, introduction paths and the natural-network meter (DESIGN §1).

Choices where the spec leaves room:

- The Outreach page is the pipeline by status (DESIGN §5): a stage set by hand
  (`status: prospect`, `contacted`, `met` or `active`) wins, and when the notes tell
  a later one the row says so, so the status can be brought up to date. Without one, the
  notes tell the stage: an `intro_via` and no interaction yet is a prospect; only
  outreach (`outreach_only`: what you sent, no reply, no meeting) is contacted; a
  meeting, or their reply (`direction: in`), is met;
  a close circle, or three interactions within 180 days, is active.
- Only interactions dated on or before today count: a meeting planned for next week
  has not moved anyone along yet.
- A status outside the pipeline (`dormant`, anything else) keeps the contact out of it;
  `circle: follow` contacts without a status are thought leaders, not outreach.
- "People you know" (`knows`) are contacts with an interaction, or — unless they are
  still a prospect — any other touch, a `met` date or a `last_contact`; never
  `circle: follow`. A prospect you have met (an interaction) is known even while the
  note still says `prospect`, as the pipeline moves them to met; a daily note that
  merely mentions a prospect is not meeting them.
- `intro_path` stops at the first person you know: asking them is the step to take.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from ..followups import name_of
from ..model import Contact, Interaction, Model
from ..records import record, values_but
from ..text import fold

STAGES = ("prospect", "contacted", "met", "active")
ACTIVE_WINDOW = timedelta(days=180)  # 3+ interactions within it make a tie active
ACTIVE_INTERACTIONS = 3
# Interaction types that reach out without meeting: written to, not met yet (unless
# `direction: in` says they wrote back).
WRITTEN_TYPES = frozenset({"email", "message"})
CLOSE_CIRCLES = frozenset({"inner", "close"})
FOLLOW = "follow"
METER_FIRST, METER_FULL = 50, 100  # DESIGN §1: aim for 50–100 names


@record
class PipelineRow:
    """One contact in the outreach pipeline, with how its stage was told."""

    contact: str  # contact note path
    stage: str  # one of STAGES
    how: str  # "status", "first interaction on 2026-03-02", "circle inner", "intro via Grace"
    interactions: int  # interactions with them dated on or before today
    last: date | None  # the latest of those
    intro: tuple[str, ...]  # intro_path: who can introduce you, nearest the contact first
    told: str = ""  # with a status: the later stage the notes tell, if any, and how


@record
class Stage:
    """One stage of the pipeline and its contacts, by name."""

    name: str
    rows: tuple[PipelineRow, ...]


@record
class Pipeline:
    """The stages prospect → contacted → met → active, in that order (all four, even empty)."""

    stages: tuple[Stage, ...]

    def stage(self, name: str) -> Stage:
        """The stage called `name`."""
        return next(s for s in self.stages if s.name == name)

    @property
    def total(self) -> int:
        """Contacts in the pipeline."""
        return sum(len(s.rows) for s in self.stages)


@record
class Meter:
    """Progress toward the first 50 and 100 people you actually know."""

    count: int
    first: int  # 50
    full: int  # 100
    to_first: int  # still to go to `first`, 0 once reached
    to_full: int
    percent: int  # of `full`, 0–100
    people: tuple[str, ...]  # contact paths, by name


def sort_key(model: Model, path: str) -> tuple[str, str]:
    """People order everywhere in insights: folded name, then path."""
    return fold(name_of(model, path)), path


def knows(model: Model, contact: Contact) -> bool:
    """Whether you actually know the contact (see the module docstring)."""
    if contact.circle == FOLLOW:
        return False
    touches = model.touches.get(contact.path, ())
    if any(t.is_interaction for t in touches):
        return True
    if contact.status == "prospect":
        return False
    return bool(touches) or contact.met is not None or contact.last_contact is not None


# What the Outreach page never reads of a contact: an edit of these alone (a cadence,
# a follow-up date) leaves it as it was. Any field not named here counts.
_UNREAD = frozenset(
    {
        "org", "role", "emails", "phones", "linkedin", "website", "location", "tags",
        "cadence", "cadence_given", "how_met", "referred_by", "follow_up", "follow_up_note",
        "follow_up_done", "snooze_until", "interests", "offers", "asks", "birthday",
        "source", "previous",
    }
)  # fmt: skip


def facts(model: Model, path: str) -> tuple[Any, ...]:
    """What the Outreach page reads of the note at `path`: equal facts, equal page (same day).

    Its contact, its title (a name, when it has no contact), the touches it gives, and
    whether it is written outreach (`outreach_only`).
    """
    page = model.pages.get(path)
    targets = sorted({r.target for r in page.refs if r.target}) if page is not None else []
    touches = tuple(
        (contact, touch)
        for contact in targets
        for touch in model.touches.get(contact, ())
        if touch.path == path
    )
    title = None if page is None else (page.kind, page.title)
    interaction = model.interactions.get(path)
    written = interaction is not None and outreach_only(interaction)
    return (values_but(model.contacts.get(path), _UNREAD), title, touches, written)


def natural_network(model: Model) -> Meter:
    """The natural-network meter: people you know, toward the first 50 and 100."""
    people = sorted(
        (c.path for c in model.contacts.values() if knows(model, c)),
        key=lambda p: sort_key(model, p),
    )
    count = len(people)
    return Meter(
        count=count,
        first=METER_FIRST,
        full=METER_FULL,
        to_first=max(METER_FIRST - count, 0),
        to_full=max(METER_FULL - count, 0),
        percent=min(100, count * 100 // METER_FULL),
        people=tuple(people),
    )


def stage_of(model: Model, contact: Contact, today: date) -> PipelineRow | None:
    """The contact's pipeline row as of today, or None when it is not in the pipeline."""
    met = [
        (t.date, t.path)
        for t in model.touches.get(contact.path, ())
        if t.is_interaction and t.date <= today
    ]
    dates = [d for d, _path in met]
    status = contact.status

    def row(stage: str, how: str, told: str = "") -> PipelineRow:
        intro = intro_path(model, contact.path) if stage in ("prospect", "contacted") else ()
        last = max(dates, default=None)
        return PipelineRow(contact.path, stage, how, len(dates), last, intro, told)

    if status and status not in STAGES:
        return None
    if status:
        # A status behind what the notes tell may be stale: say so. One ahead of them
        # knows what the notes do not.
        told = _told(model, contact, today, met)
        ahead = told is not None and STAGES.index(told[0]) > STAGES.index(status)
        return row(status, "status", f"{told[0]}: {told[1]}" if ahead and told else "")
    found = _told(model, contact, today, met)
    return row(*found) if found is not None else None


def _told(
    model: Model, contact: Contact, today: date, met: list[tuple[date, str]]
) -> tuple[str, str] | None:
    """The stage the notes tell, and how, without the status: (stage, how) or None."""
    if not met:
        if contact.intro_via is not None and contact.circle != FOLLOW:
            return "prospect", f"intro via {_ref_name(model, contact)}"
        return None
    if contact.circle == FOLLOW and not contact.status:
        return None
    if contact.circle in CLOSE_CIRCLES:
        return "active", f"circle {contact.circle}"
    since = today - ACTIVE_WINDOW
    recent = sum(1 for d, _path in met if d >= since)
    if recent >= ACTIVE_INTERACTIONS:
        return "active", f"{recent} interactions since {since.isoformat()}"
    if all(outreach_only(model.interactions[path]) for _day, path in met):
        day, path = max(met)
        what = fold(model.interactions[path].type) or "message"
        return "contacted", f"{what} on {day.isoformat()}, not met yet"
    return "met", f"first interaction on {min(met)[0].isoformat()}"


def outreach_only(interaction: Interaction) -> bool:
    """Whether the interaction is you reaching out, no more: a message you sent
    (`direction: out`), or an email or message with no direction (none back, no meeting).
    """
    if interaction.direction:
        return interaction.direction == "out"
    return fold(interaction.type) in WRITTEN_TYPES


def pipeline(model: Model, today: date) -> Pipeline:
    """Every contact in the outreach pipeline as of today, by stage, each stage by name."""
    found: dict[str, list[PipelineRow]] = {name: [] for name in STAGES}
    for contact in model.contacts.values():
        row = stage_of(model, contact, today)
        if row is not None:
            found[row.stage].append(row)
    return Pipeline(
        tuple(
            Stage(name, tuple(sorted(rows, key=lambda r: sort_key(model, r.contact))))
            for name, rows in found.items()
        )
    )


def intro_path(model: Model, contact_path: str) -> tuple[str, ...]:
    """Who can introduce you, following `intro_via`: nearest the contact first.

    Stops at the first contact you know, at a cycle, or where `intro_via` names no contact.
    """
    out: list[str] = []
    seen = {contact_path}
    current = model.contacts.get(contact_path)
    while current is not None and current.intro_via is not None:
        via = current.intro_via.target
        if via is None or via in seen or via not in model.contacts:
            break
        out.append(via)
        seen.add(via)
        current = model.contacts[via]
        if knows(model, current):
            break
    return tuple(out)


def intro_advice(model: Model, contact_path: str) -> str:
    """The intro path in words: "ask Linus to introduce you to Grace, who can introduce you to
    Ada"; "ask Grace to introduce you" for one hop; "" when there is no one to ask.
    """
    chain = intro_path(model, contact_path)
    order = [name_of(model, p) for p in reversed(chain)] + [name_of(model, contact_path)]
    # An `intro_via` naming someone without a note yet is still someone to ask.
    last = model.contacts.get(chain[-1] if chain else contact_path)
    tail = last.intro_via if last is not None else None
    if tail is not None and tail.target is None and not (chain and knows(model, last)):
        order.insert(0, tail.text)
    if len(order) < 2:
        return ""
    text = f"ask {order[0]} to introduce you"
    if len(order) > 2:
        text += f" to {order[1]}" + "".join(f", who can introduce you to {n}" for n in order[2:])
    return text


def _ref_name(model: Model, contact: Contact) -> str:
    ref = contact.intro_via
    assert ref is not None
    return name_of(model, ref.target) if ref.target else ref.text
