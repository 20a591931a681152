"""Goal plans: who you know at each target, who could introduce you, and what to do next.

Choices where the spec leaves room:

- A target is an organisation (an org note, or text matched against contacts' `org`
  text), or a person (a contact note). At an organisation, `people` are the contacts
  whose `org` names it and `known` those of them you know (`outreach.knows`); a person
  target is known once you know them.
- Introducers are contacts outside the target tied to someone there (`referrals.Ties`:
  intro_via, referrals, introductions, meetings, links between notes); each is listed
  once, by their strongest tie, people you know first. A next step names the first.
- Interactions toward a goal: those linking the goal note or a target note, those whose
  `org` text names a target, and those with anyone at a target; newest first.
- Role and field matches need every word (two letters or more, no stopwords) of a goal's
  role or field among a contact's role and tag words: "Data analyst" matches
  "Senior data analyst" and tags `data, analyst`, not "Data engineer".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from pathlib import PurePosixPath

from ..followups import FollowUp, name_of, names_of
from ..model import Interaction, Model
from ..records import record
from ..text import fold
from .outreach import knows, sort_key
from .referrals import Ties, keywords


@record
class Introducer:
    """Someone outside a target who is tied to someone there."""

    contact: str  # who could introduce you
    via: str  # the person at the target they are tied to
    relation: str  # referrals.Tie relation: intro_via, referred, referred_by, introduced, …
    evidence: str  # the note showing the tie
    known: bool  # whether you know the introducer
    words: str  # "Grace, who met Ada there"


@record
class TargetPlan:
    """One target of a goal: who is there, who you know, who could introduce you."""

    name: str  # the org or contact's name, else the target as written
    path: str | None  # the note it names; None for plain text
    kind: str  # org, contact, or text (plain text, or a note of another kind)
    people: tuple[str, ...]  # contacts there (the person, for a contact), by name
    known: tuple[str, ...]  # those of them you know
    introducers: tuple[Introducer, ...]


@record
class GoalMatch:
    """A contact whose role or tags match some of a goal's roles or fields."""

    contact: str
    terms: tuple[str, ...]  # the goal's roles and fields it matches, as written there


@record
class GoalPlan:
    """Everything the network holds toward one goal."""

    path: str
    title: str
    status: str
    fields: tuple[str, ...]
    roles: tuple[str, ...]
    targets: tuple[TargetPlan, ...]  # in the goal's order
    interactions: tuple[Interaction, ...]  # newest first
    followups: tuple[FollowUp, ...]  # in the given order
    matches: tuple[GoalMatch, ...]  # by name
    next_steps: tuple[str, ...]  # one per target nobody is known at, in words


@record
class GoalSummary:
    """One line of the Goals index."""

    path: str
    title: str
    status: str
    targets: int
    people: int  # contacts at the targets
    known: int  # of them, people you know
    without: tuple[str, ...]  # targets nobody is known at, by name
    interactions: int
    followups: int


def goal_plan(model: Model, goal_path: str, followups: Iterable[FollowUp]) -> GoalPlan:
    """The plan of the goal at `goal_path` (a key of model.goals), from the open follow-ups.

    Each call indexes the whole model: for a page per goal, `goal_plans` does it once.
    """
    return _Index(model).plan(goal_path, tuple(followups))


def goal_plans(model: Model, followups: Iterable[FollowUp]) -> tuple[GoalPlan, ...]:
    """The plan of every goal, by title, indexing the model once."""
    if not model.goals:
        return ()
    index = _Index(model)
    given = tuple(followups)
    ordered = sorted(model.goals, key=lambda p: (fold(model.goals[p].title), p))
    return tuple(index.plan(path, given) for path in ordered)


def goal_summaries(
    model: Model, followups: Iterable[FollowUp], plans: Iterable[GoalPlan] | None = None
) -> tuple[GoalSummary, ...]:
    """A summary of every goal, by title; from `plans` (goal_plans' result) when given."""
    out = []
    for plan in goal_plans(model, followups) if plans is None else plans:
        people = {p for t in plan.targets for p in t.people}
        known = {p for t in plan.targets for p in t.known}
        out.append(
            GoalSummary(
                path=plan.path,
                title=plan.title,
                status=plan.status,
                targets=len(plan.targets),
                people=len(people),
                known=len(known),
                without=tuple(t.name for t in plan.targets if not t.known),
                interactions=len(plan.interactions),
                followups=len(plan.followups),
            )
        )
    return tuple(out)


class _Index:
    """What every goal plan looks up, built once per model."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.ties = Ties(model)
        self.at_org: dict[str, set[str]] = defaultdict(set)  # org path → contacts
        self.at_text: dict[str, set[str]] = defaultdict(set)  # folded org text → contacts
        self.words: dict[str, set[str]] = defaultdict(set)  # role and tag word → contacts
        for contact in model.contacts.values():
            if contact.org is not None:
                if contact.org.target:
                    self.at_org[contact.org.target].add(contact.path)
                self.at_text[fold(contact.org.text)].add(contact.path)
            for text in (contact.role, *contact.tags):
                for word in keywords(text, min_len=2):
                    self.words[word].add(contact.path)
        self.met_at_text: dict[str, list[str]] = defaultdict(list)  # org text → interactions
        for interaction in model.interactions.values():
            if interaction.org is not None and interaction.org.target is None:
                self.met_at_text[fold(interaction.org.text)].append(interaction.path)

    def plan(self, goal_path: str, followups: tuple[FollowUp, ...]) -> GoalPlan:
        model = self.model
        goal = model.goals[goal_path]
        targets: list[TargetPlan] = []
        seen: set[str] = set()
        met: set[str] = {p for p in model.backlinks.get(goal_path, ()) if p in model.interactions}
        for ref in goal.targets:
            key = ref.target or fold(ref.text)
            if key in seen:
                continue
            seen.add(key)
            target, names = self._target(ref.text, ref.target)
            targets.append(target)
            if target.path is not None:
                met.update(
                    p for p in model.backlinks.get(target.path, ()) if p in model.interactions
                )
            for name in names:
                met.update(self.met_at_text.get(name, ()))
            for person in target.people:
                met.update(self.ties.meetings.get(person, ()))
        everyone = {p for t in targets for p in t.people}
        linking = {goal_path, *model.backlinks.get(goal_path, ())}
        serving = tuple(
            f for f in followups if f.source in linking or not everyone.isdisjoint(f.contacts)
        )
        newest = sorted(
            (model.interactions[p] for p in met),
            key=lambda i: (i.date or date.min, i.path),
            reverse=True,
        )
        return GoalPlan(
            path=goal_path,
            title=goal.title,
            status=goal.status,
            fields=goal.fields,
            roles=goal.roles,
            targets=tuple(targets),
            interactions=tuple(newest),
            followups=serving,
            matches=self._matches(goal.roles + goal.fields),
            next_steps=tuple(s for t in targets if (s := _next_step(model, t))),
        )

    def _target(self, text: str, path: str | None) -> tuple[TargetPlan, set[str]]:
        """The target's plan, and the folded names an `org:` text may call it by."""
        model = self.model
        names = {fold(text)}
        if path in model.contacts:
            kind, name, people = "contact", model.contacts[path].name, {path}
        else:
            kind = "org" if path in model.orgs else "text"
            name = model.title(path) if path in model.pages else text
            if path is not None:
                names |= {fold(name), fold(PurePosixPath(path).stem)}
                page = model.pages.get(path)
                names |= {fold(a) for a in (page.aliases if page else ())}
            people = set(self.at_org.get(path, ())) if path else set()
            for folded in names:
                people |= self.at_text.get(folded, set())
        ordered = tuple(sorted(people, key=lambda p: sort_key(model, p)))
        known = tuple(p for p in ordered if knows(model, model.contacts[p]))
        there = "" if kind == "contact" else " there"
        best: dict[str, Introducer] = {}
        ranks: dict[str, tuple[int, int, tuple[str, str]]] = {}
        for person in ordered:
            for other, tie in self.ties.of(person).items():
                if other in people:
                    continue
                is_known = knows(model, model.contacts[other])
                rank = (0 if is_known else 1, tie.rank, sort_key(model, person))
                if other in ranks and ranks[other] <= rank:
                    continue
                ranks[other] = rank
                words = f"{name_of(model, other)}, who {tie.phrase(name_of(model, person) + there)}"
                best[other] = Introducer(other, person, tie.relation, tie.evidence, is_known, words)
        introducers = sorted(best, key=lambda p: (*ranks[p][:2], sort_key(model, p)))
        plan = TargetPlan(name, path, kind, ordered, known, tuple(best[p] for p in introducers))
        return plan, names

    def _matches(self, terms: tuple[str, ...]) -> tuple[GoalMatch, ...]:
        found: dict[str, list[str]] = defaultdict(list)
        for term in terms:
            words = sorted(keywords(term, min_len=2), key=lambda w: len(self.words.get(w, ())))
            if not words:
                continue
            people = set(self.words.get(words[0], ()))
            for word in words[1:]:
                people &= self.words.get(word, set())
            for person in people:
                found[person].append(term)
        ordered = sorted(found, key=lambda p: sort_key(self.model, p))
        return tuple(GoalMatch(p, tuple(dict.fromkeys(found[p]))) for p in ordered)


def _next_step(model: Model, target: TargetPlan) -> str:
    """What to do about a target nobody is known at, in words; "" when someone is."""
    if target.known:
        return ""
    if target.kind == "contact":
        head = f"Get to know {target.name}"
        if target.introducers:
            return f"{head}: ask {target.introducers[0].words}"
        return f"{head}: reach out directly, or find someone to introduce you"
    head = f"Find someone at {target.name}"
    if target.introducers:
        return f"{head}: ask {target.introducers[0].words}"
    if target.people:
        # An organisation with two hundred prospects is named by its first three.
        shown = target.people[:3]
        more = len(target.people) - len(shown)
        who = (
            names_of(model, shown)
            if not more
            else (", ".join(name_of(model, p) for p in shown) + f" and {more} more")
        )
        return f"{head}: reach out to {who} directly, or find someone to introduce you"
    return f"{head}: no one in your network is linked to it yet"
