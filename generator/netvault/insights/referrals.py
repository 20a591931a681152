"""Referrals and introductions: the edges between contacts, chains, a graph, and suggestions.

Choices where the spec leaves room:

- A referral A → B is written three ways: B's note says `referred_by: A`; an interaction
  with A lists B in `referrals`; an interaction with B says `referred_by: A` (as the
  close-the-loop rule reads it). Each edge is kept once, with the first note that shows it
  (contact notes before interactions, interactions oldest first).
- An introduction A ↔ B you made: an interaction with A whose `gave` item mentions an
  intro (intro, introduce, introduced, introduction…) and links B. It has no direction;
  `source` is the person of the interaction.
- Chains follow first referrals only (`referral_chains`): listing every path through
  dense referrals (thousands of people each referred by several) would never end; later
  referrals of someone already referred stay edges of the graph.
- Suggestions pair people you know (not prospects, not `circle: follow`); a word offered
  by more than `_COMMON` people is too common to match on and is left out. The score is
  the words one's asks share with the other's offers, counted each way round, plus one per
  shared interest, tag, goal (a goal note linking both) and field (the industry of their
  organisations' notes). The stronger way round names the asker; on a tie, the first path.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from ..followups import name_of
from ..model import Model, link_target
from ..records import record
from ..text import fold
from .outreach import FOLLOW, sort_key

KINDS = ("referral", "introduction")
_INTRO = re.compile(r"\bintro(?:s|duc\w*)?\b", re.IGNORECASE)
_LINK = re.compile(r"\[\[([^\]]+)\]\]")
_WORD = re.compile(r"[^\W_]+")
_COMMON = 200  # people offering a word, beyond which it is too common to match on
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
    """A maximal path of first referrals: Ada referred Grace, who referred Linus."""

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


# What the referral views (edges, chains, the graph, suggestions) never read of a note's
# record: an edit of these alone (a cadence, a follow-up date) leaves them as they were.
# Any field not named here counts, so a field added later is read until said otherwise.
_UNREAD = frozenset(
    {
        "role", "emails", "phones", "linkedin", "website", "location", "cadence",
        "cadence_given", "how_met", "met", "last_contact", "follow_up", "follow_up_note",
        "follow_up_done", "snooze_until", "birthday", "source", "previous",
        # of an interaction's
        "date", "type", "thank_you", "thank_you_date", "thank_you_tasks", "air",
        # of its page, beside the note's text
        "note", "body", "tasks", "keys",
    }
)  # fmt: skip


def facts(model: Model, path: str) -> tuple[Any, ...]:
    """What the referral views read of the note at `path`: equal facts, equal views."""
    return model.facts(path, _UNREAD)


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


def edges(model: Model, written: Sequence[Edge] | None = None) -> tuple[Edge, ...]:
    """Every referral and introduction between two contacts, by kind, then names.

    `written` is `written(model)`, when it was worked out already.
    """
    keys = _Keys(model)
    found = written if written is not None else _written(model)
    return tuple(sorted(found, key=lambda e: (KINDS.index(e.kind), keys(e.source), keys(e.target))))


def written(model: Model) -> tuple[Edge, ...]:
    """Every edge once, in the order the vault shows them (see `_written`)."""
    return tuple(_written(model))


def _written(model: Model) -> list[Edge]:
    """The edges in the order the vault shows them: contact notes by path, then interactions
    oldest first; each edge once, from where it shows first.
    """
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
    return [Edge(s, t, k, e) for (s, t, k), e in found.items()]


class _Keys:
    """sort_key, remembered: edges and chains name the same people many times."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.known: dict[str, tuple[str, str]] = {}

    def __call__(self, path: str) -> tuple[str, str]:
        key = self.known.get(path)
        if key is None:
            key = self.known[path] = sort_key(self.model, path)
        return key


def graph(
    model: Model, written: Sequence[Edge] | None = None
) -> tuple[tuple[Node, ...], tuple[Edge, ...]]:
    """Nodes (contacts on at least one edge, by name) and edges for the referral graph."""
    all_edges = edges(model, written)
    keys = {p for e in all_edges for p in (e.source, e.target)}
    nodes = tuple(
        Node(p, model.contacts[p].name, model.contacts[p].circle)
        for p in sorted(keys, key=lambda p: sort_key(model, p))
    )
    return nodes, all_edges


# ---------------------------------------------------------------------------
# Chains


def referral_chains(
    model: Model, limit: int | None = None, written: Sequence[Edge] | None = None
) -> tuple[Chain, ...]:
    """Maximal chains of first referrals ("Ada → Grace → Linus"), longest first, then by names;
    the first `limit` of them when given.

    Each referred person hangs under whoever referred them first (their `referred_by`, else
    the earliest interaction that refers them), so the chains are the paths of a forest,
    from someone nobody referred down to someone who referred nobody: one per such person,
    however dense the referrals. A cycle nobody enters is one chain, from its first name.
    """
    parent: dict[str, str] = {}
    for edge in written if written is not None else _written(model):
        if edge.kind == "referral":
            parent.setdefault(edge.target, edge.source)
    children: dict[str, list[str]] = defaultdict(list)
    for child, referrer in parent.items():
        children[referrer].append(child)
    found: list[list[str]] = []
    covered: set[str] = set()
    for leaf in (p for p in parent if p not in children):
        chain, on = [leaf], {leaf}
        while (up := parent.get(chain[-1])) is not None and up not in on:
            chain.append(up)
            on.add(up)
        chain.reverse()
        found.append(chain)
        covered.update(chain)
    keys = _Keys(model)
    # What no chain covers is in cycles with no way in: each of them has one child.
    for start in sorted((p for p in parent if p not in covered), key=keys):
        if start in covered:
            continue
        chain = [start]
        covered.add(start)
        while (down := children[chain[-1]][0]) not in covered:
            chain.append(down)
            covered.add(down)
        found.append(chain)
    found.sort(key=lambda c: (-len(c), [keys(p) for p in c]))
    kept = found if limit is None else found[:limit]
    return tuple(Chain(tuple(c), " → ".join(name_of(model, p) for p in c)) for c in kept)


# ---------------------------------------------------------------------------
# Ties between contacts


class Ties:
    """Who is tied to whom: referrals, introductions, intro_via, meetings, links between notes.

    Built once per model in linear time; `of` and `linked` then look at one person or one
    pair, never at all pairs.
    """

    def __init__(self, model: Model, written: Sequence[Edge] | None = None) -> None:
        self.model = model
        # Unsorted: only looked up by person.
        self.edges = list(written) if written is not None else _written(model)
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
        self._peers: dict[str, frozenset[str]] = {}
        self._links: dict[str, frozenset[str]] = {}

    def links(self, path: str) -> frozenset[str]:
        """The notes the note at `path` links to."""
        found = self._links.get(path)
        if found is None:
            page = self.model.pages.get(path)
            refs = page.refs if page is not None else ()
            found = self._links[path] = frozenset(r.target for r in refs if r.target)
        return found

    def _peers_of(self, path: str) -> frozenset[str]:
        found = self._peers.get(path)
        if found is None:
            edges = self._by_person.get(path, ())
            found = self._peers[path] = frozenset(p for e in edges for p in (e.source, e.target))
        return found

    def _met_in(self, path: str) -> frozenset[str]:
        found = self._met.get(path)
        if found is None:
            found = self._met[path] = frozenset(self.meetings.get(path, ()))
        return found

    def linked(self, a: str, b: str) -> bool:
        """Whether two contacts are tied: an edge, an interaction together, or a note link."""
        if b in self._peers_of(a):
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


def intro_suggestions(
    model: Model, limit: int = 30, written: Sequence[Edge] | None = None
) -> tuple[Suggestion, ...]:
    """Pairs not yet tied where one's ask meets the other's offer, best first, at most `limit`.

    One asker at a time, its candidates come from an inverted index (offered word →
    people), and only pairs that can still make the best `limit` are looked at closely, so
    memory stays proportional to the vault, never to the pairs.
    """
    if limit <= 0:
        return ()
    eligible = sorted(
        p for p, c in model.contacts.items() if c.circle != FOLLOW and c.status != "prospect"
    )
    asks = {p: _words(model.contacts[p].asks) for p in eligible}
    offers = {p: _words(model.contacts[p].offers) for p in eligible}
    offered: dict[str, list[str]] = defaultdict(list)  # word → people offering it
    for path in eligible:
        for word in offers[path]:
            offered[word].append(path)
    common = {w for w, people in offered.items() if len(people) > _COMMON}
    if common:
        for word in common:
            del offered[word]
        asks = {p: words - common for p, words in asks.items()}
        offers = {p: words - common for p, words in offers.items()}
    order = {p: k for k, p in enumerate(eligible)}
    extras = _Extras(model)
    keys = _Keys(model)
    ties: Ties | None = None  # built only when a pair gets that far
    kept: list[tuple[int, str, str]] = []  # (score, asker, offerer), pruned to the best
    threshold = 1  # the score a pair needs to be kept: the worst kept, once there are enough

    def rank(item: tuple[int, str, str]) -> tuple[int, tuple[str, str], tuple[str, str]]:
        return -item[0], keys(item[1]), keys(item[2])

    for asker in eligible:
        wanted = asks[asker]
        if not wanted:
            continue
        counts: Counter[str] = Counter()
        for word in wanted:
            counts.update(offered.get(word, ()))
        counts.pop(asker, None)
        # No pair of this asker scores above: every word of its offers met, every feature shared.
        ceiling = len(offers[asker]) + len(extras.features(asker))
        for other, matched in counts.items():
            if matched + ceiling < threshold:
                continue
            back = len(asks[other] & offers[asker])
            if back and order[other] < order[asker]:
                continue  # the pair was weighed as `other`'s, both ways
            score = matched + back + extras.count(asker, other)
            if score < threshold:
                continue
            ties = ties or Ties(model, written)
            if ties.linked(asker, other):
                continue
            # The stronger way round leads; on a tie, the asker weighed first.
            kept.append((score, asker, other) if matched >= back else (score, other, asker))
            if len(kept) >= 4 * limit + 64:
                kept.sort(key=rank)
                del kept[limit:]
                threshold = kept[-1][0]
    kept.sort(key=rank)
    return tuple(_suggestion(model, extras, score, a, b) for score, a, b in kept[:limit])


def _words(texts: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w for text in texts for w in keywords(text))


def _suggestion(model: Model, extras: _Extras, score: int, asker: str, offerer: str) -> Suggestion:
    """The suggestion for a pair chosen, with the asks and offers that match, in words."""
    parts: list[str] = []
    words: set[str] = set()
    first: tuple[str, str] | None = None
    for a, b in ((asker, offerer), (offerer, asker)):
        best = _best_match(model.contacts[a].asks, model.contacts[b].offers)
        if best is None:
            continue
        ask, offer, matched = best
        words |= matched
        first = first or (ask, offer)
        parts.append(
            f"{name_of(model, a)} asks about '{ask}'; {name_of(model, b)} offers '{offer}'"
        )
    assert first is not None
    shared = extras.shared(asker, offerer)
    return Suggestion(
        asker=asker,
        offerer=offerer,
        ask=first[0],
        offer=first[1],
        words=tuple(sorted(words)),
        shared=shared,
        score=score,
        reason="; ".join(parts + [f"both {s}" for s in shared]),
    )


def _best_match(asks: tuple[str, ...], offers: tuple[str, ...]) -> tuple[str, str, set[str]] | None:
    """The ask and offer sharing the most words (the first written on a tie), and those words;
    every word any ask shares with any offer is in the set.
    """
    best: tuple[int, str, str] | None = None
    every: set[str] = set()
    offered = [(offer, keywords(offer)) for offer in offers]
    for ask in asks:
        wanted = keywords(ask)
        for offer, words in offered:
            shared = wanted & words
            every |= shared
            if shared and (best is None or len(shared) > best[0]):
                best = (len(shared), ask, offer)
    return None if best is None else (best[1], best[2], every)


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
        self._features: dict[str, dict[tuple[str, str], str]] = {}
        self._keys: dict[str, frozenset[tuple[str, str]]] = {}

    def features(self, path: str) -> dict[tuple[str, str], str]:
        """What a contact could share with another: (kind, folded key) → the words for it."""
        found = self._features.get(path)
        if found is None:
            contact = self.model.contacts[path]
            found = {}
            for interest in contact.interests:
                found.setdefault(("interest", fold(interest)), f"interested in {interest}")
            for tag in contact.tags:
                found.setdefault(("tag", tag), f"tagged #{tag}")
            for goal in self.goals.get(path, ()):
                found[("goal", goal)] = f"linked from the goal {self.model.goals[goal].title}"
            org = contact.org
            known = self.model.orgs.get(org.target) if org is not None and org.target else None
            if known is not None and known.industry:
                found[("field", fold(known.industry))] = f"work in {known.industry}"
            self._features[path] = found
            self._keys[path] = frozenset(found)
        return found

    def count(self, a: str, b: str) -> int:
        """How many things `a` and `b` share."""
        self.features(a)
        self.features(b)
        return len(self._keys[a] & self._keys[b])

    def shared(self, a: str, b: str) -> tuple[str, ...]:
        """What `a` and `b` share, in words after "both", in `a`'s order."""
        theirs = self.features(b)
        return tuple(words for key, words in self.features(a).items() if key in theirs)
