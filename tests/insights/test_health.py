"""Network health: growth, interactions per month, within cadence, dormant ties, stats."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from netvault.build import load
from netvault.config import Settings
from netvault.counts import due_count
from netvault.followups import KINDS, FollowUp, compute
from netvault.history import Change, Commit, History
from netvault.insights.health import (
    CircleShare,
    dormant,
    growth,
    interactions_per_month,
    stats,
    thought_leaders,
    within_cadence,
)

TODAY = date(2026, 11, 20)
SETTINGS = Settings()


def ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


def committed(**first_seen: str) -> History:
    """A history where each note (path → ISO date) was first committed on that day."""
    notes = {}
    for path, day in first_seen.items():
        commit = Commit("0" * 40, datetime.fromisoformat(day).replace(tzinfo=UTC), "me", "add")
        notes[path] = (Change(commit, "added", path),)
    return History(head="1" * 40, notes=notes)


def met_with(name: str, day: str) -> dict[str, str]:
    return {f"interactions/{day} {name}.md": f"---\nwith: ['[[{name}]]']\n---\n"}


# ---------------------------------------------------------------------------
# Growth


def test_growth_counts_each_contact_from_the_earliest_sign_up_to_todays_month(vault):
    """In the network since the earliest of `met`, a touch, `last_contact` and the first
    commit; the last month's point is every contact, undated ones included.
    """
    files = {
        "contacts/Met.md": "---\nmet: 2026-01-15\n---\n",
        # Committed before the meeting written in `met`: since the commit.
        "contacts/CommittedThenMet.md": "---\nmet: 2026-03-20\n---\n",
        "contacts/Committed.md": "",
        # The vault committed long after the first meeting: since the meeting.
        "contacts/MetThenCommitted.md": "",
        "contacts/Interacted.md": "",
        "contacts/Mentioned.md": "",
        "contacts/LastContact.md": "---\nlast_contact: 2026-02-10\n---\n",
        "contacts/Nothing.md": "",
        "contacts/Leader.md": "---\ncircle: follow\nmet: 2026-01-01\n---\n",
        "contacts/Later.md": "---\nmet: 2027-01-05\n---\n",
        **met_with("Interacted", "2026-04-02"),
        **met_with("Interacted", "2026-05-02"),
        **met_with("MetThenCommitted", "2026-01-02"),
        "2026-04-20.md": "Read a talk by [[Mentioned]].\n",
    }
    history = committed(
        **{
            "contacts/CommittedThenMet.md": "2026-03-01",
            "contacts/Committed.md": "2026-03-09",
            "contacts/MetThenCommitted.md": "2026-11-10",
            "contacts/Interacted.md": "2026-11-10",
        }
    )
    found = growth(load(vault(files)).model, history, TODAY)
    assert found == (
        ("2026-01", 3),  # Met, MetThenCommitted, Leader
        ("2026-02", 4),  # LastContact
        ("2026-03", 6),  # CommittedThenMet, Committed
        ("2026-04", 8),  # Interacted, Mentioned
        ("2026-05", 8),  # an empty month keeps the running total
        ("2026-06", 8),
        ("2026-07", 8),
        ("2026-08", 8),
        ("2026-09", 8),
        ("2026-10", 8),
        ("2026-11", 10),  # Nothing (no date at all) and Later (after today) count from today
    )
    assert found[-1][1] == len(files) - 4  # every contact, as Today counts them


def test_in_network_since_says_what_says_so(vault):
    from netvault.insights.health import Since, in_network_since

    files = {
        "contacts/Ada.md": "---\nmet: 2026-03-01\n---\n",
        "contacts/Bob.md": "",
        "contacts/Cy.md": "---\nlast_contact: 2026-01-05\n---\n",
        "contacts/Dee.md": "",
        **met_with("Ada", "2026-03-01"),
        **met_with("Bob", "2026-02-01"),
        "2026-01-20.md": "Heard of [[Bob]].\n",
    }
    model = load(vault(files)).model
    history = committed(**{"contacts/Dee.md": "2026-06-01", "contacts/Bob.md": "2026-06-01"})

    def since(name):
        return in_network_since(model, history, model.contacts[f"contacts/{name}.md"])

    assert since("Ada") == Since(date(2026, 3, 1), "met")  # met wins a tie
    assert since("Bob") == Since(date(2026, 1, 20), "first mention", "2026-01-20.md")
    assert since("Cy") == Since(date(2026, 1, 5), "last contact")
    assert since("Dee") == Since(date(2026, 6, 1), "first commit")
    assert in_network_since(model, History(), model.contacts["contacts/Dee.md"]) is None


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {"contacts/A.md": "", **met_with("A", "2026-09-30")},
            (("2026-09", 1), ("2026-10", 1), ("2026-11", 1)),
            id="first-interaction",
        ),
        pytest.param({"contacts/B.md": ""}, (("2026-11", 1),), id="undated-only"),
        pytest.param({"notes/n.md": ""}, (), id="no-contacts"),
    ],
)
def test_growth_without_history(vault, files, expected):
    assert growth(load(vault(files)).model, History(), TODAY) == expected


# ---------------------------------------------------------------------------
# Interactions per month


def test_interactions_per_month_counts_empty_months(vault):
    files = {
        "contacts/A.md": "",
        **met_with("A", "2026-07-31"),
        **met_with("A", "2026-09-01"),
        **met_with("A", "2026-09-30"),
        **met_with("A", "2026-11-20"),
        **met_with("A", "2026-11-21"),  # after today: not yet
        **met_with("A", "2026-06-30"),  # before the window
        "interactions/2026-10-05 Panel.md": "---\nwith: ['[[A]]', '[[B]]']\n---\n",
    }
    found = interactions_per_month(load(vault(files)).model, TODAY, months=5)
    assert found == (
        ("2026-07", 1),
        ("2026-08", 0),
        ("2026-09", 2),
        ("2026-10", 1),
        ("2026-11", 1),
    )


def test_interactions_per_month_across_a_new_year(vault):
    files = {"contacts/A.md": "", **met_with("A", "2025-12-01")}
    found = interactions_per_month(load(vault(files)).model, date(2026, 1, 10), months=3)
    assert found == (("2025-11", 0), ("2025-12", 1), ("2026-01", 0))


# ---------------------------------------------------------------------------
# Dormant ties


@pytest.mark.parametrize(
    ("front", "last", "silent"),
    [
        pytest.param("cadence: 30d", 70, 70, id="past-twice-the-cadence"),
        pytest.param("cadence: 30d", 50, None, id="late-but-not-dormant"),
        pytest.param("cadence: 30d", 60, None, id="exactly-twice-is-not-past"),
        pytest.param("cadence: 30d", 61, 61, id="one-day-past-twice"),
        pytest.param("circle: inner", 70, 70, id="cadence-from-the-circle"),
        pytest.param("cadence: none", 400, None, id="no-cadence"),
        pytest.param("circle: follow\ncadence: 30d", 400, None, id="thought-leader"),
        pytest.param(f"cadence: 30d\nsnooze_until: {ago(-5)}", 70, None, id="snoozed"),
        pytest.param(f"cadence: 30d\nlast_contact: {ago(10)}", 70, None, id="last-contact-since"),
        pytest.param(f"cadence: 30d\nmet: {ago(300)}", None, None, id="never-an-interaction"),
    ],
)
def test_dormant(vault, front, last, silent):
    files = {"contacts/Ada.md": f"---\n{front}\n---\n"}
    if last is not None:
        files |= met_with("Ada", ago(last))
    found = dormant(load(vault(files)).model, TODAY, SETTINGS)
    if silent is None:
        assert found == ()
        return
    [tie] = found
    assert (tie.contact, tie.last, tie.silent_days) == (
        "contacts/Ada.md",
        date.fromisoformat(ago(last)),
        silent,
    )
    assert tie.reason == (
        f"Reconnect with Ada: last touch {ago(last)} (Ada), kept in touch every 30 days"
    )


def test_dormant_counts_from_a_later_daily_note(vault):
    files = {
        "contacts/Ada.md": "---\ncadence: 30d\n---\n",
        **met_with("Ada", ago(200)),
        f"{ago(70)}.md": "Saw [[Ada]] at the market.\n",
    }
    [tie] = dormant(load(vault(files)).model, TODAY, SETTINGS)
    assert (tie.last, tie.last_path, tie.silent_days) == (
        date.fromisoformat(ago(70)),
        f"{ago(70)}.md",
        70,
    )


def test_dormant_updated_for_the_notes_an_edit_touches_is_dormant_made_anew(vault, tmp_path):
    """Only the contacts an edit links to are looked at again; the others are kept."""
    from netvault.model import linked

    files = {
        "contacts/Ada.md": "---\ncadence: 30d\n---\n",
        "contacts/Bob.md": "---\ncadence: 30d\n---\n",
        "contacts/Cy.md": "---\ncadence: 7d\n---\n",
        "contacts/Dee.md": "---\ncadence: 7d\n---\n",
        "contacts/Eve.md": "---\ncadence: 30d\n---\n",
        **met_with("Ada", ago(200)),
        **met_with("Bob", ago(100)),
        **met_with("Cy", ago(20)),
        **met_with("Dee", ago(60)),
        **met_with("Eve", ago(50)),
    }
    root = vault(files)
    before = load(root).model
    found = dormant(before, TODAY, SETTINGS)
    assert [t.contact for t in found] == [
        "contacts/Dee.md", "contacts/Ada.md", "contacts/Bob.md", "contacts/Cy.md"
    ]  # fmt: skip
    # Ada is seen again; Cy's cadence is made longer than his silence, Eve's shorter.
    (root / f"interactions/{ago(5)} Ada.md").write_text("---\nwith: '[[Ada]]'\n---\n")
    (root / "contacts/Cy.md").write_text("---\ncadence: 30d\n---\n")
    (root / "contacts/Eve.md").write_text("---\ncadence: 10d\n---\n")
    after = load(root).model
    changed = {f"interactions/{ago(5)} Ada.md", "contacts/Cy.md", "contacts/Eve.md"}
    near = linked((before, after), changed)
    updated = dormant(after, TODAY, SETTINGS, found, near)
    assert updated == dormant(after, TODAY, SETTINGS)
    assert [t.contact for t in updated] == ["contacts/Dee.md", "contacts/Eve.md", "contacts/Bob.md"]


def test_first_dates_and_known_updated_for_the_notes_an_edit_touches_equal_them_made_anew(vault):
    """Only the contacts an edit links to are looked at again; the others are kept."""
    from netvault.insights.health import first_dates, known
    from netvault.model import linked

    files = {
        "contacts/Ada.md": "---\nmet: 2026-01-05\n---\n",
        "contacts/Bob.md": "---\nstatus: prospect\n---\n",
        "contacts/Cy.md": "---\ncircle: follow\n---\n",
        "contacts/Dee.md": "---\ncadence: 7d\n---\n",
        **met_with("Dee", ago(20)),
    }
    root = vault(files)
    history = History()
    before = load(root).model
    dates, knew = first_dates(before, history), known(before)
    assert dates == {
        "contacts/Ada.md": date(2026, 1, 5),
        "contacts/Bob.md": None,
        "contacts/Cy.md": None,
        "contacts/Dee.md": date.fromisoformat(ago(20)),
    }
    assert knew == {"contacts/Ada.md", "contacts/Dee.md"}
    # Bob is met; Cy is followed no more; Ada's note is gone.
    (root / f"interactions/{ago(5)} Bob.md").write_text("---\nwith: '[[Bob]]'\n---\n")
    (root / "contacts/Cy.md").write_text("---\nmet: 2026-02-01\n---\n")
    (root / "contacts/Ada.md").unlink()
    after = load(root).model
    changed = {f"interactions/{ago(5)} Bob.md", "contacts/Cy.md", "contacts/Ada.md"}
    near = linked((before, after), changed)
    assert first_dates(after, history, dates, near) == first_dates(after, history)
    assert (
        known(after, knew, near)
        == known(after)
        == {"contacts/Bob.md", "contacts/Cy.md", "contacts/Dee.md"}
    )
    # Given the changed notes alone, Bob (touched by the new interaction) is missed.
    assert first_dates(after, history, dates, changed) != first_dates(after, history)


# ---------------------------------------------------------------------------
# Within cadence, thought leaders, stats

CADENCE_VAULT = {
    "contacts/In1.md": "---\ncircle: inner\n---\n",  # 10 days ago: within 30
    "contacts/In2.md": "---\ncircle: inner\n---\n",  # 40 days ago: overdue
    "contacts/Cas.md": "---\ncircle: casual\n---\n",  # 100 days ago: within 180
    "contacts/Odd.md": "---\ncircle: club\ncadence: 2w\n---\n",  # 20 days ago: overdue
    "contacts/NoCircle.md": "---\ncadence: 1y\n---\n",  # 10 days ago: within
    "contacts/Never.md": "---\ncircle: inner\n---\n",  # never touched: not measured
    "contacts/Leader.md": "---\ncircle: follow\nmet: 2026-11-01\n---\n",
    "contacts/Old.md": "---\ncircle: active\n---\n",  # dormant: 200 days, cadence 60
    "goals/A.md": "---\nstatus: active\n---\n",
    "goals/B.md": "---\nstatus: active\n---\n",
    "goals/C.md": "",
    **met_with("In1", ago(10)),
    **met_with("In2", ago(40)),
    **met_with("Cas", ago(100)),
    **met_with("Odd", ago(20)),
    **met_with("NoCircle", ago(10)),
    **met_with("Old", ago(200)),
    **met_with("Old", "2025-06-01"),
}


def test_within_cadence_per_circle_in_settings_order(vault):
    model = load(vault(CADENCE_VAULT)).model
    found = within_cadence(model, TODAY, SETTINGS)
    assert found == (
        CircleShare("inner", 2, 1, 50),
        CircleShare("active", 1, 0, 0),
        CircleShare("casual", 1, 1, 100),
        CircleShare("club", 1, 0, 0),
        CircleShare("", 1, 1, 100),
    )
    # The same from the day's follow-ups, as the Network page counts them.
    assert within_cadence(model, TODAY, SETTINGS, compute(model, TODAY, SETTINGS)) == found


def test_thought_leaders_are_listed_apart(vault):
    model = load(vault(CADENCE_VAULT)).model
    assert thought_leaders(model) == ("contacts/Leader.md",)


def test_stats(vault):
    model = load(vault(CADENCE_VAULT)).model
    followups = compute(model, TODAY, SETTINGS)
    extra = FollowUp("task", (), TODAY - timedelta(days=1), "x", "goals/C.md", 1)
    history = committed(**{"contacts/Never.md": "2026-02-01", "contacts/Leader.md": "2020-01-01"})
    found = stats(model, TODAY, SETTINGS, history, (*followups, extra))
    assert (found.contacts.total, found.contacts.followed, found.known) == (8, 1, 6)
    # Everyone but Never and Leader is first dated by an interaction this year; Never by
    # its commit; Leader by its commit, in 2020, before it was met; Old by its first
    # interaction, in 2025.
    assert found.new_this_year == 6
    assert (found.interactions, found.interactions_this_year) == (7, 6)
    assert found.within_cadence == within_cadence(model, TODAY, SETTINGS)
    assert found.dormant == 1
    kinds = dict(found.followups)
    assert list(kinds) == list(KINDS)
    assert kinds["keep-in-touch"] == 6 and kinds["task"] == 1
    # Old, silent 200 days, is long overdue: counted apart, as Today counts it.
    assert (found.overdue, found.due.long_overdue) == (3, 1)
    assert found.overdue + found.due.long_overdue == sum(
        1 for f in (*followups, extra) if f.due < TODAY
    )
    assert found.due == due_count((*followups, extra), TODAY, SETTINGS)
    assert found.goals == (("", 1), ("active", 2))
    data = found.to_dict()
    assert data["today"] == "2026-11-20"
    assert data["goals"] == {"": 1, "active": 2}
    assert data["within_cadence"][0] == {
        "circle": "inner",
        "contacts": 2,
        "within": 1,
        "percent": 50,
    }
