"""The numbers every page and command shows, each defined once."""

from __future__ import annotations

from datetime import date, timedelta

from netvault.build import load
from netvault.config import Settings
from netvault.counts import ContactCount, contact_count, due_count
from netvault.followups import STATES, FollowUp

TODAY = date(2026, 11, 20)


def test_due_count_is_each_follow_ups_state_and_kind_counted():
    offsets = {-400: "task", -1: "explicit", 0: "task", 1: "thank-you", 7: "task", 8: "odd"}
    found = [
        FollowUp(kind, (), TODAY + timedelta(days=offset), "why", "notes/n.md", 1)
        for offset, kind in offsets.items()
    ]
    counted = due_count(found, TODAY, Settings(soon_days=7, overdue_lookback_days=60))
    states = [f.state(TODAY, 7, 60) for f in found]
    assert counted.by_state() == tuple((s, states.count(s)) for s in STATES)
    assert counted.total == len(found) == 6
    assert counted.words() == "1 overdue, 1 due today, 2 due soon, 1 later, 1 long overdue"
    # No long overdue: the words say nothing of them, as Today shows no such count.
    counted = due_count(found, TODAY, Settings(soon_days=7, overdue_lookback_days=500))
    assert counted.words() == "2 overdue, 1 due today, 2 due soon, 1 later"
    kinds = dict(counted.kinds)
    assert (kinds["task"], kinds["explicit"], kinds["thank-you"], kinds["odd"]) == (3, 1, 1, 1)
    assert list(kinds)[-1] == "odd"  # a kind of no rule comes after every rule's
    assert kinds["keep-in-touch"] == 0  # every rule's kind, even when none is open


def test_contact_count_counts_thought_leaders_among_the_contacts(vault):
    root = vault(
        {
            "contacts/Ada.md": "",
            "contacts/Guru.md": "---\ncircle: follow\n---\n",
            "notes/Guru fan club.md": "",
        }
    )
    counted = contact_count(load(root).model)
    assert counted == ContactCount(2, 1)
    assert counted.words() == "2 contacts (1 followed)"
    assert counted.words(noun=False) == "2 (1 followed)"
    assert ContactCount(1, 0).words() == "1 contact"
