"""The model and the follow-ups as JSON, for other tools.

One object: `{"netvault": 1, "today", "contacts", "interactions", "orgs",
"goals", "followups"}`. Records become objects of their fields: dates as ISO
strings, durations as whole days under `<field>_days`, references as
`{"text", "path"}`, tuples as lists. Model records are sorted by path,
follow-ups as the dashboard lists them, each with the `id` that is its UID in
the calendar feed, so a tool can follow one from build to build.
"""

from __future__ import annotations

# Absolute imports are the default: this `import json` is the standard library,
# not this module (which is `netvault.exporters.json`).
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields, is_dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..followups import KINDS, FollowUp
from ..model import Ref
from .ics import followup_uids

if TYPE_CHECKING:  # build may come to import the exporters
    from ..build import Loaded

FORMAT = 1  # the value of "netvault": raised when a field changes meaning or goes


def export_json(loaded: Loaded, followups: Sequence[FollowUp], today: date) -> str:
    """The model and the follow-ups as one JSON document, ending with a newline."""
    model = loaded.model
    ordered = sorted(zip(followups, followup_uids(followups), strict=True), key=_followup_order)
    document = {
        "netvault": FORMAT,
        "today": today.isoformat(),
        "contacts": _by_path(model.contacts.values()),
        "interactions": _by_path(model.interactions.values()),
        "orgs": _by_path(model.orgs.values()),
        "goals": _by_path(model.goals.values()),
        "followups": [{"id": uid, **to_json(followup)} for followup, uid in ordered],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def to_json(record: Any) -> dict[str, Any]:
    """A record as a JSON object of its fields."""
    out: dict[str, Any] = {}
    for field in fields(record):
        value = getattr(record, field.name)
        # `with_` is `with`: the underscore only dodges a Python keyword.
        name = field.name.removesuffix("_") or field.name
        if isinstance(value, timedelta):
            out[f"{name}_days"] = value.days
        elif value is None and _is_duration(field.type):
            out[f"{name}_days"] = None  # the same key whether set or not
        else:
            out[name] = _value(value)
    return out


def _value(value: Any) -> Any:
    """One field value as JSON data."""
    if value is None or isinstance(value, str | int | float):  # bool is an int
        return value
    if isinstance(value, Ref):
        # The line is where the link is written, of no use outside the vault.
        return {"text": value.text, "path": value.target}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.days  # whole days: cadences and delays are written in days or more
    if is_dataclass(value) and not isinstance(value, type):
        return to_json(value)
    if isinstance(value, Mapping):
        return {str(k): _value(v) for k, v in value.items()}
    if isinstance(value, tuple | list | frozenset | set):
        items = [_value(v) for v in value]
        # A set has no order of its own; sorting keeps the output the same run to run.
        return items if isinstance(value, tuple | list) else sorted(items, key=repr)
    # A new field type should be given a JSON form here, not be stringified silently.
    raise TypeError(f"no JSON form for {type(value).__name__}")


def _is_duration(annotation: Any) -> bool:
    """Whether a field's annotation (a string, under postponed evaluation) is a timedelta."""
    return "timedelta" in str(annotation)


def _by_path(records: Iterable[Any]) -> list[dict[str, Any]]:
    """Records as JSON objects, sorted by path."""
    return [to_json(r) for r in sorted(records, key=lambda r: r.path)]


def _followup_order(pair: tuple[FollowUp, str]) -> tuple[date, int, str, int, str]:
    """The dashboard's order (due date, kind), then the UID for a total order."""
    followup, uid = pair
    kind = KINDS.index(followup.kind) if followup.kind in KINDS else len(KINDS)
    return (followup.due, kind, followup.source, followup.line, uid)
