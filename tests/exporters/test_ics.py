"""The follow-ups as an iCalendar feed: parsed back with icalendar, checked event by event."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from icalendar import Calendar, Event

from netvault import build, followups
from netvault.exporters.ics import PRODID, export_ics, followup_uids

TODAY = date(2026, 11, 20)

ADA = """
---
circle: inner
cadence: 30d
---
Ada's notes.
"""
GRACE = """
---
cadence: none
---
"""
CALL = """
---
type: call
with: "[[Ada Lovelace]]"
---
"""
COFFEE = """
---
type: coffee
with: "[[Grace Hopper]]"
---
We talked about compilers.

- [ ] Send Grace the paper 📅 2026-11-25
"""
SMALL = {
    "netvault.toml": '[site]\ntitle = "Ada\'s network"\n',
    "contacts/Ada Lovelace.md": ADA,
    "contacts/Grace Hopper.md": GRACE,
    "interactions/2026-10-01 Call with Ada.md": CALL,
    "interactions/2026-11-15 Coffee with Grace.md": COFFEE,
}


def export(root: Path, today: date = TODAY, reverse: bool = False) -> bytes:
    loaded = build.load(root)
    due = followups.compute(loaded.model, today, loaded.settings)
    return export_ics(loaded, due[::-1] if reverse else due, today)


def events(data: bytes) -> list[Event]:
    return Calendar.from_ical(data).walk("VEVENT")


def by_kind(data: bytes) -> dict[str, Event]:
    found = {str(e["CATEGORIES"].cats[0]): e for e in events(data)}
    assert len(found) == len(events(data)), "one event per kind expected here"
    return found


# ---------------------------------------------------------------------------
# The feed


def test_each_follow_up_is_an_all_day_event_with_a_morning_reminder(vault):
    data = export(vault(SMALL))
    calendar = Calendar.from_ical(data)
    assert str(calendar["PRODID"]) == PRODID
    assert str(calendar["VERSION"]) == "2.0"
    assert b"\r\nX-WR-CALNAME:Ada's network\r\n" in data
    found = by_kind(data)
    assert set(found) == {"thank-you", "keep-in-touch", "task"}
    expected = {
        "thank-you": date(2026, 11, 16),  # a day after the coffee
        "keep-in-touch": date(2026, 10, 31),  # 30 days after the call
        "task": date(2026, 11, 25),
    }
    for kind, due in expected.items():
        event = found[kind]
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        # All-day: plain dates (VALUE=DATE), not datetimes, ending the next day.
        assert type(start) is date and type(end) is date
        assert (start, end) == (due, due + timedelta(days=1))
        assert event["DTSTART"].params["VALUE"] == "DATE"
        assert event.decoded("DTSTAMP") == datetime(2026, 11, 20, tzinfo=UTC)
        [alarm] = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm.decoded("TRIGGER") == timedelta(hours=9)
        assert alarm["TRIGGER"].params.get("RELATED", "START") == "START"
        assert str(alarm["DESCRIPTION"]) == str(event["SUMMARY"])
    # Sorted by due date.
    assert [e.decoded("DTSTART") for e in events(data)] == sorted(expected.values())


def test_summaries_name_the_people_and_descriptions_give_reason_evidence_and_note(vault):
    found = by_kind(export(vault(SMALL)))
    assert str(found["thank-you"]["SUMMARY"]) == "Thank-you: Grace Hopper"
    assert str(found["keep-in-touch"]["SUMMARY"]) == "Keep in touch: Ada Lovelace"
    # A task says what to do in its own words (without its date), and with whom.
    assert str(found["task"]["SUMMARY"]) == "Send Grace the paper (Grace Hopper)"
    keep = str(found["keep-in-touch"]["DESCRIPTION"]).split("\n")
    assert keep[0] == "Keep in touch with Ada Lovelace every 30 days"
    assert keep[1] == (
        "Evidence: last touch: Call with Ada (2026-10-01) "
        "(interactions/2026-10-01 Call with Ada.md)"
    )
    assert keep[2] == "Note: contacts/Ada Lovelace.md:3"
    thanks = str(found["thank-you"]["DESCRIPTION"]).split("\n")
    assert thanks[0] == "Thank Grace Hopper for the coffee on 2026-11-15"
    assert thanks[-1].startswith("Note: interactions/2026-11-15 Coffee with Grace.md:")


def test_no_follow_ups_is_an_empty_calendar(vault):
    data = export(vault({"contacts/Grace Hopper.md": GRACE}))
    assert events(data) == []
    assert b"X-WR-CALNAME:My network" in data


# ---------------------------------------------------------------------------
# UIDs


def test_a_moved_due_date_and_shifted_lines_keep_the_uid(vault):
    root = vault(SMALL)
    before = {kind: str(e["UID"]) for kind, e in by_kind(export(root)).items()}
    # A new lunch with Ada pushes her keep-in-touch back; new front-matter lines
    # move her `cadence` line; the task is rescheduled and moved down a line.
    vault(
        {
            "contacts/Ada Lovelace.md": "---\nrole: Mathematician\nlocation: London\n"
            + ADA.lstrip("\n-"),
            "interactions/2026-11-10 Lunch with Ada.md": CALL,
            "interactions/2026-11-15 Coffee with Grace.md": COFFEE.replace(
                "- [ ] Send Grace the paper 📅 2026-11-25",
                "\n- [ ] Send Grace the paper 📅 2026-12-02",
            ),
        }
    )
    after_data = export(root)
    after = by_kind(after_data)
    assert after["keep-in-touch"].decoded("DTSTART") == date(2026, 12, 10)
    assert "Note: contacts/Ada Lovelace.md:5" in str(after["keep-in-touch"]["DESCRIPTION"])
    assert after["task"].decoded("DTSTART") == date(2026, 12, 2)
    assert {kind: str(e["UID"]) for kind, e in after.items()} == before


def test_follow_ups_of_one_note_get_different_uids(vault):
    # Two tasks, the same task twice, and a thank-you: all from the one coffee note.
    coffee = COFFEE + (
        "- [ ] Introduce Grace to Linus 📅 2026-11-26\n- [ ] Send Grace the paper 📅 2026-11-30\n"
    )
    data = export(vault({**SMALL, "interactions/2026-11-15 Coffee with Grace.md": coffee}))
    coffee_path = "interactions/2026-11-15 Coffee with Grace.md"
    from_coffee = [e for e in events(data) if coffee_path in str(e["DESCRIPTION"])]
    assert len(from_coffee) == 4
    uids = [str(e["UID"]) for e in from_coffee]
    assert len(set(uids)) == 4
    assert all(uid.endswith("@netvault") for uid in uids)


def test_two_close_the_loops_of_one_meeting_get_different_uids(vault):
    # Ada referred both Grace and Linus, met together: two loops to close with Ada.
    files = {
        "contacts/Ada Lovelace.md": "---\ncadence: none\n---\n",
        "contacts/Grace Hopper.md": '---\ncadence: none\nreferred_by: "[[Ada Lovelace]]"\n---\n',
        "contacts/Linus.md": '---\ncadence: none\nreferred_by: "[[Ada Lovelace]]"\n---\n',
        "interactions/2026-11-10 Panel.md": (
            '---\ntype: panel\nwith: ["[[Grace Hopper]]", "[[Linus]]"]\n---\n'
        ),
    }
    root = vault(files)
    data = export(root)
    loops = [e for e in events(data) if str(e["CATEGORIES"].cats[0]) == "close-the-loop"]
    assert len(loops) == 2
    assert {str(e["SUMMARY"]) for e in loops} == {"Close the loop: Ada Lovelace"}
    assert len({str(e["UID"]) for e in loops}) == 2
    linus = next(str(e["UID"]) for e in loops if "Linus was referred" in str(e["DESCRIPTION"]))
    # Grace's loop goes (she was not referred after all); Linus's keeps its UID.
    vault({"contacts/Grace Hopper.md": "---\ncadence: none\n---\n"})
    [left] = [e for e in events(export(root)) if str(e["CATEGORIES"].cats[0]) == "close-the-loop"]
    assert str(left["UID"]) == linus


def test_identical_task_lines_are_numbered_in_line_order():
    # Line order, not due order: rescheduling either keeps both UIDs.
    first = followups.FollowUp("task", (), date(2026, 12, 1), "Call Ada", "a.md", 5)
    second = followups.FollowUp("task", (), date(2026, 11, 1), "Call Ada", "a.md", 9)
    uids = followup_uids([first, second])
    assert len(set(uids)) == 2
    assert followup_uids([second, first]) == uids[::-1]
    moved = followups.FollowUp("task", (), date(2026, 10, 1), "Call Ada", "a.md", 6)
    assert followup_uids([moved, second]) == uids


# ---------------------------------------------------------------------------
# Reproducible bytes, escaped text


def test_the_same_input_gives_the_same_bytes(vault):
    root = vault(SMALL)
    data = export(root)
    assert export(root) == data
    assert export(root, reverse=True) == data  # whatever order the follow-ups come in
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")


def test_the_feed_is_what_icalendar_writes_of_the_whole_calendar_with_texts_kept_or_not(
    vault, monkeypatch
):
    """Each event's text is made (and kept) on its own, and joined between the calendar's
    own lines: byte for byte what icalendar writes of the calendar with every event in it.
    """
    from netvault.exporters import ics

    root = vault(SMALL)
    data = export(root)
    loaded = build.load(root)
    content = ics.feed(loaded, followups.compute(loaded.model, TODAY, loaded.settings), TODAY)
    whole = Calendar.from_ical(data)
    whole.subcomponents = []
    stamp = datetime.combine(TODAY, datetime.min.time(), tzinfo=UTC)
    pairs = sorted(
        zip(content.events, followup_uids([f for f, _ in content.events]), strict=True),
        key=lambda pair: ics._event_order(pair[0][0], pair[1]),
    )
    for (followup, summary), uid in pairs:
        whole.add_component(ics._event(followup, summary, uid, stamp))
    assert len(pairs) >= 3
    assert data == whole.to_ical()
    kept: dict = {}
    assert content.ics(kept) == data
    made = []
    real = ics._event_ics
    monkeypatch.setattr(ics, "_event_ics", lambda *event: made.append(event) or real(*event))
    assert content.ics(kept) == data  # from the texts kept
    assert made == []


def test_text_from_notes_is_escaped_and_survives_a_parse_back(vault):
    files = {
        "netvault.toml": '[site]\ntitle = "Work, play; more"\n',
        "contacts/li.md": (
            "---\nname: 李雷, Jr.; Ωmega\ncadence: none\nfollow_up: 2026-11-22\n"
            "follow_up_note: |\n  ask about; the paper,\n  and the talk\n---\n"
        ),
        "contacts/sergei.md": "---\nname: Сергей Брин\ncadence: 7d\nmet: 2026-11-01\n---\n",
    }
    data = export(vault(files))
    # Escaped, not raw: a comma or semicolon would otherwise split the value.
    assert b"X-WR-CALNAME:Work\\, play\\; more" in data
    found = by_kind(data)
    explicit = found["explicit"]
    reason = "Follow up with 李雷, Jr.; Ωmega: ask about; the paper,\nand the talk"
    assert str(explicit["SUMMARY"]) == reason
    assert str(explicit["DESCRIPTION"]).split("\n")[:2] == reason.split("\n")
    assert str(found["keep-in-touch"]["SUMMARY"]) == "Keep in touch: Сергей Брин"
    assert "Сергей Брин".encode() in data
