"""Normalising text pasted from anywhere, so that names and dates match."""

from __future__ import annotations

import re
import unicodedata

# Variation selectors and zero-width characters ride along with emoji and text
# pasted from the web; non-breaking spaces come from word processors.
_INVISIBLE = dict.fromkeys(map(ord, "\ufe0e\ufe0f\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u3000"), " ")
_ODD = re.compile("[" + "".join(map(chr, (*_INVISIBLE, *_SPACES))) + "]")


def clean(text: str) -> str:
    """The text with invisible characters removed and odd spaces made plain."""
    if text.isascii():  # most names are: nothing to remove, and ASCII is always NFC
        return text
    # Most other text has nothing to change either: telling so is ten times quicker
    # than translating it (a vault's worth of names and fields passes through here).
    if _ODD.search(text) is None and unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text.translate(_INVISIBLE).translate(_SPACES))


def fold(text: str) -> str:
    """A key for matching names the way Obsidian does: cleaned, trimmed, case-folded."""
    return " ".join(clean(text).split()).casefold()


_KEY_MARKS = dict.fromkeys(map(ord, "-_"), None)


def fold_key(key: str) -> str:
    """A front-matter key for matching: `Phone Number`, `phone_number` → `phonenumber`."""
    return "".join(clean(key).casefold().split()).translate(_KEY_MARKS)


_LINK_SHOWN = re.compile(r"!?\[\[([^\]|#]*)(?:#[^\]|]*)?(?:\|([^\]]*))?\]\]")


def unlinked(text: str) -> str:
    """`text` with each `[[Note|shown]]` written as the words it shows: for prose."""
    return _LINK_SHOWN.sub(lambda m: (m[2] or m[1]).strip(), text)


LEAD_WORDS = 12  # how many words of a message a list shows
_FENCE = re.compile(r"^\s*(```|~~~)")
# Lines that are not prose: headings, tables, footnotes, tasks, comments, callout titles.
_NOT_PROSE = re.compile(r"^\s*(#{1,6}\s|\||\[\^|[-*+] \[.\]|<!--|%%|>\s*\[!)")
_LINE_MARKS = re.compile(r"^\s*(?:>\s*)*(?:[-*+]\s+|\d+[.)]\s+)?")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_INLINE_FIELD = re.compile(r"\s*[\[(][\w -]+::[^\])]*[\])]")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`|~~|==)")


def first_words(text: str, words: int = LEAD_WORDS) -> str:
    """The first `words` words of the first paragraph of prose in Markdown `text`, with
    its markup taken off and `…` when there is more: what a list shows of a message.
    """
    found: list[str] = []
    fenced = False
    for line in text.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced or _NOT_PROSE.match(line):
            continue
        line = _LINE_MARKS.sub("", line)
        if not line.strip():
            if found:  # the end of the first paragraph
                break
            continue
        line = _EMPHASIS.sub("", _INLINE_FIELD.sub("", _MD_LINK.sub(r"\1", unlinked(line))))
        found += clean(line).split()
        if len(found) > words:
            break
    if len(found) > words:
        return " ".join(found[:words]).rstrip(",;:.") + "…"
    return " ".join(found)
