"""Goal plans and summaries on tiny literal vaults."""

from __future__ import annotations

from datetime import date

import pytest

from netvault.build import load
from netvault.followups import FollowUp
from netvault.insights.goals import goal_plan, goal_plans, goal_summaries

ADA, BOB, DAN, EVE = (f"contacts/{n}.md" for n in ("Ada", "Bob", "Dan", "Eve"))
GRACE, HAL, IVY = (f"contacts/{n}.md" for n in ("Grace", "Hal", "Ivy"))
ACME, GLOBEX = "goals/Join Acme.md", "goals/Join Globex.md"

NOTES = {
    "orgs/Acme.md": "---\naliases: [Acme Corp]\n---\n",
    "orgs/Globex.md": "",
    # Known at Acme: a link, an alias as text, and plain text matching the org's name.
    "contacts/Ada.md": "---\norg: '[[Acme]]'\nrole: Senior Data Analyst\nmet: 2026-01-10\n---\n",
    "contacts/Bob.md": "---\ncompany: acme corp\nmet: 2026-02-01\n---\n",
    "contacts/Dan.md": "---\nrole: Data engineer\ntags: [energy-storage]\n---\n",
    # Eve is at Acme but a prospect you have not met: at Acme, not known.
    "contacts/Eve.md": "---\norg: Acme\nstatus: prospect\n---\n",
    # Nobody known at Globex: Hal is a prospect there, whom Grace can introduce.
    "contacts/Grace.md": "---\nmet: 2025-05-01\n---\n",
    "contacts/Hal.md": "---\norg: '[[Globex]]'\nstatus: prospect\nintro_via: '[[Grace]]'\n---\n",
    "contacts/Ivy.md": "---\nrole: analyst\n---\n",
    "goals/Join Acme.md": (
        "---\ntargets: ['[[Acme]]']\nroles: [Data analyst]\nfields: [Energy storage]\n"
        "status: active\n---\n"
    ),
    "goals/Join Globex.md": "---\ntargets: ['[[Globex]]']\norgs: [Initech]\n---\n",
    "interactions/2026-03-02 Coffee with Ada.md": "---\nwith: ['[[Ada]]']\n---\n",
    "interactions/2026-04-01 Lunch.md": "---\nwith: ['[[Grace]]']\norg: Acme Corp\n---\n",
    "interactions/2026-05-01 Call with Grace.md": (
        "---\nwith: ['[[Grace]]']\n---\nAbout [[Join Globex]].\n"
    ),
    "interactions/2026-06-01 Unrelated.md": "---\nwith: ['[[Dan]]']\n---\n",
    "interactions/2026-07-01 Initech fair.md": "---\norg: initech\n---\n",
}


@pytest.fixture
def model(vault):
    return load(vault(NOTES)).model


def followup(*contacts: str, source: str = "contacts/Dan.md") -> FollowUp:
    return FollowUp("task", contacts, date(2026, 12, 1), "x", source, 1)


def test_someone_known_at_the_target_means_no_next_step(model):
    plan = goal_plan(model, ACME, ())
    [acme] = plan.targets
    assert (acme.name, acme.path, acme.kind) == ("Acme", "orgs/Acme.md", "org")
    assert acme.people == (ADA, BOB, EVE)
    assert acme.known == (ADA, BOB)
    assert plan.next_steps == ()
    assert (plan.status, plan.roles, plan.fields) == (
        "active",
        ("Data analyst",),
        ("Energy storage",),
    )


def test_nobody_known_names_the_target_and_the_introducer(model):
    plan = goal_plan(model, GLOBEX, ())
    assert [(t.name, t.kind, t.people, t.known) for t in plan.targets] == [
        ("Globex", "org", (HAL,), ()),
        ("Initech", "text", (), ()),
    ]
    [grace] = plan.targets[0].introducers
    assert (grace.contact, grace.via, grace.relation, grace.known) == (
        GRACE,
        HAL,
        "intro_via",
        True,
    )
    assert plan.next_steps == (
        "Find someone at Globex: ask Grace, who can introduce you to Hal there",
        "Find someone at Initech: no one in your network is linked to it yet",
    )


@pytest.mark.parametrize(
    ("hal", "extra", "step"),
    [
        pytest.param(
            "referred_by: '[[Grace]]'",
            {},
            "ask Grace, who referred you to Hal there",
            id="referrer",
        ),
        pytest.param(
            "status: prospect",
            {"contacts/Grace.md": "---\nmet: 2025-05-01\n---\nWorked with [[Hal]].\n"},
            "ask Grace, who knows Hal there",
            id="note-link",
        ),
        pytest.param(
            "status: prospect",
            {"contacts/Grace.md": "---\nmet: 2025-05-01\n---\n"},
            "reach out to Hal directly, or find someone to introduce you",
            id="no-tie",
        ),
    ],
)
def test_introducer_ties(vault, hal, extra, step):
    notes = {
        **NOTES,
        "contacts/Hal.md": f"---\norg: '[[Globex]]'\n{hal}\n---\n",
        **extra,
    }
    plan = goal_plan(load(vault(notes)).model, GLOBEX, ())
    assert plan.next_steps[0] == f"Find someone at Globex: {step}"


def test_interactions_toward_the_goal_newest_first(model):
    titles = [i.title for i in goal_plan(model, ACME, ()).interactions]
    # Coffee with Ada (someone at Acme), Lunch (its `org` text names Acme by its alias).
    assert titles == ["Lunch", "Coffee with Ada"]
    titles = [i.title for i in goal_plan(model, GLOBEX, ()).interactions]
    # The fair's `org` text names the Initech target; the call links the goal note.
    assert titles == ["Initech fair", "Call with Grace"]


def test_followups_that_serve_the_goal(model):
    at_acme, elsewhere = followup(EVE), followup(DAN)
    linking = followup(source="interactions/2026-05-01 Call with Grace.md")
    given = (at_acme, elsewhere, linking)
    assert goal_plan(model, ACME, given).followups == (at_acme,)
    assert goal_plan(model, GLOBEX, given).followups == (linking,)


def test_role_and_field_matches_need_every_word(model):
    matches = goal_plan(model, ACME, ()).matches
    # Ada's role holds "data" and "analyst"; Dan's tag is energy-storage; Ivy is only an analyst.
    assert [(m.contact, m.terms) for m in matches] == [
        (ADA, ("Data analyst",)),
        (DAN, ("Energy storage",)),
    ]


def test_a_person_target(vault):
    notes = {
        **NOTES,
        "goals/Meet Hal.md": "---\ntargets: ['[[Hal]]', '[[Hal]]']\n---\n",
    }
    plan = goal_plan(load(vault(notes)).model, "goals/Meet Hal.md", ())
    [hal] = plan.targets
    assert (hal.kind, hal.people, hal.known) == ("contact", (HAL,), ())
    assert plan.next_steps == ("Get to know Hal: ask Grace, who can introduce you to Hal",)


def test_goal_summaries(model):
    summaries = goal_summaries(model, (followup(ADA),))
    assert [
        (s.title, s.status, s.targets, s.people, s.known, s.without, s.interactions, s.followups)
        for s in summaries
    ] == [
        ("Join Acme", "active", 1, 3, 2, (), 2, 1),
        ("Join Globex", "", 2, 1, 0, ("Globex", "Initech"), 2, 0),
    ]


def test_goal_plans_are_each_goals_plan_by_title(model):
    given = (followup(ADA),)
    plans = goal_plans(model, given)
    assert plans == (goal_plan(model, ACME, given), goal_plan(model, GLOBEX, given))
    assert goal_summaries(model, (), plans) == goal_summaries(model, given)
