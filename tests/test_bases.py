"""Obsidian Bases: reading .base files and working their views out over notes."""

from datetime import date, datetime

import pytest

from netvault.bases import Column, Row, read_base, view_names, work_out

TODAY = date(2024, 3, 1)
STEPH = Row("people/Steph Ango.md", "Steph Ango", ("person",), (), {"company": "[[Obsidian]]"})
ADA = Row("people/Ada.md", "Ada", ("person",), (), {})
PATHS = {
    "Steph Ango": "people/Steph Ango.md",
    "Steph": "people/Steph Ango.md",  # an alias
    "Ada": "people/Ada.md",
    "Obsidian": "orgs/Obsidian.md",
}


def resolve(name):
    """Link names to vault paths, as the vault would resolve them."""
    return PATHS.get(name)


def note(path, tags=(), links=(), **properties):
    """A row for the note at `path`."""
    return Row(path, path.rsplit("/", 1)[-1].removesuffix(".md"), tuple(tags), links, properties)


def base_of(yaml_text, path="Bases/test.base"):
    """A base read from text that must have no problems."""
    base, problems = read_base(path, yaml_text)
    assert problems == ()
    return base


def paths(table):
    """The paths of a table's rows, group by group."""
    return [row.path for group in table.groups for row, _cells in group.rows]


def show(yaml_text, rows, this=None, name=None):
    """The paths a base's view shows over `rows`."""
    table, problems = work_out(base_of(yaml_text), name, rows, this, TODAY, resolve)
    assert problems == ()
    return paths(table)


def filtered(expression, rows, this=None):
    """The paths of `rows` that pass one filter expression, in path order."""
    return show(f"views:\n  - type: table\n    filters: {expression!r}\n", rows, this)


MEETINGS = [
    note("meetings/a.md", tags=("meeting",), people=["[[Steph Ango]]", "[[Ada]]"]),
    note("meetings/b.md", tags=("Meeting",), people="[[Steph Ango|Steph]]"),
    note("meetings/c.md", tags=("meeting",), people=["[[Ada]]"]),
    note("notes/d.md", tags=("meeting",), people=["[[Steph Ango]]"]),
    note("meetings/old/e.md", tags=("call",), people="Steph Ango"),
]


def test_a_persons_meetings_view():
    """The documented example: meetings in a folder that list `this` person."""
    text = """\
filters:
  and:
    - file.hasTag("meeting")
    - 'file.inFolder("meetings")'
views:
  - type: table
    name: Person
    filters:
      and:
        - list(people).contains(this)
"""
    assert show(text, MEETINGS, this=STEPH) == ["meetings/a.md", "meetings/b.md"]
    assert show(text, MEETINGS, this=ADA) == ["meetings/a.md", "meetings/c.md"]


def test_in_folder_includes_subfolders_but_not_lookalikes():
    rows = [note("meetings/a.md"), note("meetings/old/e.md"), note("meetings-2/x.md"), note("a.md")]
    assert filtered('file.inFolder("meetings")', rows) == ["meetings/a.md", "meetings/old/e.md"]
    assert filtered('file.inFolder("meetings/old/")', rows) == ["meetings/old/e.md"]


def test_tags_match_case_insensitively_and_by_their_parents():
    rows = [
        note("a.md", tags=("work/meetings",)),
        note("b.md", tags=("Work",)),
        note("c.md", tags=("workshop",)),
        note("d.md", tags=("home",)),
    ]
    assert filtered('file.hasTag("work")', rows) == ["a.md", "b.md"]
    assert filtered('file.hasTag("#WORK/Meetings")', rows) == ["a.md"]
    assert filtered('file.hasTag("home", "work/meetings")', rows) == ["a.md", "d.md"]


def test_links_compare_by_the_note_they_name():
    rows = [
        note("a.md", owner="[[Steph Ango]]"),
        note("b.md", owner="[[Ada]]"),
        note("c.md", owner="Steph Ango"),  # a plain note name
        note("d.md", owner="people/Steph Ango.md"),  # a plain path
    ]
    assert filtered("owner == this", rows, this=STEPH) == ["a.md", "c.md", "d.md"]
    assert filtered("this.file == note.owner", rows, this=STEPH) == ["a.md", "c.md", "d.md"]
    assert filtered("owner != this", rows, this=STEPH) == ["b.md"]
    assert filtered('owner == link("Ada")', rows) == ["b.md"]
    assert filtered('owner == link("Steph")', rows) == ["a.md", "c.md", "d.md"]  # by its alias
    assert filtered("file == this.file", rows, this=rows[1]) == ["b.md"]


def test_a_name_means_the_note_it_resolves_to():
    """`[[Ada]]` is people/Ada.md, not another note called Ada; an alias is its note."""
    rows = [note("a.md", who="[[Ada]]"), note("b.md", who="[[Steph|S.]]"), note("c.md", who="Ada")]
    assert filtered("who == this", rows, this=note("archive/Ada.md")) == []
    assert filtered("who == this", rows, this=ADA) == ["a.md", "c.md"]
    assert filtered("list(who).contains(this)", rows, this=STEPH) == ["b.md"]
    assert filtered("list(who).contains(this.file.asLink())", rows, this=STEPH) == ["b.md"]
    assert filtered('who == this.file.asLink("Ada")', rows, this=ADA) == ["a.md", "c.md"]
    # A name the vault does not know still matches a note of that name.
    assert filtered("who == this", [note("x.md", who="[[Zed]]")], this=note("z/Zed.md")) == ["x.md"]


def test_has_link_and_has_property():
    rows = [
        note("a.md", links=("people/Steph Ango.md",), company="Acme"),
        note("b.md", links=("people/Ada.md",)),
        note("c.md", company=None),
    ]
    assert filtered("file.hasLink(this.file)", rows, this=STEPH) == ["a.md"]
    assert filtered('file.hasLink("Ada")', rows) == ["b.md"]
    assert filtered('file.hasLink("[[Steph Ango]]")', rows) == ["a.md"]
    assert filtered('file.hasProperty("company")', rows) == ["a.md", "c.md"]
    assert filtered('file.hasProperty("Company")', rows) == ["a.md", "c.md"]


def test_this_reads_the_embedding_note():
    rows = [note("a.md", company="[[Obsidian]]"), note("b.md", company="[[Acme]]")]
    assert filtered("company == this.company", rows, this=STEPH) == ["a.md"]
    assert filtered('this.file.name == "Steph Ango.md"', rows, this=STEPH) == ["a.md", "b.md"]
    assert filtered('this.file.name == "Ada.md"', rows, this=STEPH) == []


def test_without_this_filters_that_use_it_match_nothing():
    """A base shown on its own page has no `this`: no note is anyone's meeting."""
    for expression in (
        "list(people).contains(this)",
        "!list(people).contains(this)",
        "not list(people).contains(this)",
        "file.hasLink(this.file)",
        "people != this",
        "this.file.name != 'x'",
    ):
        assert filtered(expression, MEETINGS) == [], expression
    # The rest of an expression still counts.
    assert filtered('file.hasTag("call") || list(people).contains(this)', MEETINGS) == [
        "meetings/old/e.md"
    ]


def test_and_or_not_nest():
    text = """\
views:
  - type: table
    filters:
      or:
        - file.hasTag("call")
        - and:
            - file.inFolder("meetings")
            - not:
                - list(people).contains(link("Ada"))
"""
    assert show(text, MEETINGS) == ["meetings/b.md", "meetings/old/e.md"]


def test_not_means_none_of_its_items():
    text = """\
views:
  - type: table
    filters:
      not:
        - file.hasTag("call")
        - 'file.inFolder("notes")'
"""
    assert show(text, MEETINGS) == ["meetings/a.md", "meetings/b.md", "meetings/c.md"]


def test_comparisons_of_numbers_strings_and_dates():
    rows = [
        note("a.md", score=3, city="Berlin", date=date(2023, 12, 31)),
        note("b.md", score=7.5, city="Paris", date=date(2024, 1, 1)),
        note("c.md", score=10, city="Oslo", date="2024-02-10"),
        note("d.md", score="12", city=None, date=datetime(2024, 1, 1, 9, 30)),
        note("e.md", date=datetime(2024, 1, 1, 0, 0)),
    ]
    assert filtered("score > 5", rows) == ["b.md", "c.md"]  # the string "12" is not a number
    assert filtered("score <= 7.5", rows) == ["a.md", "b.md"]
    assert filtered("score * 2 == 20", rows) == ["c.md"]
    assert filtered('city == "Paris"', rows) == ["b.md"]
    assert filtered('city != "Paris"', rows) == ["a.md", "c.md", "d.md", "e.md"]
    assert filtered('city < "P"', rows) == ["a.md", "c.md"]
    assert filtered('date(note.date) > date("2024-01-01")', rows) == ["c.md", "d.md"]
    after = ["b.md", "c.md", "d.md", "e.md"]
    assert filtered('date(note.date) >= date("2024-01-01")', rows) == after
    # A datetime at midnight is the same moment as its date.
    assert filtered('date(note.date) == date("2024-01-01")', rows) == ["b.md", "e.md"]
    assert filtered("date(note.date) < today()", rows) == ["a.md", *after]


def test_mismatched_types_are_false_not_errors():
    rows = [note("a.md", date=date(2024, 1, 1), score=[1, 2], name=True)]
    for expression in (
        'date > "2023"',
        "score > 1",
        "name < 3",
        "date - 3 > 0",
        "score / 0 > 1",
        '"x".startsWith(3)',
        "score.lower() == 'a'",
        "file.inFolder(3)",
    ):
        assert filtered(expression, rows) == [], expression


def test_lists_and_strings():
    rows = [
        note("a.md", roles=["Founder", "CEO"], bio="Writes about tools"),
        note("b.md", roles="CEO", bio=""),
        note("c.md", roles=[], bio=None),
    ]
    assert filtered('list(roles).contains("CEO")', rows) == ["a.md", "b.md"]
    assert filtered('list(roles).containsAll("CEO", "Founder")', rows) == ["a.md"]
    assert filtered('list(roles).containsAny("Founder", "CTO")', rows) == ["a.md"]
    assert filtered("list(roles).isEmpty()", rows) == ["c.md"]
    assert filtered("roles.length == 2", rows) == ["a.md"]
    assert filtered("bio.isEmpty()", rows) == ["b.md", "c.md"]
    assert filtered('bio.lower().contains("tools")', rows) == ["a.md"]
    assert filtered('bio.startsWith("Writes") && bio.endsWith("tools")', rows) == ["a.md"]
    assert filtered('file.basename.startsWith("b")', rows) == ["b.md"]


def test_sort_desc_then_by_name_with_none_last_and_limit():
    text = """\
views:
  - type: table
    order: [file.name, score]
    sort:
      - property: score
        direction: DESC
      - property: file.name
        direction: ASC
"""
    rows = [
        note("x/e.md", score=None),
        note("x/b.md", score=2),
        note("x/d.md", score=5),
        note("x/a.md", score=2),
        note("x/c.md"),
    ]
    assert show(text, rows) == ["x/d.md", "x/a.md", "x/b.md", "x/c.md", "x/e.md"]
    ascending = text.replace("DESC", "ASC")
    assert show(ascending, rows) == ["x/a.md", "x/b.md", "x/d.md", "x/c.md", "x/e.md"]
    limited = text + "    limit: 2\n"
    assert show(limited, rows) == ["x/d.md", "x/a.md"]


def test_sort_ties_fall_back_to_the_path():
    text = "views:\n  - type: table\n    sort:\n      - property: score\n"
    rows = [note("c.md", score=1), note("a.md", score=1), note("b.md", score=1)]
    assert show(text, rows) == ["a.md", "b.md", "c.md"]
    assert show(text, list(reversed(rows))) == ["a.md", "b.md", "c.md"]


def test_sort_by_dates_of_both_kinds():
    text = "views:\n  - type: table\n    sort:\n      - property: when\n        direction: DESC\n"
    rows = [
        note("a.md", when=date(2024, 1, 2)),
        note("b.md", when=datetime(2024, 1, 2, 8, 0)),
        note("c.md", when=date(2023, 5, 1)),
    ]
    assert show(text, rows) == ["b.md", "a.md", "c.md"]


def test_group_by():
    text = """\
views:
  - type: table
    order: [file.name]
    sort:
      - property: file.name
    groupBy:
      property: note.company
      direction: DESC
"""
    rows = [
        note("a.md", company="Acme"),
        note("b.md", company="Beta"),
        note("c.md"),
        note("d.md", company="Acme"),
    ]
    table, _ = work_out(base_of(text), None, rows, None, TODAY, resolve)
    shown = [(g.label, [cells for _row, cells in g.rows]) for g in table.groups]
    assert shown == [
        ("Beta", [("b.md",)]),
        ("Acme", [("a.md",), ("d.md",)]),
        ("", [("c.md",)]),
    ]


def test_limit_applies_before_grouping():
    text = """\
views:
  - type: table
    sort: [{property: n}]
    limit: 3
    groupBy: {property: kind}
"""
    rows = [note(f"{n}.md", n=n, kind="odd" if n % 2 else "even") for n in range(1, 6)]
    table, _ = work_out(base_of(text), None, rows, None, TODAY, resolve)
    assert [(g.label, [r.path for r, _ in g.rows]) for g in table.groups] == [
        ("even", ["2.md"]),
        ("odd", ["1.md", "3.md"]),
    ]


def test_columns_follow_order_with_display_names():
    text = """\
properties:
  company:
    displayName: Company
  formula.next:
    displayName: Next year
  file.name:
    displayName: File
views:
  - type: cards
    name: People
    order: [file.name, note.company, note.role, file.folder, file.ext, formula.next]
formulas:
  next: 'date(note.met).year + 1'
"""
    rows = [note("people/Steph Ango.md", company="[[Obsidian]]", role="CEO", met=date(2020, 5, 1))]
    table, _ = work_out(base_of(text), "People", rows, None, TODAY, resolve)
    assert (table.base, table.name, table.kind) == ("Bases/test.base", "People", "cards")
    assert table.columns == (
        Column("file.name", "File"),
        Column("note.company", "Company"),
        Column("note.role", "role"),
        Column("file.folder", "folder"),
        Column("file.ext", "ext"),
        Column("formula.next", "Next year"),
    )
    [group] = table.groups
    assert group.rows == (
        (rows[0], ("Steph Ango.md", "[[Obsidian]]", "CEO", "people", "md", 2021)),
    )


def test_columns_default_to_the_file_name():
    table, _ = work_out(
        base_of("views:\n  - type: list\n"), None, [note("a/b.md")], None, TODAY, resolve
    )
    assert table.columns == (Column("file.name", "name"),)
    assert table.groups[0].rows[0][1] == ("b.md",)
    assert table.kind == "list"


def test_a_property_that_is_an_object_is_read_by_its_keys():
    """`address: {city: Oslo}` in front matter: `note.address.city` and the like."""
    rows = [
        note("a.md", address={"city": "Oslo", "Zip": 150}),
        note("b.md", address={"city": "Lagos"}),
        note("c.md", address="Oslo"),
        note("d.md"),
    ]
    assert filtered('note.address.city == "Oslo"', rows) == ["a.md"]
    assert filtered('address.city == "Lagos"', rows) == ["b.md"]
    assert filtered('note["address"]["city"] == "Oslo"', rows) == ["a.md"]
    assert filtered("note.address.zip == 150", rows) == ["a.md"]  # keys in any case
    assert filtered("this.address.city == note.address.city", rows, this=rows[1]) == ["b.md"]


def test_formula_columns():
    text = """\
formulas:
  state: 'if(note.done, "yes", "no")'
  days: '(today() - date(note.date)) / 86400000'
  total: 'price * count + 1'
  five: 5
  label: 'file.basename + ": " + formula.state'
views:
  - type: table
    order: [formula.state, formula.days, formula.total, formula.label, formula.five]
    sort: [{property: file.name}]
"""
    rows = [
        note("a.md", done=True, date="2024-02-20", price=2.5, count=4),
        note("b.md", done=False, date=date(2024, 2, 29), price="x", count=1),
        note("c.md"),
    ]
    table, _ = work_out(base_of(text), None, rows, None, TODAY, resolve)
    assert [cells for _row, cells in table.groups[0].rows] == [
        ("yes", 10, 11, "a: yes", 5),
        ("no", 1, None, "b: no", 5),
        ("no", None, None, "c: no", 5),
    ]


def test_formulas_that_refer_to_each_other_in_a_loop_are_a_warning_at_their_lines():
    text = """\
formulas:
  ok: '1 + 1'
  a: 'formula.b + 1'
  b: 'formula["a"] * 2'
  self: 'formula.self'
  uses: 'formula.a + formula.ok'
views:
  - type: table
    order: [formula.ok, formula.a, formula.self, formula.uses]
"""
    base, problems = read_base("loop.base", text)
    assert [(p.line, p.level) for p in problems] == [(3, "warning"), (4, "warning"), (5, "warning")]
    assert "formula.a → formula.b → formula.a" in problems[0].message
    assert "formula.self → formula.self" in problems[2].message
    table, _ = work_out(base, None, [note("a.md")], None, TODAY, resolve)
    assert [cells for _row, cells in table.groups[0].rows] == [(2, None, None, None)]


def test_a_formula_can_filter_and_sort():
    text = """\
formulas:
  age: '(today() - date(note.born)) / 86400000 / 365'
views:
  - type: table
    filters: 'formula.age > 30'
    sort: [{property: formula.age, direction: DESC}]
"""
    rows = [
        note("a.md", born="1990-01-01"),
        note("b.md", born="1980-01-01"),
        note("c.md", born="2010-01-01"),
    ]
    assert show(text, rows) == ["b.md", "a.md"]


def test_an_unsupported_function_is_a_warning_at_its_line_and_is_left_out():
    text = """\
views:
  - type: table
    name: Mine
    filters:
      and:
        - file.hasTag("meeting")
        - file.hasBacklink(this)
    order: [file.name, formula.soon]
formulas:
  soon: 'now() + 1'
"""
    base, problems = read_base("Bases/m.base", text)
    assert [str(p) for p in problems] == [
        "Bases/m.base:7: warning: base: “file.hasBacklink” is not supported; "
        "this filter is left out",
        "Bases/m.base:10: warning: base: “now” is not supported; "
        "the cells of “formula.soon” are left empty",
    ]
    table, more = work_out(base, None, MEETINGS, STEPH, TODAY, resolve)
    assert more == ()
    assert paths(table) == ["meetings/a.md", "meetings/b.md", "meetings/c.md", "notes/d.md"]
    assert table.groups[0].rows[0][1] == ("a.md", None)


@pytest.mark.parametrize(
    ("expression", "said"),
    [
        ("file.hasTag(", "“file.hasTag(” cannot be read: it ends too soon"),
        ('file.hasTag("x"', "“)” is missing at the end"),
        ('note.a == "open', "the string at column 11 is not closed"),
        ("a = 1", "“=” at column 3 is not understood"),
        ("a b", "“b” at column 3 is not expected there"),
        ("file.mtime > 3", "“file.mtime” is not supported"),
        ("date(a, b)", "“date” takes 1 argument, not 2"),
        ("note.a.join(',')", "“note.a.join” is not supported"),
        ("formula.missing", "“formula.missing” is not defined"),
        ("(" * 200 + "1" + ")" * 200, "it is nested too deeply"),
    ],
)
def test_a_filter_that_cannot_be_worked_out_is_a_warning_and_left_out(expression, said):
    text = f"""\
views:
  - type: table
    filters:
      or:
        - file.hasTag("call")
        - {expression!r}
"""
    base, problems = read_base("b.base", text)
    [problem] = problems
    assert (problem.path, problem.line, problem.level) == ("b.base", 6, "warning")
    assert said in problem.message
    assert problem.message.startswith("base: ")
    assert problem.message.endswith("; this filter is left out")
    table, _ = work_out(base, None, MEETINGS, None, TODAY, resolve)
    assert paths(table) == ["meetings/old/e.md"]


def test_an_expression_not_found_in_the_text_is_reported_at_line_1():
    text = 'views:\n  - type: table\n    filters: "a \\u0021= b("\n'
    _, problems = read_base("b.base", text)
    assert [(p.line, p.level) for p in problems] == [(1, "warning")]


def test_bad_yaml_is_an_error_at_its_line():
    text = "views:\n  - type: table\n    order: [file.name\n    sort: x\n"
    base, problems = read_base("b.base", text)
    [problem] = problems
    assert (problem.path, problem.level) == ("b.base", "error")
    assert problem.line == 3  # where the unclosed `[` was opened
    assert problem.message.startswith("base: ")
    assert view_names(base) == ()
    table, _ = work_out(base, None, MEETINGS, None, TODAY, resolve)
    assert paths(table) == []


def test_a_base_that_is_not_a_mapping_or_has_no_views():
    base, problems = read_base("b.base", "- a\n- b\n")
    assert [(p.line, p.level) for p in problems] == [(1, "error")]
    base, problems = read_base("b.base", "filters: 'file.hasTag(\"x\")'\n")
    assert [p.level for p in problems] == ["warning"]
    assert "no views" in problems[0].message
    assert view_names(base) == ()


def test_view_names_and_choosing_a_view():
    text = """\
views:
  - type: table
    name: All
  - type: table
    filters: 'file.hasTag("call")'
  - type: list
    name: Meetings
    filters: 'file.hasTag("meeting")'
"""
    base = base_of(text)
    assert view_names(base) == ("All", "View 2", "Meetings")
    table, _ = work_out(base, "meetings", MEETINGS, None, TODAY, resolve)
    assert (table.name, table.kind, len(paths(table))) == ("Meetings", "list", 4)
    table, _ = work_out(base, "View 2", MEETINGS, None, TODAY, resolve)
    assert paths(table) == ["meetings/old/e.md"]
    table, problems = work_out(base, "Nope", MEETINGS, None, TODAY, resolve)
    assert table.name == "All"
    assert len(paths(table)) == 5
    [problem] = problems
    assert (problem.path, problem.level) == ("Bases/test.base", "warning")
    assert "Nope" in problem.message


def test_an_empty_view_still_has_one_group():
    text = """\
views:
  - type: table
    filters: 'file.hasTag("nothing")'
    groupBy: {property: x}
"""
    table, _ = work_out(base_of(text), None, MEETINGS, None, TODAY, resolve)
    assert len(table.groups) == 1
    assert (table.groups[0].label, table.groups[0].rows) == ("", ())


def test_a_single_expression_string_is_a_filter():
    text = "filters: 'file.hasTag(\"call\")'\nviews:\n  - type: table\n"
    assert show(text, MEETINGS) == ["meetings/old/e.md"]


def test_view_filters_are_anded_with_the_global_ones():
    text = """\
filters: 'file.inFolder("meetings")'
views:
  - type: table
    filters: 'list(people).contains(link("Ada"))'
"""
    assert show(text, MEETINGS) == ["meetings/a.md", "meetings/c.md"]


def test_structural_problems_are_warnings_and_the_view_still_shows():
    text = """\
views:
  - type: map
    limit: -2
    filters:
      all:
        - x
"""
    base, problems = read_base("b.base", text)
    assert [(p.line, p.level) for p in problems] == [(2, "warning"), (3, "warning"), (5, "warning")]
    table, _ = work_out(base, None, MEETINGS, None, TODAY, resolve)
    assert table.kind == "table"
    assert len(paths(table)) == 5


def test_values_from_the_file():
    text = "views:\n  - type: table\n    order: [file.name, file.basename, file.path, file.tags]\n"
    rows = [note("a/b/Coffee.md", tags=("x", "y/z"))]
    table, _ = work_out(base_of(text), None, rows, None, TODAY, resolve)
    assert table.groups[0].rows[0][1] == ("Coffee.md", "Coffee", "a/b/Coffee.md", ["x", "y/z"])
    assert filtered('file.folder == "a/b" && file.ext == "md"', rows) == ["a/b/Coffee.md"]
    assert filtered('file.folder == ""', [*rows, note("top.md")]) == ["top.md"]


def test_properties_match_case_insensitively():
    rows = [note("a.md", Company="Acme"), note("b.md", company="Beta")]
    assert filtered('company == "Acme"', rows) == ["a.md"]
    assert filtered('note.COMPANY == "Beta"', rows) == ["b.md"]


def test_words_for_operators_and_javascript_ors():
    rows = [note("a.md", n=1), note("b.md", n=2), note("c.md")]
    assert filtered("n == 1 or n == 2 and not n == 1", rows) == ["a.md", "b.md"]
    assert filtered("(n || 5) > 4", rows) == ["c.md"]
    assert filtered("-n < -1", rows) == ["b.md"]
    assert filtered("n / 2 == 0.5 || n * 3 - 1 == 5", rows) == ["a.md", "b.md"]
