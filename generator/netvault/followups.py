"""The follow-up rules of DESIGN §4: (model, today, settings) → follow-ups.

Every rule is a small pure function of the same shape; `compute` chains them
and sorts the result. Nothing here reads the clock or touches the disk, and no
reason or evidence is worded relative to today, so a page that shows them
depends on today only through which follow-ups exist and their state.

Choices where DESIGN leaves room:

- "Later" always means dated after the note in question *and* on or before
  today: an interaction planned for next week closes nothing yet.
- R3 thank-you: an interaction's thank-you task (model.thanks_task) is that same
  thank-you. Ticked, it records the thank-you as sent (the model does so); open, the
  thank-you follow-up points at its line, and R2 leaves it to R3 wherever R3 covers the
  interaction (a thanking type, dated) or the thank-you is recorded. Its own date does
  not move the thank-you's due date, and past R3's look-back it is not asked for either.
- R4 keep in touch: when several of a contact's tags set a cadence, the shortest
  wins; a tag set to `none` only silences a contact when no other tag of theirs
  sets a cadence. A zero cadence counts as none. A snooze that has run out moves
  the due date to the snooze date when the cadence would have made it earlier,
  so waking from a snooze does not show weeks of "overdue".
- R5 close the loop: the interaction's own `referred_by` wins over the person's;
  a referrer who was at the meeting is already in the loop. The follow-up's
  source is the interaction (what happened), at its `referred_by` line, or its
  `with` line when the referral comes from the contact note, which is then the
  evidence path.
- R6 new connection: a `last_contact` on or after `met` counts as contact since,
  like an interaction; `circle: follow` contacts are not nagged here either.
- `snooze_until:` on any note holds back every follow-up that note is the source
  of, as R4 does a contact's keep in touch (`held`): a task or `follow_up:` of a
  meeting can be put off as a person can, and each stays the business of its note.
- R8 reply: a message they sent (`direction: in`) with nothing from you since is
  due a reply `reply_after_days` after the first message not answered; its source is
  the last one, at its `direction` line, where `replied: true` marks it answered.
  `replies` says which conversations wait on whom.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from itertools import compress
from pathlib import PurePosixPath
from typing import TypeVar

from . import replies
from .config import Settings
from .dates import days_label
from .model import Contact, Interaction, Model
from .records import record, values_but

T = TypeVar("T")

KINDS = (
    "thank-you",
    "reply",
    "close-the-loop",
    "explicit",
    "task",
    "new-role",
    "new-connection",
    "keep-in-touch",
)
KIND_RANK = {kind: rank for rank, kind in enumerate(KINDS)}  # a kind's place in KINDS
_NEVER_NAG_CIRCLE = "follow"
# The state of a follow-up overdue by more than `overdue_lookback_days`: listed on the
# pages of every follow-up, only counted on Today (a task of 2018 is not today's work).
LONG_OVERDUE = "long-overdue"


@record
class FollowUp:
    """Something to do for one or more contacts, by a date, and why."""

    kind: str  # one of KINDS
    contacts: tuple[str, ...]  # contact note paths
    due: date
    reason: str  # plain words, never relative to today
    source: str  # the note that sets it
    line: int  # the line in `source`
    evidence: str = ""  # what it is based on, in words
    evidence_path: str | None = None  # the note the evidence is, for linking

    def state(self, today: date, soon_days: int, lookback_days: int | None = None) -> str:
        """overdue, today, soon (due within `soon_days` after today) or later; with
        `lookback_days`, long-overdue for one overdue by more than that many days.
        """
        return state_of(self.due, today, soon_days, lookback_days)

    def days_overdue(self, today: date) -> int:
        """Days since it was due; negative while it is not due yet."""
        return (today - self.due).days


# Long overdue last: the backlog, after what can still be done in time.
STATES = ("overdue", "today", "soon", "later", LONG_OVERDUE)


def state_of(due: date, today: date, soon_days: int, lookback_days: int | None = None) -> str:
    """The state of what is due on `due`: overdue, today, soon (within `soon_days`) or
    later; with `lookback_days`, long-overdue when overdue by more than that many days.
    """
    if due < today:
        if lookback_days is not None and (today - due).days > lookback_days:
            return LONG_OVERDUE
        return "overdue"
    if due == today:
        return "today"
    if due <= today + timedelta(days=soon_days):
        return "soon"
    return "later"


Rule = Callable[[Model, date, Settings], Iterable[FollowUp]]


def listed_since(today: date, settings: Settings) -> date:
    """The earliest due date of a follow-up overdue but not long overdue (`LONG_OVERDUE`)."""
    return today - timedelta(days=settings.overdue_lookback_days)


# ---------------------------------------------------------------------------
# Shared helpers


def last_touch(model: Model, contact_path: str, today: date) -> tuple[date, str | None] | None:
    """The latest of the contact's touches on or before today and its `last_contact` field.

    Returns (date, path of the touching note), with None for the path when the
    `last_contact` field is the latest; None when there is neither. On one date
    a touch wins over the field, and an interaction over a daily note.
    """
    best: tuple[date, str | None] | None = None
    best_key: tuple[date, int, str] | None = None
    for touch in model.touches.get(contact_path, ()):
        if touch.date <= today:
            key = (touch.date, 2 if touch.is_interaction else 1, touch.path)
            if best_key is None or key > best_key:
                best, best_key = (touch.date, touch.path), key
    contact = model.contacts.get(contact_path)
    field = contact.last_contact if contact else None
    if field is not None and field <= today and (best is None or field > best[0]):
        best = (field, None)
    return best


@record
class Moved:
    """The follow-ups one list has and another has not, each way: by identity."""

    added: tuple[FollowUp, ...]  # in the new list, in its order
    removed: tuple[FollowUp, ...]  # in the old list, in its order


def moved(old: Sequence[FollowUp], new: Sequence[FollowUp]) -> Moved:
    """What came and went between `old` and `new`, follow-ups told apart by identity.

    `update` keeps every follow-up it finds again as the very object it was, so
    this is what an update changed.
    """
    # Tens of thousands of follow-ups, looked at on every edit: set and filter in C.
    before, after = set(map(id, old)), set(map(id, new))
    came, went = after - before, before - after
    return Moved(
        tuple(compress(new, map(came.__contains__, map(id, new)))),
        tuple(compress(old, map(went.__contains__, map(id, old)))),
    )


def by_contact(followups: Iterable[FollowUp]) -> dict[str, tuple[FollowUp, ...]]:
    """Contact path → its follow-ups, in the given order; keys sorted."""
    found: dict[str, list[FollowUp]] = {}
    for followup in followups:
        for path in dict.fromkeys(followup.contacts):
            found.setdefault(path, []).append(followup)
    return {path: tuple(found[path]) for path in sorted(found)}


def name_of(model: Model, path: str) -> str:
    """The contact's name, else the note's title or file name."""
    contact = model.contacts.get(path)
    if contact is not None:
        return contact.name
    page = model.pages.get(path)
    return page.title if page is not None else PurePosixPath(path).stem


def names_of(model: Model, paths: Iterable[str]) -> str:
    """`Ada`, `Ada and Grace`, `Ada, Grace and Linus`: each person once."""
    names = [name_of(model, p) for p in dict.fromkeys(paths)]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _line(model: Model, path: str, *keys: str) -> int:
    """The line of the first of `keys` the note's front matter sets, else 1."""
    page = model.pages.get(path)
    if page is not None:
        for key in keys:
            line = page.line_of(key)
            if line is not None:
                return line
    return 1


def _contacts_of(model: Model, interaction: Interaction) -> tuple[str, ...]:
    """The interaction's `with` paths that are contacts, once each."""
    return tuple(p for p in dict.fromkeys(interaction.contacts) if p in model.contacts)


def _met_since(model: Model, contact_path: str, after: date, today: date) -> bool:
    """Whether an interaction with the contact is dated after `after` and by today."""
    return any(
        t.is_interaction and after < t.date <= today for t in model.touches.get(contact_path, ())
    )


def _touch_words(model: Model, when: date, path: str | None) -> str:
    if path is None:
        return f"last contact: {when.isoformat()} (last_contact)"
    return f"last touch: {name_of(model, path)} ({when.isoformat()})"


# ---------------------------------------------------------------------------
# The rules


def _among(entries: Mapping[str, T], only: Collection[str] | None) -> Iterable[T]:
    """The entries of the notes `only` names (all of them when None), in a fixed order."""
    if only is None:
        return entries.values()
    return [entries[path] for path in sorted(only) if path in entries]


def rule_explicit(
    model: Model, today: date, settings: Settings, only: Collection[str] | None = None
) -> Iterator[FollowUp]:
    """R1: `follow_up: DATE` on a contact, or on an interaction not followed by another."""
    for contact in _among(model.contacts, only):
        if contact.follow_up is None or contact.follow_up_done:
            continue
        note = contact.follow_up_note
        reason = f"Follow up with {contact.name}" + (f": {note}" if note else "")
        touched = last_touch(model, contact.path, today)
        yield FollowUp(
            "explicit",
            (contact.path,),
            contact.follow_up,
            reason,
            contact.path,
            _line(model, contact.path, "follow_up"),
            _touch_words(model, *touched) if touched else "",
            touched[1] if touched else None,
        )
    for interaction in _among(model.interactions, only):
        if interaction.follow_up is None:
            continue
        people = _contacts_of(model, interaction)
        since = interaction.date or date.min
        if any(_met_since(model, person, since, today) for person in people):
            continue
        after = f"after {interaction.title}"
        if interaction.date is not None:
            after += f" on {interaction.date.isoformat()}"
        reason = (
            f"Follow up with {names_of(model, people)} {after}" if people else f"Follow up {after}"
        )
        yield FollowUp(
            "explicit",
            people,
            interaction.follow_up,
            reason,
            interaction.path,
            _line(model, interaction.path, "follow_up"),
        )


def _thanks_ruled(interaction: Interaction, settings: Settings) -> bool:
    """Whether the interaction's thank-you is settled or the thank-you rule asks for it:
    then its thank-you tasks are that one thank-you, not tasks of their own.
    """
    return interaction.thank_you or (
        interaction.type in settings.thank_you_days and interaction.date is not None
    )


def rule_tasks(
    model: Model, today: date, settings: Settings, only: Collection[str] | None = None
) -> Iterator[FollowUp]:
    """R2: every unchecked task line with a date; its contacts are its note's contacts.

    An interaction's thank-you task is left to R3 when that rule covers the interaction.
    """
    for page in _among(model.pages, only):
        interaction = model.interactions.get(page.path)
        thanks: tuple[int, ...] = ()
        if interaction is not None and _thanks_ruled(interaction, settings):
            thanks = interaction.thank_you_tasks
        for task in page.tasks:
            due = task.when
            if task.done or due is None or task.line in thanks:
                continue
            if page.path in model.contacts:
                people: tuple[str, ...] = (page.path,)
            elif interaction is not None:
                people = _contacts_of(model, interaction)
            else:
                linked = (model.resolve(name) for name in task.links)
                people = tuple(dict.fromkeys(p for p in linked if p in model.contacts))
            yield FollowUp("task", people, due, task.plain, page.path, task.line)


def rule_thank_you(
    model: Model, today: date, settings: Settings, only: Collection[str] | None = None
) -> Iterator[FollowUp]:
    """R3: a recent interaction of a thanking type with no thank-you recorded.

    Where its note has a thank-you task, the follow-up is at that task's line, the
    one to tick once it is sent.
    """
    lookback = timedelta(days=settings.thank_you_lookback_days)
    for interaction in _among(model.interactions, only):
        when = interaction.date
        days = settings.thank_you_days.get(interaction.type)
        if days is None or interaction.thank_you or when is None:
            continue
        if not today - lookback <= when <= today:
            continue
        people = _contacts_of(model, interaction)
        what = interaction.type.replace("-", " ").replace("_", " ")
        if people:
            reason = f"Thank {names_of(model, people)} for the {what} on {when.isoformat()}"
        else:
            reason = f"Send a thank-you for {interaction.title} on {when.isoformat()}"
        line, evidence = _line(model, interaction.path, "thank_you", "date"), ""
        if interaction.thank_you_tasks:
            line = interaction.thank_you_tasks[0]
            evidence = f"tick “{_task_words(model, interaction.path, line)}” once sent"
        yield FollowUp(
            "thank-you",
            people,
            when + timedelta(days=days),
            reason,
            interaction.path,
            line,
            evidence,
        )


def _task_words(model: Model, path: str, line: int) -> str:
    """The words of the task on `line` of the note at `path`."""
    page = model.pages.get(path)
    return next((t.plain for t in page.tasks if t.line == line), "") if page else ""


def _cadence(contact: Contact, settings: Settings) -> tuple[timedelta | None, str]:
    """The contact's keep-in-touch cadence and the front-matter key it comes from."""
    if contact.cadence_given:
        return contact.cadence, "cadence"
    by_tag = [settings.tag_cadence[t] for t in contact.tags if t in settings.tag_cadence]
    if by_tag:
        given = [c for c in by_tag if c is not None]
        return (min(given) if given else None), "tags"
    if contact.circle in settings.circle_cadence:
        return settings.circle_cadence[contact.circle], "circle"
    return settings.default_cadence, ""


def rule_keep_in_touch(
    model: Model, today: date, settings: Settings, only: Collection[str] | None = None
) -> Iterator[FollowUp]:
    """R4: due a cadence after the last touch (or `met`), unless snoozed or never nagged."""
    for contact in _among(model.contacts, only):
        if contact.circle == _NEVER_NAG_CIRCLE:
            continue
        cadence, key = _cadence(contact, settings)
        if cadence is None or cadence <= timedelta(0):
            continue
        if _imported_untouched(model, contact, settings):
            continue
        if contact.snooze_until is not None and contact.snooze_until > today:
            continue
        touched = last_touch(model, contact.path, today)
        if touched is not None:
            base, evidence_path = touched
            evidence = _touch_words(model, base, evidence_path)
        elif contact.met is not None:
            base, evidence_path = contact.met, None
            evidence = f"no touch logged; met {base.isoformat()}"
        else:
            continue
        due = base + cadence
        if contact.snooze_until is not None:
            due = max(due, contact.snooze_until)
        yield FollowUp(
            "keep-in-touch",
            (contact.path,),
            due,
            f"Keep in touch with {contact.name} every {days_label(cadence.days)}",
            contact.path,
            _line(model, contact.path, key) if key else 1,
            evidence,
            evidence_path,
        )


def _introductions(model: Model, wanted: Collection[str]) -> dict[str, tuple[date, str, str]]:
    """Who pointed you to whom, as meetings' `referrals:` say: each contact of `wanted`
    named there → (when, the person you met then, that meeting), the first such meeting.
    """
    found: dict[str, tuple[date, str, str]] = {}
    contacts, interactions = model.contacts, model.interactions
    # A meeting whose `referrals:` names someone links to them: only the notes that
    # link to the people wanted are looked at, not every meeting of the vault.
    for target in wanted:
        first: tuple[date, str, str] | None = None
        for path in model.backlinks.get(target, ()):
            interaction = interactions.get(path)
            if interaction is None or interaction.date is None:
                continue
            if first is not None and (interaction.date, path) >= (first[0], first[2]):
                continue
            if not any(ref.target == target for ref in interaction.referrals):
                continue
            people = [ref.target for ref in interaction.with_ if ref.target in contacts]
            if people and target not in people:
                first = (interaction.date, people[0], path)
        if first is not None:
            found[target] = first
    return found


def rule_close_the_loop(model: Model, today: date, settings: Settings) -> Iterator[FollowUp]:
    """R5: after meeting someone referred to you, tell the referrer how it went."""
    recent = model.dated(today - timedelta(days=settings.loop_lookback_days), today)
    # Only the people met lately can start a loop: who introduced them, if anyone.
    introduced = _introductions(
        model, {path for interaction in recent for path in _contacts_of(model, interaction)}
    )
    # (referrer, person) → the latest interaction's date and path, and the note
    # the referral is written in (that interaction, or the person's contact note).
    latest: dict[tuple[str, str], tuple[date, str, str]] = {}
    for interaction in recent:
        when = interaction.date
        people = _contacts_of(model, interaction)
        own = interaction.referred_by.target if interaction.referred_by else None
        for person in people:
            if own in model.contacts:
                referrer, written_in = own, interaction.path
            else:
                ref = model.contacts[person].referred_by
                referrer, written_in = (ref.target if ref else None), person
                told = introduced.get(person)
                if ref is None and told is not None and told[0] <= when:
                    # Named in the `referrals:` of a meeting before: that is who referred them.
                    referrer, written_in = told[1], told[2]
            if referrer not in model.contacts or referrer in people:
                continue
            found = (when, interaction.path, written_in)
            latest[(referrer, person)] = max(latest.get((referrer, person), found), found)
    for (referrer, person), (when, path, written_in) in latest.items():
        if _met_since(model, referrer, when, today):
            continue
        from_interaction = written_in == path
        reason = (
            f"Tell {name_of(model, referrer)}, who referred you, how it went with "
            f"{name_of(model, person)} on {when.isoformat()}"
        )
        yield FollowUp(
            "close-the-loop",
            (referrer,),
            when + timedelta(days=settings.loop_after_days),
            reason,
            path,
            _line(model, path, "referred_by" if from_interaction else "with"),
            f"{name_of(model, person)} was referred by {name_of(model, referrer)}",
            None if from_interaction else written_in,
        )


def rule_reply(model: Model, today: date, settings: Settings) -> Iterator[FollowUp]:
    """R8: a message they sent that nothing answered since (`replies`): reply to it."""
    for found in replies.waiting(model, today, settings):
        if found.side != "you":
            continue
        wrote = model.interactions[found.path].date
        assert wrote is not None
        name = name_of(model, found.contact)
        many = f"{found.messages} messages since {found.since.isoformat()}"
        yield FollowUp(
            "reply",
            (found.contact,),
            found.since + timedelta(days=settings.reply_after_days),
            f"Reply to {name}, who wrote on {wrote.isoformat()}",
            found.path,
            _line(model, found.path, "direction"),
            f"“{found.lead}”" + (f" ({many})" if found.messages > 1 else "")
            if found.lead
            else (many if found.messages > 1 else ""),
        )


def rule_new_connection(model: Model, today: date, settings: Settings) -> Iterator[FollowUp]:
    """R6: someone met recently with no interaction since."""
    oldest = today - timedelta(days=settings.new_connection_lookback_days)
    for contact in model.contacts.values():
        met = contact.met
        if met is None or not oldest <= met <= today or contact.circle == _NEVER_NAG_CIRCLE:
            continue
        if contact.last_contact is not None and met <= contact.last_contact <= today:
            continue
        # An interaction on the day you met counts: it is the meeting, logged.
        if _met_since(model, contact.path, met - timedelta(days=1), today):
            continue
        evidence = f"how met: {contact.how_met}" if contact.how_met else ""
        yield FollowUp(
            "new-connection",
            (contact.path,),
            met + timedelta(days=settings.new_connection_after_days),
            f"Follow up after meeting {contact.name} on {met.isoformat()}",
            contact.path,
            _line(model, contact.path, "met"),
            evidence,
        )


def _imported_untouched(model: Model, contact: Contact, settings: Settings) -> bool:
    """Whether an imported contact has had no interaction yet, and so is not nagged about.

    An import of 3,000 connections is a list of people you might talk to, not 3,000
    friendships to keep up; a first interaction (or the setting) changes that.
    """
    return (
        bool(contact.source)
        and not settings.import_keep_in_touch
        and contact.last_contact is None
        and not any(t.is_interaction for t in model.touches.get(contact.path, ()))
    )


def rule_new_role(model: Model, today: date, settings: Settings) -> Iterator[FollowUp]:
    """R7: someone an import saw change jobs, to congratulate, unless you have met since."""
    oldest = today - timedelta(days=settings.new_role_lookback_days)
    for contact in model.contacts.values():
        if not contact.previous or contact.circle == _NEVER_NAG_CIRCLE:
            continue
        moved = contact.previous[-1].until
        if moved is None or not oldest <= moved <= today:
            continue
        if _met_since(model, contact.path, moved - timedelta(days=1), today):
            continue
        now = " at ".join(x for x in (contact.role, contact.org.text if contact.org else "") if x)
        was = contact.previous[-1]
        before = ", ".join(x for x in (was.role, was.org) if x)
        yield FollowUp(
            "new-role",
            (contact.path,),
            moved,
            f"Congratulate {contact.name} on the new role" + (f": {now}" if now else ""),
            contact.path,
            _line(model, contact.path, "previous"),
            f"was {before}" if before else "",
        )


RULES: tuple[Rule, ...] = (
    rule_explicit,
    rule_tasks,
    rule_thank_you,
    rule_keep_in_touch,
    rule_close_the_loop,
    rule_new_connection,
    rule_new_role,
    rule_reply,
)


def _order(followup: FollowUp) -> tuple[date, int, str, int, tuple[str, ...], str]:
    kind = KIND_RANK[followup.kind]
    return (followup.due, kind, followup.source, followup.line, followup.contacts, followup.reason)


def in_order(followups: Iterable[FollowUp]) -> tuple[FollowUp, ...]:
    """`followups` sorted as `compute` sorts them (ties keep their order)."""
    return tuple(sorted(followups, key=_order))


def held(model: Model, today: date, followups: Iterable[FollowUp]) -> Iterator[FollowUp]:
    """`followups` but those whose source note is snoozed past today; one whose snooze
    has run out is due on its snooze date at the earliest, so waking from it is no backlog.
    """
    pages = model.pages
    for followup in followups:
        page = pages.get(followup.source)
        until = page.snooze_until if page is not None else None
        if until is None or until <= min(followup.due, today):
            yield followup
        elif until <= today:  # woke: not due before the snooze ended
            yield replace(followup, due=until)


def compute(model: Model, today: date, settings: Settings) -> tuple[FollowUp, ...]:
    """Every open follow-up, sorted by (due, KINDS index, source, line, contacts)."""
    found = (followup for rule in RULES for followup in rule(model, today, settings))
    return in_order(held(model, today, found))


# The rules whose follow-ups each come from one note, their `source`, and depend on
# nothing further than two links from it: its contacts, and who else met those.
PER_NOTE: tuple[Callable[..., Iterable[FollowUp]], ...] = (
    rule_explicit,
    rule_tasks,
    rule_thank_you,
    rule_keep_in_touch,
)
_PER_NOTE_KINDS = frozenset({"explicit", "task", "thank-you", "keep-in-touch"})


def update(
    previous: Sequence[FollowUp],
    model: Model,
    today: date,
    settings: Settings,
    notes: Collection[str],
    before: Model | None = None,
) -> tuple[tuple[FollowUp, ...], Moved]:
    """`compute`, from the follow-ups `previous` (as `compute` gave them, in its order) of
    the same day, settings and vault but `notes`; with what came and went (`moved`).

    `notes` must hold every note whose follow-ups may differ: those that changed, and
    the notes within two links of them, in the model before and after. The per-note
    rules look at those alone; the rest, which look across the network within a
    few weeks, are worked out again whole, unless `before`, the model `previous`
    came from, shows that the notes differ in nothing those rules read.
    """
    same = before is not None and all(
        _network_facts(before, path) == _network_facts(model, path) for path in notes
    )
    kept: list[FollowUp] = []
    redone: list[FollowUp] = []
    for followup in previous:  # one pass over tens of thousands
        if followup.kind in _PER_NOTE_KINDS:
            (redone if followup.source in notes else kept).append(followup)
        else:
            (kept if same else redone).append(followup)
    found = [f for rule in PER_NOTE for f in rule(model, today, settings, notes)]
    if not same:
        found += [f for rule in RULES if rule not in PER_NOTE for f in rule(model, today, settings)]
    found = list(held(model, today, found))
    # A follow-up found again is the very one of before: what is kept of the last
    # build (list rows, cache buckets) tells what changed by identity first.
    before = {f: f for f in redone}
    again = [before.get(f, f) for f in found]
    # `kept` and `redone` split `previous`: what came and went is among these two alone.
    was, now = {id(f) for f in redone}, {id(f) for f in again}
    moved = Moved(
        in_order(f for f in again if id(f) not in was),
        tuple(f for f in redone if id(f) not in now),
    )
    return _merged(kept, again), moved


# What the rules that look across the network (close the loop, new connection, new
# role, reply) never read of a note's record: a note that changed in these alone
# changes none of their follow-ups. Any field not named here counts.
_NETWORK_UNREAD = frozenset(
    {
        "cadence", "cadence_given", "follow_up", "follow_up_note", "follow_up_done",
        "birthday", "emails", "phones", "linkedin", "website",
    }
)  # fmt: skip
_FRONT_MATTER = frozenset({"note"})  # a page's field that holds its front matter's values


def _network_facts(model: Model, path: str) -> tuple[object, ...]:
    """What the rules across the network may read of the note at `path`: its page but its
    front matter's values (the lines of its keys count, but those of `_NETWORK_UNREAD`),
    and its record but `_NETWORK_UNREAD`.
    """
    page = model.pages.get(path)
    if page is None:
        return ()
    lines = page.note.meta_lines
    return (
        values_but(page, _FRONT_MATTER),
        [(key, line) for key, line in lines.items() if key not in _NETWORK_UNREAD],
        values_but(model.entry(path), _NETWORK_UNREAD),
    )


# More follow-ups than one in this many of those in order are sorted in with them, not
# put in place one by one.
MERGE_RATIO = 16


def _merged(ordered: list[FollowUp], more: list[FollowUp]) -> tuple[FollowUp, ...]:
    """`in_order(ordered + more)`, for `ordered` in that order already.

    Sorting tens of thousands of follow-ups again makes a key of each: a few put in
    their place by bisection make a few dozen keys each.
    """
    if len(more) * MERGE_RATIO > len(ordered):
        return in_order(ordered + more)
    out: list[FollowUp] = []
    start = 0
    for followup in in_order(more):
        # After those level with it: a sort keeps the order of ties, `ordered` first.
        at = bisect.bisect_right(ordered, _order(followup), lo=start, key=_order)
        out += ordered[start:at]
        out.append(followup)
        start = at
    out += ordered[start:]
    return tuple(out)
