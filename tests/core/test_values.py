"""A frozen dataclass made in one step (app.core.values) behaves as the dataclass would."""

from __future__ import annotations

import dataclasses
import dis
import inspect
from dataclasses import dataclass, field

import pytest

from app.core.values import made_in_one_step


@dataclass(frozen=True)
class Plain:
    a: int
    b: str
    c: int | None = None
    d: tuple = ()
    e: str = field(default="e", compare=False)


@made_in_one_step
@dataclass(frozen=True)
class Quick(Plain):  # the same fields, made in one step
    pass


@pytest.mark.parametrize(("args", "kwargs"), [
    ((1, "x"), {}), ((1, "x", 3), {}), ((1,), {"b": "y", "d": (1,)}), ((), {"a": 2, "b": "z", "e": "f"}),
    ((1, "x", 3, (4,), "g"), {}),
])
def test_it_is_made_alike_and_behaves_alike(args, kwargs):
    plain, quick = Plain(*args, **kwargs), Quick(*args, **kwargs)
    assert dataclasses.astuple(plain) == dataclasses.astuple(quick)
    assert repr(quick) == repr(plain).replace("Plain", "Quick")
    assert quick == Quick(*args, **kwargs) and hash(quick) == hash(Quick(*args, **kwargs))
    assert quick == dataclasses.replace(quick, e="other")  # e does not compare, as declared
    assert dataclasses.replace(quick, a=9).a == 9 and quick.a != 9
    with pytest.raises(dataclasses.FrozenInstanceError):
        quick.a = 5  # type: ignore[misc]


def test_its_signature_is_the_dataclasses():
    assert str(inspect.signature(Quick)) == str(inspect.signature(Plain))
    with pytest.raises(TypeError):
        Quick(1)  # type: ignore[call-arg]  # b is missing
    with pytest.raises(TypeError):
        Quick(1, "x", f=1)  # type: ignore[call-arg]


def test_what_it_cannot_make_alike_is_refused_when_the_class_is_defined():
    with pytest.raises(TypeError, match="frozen"):
        made_in_one_step(dataclass(type("Open", (), {"__annotations__": {"a": int}})))
    with pytest.raises(TypeError, match="plain init fields"):
        @made_in_one_step
        @dataclass(frozen=True)
        class Factory:
            a: list = field(default_factory=list)
    with pytest.raises(TypeError, match="__post_init__"):
        @made_in_one_step
        @dataclass(frozen=True)
        class After:
            a: int

            def __post_init__(self) -> None:
                pass


def test_the_fields_go_in_by_one_call():
    """The point of it: one call for all fields, not the dataclass's call per field."""
    def calls(function) -> int:  # noqa: ANN001
        return sum(instruction.opname == "CALL" for instruction in dis.get_instructions(function))

    assert calls(Plain.__init__) == len(dataclasses.fields(Plain))
    assert calls(Quick.__init__) == 1
