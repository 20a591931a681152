"""netvault's benchmark: build speed and memory as ratios to the floor of its libraries.

    python bench/run.py [--sizes small,medium,large] [--repeat N] [--workdir DIR]
                        [--json out.json] [--generator PATH] [--profile]

One run measures everything on the same machine at the same moment, so the ratios
can be trusted even on a shared, noisy machine; absolute numbers from different
runs cannot. Vaults come from ../shared/bench/make_vault.py (run, never copied),
are generated once into the work folder and reused by later runs with the same
arguments. Progress goes to stderr, the report to stdout. See bench/README.md.

This file is not a test: it asserts nothing, and pytest never collects it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import multiprocessing
import os
import platform
import re
import resource
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "generator"  # the checkout under test: both the CLI and the Builder run it
DEFAULT_GENERATOR = REPO.parent / "shared" / "bench" / "make_vault.py"
TODAY = "2025-11-22"  # the day make_vault.py writes its vaults around
SEED = 42
SIZES = {  # contacts, meetings (make_vault.py adds max(20, contacts // 10) orgs)
    "small": (1_000, 3_000),
    "medium": (10_000, 30_000),
    "large": (30_000, 100_000),
}
CACHE_DIRS = (".netvault-cache",)  # netvault's parse cache, inside the vault
FLOOR_CHUNK = 200  # notes per task handed to a floor worker
HELP_RUNS = 5
WATCH_EDITS = 20
WATCH_CADENCE_EDITS = 10  # front-matter edits while watching: each one redoes the model
EDIT_BUILDS = 5  # new-process builds, each after one more edited note
# A front-matter edit sets a contact's cadence to BASE + n days (n = 1, 2, ...): unique
# per edit, and none that make_vault.py writes (14d to 365d, none from 101d to 120d).
BUILD_CADENCE_BASE = 100
WATCH_CADENCE_BASE = 110
COMMAND_RUNS = 3  # new processes of each of `due`, `check` and `stats`
# Commands that read the vault and its cache but write no site, with their arguments
# after the vault. They leave VAULT/site out of the notes; the bench's sites are in
# WORKDIR/runs/SIZE/, beside the vault and never inside it, so they never see them.
COMMANDS = {
    "due": ("due", "--today", TODAY),
    "check": ("check",),
    "stats": ("stats", "--today", TODAY),
}
WATCH_POLL = 0.002  # seconds between looks at the edited page
WATCH_GAP = 0.5  # seconds from one edit's page on disk to the next edit
MEMORY_SAMPLE = 0.1  # seconds between samples of a build's process tree
# The console script, word for word, run from the checkout (PYTHONPATH=generator).
LAUNCHER = "import sys; sys.argv[0] = 'netvault'; from netvault.cli import main; main()"
MEASURES = (  # key, label, unit
    ("floor1", "floor, one core", "s"),
    ("floor2", "floor, two cores", "s"),
    ("cold", "cold build, empty cache", "s"),
    ("warm", "cold process, warm cache", "s"),
    ("body_median", "new process, body edit, median", "s"),
    ("body_p95", "new process, body edit, 95th pct", "s"),
    ("front_median", "new process, front-matter edit, median", "s"),
    ("front_p95", "new process, front-matter edit, 95th pct", "s"),
    ("due", "due, warm cache", "s"),
    ("check", "check, warm cache", "s"),
    ("stats", "stats, warm cache", "s"),
    ("rebuild", "no-change rebuild, in-process", "s"),
    ("watch_median", "watch: edit → page, median", "s"),
    ("watch_p95", "watch: edit → page, 95th pct", "s"),
    ("watch_front_median", "watch, front-matter edit → page, median", "s"),
    ("watch_front_p95", "watch, front-matter edit → page, 95th pct", "s"),
    ("memory", "peak memory, cold build", "MB"),
)
RATIO_KEYS = (
    "floor1",
    "floor2",
    "cold",
    "warm",
    "body_median",
    "body_p95",
    "front_median",
    "front_p95",
    "due",
    "check",
    "stats",
    "rebuild",
    "watch_front_median",
    "watch_front_p95",
)
LABEL_WIDTH = 42  # of the measure column


@dataclass(frozen=True)
class Target:
    """One line of the issue's Targets table."""

    key: str  # a MEASURES key, or "help"
    size: str | None  # the vault size it is set for; None for any
    text: str
    met: Callable[[dict[str, float]], bool]  # given the size's medians


TARGETS = (
    Target("cold", "medium", "≤ 1.2 × floor, two cores", lambda m: m["cold"] <= 1.2 * m["floor2"]),
    Target("warm", "medium", "< 2 s", lambda m: m["warm"] < 2.0),
    Target("warm", "large", "< 6 s", lambda m: m["warm"] < 6.0),
    Target("body_median", "medium", "≤ 2 s", lambda m: m["body_median"] <= 2.0),
    Target("front_median", "medium", "≤ 3 s", lambda m: m["front_median"] <= 3.0),
    Target("due", "medium", "≤ 1 s", lambda m: m["due"] <= 1.0),
    Target("check", "medium", "≤ 1 s", lambda m: m["check"] <= 1.0),
    Target("stats", "medium", "≤ 1 s", lambda m: m["stats"] <= 1.0),
    Target("watch_median", "medium", "< 100 ms", lambda m: m["watch_median"] < 0.100),
    Target("watch_p95", "medium", "< 250 ms", lambda m: m["watch_p95"] < 0.250),
    Target("watch_front_median", "medium", "≤ 300 ms", lambda m: m["watch_front_median"] <= 0.300),
    Target("watch_front_p95", "medium", "≤ 1 s", lambda m: m["watch_front_p95"] <= 1.0),
    Target("memory", "large", "< 1.5 GB", lambda m: m["memory"] < 1.5 * 1024),
    Target("help", None, "< 0.3 s", lambda m: m["help"] < 0.3),
)


# --------------------------------------------------------------------------------------
# Small helpers

_START = time.perf_counter()


def log(message: str) -> None:
    """Progress, on stderr, with the seconds since the run began."""
    print(f"[{time.perf_counter() - _START:7.1f}s] {message}", file=sys.stderr, flush=True)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], pct: int) -> float:
    """The pct-th percentile, interpolated between the nearest samples."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[pct - 1]


def fmt_time(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 100:
        return f"{seconds:.2f} s"
    return f"{seconds:.0f} s"


def fmt_mb(mb: float) -> str:
    return f"{mb / 1024:.2f} GB" if mb >= 1024 else f"{mb:.0f} MB"


def netvault_env() -> dict[str, str]:
    """The environment that makes `python -c LAUNCHER` run this checkout's netvault."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SOURCE), env.get("PYTHONPATH")]))
    env.pop("NETVAULT_TODAY", None)
    env.pop("NETVAULT_VAULT", None)
    return env


def netvault_cmd(*args: str) -> list[str]:
    return [sys.executable, "-c", LAUNCHER, *args]


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def clear_cache(vault: Path) -> None:
    for name in CACHE_DIRS:
        remove(vault / name)


def code_digest() -> str:
    """A digest of netvault's sources as they are now (its cache is keyed by them too)."""
    digest = hashlib.blake2b(digest_size=8)
    for module in sorted((SOURCE / "netvault").rglob("*.py")):
        digest.update(module.relative_to(SOURCE).as_posix().encode())
        with suppress(OSError):
            digest.update(module.read_bytes())
    return digest.hexdigest()


# --------------------------------------------------------------------------------------
# Child processes: wall time, CPU time and peak memory


@dataclass
class ChildRun:
    wall: float  # seconds
    cpu: float  # user + system seconds of the child and the children it waited for
    maxrss_mb: float  # the largest single process (Linux's wait4 reports a maximum, not a sum)
    tree_mb: float  # the largest sampled sum of PSS over the child and its descendants
    code: int

    @property
    def peak_mb(self) -> float:
        return max(self.maxrss_mb, self.tree_mb)


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        with suppress(OSError):
            for task in os.listdir(f"/proc/{current}/task"):
                with suppress(OSError):
                    text = Path(f"/proc/{current}/task/{task}/children").read_text()
                    todo.extend(int(x) for x in text.split())
    return found


def _pss_mb(pid: int) -> float:
    """The proportional set size of one process, in MB (0 when it is gone).

    PSS shares each page among the processes that map it: forked workers sharing
    their parent's memory are not counted twice, as RSS would count them.
    """
    with suppress(OSError, ValueError, IndexError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    return 0.0


class TreeSampler:
    """Samples the summed PSS of a process and its descendants, in a thread.

    The sum of PSS is the memory the whole tree takes, each shared page counted
    once. smaps_rollup costs a few milliseconds per GB to read: sampled every
    MEMORY_SAMPLE seconds, a peak shorter than that can be missed.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            total = sum(_pss_mb(p) for p in _descendants(self.pid))
            self.peak = max(self.peak, total)
            self._stop.wait(MEMORY_SAMPLE)


def run_child(cmd: list[str], log_path: Path, env: dict[str, str] | None = None) -> ChildRun:
    """Run `cmd` to its end, output to `log_path`; time it and measure its memory."""
    with open(log_path, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=out, env=env)
        try:
            with TreeSampler(proc.pid) as sampler:
                _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        wall = time.perf_counter() - start
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return ChildRun(wall, cpu, usage.ru_maxrss / 1024, sampler.peak, code)


def log_tail(path: Path, lines: int = 5) -> str:
    with suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return ""


# --------------------------------------------------------------------------------------
# Vaults


def vault_for(size: str, workdir: Path, generator: Path) -> Path:
    """The generated vault of `size`, made now unless made before with the same arguments."""
    contacts, meetings = SIZES[size]
    digest = hashlib.sha256(generator.read_bytes()).hexdigest()[:10]
    vault = workdir / f"vault-{contacts}c-{meetings}m-seed{SEED}-gen{digest}"
    restore_edits(vault)
    if vault.is_dir():
        log(f"{size}: reusing {vault}")
        return vault
    partial = workdir / f"{vault.name}.partial-{secrets.token_hex(3)}"
    log(f"{size}: generating {contacts:,} contacts + {meetings:,} meetings into {vault}")
    cmd = [sys.executable, str(generator), str(partial)]
    cmd += ["--contacts", str(contacts), "--meetings", str(meetings), "--seed", str(SEED)]
    try:
        subprocess.run(cmd, check=True, stdout=sys.stderr)
        partial.rename(vault)  # only a whole vault ever has the reused name
    finally:
        if partial.exists():
            shutil.rmtree(partial, ignore_errors=True)
    return vault


def note_files(vault: Path) -> list[str]:
    """Every Markdown file of the vault, vault-relative, sorted; dot-folders skipped."""
    found = []
    for dirpath, dirnames, filenames in os.walk(vault):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel = Path(dirpath).relative_to(vault)
        found += [(rel / f).as_posix() for f in filenames if f.endswith(".md")]
    return sorted(found)


def prewarm(vault: Path, files: Sequence[str]) -> int:
    """Read every note once, untimed, so every measure finds the OS file cache warm."""
    return sum(len((vault / rel).read_bytes()) for rel in files)


def edits_backup(vault: Path) -> Path:
    return vault.parent / f"{vault.name}.edits.json"


def restore_edits(vault: Path) -> None:
    """Put back notes the watch measure edited (also after a run that was killed)."""
    backup = edits_backup(vault)
    if not backup.exists():
        return
    for rel, text in json.loads(backup.read_text(encoding="utf-8")).items():
        (vault / rel).write_bytes(text.encode("utf-8"))
    backup.unlink()


# --------------------------------------------------------------------------------------
# The floor: the parsing libraries alone, independent of netvault's code

_FLOOR_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>{{ body }}</main></body></html>
"""
_floor_tools: dict[str, Any] = {}


def floor_tools() -> dict[str, Any]:
    """The libraries, set up as netvault sets them up: made once per process."""
    if not _floor_tools:
        import jinja2
        import yaml
        from frontmatter.default_handlers import YAMLHandler
        from markdown_it import MarkdownIt
        from mdit_py_plugins.footnote import footnote_plugin
        from mdit_py_plugins.tasklists import tasklists_plugin

        md = MarkdownIt("commonmark", {"html": False, "breaks": True})
        md.enable(["table", "strikethrough"]).use(footnote_plugin).use(tasklists_plugin)
        env = jinja2.Environment(autoescape=True)
        _floor_tools.update(
            md=md,
            handler=YAMLHandler(),
            loader=yaml.CSafeLoader,
            load=yaml.load,
            template=env.from_string(_FLOOR_TEMPLATE),
            markup=jinja2.utils.markupsafe.Markup,
        )
    return _floor_tools


def floor_chunk(vault: str, rels: list[str], out: str) -> int:
    """Read, split, parse, render and write each note of `rels`; return the bytes written."""
    tools = floor_tools()
    md, handler, template, markup = (
        tools["md"],
        tools["handler"],
        tools["template"],
        tools["markup"],
    )
    load, loader = tools["load"], tools["loader"]
    root, target = Path(vault), Path(out)
    for folder in {Path(rel).parent for rel in rels}:
        (target / folder).mkdir(parents=True, exist_ok=True)
    written = 0
    for rel in rels:
        text = (root / rel).read_bytes().decode("utf-8")
        meta: Any = {}
        body = text
        if text.startswith("---"):
            front, body = handler.split(text)
            meta = load(front, Loader=loader) or {}
        env: dict[str, Any] = {}
        html = md.renderer.render(md.parse(body, env), md.options, env)
        if not isinstance(meta, dict):
            meta = {}
        title = meta.get("title") or meta.get("name") or rel
        page = template.render(title=title, body=markup(html)).encode("utf-8")
        (target / rel).with_suffix(".html").write_bytes(page)
        written += len(page)
    return written


def measure_floor(vault: Path, files: Sequence[str], out: Path, workers: int) -> ChildRun:
    """The floor over `workers` processes, the notes handed out in chunks."""
    remove(out)
    floor_tools()  # imported and set up before the clock starts; forked workers inherit it
    chunks = [list(files[i : i + FLOOR_CHUNK]) for i in range(0, len(files), FLOOR_CHUNK)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(floor_chunk, str(vault), chunk, str(out)) for chunk in chunks]
        for future in futures:
            future.result()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    remove(out)
    return ChildRun(wall, cpu, after.ru_maxrss / 1024, 0.0, 0)


# --------------------------------------------------------------------------------------
# In-process builds (run in a child process of their own: `run.py _inprocess ...`)


def inprocess_main(argv: list[str]) -> None:
    """A Builder builds once (cold, empty cache), then again with nothing changed."""
    parser = argparse.ArgumentParser(prog="run.py _inprocess")
    parser.add_argument("vault", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(SOURCE))
    from netvault.build import Builder

    today = dt.date.fromisoformat(TODAY)
    marks: list[tuple[float, str]] = []
    builder = Builder(
        args.vault, args.out, lambda stage: marks.append((time.perf_counter(), stage))
    )

    def timed_build() -> tuple[float, list[tuple[str, float]]]:
        marks.clear()
        start = time.perf_counter()
        builder.build(today)
        end = time.perf_counter()
        edges = [(start, ""), *marks, (end, "")]
        stages = [(edges[i][1], edges[i + 1][0] - edges[i][0]) for i in range(len(edges) - 1)]
        return end - start, [s for s in stages if s[0] or s[1] > 0.0005]

    profiler = None
    if args.profile is not None:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    first, first_stages = timed_build()
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    rebuilds, rebuild_stages = [], []
    for _ in range(args.repeat):
        seconds, rebuild_stages = timed_build()
        rebuilds.append(seconds)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "first": first,
        "first_stages": first_stages,
        "rebuilds": rebuilds,
        "rebuild_stages": rebuild_stages,
        "maxrss_mb": peak,
    }
    print(json.dumps(result))


def measure_inprocess(
    vault: Path, out: Path, logs: Path, repeat: int, profile: Path | None
) -> dict[str, Any]:
    clear_cache(vault)
    remove(out)
    cmd = [sys.executable, str(Path(__file__).resolve()), "_inprocess", str(vault), str(out)]
    cmd += ["--repeat", str(repeat)]
    if profile is not None:
        cmd += ["--profile", str(profile)]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    (logs / "inprocess.log").write_text(result.stderr)
    if result.returncode != 0:
        raise RuntimeError(f"in-process builds failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------------------
# Edits: a note changed, and the text its page shows once the change is built

_SENTENCE_END = re.compile(r"(?<=[.!?]) ")
_MARKUP = re.compile(r"[\[\]#*_~`|<>&\\!]")  # links, tags, emphasis, code, HTML, escapes


@dataclass(frozen=True)
class Edit:
    """One edit of a note: its new text, and the bytes its page holds once it is built."""

    text: str
    needle: bytes
    page: Path | None  # None: no page found for the note, look through all of `folder`
    folder: Path


def edit_note(text: str, marker: str) -> str:
    """`text` with one plain sentence of its body replaced by one holding `marker`.

    Only a sentence without links, tags or markup is replaced (in a paragraph or
    a list item), so the edit changes the words of the page and nothing of the
    model: no link, tag or task comes or goes. A note without one gets the
    sentence added at its end.
    """
    lines = text.split("\n")
    fences = [i for i, line in enumerate(lines) if line.strip() == "---"]
    start = fences[1] + 1 if text.startswith("---") and len(fences) > 1 else 0
    new = f"We talked about {marker} at length."
    for i in range(start, len(lines)):
        prefix, line = "", lines[i]
        if line.startswith("- ") and not line.startswith("- ["):
            prefix, line = "- ", line[2:]
        # A line with a link is skipped whole: "[[Kai H. M. Schneider]]" holds full stops,
        # and a sentence cut out of it would change the link, and so the model.
        if not line or not line[0].isalpha() or "[[" in line:
            continue
        sentences = _SENTENCE_END.split(line)
        for j, sentence in enumerate(sentences):
            if sentence[-1] in ".!?" and not _MARKUP.search(sentence):
                sentences[j] = new
                lines[i] = prefix + " ".join(sentences)
                return "\n".join(lines)
    return text.rstrip("\n") + f"\n\n{new}\n"


def set_cadence(text: str, value: str) -> str:
    """`text` with `cadence: value` in its front matter: the line replaced, else added."""
    lines = text.split("\n")
    fences = [i for i, line in enumerate(lines) if line.strip() == "---"]
    if not text.startswith("---") or len(fences) < 2:
        return f"---\ncadence: {value}\n---\n{text}"
    for i in range(1, fences[1]):
        if lines[i].startswith("cadence:"):
            lines[i] = f"cadence: {value}"
            return "\n".join(lines)
    lines.insert(fences[1], f"cadence: {value}")
    return "\n".join(lines)


def cadence_shown(days: int) -> bytes:
    """How a contact page shows a cadence of `days` days (contact.html, site._cadence_words)."""
    return f"<dt>Cadence</dt><dd>every {days} days</dd>".encode()


def note_name(rel: str, text: str) -> str:
    """A contact's name as its page's heading shows it: `name` or `title`, else the stem."""
    import yaml

    meta: Any = None
    if text.startswith("---"):
        with suppress(yaml.YAMLError):
            meta = yaml.load(text.split("\n---", 1)[0][3:], Loader=yaml.CSafeLoader)
    if isinstance(meta, dict) and (meta.get("name") or meta.get("title")):
        return str(meta.get("name") or meta.get("title"))
    return Path(rel).stem


def contact_page(folder: Path, rel: str, text: str) -> Path | None:
    """The contact's page in `folder`: named after its note, else the one headed by its name."""
    from markupsafe import escape

    page = folder / (Path(rel).stem + ".html")
    if page.exists():
        return page
    return _find_marker(folder, f"<h1>{escape(note_name(rel, text))}</h1>".encode())


def body_edit(out: Path, rel: str, original: str) -> Edit:
    """A plain sentence of an interaction's body replaced by one with a unique marker."""
    marker = f"nvbench{secrets.token_hex(6)}"
    folder = out / "interactions"
    page = folder / (Path(rel).stem + ".html")
    return Edit(
        edit_note(original, marker), marker.encode(), page if page.exists() else None, folder
    )


def cadence_edit(out: Path, rel: str, original: str, days: int) -> Edit:
    """A contact's `cadence:` set to `days` days (more, if its page shows that already)."""
    folder = out / "contacts"
    page = contact_page(folder, rel, original)
    shown = _page_bytes(page)
    while cadence_shown(days) in shown:
        days += 1000
    return Edit(set_cadence(original, f"{days}d"), cadence_shown(days), page, folder)


def spread(files: Sequence[str], folder: str, count: int) -> list[str]:
    """`count` notes of `folder` (e.g. "meetings/"), spread evenly over it."""
    notes = [rel for rel in files if rel.startswith(folder)]
    if len(notes) <= count:
        return notes
    step = len(notes) / count
    return [notes[int(step * i + step / 2)] for i in range(count)]


def save_originals(vault: Path, rels: Sequence[str]) -> dict[str, str]:
    """The notes `rels` as they are, kept beside the vault until `restore_edits` puts them back."""
    originals = {rel: (vault / rel).read_text(encoding="utf-8") for rel in rels}
    edits_backup(vault).write_text(json.dumps(originals), encoding="utf-8")
    return originals


def _page_bytes(page: Path | None) -> bytes:
    if page is None:
        return b""
    with suppress(OSError):
        return page.read_bytes()
    return b""


def _find_marker(folder: Path, marker: bytes) -> Path | None:
    with suppress(OSError):
        for entry in os.scandir(folder):
            with suppress(OSError), open(entry.path, "rb") as fh:
                if marker in fh.read():
                    return Path(entry.path)
    return None


def _page_has(page: Path | None, folder: Path, marker: bytes) -> bool:
    if page is None:  # no page named after the note: look through them all
        return _find_marker(folder, marker) is not None
    try:
        with open(page, "rb") as fh:
            return marker in fh.read()
    except OSError:  # the site folder is being swapped
        return False


# --------------------------------------------------------------------------------------
# New processes after an edit, and the commands that only read the vault


def measure_edit_builds(
    kind: str, vault: Path, files: Sequence[str], out: Path, logs: Path
) -> dict[str, Any]:
    """EDIT_BUILDS notes edited one after another, each followed by a new-process build.

    `kind` is "body" (a sentence of an interaction) or "front" (a contact's
    cadence). Each build finds one note changed since the build before. A build
    counts as updating its page when the page's bytes changed and show the edit.
    The notes are put back at the end, and an untimed build brings the site and
    the cache back to the vault as it was.
    """
    folder = "meetings/" if kind == "body" else "contacts/"
    chosen = spread(files, folder, EDIT_BUILDS)
    cmd = netvault_cmd("build", str(vault), "--out", str(out), "--today", TODAY)
    env = netvault_env()
    result: dict[str, Any] = {"notes": chosen, "samples": [], "runs": []}
    result.update(pages_updated=0, unnamed_pages=0)
    originals = save_originals(vault, chosen)
    try:
        for n, rel in enumerate(chosen, 1):
            if kind == "body":
                edit = body_edit(out, rel, originals[rel])
            else:
                edit = cadence_edit(out, rel, originals[rel], BUILD_CADENCE_BASE + n)
            before = _page_bytes(edit.page)
            (vault / rel).write_bytes(edit.text.encode("utf-8"))
            run = run_child(cmd, logs / f"{kind}-edit-{n}.log", env)
            page = edit.page or _find_marker(edit.folder, edit.needle)
            after = _page_bytes(page)
            updated = after != before and edit.needle in after
            result["samples"].append(run.wall)
            result["runs"].append(asdict(run))
            result["pages_updated"] += updated
            result["unnamed_pages"] += edit.page is None
            seen = "page updated" if updated else "PAGE NOT UPDATED"
            took = f"build {fmt_time(run.wall)}, exit {run.code}"
            log(f"  {kind} edit {n}/{len(chosen)}: {took}, {seen}")
    finally:
        restore_edits(vault)
    run_child(cmd, logs / f"{kind}-edit-restored.log", env)
    return result


def measure_commands(vault: Path, logs: Path) -> dict[str, list[ChildRun]]:
    """Each of COMMANDS in a new process, COMMAND_RUNS times (interleaved), the cache warm."""
    env = netvault_env()
    runs: dict[str, list[ChildRun]] = {name: [] for name in COMMANDS}
    for rep in range(1, COMMAND_RUNS + 1):
        for name, (command, *rest) in COMMANDS.items():
            cmd = netvault_cmd(command, str(vault), *rest)
            runs[name].append(run_child(cmd, logs / f"{name}-{rep}.log", env))
    return runs


# --------------------------------------------------------------------------------------
# Watch: from writing an edited note to its page on disk


def watch_available(logs: Path) -> tuple[bool, str]:
    run = run_child(netvault_cmd("watch", "--help"), logs / "watch-help.log", netvault_env())
    if run.code == 0:
        return True, ""
    tail = log_tail(logs / "watch-help.log", 2).replace("\n", " ")
    return False, f"`netvault watch --help` exited {run.code}: {tail}"


def measure_watch(
    vault: Path,
    files: Sequence[str],
    out: Path,
    logs: Path,
    first_timeout: float,
    budget: float,
) -> dict[str, Any]:
    """Start `netvault watch`; edit WATCH_EDITS bodies, then WATCH_CADENCE_EDITS cadences.

    No edit of a series starts once `budget` seconds have gone by since its first,
    so a watcher that rebuilds everything on each edit cannot hold a run for an hour.
    """
    ok, why = watch_available(logs)
    if not ok:
        return {"skipped": why}
    chosen = spread(files, "meetings/", WATCH_EDITS)
    contacts = spread(files, "contacts/", WATCH_CADENCE_EDITS)
    remove(out)
    cmd = netvault_cmd("watch", str(vault), "--out", str(out), "--today", TODAY)
    log_path = logs / "watch.log"
    result: dict[str, Any] = {}
    with open(log_path, "wb") as log_file:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=log_file,
            env=netvault_env(),
            start_new_session=True,  # a Ctrl-C of the benchmark reaches it through finally
        )
        try:
            while not (out / "index.html").exists():
                if proc.poll() is not None:
                    return {"skipped": f"watch exited {proc.returncode}: {log_tail(log_path)}"}
                if time.perf_counter() - start > first_timeout:
                    return {"skipped": f"no first build within {first_timeout:.0f} s"}
                time.sleep(0.02)
            result["first_build"] = time.perf_counter() - start
            log(f"  watch: first build after {fmt_time(result['first_build'])}")
            time.sleep(1.0)  # let the watcher settle after its first build
            originals = save_originals(vault, [*chosen, *contacts])
            edit_timeout = max(30.0, 3 * result["first_build"])
            series = WatchSeries(proc, vault, edit_timeout, budget)
            result.update(
                series.run("edit", chosen, lambda _n, rel: body_edit(out, rel, originals[rel]))
            )
            if proc.poll() is None:
                result["front_matter"] = series.run(
                    "front-matter edit",
                    contacts,
                    lambda n, rel: cadence_edit(out, rel, originals[rel], WATCH_CADENCE_BASE + n),
                )
            if proc.poll() is not None:
                result["exited"] = f"watch exited {proc.returncode}: {log_tail(log_path)}"
        finally:
            result["maxrss_mb"], result["stopped"] = stop_watch(proc)
            restore_edits(vault)
    return result


@dataclass
class WatchSeries:
    """Edits made one by one while `proc` watches, each timed from its write to its page."""

    proc: subprocess.Popen[bytes]
    vault: Path
    timeout: float  # seconds an edit is waited for
    budget: float  # seconds after a series' first edit that no more edits start

    def run(
        self, what: str, notes: Sequence[str], make: Callable[[int, str], Edit]
    ) -> dict[str, Any]:
        """Edit `notes` in turn with `make(n, note)`; the latencies and what went wrong."""
        result: dict[str, Any] = {"latencies": [], "timeouts": 0, "unnamed_pages": 0}
        result["notes"] = list(notes)
        began = time.perf_counter()
        for n, rel in enumerate(notes, 1):
            if time.perf_counter() - began > self.budget:
                result["over_budget"] = self.budget
                log(f"  watch: stopping after {n - 1} {what}s (--watch-budget {self.budget:.0f} s)")
                break
            edit = make(n, rel)
            result["unnamed_pages"] += edit.page is None
            latency = self.edit(rel, edit)
            if latency is not None:
                result["latencies"].append(latency)
                log(f"  watch: {what} {n}/{len(notes)} on disk after {fmt_time(latency)}")
                time.sleep(WATCH_GAP)  # a person does not save twice in a millisecond
                continue
            result["timeouts"] += 1
            log(f"  watch: {what} {n}/{len(notes)}: page not updated within {self.timeout:.0f} s")
            if self.proc.poll() is not None:
                break
        return result

    def edit(self, rel: str, edit: Edit) -> float | None:
        """Write `edit`; the seconds until its page shows it, None if it never did in time."""
        written = time.perf_counter()
        (self.vault / rel).write_bytes(edit.text.encode("utf-8"))
        while not _page_has(edit.page, edit.folder, edit.needle):
            if time.perf_counter() - written > self.timeout or self.proc.poll() is not None:
                return None
            time.sleep(WATCH_POLL)
        return time.perf_counter() - written


def stop_watch(proc: subprocess.Popen[bytes]) -> tuple[float | None, str]:
    """Stop the watcher with SIGINT (SIGKILL after 15 s); its peak RSS and how it ended."""
    if proc.returncode is not None:
        return None, f"exited {proc.returncode} by itself"
    proc.send_signal(signal.SIGINT)
    deadline = time.perf_counter() + 15
    how = "stopped by SIGINT"
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            how = "did not stop on SIGINT within 15 s: killed"
            _, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.02)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss / 1024, f"{how} (exit {proc.returncode})"


# --------------------------------------------------------------------------------------
# One size


@dataclass
class SizeResult:
    size: str
    contacts: int
    meetings: int
    notes: int
    megabytes: float
    samples: dict[str, list[float]] = field(default_factory=dict)
    runs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    inprocess: dict[str, Any] = field(default_factory=dict)
    code_changed: bool = False  # netvault's sources changed while this size was measured
    watch: dict[str, Any] = field(default_factory=dict)
    edit_builds: dict[str, dict[str, Any]] = field(default_factory=dict)  # "body", "front"
    exit_codes: dict[str, list[int]] = field(default_factory=dict)

    def medians(self) -> dict[str, float]:
        return {k: median(v) for k, v in self.samples.items() if v}

    def add(self, key: str, value: float, run: ChildRun | None = None) -> None:
        self.samples.setdefault(key, []).append(value)
        if run is not None:
            self.runs.setdefault(key, []).append(asdict(run))
            self.exit_codes.setdefault(key, []).append(run.code)

    def add_spread(self, key: str, samples: Sequence[float]) -> None:
        """The median and 95th percentile of `samples`, as `key`_median and `key`_p95."""
        if samples:
            self.add(f"{key}_median", median(samples))
            self.add(f"{key}_p95", percentile(samples, 95))


def measure_new_processes(
    result: SizeResult, vault: Path, files: Sequence[str], site: Path, logs: Path
) -> None:
    """The new-process builds after an edit, then `due`, `check` and `stats`, into `result`."""
    size = result.size
    for kind, what in (("body", "an interaction's body"), ("front", "a contact's cadence")):
        log(f"{size}: new-process builds after an edit of {what}, {EDIT_BUILDS} times")
        found = measure_edit_builds(kind, vault, files, site, logs)
        result.edit_builds[kind] = found
        result.add_spread(kind, found["samples"])
        result.exit_codes[f"{kind}_median"] = [r["code"] for r in found["runs"]]
        result.runs[f"{kind}_median"] = found["runs"]  # for the CPU column
    log(f"{size}: {', '.join(COMMANDS)} in new processes, warm cache, {COMMAND_RUNS} times each")
    for name, runs in measure_commands(vault, logs).items():
        for run in runs:
            result.add(name, run.wall, run)
        log(f"{size}: {name}: {fmt_time(median([r.wall for r in runs]))}")


def measure_size(size: str, args: argparse.Namespace, generator: Path) -> SizeResult:
    contacts, meetings = SIZES[size]
    vault = vault_for(size, args.workdir, generator)
    files = note_files(vault)
    megabytes = prewarm(vault, files) / 1e6
    result = SizeResult(size, contacts, meetings, len(files), megabytes)
    code = code_digest()
    here = args.workdir / "runs" / size
    logs = here / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    env = netvault_env()
    site = here / "site"
    build_cmd = netvault_cmd("build", str(vault), "--out", str(site), "--today", TODAY)
    for rep in range(1, args.repeat + 1):
        tag = f"{size} {rep}/{args.repeat}"
        for key, workers in (("floor1", 1), ("floor2", 2)):
            log(f"{tag}: floor on {workers} core(s), {len(files):,} notes")
            run = measure_floor(vault, files, here / "floor-out", workers)
            result.add(key, run.wall, run)
            log(f"{tag}: floor, {workers} core(s): {fmt_time(run.wall)}")
        log(f"{tag}: cold build, empty cache")
        clear_cache(vault)
        remove(site)
        run = run_child(build_cmd, logs / f"cold-{rep}.log", env)
        result.add("cold", run.wall, run)
        result.add("memory", run.peak_mb)
        log(f"{tag}: cold build: {fmt_time(run.wall)}, exit {run.code}, {fmt_mb(run.peak_mb)}")
        log(f"{tag}: cold process, warm cache")
        run = run_child(build_cmd, logs / f"warm-{rep}.log", env)
        result.add("warm", run.wall, run)
        log(f"{tag}: warm cache: {fmt_time(run.wall)}, exit {run.code}")
    measure_new_processes(result, vault, files, site, logs)
    log(f"{size}: in-process Builder: a first build, then {args.repeat} with nothing changed")
    profile = here / "cold-build.pstats" if args.profile else None
    result.inprocess = measure_inprocess(vault, here / "site-inprocess", logs, args.repeat, profile)
    for seconds in result.inprocess["rebuilds"]:
        result.add("rebuild", seconds)
    if profile is not None:
        result.inprocess["profile"] = str(profile)
    log(f"{size}: watch latency")
    first_timeout = max(120.0, 5 * max(result.samples["cold"]))
    result.watch = measure_watch(
        vault, files, here / "site-watch", logs, first_timeout, args.watch_budget
    )
    result.add_spread("watch", result.watch.get("latencies") or [])
    front = result.watch.get("front_matter") or {}
    result.add_spread("watch_front", front.get("latencies") or [])
    result.code_changed = code_digest() != code
    if result.code_changed:
        log(f"{size}: WARNING: netvault's code changed during the run; its numbers mix versions")
    return result


# --------------------------------------------------------------------------------------
# The report


def machine() -> dict[str, Any]:
    cpu = "unknown"
    with suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = None
    with suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) / 1024 / 1024
    versions = {}
    for name in ("markdown-it-py", "mdit-py-plugins", "PyYAML", "python-frontmatter", "Jinja2"):
        with suppress(metadata.PackageNotFoundError):
            versions[name] = metadata.version(name)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)),
        "memory_gb": memory,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "libraries": versions,
        "loadavg_start": os.getloadavg(),
    }


def checkout() -> dict[str, Any]:
    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    changed = git("status", "--porcelain", "--untracked-files=no")
    return {
        "path": str(REPO),
        "commit": git("rev-parse", "--short", "HEAD"),
        "changed_files": len(changed.splitlines()),
    }


def print_header(info: dict[str, Any], repo: dict[str, Any], when: dt.datetime) -> None:
    load = " ".join(f"{x:.2f}" for x in info["loadavg_start"])
    memory = f", {info['memory_gb']:.0f} GB" if info["memory_gb"] else ""
    dirty = f" + {repo['changed_files']} uncommitted changes" if repo["changed_files"] else ""
    print(f"netvault benchmark, {when:%Y-%m-%d %H:%M} UTC")
    print(f"machine: {info['cpu']}, {info['cores']} cores{memory}; {info['python']}")
    print(f"         {info['platform']}; load average at start {load}")
    print(f"netvault: {repo['path']} at {repo['commit']}{dirty}")
    libs = ", ".join(f"{k} {v}" for k, v in info["libraries"].items())
    print(f"floor libraries: {libs}")
    print()


def _target_cell(key: str, size: str, medians: dict[str, float]) -> str:
    cells = []
    for target in TARGETS:
        if target.key != key:
            continue
        if target.size == size:
            mark = "✓" if target.met(medians) else "✗"
            cells.append(f"{mark} {target.text}")
        elif target.size is not None:
            cells.append(f"({target.text} at {target.size})")
    return "; ".join(cells)


def print_size(result: SizeResult, repeat: int) -> None:
    m = result.medians()
    title = (
        f"{result.size}: {result.contacts:,} contacts + {result.meetings:,} meetings "
        f"= {result.notes:,} notes, {result.megabytes:.1f} MB"
    )
    runs = "1 run" if repeat == 1 else f"medians of {repeat} runs"
    print(f"== {title} ({runs}) ==")
    head = (
        f"{'measure':<{LABEL_WIDTH}} {'value':>9} {'× floor 1':>9} {'× floor 2':>9} "
        f"{'CPU':>8}  target"
    )
    print(head)
    print("-" * len(head))
    for key, label, unit in MEASURES:
        if key not in m:
            continue
        value = m[key]
        shown = fmt_mb(value) if unit == "MB" else fmt_time(value)
        ratio1 = ratio2 = cpu = ""
        if key in RATIO_KEYS:
            ratio1, ratio2 = f"{value / m['floor1']:.2f}", f"{value / m['floor2']:.2f}"
        if key in result.runs:
            cpu = fmt_time(median([r["cpu"] for r in result.runs[key]]))
        target = f"{_shortfall(result, key)} {_target_cell(key, result.size, m)}".strip()
        row = f"{label:<{LABEL_WIDTH}} {shown:>9} {ratio1:>9} {ratio2:>9} {cpu:>8}  {target}"
        print(row.rstrip())
    notes = []
    if result.code_changed:
        notes.append(
            "WARNING: netvault's code changed while this size ran: the cache was emptied "
            "part-way and the numbers mix two versions; run it again"
        )
    build_keys = ("cold", "warm", "body_median", "front_median")
    codes = sorted({c for key in build_keys for c in result.exit_codes.get(key, [])})
    if codes != [0]:
        notes.append(f"netvault build exit codes: {codes} (1 = problems reported in the vault)")
    for name in COMMANDS:
        codes = sorted(set(result.exit_codes.get(name, [])))
        if codes and codes != [0]:
            notes.append(f"netvault {name} exit codes: {codes}")
    cold_runs = result.runs.get("cold", [])
    if cold_runs:
        largest = max(r["maxrss_mb"] for r in cold_runs)
        tree = max(r["tree_mb"] for r in cold_runs)
        notes.append(
            f"cold build memory: largest process {fmt_mb(largest)} RSS, "
            f"whole process tree {fmt_mb(tree)} PSS (summed, sampled every "
            f"{MEMORY_SAMPLE * 1000:.0f} ms)"
        )
    notes += _edit_build_notes(result.edit_builds)
    inproc = result.inprocess
    if inproc:
        profiled = " under cProfile" if "profile" in inproc else ""
        notes.append(
            f"in-process Builder: first build (empty cache){profiled} "
            f"{fmt_time(inproc['first'])}, peak RSS {fmt_mb(inproc['maxrss_mb'])}"
        )
        notes.append("  stages of that first build: " + _stages(inproc["first_stages"]))
        notes.append("  stages of a no-change rebuild: " + _stages(inproc["rebuild_stages"]))
        if "profile" in inproc:
            notes.append(f"  profile of the first build: {inproc['profile']}")
    notes += _watch_notes(result.watch)
    if "floor1" in m:
        per_note = m["floor1"] / result.notes
        notes.append(f"floor per note, one core: {per_note * 1000:.2f} ms")
    for note in notes:
        print(f"  · {note}")
    print()


def _shortfall(result: SizeResult, key: str) -> str:
    """`[3 of 10 edits]` before the target of a row whose samples fell short; else ""."""
    if key.startswith(("body_", "front_")):
        found = result.edit_builds.get(key.split("_")[0], {})
        done, made = found.get("pages_updated", 0), len(found.get("samples", ()))
        return "" if done == made else f"[{done} of {made} pages updated]"
    if key.startswith("watch_front_"):
        series, planned = result.watch.get("front_matter") or {}, WATCH_CADENCE_EDITS
    elif key.startswith("watch_"):
        series, planned = result.watch, WATCH_EDITS
    else:
        return ""
    seen = len(series.get("latencies") or ())
    return "" if seen >= planned else f"[{seen} of {planned} edits]"


def _edit_build_notes(edit_builds: dict[str, dict[str, Any]]) -> list[str]:
    """A line for each series of new-process builds after an edit."""
    notes = []
    for kind, found in edit_builds.items():
        samples = found["samples"]
        what, shows = {
            "body": ("an interaction's body", "the marker"),
            "front": ("a contact's cadence", "the new cadence"),
        }[kind]
        note = (
            f"new-process builds after an edit of {what}: {found['pages_updated']} of "
            f"{len(samples)} pages updated (bytes changed, {shows} on the page)"
        )
        if samples:
            note += f", min {fmt_time(min(samples))}, max {fmt_time(max(samples))}"
        if found["unnamed_pages"]:
            note += f"; {found['unnamed_pages']} pages found by scanning for the edit"
        notes.append(note)
    return notes


def _watch_notes(watch: dict[str, Any]) -> list[str]:
    """Lines on the watch measure: the edits seen, the first build, the watcher's memory."""
    if "skipped" in watch:
        return [f"watch latency not measured: {watch['skipped']}"]
    if not watch:
        return []
    note = _series_words(watch, WATCH_EDITS, "edits", "scanning for the marker")
    if watch.get("first_build") is not None:
        note += f"; its first build took {fmt_time(watch['first_build'])}"
    if watch.get("maxrss_mb"):
        note += f"; watcher peak RSS {fmt_mb(watch['maxrss_mb'])}"
    notes = [f"watch: {note}"]
    front = watch.get("front_matter")
    if front is not None:
        words = _series_words(front, WATCH_CADENCE_EDITS, "cadence edits", "their name or cadence")
        notes.append(f"watch, front matter: {words}")
    if watch.get("exited"):
        notes.append(f"  {watch['exited']}")
    return notes


def _series_words(series: dict[str, Any], planned: int, edits: str, found_by: str) -> str:
    """How many edits of a watch series were seen, why the rest were not, min and max."""
    lat = series["latencies"]
    words = f"{len(lat)} of {planned} {edits} seen on disk"
    if series.get("over_budget"):
        words += f" (the rest not made: --watch-budget {series['over_budget']:.0f} s)"
    if series.get("timeouts"):
        words += f"; {series['timeouts']} given up"
    if lat:
        words += f", min {fmt_time(min(lat))}, max {fmt_time(max(lat))}"
    if series["unnamed_pages"]:
        words += f"; {series['unnamed_pages']} pages found by {found_by}"
    return words


def _stages(stages: list[list[Any]]) -> str:
    """Stage messages, shortened (no output folder), with the time until the next one."""
    names = [re.sub(r" into .*| of .*|…$", "", name or "") or "setup" for name, _ in stages]
    times = [seconds for _, seconds in stages]
    return " · ".join(f"{n} {fmt_time(t)}" for n, t in zip(names, times, strict=True))


def print_targets(results: dict[str, SizeResult], help_seconds: float) -> list[dict[str, Any]]:
    print("== targets (issue 3), as measured in this run ==")
    rows = []
    for target in TARGETS:
        label = "netvault --help" if target.key == "help" else _label(target.key)
        where = target.size or "any"
        if target.key == "help":
            medians: dict[str, float] | None = {"help": help_seconds}
        else:
            found = results.get(target.size or "")
            medians = found.medians() if found else None
        if medians is None or target.key not in medians:
            measured, mark = "not measured", "·"
            if medians is None:
                measured += f" (add --sizes {target.size})"
        else:
            value = medians[target.key]
            if target.key == "memory":
                measured = fmt_mb(value)
            elif target.key == "cold":
                measured = f"{value / medians['floor2']:.2f} × floor 2 ({fmt_time(value)})"
            else:
                measured = fmt_time(value)
            mark = "✓" if target.met(medians) else "✗"
        print(f"  {mark} {label + ', ' + where:<50} {target.text:<26} {measured}")
        rows.append({"key": target.key, "size": target.size, "target": target.text,
                     "measured": measured, "met": {"✓": True, "✗": False}.get(mark)})  # fmt: skip
    print()
    return rows


def _label(key: str) -> str:
    return next(label for k, label, _ in MEASURES if k == key)


# --------------------------------------------------------------------------------------
# Main


def measure_help(logs: Path) -> list[float]:
    env = netvault_env()
    run_child(netvault_cmd("--help"), logs / "help.log", env)  # untimed: writes .pyc files
    return [
        run_child(netvault_cmd("--help"), logs / "help.log", env).wall for _ in range(HELP_RUNS)
    ]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python bench/run.py",
        description="Time netvault against the floor of its parsing libraries (bench/README.md).",
    )
    parser.add_argument(
        "--sizes",
        default="small",
        help="comma-separated: small (1,000 + 3,000), medium (10,000 + 30,000), "
        "large (30,000 + 100,000); default: small",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs of each measure (median)")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "netvault-bench",
        help="where vaults (reused between runs) and sites go; default: %(default)s",
    )
    parser.add_argument("--json", type=Path, help="write every number to this file")
    parser.add_argument(
        "--generator",
        type=Path,
        default=DEFAULT_GENERATOR,
        help="make_vault.py; default: ../shared/bench/make_vault.py from the repository",
    )
    parser.add_argument(
        "--watch-budget",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="start no more watch edits of a series (body, front matter) after this long "
        "(default %(default).0f s)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also save a cProfile of each size's first in-process build (pstats)",
    )
    args = parser.parse_args(argv)
    args.sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in args.sizes if s not in SIZES]
    if unknown or not args.sizes:
        parser.error(f"unknown size(s) {unknown}; choose from {', '.join(SIZES)}")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if not args.generator.is_file():
        parser.error(f"no vault generator at {args.generator} (see --generator)")
    args.workdir = args.workdir.resolve()
    args.generator = args.generator.resolve()
    return args


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_inprocess"]:
        inprocess_main(argv[1:])
        return
    args = parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    when = dt.datetime.now(dt.UTC)
    info, repo = machine(), checkout()
    print_header(info, repo, when)
    sys.stdout.flush()
    logs = args.workdir / "runs" / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log("netvault --help")
    help_samples = measure_help(logs)
    report: dict[str, Any] = {
        "date": when.isoformat(timespec="seconds"),
        "machine": info,
        "netvault": repo,
        "args": {
            "sizes": args.sizes,
            "repeat": args.repeat,
            "workdir": str(args.workdir),
            "watch_budget": args.watch_budget,
            "generator": str(args.generator),
        },
        "help": {"samples": help_samples, "median": median(help_samples)},
        "sizes": {},
    }
    results: dict[str, SizeResult] = {}
    for size in args.sizes:
        result = measure_size(size, args, args.generator)
        results[size] = result
        print_size(result, args.repeat)
        sys.stdout.flush()
        report["sizes"][size] = {**asdict(result), "medians": result.medians()}
        write_json(args.json, report)
    print(f"netvault --help: {fmt_time(median(help_samples))} (median of {HELP_RUNS})")
    print()
    report["targets"] = print_targets(results, median(help_samples))
    info["loadavg_end"] = os.getloadavg()
    load = " ".join(f"{x:.2f}" for x in info["loadavg_end"])
    print(f"load average at the end {load}; compare numbers only within one run on one machine.")
    write_json(args.json, report)


def write_json(path: Path | None, report: dict[str, Any]) -> None:
    if path is not None:
        path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
