"""Where the shipped theme and vault template are, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
# In a wheel they sit inside the package; in a checkout, at the repository's top.
_CANDIDATES = {
    "themes": (_PACKAGE / "themes", _PACKAGE.parents[1] / "themes"),
    "vault_template": (_PACKAGE / "vault_template", _PACKAGE.parents[1] / "vault-template"),
}


def shipped(name: str) -> Path:
    """The folder of a shipped resource: `themes` or `vault_template`."""
    for path in _CANDIDATES[name]:
        if path.is_dir():
            return path
    raise FileNotFoundError(f"netvault is missing its {name} folder; reinstall it")


def theme_dirs(theme: str, vault: Path) -> list[Path]:
    """Theme folders to look in, most specific first: the vault's own, then the shipped one."""
    dirs = [vault / "themes" / theme]
    dirs.append(shipped("themes") / theme)
    if theme != "default":
        dirs.append(shipped("themes") / "default")
    return [d for d in dirs if d.is_dir()]
