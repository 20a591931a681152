"""Links that open a note in the editor it is written in, at the line to change.

`[links] editor` in netvault.toml names the editor (`config.EDITORS`) or gives a
URL template. The links are navigations to another application (obsidian://,
vscode://), not loads: the pages' Content Security Policy does not govern them,
and following one makes no network request.

They hold the vault's absolute path, so a site built from a vault somewhere else
links elsewhere: the build counts the vault's path among what a site is made of.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import quote

from .config import EDITORS
from .records import record

_NAMES = {"obsidian": "Obsidian", "vscode": "VS Code"}


@record
class Editor:
    """How to link a note to the editor: a URL template, and the editor's name."""

    template: str  # "" for no links
    name: str  # "Obsidian", "VS Code"; "" for a template of the vault's own
    vault: str  # the vault's absolute path, with forward slashes
    vault_name: str = ""  # its folder's name, as a URL writes it (`{vault}`)

    def url(self, path: str, line: int = 1) -> str | None:
        """The URL that opens the note at vault path `path` at `line`; None without one."""
        if not self.template:
            return None
        absolute = f"{self.vault.rstrip('/')}/{path}"
        if not absolute.startswith("/"):  # C:/Users/…, as a URL path: /C:/Users/…
            absolute = "/" + absolute
        file = path[:-3] if path.lower().endswith(".md") else path
        return self.template.format(
            path=quote(absolute, safe="/:"),
            line=max(1, line),
            vault=self.vault_name,
            file=quote(file, safe=""),
        )

    @property
    def label(self) -> str:
        """What a link to the editor says."""
        return f"edit in {self.name}" if self.name else "edit"


def editor(setting: str, vault: Path) -> Editor:
    """The editor `[links] editor` says (as `config.load_settings` resolved it), for `vault`.

    `auto` (settings not read from a vault) is VS Code, whose links need nothing
    but the file's path.
    """
    name = "vscode" if setting == "auto" else setting
    if name == "none":
        return Editor("", "", vault.as_posix())
    folder = quote(PurePosixPath(vault.as_posix()).name, safe="")
    return Editor(EDITORS.get(name, name), _NAMES.get(name, ""), vault.as_posix(), folder)
