from netvault.resources import shipped, theme_dirs


def test_the_default_theme_and_the_vault_template_are_found():
    assert (shipped("themes") / "default" / "templates" / "base.html").is_file()
    assert (shipped("vault_template") / "netvault.toml").is_file()


def test_a_vault_theme_comes_before_the_shipped_one(tmp_path):
    (tmp_path / "themes" / "default" / "templates").mkdir(parents=True)
    dirs = theme_dirs("default", tmp_path)
    assert dirs[0] == tmp_path / "themes" / "default"
    assert dirs[1] == shipped("themes") / "default"


def test_an_unknown_theme_falls_back_to_the_default(tmp_path):
    assert theme_dirs("nonesuch", tmp_path) == [shipped("themes") / "default"]
