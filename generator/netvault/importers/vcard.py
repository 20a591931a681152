"""vCard files (2.1, 3.0 and 4.0, from phones and desktop address books) as `Incoming` contacts.

vobject 0.9.9 does the reading: unfolding, parameters, quoted-printable, unescaping and
the structured N, ADR and ORG values. What it gets wrong is worked around here, each
at its place: its `readComponents` stops the whole file at the first broken card,
decodes every property as it closes a card (so a bad PHOTO or an `ENCODING=8BIT`
breaks the card), joins quoted-printable soft line breaks only when asked, and cuts
a text value at its first unescaped comma, which 2.1 files and many 3.0 writers leave.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import vobject
from vobject.base import Component, ContentLine, VObjectError

from ..problems import Problem
from ..records import record
from ..text import clean
from . import Incoming, Read

# A line that starts with a space continues the one before, so no space may lead these.
_BEGIN = re.compile(r"BEGIN:VCARD\s*", re.IGNORECASE)
_END = re.compile(r"END:VCARD\s*", re.IGNORECASE)
_NEWLINE = re.compile(r"\r\n|\r|\n")
# A backslash escape, or a comma that is not part of one.
_ESCAPE_OR_COMMA = re.compile(r"\\(.)|,", re.DOTALL)
# 1985-03-14, 19850314, --0314, --03-14 (a time after the date is ignored).
_BDAY = re.compile(r"(\d{4}|--)-?(\d{2})-?(\d{2})(?:T.*)?")
# Apple's address book writes a birthday without a year as year 1604.
_NO_YEAR = "1604"
# A property whose parameters (before the value's colon) say it is quoted-printable.
_QP_PARAM = re.compile(r"^[^:\n]*QUOTED-PRINTABLE[^:\n]*:", re.IGNORECASE | re.MULTILINE)
_GOOGLE_ALL = "mycontacts"  # Google's system group of every contact
_VERSION_2_1 = re.compile(r"^VERSION:\s*2\.1\s*$", re.IGNORECASE | re.MULTILINE)
# A folded line's leading space or tab, unless the line before ends a quoted-printable
# soft line break (`=`), whose next line is data as it stands.
_FOLD = re.compile(r"(?<!=)\n([ \t])")

# The properties read; the rest are never decoded, so a broken one cannot spoil a card.
_READ = frozenset(
    {
        "VERSION",
        "FN",
        "N",
        "EMAIL",
        "TEL",
        "ORG",
        "TITLE",
        "ROLE",
        "URL",
        "X-SOCIALPROFILE",
        "NOTE",
        "BDAY",
        "CATEGORIES",
        "ADR",
        "KIND",
        "X-ADDRESSBOOKSERVER-KIND",
    }
)
# Where a comma separates values, so it must stay bare; everywhere else it is text.
_LISTS = frozenset({"N", "ADR", "CATEGORIES"})


@record
class _Chunk:
    """One card's lines as the file has them."""

    line: int  # of its BEGIN:VCARD, 1-based
    text: str
    closed: bool  # an END:VCARD was found


def read_vcards(text: str, path: str = "") -> Read:
    """The contacts of a vCard file, and the problems of cards that could not be read."""
    contacts: list[Incoming] = []
    problems: list[Problem] = []
    chunks = list(_chunks(text.removeprefix("\ufeff")))
    if not chunks and text.strip():
        problems.append(Problem(path, 1, "no BEGIN:VCARD: this is not a vCard file"))
    for chunk in chunks:
        incoming, problem = _read_chunk(chunk, path)
        if incoming is not None:
            contacts.append(incoming)
        if problem is not None:
            problems.append(problem)
    return Read(tuple(contacts), tuple(problems), sum(c.photos for c in contacts))


def _chunks(text: str) -> Iterator[_Chunk]:
    """Each BEGIN:VCARD … END:VCARD of the text, so one broken card spares the others."""
    start, lines = 0, []
    for number, line in enumerate(_NEWLINE.split(text), 1):
        if _BEGIN.fullmatch(line):
            if lines:
                yield _Chunk(start, "\n".join(lines), False)
            start, lines = number, [line]
        elif lines:
            lines.append(line)
            if _END.fullmatch(line):
                yield _Chunk(start, "\n".join(lines) + "\n", True)
                lines = []
    if lines:
        yield _Chunk(start, "\n".join(lines), False)


def _read_chunk(chunk: _Chunk, path: str) -> tuple[Incoming | None, Problem | None]:
    """One card as a contact, or the problem that kept it out."""
    if not chunk.closed:
        return None, Problem(path, chunk.line, "this vCard has no END:VCARD: skipped")
    try:
        card, photos = _parse(chunk.text)
    except (VObjectError, ValueError, LookupError) as exc:
        # ValueError covers quoted-printable bytes that are not in their CHARSET;
        # LookupError a CHARSET Python does not know.
        message = f"could not read this vCard: {_reason(exc)}"
        return None, Problem(path, chunk.line, message)
    if _is_group(card):
        return None, Problem(path, chunk.line, "a contact group, not a person: skipped", "warning")
    return _incoming(card, chunk.line, photos, path)


def _reason(exc: Exception) -> str:
    """What vobject found wrong, on one line."""
    # vobject's own line numbers count each line twice when it reads without
    # quoted-printable, so its bare message is kept; the problem names the BEGIN line.
    reason = exc.msg if isinstance(exc, VObjectError) else exc
    return " ".join(str(reason).split()) or type(exc).__name__


def _parse(text: str) -> tuple[Component, int]:
    """One card's text as a vobject component of the properties read, and its photo count."""
    # vobject's own `readOne` would decode every property, PHOTO included, before
    # they could be looked at, so the card is put together from vobject's content lines.
    # vobject joins quoted-printable soft line breaks (`=` at a line's end) only when
    # asked, and asked it also joins any line that ends in `=` and names the encoding.
    allow_qp = _QP_PARAM.search(text) is not None
    if _VERSION_2_1.search(text):
        # vCard 2.1 folds as RFC 822 does, keeping the space that starts the next
        # line; vobject unfolds as 3.0 does, dropping it: doubled, one survives.
        text = _FOLD.sub(r"\n\1\1", text)
    card = Component("VCARD")
    version, photos = "3.0", 0
    for logical, number in vobject.base.getLogicalLines(io.StringIO(text), allow_qp):
        line = vobject.base.textLineToContentLine(logical, number)
        if line.name == "PHOTO":
            photos += 1
        elif line.name == "VERSION":
            version = line.value.strip()
        elif line.name in _READ:
            card.add(_prepared(line))
    # Setting the behaviour decodes each line (unescaping); then N, ADR, ORG are split.
    card.setBehavior(vobject.base.getBehavior("VCARD", version))
    card.transformChildrenToNative()
    return card, photos


def _prepared(line: ContentLine) -> ContentLine:
    """The line made safe for vobject's decoding."""
    # 2.1 writers mark plain text ENCODING=8BIT or 7BIT; vobject takes any ENCODING
    # for base64 and fails on it.
    encodings = [e for e in line.params.get("ENCODING", []) if e.upper() not in ("7BIT", "8BIT")]
    if encodings:
        line.params["ENCODING"] = encodings
    else:
        line.params.pop("ENCODING", None)
    line.value = _escaped(line.value, keep_commas=line.name in _LISTS)
    return line


def _escaped(value: str, keep_commas: bool) -> str:
    """The raw value with bare commas escaped (unless they separate values) and `\\:` undone."""
    # vobject keeps only the text before a bare comma in a one-value property; Apple
    # writes `http\\://` in URLs, which vobject leaves escaped.

    def fix(match: re.Match[str]) -> str:
        """The escape or comma as vobject should see it."""
        if match[1] is None:
            return "," if keep_commas else "\\,"
        return ":" if match[1] == ":" else match[0]

    return _ESCAPE_OR_COMMA.sub(fix, value)


def _is_group(card: Component) -> bool:
    """Whether the card is a contact group (4.0 KIND, or Apple's), not a person."""
    kinds = _texts(card, "KIND") + _texts(card, "X-ADDRESSBOOKSERVER-KIND")
    return any(kind.lower() == "group" for kind in kinds)


# ---------------------------------------------------------------------------
# From the card to the contract


def _incoming(
    card: Component, line: int, photos: int, path: str
) -> tuple[Incoming | None, Problem | None]:
    """The contact a parsed card tells of, with a warning for what had to be left out."""
    emails = _unique((_strip_scheme(v, "mailto:") for v in _texts(card, "EMAIL")), str.casefold)
    phones = _unique((_strip_scheme(v, "tel:") for v in _texts(card, "TEL")), _phone_key)
    org = _org(card)
    linkedin, website = _links(card)
    birthday, problem = _birthday(card, line, path)
    fields = {
        "email": emails,
        "phone": phones,
        "org": org,
        "role": _first(_texts(card, "TITLE") + _texts(card, "ROLE")),
        "linkedin": linkedin,
        "website": website,
        "location": _location(card),
        "birthday": birthday,
        "tags": _tags(card),
        "source": "vcard",
    }
    name = _name(card) or org or (emails[0] if emails else "")
    if not name:
        message = "a vCard with no name, organisation or e-mail: skipped"
        return None, Problem(path, line, message, "warning")
    kept = {key: value for key, value in fields.items() if value}
    return Incoming(line, name, kept, _note(card), photos), problem


def _values(card: Component, name: str) -> list[Any]:
    """The decoded values of every `name` line, in file order."""
    return [line.value for line in card.contents.get(name.lower(), [])]


def _texts(card: Component, name: str) -> list[str]:
    """The one-line texts of every `name` line, in file order, empty ones left out."""
    return [text for text in map(_one_line, _values(card, name)) if text]


def _one_line(value: Any) -> str:
    """A value as one line: stripped, whitespace runs made one space."""
    if isinstance(value, list):  # a bare comma in N or ADR made a list
        value = ", ".join(str(v) for v in value)
    elif isinstance(value, bytes):  # a text property someone base64-encoded
        value = value.decode("utf-8", "replace")
    return " ".join(clean(str(value)).split())


def _first(values: Iterable[Any]) -> Any:
    """The first truthy value, or an empty string."""
    return next((v for v in values if v), "")


def _unique(values: Iterable[str], key: Callable[[str], Any]) -> list[str]:
    """The non-empty values in order, each kept the first time its key is seen."""
    seen: dict[Any, str] = {}
    for value in values:
        if value and key(value) not in seen:
            seen[key(value)] = value
    return list(seen.values())


def _phone_key(phone: str) -> str:
    """What makes two spellings of a phone number the same number."""
    return re.sub(r"[^\d+]", "", phone) or phone


def _strip_scheme(value: str, scheme: str) -> str:
    """The value without a URI scheme (4.0 writes `tel:+1-555-0100`)."""
    return value[len(scheme) :].strip() if value.lower().startswith(scheme) else value


def _name(card: Component) -> str:
    """FN, or the name assembled from N's given, additional and family names."""
    full = _first(_texts(card, "FN"))
    if full:
        return full
    for name in _values(card, "N"):
        parts = (getattr(name, part, "") for part in ("given", "additional", "family"))
        # A bare comma in N separates names (`Mary,Ann`): they are read as written.
        words = (" ".join(part) if isinstance(part, list) else part for part in parts)
        assembled = _one_line(" ".join(words))
        if assembled:
            return assembled
    return ""


def _org(card: Component) -> str:
    """The organisation: ORG's first component (departments follow it), or a 4.0 org's FN."""
    for value in _values(card, "ORG"):
        components = value if isinstance(value, list) else [value]
        if components and _one_line(components[0]):
            return _one_line(components[0])
    is_org = any(kind.lower() == "org" for kind in _texts(card, "KIND"))
    return _first(_texts(card, "FN")) if is_org else ""


def _links(card: Component) -> tuple[str, str]:
    """The LinkedIn profile and the first other web site, from URL and X-SOCIALPROFILE."""
    linkedin, website = "", ""
    for line in card.contents.get("url", []) + card.contents.get("x-socialprofile", []):
        url = _one_line(line.value)
        types = {t.lower() for v in line.params.get("TYPE", []) for t in v.split(",")}
        if _is_linkedin(url) or (line.name == "X-SOCIALPROFILE" and "linkedin" in types):
            linkedin = linkedin or url
        elif line.name == "URL":
            website = website or url
    return linkedin, website


def _is_linkedin(url: str) -> bool:
    """Whether the address is on linkedin.com (with or without a scheme)."""
    host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    return host == "linkedin.com" or host.endswith(".linkedin.com")


def _location(card: Component) -> str:
    """The locality (city) of the first address that has one."""
    return _first(_one_line(getattr(adr, "city", "")) for adr in _values(card, "ADR"))


def _tags(card: Component) -> list[str]:
    """CATEGORIES, every line's, as given, each once."""
    found: list[str] = []
    for value in _values(card, "CATEGORIES"):
        found += [_one_line(v) for v in (value if isinstance(value, list) else [value])]
    # Google's vCard export puts every contact in its system group `myContacts`,
    # which says nothing (its CSV reader leaves it out too).
    return _unique((tag for tag in found if tag.casefold() != _GOOGLE_ALL), str.casefold)


def _note(card: Component) -> str:
    """NOTE, several joined as paragraphs, with the file's line breaks made plain."""
    notes = [_NEWLINE.sub("\n", clean(str(v))).strip() for v in _values(card, "NOTE")]
    return "\n\n".join(note for note in notes if note)


def _birthday(card: Component, line: int, path: str) -> tuple[str, Problem | None]:
    """BDAY as "YYYY-MM-DD" or "--MM-DD", or a warning when it is not a date."""
    lines = card.contents.get("bday", [])
    if not lines:
        return "", None
    written = _one_line(lines[0].value)
    birthday = _date(written, lines[0].params.get("X-APPLE-OMIT-YEAR", []))
    if birthday or not written:
        return birthday, None
    message = f"birthday “{written}” is not a date: left out"
    return "", Problem(path, line, message, "warning")


def _date(written: str, no_year: list[str]) -> str:
    """A vCard date as "YYYY-MM-DD", or "--MM-DD" when it has no year (or Apple's 1604)."""
    match = _BDAY.fullmatch(written)
    if match is None:
        return ""
    year, month, day = match.groups()
    if year in (*no_year, _NO_YEAR):
        year = "--"
    try:
        # A leap year stands in for a missing one, so 29 February passes.
        date(2000 if year == "--" else int(year), int(month), int(day))
    except ValueError:
        return ""
    return f"--{month}-{day}" if year == "--" else f"{year}-{month}-{day}"
