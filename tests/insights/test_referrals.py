"""Referral and introduction edges, chains, the graph, and introduction suggestions."""

from __future__ import annotations

import pytest

from netvault.build import load
from netvault.insights.referrals import (
    Edge,
    Node,
    edges,
    facts,
    graph,
    intro_suggestions,
    keywords,
    referral_chains,
)

A, B, C, D = (f"contacts/{n}.md" for n in "ABCD")


def contact(front: str = "") -> str:
    return f"---\n{front}\n---\n" if front else ""


@pytest.mark.parametrize(
    ("notes", "chains"),
    [
        pytest.param(
            {
                "contacts/B.md": contact("referred_by: '[[A]]'"),
                "interactions/2026-01-01 B.md": "---\nwith: ['[[B]]']\nreferrals: ['[[C]]']\n---\n",
            },
            ["A → B → C"],
            id="three-in-a-row-from-a-note-and-an-interaction",
        ),
        pytest.param(
            {
                "contacts/B.md": contact("referred_by: '[[A]]'"),
                "contacts/C.md": contact("referred_by: '[[B]]'"),
                "contacts/D.md": contact("referred_by: '[[B]]'"),
            },
            ["A → B → C", "A → B → D"],
            id="a-branch-is-two-chains",
        ),
        pytest.param(
            {
                "contacts/C.md": contact("referred_by: '[[B]]'"),
                "interactions/2026-01-01 B.md": "---\nwith: ['[[B]]']\nreferred_by: '[[A]]'\n---\n",
            },
            ["A → B → C"],
            id="an-interactions-referred-by",
        ),
        pytest.param(
            {
                "contacts/A.md": contact("referred_by: '[[C]]'"),
                "contacts/B.md": contact("referred_by: '[[A]]'"),
                "contacts/C.md": contact("referred_by: '[[B]]'"),
            },
            ["A → B → C"],
            id="a-cycle-once-from-its-first-name",
        ),
        pytest.param(
            {
                "contacts/B.md": contact("referred_by: '[[A]]'"),
                "contacts/D.md": contact("referred_by: '[[C]]'"),
                "contacts/C.md": contact("referred_by: '[[A]]'"),
            },
            ["A → C → D", "A → B"],
            id="longest-first",
        ),
        pytest.param(
            {
                "contacts/C.md": contact("referred_by: '[[A]]'"),
                "interactions/2026-01-01 B.md": "---\nwith: ['[[B]]']\nreferrals: ['[[C]]']\n---\n",
                "interactions/2026-02-01 D.md": "---\nwith: ['[[D]]']\nreferrals: ['[[B]]']\n---\n",
            },
            # C was referred by A first, in their note: B → C is an edge, not "D → B → C".
            ["A → C", "D → B"],
            id="a-chain-follows-first-referrals",
        ),
        pytest.param({"contacts/B.md": contact("referred_by: '[[Nobody]]'")}, [], id="no-note"),
    ],
)
def test_referral_chains(vault, notes, chains):
    files = {f"contacts/{n}.md": "" for n in "ABCD"} | notes
    found = referral_chains(load(vault(files)).model)
    assert [c.text for c in found] == chains
    if chains:
        assert found[0].people == tuple(f"contacts/{n}.md" for n in chains[0].split(" → "))


@pytest.mark.parametrize(
    ("gave", "introduced"),
    [
        pytest.param("Introduced her to [[C]]", True, id="introduced"),
        pytest.param("an intro to [[C|Cee]]", True, id="intro-with-shown-text"),
        pytest.param("INTRODUCTION: [[C]] and me", True, id="introduction-any-case"),
        pytest.param("Sent the article [[C]] wrote", False, id="no-intro-word"),
        pytest.param("introduced her to Carl", False, id="no-link"),
        pytest.param("introductory call, see [[Nobody]]", False, id="link-to-no-contact"),
    ],
)
def test_introductions_from_gave(vault, gave, introduced):
    files = {
        "contacts/A.md": "",
        "contacts/C.md": "",
        "interactions/2026-01-01 A.md": f"---\nwith: ['[[A]]']\ngave: ['{gave}']\n---\n",
    }
    expected = [Edge(A, C, "introduction", "interactions/2026-01-01 A.md")] if introduced else []
    assert list(edges(load(vault(files)).model)) == expected


def test_graph_holds_only_contacts_on_an_edge(vault):
    files = {
        "contacts/A.md": contact("circle: inner"),
        "contacts/B.md": contact("referred_by: '[[A]]'"),
        "contacts/C.md": "",
        "contacts/D.md": "",
        "interactions/2026-01-01 A.md": "---\nwith: ['[[A]]']\ngave: ['intro to [[D]]']\n---\n",
    }
    nodes, found = graph(load(vault(files)).model)
    assert nodes == (Node(A, "A", "inner"), Node(B, "B", ""), Node(D, "D", ""))
    assert [(e.source, e.target, e.kind) for e in found] == [
        (A, B, "referral"),
        (A, D, "introduction"),
    ]


def test_keywords_drop_stopwords_short_words_and_plurals():
    assert keywords("Looking for data engineering JOBS in the EU, via an intro") == {
        "data",
        "engineering",
        "job",
        "intro",
    }


SUGGEST = {
    "contacts/Ada.md": contact(
        "asks: [data engineering jobs]\ninterests: [climate, chess]\ntags: [alumni]"
    ),
    "contacts/Linus.md": contact(
        "offers: [data engineering mentoring]\ninterests: [Climate]\ntags: [alumni]"
    ),
}


def test_an_ask_meeting_an_offer_is_suggested_with_the_reason(vault):
    [suggestion] = intro_suggestions(load(vault(SUGGEST)).model)
    assert (suggestion.asker, suggestion.offerer) == ("contacts/Ada.md", "contacts/Linus.md")
    assert suggestion.words == ("data", "engineering")
    assert suggestion.shared == ("interested in climate", "tagged #alumni")
    assert suggestion.score == 4
    assert suggestion.reason == (
        "Ada asks about 'data engineering jobs'; Linus offers 'data engineering mentoring'; "
        "both interested in climate; both tagged #alumni"
    )


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param(
            {"interactions/2026-01-01 Dinner.md": "---\nwith: ['[[Ada]]', '[[Linus]]']\n---\n"},
            id="met-together",
        ),
        pytest.param(
            {"contacts/Ada.md": SUGGEST["contacts/Ada.md"] + "Knows [[Linus]].\n"},
            id="ada-links-linus",
        ),
        pytest.param(
            {"contacts/Linus.md": SUGGEST["contacts/Linus.md"] + "[[Ada]]\n"},
            id="linus-links-ada",
        ),
        pytest.param(
            {
                "interactions/2026-01-01 Ada.md": (
                    "---\nwith: ['[[Ada]]']\nreferrals: ['[[Linus]]']\n---\n"
                ),
            },
            id="a-referral",
        ),
        pytest.param(
            {
                "interactions/2026-01-01 Ada.md": (
                    "---\nwith: ['[[Ada]]']\ngave: ['introduced her to [[Linus]]']\n---\n"
                ),
            },
            id="an-introduction",
        ),
        pytest.param(
            {
                "contacts/Linus.md": SUGGEST["contacts/Linus.md"].replace(
                    "---\n", "---\ncircle: follow\n", 1
                )
            },
            id="a-thought-leader",
        ),
    ],
)
def test_a_pair_already_tied_is_not_suggested(vault, extra):
    assert intro_suggestions(load(vault(SUGGEST | extra)).model) == ()


def test_suggestions_both_ways_ranked_and_limited(vault):
    files = {
        **SUGGEST,
        # Grace and Hal each ask what the other offers: one suggestion, both reasons.
        "contacts/Grace.md": contact("asks: [climate policy contacts]\noffers: [python tutoring]"),
        "contacts/Hal.md": contact("asks: [python]\noffers: [climate policy briefings]"),
        # A weak match: one word.
        "contacts/Ivy.md": contact("asks: [mentoring]"),
    }
    model = load(vault(files)).model
    found = intro_suggestions(model)
    assert [(s.asker, s.offerer, s.score) for s in found] == [
        ("contacts/Ada.md", "contacts/Linus.md", 4),
        ("contacts/Grace.md", "contacts/Hal.md", 3),
        ("contacts/Ivy.md", "contacts/Linus.md", 1),
    ]
    assert found[1].reason == (
        "Grace asks about 'climate policy contacts'; Hal offers 'climate policy briefings'; "
        "Hal asks about 'python'; Grace offers 'python tutoring'"
    )
    assert intro_suggestions(model, limit=2) == found[:2]


def test_referral_chains_limit_keeps_the_longest(vault):
    files = {f"contacts/{n}.md": "" for n in "ABCDE"} | {
        "contacts/B.md": contact("referred_by: '[[A]]'"),
        "contacts/C.md": contact("referred_by: '[[B]]'"),
        "contacts/E.md": contact("referred_by: '[[D]]'"),
    }
    model = load(vault(files)).model
    assert [c.text for c in referral_chains(model)] == ["A → B → C", "D → E"]
    assert [c.text for c in referral_chains(model, limit=1)] == ["A → B → C"]


@pytest.mark.parametrize(
    ("front", "same"),
    [
        ("circle: casual\ncadence: 90d", True),
        ("circle: casual\nfollow_up: 2026-12-01", True),
        ("circle: casual\nlast_contact: 2026-11-01", True),
        ("circle: inner", False),
        ("circle: casual\nreferred_by: '[[A]]'", False),
        ("circle: casual\nasks: [a job in robotics]", False),
        ("circle: casual\nname: Bea", False),
    ],
)
def test_facts_change_with_what_the_referral_views_read(vault, front, same):
    """An edit the views never read (a cadence, a follow-up) leaves a note's facts equal."""
    base = {"contacts/A.md": "", "contacts/B.md": contact("circle: casual")}
    before = load(vault(base)).model
    after = load(vault({**base, "contacts/B.md": contact(front)})).model
    assert (facts(before, B) == facts(after, B)) is same
