"""The vault's contacts as a vCard 3.0 file, for phones and desktop address books.

vCard 3.0 (RFC 2426) is the version address books import most widely. vobject
writes every card: it escapes commas, semicolons, backslashes and line breaks,
folds long lines and ends them with CRLF, and orders each card's properties by
name, so the same contacts always give the same bytes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import date

import vobject
from vobject.vcard import Address, Name

from ..model import Contact

# "1985-03-14", or "--03-14" for a birthday without its year.
_BIRTHDAY = re.compile(r"(\d{4}|-)-(\d{2})-(\d{2})")
# vCard 3.0 cannot write a date without its year. Apple writes such a birthday as
# year 1604 with X-APPLE-OMIT-YEAR=1604, and Android, DAVx5, Nextcloud and
# SabreDAV read and write it the same way; `--MMDD` is vCard 4.0 only, and 3.0
# address books drop it. An address book that knows neither shows the year 1604,
# which no one takes for a real one; `read_vcards` reads it back as "--MM-DD".
_NO_YEAR_STAND_IN = "1604"
_PRODID = "-//netvault//netvault//EN"


def export_vcards(contacts: Iterable[Contact]) -> str:
    """The contacts as one vCard 3.0 file, sorted by name then path."""
    ordered = sorted(contacts, key=lambda c: (c.name.casefold(), c.name, c.path))
    return "".join(_card(contact).serialize() for contact in ordered)


def _card(contact: Contact) -> vobject.base.Component:
    """One contact as a vCard."""
    card = vobject.vCard()
    _add(card, "prodid", _PRODID)
    _add(card, "uid", _uid(contact.path))
    _add(card, "fn", contact.name)
    _add(card, "n", _name(contact.name))
    for email in contact.emails:
        _add(card, "email", email).type_param = "INTERNET"
    for phone in contact.phones:
        _add(card, "tel", phone)
    if contact.org and contact.org.text:
        _add(card, "org", [contact.org.text])
    if contact.role:
        _add(card, "title", contact.role)
    if contact.website:
        _add(card, "url", contact.website)
    if contact.linkedin:
        profile = _linkedin_url(contact.linkedin)
        _add(card, "x-socialprofile", profile).type_param = "linkedin"
        # Address books that know no X-SOCIALPROFILE still show a URL.
        _add(card, "url", profile)
    _add_birthday(card, contact.birthday)
    if contact.tags:
        _add(card, "categories", list(contact.tags))
    if contact.location:
        _add(card, "adr", Address(city=contact.location))
    if contact.how_met:
        # The one free text a contact keeps that an address book has a place for.
        _add(card, "note", contact.how_met)
    return card


def _uid(path: str) -> str:
    """A UID that stays the same for the note at `path`, so a re-import updates the card."""
    return "netvault-" + hashlib.sha256(path.encode("utf-8")).hexdigest()[:32]


def _add(card: vobject.base.Component, name: str, value: object) -> vobject.base.ContentLine:
    """A new `name` line on the card holding `value`."""
    line = card.add(name)
    line.value = value
    return line


def _linkedin_url(value: str) -> str:
    """The LinkedIn profile as an address: a bare handle, as notes may hold, made a URL."""
    text = value.strip()
    if "/" in text or "." in text:  # the site links such a value as it is, too
        return text
    return f"https://www.linkedin.com/in/{text}"


def _name(full: str) -> Name:
    """N from a full name: the last word is the family name, the words before it given."""
    words = full.split()
    if len(words) < 2:
        return Name(given=full.strip())
    return Name(family=words[-1], given=" ".join(words[:-1]))


def _add_birthday(card: vobject.base.Component, birthday: str) -> None:
    """BDAY, when the note's birthday is a date, with or without its year."""
    match = _BIRTHDAY.fullmatch(birthday.strip())
    if match is None:
        return
    year, month, day = match.groups()
    try:
        # A leap year stands in for a missing one, so 29 February passes.
        date(2000 if year == "-" else int(year), int(month), int(day))
    except ValueError:
        return
    if year != "-":
        _add(card, "bday", f"{year}-{month}-{day}")
        return
    line = _add(card, "bday", f"{_NO_YEAR_STAND_IN}-{month}-{day}")
    line.x_apple_omit_year_param = _NO_YEAR_STAND_IN
