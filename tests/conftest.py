"""Shared test helpers: tiny vaults written from literal strings."""

from __future__ import annotations

from pathlib import Path

import pytest

from vaults import write_vault


@pytest.fixture
def vault(tmp_path: Path):
    """A function that writes a vault from literal note texts and returns its folder."""

    def make(files: dict[str, str]) -> Path:
        return write_vault(tmp_path / "vault", files)

    return make
