"""How long reading a vault's git history takes: issue 4's speed target.

Makes (once, then reuses) a generated vault of 10,000 notes whose history holds
5,000 commits: the first adds every note, each later one edits the front matter
of one to three notes (a cadence, a tag, an organisation) or renames one. The
commits are written with `git fast-import`, so making them takes seconds.

Then it times, in this process, each on the same repository:

1. `history.read_history` with nothing known: one `git log` over the whole
   history, parsed and grouped by note (renames followed), plus `git status`;
2. the field changes of every contact's history (`history.with_fields`: one
   `git cat-file --batch` for the stored versions, then a comparison of each);
3. `read_history` again with the first result known and HEAD unmoved (what a
   rebuild pays).

Then what history costs a build, against a copy of the same vault outside git
(the baseline), each built in turn, `--rounds` times:

4. a cold `netvault build` (empty cache, a new process) of each;
5. a build in a new process with a warm cache and HEAD unmoved, of each;
6. in one process, a body edit of one contact after another and the build
   after each (what `watch` does on a save), of each: the median and the 95th
   percentile. A first edit, not timed, comes first: the process starts with
   nothing to do, so it has no model yet, and the first edit makes it.

Run from the repository root: `python bench/history.py [--workdir DIR]`. It
prints one line per measure and asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "generator"))

from netvault import history  # noqa: E402 - after the checkout is put on the path
from netvault.build import Builder  # noqa: E402

GENERATOR = REPO.parent / "shared" / "bench" / "make_vault.py"
CONTACTS, MEETINGS = 2_500, 7_250  # with 250 orgs: 10,000 notes
COMMITS = 5_000
SEED = 42
T = TypeVar("T")
START = 1_700_000_000  # the first commit's time; one hour between commits
TODAY = dt.date(2026, 11, 20)
CACHE = ".netvault-cache"


def make(workdir: Path) -> Path:
    """The vault with its history, made once."""
    vault = workdir / f"history-{CONTACTS}c-{MEETINGS}m-{COMMITS}commits"
    if (vault / ".git").is_dir():
        return vault
    partial = vault.with_name(vault.name + ".partial")
    subprocess.run(["rm", "-rf", str(partial)], check=True)
    command = [sys.executable, str(GENERATOR), str(partial)]
    command += ["--contacts", str(CONTACTS), "--meetings", str(MEETINGS), "--seed", str(SEED)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["git", "init", "-q", "-b", "main", str(partial)], check=True)
    stream = _history_stream(partial)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=partial, input=stream, check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=partial, check=True)
    # The generator's files that history renamed are left behind, untracked.
    subprocess.run(["git", "clean", "-q", "-f", "-d"], cwd=partial, check=True)
    partial.rename(vault)
    return vault


def _history_stream(vault: Path) -> bytes:
    """A fast-import stream: every note added, then COMMITS - 1 small edits and renames."""
    rng = random.Random(SEED)
    files = {p.relative_to(vault).as_posix(): p.read_bytes() for p in sorted(vault.rglob("*.md"))}
    contacts = [rel for rel in files if rel.startswith("contacts/")]
    out: list[bytes] = []

    def commit(number: int, message: str, changes: list[bytes]) -> None:
        head = (
            f"commit refs/heads/main\nmark :{number}\n"
            f"committer Bench <bench@example.org> {START + 3600 * number} +0000\n"
        ).encode()
        data = message.encode()
        out.append(head + b"data %d\n" % len(data) + data + b"\n")
        if number > 1:
            out.append(b"from :%d\n" % (number - 1))
        out.extend(changes)
        out.append(b"\n")

    def put(rel: str) -> bytes:
        data = files[rel]
        return f"M 100644 inline {rel}\n".encode() + b"data %d\n" % len(data) + data + b"\n"

    commit(1, "Import the network", [put(rel) for rel in files])
    for number in range(2, COMMITS + 1):
        if rng.random() < 0.05:
            old = rng.choice(contacts)
            new = old[:-3] + f" {number}.md"
            files[new] = files.pop(old)
            contacts[contacts.index(old)] = new
            commit(number, f"Rename {old}", [f'R "{old}" "{new}"\n'.encode()])
            continue
        changed = rng.sample(contacts, rng.randint(1, 3))
        for rel in changed:
            files[rel] = _edit(files[rel], rng, number)
        commit(number, f"Edit {len(changed)} contacts", [put(rel) for rel in changed])
    return b"".join(out)


def _edit(data: bytes, rng: random.Random, number: int) -> bytes:
    """One front-matter edit of a contact: a new cadence, a tag, or an organisation."""
    text = data.decode()
    front_end = text.index("\n---", 3)
    front, rest = text[:front_end], text[front_end:]
    kind = rng.choice(["cadence", "tag", "org"])
    if kind == "cadence":
        line = f"\ncadence: {rng.choice([30, 60, 90, 180])}d"
        lines = [x for x in front.split("\n") if not x.startswith("cadence:")]
        front = "\n".join(lines) + line
    elif kind == "tag":
        front += f"\nbench_tags:\n  - t{number}"
    else:
        lines = [x for x in front.split("\n") if not x.startswith("company:")]
        front = "\n".join(lines) + f'\ncompany: "Org {number % 97}"'
    return (front + rest).encode()


def timed(what: str, work: Callable[[], T]) -> T:
    """`work()`, its wall time printed beside `what`."""
    start = time.perf_counter()
    result = work()
    print(f"{what:<62} {time.perf_counter() - start:8.2f} s", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/netvault-bench"))
    parser.add_argument("--rounds", type=int, default=2, help="builds of each vault, in turn")
    parser.add_argument("--edits", type=int, default=20, help="body edits timed in each round")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    vault = timed("making the vault and its history (first run only)", lambda: make(args.workdir))
    commits = (
        subprocess.run(
            ["git", "rev-list", "--count", "HEAD"], cwd=vault, capture_output=True, check=True
        )
        .stdout.decode()
        .strip()
    )
    notes = sum(1 for _ in vault.rglob("*.md"))
    print(f"vault: {vault} ({notes:,} notes, {int(commits):,} commits)")
    found = timed("read_history, nothing known", lambda: history.read_history(vault))
    contact_changes = [
        c for path, cs in found.notes.items() if path.startswith("contacts/") for c in cs
    ]
    timed(
        f"field changes of every contact's history ({len(contact_changes):,} changes)",
        lambda: history.with_fields(vault, contact_changes),
    )
    timed("read_history again, HEAD unmoved", lambda: history.read_history(vault, found))
    print(f"{len(found.activity):,} changes to {len(found.notes):,} notes")
    plain = _copy_outside_git(vault, args.workdir / "history-plain")
    builds(vault, plain, args.workdir, args.rounds, args.edits)


def _copy_outside_git(vault: Path, copy: Path) -> Path:
    """The vault's notes as they are now, in a folder that is in no repository."""
    if not copy.is_dir():
        ignore = shutil.ignore_patterns(".git", CACHE, "site")
        shutil.copytree(vault, copy.with_name(copy.name + ".partial"), ignore=ignore)
        copy.with_name(copy.name + ".partial").rename(copy)
    return copy


def builds(vault: Path, plain: Path, workdir: Path, rounds: int, edits: int) -> None:
    """Measures 4 to 6, for the vault in git and for its copy outside, in turn."""
    runs: dict[str, dict[str, list[float]]] = {"git": {}, "plain": {}}
    for _ in range(rounds):
        for name, folder in (("git", vault), ("plain", plain)):
            out = workdir / f"history-site-{name}"
            shutil.rmtree(folder / CACHE, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
            found = runs[name]
            found.setdefault("cold", []).append(_build_process(folder, out))
            found.setdefault("warm", []).append(_build_process(folder, out))
            found.setdefault("edits", []).extend(_edit_builds(folder, out, edits))
    for key, what in (("cold", "cold build, empty cache"), ("warm", "new process, warm cache")):
        with_git, without = (statistics.median(runs[n][key]) for n in ("git", "plain"))
        print(
            f"{what:<40} with history {with_git:7.2f} s, outside git {without:7.2f} s,"
            f" ratio {with_git / without:.2f}"
        )
    for name in ("git", "plain"):
        edits_ms = sorted(x * 1000 for x in runs[name]["edits"])
        print(
            f"body edit → build, {'with history' if name == 'git' else 'outside git':<13}"
            f" median {statistics.median(edits_ms):6.1f} ms,"
            f" p95 {edits_ms[int(0.95 * (len(edits_ms) - 1))]:6.1f} ms"
            f" ({len(edits_ms)} edits)"
        )


def _build_process(vault: Path, out: Path) -> float:
    """Wall time of `netvault build` in a new process."""
    command = [sys.executable, "-c", "from netvault.cli import cli; cli()", "build", str(vault)]
    command += ["--out", str(out), "--today", TODAY.isoformat()]
    env = {"PYTHONPATH": str(REPO / "generator"), "PATH": "/usr/bin:/bin"}
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, capture_output=True)
    return time.perf_counter() - start


def _edit_builds(vault: Path, out: Path, count: int) -> list[float]:
    """Seconds of each build after a body edit of one contact after another (undone after)."""
    builder = Builder(vault, out)
    builder.build(TODAY)
    contacts = sorted(p for p in (vault / "contacts").iterdir() if p.suffix == ".md")
    picked = random.Random(SEED).sample(contacts, count + 1)
    before = {p: p.read_bytes() for p in picked}
    seconds = []
    try:
        for number, path in enumerate(picked):
            path.write_bytes(before[path] + f"\nEdited in round {number}.\n".encode())
            start = time.perf_counter()
            builder.build(TODAY, [path.relative_to(vault).as_posix()])
            seconds.append(time.perf_counter() - start)
        seconds = seconds[1:]  # the first edit makes the model
    finally:
        for path, data in before.items():
            path.write_bytes(data)
    return seconds


if __name__ == "__main__":
    main()
