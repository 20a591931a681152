"""Real git repositories for tests: commits at fixed dates, by a fixed author."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

BODY = "".join(f"Line {n} of notes about a long conversation.\n" for n in range(30))


class Repo:
    """A git repository in a temporary folder, committing at fixed dates."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.clock = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        when = self.clock.isoformat()
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "Ada",
            "GIT_AUTHOR_EMAIL": "ada@example.org",
            "GIT_COMMITTER_NAME": "Ada",
            "GIT_COMMITTER_EMAIL": "ada@example.org",
            "GIT_AUTHOR_DATE": when,
            "GIT_COMMITTER_DATE": when,
        }
        done = subprocess.run(
            ["git", *args], cwd=self.root, env=env, capture_output=True, check=True
        )
        return done.stdout.decode()

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def commit(self, message: str) -> None:
        self.clock += timedelta(days=1)
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)


def contact(cadence: str, tags: list[str], org: str = "Acme", body: str = BODY) -> str:
    tag_lines = "".join(f"  - {t}\n" for t in tags)
    return f"---\norg: {org}\ncadence: {cadence}\ntags:\n{tag_lines}---\n{body}"
