"""The follow-ups as an iCalendar feed for a calendar app to subscribe to.

Each follow-up is an all-day event on its due date, not a to-do: several
calendar apps ignore VTODO in a subscribed feed. Each event has a reminder at
09:00 that day.

UIDs are stable across builds, so a subscribed calendar moves an event when a
follow-up's due date moves instead of adding a second one. A UID is a hash of
what identifies the follow-up (see `_identity`), never of its due date or
line, which change while it stays the same follow-up.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from icalendar import Alarm, Calendar, Event, vText

from ..followups import KINDS, FollowUp, names_of
from ..model import Model
from ..records import record

if TYPE_CHECKING:  # build may come to import the exporters, to write followups.ics
    from ..build import Loaded

PRODID = "-//netvault//netvault//EN"
UID_DOMAIN = "netvault"
REMINDER = timedelta(hours=9)  # after the start of the all-day event: 09:00 on the day
# Kinds a note gives at most one follow-up of, so kind and note identify it.
ONE_PER_NOTE = frozenset({"thank-you", "explicit", "keep-in-touch", "new-connection"})


def export_ics(loaded: Loaded, followups: Sequence[FollowUp], today: date) -> bytes:
    """The follow-ups as an iCalendar feed of all-day events with a morning reminder."""
    return feed(loaded, followups, today).ics()


def feed(loaded: Loaded, followups: Sequence[FollowUp], today: date) -> Feed:
    """What the feed of these follow-ups holds, ready to be written by `Feed.ics`."""
    events = tuple((f, _summary(loaded.model, f)) for f in followups)
    return Feed(loaded.settings.title, today, events)


EventKey = tuple[FollowUp, str, str, datetime]  # an event: follow-up, summary, UID, stamp


@record
class Feed:
    """A calendar feed's content: quick to make and to compare, slower to write.

    The site compares feeds from build to build and writes one (`ics()`) only when
    it changed: icalendar takes a third of a millisecond an event.
    """

    title: str
    today: date
    events: tuple[tuple[FollowUp, str], ...]  # each follow-up, with its summary

    def ics(self, kept: dict[EventKey, bytes] | None = None) -> bytes:
        """The feed as iCalendar bytes.

        `kept`, if given, holds each event's text from the last writing, and is left
        holding this one's: a feed written again makes only the texts of the events
        that changed (an edit changes a few of thousands).
        """
        return _calendar(self, kept)


_END = b"END:VCALENDAR\r\n"


def _calendar(content: Feed, kept: dict[EventKey, bytes] | None = None) -> bytes:
    """The iCalendar text of a feed.

    An event's text does not depend on the events around it, so the calendar is
    its own lines with each event's text between them: what icalendar writes of
    the calendar with the events in it (tests check that it is).
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # icalendar 7.3 types NAME and X-WR-CALNAME as unknown and would write the
    # title unescaped (and fail on a newline); as vText it is escaped like any text.
    # Google Calendar reads only X-WR-CALNAME, RFC 7986 clients NAME.
    calendar.add("name", vText(content.title))
    calendar.add("x-wr-calname", vText(content.title))
    stamp = datetime.combine(content.today, time(0), tzinfo=UTC)
    followups = [f for f, _ in content.events]
    uids = followup_uids(followups)
    events = sorted(
        zip(content.events, uids, strict=True), key=lambda pair: _event_order(pair[0][0], pair[1])
    )
    found = [(followup, summary, uid, stamp) for (followup, summary), uid in events]
    before = {} if kept is None else kept
    texts = {event: before.get(event) or _event_ics(*event) for event in found}
    if kept is not None:
        kept.clear()
        kept.update(texts)
    return b"".join((calendar.to_ical().removesuffix(_END), *texts.values(), _END))


def _event_ics(followup: FollowUp, summary: str, uid: str, stamp: datetime) -> bytes:
    """One follow-up's event, as iCalendar text."""
    return _event(followup, summary, uid, stamp).to_ical()


def followup_uids(followups: Sequence[FollowUp]) -> list[str]:
    """A stable, unique UID for each follow-up, in the order given."""
    # Identity is `_identity`; follow-ups that share it (two identical task
    # lines) are told apart by their rank in line order.
    keys = [_identity(followup) for followup in followups]
    groups: dict[tuple[str, ...], list[int]] = {}
    for index, key in enumerate(keys):
        groups.setdefault(key, []).append(index)
    uids = [""] * len(followups)
    for key, members in groups.items():
        # Line order, not input or due order: a task moved to a later date keeps its UID.
        members.sort(key=lambda i: _line_order(followups[i]))
        for number, index in enumerate(members, start=1):
            parts = key if number == 1 else (*key, str(number))
            digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
            uids[index] = f"{followups[index].kind}-{digest}@{UID_DOMAIN}"
    return uids


def _identity(followup: FollowUp) -> tuple[str, ...]:
    """What stays the same for a follow-up from build to build."""
    # Kind and source note, and where one note gives several of a kind what
    # tells them apart: a task its words (the reason, written without the task's
    # dates, so a rescheduled task keeps its UID); a close-the-loop the referrer
    # and whom they referred (the evidence). Never the due date or line, which
    # move while it stays the same follow-up.
    kind, source = followup.kind, followup.source
    if kind in ONE_PER_NOTE:
        return (kind, source)
    if kind == "task":
        return (kind, source, followup.reason)
    if kind == "close-the-loop":
        return (kind, source, *followup.contacts, followup.evidence)
    # A kind added later: everything but the due date and line, which may move.
    return (kind, source, *followup.contacts, followup.reason, followup.evidence)


def _line_order(followup: FollowUp) -> tuple[int, date, str, tuple[str, ...], str]:
    """The order of follow-ups that share an identity: where they are in the note."""
    return (followup.line, followup.due, followup.reason, followup.contacts, followup.evidence)


def _event_order(followup: FollowUp, uid: str) -> tuple[date, int, str, int, str]:
    """The order of the events: by due date, as the dashboard lists them."""
    kind = KINDS.index(followup.kind) if followup.kind in KINDS else len(KINDS)
    return (followup.due, kind, followup.source, followup.line, uid)


def _event(followup: FollowUp, summary: str, uid: str, stamp: datetime) -> Event:
    """One follow-up as an all-day event with a reminder."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", followup.due)
    event.add("dtend", followup.due + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", _description(followup))
    event.add("categories", [followup.kind])
    # A reminder to do something should not mark the day busy.
    event.add("transp", "TRANSPARENT")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)  # a DISPLAY alarm must have one (RFC 5545 §3.6.6)
    alarm.add("trigger", REMINDER)
    event.add_component(alarm)
    return event


def _summary(model: Model, followup: FollowUp) -> str:
    """What to do, with whom: "Thank-you: Ada Lovelace", a task's words, an explicit reason."""
    names = names_of(model, followup.contacts)
    if followup.kind == "task":
        return f"{followup.reason} ({names})" if names else followup.reason
    # An explicit follow-up's reason is already what to do and with whom, plus its note.
    if followup.kind == "explicit" or not names:
        return followup.reason
    return f"{_label(followup.kind)}: {names}"


def _description(followup: FollowUp) -> str:
    """The reason, the evidence and the note it comes from, one to a line."""
    lines = [followup.reason]
    if followup.evidence:
        where = f" ({followup.evidence_path})" if followup.evidence_path else ""
        lines.append(f"Evidence: {followup.evidence}{where}")
    lines.append(f"Note: {followup.source}:{followup.line}")
    return "\n".join(lines)


def _label(kind: str) -> str:
    """The dashboard's word for a kind, capitalised: "Keep in touch"."""
    # Imported here: the site may come to import this module to write followups.ics.
    from ..site import KIND_LABELS

    label = KIND_LABELS.get(kind, kind)
    return label[:1].upper() + label[1:]
