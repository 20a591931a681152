"""Records: frozen dataclasses that are small in memory and quick to pickle.

A vault of a hundred thousand notes holds millions of them at once, and pickles
them often: parsed notes travel back from worker processes and into the cache,
and each page's data is pickled to fingerprint it. Slots save a dict's worth of
memory per record, but a frozen dataclass with slots pickles through a Python
`__getstate__` that looks its fields up again for every record, three to five
times slower than a plain dataclass. `record` pickles a record as its class and
its field values, read by one C-level getter.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True)
def record(cls: type[T] | None = None, /, *, order: bool = False) -> Any:
    """`@dataclass(frozen=True, slots=True)` that pickles as `(class, field values)`.

    A class that defines `__reduce__` itself keeps it. Every field must be an
    argument of `__init__`, as unpickling calls it.
    """

    def wrap(cls: type[T]) -> type[T]:
        made: Any = dataclass(frozen=True, slots=True, order=order)(cls)
        if "__reduce__" not in cls.__dict__:
            made.__reduce__ = _reducer(made)
        return made

    return wrap if cls is None else wrap(cls)


def _reducer(cls: Any) -> Any:
    """A `__reduce__` for the dataclass `cls`."""
    names = [f.name for f in fields(cls)]
    if len(names) == 1:  # attrgetter with one name gives the value, not a 1-tuple
        [name] = names

        def reduce_one(self: Any) -> tuple[Any, tuple[Any, ...]]:
            return cls, (getattr(self, name),)

        return reduce_one
    values = attrgetter(*names) if names else (lambda _self: ())

    def reduce(self: Any) -> tuple[Any, tuple[Any, ...]]:
        return cls, values(self)

    return reduce


def values_but(value: Any, unread: frozenset[str]) -> tuple[Any, ...] | None:
    """A record's kind and the values of its fields not named in `unread`; None for None.

    What a view reads of a record, for telling whether an edit can change the view:
    naming the fields it never reads means that a field added later counts.
    """
    if value is None:
        return None
    shown = tuple(getattr(value, f.name) for f in fields(value) if f.name not in unread)
    return (type(value).__name__, *shown)
