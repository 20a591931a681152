"""Referrals and introductions: the edges between contacts, chains, a graph, and suggestions.

Choices where the spec leaves room:

- A referral A → B is written three ways: B's note says `referred_by: A`; an interaction
  with A lists B in `referrals`; an interaction with B says `referred_by: A` (as the
  close-the-loop rule reads it). Each edge is kept once, with the first note that shows it
  (contact notes before interactions, interactions oldest first).
- An introduction A ↔ B you made: an interaction with A whose `gave` item mentions an
  intro (intro, introduce, introduced, introduction…) and links B. It has no direction;
  `source` is the person of the interaction.
- Chains follow referral edges from people nobody referred; a cycle with no way in is
  walked from its first person by name. Walking stops after a large, fixed number of steps
  so that a pathological graph cannot hang a build.
- Suggestions pair people you know (not prospects, not `circle: follow`); a word offered
  by more than `_COMMON` people is too common to suggest anyone on its own. The score is
  the matched words (both ways) plus one per shared interest, tag, goal and field (the
  industry of their organisations' notes).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from ..followups import name_of
from ..model import Model, link_target
from ..records import record
from ..text import fold
from .outreach import FOLLOW, sort_key

KINDS = ("referral", "introduction")
_INTRO = re.compile(r"\bintro(?:s|duc\w*)?\b", re.IGNORECASE)
_LINK = re.compile(r"\[\[([^\]]+)\]\]")
_WORD = re.compile(r"[^\W_]+")
_COMMON = 200  # people offering a word, beyond which it suggests nobody on its own
_MAX_STEPS = 1_000_000  # chain walking budget
# Words that say nothing about what someone asks for or offers.
_STOPWORD_TEXT = """
    about across after all also and any are around back been being both but can could does
    doing done each etc few for from get gets getting got had has have help helping how into
    its just like looking lot lots more most much need needs new not off one ones other our
    out over per really some such than that the their them then there these they this those
    through too topic topics use using very via want wants was way ways were what when where
    which who will with within would you your advice ideas idea info information thoughts
    someone something people anyone anything good great
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@record
class Edge:
    """A referral (source referred target to you) or an introduction you made between them."""

    source: str  # contact path
    target: str  # contact path
    kind: str  # referral or introduction
    evidence: str  # the note that records it


@record
class Chain:
    """A maximal path of referrals: Ada referred Grace, who referred Linus."""

    people: tuple[str, ...]  # contact paths, in referral order
    text: str  # "Ada → Grace → Linus"


@record
class Node:
    """A contact in the referral graph."""

    key: str  # contact path
    label: str  # name
    group: str  # circle, "" when none


@record
class Suggestion:
    """Two people you could introduce: one's ask meets the other's offer."""

    asker: str  # contact path
    offerer: str  # contact path
    ask: str  # the asker's ask that matched best, as written
    offer: str  # the offerer's offer that meets it, as written
    words: tuple[str, ...]  # the matched words (folded), both ways, sorted
    shared: tuple[str, ...]  # what else they share, in words: "interested in climate"
    score: int
    reason: str  # all of it, in words


@record
class Tie:
    """How another contact is tied to a person: the strongest of the ways, and where it shows."""

    contact: str  # the other contact
    relation: str  # intro_via, referred, referred_by, introduced, met or linked
    evidence: str  # the note showing it

    def phrase(self, person: str) -> str:
        """The tie as words after "who": "met Ada", "can introduce you to Ada"."""
        return _PHRASES[self.relation].format(person)

    @property
    def rank(self) -> int:
        """0 for the strongest kind of tie (intro_via), up to 5 for a link between notes."""
        return _RANK[self.relation]


_PHRASES = {
    "intro_via": "can introduce you to {}",
    "referred": "referred you to {}",
    "referred_by": "was referred to you by {}",
    "introduced": "you introduced to {}",
    "met": "met {}",
    "linked": "knows {}",
}
_RANK = {relation: rank for rank, relation in enumerate(_PHRASES)}


def keywords(text: str, min_len: int = 3) -> frozenset[str]:
    """The folded words of `text` that carry meaning: no stopwords, none under `min_len`.

    A plural `s` is dropped, so "jobs" meets "job".
    """
    out = set()
    for word in _WORD.findall(fold(text)):
        if len(word) < min_len or word in STOPWORDS:
            continue
        out.add(word[:-1] if len(word) > 3 and word.endswith("s") and word[-2] != "s" else word)
    return frozenset(out)


# ---------------------------------------------------------------------------
# Edges


def edges(model: Model) -> tuple[Edge, ...]:
    """Every referral and introduction between two contacts, by kind, then names."""
    contacts = model.contacts
    found: dict[tuple[str, str, str], str] = {}

    def add(source: str | None, target: str | None, kind: str, evidence: str) -> None:
        if source == target or source not in contacts or target not in contacts:
            return
        assert source is not None and target is not None
        if kind == "introduction" and (target, source, kind) in found:
            return  # an introduction joins two people both ways
        found.setdefault((source, target, kind), evidence)

    for path in sorted(contacts):
        referrer = contacts[path].referred_by
        if referrer is not None:
            add(referrer.target, path, "referral", path)
    for interaction in model.interactions.values():
        people = [p for p in dict.fromkeys(interaction.contacts) if p in contacts]
        for ref in interaction.referrals:
            for person in people:
                add(person, ref.target, "referral", interaction.path)
        if interaction.referred_by is not None:
            for person in people:
                add(interaction.referred_by.target, person, "referral", interaction.path)
        for gave in interaction.gave:
            if not _INTRO.search(gave):
                continue
            for written in _LINK.findall(gave):
                other = model.resolve(link_target(written))
                for person in people:
                    add(person, other, "introduction", interaction.path)
    made = [Edge(s, t, k, e) for (s, t, k), e in found.items()]
    return tuple(sorted(made, key=lambda e: _edge_key(model, e)))


def _edge_key(model: Model, edge: Edge) -> tuple[int, tuple[str, str], tuple[str, str]]:
    return KINDS.index(edge.kind), sort_key(model, edge.source), sort_key(model, edge.target)


def graph(model: Model) -> tuple[tuple[Node, ...], tuple[Edge, ...]]:
    """Nodes (contacts on at least one edge, by name) and edges for the referral graph."""
    all_edges = edges(model)
    keys = {p for e in all_edges for p in (e.source, e.target)}
    nodes = tuple(
        Node(p, model.contacts[p].name, model.contacts[p].circle)
        for p in sorted(keys, key=lambda p: sort_key(model, p))
    )
    return nodes, all_edges


# ---------------------------------------------------------------------------
# Chains


def referral_chains(model: Model) -> tuple[Chain, ...]:
    """Maximal referral paths ("Ada → Grace → Linus"), longest first, then by names."""
    following: dict[str, list[str]] = defaultdict(list)
    referred: set[str] = set()
    for edge in edges(model):
        if edge.kind == "referral":
            following[edge.source].append(edge.target)
            referred.add(edge.target)
    for nexts in following.values():
        nexts.sort(key=lambda p: sort_key(model, p))
    nodes = sorted(set(following) | referred, key=lambda p: sort_key(model, p))
    starts = [p for p in nodes if p not in referred]
    covered: set[str] = set()
    budget = [_MAX_STEPS]
    found: list[tuple[str, ...]] = []
    # Nobody referred a start, so no walk covers it before its own; what is left after
    # the starts is cycles nobody enters.
    for start in [*starts, *nodes]:
        if start in covered:
            continue
        for chain in _maximal_paths(start, following, budget):
            found.append(chain)
            covered.update(chain)
    found.sort(key=lambda c: (-len(c), [sort_key(model, p) for p in c]))
    return tuple(Chain(c, " → ".join(name_of(model, p) for p in c)) for c in found)


def _maximal_paths(
    start: str, following: dict[str, list[str]], budget: list[int]
) -> Iterator[tuple[str, ...]]:
    """Every path from `start` that no further step extends (no person twice on one path)."""
    path, on = [start], {start}
    stack = [iter(following.get(start, ()))]
    extended = [False]
    while stack and budget[0] > 0:
        budget[0] -= 1
        for person in stack[-1]:
            if person not in on:
                extended[-1] = True
                path.append(person)
                on.add(person)
                stack.append(iter(following.get(person, ())))
                extended.append(False)
                break
        else:
            if not extended[-1]:
                yield tuple(path)
            stack.pop()
            extended.pop()
            on.discard(path.pop())


# ---------------------------------------------------------------------------
# Ties between contacts


class Ties:
    """Who is tied to whom: referrals, introductions, intro_via, meetings, links between notes.

    Built once per model in linear time; `of` and `linked` then look at one person or one
    pair, never at all pairs.
    """

    def __init__(self, model: Model) -> None:
        self.model = model
        self.edges = edges(model)
        self._by_person: dict[str, list[Edge]] = defaultdict(list)
        for edge in self.edges:
            self._by_person[edge.source].append(edge)
            self._by_person[edge.target].append(edge)
        # Every interaction a contact was in, oldest first, dated or not.
        self.meetings: dict[str, list[str]] = defaultdict(list)
        for interaction in model.interactions.values():
            for person in dict.fromkeys(interaction.contacts):
                if person in model.contacts:
                    self.meetings[person].append(interaction.path)
        self._met: dict[str, frozenset[str]] = {}
        self._links: dict[str, frozenset[str]] = {}

    def links(self, path: str) -> frozenset[str]:
        """The notes the note at `path` links to."""
        found = self._links.get(path)
        if found is None:
            page = self.model.pages.get(path)
            refs = page.refs if page is not None else ()
            found = self._links[path] = frozenset(r.target for r in refs if r.target)
        return found

    def _met_in(self, path: str) -> frozenset[str]:
        found = self._met.get(path)
        if found is None:
            found = self._met[path] = frozenset(self.meetings.get(path, ()))
        return found

    def linked(self, a: str, b: str) -> bool:
        """Whether two contacts are tied: an edge, an interaction together, or a note link."""
        if any(b in (e.source, e.target) for e in self._by_person.get(a, ())):
            return True
        if b in self.links(a) or a in self.links(b):
            return True
        return not self._met_in(a).isdisjoint(self._met_in(b))

    def of(self, person: str) -> dict[str, Tie]:
        """Every other contact tied to `person`, each by its strongest tie."""
        model = self.model
        ties: dict[str, Tie] = {}

        def add(other: str | None, relation: str, evidence: str) -> None:
            if other is None or other == person or other not in model.contacts:
                return
            known = ties.get(other)
            if known is None or _RANK[relation] < _RANK[known.relation]:
                ties[other] = Tie(other, relation, evidence)

        contact = model.contacts.get(person)
        if contact is not None and contact.intro_via is not None:
            add(contact.intro_via.target, "intro_via", person)
        for edge in self._by_person.get(person, ()):
            if edge.kind == "introduction":
                other = edge.target if edge.source == person else edge.source
                add(other, "introduced", edge.evidence)
            elif edge.target == person:
                add(edge.source, "referred", edge.evidence)
            else:
                add(edge.target, "referred_by", edge.evidence)
        for path in reversed(self.meetings.get(person, ())):  # the latest meeting is evidence
            for other in model.interactions[path].contacts:
                add(other, "met", path)
        for target in sorted(self.links(person)):
            add(target, "linked", person)
        for source in model.backlinks.get(person, ()):
            add(source, "linked", source)
        return ties


# ---------------------------------------------------------------------------
# Introduction suggestions


def intro_suggestions(model: Model, limit: int = 30) -> tuple[Suggestion, ...]:
    """Pairs not yet tied where one's ask meets the other's offer, best first, at most `limit`."""
    eligible = {
        p: c for p, c in model.contacts.items() if c.circle != FOLLOW and c.status != "prospect"
    }
    # word → [(offerer, offer index)]: the inverted index that spares looking at all pairs.
    offered: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for path in sorted(eligible):
        for j, offer in enumerate(eligible[path].offers):
            for word in keywords(offer):
                offered[word].append((path, j))
    for word in [w for w, hits in offered.items() if len({p for p, _ in hits}) > _COMMON]:
        del offered[word]
    # (asker, offerer) → (ask index, offer index) → matched words
    matches: dict[tuple[str, str], dict[tuple[int, int], set[str]]] = {}
    for path in sorted(eligible):
        for i, ask in enumerate(eligible[path].asks):
            for word in keywords(ask):
                for other, j in offered.get(word, ()):
                    if other != path:
                        matches.setdefault((path, other), {}).setdefault((i, j), set()).add(word)
    ties = Ties(model)
    extras = _Extras(model)
    found: list[Suggestion] = []
    for pair in sorted({tuple(sorted(p)) for p in matches}):
        a, b = pair
        if ties.linked(a, b):
            continue
        ways = [(x, y) for x, y in ((a, b), (b, a)) if (x, y) in matches]
        best = [_best(matches[w]) for w in ways]
        # The stronger way round leads: its asker and offerer name the suggestion.
        order = sorted(range(len(ways)), key=lambda k: (-len(best[k][1]), k))
        ways, best = [ways[k] for k in order], [best[k] for k in order]
        words = sorted({w for way in ways for m in matches[way].values() for w in m})
        shared = extras.shared(a, b)
        parts = []
        for (asker, offerer), ((i, j), _words) in zip(ways, best, strict=True):
            ask = model.contacts[asker].asks[i]
            offer = model.contacts[offerer].offers[j]
            parts.append(
                f"{name_of(model, asker)} asks about '{ask}'; "
                f"{name_of(model, offerer)} offers '{offer}'"
            )
        (asker, offerer), ((i, j), _words) = ways[0], best[0]
        found.append(
            Suggestion(
                asker=asker,
                offerer=offerer,
                ask=model.contacts[asker].asks[i],
                offer=model.contacts[offerer].offers[j],
                words=tuple(words),
                shared=shared,
                score=len(words) + len(shared),
                reason="; ".join(parts + [f"both {s}" for s in shared]),
            )
        )
    found.sort(key=lambda s: (-s.score, sort_key(model, s.asker), sort_key(model, s.offerer)))
    return tuple(found[:limit])


def _best(pairs: dict[tuple[int, int], set[str]]) -> tuple[tuple[int, int], set[str]]:
    """The ask and offer sharing the most words; the first written on a tie."""
    return min(pairs.items(), key=lambda kv: (-len(kv[1]), kv[0]))


class _Extras:
    """What two contacts share besides an ask and an offer: interests, tags, goals, field."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.goals: dict[str, list[str]] = defaultdict(list)  # contact → goals linking it
        for path in sorted(model.goals, key=lambda p: (fold(model.goals[p].title), p)):
            page = model.pages.get(path)
            for target in dict.fromkeys(r.target for r in (page.refs if page else ())):
                if target in model.contacts:
                    self.goals[target].append(path)

    def _field(self, path: str) -> str:
        org = self.model.contacts[path].org
        found = self.model.orgs.get(org.target) if org is not None and org.target else None
        return found.industry if found is not None else ""

    def shared(self, a: str, b: str) -> tuple[str, ...]:
        """What `a` and `b` share, in words after "both": "interested in climate"."""
        first, second = self.model.contacts[a], self.model.contacts[b]
        out: list[str] = []
        theirs = {fold(i) for i in second.interests}
        out += [f"interested in {i}" for i in first.interests if fold(i) in theirs]
        out += [f"tagged #{t}" for t in first.tags if t in second.tags]
        goals = set(self.goals.get(b, ()))
        out += [
            f"linked from the goal {self.model.goals[g].title}"
            for g in self.goals.get(a, ())
            if g in goals
        ]
        field = self._field(a)
        if field and fold(field) == fold(self._field(b)):
            out.append(f"work in {field}")
        return tuple(dict.fromkeys(out))
