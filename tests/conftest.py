"""Shared test helpers: tiny vaults written from literal strings."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest


def write_vault(root: Path, files: dict[str, str]) -> Path:
    """Write `files` (vault-relative path → text, dedented) under `root`; return root."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def vault(tmp_path: Path):
    """A function that writes a vault from literal note texts and returns its folder."""

    def make(files: dict[str, str]) -> Path:
        return write_vault(tmp_path / "vault", files)

    return make
