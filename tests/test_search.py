"""The search index: folding, terms, shards, ranking data, updates, and its scripts."""

from __future__ import annotations

import json
from datetime import date

import pytest

from netvault import build, search
from netvault.site import read_shard

TODAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wróbel", ["wrobel"]),
        ("ŁÓDŹ", ["łodz"]),  # Ł has no decomposition: it stays a letter of its own
        ("Straße", ["strasse"]),
        ("José Núñez", ["jose", "nunez"]),
        ("ﬁnance", ["finance"]),  # compatibility forms are folded
        ("O'Brien, Jr.", ["o", "brien", "jr"]),
        ("田中 さくら", ["田", "中", "さ", "く", "ら"]),  # each character a term
        ("김민준", ["김", "민", "준"]),  # Hangul syllables stay whole
        ("Иван Петров", ["иван", "петров"]),
        ("snake_case", ["snake", "case"]),
        ("x" * 50, ["x" * search.TERM_MAX]),
    ],
)
def test_terms_are_folded_words_and_single_cjk_characters(text, expected):
    assert search.terms(text) == expected


def test_a_term_is_in_the_shard_of_its_first_two_characters():
    assert search.term_shard("wrobel") == "wr"
    assert search.term_shard("a") == "a_"
    assert search.term_shard("7") == "7_"
    assert search.term_shard("田") == "u7530"
    assert search.term_shard("иван") == "u438"
    assert search.term_file("wr") == "search/wr.js"


def entries_of(root):
    """Every note's entry, as the site makes them, by path."""
    from netvault.site import Pages

    loaded = build.load(root)
    pages = Pages(loaded, (), TODAY)
    return pages, {path: pages._search_entry(path) for path in loaded.model.pages}


NOTES = {
    "contacts/Agnieszka Wróbel.md": (
        "---\naliases: [Aga]\norg: Navy\nrole: Captain\ntags: [sailing]\n---\nLoves boats.\n"
    ),
    "interactions/2026-11-16 Lunch.md": (
        '---\nwith: "[[Agnieszka Wróbel]]"\n---\nTalked about [[Agnieszka Wróbel|Aga]]\'s boats.\n'
    ),
    "notes/Boats.md": "All about **boats** and #sailing, by Wróbel.\n",
    "contacts/Bare.md": "---\nrole: Captain\norg: Navy\ntags: [sailing]\n---\n",
}


def test_a_name_is_a_title_term_its_front_matter_meta_and_its_body_body(vault):
    _pages, found = entries_of(vault(NOTES))
    aga = found["contacts/Agnieszka Wróbel.md"]
    title, meta, body = aga.terms
    assert {"agnieszka", "wrobel", "aga"} <= set(title)
    assert {"navy", "captain", "sailing"} <= set(meta)
    assert set(body) == {"loves", "boats"}
    lunch = found["interactions/2026-11-16 Lunch.md"]
    # The people met are front matter; a link in the body is the words it shows.
    assert {"agnieszka", "wrobel"} <= set(lunch.terms[search.META])
    assert "aga" in lunch.terms[search.BODY]
    kind, shown, url, path, day, snippet = lunch.doc
    assert (kind, shown, url, path, day) == (
        "interaction",
        "Lunch",
        "interactions/2026-11-16-lunch.html",
        "interactions/2026-11-16 Lunch.md",
        "2026-11-16",
    )
    assert snippet == "Talked about Aga's boats."
    assert found["notes/Boats.md"].doc[5] == "All about boats and #sailing, by Wróbel."
    # A contact with no body is shown by what its front matter says.
    assert found["contacts/Bare.md"].doc[5] == "Captain · Navy · #sailing"


def test_ids_sort_by_kind_then_day_and_tell_colliding_notes_apart():
    older = search.base_id("interactions/a.md", "interaction", date(2020, 1, 1))
    newer = search.base_id("interactions/b.md", "interaction", date(2026, 1, 1))
    assert older[0] == newer[0] == "i"
    assert older[1:4] < newer[1:4]
    assert search.base_id("contacts/a.md", "contact", None)[:4] == "c000"

    def made(path):
        return search.entry(path, "contact", path, path, None, {}, "")

    a, b = made("contacts/a.md"), made("contacts/b.md")
    b = search.Entry(b.path, a.base, b.doc, (("word",), (), ()))  # a collision, made so
    a = search.Entry(a.path, a.base, a.doc, (("word",), (), ()))
    index = search.build([b, a])
    ids = sorted(index.doc_shard(search.doc_shard(a.base)))
    assert ids == [a.base, a.base + "1"]
    assert index.term_shard("wo")["word"] == ((a.base, a.base + "1"), (), ())
    # An update that takes `a` away moves `b` to the id alone, in every shard.
    updated, touched = search.update(index, {a.path: a}, {a.path: None}, lambda p: b)
    assert updated.term_shard("wo")["word"] == ((a.base,), (), ())
    assert dict(updated.doc_shard(search.doc_shard(a.base))) == {a.base: b.doc}
    assert touched == {search.term_file("wo"), search.doc_file(search.doc_shard(a.base))}
    assert updated.files().keys() == search.build([b]).files().keys()


def scripts(index):
    return {rel: index.script(kind, key) for rel, (kind, key) in index.files().items()}


def test_an_update_gives_the_shards_a_build_from_nothing_gives(vault):
    root = vault(NOTES)
    _pages, before = entries_of(root)
    index = search.build(before.values())
    (root / "notes" / "Boats.md").write_text("Canoes, by Wróbel.\n")
    (root / "notes" / "Zebra.md").write_text("Zq.\n")
    (root / "interactions" / "2026-11-16 Lunch.md").unlink()
    _pages, after = entries_of(root)
    paths = {"notes/Boats.md", "notes/Zebra.md", "interactions/2026-11-16 Lunch.md"}
    updated, touched = search.update(
        index, {p: before.get(p) for p in paths}, {p: after.get(p) for p in paths}, after.get
    )
    fresh = search.build(after.values())
    assert scripts(updated) == scripts(fresh)
    assert updated.keys == fresh.keys
    gone = {"search/lu.js", "search/ta.js"}  # "lunch" and "talked" were in Lunch alone
    assert gone <= touched and not gone & updated.files().keys()
    assert {"search/ca.js", "search/zq.js"} <= touched
    assert "search/na.js" not in touched  # Navy is in a note that did not change
    assert index.term_shard("bo") != updated.term_shard("bo")  # the index given is kept


def test_a_shard_is_a_script_that_hands_its_data_to_the_page_and_reads_back(vault):
    root = vault(
        {"contacts/Mallory.md": '---\nname: "</script><script>alert(1)</script>"\n---\n\u2028x'}
    )
    _pages, found = entries_of(root)
    index = search.build(found.values())
    for rel, text in scripts(index).items():
        kind, key, data = search.read_script(text)
        head = f"netvaultSearch.{kind}({json.dumps(key)},"
        assert text.startswith(head) and text.endswith(");\n"), rel
        assert text.count("\n") == 1  # one statement, whatever the note says
    (doc_rel,) = [rel for rel in index.files() if rel.startswith("search/docs/")]
    kind, key, data = search.read_script(scripts(index)[doc_rel])
    (doc,) = data.values()
    assert doc[1] == "</script><script>alert(1)</script>"  # data, shown by the page as text
    assert search.read_script("alert(1);\n") is None


def test_ids_are_packed_in_a_shard_and_unpacked_as_they_were():
    ids = ("c000aaaa", "c000bbbb", "c000bbbb1", "i0abcccc", "i0abdddd")
    packed = search._pack(ids)
    assert packed == "c000aaaa bbbb bbbb1 i0abcccc dddd"
    assert search._unpack(packed) == ids


def test_a_site_takes_up_its_shards_from_disk_only_when_they_are_as_written(vault, tmp_path):
    root = vault(NOTES)
    out = tmp_path / "site"
    builder = build.Builder(root, out)
    builder.build(TODAY)
    files = builder._state.manifest.files
    data = read_shard(out, files, "terms", "wr")
    assert "wrobel" in data
    assert read_shard(out, files, "terms", "qq") is None  # no such shard
    (out / "search" / "wr.js").write_text('netvaultSearch.terms("wr",{});\n')
    from netvault.site import ShardUnreadable

    with pytest.raises(ShardUnreadable):
        read_shard(out, files, "terms", "wr")
