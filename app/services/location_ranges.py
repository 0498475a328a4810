"""Location codes for labels: a range of codes in natural order, or codes by name, read as
plain (code, barcode) rows.

Deliberately free of the ORM models and of SQLAlchemy's statement building: each read is one
SQL text, run on a Session or a Connection, or on the driver's own connection
(app/db/direct.DirectConnection). `stockfloor print labels locations ... -o FILE` reads its
labels that way without loading SQLAlchemy at all (the ORM, the models and the print-job
machinery were ~0.3 s of loading and mapping, SQLAlchemy itself ~0.15 s more); the print
service (app/services/printing/labels.py) builds its location labels with the same functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from app.core.locations import VIRTUAL_LOCATION_KINDS
from app.db.direct import DirectConnection

MAX_LABELS = 5000  # one job; more is a wrong selection (every unit of a container, say)
_NUMBERS = re.compile(r"(\d+)")
# The physical locations (app.db.models.Location: not a virtual kind), as SQL with named
# placeholders, the kinds among the parameters.
_VIRTUAL = {f"virtual_{n}": kind for n, kind in enumerate(VIRTUAL_LOCATION_KINDS)}
_PHYSICAL = ("SELECT code, barcode FROM locations WHERE kind NOT IN ("
             + ", ".join(f":{name}" for name in _VIRTUAL) + ")")
_INITIAL = "upper(substr(code, 1, 1))"


class LocationCode(NamedTuple):
    code: str
    barcode: str


def _rows(db: Any, sql: str, params: Mapping[str, Any]) -> Iterable[tuple]:
    """``sql``'s rows on a DirectConnection, else on a SQLAlchemy Session or Connection."""
    if isinstance(db, DirectConnection):
        return db.rows(sql, params)
    from sqlalchemy import text

    return db.execute(text(sql), params)


def natural_key(code: str) -> tuple:
    """'A-2-10' sorts before 'A-10-1': numbers compare as numbers."""
    return tuple([(0, int(part)) if part.isdigit() else (1, part.upper())
                  for part in _NUMBERS.split(code) if part])


def locations_between(db: Any, first: str, last: str) -> list[LocationCode]:
    """(code, barcode) of the physical locations from ``first`` to ``last`` in natural order;
    codes starting with ``last`` count as inside (A-01 .. A-20 takes A-20-04-1 too). ``db``: a
    Session, a Connection or a DirectConnection. SQL narrows by the codes' first character
    (natural order agrees with it for letters), so only the candidates come back as tuples;
    Python applies the exact natural comparison, each code's key computed once."""
    low, high = sorted((first, last), key=natural_key)
    low_key, high_key = natural_key(low), natural_key(high)
    sql, params = _PHYSICAL, dict(_VIRTUAL)
    if all(code[:1].isascii() and code[:1].isalpha() for code in (low, high)):
        sql += f" AND {_INITIAL} >= :low_initial AND {_INITIAL} <= :high_initial"
        params.update(low_initial=low[0].upper(), high_initial=high[0].upper())
    prefix = high.upper()
    inside = []
    for code, barcode in _rows(db, sql, params):
        key = natural_key(code)
        if low_key <= key and (key <= high_key or code.upper().startswith(prefix)):
            inside.append((key, LocationCode(code, barcode)))
    inside.sort(key=lambda pair: pair[0])
    return [location for _, location in inside]


def locations_named(db: Any, codes: Iterable[str]) -> dict[str, LocationCode]:
    """The locations (any kind) whose code is one of ``codes``, by code; missing ones absent."""
    params = {f"code_{n}": code for n, code in enumerate(dict.fromkeys(codes))}
    if not params:
        return {}
    sql = "SELECT code, barcode FROM locations WHERE code IN (" + ", ".join(f":{name}" for name in params) + ")"
    return {code: LocationCode(code, barcode) for code, barcode in _rows(db, sql, params)}
