"""The `netvault` command: parse arguments, call the core, print, exit."""

from __future__ import annotations

import bisect
import json
import os
import sys
from datetime import date, timedelta
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from .build import BuildResult, Loaded, Recalled
    from .commits import Recorded
    from .config import Settings
    from .followups import FollowUp
    from .history import Change, History
    from .problems import Problem
    from .watch import Rebuild

# Exit codes: 0 fine, 1 errors in the vault, 2 bad usage (click), 3 overdue follow-ups.
EXIT_ERRORS = 1
EXIT_OVERDUE = 3
BUILD_PROBLEMS_SHOWN = 50


class DateType(click.ParamType):
    """A date written as YYYY-MM-DD."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not a date; write it as YYYY-MM-DD", param, ctx)


class DaysType(click.ParamType):
    """A number of days written as `7d`, `2w`, `1m` or a plain number."""

    name = "duration"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        from .dates import DateError, parse_duration

        try:
            delta = parse_duration(int(value) if str(value).isdigit() else value)
        except DateError as exc:
            self.fail(str(exc), param, ctx)
        return delta.days if delta else 0


def _today(value: date | None) -> date:
    """The date a command works as of: --today / NETVAULT_TODAY, else the real date."""
    return value or date.today()  # noqa: DTZ011 - the user's local date is what "today" means


vault_argument = click.argument(
    "vault",
    required=False,
    default=lambda: os.environ.get("NETVAULT_VAULT", "."),
    type=click.Path(file_okay=False, path_type=Path),
)
today_option = click.option(
    "--today",
    type=DateType(),
    envvar="NETVAULT_TODAY",
    help="Work as if today were this date (YYYY-MM-DD); also NETVAULT_TODAY.",
)
strict_option = click.option(
    "--strict", is_flag=True, help="Count warnings as errors (exit 1 on any problem)."
)

out_option = click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the site (default: VAULT/site).",
)
vault_option = click.option(
    "--vault",
    default=lambda: os.environ.get("NETVAULT_VAULT", "."),
    type=click.Path(file_okay=False, path_type=Path),
    help="The vault (default: the current folder, or NETVAULT_VAULT).",
)


def _load(vault: Path) -> Loaded:
    """The vault read into a model (its site folder left out); a usage error without a vault."""
    from .build import Builder

    builder = Builder(_existing_vault(vault), vault / "site")
    loaded = builder.load()
    _warning(builder.cache_problem)
    return loaded


def _recall(vault: Path, today: date | None = None) -> Recalled | None:
    """What the last build of VAULT's site found, if nothing it was made of changed since."""
    from .build import Builder

    # No warning here: a cache it cannot trust is not recalled, and `_load` says why.
    return Builder(_existing_vault(vault), vault / "site").recall(today)


def _existing_vault(vault: Path) -> Path:
    """The vault folder, or a clear usage error when there is none."""
    if not vault.is_dir():
        raise click.UsageError(f"{vault}: no such folder (make one with `netvault init {vault}`)")
    return vault


def _report(problems: tuple[Problem, ...] | list[Problem], limit: int | None = None) -> None:
    """Print problems as `path:line: level: message` on stderr."""
    shown = problems if limit is None else problems[:limit]
    for problem in shown:
        colour = "red" if problem.level == "error" else "yellow"
        click.secho(str(problem), fg=colour, err=True)
    if limit is not None and len(problems) > limit:
        rest = len(problems) - limit
        click.echo(f"… and {rest} more (`netvault check` lists them all)", err=True)


def _progress() -> Callable[[str], None]:
    """Stage messages on stderr when a person is watching it; silence in pipes and cron."""
    if not sys.stderr.isatty():
        return lambda _stage: None
    return lambda stage: click.echo(f"{stage}…", err=True)


def _exit_code(problems: tuple[Problem, ...] | list[Problem], strict: bool) -> int:
    from .problems import count

    errors = count(problems, "error") + (count(problems, "warning") if strict else 0)
    return EXIT_ERRORS if errors else 0


def _summary(result: BuildResult) -> str:
    """A build in one line: what it wrote, what is due, what is wrong."""
    numbers = result.summary
    written = result.written
    wrote = f"{written} file{'s' * (written != 1)} written" if written else "nothing changed"
    interactions = f"{numbers.interactions} interaction{'s' * (numbers.interactions != 1)}"
    return (
        f"{numbers.contacts.words()}, {interactions}; {numbers.due.words()}; "
        f"{_problem_summary(result.problems)}; {wrote}"
    )


def _warning(message: str, told: str = "") -> str:
    """Print `message` as a warning unless it is empty or was `told` already; what is now told."""
    if message and message != told:
        click.secho(f"warning: {message}", fg="yellow", err=True)
    return message


def _history_warning(result: BuildResult, told: str = "") -> str:
    """Print why the site has no git history, unless that was `told` already; what is now told."""
    _warning(result.cache_problem)
    return _warning(result.history_problem, told)


def _problem_summary(problems: tuple[Problem, ...] | list[Problem]) -> str:
    from .problems import count

    errors, warnings = count(problems, "error"), count(problems, "warning")
    if not errors and not warnings:
        return "no problems"
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' * (errors != 1)}")
    if warnings:
        parts.append(f"{warnings} warning{'s' * (warnings != 1)}")
    return ", ".join(parts)


@click.group(
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Example:  netvault init my-network --example && netvault build my-network",
)
@click.version_option(__version__, prog_name="netvault")
def cli() -> None:
    """Your professional network as Markdown notes: who to follow up with today, and why.

    Notes live in a vault (a folder, usually a git repository) that any editor or
    Obsidian can edit; `netvault build` turns it into a private dashboard in site/.
    """


@cli.command(epilog="Example:  netvault init ~/network --example")
@click.argument("directory", required=False, default=".", type=click.Path(path_type=Path))
@click.option("--example", is_flag=True, help="Add a small fictional network to explore.")
@today_option
def init(directory: Path, example: bool, today: date | None) -> None:
    """Make a new vault in DIRECTORY (default: here) with a first git commit.

    Refuses a folder that already holds anything, so nothing is ever overwritten.
    """
    from .init import InitError, init_vault

    try:
        result = init_vault(directory, example=example, today=_today(today))
    except InitError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Made a vault in {directory} ({len(result.files)} files).")
    if result.git_message:
        click.echo(result.git_message, err=True)
    click.echo(f"Next: netvault build {directory}  →  open {directory / 'site' / 'index.html'}")


@cli.command(epilog="Example:  netvault build ~/network --out ~/network/site --today 2026-11-20")
@vault_argument
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the site (default: VAULT/site).",
)
@today_option
@strict_option
def build(vault: Path, out: Path | None, today: date | None, strict: bool) -> None:
    """Build the dashboard of VAULT into a static site.

    Problems print as `path:line: level: message`; the rest of the vault is
    still built. Exits 1 when there were errors (with --strict, warnings too).
    """
    from . import build as building

    vault = _existing_vault(vault)
    out = out if out is not None else vault / "site"
    from .site import SiteError

    builder = building.Builder(vault, out, _progress())
    try:
        result = builder.build(_today(today))
    except SiteError as exc:
        raise click.ClickException(f"{exc}; the previous site in {out} is unchanged") from None
    except OSError as exc:
        message = f"could not write the site to {out}: {exc}; the previous site is unchanged"
        raise click.ClickException(message) from None
    builder.save_cache()
    _report(result.problems, limit=BUILD_PROBLEMS_SHOWN)
    _history_warning(result)
    click.echo(f"Built {result.pages} pages into {out}: {_summary(result)}.", err=True)
    sys.exit(_exit_code(result.problems, strict))


@cli.command(epilog="Example:  netvault check ~/network --strict")
@vault_argument
@strict_option
def check(vault: Path, strict: bool) -> None:
    """List problems in VAULT: bad front matter and dates, broken links, clashing names.

    Writes nothing. Exits 1 when there are errors (with --strict, warnings too).
    """

    recalled = _recall(vault)
    if recalled is not None:
        problems, notes = recalled.problems, recalled.pages
    else:
        loaded = _load(vault)
        problems, notes = loaded.problems, len(loaded.model.pages)
    _report(problems)
    click.echo(f"Checked {notes} notes: {_problem_summary(problems)}.", err=True)
    sys.exit(_exit_code(problems, strict))


@cli.command(epilog="Example:  netvault due ~/network --within 2w --fail-if-overdue")
@vault_argument
@click.option(
    "--within",
    type=DaysType(),
    default=None,
    help="How far ahead to look, e.g. 7d, 2w (default: the vault's soon_days).",
)
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="List the long overdue one by one too, and count them for --fail-if-overdue.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print JSON for scripts: every follow-up, the long overdue with that state.",
)
@click.option(
    "--fail-if-overdue",
    is_flag=True,
    help=f"Exit {EXIT_OVERDUE} when anything is overdue (for cron jobs).",
)
@today_option
def due(
    vault: Path,
    within: int | None,
    everything: bool,
    as_json: bool,
    fail_if_overdue: bool,
    today: date | None,
) -> None:
    """What is overdue or due soon in VAULT, most overdue first.

    As on the Today page, the follow-ups overdue by more than the vault's look-back
    ([followups] lookback_days, 60 by default) are long overdue: counted by kind,
    with the oldest of each, unless --all lists them.
    """
    from . import followups

    day = _today(today)
    recalled = _recall(vault, day)
    if recalled is not None and recalled.followups is not None:
        settings, open_now, titles = recalled.settings, recalled.followups, recalled.titles
    else:
        loaded = _load(vault)
        settings, model = loaded.settings, loaded.model
        open_now = followups.compute(model, day, settings)
        titles = {path: model.title(path) for f in open_now for path in f.contacts}
    window = settings.soon_days if within is None else within
    # The follow-ups come by day, then kind (`followups.compute`'s order): those due
    # within the window are the first so many, found by bisection.
    last = bisect.bisect_right(open_now, day + timedelta(days=window), key=attrgetter("due"))
    rows = open_now[:last]
    lookback = settings.overdue_lookback_days
    if as_json:
        payload = [
            {
                "kind": f.kind,
                "state": f.state(day, window, lookback),
                "due": f.due.isoformat(),
                "days_overdue": f.days_overdue(day),
                "contacts": [titles[p] for p in f.contacts],
                "contact_paths": list(f.contacts),
                "reason": f.reason,
                "source": f"{f.source}:{f.line}",
                "evidence": f.evidence,
            }
            for f in rows
        ]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        rows = rows if everything else rows[_first_listed(rows, day, settings) :]
    else:
        backlog = () if everything else rows[: _first_listed(rows, day, settings)]
        rows = rows[len(backlog) :]
        lines = [] if rows else [f"Nothing overdue or due within {window} days."]
        for f in rows:
            days = f.days_overdue(day)
            when = f"{days}d overdue" if days > 0 else "today" if days == 0 else f"in {-days}d"
            lines.append(f"{f.due.isoformat()}  {when:>12}  {f.kind:<14}  {f.reason}")
            lines.append(f"{'':>40}{f.source}:{f.line}")
        lines += _backlog_lines(backlog, day, lookback)
        # One write: tens of thousands of rows, each echoed (and flushed) alone, took a second.
        click.echo("\n".join(lines))
    overdue = any(f.days_overdue(day) > 0 for f in rows)
    sys.exit(EXIT_OVERDUE if fail_if_overdue and overdue else 0)


def _first_listed(rows: Sequence[FollowUp], day: date, settings: Settings) -> int:
    """Where the follow-ups not long overdue start in `rows`, which are in order of due date."""
    from .followups import listed_since

    return bisect.bisect_left(rows, listed_since(day, settings), key=attrgetter("due"))


def _backlog_lines(backlog: Sequence[FollowUp], day: date, lookback: int) -> list[str]:
    """The long overdue as Today shows them: how many of each kind, and the oldest."""
    if not backlog:
        return []
    lines = [
        "",
        f"Long overdue (more than {lookback} days): {len(backlog)}, not listed;"
        " `--all` lists them, `netvault snooze` puts them off.",
    ]
    kinds: dict[str, list[FollowUp]] = {}
    for f in backlog:  # by due date: the first of each kind is its oldest
        kinds.setdefault(f.kind, []).append(f)
    for kind, found in kinds.items():
        oldest = found[0]
        lines.append(
            f"{kind:<14}  {len(found):>6}  the oldest {oldest.due.isoformat()}"
            f" ({oldest.days_overdue(day)}d): {oldest.reason}"
        )
        lines.append(f"{'':>40}{oldest.source}:{oldest.line}")
    return lines


@cli.command(
    epilog="Example:  netvault snooze ~/network --until 2027-03-01 --older-than 90d "
    "--kind task --dry-run"
)
@vault_argument
@click.option(
    "--until",
    type=DateType(),
    required=True,
    help="Put them off until this date (YYYY-MM-DD), after today.",
)
@click.option(
    "--older-than",
    type=DaysType(),
    default=None,
    help="Only follow-ups overdue by more than this: 90, 90d, 3m "
    "(default: the vault's look-back, [followups] lookback_days).",
)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    metavar="KIND",
    help="Only this kind (repeatable): task, explicit, keep-in-touch, thank-you, "
    "close-the-loop, new-connection, new-role.",
)
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@today_option
def snooze(
    vault: Path,
    until: date,
    older_than: int | None,
    kinds: tuple[str, ...],
    dry_run: bool,
    today: date | None,
) -> None:
    """Put off the long-overdue follow-ups of VAULT until a date, in bulk.

    Writes `snooze_until: DATE` into the front matter of each note that sets a
    follow-up overdue by more than --older-than days (a contact's keep in touch
    or follow_up:, a meeting's tasks or follow_up:), changing nothing else in it.
    A note's snooze holds back every follow-up the note sets until that date;
    then they are due on it. Prints each note changed as path:line.
    """
    from . import followups
    from . import snooze as snoozing

    unknown = sorted(set(kinds) - set(followups.KINDS))
    if unknown:
        raise click.BadParameter(
            f"{', '.join(unknown)}: not a kind of follow-up (one of {', '.join(followups.KINDS)})",
            param_hint="--kind",
        )
    day = _today(today)
    if until <= day:
        raise click.BadParameter(f"{until} is not after today ({day})", param_hint="--until")
    loaded = _load(vault)
    lookback = loaded.settings.overdue_lookback_days if older_than is None else older_than
    found = followups.compute(loaded.model, day, loaded.settings)
    planned = snoozing.plan(loaded.model, found, day, lookback, kinds)
    done, problems = snoozing.apply(vault, planned, until, dry_run=dry_run)
    lines = []
    for note in done:
        held = note.snooze.followups
        kinds_held = ", ".join(dict.fromkeys(f.kind for f in held))
        lines.append(
            f"{note.snooze.path}:{note.line}: {note.snooze.key}: {until.isoformat()}"
            f"  ({len(held)} {kinds_held}, the oldest due {held[0].due.isoformat()})"
        )
    if lines:
        click.echo("\n".join(lines))
    _report(problems)
    held = sum(len(note.snooze.followups) for note in done)
    what = f"{len(done)} notes, {held} follow-ups overdue by more than {lookback} days"
    if dry_run:
        click.echo(f"Dry run: would snooze {what}, until {until}; nothing written.", err=True)
    else:
        click.echo(f"Snoozed {what}, until {until}.", err=True)
    sys.exit(EXIT_ERRORS if problems else 0)


@cli.command(
    epilog="Example:  netvault history 'Ada Lovelace' --vault ~/network "
    "(without a note: the vault's recent changes)"
)
@click.argument("note", required=False)
@vault_option
@click.option(
    "--limit", default=50, show_default=True, help="How many of the vault's changes to show."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def history(note: str | None, vault: Path, limit: int, as_json: bool) -> None:
    """The git history of NOTE (a name or a path), or the vault's recent activity.

    A note's history lists every commit that changed it, renames followed, with
    what changed in its front matter ("cadence: 30d → 90d").
    """
    from . import history as git_history

    vault = _existing_vault(vault)
    found = git_history.read_history(vault)
    if found.problem:
        raise click.ClickException(found.problem)
    if note is None:
        changes = found.activity[:limit]
        if as_json:
            payload = {
                "activity": [_change_json(c) for c in changes],
                "uncommitted": sorted(found.uncommitted),
            }
            click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        if found.uncommitted:
            click.echo(f"{len(found.uncommitted)} notes with uncommitted changes", err=True)
        day = ""
        for change in changes:
            if change.commit.when.date().isoformat() != day:
                day = change.commit.when.date().isoformat()
                click.echo(day)
            click.echo(f"  {_change_words(change)}  {change.commit.subject}")
        return
    path = _note_path(vault, note, found)
    changes = git_history.with_fields(vault, found.notes.get(path, ()))
    uncommitted = path in found.uncommitted
    if as_json:
        payload = {
            "note": path,
            "uncommitted": uncommitted,
            "changes": [_change_json(c) for c in changes],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    click.echo(f"{path}: {len(changes)} commits" + (", uncommitted changes" if uncommitted else ""))
    for change in changes:
        when = change.commit.when.date().isoformat()
        click.echo(
            f"{when}  {_change_words(change)}  {change.commit.subject} ({change.commit.author})"
        )
        for said in change.fields:
            click.echo(f"{'':12}{said}")


@cli.command(epilog="Example:  netvault commit ~/network   (in cron: every evening)")
@vault_argument
@out_option
def commit(vault: Path, out: Path | None) -> None:
    """Record the state of VAULT in git: one commit of every changed note.

    The message names the notes changed. The site and netvault's cache are never
    committed, nor anything staged outside the vault.
    """
    from .commits import record_changes
    from .history import GitError

    vault = _existing_vault(vault)
    try:
        done = record_changes(vault, [out if out is not None else vault / "site"])
    except GitError as exc:
        raise click.ClickException(str(exc)) from None
    if not done.commit:
        click.echo("Nothing to commit: the vault is as its last commit left it.")
        return
    _commit_reporter(done)


def _commit_reporter(done: Recorded | Exception) -> None:
    """What `commit` and `watch --autocommit` print after a commit, or why it failed."""
    if isinstance(done, Exception):
        click.secho(f"Could not commit: {done}", fg="red", err=True)
    elif done.commit:
        subject = done.message.splitlines()[0]
        click.echo(f"Committed {len(done.paths)} files as {done.commit[:10]}: {subject}")


def _note_path(vault: Path, note: str, found: History) -> str:
    """The vault-relative path NOTE names: a path (in the vault or from here), else a name."""
    written = note.replace(os.sep, "/")
    for rel in (written, f"{written}.md"):
        if rel in found.notes or (vault / rel).is_file():
            return rel
    here = Path(note).resolve()
    if here.is_file() and here.is_relative_to(vault.resolve()):
        return here.relative_to(vault.resolve()).as_posix()
    path = _load(vault).model.resolve(note)
    if path is None:
        raise click.UsageError(f"no note named {note!r} in {vault}")
    return path


def _change_words(change: Change) -> str:
    """A change in a few words: "added contacts/Ada.md", "renamed a.md → b.md"."""
    if change.kind == "renamed":
        return f"renamed {change.old_path} → {change.path}"
    return f"{change.kind} {change.path}"


def _change_json(change: Change) -> dict[str, Any]:
    return {
        "commit": change.commit.id,
        "date": change.commit.when.isoformat(),
        "author": change.commit.author,
        "subject": change.commit.subject,
        "kind": change.kind,
        "path": change.path,
        "old_path": change.old_path or None,
        "fields": list(change.fields),
    }


def _rebuild_reporter(out: Path) -> Callable[[Rebuild], None]:
    """What `watch` and `serve` print after each build: its problems, then one line."""
    told = ""  # why there is no history, once: not after every save

    def report(rebuild: Rebuild) -> None:
        nonlocal told
        import traceback

        from .site import SiteError
        from .watch import failure_message

        if rebuild.error is not None:
            error = rebuild.error
            if not isinstance(error, SiteError | OSError):
                # Not a problem in the vault: a bug, worth its traceback.
                click.echo("".join(traceback.format_exception(error)).rstrip(), err=True)
            message = f"Build failed: {failure_message(error)}; the site in {out} is unchanged."
            click.secho(message, fg="red", err=True)
            return
        assert rebuild.result is not None
        result = rebuild.result
        _report(result.problems, limit=BUILD_PROBLEMS_SHOWN)
        told = _history_warning(result, told)
        verb = "Built" if rebuild.number == 1 else "Rebuilt"
        changed = rebuild.changed
        cause = ""
        if len(changed) == 1:
            cause = f" after {changed[0]}"
        elif changed:
            cause = f" after {len(changed)} changes"
        took = f"{rebuild.seconds * 1000:.0f} ms"
        click.echo(f"{verb} in {took}{cause}: {_summary(result)}.", err=True)

    return report


def _first_build_progress(builds: Callable[[], int]) -> Callable[[str], None]:
    """Stage messages for the first build only: later ones are quick, and get one line each."""
    stage = _progress()
    return lambda message: stage(message) if builds() == 0 else None


def _until_interrupted(stop: Callable[[], None]) -> None:
    """Wait for Ctrl-C, then `stop`; a second Ctrl-C stops waiting for a build to end."""
    import contextlib
    import threading

    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        click.echo("\nStopping…", err=True)
    with contextlib.suppress(KeyboardInterrupt):
        stop()
    click.echo("Stopped.", err=True)


# Which reader reads which export: module of netvault.importers, function.
IMPORTERS = {
    "linkedin": ("linkedin", "read_linkedin"),
    "vcard": ("vcard", "read_vcards"),
    "google": ("google", "read_google"),
}
PROGRESS_ROWS = 300  # imports of more contacts than this show a progress bar
SHOWN_ROWS = 20  # contacts listed per kind of change, but with --dry-run (all)


@cli.command(
    "import",
    epilog="Example:  netvault import linkedin ~/Downloads/Connections.csv "
    "--vault ~/network --dry-run",
)
@click.argument("kind", type=click.Choice(sorted(IMPORTERS)))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@vault_option
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@today_option
def import_(kind: str, file: Path, vault: Path, dry_run: bool, today: date | None) -> None:
    """Add contacts from an export FILE: LinkedIn's Connections.csv, vCard, Google Contacts CSV.

    Someone new gets a note in contacts/. Someone already in the vault (matched by
    LinkedIn profile, then e-mail, then name or alias) gets only empty fields
    filled: a value that differs from yours is listed as a conflict, never
    written. Running the same import twice changes nothing the second time.
    """
    import importlib

    from .config import folder_for
    from .importers import decode
    from .importers.apply import apply_plan, read_text
    from .importers.merge import Defaults, plan_import

    module, function = IMPORTERS[kind]
    reader = getattr(importlib.import_module(f".importers.{module}", __package__), function)
    found = reader(decode(file.read_bytes()), str(file))
    loaded = _load(vault)
    settings = loaded.settings
    folder = folder_for(settings, "contact", _top_folders(vault))
    taken = [f"{folder}/{p.name}" for p in (vault / folder).glob("*")]
    plan = plan_import(
        loaded.model,
        lambda rel: read_text(vault / rel),
        found.contacts,
        source=kind,
        today=_today(today),
        taken=taken,
        defaults=Defaults(folder, settings.import_circle, settings.import_cadence),
        path=str(file),
        properties=settings.properties,
    )
    problems = [*found.problems, *plan.problems]
    _report(problems)
    _report_plan(plan, dry_run)
    if dry_run:
        click.echo(f"Dry run: {_plan_words(plan)}; nothing written.", err=True)
    else:
        changes = len(plan.created) + len(plan.updated)
        if changes > PROGRESS_ROWS:
            with click.progressbar(length=changes, label="Writing notes", file=sys.stderr) as bar:
                applied = apply_plan(vault, plan, lambda: bar.update(1))
        else:
            applied = apply_plan(vault, plan)
        _report(list(applied.problems))
        problems += applied.problems
        click.echo(
            f"Imported {file.name}: {len(applied.created)} created, {len(applied.updated)}"
            f" updated, {len(plan.unchanged)} unchanged, {len(plan.conflicts)} conflicts.",
            err=True,
        )
    if found.skipped_photos:
        click.echo(f"{found.skipped_photos} photos skipped: notes keep text only.", err=True)
    sys.exit(_exit_code(problems, strict=False))


def _top_folders(vault: Path) -> list[str]:
    """The vault's top-level folders, as named on disk."""
    return [p.name for p in vault.iterdir() if p.is_dir()]


def _plan_words(plan: Any) -> str:
    return (
        f"{len(plan.created)} to create, {len(plan.updated)} to update,"
        f" {len(plan.unchanged)} unchanged, {len(plan.conflicts)} conflicts"
    )


def _report_plan(plan: Any, everything: bool) -> None:
    """The plan, kind of change by kind of change; without `everything`, the first few of each."""
    most = None if everything else SHOWN_ROWS

    def listed(title: str, lines: list[str], limit: int | None = most) -> None:
        if not lines:
            return
        click.echo(f"{title} ({len(lines)}):")
        for line in lines[:limit]:
            click.echo(f"  {line}")
        if limit is not None and len(lines) > limit:
            click.echo(f"  … and {len(lines) - limit} more")

    listed("New contacts", [c.path for c in plan.created])
    listed(
        "Fields filled",
        [f"{u.path}: {', '.join(u.fields)}" for u in plan.updated if not u.job_change],
    )
    listed("Job changes", [f"{u.path}: {u.job_change}" for u in plan.updated if u.job_change])
    if everything:
        listed("Unchanged", list(plan.unchanged))
    # Conflicts are always listed in full: each is a decision left to you.
    conflicts = [
        f"{c.path}: {c.field} is {c.ours!r} in the note, {c.theirs!r} in the file (row at line"
        f" {c.line}); not written"
        for c in plan.conflicts
    ]
    listed("Conflicts", conflicts, None)


@cli.command(epilog="Example:  netvault export vcard --vault ~/network --out contacts.vcf")
@click.argument("kind", type=click.Choice(["vcard", "ics", "json"]))
@vault_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write (default: print it).",
)
@today_option
def export(kind: str, vault: Path, out: Path | None, today: date | None) -> None:
    """Contacts as vCard 3.0, follow-ups as an iCalendar feed, or the whole model as JSON.

    The vCard file imports into phone and desktop address books; the .ics feed
    (also written into the site as followups.ics) has an all-day event with a
    reminder for each follow-up, with UIDs that stay the same from export to export.
    """
    from . import followups

    loaded = _load(vault)
    day = _today(today)
    due = followups.compute(loaded.model, day, loaded.settings)
    if kind == "vcard":
        from .exporters.vcard import export_vcards

        data = export_vcards(loaded.model.contacts.values()).encode("utf-8")
    elif kind == "ics":
        from .exporters.ics import export_ics

        # As the site's feed: no events for the long overdue, in a calendar's past.
        since = followups.listed_since(day, loaded.settings)
        data = export_ics(loaded, [f for f in due if f.due >= since], day)
    else:
        from .exporters.json import export_json

        data = export_json(loaded, due, day).encode("utf-8")
    if out is None:
        click.echo(data.decode("utf-8"), nl=False)
        return
    from .importers.apply import write_file

    write_file(out, data)
    click.echo(f"Wrote {out} ({len(data):,} bytes).", err=True)


@cli.command(
    epilog="Example:  netvault new interaction 'Coffee with Ada' --with 'Ada Lovelace' "
    "--vault ~/network"
)
@click.argument(
    "kind", type=click.Choice(["contact", "interaction", "informational-interview", "org", "goal"])
)
@click.argument("title")
@vault_option
@click.option("--with", "with_", multiple=True, help="Who an interaction was with (repeatable).")
@click.option("--type", "type_", help="An interaction's type: coffee, call, intro, …")
@today_option
def new(
    kind: str,
    title: str,
    vault: Path,
    with_: tuple[str, ...],
    type_: str | None,
    today: date | None,
) -> None:
    """Make a note from the vault's template (templates/KIND.md) and print its path.

    A contact, org or goal is named TITLE; an interaction is named for today and
    TITLE. Never overwrites a file, and refuses a name a note already has.
    """
    from .config import folder_for
    from .importers.apply import create_file
    from .new import TEMPLATES, NewNoteError, links, new_note
    from .text import fold

    loaded = _load(vault)
    name = TEMPLATES[kind]
    template = vault / "templates" / f"{kind}.md"
    if not template.is_file():
        from .resources import shipped

        template = shipped("vault_template") / "templates" / f"{kind}.md"
    fields: dict[str, Any] = {}
    if with_:
        # A name with `#`, `|` or `]` cannot be written in a link: link the note's file name.
        names = loaded.model.names
        found = [names.get(fold(n)) or loaded.model.resolve(n) for n in with_]
        fields["with"] = links(
            [Path(p).stem if p else n for n, p in zip(with_, found, strict=True)]
        )
    if type_:
        fields["type"] = type_
    existing = loaded.model.names.get(fold(title)) or loaded.model.resolve(title)
    if name != "interaction" and existing is not None:
        raise click.ClickException(f"{existing} is already called {title!r}: open it instead")
    try:
        note = new_note(
            kind,
            title,
            template.read_text(encoding="utf-8"),
            _today(today),
            folder_for(loaded.settings, name, _top_folders(vault)),
            fields,
        )
        create_file(vault / note.path, note.text)
    except NewNoteError as exc:
        raise click.ClickException(str(exc)) from None
    except FileExistsError:
        raise click.ClickException(f"{vault / note.path} exists already: open it instead") from None
    click.echo(vault / note.path)


@cli.command(epilog="Example:  netvault stats ~/network --json")
@vault_argument
@today_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def stats(vault: Path, today: date | None, as_json: bool) -> None:
    """The health of the network in numbers: the figures of the dashboard's Network page.

    Contacts (the thought leaders you follow among them, said apart) and the
    people you know, interactions this year, how many of each circle you keep in
    touch with on time, ties gone quiet, open follow-ups by state (overdue, due
    today, due soon, later, as Today counts them) and by kind, and goals by status.
    """
    from . import followups
    from .history import read_history
    from .insights.health import stats as network_stats

    day = _today(today)
    recalled = _recall(vault, day)
    if recalled is not None and recalled.stats is not None:
        found = recalled.stats
    else:
        loaded = _load(vault)
        due = followups.compute(loaded.model, day, loaded.settings)
        found = network_stats(loaded.model, day, loaded.settings, read_history(vault), due)
    if as_json:
        payload = found.to_dict()
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True))
        return
    shares = ", ".join(
        f"{s.circle or 'no circle'} {s.within}/{s.contacts} ({s.percent}%)"
        for s in found.within_cadence
    )
    kinds = ", ".join(f"{kind} {n}" for kind, n in found.due.kinds if n)
    goals = ", ".join(f"{status or 'no status'} {n}" for status, n in found.goals)
    lines = [
        f"Contacts: {found.contacts.words(noun=False)}; {found.known} you know,"
        f" {found.new_this_year} new this year",
        f"Interactions: {found.interactions} ({found.interactions_this_year} this year)",
        f"Within cadence: {shares or 'no contact has a cadence'}",
        f"Ties gone quiet: {found.dormant}",
        f"Open follow-ups: {found.due.total}: {found.due.words()}"
        + (f" (by kind: {kinds})" if kinds else ""),
        f"Goals: {goals or 'none'}",
    ]
    click.echo("\n".join(lines))


@cli.command(epilog="Example:  netvault watch ~/network --autocommit")
@vault_argument
@out_option
@today_option
@click.option(
    "--autocommit",
    is_flag=True,
    help="Commit changed notes to git after a minute without saves (never the site).",
)
def watch(vault: Path, out: Path | None, today: date | None, autocommit: bool) -> None:
    """Rebuild the site of VAULT on every save, until Ctrl-C.

    Saves that come while a build runs are folded into one more build. Each
    build prints its problems as `path:line: level: message` and one line; a
    failed build leaves the previous site in place, and watching goes on.
    """
    from .watch import AUTOCOMMIT_QUIET, Watcher

    vault = _existing_vault(vault)
    out = out if out is not None else vault / "site"
    watcher = Watcher(
        vault,
        out,
        lambda: _today(today),
        _rebuild_reporter(out),
        progress=_first_build_progress(lambda: watcher.builds),
        autocommit=AUTOCOMMIT_QUIET if autocommit else None,
        on_commit=_commit_reporter,
    )
    try:
        watcher.start()
    except OSError as exc:
        raise click.ClickException(f"cannot watch {vault}: {exc}") from None
    click.echo(f"Watching {vault} (Ctrl-C to stop); the site is in {out}.", err=True)
    _until_interrupted(watcher.stop)


@cli.command(epilog="Example:  netvault serve ~/network --port 8000")
@vault_argument
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="The port to listen on; 0 picks a free one.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on. The dashboard is private: keep it on this machine.",
)
@out_option
@today_option
def serve(vault: Path, port: int, host: str, out: Path | None, today: date | None) -> None:
    """Serve the site on 127.0.0.1, rebuilt and reloaded on every save.

    Open pages reload by themselves after each build, and show a failed build's
    error until it is fixed. The live-reload script is added to pages as they
    are served; the files in the site never contain it.
    """
    from .serve import LiveServer

    vault = _existing_vault(vault)
    out = out if out is not None else vault / "site"
    try:
        server = LiveServer(
            vault,
            out,
            lambda: _today(today),
            host=host,
            port=port,
            on_build=_rebuild_reporter(out),
            progress=_first_build_progress(lambda: server.watcher.builds),
        )
    except OSError as exc:
        hint = " (try another --port, or --port 0)" if port else ""
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc}{hint}") from None
    if not server.loopback:
        click.secho(
            f"Warning: listening on {host}: other machines can reach your private dashboard.",
            fg="yellow",
            err=True,
        )
    try:
        server.start()
    except OSError as exc:
        server.stop()
        raise click.ClickException(f"cannot watch {vault}: {exc}") from None
    click.echo(f"Serving {out} at {server.url} (Ctrl-C to stop)")
    _until_interrupted(server.stop)


def main() -> None:
    """Entry point of the console script."""
    try:
        cli()  # click's standalone mode ends it with SystemExit, whatever happened
    except SystemExit as stop:
        code = stop.code
    else:
        code = 0
    if not isinstance(code, int):  # as Python itself ends on a SystemExit
        if code is not None:
            print(code, file=sys.stderr)
        code = 0 if code is None else 1
    # Ended here, not by the interpreter: it would free a vault's model object by object
    # first (0.2 s of a 4 s build at 41,000 notes), where the system frees it all at once.
    # Nothing is left to do: every file was written and closed, every worker joined.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe, or a closed stream
            code = code or 1
    os._exit(code)
