"""Front matter typed as Obsidian's Properties view types it."""

from __future__ import annotations

from datetime import date, datetime
from types import MappingProxyType

from netvault.properties import TEXT_MAX, Piece, Property, Shown, properties, shown
from netvault.vault import Note


def test_values_are_typed_as_obsidian_types_them():
    assert shown(True) == Shown("checkbox", checked=True)
    assert shown(False) == Shown("checkbox", checked=False)
    assert shown(3) == Shown("number", (Piece("3"),))
    assert shown(2.5) == Shown("number", (Piece("2.5"),))
    assert shown(date(2024, 6, 14)) == Shown("date", day=date(2024, 6, 14))
    assert shown(datetime(2024, 6, 14, 23, 2)) == Shown("datetime", (Piece("2024-06-14 23:02"),))
    assert shown("01234") == Shown("text", (Piece("01234"),))
    for empty in (None, "", []):
        assert shown(empty) == Shown("empty")
    assert shown(["a", 2]) == Shown(
        "list", items=(Shown("text", (Piece("a"),)), Shown("number", (Piece("2"),)))
    )
    assert shown({"city": "Oslo"}) == Shown("text", (Piece("city: Oslo"),))


def test_links_in_text_are_links_shown_by_their_alias():
    assert shown("Met at [[Tree Company]] via [[Steph Ango|Steph]].") == Shown(
        "text",
        (
            Piece("Met at "),
            Piece("Tree Company", "Tree Company"),
            Piece(" via "),
            Piece("Steph", "Steph Ango"),
            Piece("."),
        ),
    )
    assert shown("[[Notes/Plan#Next steps]]") == Shown("text", (Piece("Notes/Plan", "Notes/Plan"),))


def test_a_long_value_such_as_a_data_url_is_cut_saying_how_much():
    value = "data:image/png;base64," + "A" * 5000
    [piece] = shown(value).pieces
    assert piece.text.startswith("data:image/png;base64,AAA")
    assert piece.text.endswith(f"… ({len(value) - TEXT_MAX:,} more characters)")
    assert len(piece.text) < TEXT_MAX + 40


def test_every_property_is_listed_in_file_order_with_its_line():
    note = Note(
        "people/Steph.md",
        MappingProxyType({"Company": "[[Tree Company]]", "zip": "01234", "Priority": False}),
        MappingProxyType({"Company": 2, "zip": 3, "Priority": 4}),
    )
    assert [(p.key, p.line) for p in properties(note)] == [
        ("Company", 2),
        ("zip", 3),
        ("Priority", 4),
    ]
    assert properties(note)[2] == Property("Priority", 4, Shown("checkbox"))
