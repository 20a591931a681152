import os
from datetime import date

from netvault.vault import discover, parse_note, read_note


def write(root, rel, text):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_discovery_skips_tool_folders_temp_files_and_output(tmp_path):
    for rel in [
        "contacts/Ada.md",
        "Daily/2026-11-20.md",
        "attachments/photo.png",
        ".git/config.md",
        ".obsidian/app.md",
        "site/index.md",
        "templates/contact.md",
        "contacts/.Ada.md.swp",
        "contacts/Ada.md~",
        "contacts/#Ada.md#",
        "contacts/.hidden.md",
        "out/x.md",
    ]:
        write(tmp_path, rel, "x")
    found = discover(tmp_path, exclude=(tmp_path / "out",))
    assert found.notes == ("Daily/2026-11-20.md", "contacts/Ada.md")
    assert found.assets == ("attachments/photo.png",)


def test_symlinks_out_of_the_vault_are_skipped_with_a_warning(tmp_path):
    vault, outside = tmp_path / "vault", tmp_path / "outside"
    write(outside, "secret.md", "private")
    write(vault, "contacts/Ada.md", "x")
    os.symlink(outside / "secret.md", vault / "contacts" / "Secret.md")
    os.symlink(vault / "contacts" / "Ada.md", vault / "Ada link.md")
    found = discover(vault)
    assert found.notes == ("Ada link.md", "contacts/Ada.md")
    assert [(p.path, p.level) for p in found.problems] == [("contacts/Secret.md", "warning")]


def test_front_matter_body_and_lines():
    note = parse_note(
        "contacts/Ada.md",
        "---\nname: Ada\nphone: 0123\nmet: 2026-11-20\n---\n\n# Ada\nHello\n",
    )
    assert note.meta == {"name": "Ada", "phone": "0123", "met": date(2026, 11, 20)}
    assert note.line_of("met") == 4
    assert note.body == "# Ada\nHello\n"
    assert note.body_line == 7
    assert note.problems == ()
    assert note.stem == "Ada"
    assert note.folder == "contacts"


def test_windows_line_endings_and_bom(tmp_path):
    path = tmp_path / "n.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\nname: Ada\r\n---\r\nBody\r\n")
    note = read_note(tmp_path, "n.md")
    assert note.meta == {"name": "Ada"}
    assert note.body == "Body\n"


def test_malformed_yaml_is_a_problem_at_its_line():
    note = parse_note("c/Bad.md", "---\nname: Ada\ntags: [one, two\nrole: x\n---\nBody\n")
    assert len(note.problems) == 1
    assert note.problems[0].path == "c/Bad.md"
    assert note.problems[0].line in (3, 4)
    assert note.body == "Body\n"


def test_unclosed_front_matter():
    note = parse_note("n.md", "---\nname: Ada\nno closing fence\n")
    assert "not closed" in note.problems[0].message


def test_front_matter_that_is_not_a_mapping():
    note = parse_note("n.md", "---\n- a\n- b\n---\nBody\n")
    assert "key: value" in note.problems[0].message


def test_no_front_matter_is_all_body():
    note = parse_note("n.md", "Just text\n---\nmore\n")
    assert note.meta == {}
    assert note.body.startswith("Just text")


def test_binary_huge_and_non_utf8_files_are_problems(tmp_path):
    (tmp_path / "bin.md").write_bytes(b"\x00\x01\x02")
    (tmp_path / "latin.md").write_bytes("Caf\xe9\n".encode("latin-1"))
    (tmp_path / "huge.md").write_bytes(b"a" * 2_000_001)
    for name, words in [("bin.md", "binary"), ("latin.md", "UTF-8"), ("huge.md", "larger")]:
        note = read_note(tmp_path, name)
        assert words in note.problems[0].message
        assert note.body == ""
