"""Records: frozen dataclasses that are small in memory and quick to pickle.

A vault of a hundred thousand notes holds millions of them at once, and pickles
them often: parsed notes travel back from worker processes and into the cache,
and each page's data is pickled to fingerprint it. Slots save a dict's worth of
memory per record, but a frozen dataclass with slots pickles through a Python
`__getstate__` that looks its fields up again for every record, three to five
times slower than a plain dataclass. `record` pickles a record as its field
values, read by one C-level getter, and a maker of the class that sets them.

The maker skips the frozen `__init__`, which sets each field through a global and
a call of `object.__setattr__`: it sets each slot through its own descriptor.
Unpickling a 41,000-note vault's cache is mostly making records, and took a
third longer through `__init__`.
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


MAKER = "_from_values"  # the class attribute that holds a record class's maker


def _reducer(cls: Any) -> Any:
    """A `__reduce__` for the dataclass `cls`, whose records are made again by `_maker`."""
    names = [f.name for f in fields(cls)]
    make = _maker(cls, names)
    if len(names) == 1:  # attrgetter with one name gives the value, not a 1-tuple
        [name] = names

        def reduce_one(self: Any) -> tuple[Any, tuple[Any, ...]]:
            return make, (getattr(self, name),)

        return reduce_one
    values = attrgetter(*names) if names else (lambda _self: ())

    def reduce(self: Any) -> tuple[Any, tuple[Any, ...]]:
        return make, values(self)

    return reduce


def _maker(cls: Any, names: list[str]) -> Any:
    """A function of the field values that makes a record of `cls`, kept on `cls` (as
    `MAKER`) so that pickle names it.
    """
    # Generated, as dataclasses generates `__init__`: a loop over the slots would
    # spend most of what setting them directly saves.
    # Its own names are dunder names, which no field of a record is given.
    scope = {"__record_new__": object.__new__, "__record_cls__": cls}
    lines = [
        f"def {MAKER}({', '.join(names)}):",
        "    __record__ = __record_new__(__record_cls__)",
    ]
    for number, name in enumerate(names):
        scope[f"__record_set{number}__"] = getattr(cls, name).__set__
        lines.append(f"    __record_set{number}__(__record__, {name})")
    lines.append("    return __record__")
    exec("\n".join(lines), scope)  # made of field names only
    make = scope[MAKER]
    make.__module__ = cls.__module__
    make.__qualname__ = f"{cls.__qualname__}.{MAKER}"
    setattr(cls, MAKER, staticmethod(make))
    return make


def values_but(value: Any, unread: frozenset[str]) -> tuple[Any, ...] | None:
    """A record's kind and the values of its fields not named in `unread`; None for None.

    What a view reads of a record, for telling whether an edit can change the view:
    naming the fields it never reads means that a field added later counts.
    """
    if value is None:
        return None
    shown = tuple(getattr(value, f.name) for f in fields(value) if f.name not in unread)
    return (type(value).__name__, *shown)
