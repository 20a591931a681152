from netvault.problems import Problem, count, in_order, joined


def test_problem_prints_as_path_line_level_message():
    problem = Problem("contacts/Ada.md", 3, "met: not a date")
    assert str(problem) == "contacts/Ada.md:3: error: met: not a date"


def test_problems_sort_by_path_then_line():
    found = sorted([Problem("b.md", 1, "x"), Problem("a.md", 9, "x"), Problem("a.md", 2, "x")])
    assert [(p.path, p.line) for p in found] == [("a.md", 2), ("a.md", 9), ("b.md", 1)]


def test_count_by_level():
    found = [Problem("a", 1, "x"), Problem("a", 2, "y", "warning"), Problem("b", 1, "z")]
    assert count(found, "error") == 2
    assert count(found, "warning") == 1


def test_problems_joined_to_ones_in_order_come_out_in_order():
    ordered = (Problem("b.md", 2, "x"), Problem("c.md", 1, "y"))
    assert joined(ordered) is ordered
    more = [Problem("a.md", 9, "z")], [Problem("b.md", 1, "w", "error")]
    assert joined(ordered, *more) == tuple(in_order([*ordered, *more[0], *more[1]]))
    assert [p.path for p in joined(ordered, *more)] == ["a.md", "b.md", "b.md", "c.md"]
