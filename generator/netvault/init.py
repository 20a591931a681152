"""`netvault init`: a new vault from the shipped template, as a git repository."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

from .records import record
from .resources import shipped


class InitError(Exception):
    """A vault cannot be made where asked."""


@record
class InitResult:
    """The files written, and what happened with git (empty when all went well)."""

    files: tuple[Path, ...]
    git_message: str


def init_vault(directory: Path, *, example: bool, today: date) -> InitResult:
    """Copy the vault template into an empty `directory`, add the example, commit."""
    if directory.exists() and not directory.is_dir():
        raise InitError(f"{directory} is a file, not a folder")
    if directory.exists() and any(directory.iterdir()):
        raise InitError(f"{directory} is not empty; netvault init only fills an empty folder")
    directory.mkdir(parents=True, exist_ok=True)
    template = shipped("vault_template")
    written: list[Path] = []
    for source in sorted(template.rglob("*")):
        if source.is_dir() or "__pycache__" in source.parts:
            continue
        target = directory / source.relative_to(template)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(target)
    if example:
        from .example import write_example

        written += write_example(directory, today)
    return InitResult(tuple(sorted(written)), _git_commit(directory))


def _git_commit(directory: Path) -> str:
    """Make `directory` a git repository with a first commit; say why not if it can't."""
    git = shutil.which("git")
    if git is None:
        return "git is not installed: the vault works, but has no history until you add it."
    identity: list[str] = []
    has_name = subprocess.run(
        [git, "config", "user.name"], capture_output=True, text=True, cwd=directory
    ).stdout.strip()
    if not has_name:
        # A first commit must not fail on a machine where git was never set up.
        identity = ["-c", "user.name=netvault", "-c", "user.email=netvault@localhost"]
    steps = [
        [git, "init", "--quiet"],
        [git, "add", "--all"],
        [git, *identity, "commit", "--quiet", "-m", "New netvault vault"],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, cwd=directory)
        if done.returncode != 0:
            action = "commit" if "commit" in step else step[1]
            return f"git {action} failed: {done.stderr.strip()}"
    return ""
