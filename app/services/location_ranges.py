"""Location codes for labels: a range of codes in natural order, or codes by name, read as
plain (code, barcode) rows with SQLAlchemy Core on a session or a connection.

Deliberately free of the ORM models: `stockfloor print labels locations ... -o FILE` reads
its labels with it straight after opening the database, without loading the ORM, the models
and the print-job machinery (~0.3 s of loading and mapping); the print service
(app/services/printing/labels.py) builds its location labels with the same functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, NamedTuple

from sqlalchemy import column, func, select, table

from app.core.locations import VIRTUAL_LOCATION_KINDS

MAX_LABELS = 5000  # one job; more is a wrong selection (every unit of a container, say)
# The columns of app.db.models.Location these reads need.
_LOCATIONS = table("locations", column("code"), column("barcode"), column("kind"))
_NUMBERS = re.compile(r"(\d+)")


class LocationCode(NamedTuple):
    code: str
    barcode: str


def natural_key(code: str) -> tuple:
    """'A-2-10' sorts before 'A-10-1': numbers compare as numbers."""
    return tuple([(0, int(part)) if part.isdigit() else (1, part.upper())
                  for part in _NUMBERS.split(code) if part])


def locations_between(db: Any, first: str, last: str) -> list[LocationCode]:
    """(code, barcode) of the physical locations from ``first`` to ``last`` in natural order;
    codes starting with ``last`` count as inside (A-01 .. A-20 takes A-20-04-1 too). ``db``: a
    Session or a Connection. SQL narrows by the codes' first character (natural order agrees
    with it for letters), so only the candidates come back as tuples; Python applies the exact
    natural comparison, each code's key computed once."""
    low, high = sorted((first, last), key=natural_key)
    low_key, high_key = natural_key(low), natural_key(high)
    code_column = _LOCATIONS.c.code
    query = select(code_column, _LOCATIONS.c.barcode).where(_LOCATIONS.c.kind.not_in(VIRTUAL_LOCATION_KINDS))
    if all(code[:1].isascii() and code[:1].isalpha() for code in (low, high)):
        initial = func.upper(func.substr(code_column, 1, 1))
        query = query.where(initial >= low[0].upper(), initial <= high[0].upper())
    prefix = high.upper()
    inside = []
    for code, barcode in db.execute(query):
        key = natural_key(code)
        if low_key <= key and (key <= high_key or code.upper().startswith(prefix)):
            inside.append((key, LocationCode(code, barcode)))
    inside.sort(key=lambda pair: pair[0])
    return [location for _, location in inside]


def locations_named(db: Any, codes: Iterable[str]) -> dict[str, LocationCode]:
    """The locations (any kind) whose code is one of ``codes``, by code; missing ones absent."""
    query = select(_LOCATIONS.c.code, _LOCATIONS.c.barcode).where(_LOCATIONS.c.code.in_(list(codes)))
    return {code: LocationCode(code, barcode) for code, barcode in db.execute(query)}
