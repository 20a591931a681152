"""Tiny vaults written from literal note texts, for tests (the `vault` fixture uses this)."""

from __future__ import annotations

import textwrap
from pathlib import Path


def write_vault(root: Path, files: dict[str, str]) -> Path:
    """Write `files` (vault-relative path → text, dedented) under `root`; return root."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root
