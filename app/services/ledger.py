"""The stock ledger: the only place that changes on-hand.

Every change is a Move between two locations. On-hand rows of physical locations are the
running sum of the ledger; virtual locations (supplier, customer, inventory loss) hold
nothing. Decrements are conditional UPDATEs (``quantity >= n``), never read-then-write,
so two workstations cannot both take the last unit; a CHECK constraint backs it up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import (
    Select,
    and_,
    bindparam,
    delete,
    func,
    insert,
    literal,
    literal_column,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.core.actor import Actor
from app.core.errors import InsufficientStock, InvalidInput
from app.db.models import VIRTUAL_LOCATION_KINDS, Location, Move, OnHand, Product, ScanClaim, utcnow
from app.db.prepared import Prepared, connection, stamp


class StockKey(NamedTuple):  # a named tuple: made on every scan, in one step
    product_id: int
    location_id: int
    lot_id: int | None = None
    license_plate_id: int | None = None


def _key_filter(key: StockKey):
    return and_(
        OnHand.product_id == key.product_id,
        OnHand.location_id == key.location_id,
        OnHand.lot_id.is_(None) if key.lot_id is None else OnHand.lot_id == key.lot_id,
        OnHand.license_plate_id.is_(None)
        if key.license_plate_id is None
        else OnHand.license_plate_id == key.license_plate_id,
    )


def on_hand_quantity(session: Session, key: StockKey) -> int:
    return session.scalar(select(func.coalesce(func.sum(OnHand.quantity), 0)).where(_key_filter(key)))


# Statements built once (the scan path runs them thousands of times): one per shape of
# the stock key (lot / plate present or NULL), parameters bound at execution.
_ON_HAND = OnHand.__table__
_MOVES = Move.__table__


def _key_clause(has_lot: bool, has_plate: bool):
    c = _ON_HAND.c
    return and_(
        c.product_id == bindparam("k_product"),
        c.location_id == bindparam("k_location"),
        c.lot_id == bindparam("k_lot") if has_lot else c.lot_id.is_(None),
        c.license_plate_id == bindparam("k_plate") if has_plate else c.license_plate_id.is_(None),
    )


_SHAPES = [(lot, plate) for lot in (False, True) for plate in (False, True)]
_TAKE_FREE = {shape: Prepared(update(_ON_HAND).where(
    _key_clause(*shape), _ON_HAND.c.quantity - _ON_HAND.c.reserved >= bindparam("n"))
    .values(quantity=_ON_HAND.c.quantity - bindparam("n"))) for shape in _SHAPES}
_RESERVE = {shape: Prepared(update(_ON_HAND).where(
    _key_clause(*shape), _ON_HAND.c.quantity - _ON_HAND.c.reserved >= bindparam("n"))
    .values(reserved=_ON_HAND.c.reserved + bindparam("n"))) for shape in _SHAPES}
_TAKE_RESERVED = {shape: Prepared(update(_ON_HAND).where(_key_clause(*shape), _ON_HAND.c.reserved >= bindparam("n"))
                  .values(quantity=_ON_HAND.c.quantity - bindparam("n"),
                          reserved=_ON_HAND.c.reserved - bindparam("n"))) for shape in _SHAPES}


def _upsert(dialect):  # noqa: ANN001, ANN202
    """Add units to a stock key's row, creating it when missing, in one statement (the
    conflict target is the unique index that coalesces NULL lot / plate)."""
    statement = dialect.insert(_ON_HAND)
    c = _ON_HAND.c
    return statement.on_conflict_do_update(
        index_elements=[c.product_id, c.location_id, func.coalesce(c.lot_id, literal_column("0")),
                        func.coalesce(c.license_plate_id, literal_column("0"))],
        set_={"quantity": c.quantity + statement.excluded.quantity},
    )


_ADD_OR_CREATE = {"postgresql": _upsert(postgresql), "sqlite": _upsert(sqlite)}
_ADD_OR_CREATE_FAST = {name: Prepared(statement) for name, statement in _ADD_OR_CREATE.items()}
_INSERT_MOVE = Prepared(insert(_MOVES).returning(_MOVES.c.id))


def _shape(key: StockKey) -> tuple[bool, bool]:
    return key.lot_id is not None, key.license_plate_id is not None


def _key_params(key: StockKey, quantity: int) -> dict:
    return {"k_product": key.product_id, "k_location": key.location_id, "k_lot": key.lot_id,
            "k_plate": key.license_plate_id, "n": quantity}


def _increase(session: Session, key: StockKey, quantity: int) -> None:
    conn = connection(session)
    # Insert the row or add to it, in SQL (a concurrent creator waits, then adds).
    _ADD_OR_CREATE_FAST[conn.dialect.name].execute(conn, {
        "product_id": key.product_id, "location_id": key.location_id, "lot_id": key.lot_id,
        "license_plate_id": key.license_plate_id, "quantity": quantity, "reserved": 0})


def _decrease(
    session: Session, key: StockKey, quantity: int, location: Location, *, reserved: bool
) -> None:
    # Reserved units (taken for this document): both numbers go down; anybody else may
    # only take what is not promised.
    statement = (_TAKE_RESERVED if reserved else _TAKE_FREE)[_shape(key)]
    if statement.rowcount(connection(session), _key_params(key, quantity)) != 1:
        raise _shortage(session, key, quantity, location, reserved=reserved)


def _shortage(
    session: Session, key: StockKey, quantity: int, location: Location, *, reserved: bool
) -> InsufficientStock:
    row = session.execute(
        select(OnHand.quantity, OnHand.reserved).where(_key_filter(key))
    ).first()
    on_hand, promised = row if row else (0, 0)
    sku = session.scalar(select(Product.sku).where(Product.id == key.product_id))
    return InsufficientStock(
        available=promised if reserved else on_hand - promised,
        sku=sku,
        location=location.code,
        requested=quantity,
    )


def available_quantity(session: Session, key: StockKey) -> int:
    """On-hand less what is reserved for orders."""
    row = session.execute(
        select(OnHand.quantity - OnHand.reserved).where(_key_filter(key))
    ).first()
    return row[0] if row else 0


def reserve(session: Session, key: StockKey, quantity: int, location: Location) -> None:
    """Promise units to a document; fails (InsufficientStock) unless they are free now."""
    if _RESERVE[_shape(key)].rowcount(connection(session), _key_params(key, quantity)) != 1:
        raise _shortage(session, key, quantity, location, reserved=False)


def reserve_rows(session: Session, units: dict[int, int]) -> None:
    """Promise units of many on-hand rows (by id) at once; all or nothing: raises
    InsufficientStock when any row no longer has them free (the caller rolls back)."""
    if not units:
        return
    result = connection(session).execute(
        update(OnHand)
        .where(OnHand.id == bindparam("row_id"), OnHand.quantity - OnHand.reserved >= bindparam("units"))
        .values(reserved=OnHand.reserved + bindparam("units")),
        [{"row_id": row_id, "units": n} for row_id, n in units.items()],
    )
    if result.rowcount != len(units):
        raise InsufficientStock(sku="several", location="several", requested=sum(units.values()), available=0)


def release(session: Session, key: StockKey, quantity: int) -> None:
    """Give back a promise (cancelled order, short pick)."""
    session.execute(
        update(OnHand)
        .where(_key_filter(key), OnHand.reserved >= quantity)
        .values(reserved=OnHand.reserved - quantity)
        .execution_options(synchronize_session=False)
    )


_CLAIM = {
    # RETURNING tells a new claim (one row) from a taken key (none) on every driver.
    dialect.__name__.rsplit(".", 1)[-1]: Prepared(dialect.insert(ScanClaim.__table__).on_conflict_do_nothing()
                                                  .returning(ScanClaim.__table__.c.idempotency_key))
    for dialect in (postgresql, sqlite)
}


def claim(session: Session, idempotency_key: str) -> bool:
    """Claim a confirmed scan's key before anything is read or changed; False: the key is
    taken (the scan was applied before, or is being applied by a concurrent duplicate,
    which this waits for on PostgreSQL), so the caller reports the first outcome and
    changes nothing. The claim rolls back with the transaction of a refused scan."""
    conn = connection(session)
    return bool(_CLAIM[conn.dialect.name].execute(conn, {"idempotency_key": idempotency_key, "created_at": stamp(conn)}))


def unclaim(session: Session, idempotency_key: str) -> None:
    """Give a key back (a refusal that still commits its journal row)."""
    session.execute(delete(ScanClaim).where(ScanClaim.idempotency_key == idempotency_key))


def find_move(session: Session, idempotency_key: str) -> Move | None:
    return session.scalar(select(Move).where(Move.idempotency_key == idempotency_key))


class PostedMove(NamedTuple):  # a named tuple: made on every scan, in one step
    id: int
    product_id: int
    quantity: int
    lot_id: int | None
    reason: str


def post_move(
    session: Session,
    *,
    actor: Actor,
    product_id: int,
    quantity: int,
    source: Location,
    destination: Location,
    reason: str,
    idempotency_key: str,
    lot_id: int | None = None,
    from_license_plate_id: int | None = None,
    to_license_plate_id: int | None = None,
    document_type: str | None = None,
    document_id: int | None = None,
    scan_id: int | None = None,
    from_reserved: bool = False,
    claimed: bool = False,
    at: dt.datetime | None = None,
) -> PostedMove | Move:
    """Record one move and apply it to on-hand. Replaying the same key changes nothing
    (returns the first move). ``source`` / ``destination``: anything with id, code, kind.

    ``from_reserved``: the units were reserved for this document (a pick); otherwise only
    unreserved units may leave the source. ``claimed``: the caller claimed this very key
    (``claim``) in this transaction, so it cannot have been recorded before. ``at``: when it
    happened, for the demo's history only (default: now)."""
    if quantity <= 0:
        raise InvalidInput(field="quantity", reason=f"must be positive, got {quantity}")
    if not claimed:
        existing = find_move(session, idempotency_key)
        if existing is not None:
            return existing
    session.flush()  # ORM rows the caller created (a lot, a plate) exist before we point at them
    if source.kind not in VIRTUAL_LOCATION_KINDS:
        _decrease(
            session,
            StockKey(product_id, source.id, lot_id, from_license_plate_id),
            quantity,
            source,
            reserved=from_reserved,
        )
    if destination.kind not in VIRTUAL_LOCATION_KINDS:
        _increase(session, StockKey(product_id, destination.id, lot_id, to_license_plate_id), quantity)
    conn = connection(session)
    move_id = _INSERT_MOVE.scalar(conn, {
        "product_id": product_id, "lot_id": lot_id, "quantity": quantity,
        "from_location_id": source.id, "to_location_id": destination.id,
        "from_license_plate_id": from_license_plate_id, "to_license_plate_id": to_license_plate_id,
        "created_at": at or stamp(conn), "user_id": actor.user_id, "workstation": actor.workstation,
        "reason": reason, "document_type": document_type, "document_id": document_id,
        "scan_id": scan_id, "idempotency_key": idempotency_key,
    })
    return PostedMove(move_id, product_id, quantity, lot_id, reason)


@dataclass(frozen=True)
class BulkMove:
    """One move of ``post_moves``: between a virtual location and a physical one (``source`` /
    ``destination``: anything with id and kind)."""

    product_id: int
    quantity: int
    source: Location
    destination: Location
    reason: str
    idempotency_key: str
    lot_id: int | None = None
    license_plate_id: int | None = None  # on the physical side


_TAKE_ROWS = (update(_ON_HAND).where(
    _ON_HAND.c.product_id == bindparam("k_product"), _ON_HAND.c.location_id == bindparam("k_location"),
    func.coalesce(_ON_HAND.c.lot_id, 0) == bindparam("k_lot"),
    func.coalesce(_ON_HAND.c.license_plate_id, 0) == bindparam("k_plate"))
    .values(quantity=_ON_HAND.c.quantity - bindparam("n")))


def post_moves(session: Session, moves: list[BulkMove], *, actor: Actor, document_type: str | None = None,
               document_id: int | None = None) -> int:
    """Record many moves (each between a virtual and a physical location, one stock key each)
    and apply them to on-hand in three statements, however many there are: for bulk loads
    (opening stock) that checked availability first. A removal larger than the free stock
    fails on the on-hand CHECK constraints and the whole transaction rolls back."""
    if not moves:
        return 0
    for move in moves:
        if move.quantity <= 0:
            raise InvalidInput(field="quantity", reason=f"must be positive, got {move.quantity}")
        if (move.source.kind in VIRTUAL_LOCATION_KINDS) == (move.destination.kind in VIRTUAL_LOCATION_KINDS):
            raise InvalidInput(field="location", reason="a bulk move joins a virtual and a physical location")
    session.flush()
    conn = connection(session)
    incoming = [move for move in moves if move.source.kind in VIRTUAL_LOCATION_KINDS]
    outgoing = [move for move in moves if move.source.kind not in VIRTUAL_LOCATION_KINDS]
    if incoming:
        conn.execute(_ADD_OR_CREATE[conn.dialect.name], [
            {"product_id": move.product_id, "location_id": move.destination.id, "lot_id": move.lot_id,
             "license_plate_id": move.license_plate_id, "quantity": move.quantity, "reserved": 0}
            for move in incoming])
    if outgoing:
        taken = conn.execute(_TAKE_ROWS, [
            {"k_product": move.product_id, "k_location": move.source.id, "k_lot": move.lot_id or 0,
             "k_plate": move.license_plate_id or 0, "n": move.quantity} for move in outgoing])
        if conn.dialect.supports_sane_multi_rowcount and taken.rowcount != len(outgoing):
            raise InsufficientStock(sku="several", location="several",
                                    requested=sum(move.quantity for move in outgoing), available=0)
    now = utcnow()
    conn.execute(insert(_MOVES), [{
        "product_id": move.product_id, "lot_id": move.lot_id, "quantity": move.quantity,
        "from_location_id": move.source.id, "to_location_id": move.destination.id,
        "from_license_plate_id": None if move.source.kind in VIRTUAL_LOCATION_KINDS else move.license_plate_id,
        "to_license_plate_id": move.license_plate_id if move.source.kind in VIRTUAL_LOCATION_KINDS else None,
        "created_at": now, "user_id": actor.user_id, "workstation": actor.workstation,
        "reason": move.reason, "document_type": document_type, "document_id": document_id,
        "scan_id": None, "idempotency_key": move.idempotency_key,
    } for move in moves])
    return len(moves)


@dataclass(frozen=True)
class LedgerDiscrepancy:
    product_id: int
    location_id: int
    lot_id: int | None
    license_plate_id: int | None
    on_hand: int
    ledger: int


def check_ledger(session: Session) -> list[LedgerDiscrepancy]:
    """Every stock key whose on-hand differs from the ledger's sum, or is negative."""
    physical = select(Location.id).where(Location.kind.not_in(VIRTUAL_LOCATION_KINDS))
    incoming = select(
        Move.product_id.label("p"),
        Move.to_location_id.label("l"),
        Move.lot_id.label("lot"),
        Move.to_license_plate_id.label("lp"),
        Move.quantity.label("q"),
    ).where(Move.to_location_id.in_(physical))
    outgoing = select(
        Move.product_id,
        Move.from_location_id,
        Move.lot_id,
        Move.from_license_plate_id,
        -Move.quantity,
    ).where(Move.from_location_id.in_(physical))
    current = select(
        OnHand.product_id, OnHand.location_id, OnHand.lot_id, OnHand.license_plate_id, literal(0)
    )
    flows = union_all(incoming, outgoing, current).subquery()
    ledger_sum = func.sum(flows.c.q)
    ledger = (
        select(flows.c.p, flows.c.l, flows.c.lot, flows.c.lp, ledger_sum.label("ledger"))
        .group_by(flows.c.p, flows.c.l, flows.c.lot, flows.c.lp)
        .subquery()
    )
    stored = (
        select(
            OnHand.product_id,
            OnHand.location_id,
            OnHand.lot_id,
            OnHand.license_plate_id,
            func.sum(OnHand.quantity).label("qty"),
        )
        .group_by(OnHand.product_id, OnHand.location_id, OnHand.lot_id, OnHand.license_plate_id)
        .subquery()
    )
    same_key = and_(
        stored.c.product_id == ledger.c.p,
        stored.c.location_id == ledger.c.l,
        func.coalesce(stored.c.lot_id, 0) == func.coalesce(ledger.c.lot, 0),
        func.coalesce(stored.c.license_plate_id, 0) == func.coalesce(ledger.c.lp, 0),
    )
    stored_qty = func.coalesce(stored.c.qty, 0)
    rows = session.execute(
        select(ledger.c.p, ledger.c.l, ledger.c.lot, ledger.c.lp, stored_qty, ledger.c.ledger)
        .select_from(ledger.outerjoin(stored, same_key))
        .where((stored_qty != ledger.c.ledger) | (ledger.c.ledger < 0) | (stored_qty < 0))
    ).all()
    return [LedgerDiscrepancy(*row) for row in rows]


def moves_for(
    session: Session,
    *,
    product_id: int | None = None,
    location_id: int | None = None,
    since: dt.datetime | None = None,
    limit: int = 500,
) -> list[Move]:
    """Move history of a product and/or a location, newest first.

    For a location, one "from = x OR to = x" query makes SQLite walk the whole ledger
    backwards; two index reads (moves out, moves in), merged, stay fast at millions of moves.
    """

    def newest(*conditions) -> Select:  # noqa: ANN002
        query = select(Move.id).where(*conditions).order_by(Move.id.desc()).limit(limit)
        if product_id is not None:
            query = query.where(Move.product_id == product_id)
        if since is not None:
            query = query.where(Move.created_at >= since)
        return query

    if location_id is None:
        ids = list(session.scalars(newest()))
    else:
        found: set[int] = set()
        for column in (Move.from_location_id, Move.to_location_id):
            found.update(session.scalars(newest(column == location_id)))
        ids = sorted(found, reverse=True)[:limit]
    if not ids:
        return []
    return list(session.scalars(select(Move).where(Move.id.in_(ids)).order_by(Move.id.desc())))
