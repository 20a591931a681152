"""Give and take: balances, one-sided ties, and help never thanked."""

from __future__ import annotations

from datetime import date

import pytest

from netvault.build import load
from netvault.config import Settings
from netvault.insights.reciprocity import (
    Exchange,
    YearCount,
    give_take,
    never_thanked,
    takers_without_giving,
)

ADA, GRACE, LINUS = "contacts/Ada.md", "contacts/Grace.md", "contacts/Linus.md"


def meeting(
    who: str, air: tuple[str, ...] = (), gave: tuple[str, ...] = (), extra: str = ""
) -> str:
    """An interaction note with `who`; its date is in its file name."""
    lines = [f"with: ['[[{who}]]']"]
    if air:
        lines.append(f"air: {list(air)}")
    if gave:
        lines.append(f"gave: {list(gave)}")
    return "---\n" + "\n".join(lines) + f"\n{extra}---\n"


GIVE_TAKE = {
    "contacts/Ada.md": "",
    "contacts/Grace.md": "",
    "contacts/Linus.md": "",
    # Ada: received in three interactions, gave nothing.
    "interactions/2025-12-01 Ada 1.md": meeting("Ada", ("advice",)),
    "interactions/2026-02-01 Ada 2.md": meeting("Ada", ("a referral", "a tip")),
    "interactions/2026-03-01 Ada 3.md": meeting("Ada", ("information",)),
    # Grace: received in three, gave once.
    "interactions/2026-01-01 Grace 1.md": meeting("Grace", ("advice",)),
    "interactions/2026-02-01 Grace 2.md": meeting("Grace", ("advice",), ("an article",)),
    "interactions/2026-03-01 Grace 3.md": meeting("Grace", ("advice",)),
    # Linus: received once only.
    "interactions/2026-01-01 Linus.md": meeting("Linus", ("advice",)),
}


@pytest.fixture
def model(vault):
    return load(vault(GIVE_TAKE)).model


def test_one_sided_history_lists_who_you_only_took_from(model):
    takers = takers_without_giving(model)
    assert [b.contact for b in takers] == [ADA]  # Grace got something back; Linus gave once
    assert takers[0].received_in == 3


def test_balances_most_one_sided_first(model):
    balances = give_take(model)
    assert [(b.contact, b.balance) for b in balances] == [(ADA, -4), (GRACE, -2), (LINUS, -1)]
    ada = balances[0]
    assert ada.received[1] == Exchange(
        date(2026, 2, 1), "interactions/2026-02-01 Ada 2.md", "a referral"
    )
    assert ada.years == (YearCount(2025, 1, 0), YearCount(2026, 3, 0))
    grace = balances[1]
    assert [e.text for e in grace.gave] == ["an article"]
    assert (grace.received_in, grace.gave_in) == (3, 1)


# (extra notes, expected contacts of the Grace coffee in never_thanked, settings)
THANKS_CASES = [
    pytest.param({}, (GRACE,), Settings(), id="helped-never-thanked"),
    pytest.param({"thank_you": "true"}, None, Settings(), id="thanked-true"),
    pytest.param({"thank_you": "2026-03-02"}, None, Settings(), id="thanked-on-a-date"),
    pytest.param(
        {"later": "interactions/2026-04-01 Lunch.md"}, None, Settings(), id="met-again-later"
    ),
    pytest.param({"later": "2026-04-01.md"}, None, Settings(), id="daily-note-later"),
    pytest.param(
        {"later": "2026-04-01.md"},
        (GRACE,),
        Settings(dated_notes_are_touches=False),
        id="daily-note-not-a-touch",
    ),
    pytest.param({"earlier": True}, (GRACE,), Settings(), id="met-before-only"),
    pytest.param({"no_air": True}, None, Settings(), id="no-help-received"),
]


@pytest.mark.parametrize(("case", "expected", "settings"), THANKS_CASES)
def test_never_thanked(vault, case, expected, settings):
    extra = f"thank_you: {case['thank_you']}\n" if "thank_you" in case else ""
    air = () if case.get("no_air") else ("advice on portfolios",)
    files = {
        "contacts/Grace.md": "",
        "interactions/2026-03-01 Coffee.md": meeting("Grace", air, extra=extra),
    }
    later = case.get("later")
    if later and later.startswith("interactions/"):
        files[later] = meeting("Grace")
    elif later:
        files[later] = "Bumped into [[Grace]].\n"
    if case.get("earlier"):
        files["interactions/2026-01-01 Intro.md"] = meeting("Grace")
    found = never_thanked(load(vault(files)).model, settings)
    if expected is None:
        assert found == ()
        return
    [item] = found
    assert (item.interaction, item.date, item.contacts, item.air) == (
        "interactions/2026-03-01 Coffee.md",
        date(2026, 3, 1),
        expected,
        ("advice on portfolios",),
    )
    assert item.evidence == (
        "Grace gave you advice on portfolios on 2026-03-01; "
        "no thank-you recorded, and no later interaction with Grace"
    )


def test_never_thanked_names_only_those_not_met_since_newest_first(vault):
    files = {
        "contacts/Ada.md": "",
        "contacts/Grace.md": "",
        "interactions/2026-01-01 Panel.md": (
            "---\nwith: ['[[Grace]]', '[[Ada]]']\nair: [feedback]\n---\n"
        ),
        "interactions/2026-02-01 Ada.md": meeting("Ada"),
        "interactions/2026-03-01 Tip.md": meeting("Ada", ("a tip",)),
    }
    found = never_thanked(load(vault(files)).model, Settings())
    assert [(u.interaction, u.contacts) for u in found] == [
        ("interactions/2026-03-01 Tip.md", (ADA,)),
        ("interactions/2026-01-01 Panel.md", (GRACE,)),
    ]
