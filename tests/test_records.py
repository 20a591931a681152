"""Records: frozen, slotted dataclasses that pickle as their class and field values."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from netvault.records import record


@record
class Point:
    x: int
    y: int = 0
    label: str = ""


@record
class One:
    value: tuple[int, ...]


@record
class Empty:
    pass


@record(order=True)
class Ranked:
    rank: int
    name: str


@record
class Custom:
    value: int

    def __reduce__(self):
        return (Custom, (self.value + 1,))


@pytest.mark.parametrize(
    "value",
    [Point(1, 2, "a"), Point(3), One((1, 2)), Empty(), Ranked(1, "b"), [Point(1), Point(1)]],
    ids=repr,
)
def test_a_record_pickles_back_equal(value):
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(value, protocol=protocol)) == value


def test_a_record_is_frozen_slotted_and_keeps_its_options():
    point = Point(1, 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        point.x = 3  # type: ignore[misc]
    assert not hasattr(point, "__dict__")
    assert dataclasses.replace(point, y=5) == Point(1, 5)
    assert sorted([Ranked(2, "a"), Ranked(1, "z")]) == [Ranked(1, "z"), Ranked(2, "a")]


def test_a_record_that_reduces_itself_keeps_its_own_way():
    assert pickle.loads(pickle.dumps(Custom(1))) == Custom(2)


@record
class Plain:
    # Names a generated maker could be tempted to use for itself.
    new: int
    cls: str
    made: tuple[int, ...]
    set0: int


def test_an_unpickled_record_is_a_whole_frozen_record_whatever_its_fields_are_called():
    value = Plain(1, "two", (3,), 4)
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(value, protocol=protocol))
        assert (back, hash(back), type(back)) == (value, hash(value), Plain)
        assert (back.new, back.cls, back.made, back.set0) == (1, "two", (3,), 4)
        with pytest.raises(dataclasses.FrozenInstanceError):
            back.new = 2  # type: ignore[misc]
