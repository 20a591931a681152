"""The outreach pipeline, intro_via paths and the natural-network meter."""

from __future__ import annotations

from datetime import date

import pytest

from netvault.build import load
from netvault.insights.outreach import (
    STAGES,
    facts,
    intro_advice,
    intro_path,
    natural_network,
    pipeline,
)
from vaults import write_vault

TODAY = date(2026, 11, 20)

# name → (front matter lines, interactions ("date" or "date type"), expected (stage, how,
# what the notes tell besides a status) or None)
PIPELINE_CASES = {
    "Pia": ("status: prospect", [], ("prospect", "status", "")),
    # A status set by hand wins (DESIGN §5: the pipeline by status); a later stage the
    # notes tell is said beside it.
    "Pete": (
        "status: prospect",
        ["2026-03-02"],
        ("prospect", "status", "met: first interaction on 2026-03-02"),
    ),
    "Nia": ("", ["2026-10-01", "2026-03-02"], ("met", "first interaction on 2026-03-02", "")),
    "Cy": (
        "status: contacted",
        ["2026-06-01", "2026-08-01", "2026-11-01"],
        ("contacted", "status", "active: 3 interactions since 2026-05-24"),
    ),
    "Met": (
        "status: contacted",
        ["2026-09-01 call"],
        ("contacted", "status", "met: first interaction on 2026-09-01"),
    ),
    # Written outreach alone (an email, a message): contacted, not met yet.
    "Mail": (
        "",
        ["2026-09-01 email", "2026-10-01 Message"],
        ("contacted", "message on 2026-10-01, not met yet", ""),
    ),
    "Mailed": ("status: contacted", ["2026-09-01 email"], ("contacted", "status", "")),
    # `direction:` says who wrote: what you sent is outreach whatever its type; their
    # reply is not.
    "Sent": (
        "",
        ["2026-09-01 linkedin out"],
        ("contacted", "linkedin on 2026-09-01, not met yet", ""),
    ),
    "Replied": (
        "",
        ["2026-09-01 email out", "2026-09-03 email in"],
        ("met", "first interaction on 2026-09-01", ""),
    ),
    "MailCall": (
        "",
        ["2026-09-01 email", "2026-10-01 call"],
        ("met", "first interaction on 2026-09-01", ""),
    ),
    # Ahead of the notes: the status knows more, and nothing is said beside it.
    "Ahead": ("status: active", ["2026-09-01 email"], ("active", "status", "")),
    # Three interactions, but one falls before the 180 days.
    "Old": (
        "",
        ["2026-05-23", "2026-08-01", "2026-11-01"],
        ("met", "first interaction on 2026-05-23", ""),
    ),
    "Edge": (
        "",
        ["2026-05-24", "2026-08-01", "2026-11-01"],
        ("active", "3 interactions since 2026-05-24", ""),
    ),
    "In": ("circle: inner", ["2026-01-05"], ("active", "circle inner", "")),
    "Act": ("status: active", [], ("active", "status", "")),
    "Con": ("status: contacted", [], ("contacted", "status", "")),
    "Via": ("intro_via: '[[Act]]'", [], ("prospect", "intro via Act", "")),
    "None": ("", [], None),
    "Inner": ("circle: inner", [], None),
    "Dorm": ("status: dormant", ["2026-10-01"], None),
    "Soon": ("status: prospect", ["2026-12-01"], ("prospect", "status", "")),  # not met yet
    "Fol": ("circle: follow", ["2026-10-01"], None),
}


@pytest.fixture(scope="module")
def pipeline_model(tmp_path_factory):
    files = {}
    for name, (front, dates, _expected) in PIPELINE_CASES.items():
        files[f"contacts/{name}.md"] = f"---\n{front}\n---\n" if front else ""
        for entry in dates:
            day, kind, direction = [*entry.split(), "", ""][:3]
            typed = f"type: {kind}\n" if kind else ""
            typed += f"direction: {direction}\n" if direction else ""
            note = f"interactions/{day} {name} {direction}".rstrip() + ".md"
            files[note] = f"---\nwith: ['[[{name}]]']\n{typed}---\n"
    return load(write_vault(tmp_path_factory.mktemp("v"), files)).model


@pytest.mark.parametrize("name", PIPELINE_CASES)
def test_pipeline_stage(pipeline_model, name):
    found = {
        row.contact: (row.stage, row.how, row.told)
        for stage in pipeline(pipeline_model, TODAY).stages
        for row in stage.rows
    }
    assert found.get(f"contacts/{name}.md") == PIPELINE_CASES[name][2]


def test_pipeline_stages_in_order_with_rows_by_name(pipeline_model):
    result = pipeline(pipeline_model, TODAY)
    assert tuple(s.name for s in result.stages) == STAGES
    active = result.stage("active")
    assert [r.contact for r in active.rows] == [
        f"contacts/{n}.md" for n in ("Act", "Ahead", "Edge", "In")
    ]
    [cy] = [r for r in result.stage("contacted").rows if r.contact == "contacts/Cy.md"]
    assert (cy.interactions, cy.last) == (3, date(2026, 11, 1))
    assert result.total == sum(1 for *_, expected in PIPELINE_CASES.values() if expected)


INTRO = {
    # Ada ← Grace ← Linus: Grace is a prospect too, Linus you know.
    "contacts/Ada.md": "---\nstatus: prospect\nintro_via: '[[Grace]]'\n---\n",
    "contacts/Grace.md": "---\nstatus: prospect\nintro_via: '[[Linus]]'\n---\n",
    "contacts/Linus.md": "---\nmet: 2025-01-01\nintro_via: '[[Zed]]'\n---\n",
    "contacts/Zed.md": "---\nmet: 2025-01-01\n---\n",
    # A cycle: each names the other.
    "contacts/Xia.md": "---\nstatus: prospect\nintro_via: '[[Yan]]'\n---\n",
    "contacts/Yan.md": "---\nstatus: prospect\nintro_via: '[[Xia]]'\n---\n",
    # Someone with no note yet.
    "contacts/Una.md": "---\nstatus: prospect\nintro_via: '[[Nobody]]'\n---\n",
    "contacts/Sol.md": "---\nstatus: prospect\n---\n",
}


@pytest.mark.parametrize(
    ("who", "path", "advice"),
    [
        pytest.param(
            "Ada",
            ("Grace", "Linus"),
            "ask Linus to introduce you to Grace, who can introduce you to Ada",
            id="two-hops-stop-at-someone-known",
        ),
        pytest.param("Grace", ("Linus",), "ask Linus to introduce you", id="one-hop"),
        pytest.param("Xia", ("Yan",), "ask Yan to introduce you", id="cycle"),
        pytest.param("Una", (), "ask Nobody to introduce you", id="no-note-yet"),
        pytest.param("Sol", (), "", id="nobody"),
    ],
)
def test_intro_path(vault, who, path, advice):
    model = load(vault(INTRO)).model
    contact = f"contacts/{who}.md"
    assert intro_path(model, contact) == tuple(f"contacts/{n}.md" for n in path)
    assert intro_advice(model, contact) == advice


def test_pipeline_rows_carry_the_intro_path(vault):
    model = load(vault(INTRO)).model
    rows = {r.contact: r.intro for r in pipeline(model, TODAY).stage("prospect").rows}
    assert rows["contacts/Ada.md"] == ("contacts/Grace.md", "contacts/Linus.md")


# name → (note text, counted by the meter)
METER_CASES = {
    "Met": ("---\nmet: 2025-01-01\n---\n", True),
    "Touched": ("", True),  # an interaction below
    "Daily": ("", True),  # mentioned in a daily note
    "Manual": ("---\nlast_contact: 2026-01-01\n---\n", True),
    "Follow": ("---\ncircle: follow\nmet: 2025-01-01\n---\n", False),
    "Prospect": ("---\nstatus: prospect\n---\n", False),
    "Mentioned": ("---\nstatus: prospect\n---\n", False),  # a daily note is not meeting
    "MetProspect": ("---\nstatus: prospect\n---\n", True),  # an interaction is
    "Unknown": ("", False),
}


def test_natural_network_counts_people_you_know(vault):
    files = {f"contacts/{n}.md": text for n, (text, _counted) in METER_CASES.items()}
    files["interactions/2026-02-01 Call.md"] = (
        "---\nwith: ['[[Touched]]', '[[MetProspect]]']\n---\n"
    )
    files["2026-03-01.md"] = "Saw [[Daily]]; must meet [[Mentioned]].\n"
    meter = natural_network(load(vault(files)).model)
    expected = sorted(n for n, (_text, counted) in METER_CASES.items() if counted)
    assert meter.people == tuple(f"contacts/{n}.md" for n in expected)
    assert (meter.count, meter.first, meter.full) == (5, 50, 100)
    assert (meter.to_first, meter.to_full, meter.percent) == (45, 95, 5)


def test_meter_stops_at_the_goal(vault):
    files = {f"contacts/P{k:03d}.md": "---\nmet: 2025-01-01\n---\n" for k in range(120)}
    meter = natural_network(load(vault(files)).model)
    assert (meter.count, meter.to_first, meter.to_full, meter.percent) == (120, 0, 0, 100)


@pytest.mark.parametrize(
    ("rel", "text", "same"),
    [
        ("contacts/B.md", "---\ncircle: casual\ncadence: 9d\n---\n", True),
        ("contacts/B.md", "---\ncircle: casual\nasks: [advice on robotics]\n---\n", True),
        ("contacts/B.md", "---\ncircle: inner\n---\n", False),
        ("contacts/B.md", "---\ncircle: casual\nstatus: active\n---\n", False),
        ("contacts/B.md", "---\ncircle: casual\nintro_via: '[[A]]'\n---\n", False),
        ("interactions/2026-11-01 Call.md", "---\nwith: '[[B]]'\ntype: call\n---\n", True),
        # Written outreach is contacted, not met.
        ("interactions/2026-11-01 Call.md", "---\nwith: '[[B]]'\ntype: email\n---\n", False),
        ("interactions/2026-11-01 Call.md", "---\nwith: '[[B]]'\ndirection: out\n---\n", False),
        ("interactions/2026-11-01 Call.md", "---\nwith: '[[A]]'\n---\n", False),
        ("interactions/2026-11-01 Call.md", "---\nwith: '[[B]]'\ndate: 2026-10-01\n---\n", False),
    ],
)
def test_facts_change_with_what_the_outreach_page_reads(tmp_path, rel, text, same):
    """An edit the page never reads (a cadence, an ask, a type) leaves a note's facts equal."""
    base = {
        "contacts/A.md": "",
        "contacts/B.md": "---\ncircle: casual\n---\n",
        "interactions/2026-11-01 Call.md": "---\nwith: '[[B]]'\n---\n",
    }
    before = load(write_vault(tmp_path / "before", base)).model
    after = load(write_vault(tmp_path / "after", {**base, rel: text})).model
    assert (facts(before, rel) == facts(after, rel)) is same
