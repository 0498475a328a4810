"""Frozen dataclasses the scan path makes on every scan, made in one step.

A frozen dataclass's generated ``__init__`` sets each field by a call of its own
(``object.__setattr__``, since the class refuses assignment): measured, a ten-field result
took 1.9 µs to make, three times a plain dataclass's, and a receive scan makes two or three
such values. ``@made_in_one_step`` (applied over ``@dataclass(frozen=True)``) gives the class
an ``__init__`` with the same signature that hands the instance all its fields as one dict.
Everything else is the dataclass's own: equality, hash, ``repr``, ``dataclasses.replace``,
and assignment still raises ``FrozenInstanceError``.

Only for what it can make alike: a frozen dataclass whose fields are all ``init`` fields with
no default factory, none keyword-only, and no ``__post_init__``; anything else is refused
when the class is defined.
"""

from __future__ import annotations

import dataclasses
from typing import TypeVar

T = TypeVar("T")


def made_in_one_step(cls: type[T]) -> type[T]:
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen:
        raise TypeError(f"{cls.__name__}: @made_in_one_step goes over @dataclass(frozen=True)")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: a __post_init__ would not run")
    names, signature, defaults = [], [], {}
    for field in dataclasses.fields(cls):
        if not field.init or field.kw_only or field.default_factory is not dataclasses.MISSING:
            raise TypeError(f"{cls.__name__}.{field.name}: only plain init fields can be made in one step")
        names.append(field.name)
        if field.default is dataclasses.MISSING:
            signature.append(field.name)
        else:
            defaults[field.name] = field.default
            signature.append(f"{field.name}=_defaults[{field.name!r}]")
    source = (f"def __init__(self, {', '.join(signature)}):\n"
              f"    _set(self, '__dict__', {{{', '.join(f'{name!r}: {name}' for name in names)}}})\n")
    namespace = {"_set": object.__setattr__, "_defaults": defaults}
    exec(source, namespace)  # noqa: S102 - built from the class's own field names, as dataclasses does
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = cls.__init__.__doc__
    init.__annotations__ = dict(cls.__init__.__annotations__)  # the signature reads the same
    cls.__init__ = init
    return cls
