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


@pytest.fixture(autouse=True)
def cache_key(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The key that seals caches, kept where a test run can make it: never in the real home."""
    path = tmp_path_factory.getbasetemp() / "netvault-cache-key"
    monkeypatch.setenv("NETVAULT_CACHE_KEY", str(path))
    return path
