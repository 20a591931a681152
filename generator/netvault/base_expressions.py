"""The expression language of Obsidian Bases: its syntax tree, tokenizer and parser, and
what of it netvault supports.

An expression in a `.base` file is user input: it is read by a hand-written tokenizer
and recursive-descent parser, never `eval`, and anything outside what `check` accepts
is an `ExprError` whose message says what, for the reader to report and leave out.
`bases` works the trees out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import fields, is_dataclass
from typing import Any

from .records import record


def number(value: float) -> int | float:
    """A number, whole when it is whole: JavaScript has one kind and `2.0` reads as `2`."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


# ---------------------------------------------------------------------------
# Expressions: the syntax tree


@record
class Lit:
    """A literal: string, number, true, false or null."""

    value: Any


@record
class Name:
    """A bare name: `file`, `note`, `formula`, `this`, or a note property."""

    name: str


@record
class Member:
    """`obj.name`; `text` is the source of the whole access, for messages."""

    obj: Any
    name: str
    text: str


@record
class Index:
    """`obj[key]`."""

    obj: Any
    key: Any


@record
class Call:
    """A function call `name(args)`."""

    name: str
    args: tuple[Any, ...]


@record
class Method:
    """A method call `obj.name(args)`; `text` is the source of `obj.name`."""

    obj: Any
    name: str
    args: tuple[Any, ...]
    text: str


@record
class Unary:
    """`!x` or `-x`."""

    op: str
    operand: Any


@record
class Binary:
    """`left op right`."""

    op: str
    left: Any
    right: Any


# ---------------------------------------------------------------------------
# Tokenizer and parser

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)
  | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<name>[^\W\d]\w*)
  | (?P<op>===|!==|&&|\|\||==|!=|<=|>=|[-+*/%<>!().,\[\]])
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r"}
_WORD_OPS = {"and": "&&", "or": "||", "not": "not"}
_SAME_OPS = {"===": "==", "!==": "!="}
_MAX_DEPTH = 60  # deeper nesting than a person writes; keeps Python's stack safe


class ExprError(ValueError):
    """An expression this module cannot work out; the message says why."""


@record
class _Token:
    """One token: its kind (`number`, `string`, `name`, `op`, `end`), value and place."""

    kind: str
    value: Any
    start: int


def _tokens(source: str) -> list[_Token]:
    """The tokens of an expression."""
    found: list[_Token] = []
    at = 0
    while at < len(source):
        match = _TOKEN.match(source, at)
        if match is None:
            char = source[at]
            if char in "\"'":
                raise ExprError(f"the string at column {at + 1} is not closed")
            raise ExprError(f"“{char}” at column {at + 1} is not understood")
        kind, text = match.lastgroup or "", match.group()
        if kind == "number":
            found.append(_Token(kind, number(float(text)), at))
        elif kind == "string":
            found.append(_Token(kind, _unescape(text[1:-1]), at))
        elif kind == "name" and text in _WORD_OPS:
            found.append(_Token("op", _WORD_OPS[text], at))
        elif kind == "op":
            found.append(_Token(kind, _SAME_OPS.get(text, text), at))
        elif kind == "name":
            found.append(_Token(kind, text, at))
        at = match.end()
    found.append(_Token("end", "", len(source)))
    return found


def _unescape(text: str) -> str:
    """A string literal's text with its backslash escapes worked out."""
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m[1], m[1]), text, flags=re.DOTALL)


class _Parser:
    """Recursive descent over JavaScript's precedence: || && equality relational + * unary."""

    def __init__(self, source: str) -> None:
        """Ready to read `source`."""
        self.source = source
        self.tokens = _tokens(source)
        self.at = 0
        self.depth = 0

    def parse(self) -> Any:
        """The whole source as one expression."""
        if self.peek().kind == "end":
            raise ExprError("it is empty")
        node = self.expression()
        if self.peek().kind != "end":
            raise self.unexpected()
        return node

    def peek(self) -> _Token:
        """The next token, not taken."""
        return self.tokens[self.at]

    def take(self) -> _Token:
        """The next token, taken."""
        token = self.tokens[self.at]
        self.at += 1
        return token

    def accept(self, *ops: str) -> str | None:
        """The next token's operator if it is one of `ops` (taking it), else None."""
        token = self.peek()
        if token.kind == "op" and token.value in ops:
            self.at += 1
            return str(token.value)
        return None

    def expect(self, op: str) -> None:
        """Take the operator `op`, or fail saying it is missing."""
        if self.accept(op) is None:
            token = self.peek()
            where = "at the end" if token.kind == "end" else f"at column {token.start + 1}"
            raise ExprError(f"“{op}” is missing {where}")

    def unexpected(self) -> ExprError:
        """The error for a token that cannot come where it is."""
        token = self.peek()
        if token.kind == "end":
            return ExprError("it ends too soon")
        text = self.source[token.start :].split(None, 1)[0][:20]
        return ExprError(f"“{text}” at column {token.start + 1} is not expected there")

    def expression(self) -> Any:
        """An expression."""
        return self.nested(lambda: self.binary(0))

    def nested(self, read: Callable[[], Any]) -> Any:
        """What `read` reads, one level deeper: too deep fails before Python's stack does."""
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise ExprError("it is nested too deeply")
        try:
            return read()
        finally:
            self.depth -= 1

    _LEVELS = (("||",), ("&&",), ("==", "!="), ("<", "<=", ">", ">="), ("+", "-"), ("*", "/", "%"))

    def binary(self, level: int) -> Any:
        """Left-associative operators from precedence `level` up."""
        if level == len(self._LEVELS):
            return self.unary()
        if level == 2 and self.accept("not"):
            # The word binds as in Python, looser than comparisons: `not a == b` is `!(a == b)`.
            return Unary("!", self.nested(lambda: self.binary(2)))
        node = self.binary(level + 1)
        while (op := self.accept(*self._LEVELS[level])) is not None:
            node = Binary(op, node, self.binary(level + 1))
        return node

    def unary(self) -> Any:
        """`!x`, `-x`, `+x`, or a postfix expression."""
        op = self.accept("!", "not", "-", "+")
        if op is None:
            return self.postfix()
        operand = self.nested(self.unary)
        if op == "+":
            return operand
        return Unary("!" if op == "not" else op, operand)

    def postfix(self) -> Any:
        """A primary followed by member accesses, indexes and method calls."""
        start = self.peek().start
        node = self.primary()
        while True:
            if self.accept("."):
                token = self.take()
                if token.kind != "name":
                    self.at -= 1
                    raise self.unexpected()
                end = token.start + len(token.value)
                text = self.source[start:end]
                if self.accept("("):
                    node = Method(node, token.value, self.arguments(), text)
                else:
                    node = Member(node, token.value, text)
            elif self.accept("["):
                key = self.expression()
                self.expect("]")
                node = Index(node, key)
            elif self.peek().kind == "op" and self.peek().value == "(":
                raise ExprError(f"only functions and methods can be called (column {start + 1})")
            else:
                return node

    def arguments(self) -> tuple[Any, ...]:
        """A call's arguments, after its `(`, up to and with its `)`."""
        args: list[Any] = []
        if self.accept(")"):
            return ()
        while True:
            args.append(self.expression())
            if not self.accept(","):
                self.expect(")")
                return tuple(args)

    def primary(self) -> Any:
        """A literal, a name, a function call or a parenthesised expression."""
        token = self.peek()
        if token.kind in ("number", "string"):
            self.at += 1
            return Lit(token.value)
        if token.kind == "name":
            self.at += 1
            if token.value in ("true", "false", "null"):
                return Lit({"true": True, "false": False, "null": None}[token.value])
            if self.accept("("):
                return Call(token.value, self.arguments())
            return Name(token.value)
        if self.accept("("):
            node = self.expression()
            self.expect(")")
            return node
        raise self.unexpected()


# What is supported, with the number of arguments each takes (None: any number from the least).
_FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "today": (0, 0),
    "date": (1, 1),
    "link": (1, 2),
    "list": (1, 1),
    "if": (2, 3),
}
_FILE_METHODS: dict[str, tuple[int, int | None]] = {
    "hasTag": (1, None),
    "inFolder": (1, 1),
    "hasLink": (1, 1),
    "hasProperty": (1, 1),
    "asLink": (0, 1),
}
_METHODS: dict[str, tuple[int, int | None]] = {
    "contains": (1, 1),
    "containsAny": (1, None),
    "containsAll": (1, None),
    "isEmpty": (0, 0),
    "startsWith": (1, 1),
    "endsWith": (1, 1),
    "lower": (0, 0),
}
_FILE_FIELDS = frozenset(("name", "basename", "path", "folder", "ext", "tags", "links"))
_FIELDS = frozenset(("length", "year", "month", "day"))


def _is_property(node: Any) -> bool:
    """Whether `node` is written as a note's property, or a key of one (which may be an
    object whose keys are read in turn): `x`, `note.x`, `this.x`, `x.y`, `note["x"]`.
    """
    match node:
        case Name(name):
            return name not in ("file", "formula", "note", "this")
        case Member(Name("note" | "this"), name, _):
            return name != "file"
        case Member(obj, _, _) | Index(obj, _):
            return _is_property(obj) or obj in (Name("note"), Name("this"))
    return False


def _is_file(node: Any) -> bool:
    """Whether `node` is written as a file: `file` or `this.file`."""
    match node:
        case Name("file") | Member(Name("this"), "file", _):
            return True
    return False


def check(node: Any, formulas: frozenset[str]) -> None:
    """Fail on any function, method or field in `node` that is not supported here."""
    match node:
        case Call(name, args):
            if name not in _FUNCTIONS:
                raise ExprError(f"“{name}” is not supported")
            _check_arity(name, _FUNCTIONS[name], len(args))
        case Method(obj, name, args, text):
            known = _FILE_METHODS if _is_file(obj) else _METHODS
            if name not in known:
                raise ExprError(f"“{text}” is not supported")
            _check_arity(text, known[name], len(args))
            check(obj, formulas)
        case Member(obj, name, text):
            if _is_file(obj):
                if name not in _FILE_FIELDS:
                    raise ExprError(f"“{text}” is not supported")
            elif obj == Name("formula"):
                if name not in formulas:
                    raise ExprError(f"“{text}” is not defined in this base's formulas")
            elif not (obj in (Name("note"), Name("this")) or name in _FIELDS or _is_property(obj)):
                raise ExprError(f"“{text}” is not supported")
            check(obj, formulas)
        case Index(obj, key):
            check(obj, formulas)
            check(key, formulas)
        case Unary(_, operand):
            check(operand, formulas)
        case Binary(_, left, right):
            check(left, formulas)
            check(right, formulas)
    for arg in getattr(node, "args", ()):
        check(arg, formulas)


def _check_arity(what: str, arity: tuple[int, int | None], given: int) -> None:
    """Fail when a call gives a number of arguments its function does not take."""
    least, most = arity
    if given < least or (most is not None and given > most):
        if most is None:
            wanted = f"at least {least}"
        else:
            wanted = str(least) if least == most else f"{least} to {most}"
        noun = "argument" if wanted == "1" else "arguments"
        raise ExprError(f"“{what}” takes {wanted} {noun}, not {given}")


def formula_refs(node: Any) -> frozenset[str]:
    """The names of the formulas that `node` uses: `formula.x` or `formula["x"]`."""
    found, stack = set(), [node]
    while stack:
        item = stack.pop()
        match item:
            case Member(Name("formula"), name, _):
                found.add(name)
            case Index(Name("formula"), Lit(name)):
                found.add(str(name))
        if is_dataclass(item):
            for field in fields(item):
                value = getattr(item, field.name)
                stack.extend(value if isinstance(value, tuple) else (value,))
    return frozenset(found)


def loop_through(start: str, refs: Mapping[str, frozenset[str]]) -> tuple[str, ...]:
    """The shortest way from formula `start` through the ones it uses back to it; () if none."""
    ways: dict[str, tuple[str, ...]] = {start: (start,)}
    queue = [start]
    for name in queue:  # breadth first, so the loop found is a shortest one
        for used in sorted(refs.get(name, ())):
            if used == start:
                return (*ways[name], start)
            if used not in ways:
                ways[used] = (*ways[name], used)
                queue.append(used)
    return ()


def parse(source: str, formulas: frozenset[str]) -> Any:
    """The syntax tree of `source`, checked to use only what is supported."""
    try:
        node = _Parser(source).parse()
    except ExprError as exc:
        raise ExprError(f"“{source.strip()}” cannot be read: {exc}") from None
    check(node, formulas)
    return node


def key_node(key: str) -> Any:
    """The expression a property key stands for: `file.name`, `note.x`, `x`, `formula.x`."""
    head, dot, rest = key.partition(".")
    if dot and rest and head in ("file", "note", "formula"):
        return Member(Name(head), rest, key)
    return Member(Name("note"), key, key)
