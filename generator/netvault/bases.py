"""Obsidian Bases: `.base` files that show the vault's notes as database-like views.

A `.base` file (YAML) holds filters, formulas, property labels and views. Each view
picks notes with filters written in a small JavaScript-like expression language
and shows chosen properties as columns. This module reads the file and works a
view out over rows the caller gives: no I/O, no clock. Expressions are read by
`base_expressions`, never `eval`: a .base file is user input, and what the language
here cannot express is reported and left out rather than guessed at.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from functools import cmp_to_key
from pathlib import PurePosixPath
from typing import Any

import yaml

from . import yamlcore
from .base_expressions import (
    Binary,
    Call,
    ExprError,
    Index,
    Lit,
    Member,
    Method,
    Name,
    Unary,
    check,
    formula_refs,
    key_node,
    loop_through,
    number,
    parse,
)
from .dates import DateError, parse_date, parse_duration
from .problems import Problem, in_order
from .records import record
from .text import fold

Resolve = Callable[[str], str | None]
# Columns that name a row's file: a page shows them as a link to its note.
FILE_NAMES = frozenset(("file.name", "file.basename", "file.path"))

# ---------------------------------------------------------------------------
# What the expressions can read


@record
class Row:
    """What a base's expressions can read of one note."""

    path: str  # vault-relative: "people/Steph Ango.md"
    title: str  # the note's title, for display
    tags: tuple[str, ...]  # without '#', as written
    links: tuple[str, ...]  # vault paths of the notes it links to (resolved)
    properties: Mapping[str, Any]  # its front matter, keys as written


@record
class Column:
    """One column of a view: the property key as written and its heading."""

    key: str
    label: str


@record
class Group:
    """The rows of a view that share one groupBy value, each with its cells."""

    label: str
    rows: tuple[tuple[Row, tuple[Any, ...]], ...]


@record
class Table:
    """One view worked out: its columns, and its rows in groups."""

    base: str
    name: str
    kind: str
    columns: tuple[Column, ...]
    groups: tuple[Group, ...]


# ---------------------------------------------------------------------------
# A base as read


@record
class _Condition:
    """One filter expression."""

    node: Any


@record
class _FilterGroup:
    """`and:`, `or:` or `not:` over filter items."""

    kind: str
    items: tuple[Any, ...]


@record
class _Key:
    """A property key used to sort or group by, and its direction."""

    key: str
    node: Any
    descending: bool


@record
class View:
    """One view of a base, as read."""

    name: str
    kind: str
    filters: _Condition | _FilterGroup | None
    columns: tuple[Column, ...]
    sort: tuple[_Key, ...]
    limit: int | None
    group_by: _Key | None


@record
class Base:
    """A .base file as read: its filters, formulas (None where unreadable) and views."""

    path: str
    filters: _Condition | _FilterGroup | None
    formulas: Mapping[str, Any]
    views: tuple[View, ...]


def _canonical(key: str) -> str:
    """A property key with its kind spelled out: `company` → `note.company`."""
    node = key_node(key)
    return f"{node.obj.name}.{node.name}"


def _default_label(key: str) -> str:
    """A column's heading when the base gives it no displayName."""
    node = key_node(key)
    return node.name if node.obj.name == "note" else node.name.rsplit(".", 1)[-1]


# ---------------------------------------------------------------------------
# Reading a .base file


class _Reader:
    """Collects the problems of one .base file while it is read."""

    def __init__(self, path: str, text: str) -> None:
        """Ready to read the file at `path` whose text is `text`."""
        self.path = path
        self.text = text
        self.problems: list[Problem] = []
        self.formulas: frozenset[str] = frozenset()

    def line_of(self, needle: str) -> int:
        """The line where `needle` is written in the file; 1 if it is not found.

        An occurrence that ends its line (but for a closing quote or a comment) is
        preferred: `file.hasTag(` is also the start of `file.hasTag("call")`.
        """
        for probe in (needle, *needle.strip().splitlines()[:1]):
            if not probe.strip():
                continue
            found = [m.start() for m in re.finditer(re.escape(probe), self.text)]
            whole = [at for at in found if self.ends_line(at + len(probe))]
            if whole or found:
                return self.text.count("\n", 0, (whole or found)[0]) + 1
        return 1

    def ends_line(self, at: int) -> bool:
        """Whether only a closing quote, a comma or bracket, or a comment follows `at`."""
        rest = self.text[at:].split("\n", 1)[0].lstrip("'\"").strip()
        return rest == "" or rest[0] in "#,]}"

    def warn(self, needle: str, message: str) -> None:
        """A warning at the line where `needle` is written."""
        self.problems.append(
            Problem(self.path, self.line_of(needle), f"base: {message}", "warning")
        )

    def expression(self, value: Any, outcome: str) -> Any | None:
        """The syntax tree of an expression written in the file; None (and a warning) if bad."""
        if isinstance(value, bool | int | float) or value is None:
            return Lit(value)
        source = str(value)
        try:
            return parse(source, self.formulas)
        except ExprError as exc:
            self.warn(source, f"{exc}; {outcome}")
            return None

    def filters(self, value: Any) -> _Condition | _FilterGroup | None:
        """A filter item: an expression, or `and:`/`or:`/`not:` over items; None for none."""
        if value is None:
            return None
        if isinstance(value, list):  # a bare list reads best as all of its items
            return _FilterGroup("and", self.filter_items(value))
        if isinstance(value, dict):
            groups = []
            for kind, items in value.items():
                if kind in ("and", "or", "not"):
                    listed = items if isinstance(items, list) else [items]
                    groups.append(_FilterGroup(str(kind), self.filter_items(listed)))
                else:
                    self.warn(
                        f"{kind}:",
                        f"“{kind}” is not a kind of filter (write and:, or: or not:); "
                        "this filter is left out",
                    )
            return groups[0] if len(groups) == 1 else _FilterGroup("and", tuple(groups))
        node = self.expression(value, "this filter is left out")
        return None if node is None else _Condition(node)

    def filter_items(self, items: list[Any]) -> tuple[Any, ...]:
        """The readable items of a filter group; unreadable ones are left out."""
        found = (self.filters(item) for item in items)
        return tuple(item for item in found if item is not None)

    def read_formulas(self, value: Any) -> dict[str, Any]:
        """The base's formulas by name; None for one that cannot be worked out."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.warn("formulas:", "formulas must be `name: expression` lines; they are left out")
            return {}
        self.formulas = frozenset(str(name) for name in value)
        found = {
            str(name): self.expression(written, f"the cells of “formula.{name}” are left empty")
            for name, written in value.items()
        }
        refs = {name: formula_refs(node) for name, node in found.items()}
        for name, written in value.items():
            loop = loop_through(str(name), refs)
            if loop:
                found[str(name)] = None
                path = " → ".join(f"formula.{step}" for step in loop)
                self.warn(
                    str(written),
                    f"“formula.{name}” refers back to itself ({path}); its cells are left empty",
                )
        return found

    def labels(self, value: Any) -> dict[str, str]:
        """Column headings by canonical property key, from `properties:`' displayNames."""
        if not isinstance(value, dict):
            if value is not None:
                self.warn("properties:", "properties must be `key: {displayName: …}` lines")
            return {}
        found = {}
        for key, settings in value.items():
            if isinstance(settings, dict) and settings.get("displayName") not in (None, ""):
                found[_canonical(str(key))] = str(settings["displayName"])
        return found

    def key(self, key: Any, outcome: str) -> tuple[str, Any]:
        """A property key as written and its expression, warning when it cannot be shown."""
        written = str(key).strip()
        node = key_node(written)
        try:
            check(node, self.formulas)
        except ExprError as exc:
            self.warn(written, f"{exc}; {outcome}")
        return written, node

    def sort_key(self, value: Any, what: str) -> _Key | None:
        """A `{property, direction}` item of `sort:` or `groupBy:`; None if unusable."""
        if isinstance(value, str):
            value = {"property": value}
        if not isinstance(value, dict) or not value.get("property"):
            self.warn(f"{what}:", f"each {what} needs a `property:`; it is left out")
            return None
        written, node = self.key(value["property"], f"this {what} is left out")
        direction = str(value.get("direction") or "ASC").strip().upper()
        if direction not in ("ASC", "DESC"):
            self.warn(f"{what}:", f"a {what} direction is ASC or DESC, not “{direction}”")
        return _Key(written, node, direction == "DESC")

    def view(self, number: int, value: Any, labels: dict[str, str]) -> View | None:
        """One view of `views:`; None if it is not a mapping."""
        if not isinstance(value, dict):
            self.warn("views:", f"view {number} must be `key: value` lines; it is left out")
            return None
        name = str(value["name"]) if value.get("name") not in (None, "") else f"View {number}"
        kind = str(value.get("type") or "table")
        if kind not in ("table", "cards", "list"):
            self.warn(f"type: {kind}", f"a “{kind}” view is not supported; it is shown as a table")
            kind = "table"
        order = value.get("order")
        if order is None:
            order = ["file.name"]
        elif not isinstance(order, list):
            self.warn("order:", "order must be a list of properties; the view shows file.name")
            order = ["file.name"]
        columns = []
        for key in order:
            if key is None or str(key).strip() == "":  # `- ` left empty in the list
                continue
            written, _node = self.key(key, "its cells are left empty")
            label = labels.get(_canonical(written)) or _default_label(written)
            columns.append(Column(written, label))
        sort = value.get("sort") or []
        sort = sort if isinstance(sort, list) else [sort]
        keys = (self.sort_key(item, "sort") for item in sort)
        group = value.get("groupBy")
        return View(
            name=name,
            kind=kind,
            filters=self.filters(value.get("filters")),
            columns=tuple(columns),
            sort=tuple(key for key in keys if key is not None),
            limit=self.limit(value.get("limit")),
            group_by=None if group is None else self.sort_key(group, "groupBy"),
        )

    def limit(self, value: Any) -> int | None:
        """A view's `limit:`, if it is a positive whole number."""
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
        self.warn("limit:", f"limit must be a positive whole number, not “{value}”; it is ignored")
        return None


def read_base(path: str, text: str) -> tuple[Base, tuple[Problem, ...]]:
    """A .base file's filters, formulas, properties and views; its problems at path:line.

    Bad YAML: an error Problem at its line and a Base with no views.
    """
    empty = Base(path, None, {}, ())
    try:
        data = yamlcore.load(text)
    except yaml.YAMLError as exc:
        line, problem = yamlcore.error_at(exc)
        return empty, (Problem(path, line, f"base: not valid YAML: {problem}"),)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return empty, (Problem(path, 1, "base: must be `key: value` lines"),)
    reader = _Reader(path, text)
    formulas = reader.read_formulas(data.get("formulas"))
    labels = reader.labels(data.get("properties"))
    filters = reader.filters(data.get("filters"))
    written = data.get("views")
    if not isinstance(written, list) or not written:
        reader.warn("views:", "there are no views: add a list under `views:`")
        written = []
    views = (reader.view(n, value, labels) for n, value in enumerate(written, 1))
    base = Base(path, filters, formulas, tuple(view for view in views if view is not None))
    return base, tuple(in_order(reader.problems))


def view_names(base: Base) -> tuple[str, ...]:
    """The names of a base's views, in order."""
    return tuple(view.name for view in base.views)


# ---------------------------------------------------------------------------
# Values


class _Absent:
    """What `this` is when a base is shown on its own: anything made from it is absent too."""

    __slots__ = ()

    def __bool__(self) -> bool:
        """Absent is false."""
        return False

    def __repr__(self) -> str:
        """How it shows in test failures."""
        return "ABSENT"


_ABSENT = _Absent()


@record
class _NoteRef:
    """A note as a value: `file` or `this.file` (file=True), or `this` (file=False)."""

    row: Row
    file: bool


@record
class _Props:
    """`note`: a note's front matter as a value."""

    row: Row


@record
class _FormulaRoot:
    """`formula`: the formulas of the row being worked out."""


_LINK = re.compile(r"^\s*!?\[\[([^\]]+)\]\]\s*$")


def _link_target(text: str) -> str | None:
    """The note name inside `[[Name#Heading|text]]`, or None when `text` is not a link."""
    match = _LINK.match(text)
    if match is None:
        return None
    return _without_md(match[1].replace("\\|", "|").split("|", 1)[0].split("#", 1)[0].strip())


def _without_md(path: str) -> str:
    """A path or name without its `.md` ending."""
    return path[:-3] if path.lower().endswith(".md") else path


def _is_number(value: Any) -> bool:
    """Whether `value` is a number (a bool is not)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _moment(value: date) -> tuple[int, float]:
    """A date or datetime as (day number, seconds into the day), for comparing the two kinds."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        return value.toordinal(), seconds
    return value.toordinal(), 0.0


def _truthy(value: Any) -> bool:
    """JavaScript's truthiness: null, false, 0, "" and [] are false."""
    if isinstance(value, float) and value != value:  # NaN
        return False
    return bool(value)


class _Env:
    """What one row's expressions can read: the row, `this`, today and links."""

    __slots__ = ("busy", "cache", "formulas", "resolve", "row", "this", "today")

    def __init__(
        self, row: Row, this: Row | None, today: date, resolve: Resolve, formulas: Mapping[str, Any]
    ) -> None:
        """Ready to work out expressions over `row`."""
        self.row = row
        self.this = this
        self.today = today
        self.resolve = resolve
        self.formulas = formulas
        self.cache: dict[str, Any] = {}
        self.busy: set[str] = set()

    def formula(self, name: str) -> Any:
        """The value of formula `name` for this row; None if it refers back to itself."""
        if name in self.cache:
            return self.cache[name]
        node = self.formulas.get(name)
        if node is None or name in self.busy:
            return None
        self.busy.add(name)
        try:
            value = _eval(node, self)
        finally:
            self.busy.discard(name)
        self.cache[name] = value
        return value


def _prop(row: Row, name: str) -> Any:
    """A front-matter property of `row`: as written, else matched case-insensitively."""
    return _key(row.properties, name)


def _key(props: Mapping[Any, Any], name: str) -> Any:
    """The value of key `name` in `props`: as written, else matched case-insensitively."""
    if name in props:
        return props[name]
    key = fold(name)
    for written, value in props.items():
        if fold(str(written)) == key:
            return value
    return None


def _file_field(row: Row, name: str) -> Any:
    """`file.name`, `file.path` and the file's other fields."""
    path = PurePosixPath(row.path)
    match name:
        case "name":
            return path.name
        case "basename":
            return path.stem
        case "path":
            return row.path
        case "folder":
            return "" if str(path.parent) == "." else str(path.parent)
        case "ext":
            return path.suffix[1:]
        case "tags":
            return list(row.tags)
        case "links":
            return list(row.links)
    return None


# ---------------------------------------------------------------------------
# Working expressions out


def _eval(node: Any, env: _Env) -> Any:
    """The value of an expression for the env's row."""
    match node:
        case Lit(value):
            return value
        case Name(name):
            return _name(name, env)
        case Member(obj, name, _):
            return _member(_eval(obj, env), name, env)
        case Index(obj, key):
            return _index(_eval(obj, env), _eval(key, env), env)
        case Call(name, args):
            return _call(name, args, env)
        case Method(obj, name, args, _):
            target = _eval(obj, env)
            values = [_eval(arg, env) for arg in args]
            if target is _ABSENT or any(value is _ABSENT for value in values):
                return _ABSENT
            return _method(target, name, values, env)
        case Unary(op, operand):
            return _unary(op, _eval(operand, env))
        case Binary("&&", left, right):
            value = _eval(left, env)
            return _eval(right, env) if _truthy(value) else value
        case Binary("||", left, right):
            value = _eval(left, env)
            return value if _truthy(value) else _eval(right, env)
        case Binary(op, left, right):
            return _binary(op, _eval(left, env), _eval(right, env), env.resolve)
    return None


def _name(name: str, env: _Env) -> Any:
    """A bare name: the file, the note, the formulas, `this`, or a note property."""
    match name:
        case "file":
            return _NoteRef(env.row, True)
        case "note":
            return _Props(env.row)
        case "formula":
            return _FormulaRoot()
        case "this":
            return _ABSENT if env.this is None else _NoteRef(env.this, False)
    return _prop(env.row, name)


def _member(value: Any, name: str, env: _Env) -> Any:
    """`value.name`."""
    if value is _ABSENT:
        return _ABSENT
    if isinstance(value, _NoteRef):
        if value.file:
            return _file_field(value.row, name)
        if name == "file":
            return _NoteRef(value.row, True)
        return _Props(value.row) if name == "note" else _prop(value.row, name)
    if isinstance(value, _Props):
        return _prop(value.row, name)
    if isinstance(value, _FormulaRoot):
        return env.formula(name)
    if isinstance(value, Mapping):  # a property written as an object: `address: {city: …}`
        return _key(value, name)
    if name == "length" and isinstance(value, list | str):
        return len(value)
    if name in ("year", "month", "day") and isinstance(value, date):
        return getattr(value, name)
    return None


def _index(value: Any, key: Any, env: _Env) -> Any:
    """`value[key]`: an item of a list, or a property by name."""
    if value is _ABSENT or key is _ABSENT:
        return _ABSENT
    if isinstance(value, list | str) and _is_number(key) and float(key).is_integer():
        at = int(key)
        return value[at] if -len(value) <= at < len(value) else None
    if isinstance(key, str):
        if isinstance(value, _Props) or (isinstance(value, _NoteRef) and not value.file):
            return _prop(value.row, key)
        if isinstance(value, _FormulaRoot):
            return env.formula(key)
        if isinstance(value, Mapping):
            return _key(value, key)
    return None


def _call(name: str, args: tuple[Any, ...], env: _Env) -> Any:
    """A function call; `if` works out only the branch it takes."""
    if name == "if":
        condition = _eval(args[0], env) if args else None
        if condition is _ABSENT:
            return _ABSENT
        if _truthy(condition):
            return _eval(args[1], env) if len(args) > 1 else None
        return _eval(args[2], env) if len(args) > 2 else None
    values = [_eval(arg, env) for arg in args]
    if any(value is _ABSENT for value in values):
        return _ABSENT
    match name, values:
        case "today", []:
            return env.today
        case "date", [value]:
            return _to_date(value)
        case "list", [value]:
            return [] if value is None else list(value) if isinstance(value, list) else [value]
        case "link", [value, *display]:
            return _to_link(value, display[0] if display else None)
    return None


def _to_date(value: Any) -> date | None:
    """`date(x)`: a date or datetime as it is, an ISO string read as a date; else None."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return parse_date(value)
        except DateError:
            return None
    return None


def _to_link(value: Any, display: Any) -> str | None:
    """`link(x)`: `x` as a `[[link]]` string, with its display text if given."""
    if isinstance(value, _NoteRef):
        target = _without_md(value.row.path)
    elif isinstance(value, str) and value.strip():
        target = _link_target(value) or value.strip()
    else:
        return None
    shown = "" if display is None or display == "" else f"|{_plain(display)}"
    return f"[[{target}{shown}]]"


def _method(target: Any, name: str, args: list[Any], env: _Env) -> Any:
    """`target.name(args)`; None where the method does not apply to the value."""
    if isinstance(target, _NoteRef):
        return _file_method(target.row, name, args, env.resolve)
    match name, args:
        case "contains", [item]:
            return _contains(target, item, env.resolve)
        case "containsAny", items:
            found = [_contains(target, item, env.resolve) for item in items]
            return None if None in found else any(found)
        case "containsAll", items:
            found = [_contains(target, item, env.resolve) for item in items]
            return None if None in found else all(found)
        case "isEmpty", []:
            return target is None or (isinstance(target, str | list | dict) and not target)
        case "startsWith", [text] if isinstance(target, str) and isinstance(text, str):
            return target.startswith(text)
        case "endsWith", [text] if isinstance(target, str) and isinstance(text, str):
            return target.endswith(text)
        case "lower", [] if isinstance(target, str):
            return target.lower()
    return None


def _contains(target: Any, item: Any, resolve: Resolve) -> bool | None:
    """Whether a list holds `item` (links by the note they name) or a string holds a string."""
    if isinstance(target, list):
        return any(_same(value, item, resolve) for value in target)
    if isinstance(target, str):
        return isinstance(item, str) and item in target
    return None


def _file_method(row: Row, name: str, args: list[Any], resolve: Resolve) -> Any:
    """`file.hasTag(…)`, `file.inFolder(…)`, `file.hasLink(…)`, `file.hasProperty(…)`,
    `file.asLink(…)`.
    """
    match name, args:
        case "asLink", [*display]:
            return _to_link(_NoteRef(row, True), display[0] if display else None)
        case "hasTag", tags:
            return _has_tag(row, tags)
        case "inFolder", [folder] if isinstance(folder, str):
            wanted = fold(folder.strip().strip("/"))
            here = fold(str(_file_field(row, "folder")))
            return wanted == "" or here == wanted or here.startswith(wanted + "/")
        case "hasLink", [target]:
            return any(_names_path(target, path, resolve) for path in row.links)
        case "hasProperty", [key] if isinstance(key, str):
            return key in row.properties or any(
                fold(str(written)) == fold(key) for written in row.properties
            )
    return None


def _has_tag(row: Row, tags: list[Any]) -> bool:
    """Whether the note has any of `tags`, case-insensitively; `a` also matches `a/b`."""
    have = [fold(tag.lstrip("#")) for tag in row.tags]
    for tag in tags:
        if not isinstance(tag, str):
            continue
        wanted = fold(tag.lstrip("#"))
        if wanted and any(t == wanted or t.startswith(wanted + "/") for t in have):
            return True
    return False


def _names_path(value: Any, path: str, resolve: Resolve) -> bool:
    """Whether `value` (a note, a link, a note's name or path) stands for the note at `path`."""
    if isinstance(value, _NoteRef):
        return value.row.path == path
    if not isinstance(value, str):
        return False
    name = _link_target(value)
    name = value.strip() if name is None else name
    if not name:
        return False
    key = fold(name)
    if key in (fold(path), fold(_without_md(path))):
        return True
    found = resolve(name)
    if found is not None:  # the vault knows which note the name means: another of that name
        return found == path
    return key == fold(PurePosixPath(path).stem)


def _same(left: Any, right: Any, resolve: Resolve) -> bool:
    """`==`: notes and links by the note they name, dates by the moment, lists item by item."""
    if isinstance(left, _NoteRef) or isinstance(right, _NoteRef):
        if isinstance(left, _NoteRef) and isinstance(right, _NoteRef):
            return left.row.path == right.row.path
        note, other = (left, right) if isinstance(left, _NoteRef) else (right, left)
        return _names_path(other, note.row.path, resolve)
    if isinstance(left, str) and isinstance(right, str):
        return left == right or _same_link(left, right, resolve)
    if _is_number(left) and _is_number(right):
        return left == right
    if isinstance(left, date) and isinstance(right, date):
        return _moment(left) == _moment(right)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(
            _same(a, b, resolve) for a, b in zip(left, right, strict=True)
        )
    if isinstance(left, bool | type(None)) or isinstance(right, bool | type(None)):
        return left is right
    return False


def _same_link(left: str, right: str, resolve: Resolve) -> bool:
    """Whether two strings, one of them at least a link, name the same note."""
    left_target, right_target = _link_target(left), _link_target(right)
    if left_target is None and right_target is None:
        return False
    a = left.strip() if left_target is None else left_target
    b = right.strip() if right_target is None else right_target
    if fold(a) == fold(b):
        return True
    # Each by the path it resolves to; a name the vault does not know stands for itself.
    return fold(_without_md(resolve(a) or a)) == fold(_without_md(resolve(b) or b))


def _unary(op: str, value: Any) -> Any:
    """`!value` or `-value`."""
    if value is _ABSENT:
        return _ABSENT
    if op == "!":
        return not _truthy(value)
    return -value if _is_number(value) else None


def _binary(op: str, left: Any, right: Any, resolve: Resolve) -> Any:
    """`left op right` for the comparison and arithmetic operators."""
    if left is _ABSENT or right is _ABSENT:
        return _ABSENT
    if op == "==":
        return _same(left, right, resolve)
    if op == "!=":
        return not _same(left, right, resolve)
    if op in ("<", "<=", ">", ">="):
        return _compare_op(op, left, right)
    return _arithmetic(op, left, right)


def _compare_op(op: str, left: Any, right: Any) -> bool:
    """`<`, `<=`, `>`, `>=` between two numbers, two dates or two strings; else false."""
    if _is_number(left) and _is_number(right):
        pass
    elif isinstance(left, date) and isinstance(right, date):
        left, right = _moment(left), _moment(right)
    elif not (isinstance(left, str) and isinstance(right, str)):
        return False
    match op:
        case "<":
            return bool(left < right)
        case "<=":
            return bool(left <= right)
        case ">":
            return bool(left > right)
    return bool(left >= right)


def _arithmetic(op: str, left: Any, right: Any) -> Any:
    """`+ - * / %` on numbers, `+` on strings, and dates: date − date in milliseconds."""
    if _is_number(left) and _is_number(right):
        try:
            match op:
                case "+":
                    return number(left + right)
                case "-":
                    return number(left - right)
                case "*":
                    return number(left * right)
                case "/":
                    return number(left / right)
            return number(left % right)
        except (ZeroDivisionError, OverflowError):
            return None
    if op == "+" and isinstance(left, str) and (isinstance(right, str) or _is_number(right)):
        return left + _plain_text(right)
    if op == "+" and isinstance(right, str) and _is_number(left):
        return _plain_text(left) + right
    if isinstance(left, date) and isinstance(right, date) and op == "-":
        (day_a, sec_a), (day_b, sec_b) = _moment(left), _moment(right)
        return number(((day_a - day_b) * 86400 + (sec_a - sec_b)) * 1000)
    if isinstance(left, date) and isinstance(right, str) and op in ("+", "-"):
        return _shift(left, right, op)
    return None


def _shift(when: date, duration: str, op: str) -> date | None:
    """A date moved by a duration such as `7d` or `2w`; None if it is not one."""
    try:
        step = parse_duration(duration)
    except DateError:
        return None
    if step is None:
        return None
    try:
        return when + step if op == "+" else when - step
    except OverflowError:
        return None


# ---------------------------------------------------------------------------
# Cells, sorting and groups

# A row kept by the filters: the row, its sort values, its cells and its groupBy value.
_Kept = tuple[Row, list[Any], tuple[Any, ...], Any]


def _plain(value: Any) -> Any:
    """A worked-out value as a plain Python value for a cell."""
    if value is _ABSENT or isinstance(value, _Props | _FormulaRoot):
        return None
    if isinstance(value, _NoteRef):
        return f"[[{_without_md(value.row.path)}]]"
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _plain_text(value: Any) -> str:
    """A value as text: for `+` on strings and for group labels."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(number(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(_plain_text(item) for item in value)
    return str(value)


def _order_key(value: Any) -> tuple[Any, ...]:
    """A key that orders values of any kinds among themselves without failing."""
    if isinstance(value, bool):
        return (0, int(value))
    if _is_number(value):
        return (1, 0 if value != value else value)  # NaN would make the order inconsistent
    if isinstance(value, date):
        return (2, _moment(value))
    if isinstance(value, str):
        target = _link_target(value)
        shown = value if target is None else target
        return (3, fold(shown), value)
    if isinstance(value, list):
        return (4, tuple(_order_key(item) for item in value))
    return (5, repr(value))


def _compare(left: Any, right: Any) -> int:
    """-1, 0 or 1 as `left` sorts before, with or after `right`."""
    a, b = _order_key(left), _order_key(right)
    return (a > b) - (a < b)


def _sorted(items: list[_Kept], keys: tuple[_Key, ...]) -> list[_Kept]:
    """Rows sorted by each key's value in turn (None last either way), then by path."""

    def compare(one: _Kept, two: _Kept) -> int:
        for key, a, b in zip(keys, one[1], two[1], strict=True):
            if a is None or b is None:
                if a is None and b is None:
                    continue
                return 1 if a is None else -1
            order = _compare(a, b)
            if order:
                return -order if key.descending else order
        return (one[0].path > two[0].path) - (one[0].path < two[0].path)

    return sorted(items, key=cmp_to_key(compare))


def _grouped(rows: list[_Kept], key: _Key | None) -> tuple[Group, ...]:
    """Rows in groups of equal groupBy value, ordered by that value (None last)."""
    if key is None:
        return (Group("", tuple((row, cells) for row, _, cells, _ in rows)),)
    groups: dict[Any, tuple[Any, list[tuple[Row, tuple[Any, ...]]]]] = {}
    for row, _, cells, value in rows:
        identity = _order_key(value) if value is not None else None
        groups.setdefault(identity, (value, []))[1].append((row, cells))

    def compare(one: Any, two: Any) -> int:
        a, b = groups[one][0], groups[two][0]
        if a is None or b is None:
            return (a is None) - (b is None)
        order = _compare(a, b)
        return -order if key.descending else order

    ordered = sorted(groups, key=cmp_to_key(compare))
    made = tuple(Group(_plain_text(groups[i][0]), tuple(groups[i][1])) for i in ordered)
    return made or (Group("", ()),)


def _passes(item: _Condition | _FilterGroup | None, env: _Env) -> bool:
    """Whether the env's row passes a filter; no filter passes everything."""
    if item is None:
        return True
    if isinstance(item, _Condition):
        return _truthy(_eval(item.node, env))
    results = (_passes(sub, env) for sub in item.items)
    if item.kind == "or":
        return not item.items or any(results)
    if item.kind == "not":
        return not any(results)
    return all(results)


def _cached(resolve: Resolve) -> Resolve:
    """`resolve`, remembering its answers: the same links are asked about row after row."""
    answers: dict[str, str | None] = {}

    def cached(name: str) -> str | None:
        if name not in answers:
            answers[name] = resolve(name)
        return answers[name]

    return cached


def _pick(base: Base, name: str | None) -> tuple[View | None, tuple[Problem, ...]]:
    """The view called `name` (exactly, else case-insensitively), else the first with a warning."""
    if not base.views:
        return None, ()
    if name is None:
        return base.views[0], ()
    for view in base.views:
        if view.name == name:
            return view, ()
    for view in base.views:
        if fold(view.name) == fold(name):
            return view, ()
    first = base.views[0]
    message = f"base: there is no view “{name}”; showing “{first.name}”"
    return first, (Problem(base.path, 1, message, "warning"),)


def missing_views(
    embeds: Iterable[tuple[str, int, str, str | None]], bases: Mapping[str, Base]
) -> list[Problem]:
    """A warning for each embed (note, its line, base, view) of a view its base lacks."""
    return [
        Problem(path, line, f"{problem.message} (in {base})", "warning")
        for path, line, base, view in embeds
        if base in bases
        for problem in _pick(bases[base], view)[1]
    ]


def work_out(
    base: Base,
    name: str | None,
    rows: Sequence[Row],
    this: Row | None,
    today: date,
    resolve: Callable[[str], str | None],
) -> tuple[Table, tuple[Problem, ...]]:
    """The view `name` of `base` over `rows`: filtered, sorted, limited, grouped.

    The first view when `name` is None or not found (with a warning); filters are
    the base's ANDed with the view's; sorted by each sort key in turn, None last,
    ties by path; an empty Table when the base has no views.
    """
    view, problems = _pick(base, name)
    if view is None:
        column = Column("file.name", "name")
        return Table(base.path, name or "", "table", (column,), (Group("", ()),)), problems
    resolve = _cached(resolve)
    column_nodes = [key_node(column.key) for column in view.columns]
    sort_nodes = [key.node for key in view.sort]
    kept: list[_Kept] = []
    for row in rows:
        env = _Env(row, this, today, resolve, base.formulas)
        if not (_passes(base.filters, env) and _passes(view.filters, env)):
            continue
        cells = tuple(_plain(_eval(node, env)) for node in column_nodes)
        by = [_plain(_eval(node, env)) for node in sort_nodes]
        group = None if view.group_by is None else _plain(_eval(view.group_by.node, env))
        kept.append((row, by, cells, group))
    ordered = _sorted(kept, view.sort)
    if view.limit is not None:
        ordered = ordered[: view.limit]
    groups = _grouped(ordered, view.group_by)
    return Table(base.path, view.name, view.kind, view.columns, groups), problems
