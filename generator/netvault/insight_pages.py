"""What the Goals, Outreach and Network pages show: the insights, linked and drawn.

`insights/` derives (who you know at a target, the pipeline, give and take,
referral chains, network health); `charts.py` draws; this module puts the two
together as the plain values a page's template shows. Each function takes a
`links` object (`site.Linker`) that turns a note's path into a link from the
page it is on; nothing here renders HTML but the charts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, Protocol

from . import charts
from .config import Settings
from .followups import FollowUp
from .history import History
from .insights import goals, health, outreach, reciprocity, referrals
from .model import Model
from .records import record

GRAPH_MAX = 300  # people drawn in the referral graph: past this, the best connected
CHAINS = 50  # referral chains listed, longest first
RECONNECT = 50  # ties gone quiet listed; the count says how many there are in all
STAGE_ROWS = 200  # people listed per pipeline stage; the count says how many in all
SUGGESTIONS = 30
BALANCES = 25  # rows of the give-and-take table
GROWTH_MONTHS = 60  # months of growth drawn; the table has them all


class Links(Protocol):
    """What the pages need of `site.Linker`."""

    def note(self, path: str, text: str | None = None) -> Any:
        """A link to the page of the note at `path`."""

    def url(self, site_url: str) -> str:
        """A site URL relative to the page."""


@record
class Row:
    """A person, with words about them."""

    link: Any
    words: str = ""
    date: date | None = None


def goal_plans(model: Model, followups: Sequence[FollowUp]) -> dict[str, goals.GoalPlan]:
    """Every goal's plan by path, the model indexed once for them all."""
    return {plan.path: plan for plan in goals.goal_plans(model, followups)}


def goals_index(
    model: Model, followups: Sequence[FollowUp], plans: Mapping[str, goals.GoalPlan], links: Links
) -> dict[str, Any]:
    """The Goals page: each goal, how far the network reaches toward it."""
    found = goals.goal_summaries(model, followups, plans.values())
    return {"goals": tuple((links.note(s.path, s.title), s) for s in found)}


def goal_view(model: Model, plan: goals.GoalPlan, links: Links) -> dict[str, Any]:
    """A goal's page: its targets with who you know there and who could introduce you."""
    targets = []
    for target in plan.targets:
        name = links.note(target.path, target.name) if target.path else target.name
        targets.append(
            {
                "name": name,
                "kind": target.kind,
                "known": tuple(links.note(p) for p in target.known),
                "others": tuple(links.note(p) for p in target.people if p not in target.known),
                "introducers": tuple(
                    Row(links.note(i.contact), i.words) for i in target.introducers
                ),
            }
        )
    return {
        "plan": plan,
        "plan_targets": tuple(targets),
        "matches": tuple(Row(links.note(m.contact), ", ".join(m.terms)) for m in plan.matches),
        "toward": tuple(
            Row(links.note(i.path, i.title), i.type, i.date) for i in plan.interactions
        ),
        "next_steps": plan.next_steps,
        "goal_followups": plan.followups,
    }


def outreach_view(model: Model, today: date, links: Links) -> dict[str, Any]:
    """The Outreach page: the pipeline by stage, with intro paths, and the network meter."""
    stages = []
    for stage in outreach.pipeline(model, today).stages:
        rows = tuple(
            Row(
                links.note(r.contact),
                "; ".join(w for w in (_how(r), outreach.intro_advice(model, r.contact)) if w),
                r.last,
            )
            for r in stage.rows
        )
        stages.append((stage.name, rows[:STAGE_ROWS], len(rows)))
    return {"stages": tuple(stages), "meter": outreach.natural_network(model)}


def network_view(
    model: Model,
    today: date,
    settings: Settings,
    history: History,
    followups: Sequence[FollowUp],
    links: Links,
    url_of: Mapping[str, str],
    stats: health.Stats | None = None,
    quiet: Sequence[health.Reconnect] | None = None,
    referral: Mapping[str, Any] | None = None,
    first: Mapping[str, date | None] | None = None,
) -> dict[str, Any]:
    """The Network page: growth, interactions, cadence, dormant ties, referrals, give and take.

    `url_of` maps a contact's path to its page's site URL, for the graph's links;
    `stats` are the headline numbers, `quiet` the ties gone quiet (`health.dormant`),
    `referral` the `referral_view` and `first` when each contact entered the network
    (`health.first_dates`), when they were worked out already.
    """
    growth = health.growth(model, history, today, first)
    per_month = health.interactions_per_month(model, today)
    quiet = quiet if quiet is not None else health.dormant(model, today, settings)
    stats = stats or health.stats(model, today, settings, history, followups, quiet)
    shares = stats.within_cadence
    return {
        "stats": stats,
        "growth": growth,
        "growth_chart": charts.line_chart(
            "Contacts over time",
            "How many contacts are in the network at the end of each month, up to this one: "
            "each since the earliest of when you met, your first interaction or note about "
            "them, their last contact and their note's first commit; one with no date yet "
            "counts from this month.",
            growth[-GROWTH_MONTHS:],
            id="growth",
        ),
        "per_month": per_month,
        "per_month_chart": charts.bar_chart(
            "Interactions per month",
            "Interactions logged in each of the last 24 months.",
            per_month,
            id="per-month",
        ),
        "shares": shares,
        "shares_chart": charts.share_bars(
            "Within cadence, by circle",
            "For each circle, how many of its contacts you have kept in touch with on time.",
            [(s.circle or "no circle", s.within, s.contacts) for s in shares],
            id="within-cadence",
        ),
        **_reconnect(model, quiet, links),
        "leaders": tuple(links.note(p) for p in health.thought_leaders(model)),
        **(referral if referral is not None else referral_view(model, links, url_of)),
        **_give_and_take(model, settings, links),
    }


def _reconnect(model: Model, found: Sequence[health.Reconnect], links: Links) -> dict[str, Any]:
    """Ties gone quiet, as many as a page can show, and how many there are."""
    rows = tuple(Row(links.note(r.contact), r.reason, r.last) for r in found[:RECONNECT])
    return {"dormant": rows, "dormant_total": len(found)}


def referral_view(model: Model, links: Links, url_of: Mapping[str, str]) -> dict[str, Any]:
    """Referral chains, the graph of referrals and introductions, introduction suggestions."""
    written = referrals.written(model)  # what the graph, chains and suggestions all read
    nodes, edges = referrals.graph(model, written)
    drawn = _best_connected(nodes, edges, GRAPH_MAX)
    graph = charts.network_graph(
        "Referrals and introductions",
        "Who referred you to whom (arrows), and the introductions you made between people.",
        [
            charts.GraphNode(n.key, n.label, links.url(url_of[n.key]), n.group)
            for n in nodes
            if n.key in drawn
        ],
        [
            charts.GraphEdge(e.source, e.target, e.kind)
            for e in edges
            if e.source in drawn and e.target in drawn
        ],
        id="referral-graph",
    )
    return {
        "chains": tuple(
            tuple(links.note(p) for p in chain.people)
            for chain in referrals.referral_chains(model, CHAINS, written)
        ),
        "introductions": tuple(
            (links.note(e.source), links.note(e.target), links.note(e.evidence))
            for e in edges
            if e.kind == "introduction"
        ),
        "graph": graph,
        "graph_shown": (len(drawn), len(nodes)),
        "suggestions": tuple(
            (links.note(s.asker), links.note(s.offerer), s.reason)
            for s in referrals.intro_suggestions(model, SUGGESTIONS, written)
        ),
    }


def _best_connected(
    nodes: Sequence[referrals.Node], edges: Iterable[referrals.Edge], limit: int
) -> set[str]:
    """The keys of at most `limit` nodes, the best connected first (then in node order)."""
    degree: dict[str, int] = {}
    for edge in edges:
        for key in (edge.source, edge.target):
            degree[key] = degree.get(key, 0) + 1
    order = sorted(range(len(nodes)), key=lambda i: (-degree.get(nodes[i].key, 0), i))
    return {nodes[i].key for i in order[:limit]}


def _give_and_take(model: Model, settings: Settings, links: Links) -> dict[str, Any]:
    """Who you have asked of without giving back, who helped and was never thanked."""
    balances = reciprocity.give_take(model)
    return {
        "balances": tuple(
            (links.note(b.contact), b) for b in balances[:BALANCES] if b.received or b.gave
        ),
        "takers": tuple(
            Row(links.note(b.contact), f"received in {b.received_in} interactions, gave nothing")
            for b in reciprocity.takers_without_giving(model)
        ),
        "unthanked": tuple(
            (tuple(links.note(p) for p in u.contacts), links.note(u.interaction), u.evidence)
            for u in reciprocity.never_thanked(model, settings)
        ),
    }


def contact_balance(model: Model) -> dict[str, reciprocity.Balance]:
    """Each contact's give and take, for their pages."""
    return {b.contact: b for b in reciprocity.give_take(model)}


def _how(row: outreach.PipelineRow) -> str:
    """How a stage was found, in words: a status set by hand says so, and what the notes
    tell when they tell a later stage.
    """
    if row.how != "status":
        return row.how
    return f"set by hand (the notes say {row.told})" if row.told else "set by hand"


INTRODUCERS = 10  # people listed as able to introduce you to someone


def introducers(model: Model, ties: referrals.Ties, path: str, links: Links) -> tuple[Row, ...]:
    """For someone you do not know yet: the people you know who are tied to them, strongest first.

    "Who should I ask for an introduction to X?", answered on X's page.
    """
    contact = model.contacts[path]
    if outreach.knows(model, contact):
        return ()
    found = [
        tie for tie in ties.of(path).values() if outreach.knows(model, model.contacts[tie.contact])
    ]
    found.sort(key=lambda t: (t.rank, outreach.sort_key(model, t.contact)))
    return tuple(
        Row(
            links.note(t.contact),
            t.phrase(contact.name) + _where(t.evidence, (path, t.contact), links),
        )
        for t in found[:INTRODUCERS]
    )


def _where(evidence: str, people: tuple[str, ...], links: Links) -> str:
    """Where a tie shows, as " (in Coffee with Ada)"; nothing when it is one of the two's notes."""
    return "" if evidence in ("", *people) else f" (in {links.note(evidence).text})"
