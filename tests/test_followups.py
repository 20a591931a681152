"""The follow-up rules of DESIGN §4, one table per rule, with every date boundary pinned.

Most tests build a tiny Model straight from the dataclasses (see `make_model`);
a few end-to-end cases parse literal notes through `parse_note` and `build_model`.
Dates are written as offsets from TODAY, so `ago(14)` reads as "14 days ago".
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from types import MappingProxyType

import pytest

from netvault import followups
from netvault.config import Settings, parse_settings
from netvault.followups import (
    KINDS,
    RULES,
    FollowUp,
    by_contact,
    compute,
    last_touch,
    rule_close_the_loop,
    rule_explicit,
    rule_keep_in_touch,
    rule_new_connection,
    rule_new_role,
    rule_reply,
    rule_tasks,
    rule_thank_you,
    update,
)
from netvault.markdown import parse_body
from netvault.model import (
    Contact,
    Interaction,
    Model,
    Page,
    PastRole,
    Ref,
    Touch,
    build_model,
    linked,
)
from netvault.tasks import Task
from netvault.text import fold
from netvault.vault import Note, parse_note

TODAY = date(2026, 11, 20)
SETTINGS = Settings()
EMPTY_BODY = parse_body("")


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def ahead(days: int) -> date:
    return TODAY + timedelta(days=days)


# ---------------------------------------------------------------------------
# Building tiny models by hand


def person(name: str, **fields) -> Contact:
    return Contact(path=f"contacts/{name}.md", name=name, **fields)


def ref(name: str, line: int = 4) -> Ref:
    return Ref(name, f"contacts/{name}.md", line)


def meeting(title: str, when: date | None, *people: str, **fields) -> Interaction:
    with_ = tuple(ref(p) for p in people)
    return Interaction(
        path=f"interactions/{title}.md", title=title, date=when, with_=with_, **fields
    )


@dataclasses.dataclass(frozen=True)
class Plain:
    """A note that is neither a contact nor an interaction: a daily note, a project page."""

    path: str
    date: date | None = None
    links: tuple[str, ...] = ()  # contact names linked from it


def make_model(
    *records: Contact | Interaction | Plain,
    lines: dict[str, dict[str, int]] | None = None,
    tasks: dict[str, tuple[Task, ...]] | None = None,
    settings: Settings = SETTINGS,
) -> Model:
    """A Model of a few records, with pages, names and touches as build_model fills them.

    `lines` gives, per note path, the front-matter keys it sets and their lines;
    `tasks` gives the task lines of a note.
    """
    lines = lines or {}
    tasks = tasks or {}
    contacts = {r.path: r for r in records if isinstance(r, Contact)}
    interactions = {r.path: r for r in records if isinstance(r, Interaction)}
    interactions = dict(
        sorted(interactions.items(), key=lambda kv: (kv[1].date or date.min, kv[0]))
    )
    pages: dict[str, Page] = {}
    names: dict[str, str] = {}
    for record in records:
        if isinstance(record, Contact):
            linked = (record.org, record.referred_by, record.intro_via)
            kind, title, when, refs = "contact", record.name, None, tuple(filter(None, linked))
        elif isinstance(record, Interaction):
            linked = (*record.with_, record.org, record.referred_by, *record.referrals)
            kind, title, when = "interaction", record.title, record.date
            refs = tuple(filter(None, linked))
        else:
            title = record.path.rsplit("/", 1)[-1].removesuffix(".md")
            kind, when, refs = "note", record.date, tuple(ref(n, 9) for n in record.links)
        keys = lines.get(record.path, {})
        note = Note(
            record.path,
            meta=MappingProxyType(dict.fromkeys(keys, "x")),
            meta_lines=MappingProxyType(keys),
        )
        pages[record.path] = Page(
            path=record.path,
            kind=kind,
            title=title,
            aliases=(),
            tags=(),
            date=when,
            refs=refs,
            tasks=tasks.get(record.path, ()),
            note=note,
            body=EMPTY_BODY,
        )
        names[fold(title)] = record.path
        names[fold(record.path.removesuffix(".md"))] = record.path
    # Touches, as model._touches makes them: interactions always, dated notes too.
    found: dict[str, set[Touch]] = {}
    for interaction in interactions.values():
        for path in interaction.contacts:
            if interaction.date is not None and path in contacts:
                found.setdefault(path, set()).add(Touch(interaction.date, interaction.path, True))
    if settings.dated_notes_are_touches:
        for page in pages.values():
            if page.kind in ("interaction", "contact") or page.date is None:
                continue
            for link in page.refs:
                if link.target in contacts:
                    found.setdefault(link.target, set()).add(Touch(page.date, page.path, False))
    touches = {p: tuple(sorted(t, key=lambda t: (t.date, t.path))) for p, t in found.items()}
    # Backlinks, as the model makes them: every note a note's links lead to.
    sources: dict[str, set[str]] = {}
    for page in pages.values():
        for link in page.refs:
            if link.target and link.target != page.path:
                sources.setdefault(link.target, set()).add(page.path)
    return Model(
        pages=MappingProxyType(pages),
        contacts=MappingProxyType(contacts),
        interactions=MappingProxyType(interactions),
        orgs=MappingProxyType({}),
        goals=MappingProxyType({}),
        backlinks=MappingProxyType({t: tuple(sorted(f)) for t, f in sorted(sources.items())}),
        touches=MappingProxyType(touches),
        names=MappingProxyType(names),
    )


def run(rule, model: Model, today: date = TODAY, settings: Settings = SETTINGS) -> list[FollowUp]:
    return sorted(rule(model, today, settings), key=lambda f: (f.due, f.source, f.contacts))


ADA = "contacts/Ada Lovelace.md"
GRACE = "contacts/Grace Hopper.md"
LINUS = "contacts/Linus Torvalds.md"


def build_from_notes(notes: dict[str, str], settings: Settings = SETTINGS) -> Model:
    return build_model([parse_note(path, text) for path, text in notes.items()], settings)


# ---------------------------------------------------------------------------
# FollowUp.state and days_overdue


@pytest.mark.parametrize(
    ("due", "soon_days", "state", "overdue"),
    [
        pytest.param(ago(1), 7, "overdue", 1, id="yesterday-overdue"),
        pytest.param(TODAY, 7, "today", 0, id="today"),
        pytest.param(ahead(1), 7, "soon", -1, id="tomorrow-soon"),
        pytest.param(ahead(7), 7, "soon", -7, id="last-day-of-soon-window"),
        pytest.param(ahead(8), 7, "later", -8, id="first-day-after-soon-window"),
        pytest.param(ahead(1), 0, "later", -1, id="no-soon-window"),
        pytest.param(ago(400), 7, "overdue", 400, id="long-overdue"),
    ],
)
def test_state_boundaries(due, soon_days, state, overdue):
    followup = FollowUp("task", (), due, "x", "a.md", 1)
    assert followup.state(TODAY, soon_days) == state
    assert followup.days_overdue(TODAY) == overdue


@pytest.mark.parametrize(
    ("due", "state"),
    [
        pytest.param(ago(60), "overdue", id="overdue-by-the-look-back-is-listed"),
        pytest.param(ago(61), "long-overdue", id="a-day-more-is-long-overdue"),
        pytest.param(ago(2870), "long-overdue", id="years-ago"),
        pytest.param(TODAY, "today", id="due-today"),
    ],
)
def test_overdue_by_more_than_the_look_back_is_long_overdue(due, state):
    settings, problems = parse_settings("[followups]\nlookback_days = 60\n")
    assert problems == [] and settings.overdue_lookback_days == 60
    followup = FollowUp("task", (), due, "x", "a.md", 1)
    assert followup.state(TODAY, 7, settings.overdue_lookback_days) == state
    assert followup.state(TODAY, 7) == ("today" if due == TODAY else "overdue")  # no look-back


def test_the_default_look_back_is_the_longest_of_the_rules_own():
    """No thank-you, loop or new connection the rules still make is long overdue by default."""
    own = (
        SETTINGS.thank_you_lookback_days,
        SETTINGS.loop_lookback_days,
        SETTINGS.new_connection_lookback_days,
        SETTINGS.new_role_lookback_days,
    )
    assert SETTINGS.overdue_lookback_days == max(own) == 60


# ---------------------------------------------------------------------------
# R1 explicit


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param(
            {"follow_up": ahead(3), "follow_up_note": "send the deck"},
            (ahead(3), "Follow up with Ada Lovelace: send the deck"),
            id="with-note",
        ),
        pytest.param(
            {"follow_up": ago(2)}, (ago(2), "Follow up with Ada Lovelace"), id="without-note"
        ),
        pytest.param({"follow_up": ago(2), "follow_up_done": True}, None, id="done"),
        pytest.param({}, None, id="no-date"),
    ],
)
def test_explicit_on_contact(fields, expected):
    model = make_model(person("Ada Lovelace", **fields), lines={ADA: {"follow_up": 7}})
    found = run(rule_explicit, model)
    if expected is None:
        assert found == []
        return
    (followup,) = found
    assert (followup.due, followup.reason) == expected
    assert (followup.kind, followup.contacts) == ("explicit", (ADA,))
    assert (followup.source, followup.line) == (ADA, 7)


def test_explicit_on_contact_names_the_last_touch():
    model = make_model(
        person("Ada Lovelace", follow_up=ahead(1)),
        meeting("Coffee with Ada", ago(5), "Ada Lovelace"),
    )
    (followup,) = run(rule_explicit, model)
    assert followup.evidence == "last touch: Coffee with Ada (2026-11-15)"
    assert followup.evidence_path == "interactions/Coffee with Ada.md"


@pytest.mark.parametrize(
    ("later", "fires"),
    [
        pytest.param(None, True, id="nothing-since"),
        pytest.param(("Ada Lovelace", ago(10)), True, id="same-day-is-not-later"),
        pytest.param(("Ada Lovelace", ago(9)), False, id="day-after-closes-it"),
        pytest.param(("Ada Lovelace", TODAY), False, id="today-closes-it"),
        pytest.param(("Ada Lovelace", ahead(1)), True, id="planned-meeting-does-not-close-it"),
        pytest.param(("Grace Hopper", ago(9)), False, id="any-of-its-contacts-closes-it"),
        pytest.param(("Linus Torvalds", ago(9)), True, id="someone-else-does-not"),
        pytest.param(("Ada Lovelace", ago(11)), True, id="earlier-meeting-does-not"),
    ],
)
def test_explicit_on_interaction(later, fires):
    records = [
        person("Ada Lovelace"),
        person("Grace Hopper"),
        person("Linus Torvalds"),
        meeting("Coffee", ago(10), "Ada Lovelace", "Grace Hopper", follow_up=ago(3)),
    ]
    if later:
        records.append(meeting("Later", later[1], later[0]))
    model = make_model(*records, lines={"interactions/Coffee.md": {"date": 2, "follow_up": 5}})
    found = run(rule_explicit, model)
    if not fires:
        assert found == []
        return
    (followup,) = found
    assert followup.due == ago(3)
    assert followup.contacts == (ADA, GRACE)
    assert (followup.source, followup.line) == ("interactions/Coffee.md", 5)
    assert (
        followup.reason == "Follow up with Ada Lovelace and Grace Hopper after Coffee on 2026-11-10"
    )


def test_explicit_on_interaction_without_contacts():
    model = make_model(meeting("Conference", ago(4), follow_up=TODAY))
    (followup,) = run(rule_explicit, model)
    assert followup.contacts == ()
    assert followup.reason == "Follow up after Conference on 2026-11-16"
    assert followup.line == 1


# ---------------------------------------------------------------------------
# R2 tasks


def task(text: str, line: int = 12, **fields) -> Task:
    return Task(line=line, text=text, done=fields.pop("done", False), **fields)


@pytest.mark.parametrize(
    ("path", "the_task", "contacts", "due"),
    [
        pytest.param(
            ADA, task("Send Ada the article", due=ahead(5)), (ADA,), ahead(5), id="contact-note"
        ),
        pytest.param(
            "interactions/Coffee.md",
            task("Send the deck", due=ago(1)),
            (ADA, GRACE),
            ago(1),
            id="interaction-note",
        ),
        pytest.param(
            "notes/Project.md",
            task("Ask [[Grace Hopper]] about COBOL", due=TODAY, links=("Grace Hopper",)),
            (GRACE,),
            TODAY,
            id="plain-note-linking-a-contact",
        ),
        pytest.param(
            "notes/Project.md",
            task("Read [[Project]] again", due=TODAY, links=("Project", "Nowhere")),
            (),
            TODAY,
            id="plain-note-linking-no-contact",
        ),
        pytest.param(
            "notes/Project.md",
            task("Book a room", scheduled=ahead(2), start=ahead(1)),
            (),
            ahead(2),
            id="scheduled-when-no-due",
        ),
        pytest.param(
            "notes/Project.md",
            task("Book a room", due=ahead(9), scheduled=ahead(2)),
            (),
            ahead(9),
            id="due-wins-over-scheduled",
        ),
        pytest.param(
            "notes/Project.md", task("Start", start=ago(3)), (), ago(3), id="start-when-alone"
        ),
        pytest.param("notes/Project.md", task("No date"), None, None, id="undated-is-no-follow-up"),
        pytest.param(
            ADA, task("Sent", due=ago(1), done=True), None, None, id="checked-is-no-follow-up"
        ),
    ],
)
def test_tasks(path, the_task, contacts, due):
    model = make_model(
        person("Ada Lovelace"),
        person("Grace Hopper"),
        meeting("Coffee", ago(10), "Ada Lovelace", "Grace Hopper"),
        Plain("notes/Project.md"),
        tasks={path: (the_task,)},
    )
    found = run(rule_tasks, model)
    if due is None:
        assert found == []
        return
    (followup,) = found
    assert followup == FollowUp("task", contacts, due, the_task.plain, path, 12)
    assert "[[" not in followup.reason


# ---------------------------------------------------------------------------
# R3 thank-you


@pytest.mark.parametrize(
    ("kind", "when", "fields", "due"),
    [
        pytest.param("coffee", TODAY, {}, ahead(1), id="coffee-today-due-tomorrow"),
        pytest.param("coffee", ago(1), {}, TODAY, id="coffee-yesterday-due-today"),
        pytest.param("interview", ago(1), {}, ahead(1), id="interview-two-days"),
        pytest.param("informational-interview", ago(3), {}, ago(2), id="informational"),
        pytest.param("coffee", ago(14), {}, ago(13), id="lookback-limit-still-owed"),
        pytest.param("coffee", ago(15), {}, None, id="one-past-lookback-forgotten"),
        pytest.param("coffee", ahead(1), {}, None, id="not-happened-yet"),
        pytest.param("coffee", ago(1), {"thank_you": True}, None, id="sent"),
        pytest.param("call", ago(1), {}, None, id="not-a-thanking-type"),
        pytest.param("", ago(1), {}, None, id="no-type"),
        pytest.param("coffee", None, {}, None, id="undated"),
    ],
)
def test_thank_you(kind, when, fields, due):
    model = make_model(
        person("Ada Lovelace"),
        meeting("Coffee with Ada", when, "Ada Lovelace", type=kind, **fields),
    )
    found = run(rule_thank_you, model)
    if due is None:
        assert found == []
        return
    (followup,) = found
    assert (followup.kind, followup.due, followup.contacts) == ("thank-you", due, (ADA,))
    words = kind.replace("-", " ")
    assert followup.reason == f"Thank Ada Lovelace for the {words} on {when.isoformat()}"


def test_thank_you_types_and_windows_are_settings():
    settings, problems = parse_settings("[thank_you]\ntypes = {call = 3}\nlookback_days = 2\n")
    assert problems == []
    model = make_model(person("Ada Lovelace"), meeting("Call", ago(2), "Ada Lovelace", type="call"))
    (followup,) = run(rule_thank_you, model, settings=settings)
    assert followup.due == ahead(1)
    model = make_model(person("Ada Lovelace"), meeting("Call", ago(3), "Ada Lovelace", type="call"))
    assert run(rule_thank_you, model, settings=settings) == []


@pytest.mark.parametrize(
    ("keys", "line"),
    [
        pytest.param({"date": 2, "thank_you": 6}, 6, id="thank-you-line"),
        pytest.param({"date": 2}, 2, id="date-line"),
        pytest.param({}, 1, id="first-line"),
    ],
)
def test_thank_you_line(keys, line):
    model = make_model(
        person("Ada Lovelace"),
        meeting("Coffee", ago(1), "Ada Lovelace", type="coffee"),
        lines={"interactions/Coffee.md": keys},
    )
    (followup,) = run(rule_thank_you, model)
    assert (followup.source, followup.line) == ("interactions/Coffee.md", line)


def test_thank_you_without_contacts():
    model = make_model(meeting("Meetup", ago(1), type="coffee"))
    (followup,) = run(rule_thank_you, model)
    assert followup.contacts == ()
    assert followup.reason == "Send a thank-you for Meetup on 2026-11-19"


def thank_you_vault(kind: str, thank_you: str, *tasks: str) -> dict[str, str]:
    """Ada, Jonah and yesterday's meeting with Ada: its task lines from line 7 on
    (without `thank_you:`), and no `date:` line (the file name has the date).
    """
    front = f"type: {kind}\nwith: ['[[Ada Lovelace]]']\n" + (
        f"thank_you: {thank_you}\n" if thank_you else ""
    )
    return {
        "contacts/Ada Lovelace.md": "---\ncadence: none\n---\n",
        "contacts/Jonah Park.md": "---\ncadence: none\n---\n",
        "interactions/2026-11-19 Coffee.md": f"---\n{front}---\n## Next\n\n"
        + "".join(f"{task} 📅 2026-11-21\n" for task in tasks),
    }


JONAH = "contacts/Jonah Park.md"
COFFEE_NOTE = "interactions/2026-11-19 Coffee.md"


@pytest.mark.parametrize(
    ("kind", "thank_you", "tasks", "found", "sent"),
    [
        pytest.param(
            "coffee",
            "",
            ("- [ ] Send Ada a thank-you note",),
            [("thank-you", (ADA,), 7, "tick “Send Ada a thank-you note” once sent")],
            False,
            id="the-task-is-the-thank-you-at-its-line",
        ),
        pytest.param(
            "coffee",
            "",
            ("- [ ] Ask about the book", "- [ ] Thanks to [[Ada Lovelace]], by card"),
            [
                ("thank-you", (ADA,), 8, "tick “Thanks to Ada Lovelace, by card” once sent"),
                ("task", (ADA,), 7, ""),
            ],
            False,
            id="only-the-thank-you-task-is-taken",
        ),
        pytest.param(
            "coffee", "", ("- [x] Send a THANK YOU email",), [], True, id="ticked-is-sent"
        ),
        pytest.param(
            "coffee",
            "",
            ("- [x] Thank Ada", "- [ ] Send the thankyou card"),
            [("thank-you", (ADA,), 8, "tick “Send the thankyou card” once sent")],
            False,
            id="sent-once-every-one-is-ticked",
        ),
        pytest.param(
            "coffee", "2026-11-19", ("- [ ] Thank Ada",), [], True, id="recorded-settles-the-task"
        ),
        pytest.param(
            "call",
            "",
            ("- [ ] Thank Ada for the call",),
            [("task", (ADA,), 7, "")],
            False,
            id="a-call-asks-for-none-so-the-task-stays",
        ),
        pytest.param(
            "call", "", ("- [x] Thank Ada for the call",), [], True, id="but-ticked-it-is-sent"
        ),
        pytest.param(
            "coffee",
            "",
            ("- [ ] Thank [[Jonah Park]] for the intro",),
            [("thank-you", (ADA,), 1, ""), ("task", (ADA,), 7, "")],
            False,
            id="thanking-someone-not-met-is-a-task",
        ),
        pytest.param(
            "coffee",
            "",
            ("- [ ] Be thankful", "- [ ] Send Ada the thanksgiving recipe"),
            [("thank-you", (ADA,), 1, ""), ("task", (ADA,), 7, ""), ("task", (ADA,), 8, "")],
            False,
            id="other-words-are-not-thanks",
        ),
    ],
)
def test_a_thank_you_task_is_the_thank_you(kind, thank_you, tasks, found, sent):
    model = build_from_notes(thank_you_vault(kind, thank_you, *tasks))
    assert model.interactions[COFFEE_NOTE].thank_you is sent
    got = [
        (f.kind, f.contacts, f.line, f.evidence)
        for f in compute(model, TODAY, SETTINGS)
        if f.source == COFFEE_NOTE
    ]
    assert sorted(got) == sorted(found)


def test_a_thank_you_task_is_not_asked_for_after_the_look_back():
    model = build_from_notes(thank_you_vault("coffee", "", "- [ ] Thank Ada"))
    later = date(2026, 12, 20)
    assert [f for f in compute(model, later, SETTINGS) if f.source == COFFEE_NOTE] == []


# ---------------------------------------------------------------------------
# R4 keep in touch: which cadence


def cadence_settings(**changes) -> Settings:
    return dataclasses.replace(SETTINGS, **changes)


DAYS = timedelta(days=1)
TAGGED = MappingProxyType({"mentor": 20 * DAYS, "alumni": 40 * DAYS, "family": None})


@pytest.mark.parametrize(
    ("fields", "settings", "cadence_days", "line"),
    [
        pytest.param(
            {"cadence": 10 * DAYS, "cadence_given": True, "circle": "inner", "tags": ("mentor",)},
            cadence_settings(tag_cadence=TAGGED),
            10,
            3,
            id="own-cadence-wins",
        ),
        pytest.param(
            {"cadence": None, "cadence_given": True, "circle": "inner"},
            SETTINGS,
            None,
            None,
            id="cadence-none-never",
        ),
        pytest.param(
            {"tags": ("alumni", "mentor"), "circle": "inner"},
            cadence_settings(tag_cadence=TAGGED),
            20,
            5,
            id="shortest-tag-wins-over-circle",
        ),
        pytest.param(
            {"tags": ("family", "alumni")},
            cadence_settings(tag_cadence=TAGGED),
            40,
            5,
            id="tag-none-yields-to-another-tag",
        ),
        pytest.param(
            {"tags": ("family",), "circle": "inner"},
            cadence_settings(tag_cadence=TAGGED),
            None,
            None,
            id="tag-none-alone-never",
        ),
        pytest.param({"circle": "inner"}, SETTINGS, 30, 4, id="circle-inner"),
        pytest.param({"circle": "casual"}, SETTINGS, 180, 4, id="circle-casual"),
        pytest.param(
            {"circle": "follow"},
            cadence_settings(default_cadence=45 * DAYS),
            None,
            None,
            id="circle-follow-never",
        ),
        pytest.param(
            {"circle": "follow", "cadence": 10 * DAYS, "cadence_given": True},
            SETTINGS,
            None,
            None,
            id="circle-follow-beats-own-cadence",
        ),
        pytest.param({"circle": "unknown"}, SETTINGS, None, None, id="no-default-no-nag"),
        pytest.param(
            {"circle": "unknown"},
            cadence_settings(default_cadence=45 * DAYS),
            45,
            1,
            id="default-cadence",
        ),
        pytest.param(
            {"cadence": timedelta(0), "cadence_given": True}, SETTINGS, None, None, id="zero"
        ),
    ],
)
def test_keep_in_touch_cadence(fields, settings, cadence_days, line):
    model = make_model(
        person("Ada Lovelace", **fields),
        meeting("Coffee with Ada", ago(100), "Ada Lovelace"),
        lines={ADA: {"name": 2, "cadence": 3, "circle": 4, "tags": 5}},
    )
    found = run(rule_keep_in_touch, model, settings=settings)
    if cadence_days is None:
        assert found == []
        return
    (followup,) = found
    assert followup.due == ago(100) + timedelta(days=cadence_days)
    assert followup.reason == f"Keep in touch with Ada Lovelace every {cadence_days} days"
    assert (followup.source, followup.line) == (ADA, line)
    assert followup.contacts == (ADA,)


# R4 keep in touch: from when


@pytest.mark.parametrize(
    ("extra", "fields", "due", "evidence", "evidence_path"),
    [
        pytest.param(
            [meeting("Coffee with Ada", ago(30), "Ada Lovelace")],
            {},
            TODAY,
            "last touch: Coffee with Ada (2026-10-21)",
            "interactions/Coffee with Ada.md",
            id="due-today-after-a-cadence",
        ),
        pytest.param(
            [meeting("Coffee with Ada", ago(31), "Ada Lovelace")],
            {},
            ago(1),
            "last touch: Coffee with Ada (2026-10-20)",
            "interactions/Coffee with Ada.md",
            id="one-day-overdue",
        ),
        pytest.param(
            [
                meeting("Coffee with Ada", ago(40), "Ada Lovelace"),
                Plain("daily/2026-11-10.md", ago(10), ("Ada Lovelace",)),
            ],
            {},
            ahead(20),
            "last touch: 2026-11-10 (2026-11-10)",
            "daily/2026-11-10.md",
            id="daily-note-is-a-touch",
        ),
        pytest.param(
            [
                meeting("Coffee with Ada", ago(40), "Ada Lovelace"),
                meeting("Dinner with Ada", ahead(5), "Ada Lovelace"),
            ],
            {},
            ago(10),
            "last touch: Coffee with Ada (2026-10-11)",
            "interactions/Coffee with Ada.md",
            id="planned-meeting-is-not-a-touch",
        ),
        pytest.param(
            [meeting("Coffee with Ada", ago(40), "Ada Lovelace")],
            {"last_contact": ago(5)},
            ahead(25),
            "last contact: 2026-11-15 (last_contact)",
            None,
            id="last-contact-field-when-later",
        ),
        pytest.param(
            [meeting("Coffee with Ada", ago(5), "Ada Lovelace")],
            {"last_contact": ago(40)},
            ahead(25),
            "last touch: Coffee with Ada (2026-11-15)",
            "interactions/Coffee with Ada.md",
            id="touch-when-later-than-field",
        ),
        pytest.param(
            [],
            {"met": ago(29)},
            ahead(1),
            "no touch logged; met 2026-10-22",
            None,
            id="met-when-never-touched",
        ),
        pytest.param([], {}, None, None, None, id="nothing-to-count-from"),
        pytest.param(
            [meeting("Coffee with Ada", ago(31), "Ada Lovelace")],
            {"snooze_until": TODAY},
            TODAY,
            "last touch: Coffee with Ada (2026-10-20)",
            "interactions/Coffee with Ada.md",
            id="snooze-ends-today-due-today",
        ),
        pytest.param(
            [meeting("Coffee with Ada", ago(31), "Ada Lovelace")],
            {"snooze_until": ahead(1)},
            None,
            None,
            None,
            id="snoozed-until-tomorrow",
        ),
        pytest.param(
            [meeting("Coffee with Ada", ago(20), "Ada Lovelace")],
            {"snooze_until": ago(3)},
            ahead(10),
            "last touch: Coffee with Ada (2026-10-31)",
            "interactions/Coffee with Ada.md",
            id="old-snooze-changes-nothing",
        ),
    ],
)
def test_keep_in_touch_base(extra, fields, due, evidence, evidence_path):
    model = make_model(person("Ada Lovelace", circle="inner", **fields), *extra)
    found = run(rule_keep_in_touch, model)
    if due is None:
        assert found == []
        return
    (followup,) = found
    assert followup.due == due
    assert (followup.evidence, followup.evidence_path) == (evidence, evidence_path)


def test_keep_in_touch_state_on_the_due_day():
    model = make_model(
        person("Ada Lovelace", circle="inner"), meeting("Coffee", ago(30), "Ada Lovelace")
    )
    (followup,) = run(rule_keep_in_touch, model)
    assert followup.state(TODAY, 7) == "today"
    (followup,) = run(rule_keep_in_touch, model, today=ahead(1))
    assert followup.state(ahead(1), 7) == "overdue"


# ---------------------------------------------------------------------------
# last_touch


@pytest.mark.parametrize(
    ("extra", "last_contact", "expected"),
    [
        pytest.param([], None, None, id="nothing"),
        pytest.param([], ago(3), (ago(3), None), id="field-only"),
        pytest.param([], TODAY, (TODAY, None), id="field-today-counts"),
        pytest.param([], ahead(3), None, id="field-in-the-future-ignored"),
        pytest.param(
            [meeting("A", ago(3), "Ada Lovelace")],
            ago(3),
            (ago(3), "interactions/A.md"),
            id="touch-wins-a-tie-with-the-field",
        ),
        pytest.param(
            [meeting("A", ago(3), "Ada Lovelace"), Plain("notes/x.md", ago(3), ("Ada Lovelace",))],
            None,
            (ago(3), "interactions/A.md"),
            id="interaction-wins-a-tie-with-a-daily-note",
        ),
        pytest.param(
            [meeting("A", ago(3), "Ada Lovelace"), meeting("B", TODAY, "Ada Lovelace")],
            None,
            (TODAY, "interactions/B.md"),
            id="today-counts",
        ),
        pytest.param(
            [meeting("A", ago(3), "Ada Lovelace"), meeting("B", ahead(1), "Ada Lovelace")],
            None,
            (ago(3), "interactions/A.md"),
            id="tomorrow-does-not",
        ),
    ],
)
def test_last_touch(extra, last_contact, expected):
    model = make_model(person("Ada Lovelace", last_contact=last_contact), *extra)
    assert last_touch(model, ADA, TODAY) == expected


def test_last_touch_of_an_unknown_path():
    assert last_touch(make_model(), "contacts/Nobody.md", TODAY) is None


# ---------------------------------------------------------------------------
# R5 close the loop


def loop_model(*extra, linus: dict | None = None, coffee: dict | None = None, when=None):
    when = ago(10) if when is None else when
    linus = {"referred_by": ref("Grace Hopper", 6)} if linus is None else linus
    return make_model(
        person("Grace Hopper"),
        person("Ada Lovelace"),
        person("Linus Torvalds", **linus),
        meeting("Coffee with Linus", when, "Linus Torvalds", **(coffee or {})),
        *extra,
        lines={"interactions/Coffee with Linus.md": {"date": 2, "with": 3, "referred_by": 4}},
    )


def test_close_the_loop_from_the_contact():
    (followup,) = run(rule_close_the_loop, loop_model())
    assert followup.kind == "close-the-loop"
    assert followup.contacts == (GRACE,)
    assert followup.due == ago(3)
    assert followup.reason == (
        "Tell Grace Hopper, who referred you, how it went with Linus Torvalds on 2026-11-10"
    )
    assert (followup.source, followup.line) == ("interactions/Coffee with Linus.md", 3)
    assert followup.evidence == "Linus Torvalds was referred by Grace Hopper"
    assert followup.evidence_path == LINUS


def test_close_the_loop_from_the_interaction_wins():
    model = loop_model(coffee={"referred_by": ref("Ada Lovelace")})
    (followup,) = run(rule_close_the_loop, model)
    assert followup.contacts == (ADA,)
    assert (followup.source, followup.line) == ("interactions/Coffee with Linus.md", 4)
    assert followup.evidence_path is None
    assert "Tell Ada Lovelace" in followup.reason


@pytest.mark.parametrize(
    ("when", "extra", "due"),
    [
        pytest.param(ago(60), [], ago(53), id="lookback-limit"),
        pytest.param(ago(61), [], None, id="one-past-lookback"),
        pytest.param(TODAY, [], ahead(7), id="met-today"),
        pytest.param(ahead(1), [], None, id="not-happened-yet"),
        pytest.param(
            ago(10), [meeting("Lunch", ago(10), "Grace Hopper")], ago(3), id="same-day-not-after"
        ),
        pytest.param(
            ago(10), [meeting("Lunch", ago(9), "Grace Hopper")], None, id="day-after-closes-it"
        ),
        pytest.param(
            ago(10), [meeting("Lunch", ahead(1), "Grace Hopper")], ago(3), id="planned-does-not"
        ),
        pytest.param(
            ago(10),
            [Plain("daily/x.md", ago(5), ("Grace Hopper",))],
            ago(3),
            id="a-daily-note-is-not-an-interaction",
        ),
        pytest.param(
            ago(10),
            [meeting("Again", ago(4), "Linus Torvalds")],
            ahead(3),
            id="only-the-latest-meeting-counts",
        ),
    ],
)
def test_close_the_loop_window_and_done(when, extra, due):
    found = run(rule_close_the_loop, loop_model(*extra, when=when))
    if due is None:
        assert found == []
        return
    (followup,) = found
    assert followup.due == due


def test_close_the_loop_from_the_referrals_of_an_earlier_meeting():
    """Grace named Linus in a meeting's `referrals:`: meeting Linus later is a loop to close
    with Grace, with no `referred_by` written by hand."""
    chat = meeting("Chat with Grace", ago(20), "Grace Hopper", referrals=(ref("Linus Torvalds"),))
    model = loop_model(chat, linus={})
    (followup,) = run(rule_close_the_loop, model)
    assert (followup.contacts, followup.due) == ((GRACE,), ago(3))
    assert followup.evidence == "Linus Torvalds was referred by Grace Hopper"
    assert followup.evidence_path == "interactions/Chat with Grace.md"
    assert (followup.source, followup.line) == ("interactions/Coffee with Linus.md", 3)
    # A referral named after the meeting, or in a meeting with nobody, refers nobody.
    later = meeting("Chat with Grace", ago(5), "Grace Hopper", referrals=(ref("Linus Torvalds"),))
    assert run(rule_close_the_loop, loop_model(later, linus={})) == []
    alone = meeting("Notes", ago(20), referrals=(ref("Linus Torvalds"),))
    assert run(rule_close_the_loop, loop_model(alone, linus={})) == []


@pytest.mark.parametrize(
    ("linus", "coffee"),
    [
        pytest.param({}, {}, id="not-referred"),
        pytest.param({"referred_by": ref("Linus Torvalds")}, {}, id="referred-by-themself"),
        pytest.param(
            {"referred_by": Ref("Acme", "orgs/Acme.md", 6)}, {}, id="referrer-not-a-contact"
        ),
        pytest.param({"referred_by": Ref("Nobody", None, 6)}, {}, id="unresolved-referrer"),
        pytest.param(
            {},
            {"referred_by": Ref("Acme", "orgs/Acme.md", 4)},
            id="interaction-referrer-not-a-contact",
        ),
    ],
)
def test_close_the_loop_needs_a_referrer(linus, coffee):
    assert run(rule_close_the_loop, loop_model(linus=linus, coffee=coffee)) == []


def test_close_the_loop_from_referrals_written_in_notes_names_the_first_meeting_to_name_them():
    """The same, from the notes themselves: of two meetings whose `referrals:` name Linus,
    the earlier is who referred him; one that names him but was with him is not.
    """
    meet = "---\ndate: {}\nwith: ['[[{}]]']\nreferrals: ['[[Linus Torvalds]]']\n---\n"
    model = build_from_notes(
        {
            "contacts/Grace Hopper.md": "",
            "contacts/Ada Lovelace.md": "",
            "contacts/Linus Torvalds.md": "",
            "interactions/With Linus.md": meet.format(ago(40), "Linus Torvalds"),
            "interactions/With Ada.md": meet.format(ago(20), "Ada Lovelace"),
            "interactions/With Grace.md": meet.format(ago(30), "Grace Hopper"),
            "interactions/Coffee.md": f"---\ndate: {ago(10)}\nwith: ['[[Linus Torvalds]]']\n---\n",
        }
    )
    (followup,) = run(rule_close_the_loop, model)
    assert followup.contacts == (GRACE,)
    assert followup.evidence_path == "interactions/With Grace.md"
    assert followup.source == "interactions/Coffee.md"


def test_close_the_loop_not_when_the_referrer_was_there():
    model = make_model(
        person("Grace Hopper"),
        person("Linus Torvalds", referred_by=ref("Grace Hopper")),
        meeting("Dinner", ago(10), "Linus Torvalds", "Grace Hopper"),
    )
    assert run(rule_close_the_loop, model) == []


def test_close_the_loop_one_per_referred_person():
    model = make_model(
        person("Grace Hopper"),
        person("Ada Lovelace", referred_by=ref("Grace Hopper")),
        person("Linus Torvalds", referred_by=ref("Grace Hopper")),
        meeting("Panel", ago(10), "Linus Torvalds", "Ada Lovelace"),
    )
    found = run(rule_close_the_loop, model)
    assert sorted(f.evidence_path for f in found) == [ADA, LINUS]
    assert {f.contacts for f in found} == {(GRACE,)}


# ---------------------------------------------------------------------------
# R6 new connection


@pytest.mark.parametrize(
    ("met", "fields", "extra", "due"),
    [
        pytest.param(TODAY, {}, [], ahead(7), id="met-today"),
        pytest.param(ago(7), {}, [], TODAY, id="due-today"),
        pytest.param(ago(30), {}, [], ago(23), id="lookback-limit"),
        pytest.param(ago(31), {}, [], None, id="one-past-lookback"),
        pytest.param(ahead(1), {}, [], None, id="met-in-the-future"),
        pytest.param(None, {}, [], None, id="no-met-date"),
        pytest.param(
            ago(10), {}, [meeting("Coffee", ago(10), "Ada Lovelace")], None, id="meeting-logged"
        ),
        pytest.param(
            ago(10), {}, [meeting("Coffee", ago(4), "Ada Lovelace")], None, id="met-again-since"
        ),
        pytest.param(
            ago(10), {}, [meeting("Coffee", ago(11), "Ada Lovelace")], ago(3), id="day-before-met"
        ),
        pytest.param(
            ago(10), {}, [meeting("Coffee", ahead(2), "Ada Lovelace")], ago(3), id="only-planned"
        ),
        pytest.param(
            ago(10),
            {},
            [Plain("daily/x.md", ago(5), ("Ada Lovelace",))],
            ago(3),
            id="daily-note-is-not-an-interaction",
        ),
        pytest.param(ago(10), {"last_contact": ago(10)}, [], None, id="last-contact-since"),
        pytest.param(ago(10), {"last_contact": ago(11)}, [], ago(3), id="last-contact-before"),
        pytest.param(ago(10), {"circle": "follow"}, [], None, id="circle-follow"),
    ],
)
def test_new_connection(met, fields, extra, due):
    model = make_model(
        person("Ada Lovelace", met=met, **fields), *extra, lines={ADA: {"name": 2, "met": 8}}
    )
    found = run(rule_new_connection, model)
    if due is None:
        assert found == []
        return
    (followup,) = found
    assert followup.due == due
    assert followup.contacts == (ADA,)
    assert followup.reason == f"Follow up after meeting Ada Lovelace on {met.isoformat()}"
    assert (followup.source, followup.line) == (ADA, 8)


def test_new_connection_windows_are_settings():
    settings = dataclasses.replace(
        SETTINGS, new_connection_after_days=3, new_connection_lookback_days=5
    )
    model = make_model(person("Ada Lovelace", met=ago(5), how_met="PyCon"))
    (followup,) = run(rule_new_connection, model, settings=settings)
    assert (followup.due, followup.evidence) == (ago(2), "how met: PyCon")
    model = make_model(person("Ada Lovelace", met=ago(6)))
    assert run(rule_new_connection, model, settings=settings) == []


# ---------------------------------------------------------------------------
# R7 new role (a job change an import found) and imported contacts


def moved(until: date | None, org: str = "Engines", role: str = "Analyst") -> tuple[PastRole, ...]:
    return (PastRole("Old Co", "Intern", ago(400)), PastRole(org, role, until))


@pytest.mark.parametrize(
    ("previous", "fields", "extra", "due"),
    [
        pytest.param(moved(TODAY), {}, [], TODAY, id="noticed-today"),
        pytest.param(moved(ago(30)), {}, [], ago(30), id="lookback-limit"),
        pytest.param(moved(ago(31)), {}, [], None, id="one-past-lookback"),
        pytest.param(moved(None), {}, [], None, id="no-date"),
        pytest.param((), {}, [], None, id="never-moved"),
        pytest.param(
            moved(ago(5)), {}, [meeting("Coffee", ago(2), "Ada Lovelace")], None, id="met-since"
        ),
        pytest.param(
            moved(ago(5)), {}, [meeting("Coffee", ago(9), "Ada Lovelace")], ago(5), id="met-before"
        ),
        pytest.param(moved(ago(5)), {"circle": "follow"}, [], None, id="circle-follow"),
    ],
)
def test_new_role(previous, fields, extra, due):
    model = make_model(
        person("Ada Lovelace", previous=previous, role="CTO", org=ref("Babbage"), **fields),
        *extra,
        lines={ADA: {"name": 2, "previous": 9}},
    )
    found = run(rule_new_role, model)
    if due is None:
        assert found == []
        return
    (followup,) = found
    assert (followup.kind, followup.due, followup.contacts) == ("new-role", due, (ADA,))
    assert followup.reason == "Congratulate Ada Lovelace on the new role: CTO at Babbage"
    assert (followup.evidence, followup.source, followup.line) == ("was Analyst, Engines", ADA, 9)


@pytest.mark.parametrize(
    ("fields", "extra", "keep", "nagged"),
    [
        pytest.param({}, [], False, True, id="typed-by-hand"),
        pytest.param({"source": "linkedin"}, [], False, False, id="imported-untouched"),
        pytest.param({"source": "linkedin"}, [], True, True, id="setting-on"),
        pytest.param(
            {"source": "linkedin"},
            [meeting("Coffee", ago(200), "Ada Lovelace")],
            False,
            True,
            id="imported-then-met",
        ),
        pytest.param(
            {"source": "vcard", "last_contact": ago(200)}, [], False, True, id="last-contact"
        ),
    ],
)
def test_imported_contacts_are_not_kept_in_touch_with_before_a_first_interaction(
    fields, extra, keep, nagged
):
    settings = dataclasses.replace(SETTINGS, import_keep_in_touch=keep)
    ada = person("Ada Lovelace", circle="inner", met=ago(400), **fields)
    found = run(rule_keep_in_touch, make_model(ada, *extra), settings=settings)
    assert bool(found) == nagged


# ---------------------------------------------------------------------------
# compute and by_contact


def busy_model() -> Model:
    return make_model(
        person("Ada Lovelace", circle="inner", follow_up=ahead(1), met=ago(20)),
        person("Grace Hopper", circle="follow", met=ago(3), follow_up=ahead(1)),
        person("Linus Torvalds", referred_by=ref("Grace Hopper"), cadence_given=True),
        meeting("Coffee", ago(30), "Ada Lovelace", type="coffee"),
        meeting("Interview", ago(1), "Linus Torvalds", "Ada Lovelace", type="interview"),
        Plain("notes/Plan.md", ago(2), ("Ada Lovelace",)),
        tasks={
            "notes/Plan.md": (task("Call [[Ada Lovelace]]", due=ahead(1), links=("Ada Lovelace",)),)
        },
    )


def test_compute_sorts_by_due_then_kind_then_place():
    found = compute(busy_model(), TODAY, SETTINGS)
    assert [(f.due, f.kind, f.source) for f in found] == [
        (ahead(1), "thank-you", "interactions/Interview.md"),
        (ahead(1), "explicit", ADA),
        (ahead(1), "explicit", GRACE),
        (ahead(1), "task", "notes/Plan.md"),
        (ahead(6), "close-the-loop", "interactions/Interview.md"),
        (ahead(29), "keep-in-touch", ADA),
    ]
    keys = [(f.due, KINDS.index(f.kind), f.source, f.line, f.contacts) for f in found]
    assert keys == sorted(keys)


def test_compute_is_every_rule_and_deterministic():
    model = busy_model()
    first = compute(model, TODAY, SETTINGS)
    assert compute(model, TODAY, SETTINGS) == first
    every = sorted(
        (f for rule in RULES for f in rule(model, TODAY, SETTINGS)), key=lambda f: repr(f)
    )
    assert sorted(first, key=lambda f: repr(f)) == every
    # The same notes listed in another order give the same follow-ups.
    shuffled = make_model(
        *reversed([*model.contacts.values(), *model.interactions.values()]),
        Plain("notes/Plan.md", ago(2), ("Ada Lovelace",)),
        tasks={"notes/Plan.md": model.pages["notes/Plan.md"].tasks},
    )
    assert compute(shuffled, TODAY, SETTINGS) == first


def test_circle_follow_and_cadence_none_never_nag():
    model = make_model(
        person("Grace Hopper", circle="follow", met=ago(3)),
        person("Linus Torvalds", cadence_given=True, circle="inner", last_contact=ago(400)),
        meeting("Old", ago(500), "Grace Hopper"),
    )
    settings = dataclasses.replace(SETTINGS, default_cadence=timedelta(days=7))
    for today in (TODAY, ahead(365)):
        assert compute(model, today, settings) == ()


def test_by_contact_lists_a_shared_follow_up_under_each():
    shared = FollowUp("thank-you", (ADA, GRACE), TODAY, "x", "a.md", 1)
    alone = FollowUp("task", (GRACE,), ahead(1), "y", "b.md", 2)
    nobody = FollowUp("task", (), ahead(1), "z", "c.md", 3)
    assert by_contact([shared, alone, nobody]) == {ADA: (shared,), GRACE: (shared, alone)}


def test_kinds_are_the_today_page_order():
    assert KINDS == (
        "thank-you",
        "reply",
        "close-the-loop",
        "explicit",
        "task",
        "new-role",
        "new-connection",
        "keep-in-touch",
    )


# ---------------------------------------------------------------------------
# End to end: literal notes through parse_note and build_model

VAULT = {
    "contacts/Ada Lovelace.md": """---
name: Ada Lovelace
circle: inner
follow_up: 2026-11-22
follow_up_note: send the deck
---
# Ada
""",
    "contacts/Grace Hopper.md": """---
circle: active
met: 2026-11-01
---
- [ ] Ask about COBOL 📅 2026-11-25
""",
    "contacts/Linus Torvalds.md": """---
referred_by: "[[Grace Hopper]]"
cadence: none
---
""",
    "interactions/2026-11-18 Interview with Linus.md": """---
type: interview
with: ["[[Linus Torvalds]]", "[[Ada Lovelace]]"]
---
Went well.
""",
    "daily/2026-11-19.md": """Lunch with [[Ada Lovelace]].
""",
}


def test_end_to_end_from_notes():
    model = build_from_notes(VAULT)
    found = compute(model, TODAY, SETTINGS)
    interview = "interactions/2026-11-18 Interview with Linus.md"
    got = [(f.kind, f.contacts, f.due, f.source, f.line) for f in found]
    assert got == [
        ("new-connection", (GRACE,), date(2026, 11, 8), GRACE, 3),
        ("thank-you", (LINUS, ADA), date(2026, 11, 20), interview, 1),
        ("explicit", (ADA,), date(2026, 11, 22), ADA, 4),
        ("close-the-loop", (GRACE,), date(2026, 11, 25), interview, 3),
        ("task", (GRACE,), date(2026, 11, 25), GRACE, 5),
        ("keep-in-touch", (ADA,), date(2026, 12, 19), ADA, 3),
        ("keep-in-touch", (GRACE,), date(2026, 12, 31), GRACE, 2),
    ]
    reasons = {f.kind: f.reason for f in found}
    assert reasons["thank-you"] == (
        "Thank Linus Torvalds and Ada Lovelace for the interview on 2026-11-18"
    )
    assert reasons["explicit"] == "Follow up with Ada Lovelace: send the deck"
    assert reasons["task"] == "Ask about COBOL"
    ada = next(f for f in found if f.kind == "keep-in-touch" and f.contacts == (ADA,))
    assert ada.evidence == "last touch: 2026-11-19 (2026-11-19)"
    assert ada.evidence_path == "daily/2026-11-19.md"
    assert [f.state(TODAY, 7) for f in found[:3]] == ["overdue", "today", "soon"]


def test_end_to_end_follow_up_done_and_later_interaction():
    vault = {
        "contacts/Ada Lovelace.md": "---\nfollow_up: 2026-11-22\nfollow_up_done: true\n---\n",
        "interactions/2026-11-01 Call.md": (
            "---\ntype: call\nwith: '[[Ada Lovelace]]'\nfollow_up: 2026-11-08\n---\n"
        ),
        "interactions/2026-11-02 Email.md": "---\ntype: email\nwith: '[[Ada Lovelace]]'\n---\n",
    }
    found = compute(build_from_notes(vault), TODAY, SETTINGS)
    assert found == ()
    # Without the later email, the call's follow-up is open, at its `follow_up` line.
    del vault["interactions/2026-11-02 Email.md"]
    (followup,) = compute(build_from_notes(vault), TODAY, SETTINGS)
    assert (followup.kind, followup.source, followup.line) == (
        "explicit",
        "interactions/2026-11-01 Call.md",
        4,
    )
    assert followup.reason == "Follow up with Ada Lovelace after Call on 2026-11-01"


# ---------------------------------------------------------------------------
# update: the follow-ups of a model a few notes away from the last one


def test_update_equals_compute_two_links_from_an_edit():
    """A meeting logged with Grace settles an older interaction's follow-up with her."""
    before_notes = {
        "contacts/Grace Hopper.md": "---\ncircle: inner\ncadence: 30d\n---\n",
        "notes/Plan.md": "- [ ] Call [[Grace]] 📅 2026-11-25\n",
        "interactions/2026-11-01 Call.md": (
            "---\nwith: '[[Grace Hopper]]'\nfollow_up: 2026-11-15\n---\n"
        ),
    }
    after_notes = {
        **before_notes,
        "interactions/2026-11-10 Coffee.md": "---\nwith: '[[Grace Hopper]]'\n---\n",
        # Grace takes the name the plan's task links to: the task is now hers.
        "contacts/Grace Hopper.md": "---\ncircle: inner\naliases: [Grace]\ncadence: 30d\n---\n",
    }
    before, after = build_from_notes(before_notes), build_from_notes(after_notes)
    previous = compute(before, TODAY, SETTINGS)
    changed = {"interactions/2026-11-10 Coffee.md", "contacts/Grace Hopper.md"}
    models = (before, after)
    near = linked(models, linked(models, changed))
    assert "interactions/2026-11-01 Call.md" in near  # via Grace, two links away
    updated, moved = update(previous, after, TODAY, SETTINGS, near)
    assert updated == compute(after, TODAY, SETTINGS)
    assert moved == followups.moved(previous, updated)
    kinds = {(f.kind, f.source) for f in updated}
    assert ("explicit", "interactions/2026-11-01 Call.md") not in kinds  # met her since
    assert ("explicit", "interactions/2026-11-01 Call.md") in {(f.kind, f.source) for f in previous}
    [task] = [f for f in updated if f.kind == "task"]
    assert task.contacts == (GRACE,)
    # Told too little, it keeps what it was given: the notes it is told of are the ones it reads.
    stale, _moved = update(previous, after, TODAY, SETTINGS, changed)
    assert ("explicit", "interactions/2026-11-01 Call.md") in {(f.kind, f.source) for f in stale}


@pytest.mark.parametrize(
    ("first", "last", "looked"),
    [
        pytest.param("", "cadence: 9d\n", False, id="a-cadence-is-not-read-across-the-network"),
        pytest.param("cadence: 9d\n", "", True, id="the-lines-it-moves-are"),
        pytest.param("", "circle: never\n", True, id="a-circle-is"),
    ],
)
def test_an_update_works_out_the_rules_across_the_network_again_if_they_may_differ(
    first, last, looked, monkeypatch
):
    """Close the loop, new connection, new role and reply read no cadence: an update of a
    contact's cadence keeps their follow-ups, given the model before; other edits do not.
    """
    from netvault import followups as rules

    met = ago(5)
    grace = "---\n{}met: {}\nreferred_by: '[[Ada Lovelace]]'\n{}---\n"
    before_notes = {
        "contacts/Ada Lovelace.md": "---\ncircle: inner\n---\n",
        "contacts/Grace Hopper.md": grace.format("", met, ""),
        "interactions/Coffee.md": f"---\ndate: {met}\nwith: '[[Grace Hopper]]'\n---\n",
    }
    after_notes = {**before_notes, "contacts/Grace Hopper.md": grace.format(first, met, last)}
    before, after = build_from_notes(before_notes), build_from_notes(after_notes)
    previous = compute(before, TODAY, SETTINGS)
    assert "close-the-loop" in {f.kind for f in previous}
    calls = []
    real = rules.rule_close_the_loop

    def close_the_loop(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(
        rules, "RULES", tuple(close_the_loop if r is real else r for r in rules.RULES)
    )
    models = (before, after)
    near = linked(models, linked(models, {"contacts/Grace Hopper.md"}))
    updated, _moved = update(previous, after, TODAY, SETTINGS, near, before)
    assert bool(calls) == looked
    assert updated == compute(after, TODAY, SETTINGS)


def test_an_update_of_many_follow_ups_puts_the_few_new_ones_in_their_place():
    """Forty contacts kept in touch with; one edit moves one of them: the update is what
    `compute` makes, in its order, and says which follow-ups came and went."""
    notes = {
        f"contacts/P{n:02d}.md": (
            f"---\ncadence: {7 + n % 5}d\nlast_contact: 2026-10-{1 + n % 28:02d}\n---\n"
        )
        for n in range(40)
    }
    before = build_from_notes(notes)
    previous = compute(before, TODAY, SETTINGS)
    assert len(previous) == 40
    notes["contacts/P07.md"] = "---\ncadence: 60d\nlast_contact: 2026-10-20\n---\n"
    after = build_from_notes(notes)
    changed = {"contacts/P07.md"}
    models = (before, after)
    updated, moved = update(previous, after, TODAY, SETTINGS, linked(models, changed))
    assert updated == compute(after, TODAY, SETTINGS)
    assert (
        [f.source for f in moved.added] == [f.source for f in moved.removed] == ["contacts/P07.md"]
    )
    assert updated.index(moved.added[0]) != previous.index(moved.removed[0])  # it moved


# ---------------------------------------------------------------------------
# snooze_until on any note


SNOOZED_MEETING = {
    "contacts/Ada Lovelace.md": "---\ncadence: none\n---\n",
    "interactions/2019-03-01 Call.md": (
        "---\nwith: '[[Ada Lovelace]]'\nfollow_up: 2019-03-15\nsnooze_until: {until}\n---\n"
        "- [ ] Send Ada the deck 📅 2019-03-10\n"
    ),
    "notes/Plan.md": "- [ ] Call [[Ada Lovelace]] 📅 2019-04-01\n",
}


def test_snooze_until_on_a_meeting_holds_back_its_task_and_follow_up_until_then():
    notes = {k: v.format(until=ahead(30)) for k, v in SNOOZED_MEETING.items()}
    found = compute(build_from_notes(notes), TODAY, SETTINGS)
    # The meeting's own task and follow-up wait; the plan's task, another note's, does not.
    assert [(f.kind, f.source, f.due) for f in found] == [
        ("task", "notes/Plan.md", date(2019, 4, 1))
    ]


def test_a_run_out_snooze_makes_a_notes_follow_ups_due_on_its_date_at_the_earliest():
    notes = {k: v.format(until=ago(3)) for k, v in SNOOZED_MEETING.items()}
    found = compute(build_from_notes(notes), TODAY, SETTINGS)
    woke = {(f.kind, f.due) for f in found if f.source == "interactions/2019-03-01 Call.md"}
    assert woke == {("task", ago(3)), ("explicit", ago(3))}
    notes["interactions/2019-03-01 Call.md"] = notes["interactions/2019-03-01 Call.md"].replace(
        str(ago(3)), "2019-03-12"
    )
    found = compute(build_from_notes(notes), TODAY, SETTINGS)
    moved = {(f.kind, f.due) for f in found if f.source == "interactions/2019-03-01 Call.md"}
    assert moved == {("task", date(2019, 3, 12)), ("explicit", date(2019, 3, 15))}


def test_an_update_of_a_note_snoozed_equals_compute():
    before_notes = {k: v.format(until=ago(400)) for k, v in SNOOZED_MEETING.items()}
    after_notes = {k: v.format(until=ahead(30)) for k, v in SNOOZED_MEETING.items()}
    before, after = build_from_notes(before_notes), build_from_notes(after_notes)
    previous = compute(before, TODAY, SETTINGS)
    changed = {"interactions/2019-03-01 Call.md"}
    near = linked((before, after), linked((before, after), changed))
    updated, moved = update(previous, after, TODAY, SETTINGS, near)
    assert updated == compute(after, TODAY, SETTINGS)
    assert {f.kind for f in moved.removed} == {"task", "explicit"} and moved.added == ()


# ---------------------------------------------------------------------------
# R8 reply


def message(title: str, when: date, direction: str, *people: str, **fields) -> Interaction:
    return meeting(title, when, *people, direction=direction, **fields)


def reply_model(*records: Interaction) -> Model:
    lines = {r.path: {"date": 2, "with": 3, "direction": 5} for r in records}
    return make_model(person("Ada Lovelace"), person("Grace Hopper"), *records, lines=lines)


@pytest.mark.parametrize(
    ("records", "due"),
    [
        pytest.param([message("Ada wrote", ago(5), "in", "Ada Lovelace")], ago(3), id="owed"),
        pytest.param([message("Ada wrote", TODAY, "in", "Ada Lovelace")], ahead(2), id="today"),
        pytest.param([message("I wrote", ago(5), "out", "Ada Lovelace")], None, id="you-wait"),
        pytest.param(
            [
                message("Ada wrote", ago(5), "in", "Ada Lovelace"),
                message("I answered", ago(4), "out", "Ada Lovelace"),
            ],
            None,
            id="answered",
        ),
        pytest.param(
            [
                message("Ada wrote", ago(5), "in", "Ada Lovelace"),
                meeting("Coffee", ago(2), "Ada Lovelace"),
            ],
            None,
            id="met-since",
        ),
        pytest.param(
            [
                message("Ada wrote", ago(5), "in", "Ada Lovelace"),
                message("I answered", ago(5), "out", "Ada Lovelace"),
            ],
            None,
            id="both-ways-the-same-day",
        ),
        pytest.param(
            [message("Ada wrote", ago(5), "in", "Ada Lovelace", replied=True)],
            None,
            id="marked-replied",
        ),
        pytest.param(
            [
                message("Ada wrote", ago(5), "in", "Ada Lovelace"),
                message("I answered", ahead(1), "out", "Ada Lovelace"),
            ],
            ago(3),
            id="planned-answer-does-not",
        ),
        pytest.param(
            [
                message("I wrote", ago(9), "out", "Ada Lovelace"),
                message("Ada wrote", ago(6), "in", "Ada Lovelace"),
                message("Ada again", ago(1), "in", "Ada Lovelace"),
            ],
            ago(4),
            id="from-the-first-not-answered",
        ),
        pytest.param(
            [message("Ada wrote", ago(30), "in", "Ada Lovelace")], ago(28), id="lookback-limit"
        ),
        pytest.param(
            [message("Ada wrote", ago(31), "in", "Ada Lovelace")], None, id="one-past-lookback"
        ),
        pytest.param(
            [
                message("Ada wrote", ago(5), "in", "Ada Lovelace"),
                meeting("Old", ago(40), "Ada Lovelace"),
            ],
            ago(3),
            id="an-older-meeting-does-not",
        ),
    ],
)
def test_reply(records, due):
    found = run(rule_reply, reply_model(*records))
    if due is None:
        assert found == []
        return
    (followup,) = found
    assert (followup.kind, followup.contacts, followup.due) == ("reply", (ADA,), due)


def test_reply_is_to_the_last_message_at_its_direction_line_with_its_first_words():
    model = reply_model(
        message("Ada wrote", ago(6), "in", "Ada Lovelace", lead="Could we meet?"),
        message("Ada again", ago(1), "in", "Ada Lovelace", lead="Any news about the paper?"),
    )
    (followup,) = run(rule_reply, model)
    assert followup.reason == "Reply to Ada Lovelace, who wrote on 2026-11-19"
    assert (followup.source, followup.line) == ("interactions/Ada again.md", 5)
    assert followup.evidence == "“Any news about the paper?” (2 messages since 2026-11-14)"


def test_reply_to_a_message_from_two_people_is_owed_to_each_until_each_is_answered():
    model = reply_model(
        message("They wrote", ago(5), "in", "Ada Lovelace", "Grace Hopper"),
        message("I answered Grace", ago(3), "out", "Grace Hopper"),
    )
    (followup,) = run(rule_reply, model)
    assert followup.contacts == (ADA,)


def test_reply_windows_are_settings():
    model = reply_model(message("Ada wrote", ago(50), "in", "Ada Lovelace"))
    settings = dataclasses.replace(SETTINGS, reply_after_days=7, reply_lookback_days=60)
    (followup,) = run(rule_reply, model, settings=settings)
    assert followup.due == ago(43)
    assert run(rule_reply, model) == []


def test_reply_reaches_compute():
    model = reply_model(message("Ada wrote", ago(5), "in", "Ada Lovelace"))
    assert [f.kind for f in compute(model, TODAY, SETTINGS)] == ["reply"]
