"""The nearest open bins for a put-away suggestion, chosen in SQL (``nearest_open_bins``).

``candidate_bins`` (app/services/putaway/data.py) asks for the nearest empty bins that fit and
the nearest others among the ``NEAREST`` first unblocked storage bins in walking order. They
are read through growing squares around the start on the (kind, x, y) index, exactly as if
every bin had been ordered by walking distance.
"""

from __future__ import annotations

import functools

from sqlalchemy import Float, Integer, and_, bindparam, case, exists, func, literal, null, or_, select, union_all
from sqlalchemy.orm import Session

from app.core.putaway_rules import STORAGE_KINDS
from app.db.models import Location, OnHand
from app.db.models_putaway import LocationCapacity
from app.db.prepared import Prepared, connection

_LOC, _OH, _CAPACITY = Location.__table__, OnHand.__table__, LocationCapacity.__table__

# How many of the nearest bins a suggestion looks at for empty ones.
NEAREST = 256
# Half-widths (in the layout's x/y units, metres) of the squares around the start that are
# searched for the nearest bins before the whole warehouse is: an index on (kind, x, y) answers
# each from the bins inside (about 1 ms at 50k bins), where ordering every bin by distance
# reads them all (70-90 ms). Doubling: the tries before the one that succeeds cost less than it.
WINDOWS = (2.0, 4.0, 8.0, 16.0, 32.0, 64.0)


def nearest_open_bins(
    session: Session, zones: frozenset[str] | None, origin: tuple[float, float], preferred: str | None,
    room: tuple[float, float, float] = (0.0, 0.0, 0.0), empty: int = NEAREST, occupied: int = NEAREST,
) -> list[tuple[int, bool]]:
    """Of the ``NEAREST`` first unblocked storage bins (in ``zones``) in walking order
    (preferred zone first, nearest by walking distance, bins without coordinates last), the
    first ``empty`` empty ones with room for ``room`` (units, weight, volume) and the first
    ``occupied`` ones that hold stock, in that order. Each row: (id, holds stock). SQL chooses
    them: the few chosen rows come back, not ``NEAREST``.

    Exactly as if every bin were ordered, read through squares: when the bins within walking
    distance R (all inside the square of half-width R) are ``NEAREST`` or more, no bin outside
    can come before them. Otherwise the next, larger square; the last try orders the whole
    group. At most ``len(WINDOWS) + 1`` statements per zone group."""
    chosen: list[tuple[int, bool]] = []
    taken = 0  # of the NEAREST: the bins the groups so far held
    for group in ("preferred", "others") if preferred else (None,):
        # Start at the square that was big enough last time (the same dock, mostly): any
        # square that holds enough gives the same answer, a smaller one is only cheaper.
        key = (group, zones)
        for half in (*(w for w in WINDOWS if w >= _LAST_HALF.get(key, 0.0)), None):
            wanted = NEAREST - taken
            *rows, (_, _, _, found, farthest, _, _) = _open_bins_near(
                session, zones, group, preferred, origin, half, wanted, room, empty, occupied)
            if found == wanted or half is None:
                taken += found
                chosen += [(row[0], bool(row[1])) for row in rows]
                if half is not None and found:
                    _LAST_HALF[key] = max(WINDOWS[0], farthest or 0.0)
                break
        if taken >= NEAREST:
            break
    # Each group chose its first ones; the groups in order, the first of them all.
    empties = [row for row in chosen if not row[1]][:empty]
    holding = [row for row in chosen if row[1]][:occupied]
    return [row for row in chosen if row in empties or row in holding]


# (zone group, zones) -> walking distance of the last bin found the last time.
_LAST_HALF: dict[tuple, float] = {}


def _open_bins_near(
    session: Session, zones: frozenset[str] | None, group: str | None, preferred: str | None,
    origin: tuple[float, float], half: float | None, limit: int, room: tuple[float, float, float],
    empty: int, occupied: int,
) -> list[tuple]:
    """Of up to ``limit`` open bins of the group in walking order, within walking distance
    ``half`` of the origin (``None``: anywhere, bins without coordinates last), the chosen
    ones (``nearest_open_bins``) in walking order, each (id, holds stock, ...); then one row
    (..., how many bins the ``limit`` first are, the farthest one's walking distance, ...)."""
    statement = near_statement(zones is not None, group, half is not None)
    return statement.execute(connection(session), {
        "ox": origin[0], "oy": origin[1], "half": half, "limit": limit, "preferred": preferred,
        "zones": sorted(zones or ()), "units": room[0], "weight": room[1], "volume": room[2],
        "tolerance": 1e-9, "empty": empty, "occupied": occupied})


@functools.cache
def near_statement(zoned: bool, group: str | None, windowed: bool) -> Prepared:
    """The statement behind ``_open_bins_near``, built once per shape."""
    ox, oy = bindparam("ox", type_=Float), bindparam("oy", type_=Float)
    x, y = _LOC.c.x, _LOC.c.y
    distance = func.abs(x - ox) + func.abs(y - oy)
    query = select(_LOC.c.id, _LOC.c.code, distance.label("distance")).where(
        _LOC.c.kind.in_(STORAGE_KINDS), _LOC.c.blocked.is_(False))
    if zoned:
        query = query.where(_LOC.c.zone.in_(bindparam("zones", expanding=True)))
    if group == "preferred":
        query = query.where(_LOC.c.zone == bindparam("preferred"))
    elif group == "others":
        query = query.where(or_(_LOC.c.zone.is_(None), _LOC.c.zone != bindparam("preferred")))
    if windowed:
        half = bindparam("half", type_=Float)
        query = query.add_columns(literal(0).label("no_place")).where(
            x.between(ox - half, ox + half), y.between(oy - half, oy + half), distance <= half,
        ).order_by(distance, _LOC.c.code)
    else:
        no_place = case((x.is_(None) | y.is_(None), 1), else_=0)
        query = query.add_columns(no_place.label("no_place")).order_by(no_place, distance, _LOC.c.code)
    near = query.limit(bindparam("limit", type_=Integer)).subquery()
    # Room as the core's check_bin counts it: within each limit, up to a rounding error.
    tolerance = bindparam("tolerance", type_=Float)
    fits = and_(*(limit.is_(None) | (bindparam(amount, type_=Float) <= limit + tolerance) for amount, limit in (
        ("units", _CAPACITY.c.max_units), ("weight", _CAPACITY.c.max_weight_kg),
        ("volume", _CAPACITY.c.max_volume_l))))
    holding = exists().where(_OH.c.location_id == near.c.id, _OH.c.quantity > 0)
    marked = (select(near.c.id, near.c.code, near.c.distance, near.c.no_place, holding.label("holding"),
                     fits.label("fits"))
              .select_from(near.outerjoin(_CAPACITY, _CAPACITY.c.location_id == near.c.id)).cte("marked"))
    order = (marked.c.no_place, marked.c.distance, marked.c.code)

    def first(where, limit: str):  # noqa: ANN001, ANN202 - the first rows of a kind, in walking order
        return select(*(c for c in (marked.c.id, marked.c.holding, marked.c.no_place, marked.c.distance,
                                    marked.c.code))).where(where).order_by(*order).limit(
            bindparam(limit, type_=Integer)).subquery()

    chosen = [first(marked.c.holding, "occupied"), first(~marked.c.holding & marked.c.fits, "empty")]
    # One more row, after them: how many bins the first ``limit`` are and the farthest one's distance.
    total = select(null(), null(), literal(1, Integer), func.count(), func.max(marked.c.distance), literal(2, Integer),
                   null()).select_from(marked)
    rows = union_all(*(select(part.c.id, part.c.holding, literal(0, Integer), literal(None, Integer), part.c.distance,
                              part.c.no_place, part.c.code) for part in chosen), total).subquery()
    return Prepared(select(*rows.c).order_by(*(rows.c[n] for n in (5, 4, 6))))
