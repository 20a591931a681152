from netvault.text import clean, first_words, fold


def test_clean_drops_invisible_characters_and_plain_spaces():
    assert clean("Ada\u00a0Lovelace\ufe0f\u200b") == "Ada Lovelace"


def test_clean_composes_accents():
    decomposed = "Jose\u0301"
    assert clean(decomposed) == "José"


def test_fold_matches_names_as_obsidian_does():
    assert fold("  ADA   Lovelace ") == fold("ada lovelace") == "ada lovelace"
    assert fold("Straße") == fold("STRASSE")
    assert fold("Ada\u00a0Lovelace") == fold("Ada Lovelace")


def test_clean_finds_every_odd_character_in_text_that_is_otherwise_clean():
    for invisible in "\ufe0e\ufe0f\u200b\u200c\u200d\u2060\ufeff":
        assert clean(f"Sørensen{invisible}") == "Sørensen"
    for space in "\u00a0\u2007\u202f\u3000":
        assert clean(f"Naledi{space}Sørensen") == "Naledi Sørensen"
    assert clean("Naledi Sørensen 📅") == "Naledi Sørensen 📅"


def test_first_words_of_the_first_paragraph_of_prose_without_markup():
    text = (
        "# Heading\n\n```\ncode\n```\n- [ ] a task\n| a | table |\n"
        "> [!note] A callout\n> Thanks for *the* `intro` to [[Ada Lovelace|Ada]] and "
        "[Grace](https://grace.example) [due:: 2026-11-20]!\n\nA second paragraph.\n"
    )
    assert first_words(text) == "Thanks for the intro to Ada and Grace!"
    assert first_words("one two three four", words=3) == "one two three…"
    assert first_words("one, two, three. four", words=3) == "one, two, three…"
    assert first_words("## Only a heading\n") == ""
