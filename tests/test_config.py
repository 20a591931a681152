from datetime import timedelta

from netvault.config import Settings, load_settings, parse_settings


def test_defaults_without_a_file(tmp_path):
    settings, problems = load_settings(tmp_path)
    assert settings == Settings(editor="vscode")  # no .obsidian/ folder: not an Obsidian vault
    assert problems == []


def test_values_from_the_file_override_and_extend_defaults():
    settings, problems = parse_settings(
        """
[site]
title = "Ada's network"
rows_per_group = 3

[cadence]
default = "6m"
[cadence.circles]
inner = "2w"
[cadence.tags]
mentor = "45d"

[thank_you.types]
coffee = 2
demo = 1

[folders]
contacts = ["folks"]
"""
    )
    assert problems == []
    assert settings.title == "Ada's network"
    assert settings.rows_per_group == 3
    assert settings.default_cadence == timedelta(days=180)
    assert settings.circle_cadence["inner"] == timedelta(days=14)
    assert settings.circle_cadence["network"] == timedelta(days=90)  # default kept
    assert settings.tag_cadence == {"mentor": timedelta(days=45)}
    assert settings.thank_you_days["coffee"] == 2
    assert settings.thank_you_days["interview"] == 2
    assert settings.thank_you_days["demo"] == 1
    assert settings.folders == {"folks": "contact"}


def test_bad_values_are_reported_with_their_line_and_defaults_kept():
    settings, problems = parse_settings('[site]\ntitle = "x"\nrows_per_group = -1\n')
    assert [(p.line, p.level) for p in problems] == [(3, "error")]
    assert "rows_per_group" in problems[0].message
    assert settings.rows_per_group == Settings().rows_per_group
    assert settings.title == "x"


def test_unknown_settings_are_warnings():
    _, problems = parse_settings("[site]\ncolour = 'red'\n[nonsense]\nx = 1\n")
    assert [(p.line, p.level) for p in problems] == [(2, "warning"), (3, "warning")]


def test_invalid_toml_names_its_line():
    settings, problems = parse_settings("[site]\ntitle = \n")
    assert settings == Settings()
    assert problems[0].path == "netvault.toml"
    assert problems[0].line == 2


def test_import_settings_and_a_bad_import_cadence():
    settings, problems = parse_settings(
        '[import]\ncircle = "network"\ncadence = "90d"\n'
        "keep_in_touch_before_first_interaction = true\n[new_role]\nlookback_days = 60\n"
    )
    assert problems == []
    assert (settings.import_circle, settings.import_cadence) == ("network", "90d")
    assert (settings.import_keep_in_touch, settings.new_role_lookback_days) == (True, 60)
    settings, problems = parse_settings('[import]\ncadence = "often"\n')
    assert settings.import_cadence == ""
    assert [(p.line, p.level) for p in problems] == [(2, "error")]
    assert problems[0].message.startswith("import.cadence:")


def test_properties_add_to_the_defaults_and_bad_entries_are_warnings():
    settings, problems = parse_settings(
        '[site]\ntitle = "x"\n[properties]\nwith = ["met with", "company"]\n'
        'title = "Heading"\nnope = ["x"]\nrole = ["people", "Date"]\n'
    )
    assert settings.properties["with"] == ("met with", "company")
    assert "company" not in settings.properties["org"]  # now `with`'s
    assert settings.properties["phone"] == Settings().properties["phone"]
    assert settings.properties["role"] == ("people",)
    found = [(p.path, p.line, p.level, p.message.split(":")[0]) for p in problems]
    assert found == [
        ("netvault.toml", 5, "warning", "properties.title"),
        ("netvault.toml", 6, "warning", "properties.nope"),
        ("netvault.toml", 7, "warning", "properties.role"),
    ]
    assert "“Date” names date already" in problems[2].message


def test_links_editor_by_name_or_url_template():
    for written, editor in [
        ('"obsidian"', "obsidian"),
        ('"VSCode"', "vscode"),
        ('"none"', "none"),
        ('"auto"', "auto"),
        ('"cursor://file{path}:{line}"', "cursor://file{path}:{line}"),
        ('"obsidian://advanced-uri?vault={vault}&filepath={file}&line={line}"', None),
    ]:
        settings, problems = parse_settings(f"[links]\neditor = {written}\n")
        assert problems == [], written
        assert settings.editor == (editor or written.strip('"'))


def test_links_editor_that_cannot_open_an_editor_is_an_error_and_the_default_kept():
    for written, words in [
        ('"emacs"', 'expected "auto", "obsidian", "vscode", "none"'),
        ('"javascript:alert({path})"', "a javascript: URL does not open an editor"),
        (
            '"vscode://file{path}:{column}"',
            "{column} is not one of {file}, {line}, {path}, {vault}",
        ),
        ('"vscode://file{path"', "not a URL template"),
        ("true", "expected text"),
    ]:
        settings, problems = parse_settings(f"[site]\ntitle = 'x'\n[links]\neditor = {written}\n")
        assert settings.editor == "auto"
        assert [(p.line, p.level) for p in problems] == [(4, "error")], written
        assert problems[0].message.startswith("links.editor: "), written
        assert words in problems[0].message, written


def test_auto_editor_is_obsidian_in_a_vault_with_an_obsidian_folder(tmp_path):
    (tmp_path / ".obsidian").mkdir()
    assert load_settings(tmp_path)[0].editor == "obsidian"
    (tmp_path / "netvault.toml").write_text('[links]\neditor = "vscode"\n')
    assert load_settings(tmp_path)[0].editor == "vscode"  # a setting wins
    (tmp_path / "netvault.toml").write_text('[links]\neditor = "auto"\n')
    assert load_settings(tmp_path)[0].editor == "obsidian"


def test_replies_settings():
    settings, problems = parse_settings("[replies]\nafter_days = 5\nlookback_days = 90\n")
    assert problems == []
    assert (settings.reply_after_days, settings.reply_lookback_days) == (5, 90)
    assert (Settings().reply_after_days, Settings().reply_lookback_days) == (2, 30)
