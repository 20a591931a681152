from datetime import date

from netvault.tasks import find_tasks

BODY = """\
Intro line
- [ ] Send [[Ada Lovelace]] the article 📅 2026-11-25
- [x] Thank-you sent 📅️ 2026-11-20
* [ ] Dataview style [due:: 2026-11-26]
  - [ ] Nested, scheduled ⏳ 2026-11-27 🔁 every 3 months
- [-] Cancelled 📅 2026-11-28
```
- [ ] not a task, it is code 📅 2026-11-29
```
> - [ ] In a quote (due:: 2026-11-30)
- [ ] No date at all
- [ ] Bad date 📅 2026-02-30
"""


def test_tasks_with_their_dates_and_file_lines():
    tasks, problems = find_tasks(BODY, first_line=5, path="n.md")
    found = [(t.line, t.text, t.done, t.when) for t in tasks]
    assert found == [
        (6, "Send [[Ada Lovelace]] the article", False, date(2026, 11, 25)),
        (7, "Thank-you sent", True, date(2026, 11, 20)),
        (8, "Dataview style", False, date(2026, 11, 26)),
        (9, "Nested, scheduled", False, date(2026, 11, 27)),
        (10, "Cancelled", True, date(2026, 11, 28)),
        (14, "In a quote", False, date(2026, 11, 30)),
        (15, "No date at all", False, None),
        (16, "Bad date", False, None),
    ]
    assert tasks[0].links == ("Ada Lovelace",)
    assert tasks[3].recurrence == "every 3 months"
    assert [(p.path, p.line) for p in problems] == [("n.md", 16)]
    assert "2026-02-30" in problems[0].message


def test_nbsp_and_variation_selectors_do_not_break_dates():
    tasks, _ = find_tasks("- [ ]\u00a0Call Ada 📅\ufe0f\u00a02026-11-25\n", 1, "n.md")
    assert tasks[0].due == date(2026, 11, 25)
    assert tasks[0].text == "Call Ada"


def test_plain_text_shows_links_as_their_names():
    tasks, _ = find_tasks(
        "- [ ] Intro [[Ada Lovelace]] to [[people/Grace Hopper|Grace]] re [[Notes#Plan]]\n", 1, "n"
    )
    assert tasks[0].plain == "Intro Ada Lovelace to Grace re Notes"


def test_other_inline_fields_read_as_dataview_shows_them():
    """A follow-up row shows a task's words: never `[key:: value]` as written."""
    tasks, _ = find_tasks(
        "- [ ] Call Ada [priority:: high] (area:: [[Hiring]]) [due:: 2026-11-25]\n", 1, "n"
    )
    assert tasks[0].text == "Call Ada priority: high [[Hiring]]"
    assert tasks[0].plain == "Call Ada priority: high Hiring"
    assert tasks[0].links == ("Hiring",)
