"""The search index: every note's words, split into small shards the search page loads.

A dashboard opened from `file://` under its Content Security Policy can neither
fetch nor run WebAssembly, so the index is JavaScript: each shard is a script that
hands its data to the search page (`netvaultSearch.terms(…)`, `netvaultSearch.docs(…)`),
and the page adds a `<script src>` for just the shards a query needs. A term's
shard is named by its first two characters (`search/ad.js` holds `ada`, `adams`…),
so the last word of a query is matched as a prefix by loading one shard; a note is
listed once, in the doc shard its id names (`search/docs/k3.js`), for the results
shown.

Terms are folded as the page folds a query (`fold`): compatibility-decomposed,
accents stripped, case-folded, so `Wróbel` is found by `wrobel`. Han, kana and
Hangul are written without spaces between words: each of their characters is a term.

This module is pure: notes in, shards as data out (`build`, `update`); the site
writer writes them. An update touches only the shards whose terms or notes changed,
and gives the same shards a build from nothing would.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from itertools import chain
from typing import TYPE_CHECKING, Any

from .markdown import plain_text
from .records import record

if TYPE_CHECKING:
    from .model import Contact, Goal, Interaction, Org, Page, Ref

# Han, kana, Hangul and their relatives: every character is a term. The search page's
# script (search.js) lists the same ranges.
_CJK = (
    "\u1100-\u11ff\u2e80-\u2fdf\u3005-\u3007\u3040-\u30ff\u3100-\u312f\u3130-\u318f"
    "\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff"
    "\U00020000-\U0003134f"
)
_TOKEN = re.compile(f"[{_CJK}]|[^\\W_{_CJK}]+")
TERM_MAX = 40  # characters of a term kept: longer ones (hashes, URLs) are cut
SNIPPET_MAX = 300  # characters of a note's text kept for the snippet shown with it
KINDS = {"contact": "c", "interaction": "i", "org": "o", "goal": "g", "note": "n"}
# Where a word matches: a name or title counts most, then what the front matter says
# of the note, then its body. A note is listed under a term in the best tier it has.
TITLE, META, BODY = 0, 1, 2
_EPOCH = date(1900, 1, 1).toordinal()
_DAYS_MAX = 36**3 - 1  # the day, in three base-36 digits, up to the year 2027 + 100
_HASH_SPACE = 36**4
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def fold(text: str) -> str:
    """Text as it is matched: decomposed (NFKD), without marks, case-folded, then NFC.

    NFC at the end puts Hangul syllables, which NFKD splits into letters, together again.
    """
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.category(ch).startswith("M"))
    return unicodedata.normalize("NFC", bare.casefold())


def terms(text: str) -> list[str]:
    """The terms of `text`, in order: folded words, and single Han, kana or Hangul characters."""
    return [term for chunk in text.split() for term in _chunk_terms(chunk)]


def term_set(texts: Iterable[str]) -> set[str]:
    """The terms of all of `texts`, each once."""
    chunks = set(chain.from_iterable(map(str.split, texts)))
    return set(chain.from_iterable(map(_chunk_terms, chunks)))


# Folding is done piece by piece between spaces, and each piece once: a vault's notes
# use a few tens of thousands of words between them. Folding makes no character a
# space, nor joins characters across one, so the terms are those of the text folded whole.
@functools.lru_cache(maxsize=1 << 18)
def _chunk_terms(chunk: str) -> tuple[str, ...]:
    return tuple(sys.intern(token[:TERM_MAX]) for token in _TOKEN.findall(fold(chunk)))


@functools.lru_cache(maxsize=1 << 18)
def term_shard(term: str) -> str:
    """The shard a term is in: its first two characters when they are ASCII letters or digits
    (`_` for a second that is not), else `u` and the first character's code point in hex.
    """
    first = term[0]
    if first in _ALNUM:
        return first + (term[1] if len(term) > 1 and term[1] in _ALNUM else "_")
    return f"u{ord(first):x}"


def doc_shard(doc_id: str) -> str:
    """The shard a note's entry is in: the first two characters of its id's hash."""
    return doc_id[4:6]


FOLDER = "search/"  # the site's folder of the index's shards


def term_file(key: str) -> str:
    """The site-relative file of the term shard `key`."""
    return f"{FOLDER}{key}.js"


def doc_file(key: str) -> str:
    """The site-relative file of the doc shard `key`."""
    return f"{FOLDER}docs/{key}.js"


KEYS_FILE = f"{FOLDER}shards.js"  # the list of term shards there are (`keys_script`)


def _base36(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, digit = divmod(number, 36)
        digits.append(_DIGITS[digit])
    return "".join(reversed(digits))


def base_id(path: str, kind: str, day: date | None) -> str:
    """A note's id before collisions are told apart: its kind's letter, its day in three
    base-36 digits (000 without one), and four of a hash of its path.

    Ids sort by day within a kind, so the page shows the newest of equal matches first,
    and stay the same whatever other notes come and go: a new note rewrites only the
    shards of its own terms.
    """
    days = 0 if day is None else min(max(day.toordinal() - _EPOCH, 1), _DAYS_MAX)
    digest = int.from_bytes(hashlib.blake2b(path.encode(), digest_size=8).digest(), "big")
    return KINDS.get(kind, "n") + _base36(days, 3) + _base36(digest % _HASH_SPACE, 4)


@record
class Entry:
    """One note as the index holds it: its entry in a doc shard, and its terms by tier."""

    path: str
    base: str  # `base_id`
    doc: tuple[str, ...]  # kind, title, url, path, date (ISO or ""), snippet
    # Its terms by tier (TITLE, META, BODY), sorted: each in the best tier it is in.
    terms: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def entry(
    path: str,
    kind: str,
    title: str,
    url: str,
    day: date | None,
    fields: Mapping[int, Iterable[str]],
    text: str,
) -> Entry:
    """The entry of a note: `fields` are its texts by tier (TITLE, META), `text` its body's
    plain text (the snippet, unless it is empty: then the META texts are).
    """
    texts = {tier: [t for t in fields.get(tier, ()) if t] for tier in (TITLE, META)}
    in_title = term_set(texts[TITLE])
    in_meta = term_set(texts[META]) - in_title
    in_body = term_set((text,)) - in_title - in_meta
    snippet = text or " · ".join(texts[META])
    if len(snippet) > SNIPPET_MAX:
        cut = snippet.rfind(" ", 0, SNIPPET_MAX)
        snippet = snippet[: cut if cut > SNIPPET_MAX // 2 else SNIPPET_MAX] + " …"
    doc = (kind, title, url, path, day.isoformat() if day else "", snippet)
    found = (tuple(sorted(in_title)), tuple(sorted(in_meta)), tuple(sorted(in_body)))
    return Entry(path, base_id(path, kind, day), doc, found)


Postings = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]  # note ids by tier, sorted
TermShard = Mapping[str, Postings]
DocShard = Mapping[str, tuple[str, ...]]  # note id → its entry's doc
# What a shard not held in memory is read from: ("terms" | "docs", key) → data, or None
# when there is no such shard.
Loader = Callable[[str, str], dict[str, Any] | None]


class Index:
    """Every shard's data by key: term shards (term → postings) and doc shards (id → doc).

    An index taken up from a site on disk holds only the shards read so far, and reads
    the others through `load` when they are asked for; a missing shard is empty.
    """

    def __init__(
        self,
        terms: dict[str, TermShard],
        docs: dict[str, DocShard],
        load: Loader | None = None,
        keys: Iterable[str] | None = None,
        packed: dict[str, tuple[Postings, list[str]]] | None = None,
    ) -> None:
        self.terms = terms
        self.docs = docs
        self.load = load
        # Each word's postings as written (`_pack`), kept while they are the same object:
        # an edit rewrites a shard whole, and packing a common word's long lists again
        # took most of a watched edit. Only what was written or read in this process is
        # kept (a fresh site's shards are written by other processes); passed on to the
        # index an update makes.
        self.packed = {} if packed is None else packed
        # The keys of every term shard there is, held or not: the search page loads no
        # other (a script that is not there would log an error).
        self.keys = frozenset(terms if keys is None else keys)

    def term_shard(self, key: str) -> TermShard:
        """The term shard `key` (empty if there is none)."""
        return self._get(self.terms, "terms", key)

    def doc_shard(self, key: str) -> DocShard:
        """The doc shard `key` (empty if there is none)."""
        return self._get(self.docs, "docs", key)

    def _get(self, held: dict[str, Any], kind: str, key: str) -> Any:
        found = held.get(key)
        if found is None and self.load is not None:
            data = self.load(kind, key) or {}
            if kind == "terms":
                found = {}
                for term, written in data.items():
                    found[term] = tiers = tuple(map(_unpack, written))
                    self._keep_packed(term, tiers, written)
            else:
                found = {doc_id: tuple(doc) for doc_id, doc in data.items()}
            held[key] = found
        return found if found is not None else {}

    def files(self) -> dict[str, tuple[str, str]]:
        """Every shard held, non-empty, by site-relative file: (kind, key)."""
        out = {term_file(key): ("terms", key) for key, shard in self.terms.items() if shard}
        out.update({doc_file(key): ("docs", key) for key, shard in self.docs.items() if shard})
        return dict(sorted(out.items()))

    def script(self, kind: str, key: str) -> str:
        """The JavaScript of one shard, as the site holds it."""
        if kind == "terms":
            data: dict[str, Any] = {
                term: self._packed(term, tiers)
                for term, tiers in sorted(self.term_shard(key).items())
            }
        else:
            data = {doc_id: list(doc) for doc_id, doc in sorted(self.doc_shard(key).items())}
        body = json.dumps([key, data], ensure_ascii=False, separators=(",", ":"))
        return f"netvaultSearch.{kind}({body[1:-1]});\n"

    def _packed(self, term: str, tiers: Postings) -> list[str]:
        """The postings of `term`, `tiers`, as a shard writes them."""
        kept = self.packed.get(term)
        if kept is not None and kept[0] is tiers:
            return kept[1]
        written = [_pack(ids) for ids in tiers]
        self._keep_packed(term, tiers, written)
        return written

    def _keep_packed(self, term: str, tiers: Postings, written: list[str]) -> None:
        """Keep the postings of `term` as written, for the next write of its shard."""
        self.packed[term] = (tiers, written)


def _pack(ids: Iterable[str]) -> str:
    """Sorted note ids as a shard writes them: space-separated, each without the kind and
    day (its first four characters) when the id before it has the same.
    """
    out = []
    last = ""
    for doc_id in ids:
        out.append(doc_id[4:] if doc_id[:4] == last else doc_id)
        last = doc_id[:4]
    return " ".join(out)


def _unpack(text: str) -> tuple[str, ...]:
    """The note ids `_pack` wrote (a whole id has eight characters or more)."""
    out = []
    last = ""
    for token in text.split():
        if len(token) < 8:
            token = last + token
        last = token[:4]
        out.append(token)
    return tuple(out)


def keys_script(keys: Iterable[str]) -> str:
    """The script that tells the search page which term shards there are."""
    return f"netvaultSearch.shards({json.dumps(' '.join(sorted(keys)))});\n"


def read_script(text: str) -> tuple[str, str, dict[str, Any]] | None:
    """A shard's (kind, key, data) from its script (`Index.script`); None if it is not one."""
    for kind in ("terms", "docs"):
        head = f"netvaultSearch.{kind}("
        if text.startswith(head) and text.endswith(");\n"):
            try:
                key, data = json.loads("[" + text[len(head) : -3] + "]")
            except ValueError:
                return None
            return kind, key, data
    return None


def _ids(entries: Iterable[Entry]) -> dict[str, str]:
    """Each note's id: its base id, or, where base ids collide, the base id and its place
    among them by path (the first keeps the base id alone).
    """
    groups: dict[str, list[str]] = {}
    for item in entries:
        groups.setdefault(item.base, []).append(item.path)
    ids: dict[str, str] = {}
    for base, paths in groups.items():
        for number, path in enumerate(sorted(paths)):
            ids[path] = base if number == 0 else f"{base}{number}"
    return ids


def build(entries: Iterable[Entry]) -> Index:
    """The index of these notes' entries."""
    entries = list(entries)
    ids = _ids(entries)
    tiers: tuple[dict[str, list[str]], ...] = ({}, {}, {})  # term → note ids, by tier
    docs: dict[str, dict[str, tuple[str, ...]]] = {}
    for item in entries:
        doc_id = ids[item.path]
        docs.setdefault(doc_shard(doc_id), {})[doc_id] = item.doc
        for tier, listed in zip(tiers, item.terms, strict=True):
            for term in listed:  # a vault's every word in every note: kept plain and quick
                try:
                    listed_in = tier[term]
                except KeyError:
                    tier[term] = [doc_id]
                else:
                    listed_in.append(doc_id)
    shards: dict[str, dict[str, Postings]] = {}
    for term in set().union(*tiers):
        postings = tuple(tuple(sorted(tier.get(term, ()))) for tier in tiers)
        shards.setdefault(term_shard(term), {})[term] = postings  # type: ignore[assignment]
    return Index(shards, dict(docs))


def update(
    index: Index,
    before: Mapping[str, Entry | None],
    after: Mapping[str, Entry | None],
    entry_of: Callable[[str], Entry],
) -> tuple[Index, set[str]]:
    """`index` with each note's entry `before` replaced by its entry `after` (None: the note
    is not there), and the files of the shards that changed.

    `entry_of(path)` gives the entry of a note not among them whose id moves, when a
    note's base id comes to collide with its own (or stops colliding). `index` is left
    as it was: the new index shares the shards that did not change.
    """
    terms: dict[str, dict[str, Postings]] = {}  # the term shards changed, copied
    docs: dict[str, dict[str, tuple[str, ...]]] = {}  # the doc shards changed, copied

    def terms_of(term: str) -> dict[str, Postings]:
        key = term_shard(term)
        if key not in terms:
            terms[key] = dict(index.term_shard(key))
        return terms[key]

    def doc_shard_of(doc_id: str) -> dict[str, tuple[str, ...]]:
        key = doc_shard(doc_id)
        if key not in docs:
            docs[key] = dict(index.doc_shard(key))
        return docs[key]

    # (term, tier) → note id → +1 to list it there, -1 to take it out. A note edited keeps
    # most of its words: they come out and go back in, and cancel out here, so only the
    # postings of the words that came or went are copied (a common word's lists every note).
    moves: dict[tuple[str, int], dict[str, int]] = {}

    def post(item: Entry, doc_id: str, add: bool) -> None:
        step = 1 if add else -1
        for tier, listed in enumerate(item.terms):
            for term in listed:
                held = moves.setdefault((term, tier), {})
                held[doc_id] = held.get(doc_id, 0) + step

    # The notes gone or changed leave the index, under the ids they had.
    bases: set[str] = set()
    for path, item in before.items():
        if item is None:
            continue
        bases.add(item.base)
        shard = doc_shard_of(item.base)
        for doc_id, doc in list(shard.items()):
            if doc_id.startswith(item.base) and doc[3] == path:
                del shard[doc_id]
                post(item, doc_id, add=False)
    coming = {path: item for path, item in after.items() if item is not None}
    bases |= {item.base for item in coming.values()}
    # Where base ids collide, every note sharing one may take another place among them.
    for base in sorted(bases):
        shard = doc_shard_of(base)
        staying = {doc[3]: doc_id for doc_id, doc in shard.items() if doc_id[:8] == base}
        paths = sorted({*staying, *(p for p, item in coming.items() if item.base == base)})
        for number, path in enumerate(paths):
            doc_id = base if number == 0 else f"{base}{number}"
            if path in coming:
                item = coming[path]
            elif staying[path] != doc_id:  # a note that did not change moves
                item = entry_of(path)
                del shard[staying[path]]
                post(item, staying[path], add=False)
            else:
                continue
            shard[doc_id] = item.doc
            post(item, doc_id, add=True)
    for (term, tier), held in moves.items():
        net = {doc_id: step for doc_id, step in held.items() if step}
        if net:
            _repost(terms_of(term), term, tier, net)
    touched = set()
    new_terms, new_docs = dict(index.terms), dict(index.docs)
    for key, shard in terms.items():
        if shard != index.term_shard(key):
            touched.add(term_file(key))
            new_terms[key] = shard
    for key, listed in docs.items():
        if listed != index.doc_shard(key):
            touched.add(doc_file(key))
            new_docs[key] = listed
    keys = {key for key in index.keys if key not in terms} | {k for k, v in terms.items() if v}
    return Index(new_terms, new_docs, index.load, keys, index.packed), touched


def _repost(shard: dict[str, Postings], term: str, tier: int, net: Mapping[str, int]) -> None:
    """List the notes of `net` that gain `term` in `tier` there (> 0), and take out those
    that lose it (< 0).
    """
    tiers = list(shard.get(term, ((), (), ())))
    ids = list(tiers[tier])
    for doc_id, step in sorted(net.items()):
        where = bisect.bisect_left(ids, doc_id)
        if step > 0:
            ids.insert(where, doc_id)
        elif where < len(ids) and ids[where] == doc_id:
            del ids[where]
    tiers[tier] = tuple(ids)
    if any(tiers):
        shard[term] = tuple(tiers)  # type: ignore[assignment]
    else:
        shard.pop(term, None)


def note_entry(page: Page, record: Contact | Interaction | Org | Goal | None, url: str) -> Entry:
    """The entry of a note, given its page, its record of its kind and its page's URL: its
    name, title and aliases; what its front matter says of it; its body's words.
    """
    meta: list[str] = [*(f"#{tag.lstrip('#')}" for tag in page.tags)]
    kind = type(record).__name__
    if kind == "Contact":
        contact: Contact = record  # type: ignore[assignment]
        meta[:0] = [contact.role, _ref_text(contact.org), contact.location, contact.how_met]
        meta += [*contact.interests, *contact.offers, *contact.asks, *contact.emails]
        meta += [f"{past.role} {past.org}" for past in contact.previous]
    elif kind == "Interaction":
        met: Interaction = record  # type: ignore[assignment]
        meta[:0] = [met.type, *map(_ref_text, met.with_)]
        meta += [_ref_text(met.org), *map(_ref_text, met.referrals), *met.air, *met.gave]
    elif kind == "Org":
        org: Org = record  # type: ignore[assignment]
        meta[:0] = [org.industry, org.location]
    elif kind == "Goal":
        goal: Goal = record  # type: ignore[assignment]
        meta[:0] = [*map(_ref_text, goal.targets), *goal.fields, *goal.roles]
    return entry(
        page.path,
        page.kind,
        page.title,
        url,
        page.date,
        {TITLE: (page.title, *page.aliases), META: meta},
        plain_text(page.body),
    )


def _ref_text(ref: Ref | None) -> str:
    return "" if ref is None else ref.text
