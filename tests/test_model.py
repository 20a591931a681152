from datetime import date, timedelta
from pathlib import PurePosixPath

import pytest

from netvault.build import load
from netvault.config import Settings, parse_settings
from netvault.model import build_model, link_target, note_kind
from netvault.vault import parse_note


def model_of(files, settings=None):
    notes = [parse_note(path, text) for path, text in files.items()]
    return build_model(notes, settings or Settings())


def test_kinds_in_order_type_then_folder_then_categories():
    settings = Settings()
    cases = {
        "contacts/Ada.md": ("", "contact"),
        "People/Grace.md": ("", "contact"),
        "work/people/Linus.md": ("", "contact"),
        "meetings/2026-11-20 Call.md": ("", "interaction"),
        "Companies/Acme.md": ("", "org"),
        "goals/Design.md": ("", "goal"),
        "contacts/Coffee.md": ("type: interaction\n", "interaction"),
        "misc/Bob.md": ('categories:\n  - "[[People]]"\n', "contact"),
        "misc/Standup.md": ("categories: [[Meetings]]\n", "interaction"),
        "misc/Thoughts.md": ("", "note"),
        "2026-11-20.md": ("", "note"),
    }
    for path, (front, kind) in cases.items():
        note = parse_note(path, f"---\n{front}---\nbody\n" if front else "body\n")
        assert note_kind(note, settings) == kind, path


def test_link_target():
    assert link_target("[[Ada Lovelace]]") == "Ada Lovelace"
    assert link_target("[[Ada Lovelace|Ada]]") == "Ada Lovelace"
    assert link_target("[[people/Ada#Work]]") == "people/Ada"
    assert link_target("[[Ada.md]]") == "Ada"
    assert link_target("Ada Lovelace") == "Ada Lovelace"


def test_links_resolve_by_file_name_path_name_or_alias_case_insensitively():
    model = model_of(
        {
            "contacts/ada-lovelace.md": "---\nname: Ada Lovelace\naliases: [Countess]\n---\n",
            "notes/Refs.md": (
                "[[ada-lovelace]] [[contacts/ada-lovelace]] [[ADA LOVELACE]] "
                "[[countess|the countess]] [[Ada\u00a0Lovelace]] [[Nobody]]\n"
            ),
        }
    )
    targets = [r.target for r in model.pages["notes/Refs.md"].refs]
    assert targets == ["contacts/ada-lovelace.md"] * 5 + [None]
    assert model.backlinks["contacts/ada-lovelace.md"] == ("notes/Refs.md",)
    broken = [p for p in model.problems if "Nobody" in p.message]
    assert [(p.path, p.line, p.level) for p in broken] == [("notes/Refs.md", 1, "warning")]


def test_two_notes_claiming_one_name_is_a_warning_not_a_crash():
    model = model_of(
        {
            "contacts/Ada Lovelace.md": "---\naliases: [Ada]\n---\n",
            "contacts/Ada King.md": "---\naliases:\n  - Ada\n---\n",
            "notes/n.md": "[[Ada]]\n",
        }
    )
    clash = [p for p in model.problems if "Ada" in p.message and "also names" in p.message]
    assert [(p.path, p.line) for p in clash] == [("contacts/Ada Lovelace.md", 2)]
    assert model.resolve("Ada") == "contacts/Ada King.md"
    assert len(model.contacts) == 2


def test_contact_fields():
    model = model_of(
        {
            "contacts/Ada.md": """---
name: Ada Lovelace
org: "[[Analytical Engines]]"
role: Analyst
email: [ada@example.com, a@example.org]
phone: 0123 456
tags: [mentor, "#math"]
circle: Inner
cadence: 2w
met: 2026-10-01
referred_by: "[[Grace]]"
follow_up: 2026-11-25
---
""",
            "orgs/Analytical Engines.md": "",
            "contacts/Grace.md": "",
        }
    )
    ada = model.contacts["contacts/Ada.md"]
    assert ada.name == "Ada Lovelace"
    assert ada.org.target == "orgs/Analytical Engines.md"
    assert ada.emails == ("ada@example.com", "a@example.org")
    assert ada.phones == ("0123 456",)
    assert ada.tags == ("mentor", "math")
    assert ada.circle == "inner"
    assert ada.cadence == timedelta(days=14) and ada.cadence_given
    assert ada.met == date(2026, 10, 1)
    assert ada.referred_by.target == "contacts/Grace.md"
    assert ada.follow_up == date(2026, 11, 25)


def test_company_as_text_is_kept_without_a_broken_link_warning():
    model = model_of({"contacts/Ada.md": "---\ncompany: Acme Corp\n---\n"})
    assert model.contacts["contacts/Ada.md"].org.text == "Acme Corp"
    assert model.contacts["contacts/Ada.md"].org.target is None
    assert model.problems == ()


def test_a_meeting_with_people_counts_for_them_on_its_date():
    """An Obsidian CRM meeting: `people:` for whom it was with, `Date:` capitalised."""
    model = model_of(
        {
            "people/Steph Ango.md": "",
            "meetings/Chat.md": '---\nDate: "2024-06-14"\npeople: ["[[Steph Ango]]"]\n---\n',
        }
    )
    chat = model.interactions["meetings/Chat.md"]
    assert chat.date == date(2024, 6, 14)
    assert chat.contacts == ("people/Steph Ango.md",)
    assert [t.path for t in model.touches["people/Steph Ango.md"]] == ["meetings/Chat.md"]
    assert model.problems == ()


def test_the_interactions_of_a_window_of_days_are_its_dated_ones_oldest_first():
    meet = "---\ndate: {}\nwith: ['[[Ada]]']\n---\n"
    model = model_of(
        {
            "contacts/Ada.md": "",
            "meetings/Undated.md": "---\nwith: ['[[Ada]]']\n---\n",
            "meetings/Before.md": meet.format("2026-10-31"),
            "meetings/First.md": meet.format("2026-11-01"),
            "meetings/Also first.md": meet.format("2026-11-01"),
            "meetings/Last.md": meet.format("2026-11-20"),
            "meetings/Ahead.md": meet.format("2026-11-21"),
        }
    )
    found = model.dated(date(2026, 11, 1), date(2026, 11, 20))
    assert [i.path for i in found] == [
        "meetings/Also first.md",
        "meetings/First.md",
        "meetings/Last.md",
    ]
    assert model.dated(date(2026, 11, 21), date(2026, 11, 30))[0].path == "meetings/Ahead.md"
    assert model.dated(date(2027, 1, 1), date(2027, 1, 31)) == []


def test_contact_keys_match_in_any_case_and_with_spaces_dashes_or_underscores():
    model = model_of(
        {
            "people/steph.md": (
                '---\nName: Steph Ango\nCompany: "[[Tree Company]]"\nE-mail: s@example.org\n'
                'Phone Number: "0123"\nLinkedIn: https://linkedin.com/in/steph\n'
                "Follow Up: 2026-11-25\nhow-met: a talk\n---\n"
            ),
            "orgs/Tree Company.md": "",
        }
    )
    steph = model.contacts["people/steph.md"]
    assert steph.name == "Steph Ango"
    assert steph.org.target == "orgs/Tree Company.md"
    assert (steph.emails, steph.phones) == (("s@example.org",), ("0123",))
    assert steph.linkedin == "https://linkedin.com/in/steph"
    assert (steph.follow_up, steph.how_met) == (date(2026, 11, 25), "a talk")
    # The page keeps the note as written, and where it sets each field under another name.
    page = model.pages["people/steph.md"]
    assert list(page.note.meta)[:3] == ["Name", "Company", "E-mail"]
    assert dict(page.keys)["org"] == "Company"
    assert (page.line_of("follow_up"), page.line_of("cadence")) == (7, None)


def test_a_property_alias_from_the_settings_is_read():
    settings, problems = parse_settings('[properties]\nwith = ["met with"]\n')
    assert problems == []
    files = {
        "contacts/Ada.md": "",
        "contacts/Grace.md": "",
        "meetings/2026-11-20 Tea.md": "---\nMet With: '[[Ada]]'\npeople: '[[Grace]]'\n---\n",
    }
    tea = model_of(files, settings).interactions["meetings/2026-11-20 Tea.md"]
    # The table names `with`'s other names: `people` is not one any more.
    assert tea.contacts == ("contacts/Ada.md",)


def test_the_first_of_two_keys_for_one_field_wins_and_the_other_is_a_warning():
    model = model_of(
        {
            "contacts/Ada.md": "---\nFollow Up: 2026-11-25\nfollow_up: 2026-12-01\n---\n",
        }
    )
    assert model.contacts["contacts/Ada.md"].follow_up == date(2026, 11, 25)
    assert [(p.line, p.level) for p in model.problems] == [(3, "warning")]
    assert "“follow_up” is ignored: “Follow Up” on line 2" in model.problems[0].message


def test_interactions_with_unquoted_obsidian_links_and_dates_from_file_names():
    model = model_of(
        {
            "contacts/Ada.md": "",
            "contacts/Grace.md": "",
            "interactions/2026-11-20 Coffee.md": "---\nwith: [[Ada]]\ntype: Coffee\n---\n",
            "interactions/Call.md": (
                '---\ndate: 2026-11-21 10:00:00\nwith:\n  - [[Ada]]\n  - "[[Grace]]"\n'
                "thank_you: 2026-11-22\n---\n"
            ),
        }
    )
    coffee = model.interactions["interactions/2026-11-20 Coffee.md"]
    assert coffee.date == date(2026, 11, 20)
    assert coffee.contacts == ("contacts/Ada.md",)
    assert coffee.type == "coffee"
    assert not coffee.thank_you
    call = model.interactions["interactions/Call.md"]
    assert call.date == date(2026, 11, 21)
    assert call.contacts == ("contacts/Ada.md", "contacts/Grace.md")
    assert call.thank_you and call.thank_you_date == date(2026, 11, 22)
    assert list(model.interactions) == ["interactions/2026-11-20 Coffee.md", "interactions/Call.md"]


def test_messages_say_who_wrote_and_their_first_words():
    model = model_of(
        {
            "contacts/Ada.md": "",
            "interactions/2026-11-20 Email.md": (
                "---\nwith: '[[Ada]]'\ntype: email\ndirection: In\n---\n## Notes\n\n"
                "She asks whether **[[Ada|I]]** could send [the notebook](https://x.example) "
                "before the workshop next Thursday, and who else is coming.\n"
            ),
            "interactions/2026-11-21 Sent.md": (
                "---\nwith: '[[Ada]]'\nDirection: sent\nreplied: 2026-11-22\n"
                "summary: The plan, in three lines\n---\nA long body.\n"
            ),
            "interactions/2026-11-22 Coffee.md": "---\nwith: '[[Ada]]'\n---\nA coffee.\n",
            "interactions/2026-11-23 Odd.md": "---\nwith: '[[Ada]]'\ndirection: sideways\n---\n",
        }
    )
    email, sent, coffee, odd = model.interactions.values()
    assert (email.direction, email.replied) == ("in", False)
    assert email.lead == ("She asks whether I could send the notebook before the workshop next…")
    assert (sent.direction, sent.replied, sent.lead) == ("out", True, "The plan, in three lines")
    assert (coffee.direction, coffee.lead) == ("", "")  # went both ways; its words not kept
    assert odd.direction == ""
    (problem,) = model.problems
    assert (problem.path, problem.line, problem.level) == (odd.path, 3, "warning")
    assert "direction: “sideways” is neither in (they wrote) nor out (you wrote)" in problem.message


def test_impossible_dates_are_errors_at_their_line():
    model = model_of({"contacts/Ada.md": "---\nname: Ada\nmet: 2026-02-30\n---\n"})
    assert [(p.path, p.line, p.level) for p in model.problems] == [("contacts/Ada.md", 3, "error")]
    assert model.contacts["contacts/Ada.md"].met is None


def test_daily_notes_and_dated_notes_are_touches():
    files = {
        "contacts/Ada.md": "",
        "daily/2026-11-18.md": "Lunch with [[Ada]].\n",
        "notes/Trip.md": "---\ndate: 2026-11-19\n---\nSaw [[Ada]] there.\n",
        "notes/Undated.md": "[[Ada]]\n",
        "interactions/2026-11-10 Call.md": "---\nwith: '[[Ada]]'\n---\n",
    }
    touches = model_of(files).touches["contacts/Ada.md"]
    assert [(t.date, t.path, t.is_interaction) for t in touches] == [
        (date(2026, 11, 10), "interactions/2026-11-10 Call.md", True),
        (date(2026, 11, 18), "daily/2026-11-18.md", False),
        (date(2026, 11, 19), "notes/Trip.md", False),
    ]
    off = Settings(dated_notes_are_touches=False)
    assert len(model_of(files, off).touches["contacts/Ada.md"]) == 1


def test_a_broken_note_does_not_stop_the_rest(vault):
    root = vault(
        {
            "contacts/Ada.md": "---\nname: Ada\n---\n",
            "contacts/Broken.md": "---\nname: [unclosed\n---\n",
            "contacts/Binary.md": "x",
        }
    )
    (root / "contacts/Binary.md").write_bytes(b"\x00\x01")
    loaded = load(root)
    assert "contacts/Ada.md" in loaded.model.contacts
    errors = [(p.path, p.line) for p in loaded.problems if p.level == "error"]
    assert ("contacts/Broken.md", 2) in errors
    assert ("contacts/Binary.md", 1) in errors


def test_embedded_files_resolve_by_name_or_path_and_missing_ones_are_reported():
    notes = [
        parse_note(
            "notes/n.md",
            "![[photo.png]]\n![[pics/Logo.PNG]]\n![[gone.pdf]]\n![[Mr. Smith]]\n",
        )
    ]
    model = build_model(notes, Settings(), ["attachments/photo.png", "attachments/pics/logo.png"])
    assert model.resolve_asset("photo.png") == "attachments/photo.png"
    assert model.resolve_asset("pics/Logo.PNG") == "attachments/pics/logo.png"
    assert model.resolve_asset("attachments/photo.png") == "attachments/photo.png"
    messages = [(p.line, p.message) for p in model.problems]
    assert (3, "embeds “gone.pdf”, which is not in the vault") in messages
    assert any("Mr. Smith" in m and "no note" in m for _, m in messages)
    assert len(messages) == 2


WEIRD_VALUES = [
    "",
    "~",
    "0",
    "-1",
    "3.5",
    "true",
    "yesterday",
    "2026-02-30",
    "[]",
    "[1, [2, [3]]]",
    "{a: 1}",
    '"[[]]"',
    '"[[|]]"',
    '"[[#]]"',
    "'[[Nobody]]'",
    "2026-11-20 25:99:00",
    '"<script>alert(1)</script>"',
]
FIELDS = [
    "name", "aliases", "org", "company", "role", "email", "tags", "circle", "status",
    "cadence", "met", "referred_by", "intro_via", "last_contact", "follow_up",
    "follow_up_done", "snooze_until", "interests", "date", "type", "with", "thank_you",
    "referrals", "air", "gave", "categories", "title", "direction", "replied", "summary",
]  # fmt: skip


@pytest.mark.parametrize("field", FIELDS)
def test_no_front_matter_value_crashes_the_model(field):
    """Whatever a field holds, the model is built and the other notes are in it."""
    from netvault import followups

    for value in WEIRD_VALUES:
        files = {
            "contacts/Ada.md": "---\nname: Ada\n---\n",
            "contacts/Odd.md": f"---\n{field}: {value}\n---\nBody\n",
            "interactions/2026-11-20 Odd.md": f"---\n{field}: {value}\nwith: '[[Ada]]'\n---\n",
        }
        model = model_of(files)
        assert "contacts/Ada.md" in model.contacts, (field, value)
        followups.compute(model, date(2026, 11, 22), Settings())


@pytest.mark.parametrize(
    ("front", "targets", "fields", "roles"),
    [
        pytest.param(
            'targets: ["[[Acme]]"]\nroles: [Data analyst, "[[Analytics engineer]]"]\n'
            "fields: [Energy storage]\n",
            [("Acme", "orgs/Acme.md")],
            ("Energy storage",),
            ("Data analyst", "Analytics engineer"),
            id="lists-and-links",
        ),
        pytest.param(
            "targets: Acme\norgs: [Initech]\nroles: Data analyst, analytics engineer; PM\n"
            "field: Grid operations\n",
            [("Acme", "orgs/Acme.md"), ("Initech", None)],
            ("Grid operations",),
            ("Data analyst", "analytics engineer", "PM"),
            id="one-line-lists-orgs-key-and-singular-keys",
        ),
        pytest.param(
            "roles: [Data analyst, data ANALYST]\n",
            [],
            (),
            ("Data analyst",),
            id="repeats-folded-once",
        ),
        pytest.param("status: active\n", [], (), (), id="none-given"),
    ],
)
def test_goal_targets_fields_and_roles(front, targets, fields, roles):
    model = model_of({"goals/G.md": f"---\n{front}---\n", "orgs/Acme.md": ""})
    goal = model.goals["goals/G.md"]
    assert [(r.text, r.target) for r in goal.targets] == targets
    assert goal.fields == fields
    assert goal.roles == roles


@pytest.mark.parametrize("field", ["targets", "orgs", "roles", "role", "fields", "field"])
def test_no_goal_value_crashes_the_model(field):
    for value in WEIRD_VALUES:
        model = model_of({"goals/G.md": f"---\n{field}: {value}\n---\n"})
        goal = model.goals["goals/G.md"]
        assert all(isinstance(t, str) and t for t in goal.roles + goal.fields), (field, value)


def test_a_goal_target_named_in_plain_text_is_not_a_broken_link(vault):
    from netvault import build

    root = vault(
        {
            "goals/PM job.md": "---\ntargets: ['[[Figma]]', Linear]\n---\n",
            "orgs/Figma.md": "Design tools.\n",
        }
    )
    loaded = build.load(root)
    assert [t.text for t in loaded.model.goals["goals/PM job.md"].targets] == ["Figma", "Linear"]
    assert loaded.problems == ()


# ---------------------------------------------------------------------------
# ModelMaker: a model kept up to date note by note equals one made from nothing

PEOPLE = ["Ada Lovelace", "Grace Hopper", "Linus Torvalds", "Alan Kay", "Barbara Liskov"]
ORG_NAMES = ["Engines", "Navy", "Xerox"]


class RandomVault:
    """Notes as literal text, edited at random in the ways people edit a vault."""

    def __init__(self, rng):
        self.rng = rng
        self.files: dict[str, str] = {}
        self.made = 0
        for name in PEOPLE:
            self.files[f"contacts/{name}.md"] = self.contact(name)
        for name in ORG_NAMES:
            self.files[f"orgs/{name}.md"] = f"Makes things. See [[{rng.choice(PEOPLE)}]].\n"
        for day in range(1, 6):
            self.files[f"interactions/2026-11-0{day} Coffee.md"] = self.interaction()
        self.files["daily/2026-11-03.md"] = f"Saw [[{rng.choice(PEOPLE)}]] #met\n"
        self.files["goals/Design.md"] = f"---\ntargets: ['[[{rng.choice(ORG_NAMES)}]]']\n---\n"

    def link(self):
        return self.rng.choice([*PEOPLE, *ORG_NAMES, "Nobody Yet", "Ada", "Xerox PARC"])

    def contact(self, name):
        rng = self.rng
        lines = [f"name: {name}" if rng.random() < 0.5 else "circle: inner"]
        if rng.random() < 0.4:
            lines.append(f"aliases: [{rng.choice(['Ada', 'Amazing Grace', 'Xerox PARC'])}]")
        if rng.random() < 0.6:
            lines.append(f"org: '[[{rng.choice(ORG_NAMES)}]]'")
        if rng.random() < 0.3:
            lines.append(f"referred_by: '[[{self.link()}]]'")
        lines.append(f"cadence: {rng.choice(['7d', '30d', 'none', 'often'])}")
        return "---\n" + "\n".join(lines) + f"\n---\nKnows [[{self.link()}]] #{rng.choice('ab')}\n"

    def interaction(self):
        rng = self.rng
        people = ", ".join(f"'[[{self.link()}]]'" for _ in range(rng.randint(1, 3)))
        date = rng.choice(["2026-11-02", "2026-10-30", "not a date", None])
        front = f"with: [{people}]\ntype: coffee\n" + (f"date: {date}\n" if date else "")
        if rng.random() < 0.3:
            front += f"referrals: ['[[{self.link()}]]']\n"
        return f"---\n{front}---\nTalked about [[{self.link()}]].\n"

    def edit(self):
        """One random edit: the paths it changed."""
        rng = self.rng
        rel = rng.choice(sorted(self.files))
        what = rng.choice(["body", "front", "rename", "delete", "create", "kind", "break"])
        if what == "body":
            self.files[rel] = self.files[rel].replace("]]", "]] and [[" + self.link() + "]]", 1)
        elif what == "front" and rel.startswith("contacts/"):
            self.files[rel] = self.contact(PurePosixPath(rel).stem)
        elif what == "front":
            self.files[rel] = self.interaction()
        elif what == "rename":  # a new name or alias, which links elsewhere resolve to
            text = self.files[rel]
            name = rng.choice([*PEOPLE, "Ada", "Nobody Yet", "Xerox PARC"])
            self.files[rel] = (
                f"---\nname: {name}\naliases: [{self.link()}]\n---\n" + (text.split("---\n", 2)[-1])
            )
        elif what == "delete":
            del self.files[rel]
        elif what == "create":
            self.made += 1
            folder = rng.choice(["contacts", "interactions", "orgs", "notes", "daily"])
            name = rng.choice([*PEOPLE, *ORG_NAMES, "Nobody Yet", f"2026-11-1{self.made % 10}"])
            new = f"{folder}/{name}.md"
            self.files[new] = self.contact(name) if folder == "contacts" else self.interaction()
            return {new}
        elif what == "kind":
            kind = rng.choice(["contact", "interaction", "org", "goal", "note"])
            self.files[rel] = f"---\ntype: {kind}\n" + self.files[rel].removeprefix("---\n")
        else:
            self.files[rel] = "---\nname: [unclosed\n---\n" + self.files[rel]
        return {rel}


def assert_same_model(made, expected):
    for part in ("pages", "contacts", "interactions", "orgs", "goals", "backlinks", "touches"):
        got, want = getattr(made, part), getattr(expected, part)
        assert list(got.items()) == list(want.items()), part
    assert dict(made.names) == dict(expected.names)
    assert made.problems == expected.problems


@pytest.mark.parametrize("seed", range(8))
def test_a_model_updated_note_by_note_equals_one_made_from_nothing(seed):
    import random

    from netvault.model import ModelMaker
    from netvault.notes import parse

    rng = random.Random(seed)
    vault = RandomVault(rng)
    settings = Settings()
    parsed = {rel: parse(parse_note(rel, text)) for rel, text in vault.files.items()}
    maker = ModelMaker(settings)
    previous = maker.update(parsed).model
    for step in range(60):
        changed = vault.edit()
        update = {}
        for rel in changed:
            text = vault.files.get(rel)
            update[rel] = None if text is None else parse(parse_note(rel, text))
        made = maker.update(update)
        expected = build_model([parse_note(r, t) for r, t in vault.files.items()], settings)
        try:
            assert_same_model(made.model, expected)
        except AssertionError as exc:
            raise AssertionError(f"seed {seed} step {step} {sorted(changed)}: {exc}") from None
        # What it says changed is at least every note whose page changed.
        differ = {
            path
            for path in previous.pages.keys() | expected.pages.keys()
            if previous.pages.get(path) != expected.pages.get(path)
        }
        assert differ <= made.notes, f"seed {seed} step {step}"
        previous = expected
        if step % 7 == 6:  # as a new process does: the maker restored from what it kept
            kept = {path: (maker.parsed(path), *maker.kept(path)) for path in maker.paths}
            maker = ModelMaker.restore(settings, (), kept)
            assert_same_model(maker.model(), expected)


def test_an_update_makes_again_only_the_notes_that_looked_up_a_moved_name(monkeypatch):
    from netvault import model as model_module
    from netvault.model import ModelMaker
    from netvault.notes import parse

    files = {
        "contacts/Ada.md": "Knows [[Grace]].\n",
        "contacts/Grace.md": "Navy.\n",
        "notes/Other.md": "Nothing linked.\n",
        "notes/Fan.md": "A fan of [[Ada]].\n",
    }
    maker = ModelMaker(Settings())
    maker.update({rel: parse(parse_note(rel, text)) for rel, text in files.items()})
    made = []
    real = model_module._share
    monkeypatch.setattr(
        model_module,
        "_share",
        lambda parsed, *rest: made.append(parsed.path) or real(parsed, *rest),
    )
    # Grace takes the alias "Ada": links to Ada still go to Ada's note (its file name wins).
    text = "---\naliases: [Ada, Amazing Grace]\n---\nNavy.\n"
    change = maker.update({"contacts/Grace.md": parse(parse_note("contacts/Grace.md", text))})
    assert made == ["contacts/Grace.md"]
    assert change.notes == {"contacts/Grace.md"}
    # Ada's note goes: the fan's link now goes to Grace, found through the reverse index.
    made.clear()
    change = maker.update({"contacts/Ada.md": None})
    assert sorted(made) == ["notes/Fan.md"]
    assert change.model.pages["notes/Fan.md"].refs[0].target == "contacts/Grace.md"
    assert change.notes == {"contacts/Ada.md", "notes/Fan.md"}


def test_an_update_that_moves_no_name_keeps_the_very_mapping_of_names():
    """What a new process saves of the names is told by identity: kept, it is not saved."""
    from netvault.model import ModelMaker
    from netvault.notes import parse

    files = {"contacts/Ada.md": "Knows [[Grace]].\n", "contacts/Grace.md": "Navy.\n"}
    maker = ModelMaker(Settings())
    names = maker.update({rel: parse(parse_note(rel, text)) for rel, text in files.items()})
    names = names.model.names
    cadence = parse(parse_note("contacts/Grace.md", "---\ncadence: 30d\n---\nNavy.\n"))
    assert maker.update({"contacts/Grace.md": cadence}).model.names is names
    alias = parse(parse_note("contacts/Grace.md", "---\naliases: [Amazing Grace]\n---\nNavy.\n"))
    renamed = maker.update({"contacts/Grace.md": alias}).model.names
    assert renamed is not names
    assert renamed["amazing grace"] == "contacts/Grace.md"
    gone = maker.update({"contacts/Grace.md": cadence}).model.names  # the alias given up
    assert "amazing grace" not in gone
    assert dict(gone) == dict(names)
