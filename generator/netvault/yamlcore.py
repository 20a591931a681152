"""YAML front matter with YAML 1.2 core-schema meaning, on PyYAML's C loader where present.

PyYAML follows YAML 1.1, where `No` is false, `on` is true, `0123` is the octal
number 83 and `1:20` is 80. In a contacts file those are a name, a word, a phone
number and a time: a contacts tool must not change them. Here only `true`/`false`,
`null`/`~`, decimal numbers without a leading zero, and ISO dates and datetimes
get a type; everything else stays the text that was written.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import yaml

try:
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

_RESOLVERS: list[tuple[str, str, str]] = [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", "~nN"),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    # A leading zero keeps a number as text: phone numbers and postcodes.
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.[0-9]+(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    (
        "tag:yaml.org,2002:timestamp",
        r"^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}"
        r"(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
        r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?)$",
        "0123456789",
    ),
]


class CoreLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader that resolves plain scalars by the YAML 1.2 core schema."""

    # A fresh table, so none of PyYAML's YAML 1.1 resolvers are inherited.
    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {}

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:  # type: ignore[override]
        """A date or datetime; an impossible one stays text for the date checks to report."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


for _tag, _pattern, _first in _RESOLVERS:
    # An empty first character stands for the empty scalar, which is null.
    _starts = [*_first, ""] if _tag.endswith(":null") else list(_first)
    CoreLoader.add_implicit_resolver(_tag, re.compile(_pattern), _starts)
CoreLoader.add_constructor("tag:yaml.org,2002:timestamp", CoreLoader.construct_yaml_timestamp)


def load(text: str) -> Any:
    """Parse one YAML document with core-schema meaning."""
    return yaml.load(text, Loader=CoreLoader)  # CoreLoader derives from a safe loader


def error_at(exc: yaml.YAMLError) -> tuple[int, str]:
    """The line (1-based) a YAML error is at, and what it says, in a few words."""
    # Where a construct was opened (an unclosed `[`) says more than where it broke.
    mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else 1
    return line, getattr(exc, "problem", None) or str(exc).splitlines()[0]
