from netvault.problems import Problem, count


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
