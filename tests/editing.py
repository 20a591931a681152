"""Editing a vault as people do, and waiting for what watching it should bring about."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

DEADLINE = 10.0  # seconds any one change may take to reach the site


def save(path: Path, text: str) -> None:
    """Write `path` as editors save: a temporary file beside it, renamed onto it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def wait_for(condition: Callable[[], object], what: str, timeout: float = DEADLINE) -> None:
    """Poll `condition` until it holds; fail with `what` when `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)
