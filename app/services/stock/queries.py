"""Read-only questions of the supervisor's stock view: what is where, and how it got there.

Built to stay fast on 100k products and millions of moves: a search first finds a bounded
set of candidate products, locations and lots through indexes (prefix ranges on SKU, barcode,
location code; a trigram index for "name contains": FTS5 on SQLite, pg_trgm on PostgreSQL),
then reads only their on-hand rows; the unfiltered list walks on-hand in the order of its
(product, location) index. Pages are small and keyset-paged (the next page starts after the
last row's sort key, never OFFSET): a next page is one statement. Nothing is counted or
loaded whole.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, column, func, or_, select, table, tuple_
from sqlalchemy.orm import Session

from app.db.models import (
    LicensePlate,
    Location,
    Lot,
    Move,
    OnHand,
    Product,
    ProductBarcode,
    PurchaseOrder,
    User,
)
from app.services.ledger import moves_for

PAGE_SIZE = 200
CANDIDATE_LIMIT = 500  # per kind (products, locations, lots) matched by one search
MATCH_LIMIT = 5000  # on-hand rows per kind; beyond that the result says "refine the search"


@dataclass(frozen=True)
class StockRow:
    product_id: int
    sku: str
    name: str
    location_id: int
    location: str
    lot: str | None
    expiry: dt.date | None
    license_plate: str | None
    quantity: int


@dataclass(frozen=True)
class PageKey:
    """Where the next page starts: after ``last`` (the sort key of the last row shown), among
    the on-hand ids the search matched (None: the unfiltered list)."""

    ids: tuple[int, ...] | None
    last: tuple


@dataclass(frozen=True)
class StockPage:
    rows: tuple[StockRow, ...]
    more: bool  # another page follows
    truncated: bool = False  # the search matched more candidates than are shown: refine it
    next: PageKey | None = None  # pass as ``after`` for the next page


@dataclass(frozen=True)
class MoveRow:
    move_id: int
    at: dt.datetime
    sku: str
    name: str
    quantity: int
    source: str
    destination: str
    lot: str | None
    reason: str
    user: str
    workstation: str
    document: str


def _prefix(column, term: str):  # noqa: ANN001, ANN202 - SQLAlchemy column expression
    """Index-friendly prefix match: the range [term, term with its last character + 1) walks
    the column's index; LIKE then keeps exactly the rows that start with the term (a
    linguistic collation may put a few others inside the range)."""
    clauses = []
    for variant in {term, term.upper()}:
        end = variant[:-1] + chr(ord(variant[-1]) + 1)
        clauses.append(and_(column >= variant, column < end,
                            column.like(_like_escape(variant) + "%", escape="\\")))
    return or_(*clauses)


def _like_escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_PRODUCT_SEARCH = table("product_search", column("rowid"), column("name"))  # SQLite FTS5, trigram


def _name_contains(session: Session, term: str):  # noqa: ANN202 - a select of product ids
    """Products whose name contains ``term`` in any case, through the trigram index."""
    pattern = f"%{_like_escape(term)}%"
    if session.get_bind().dialect.name == "postgresql":  # pg_trgm's GIN index serves ILIKE
        return select(Product.id).where(Product.name.ilike(pattern, escape="\\"))
    if len(term) >= 3 and pattern == f"%{term}%":  # FTS5 uses its index only without ESCAPE
        return select(_PRODUCT_SEARCH.c.rowid).where(_PRODUCT_SEARCH.c.name.like(pattern))
    # Shorter than a trigram, or LIKE's wildcards as text: a scan that stops at the limit
    # (SQLite's LIKE ignores ASCII case by itself).
    return select(Product.id).where(Product.name.like(pattern, escape="\\"))


def _candidates(session: Session, term: str) -> tuple[list[int], list[int], list[Lot], bool]:
    """Products, locations and lots the search term can mean (each list bounded)."""
    limit = CANDIDATE_LIMIT
    products = set(session.scalars(select(Product.id).where(_prefix(Product.sku, term)).limit(limit)))
    exact = set(session.scalars(
        select(ProductBarcode.product_id).where(ProductBarcode.code == term).limit(limit)
    ))
    exact.update(session.scalars(select(Product.id).where(Product.sku == term)))
    products.update(exact)
    if len(products) < limit and not exact:  # a scanned or typed SKU/GTIN needs no name scan
        products.update(session.scalars(_name_contains(session, term).limit(limit - len(products))))
    locations = list(session.scalars(select(Location.id).where(_prefix(Location.code, term)).limit(limit)))
    lots = list(session.execute(
        select(Lot.id, Lot.product_id).where(_prefix(Lot.code, term)).limit(limit)
    ).all())
    truncated = len(products) >= limit or len(locations) >= limit or len(lots) >= limit
    return sorted(products), locations, lots, truncated


def _matching_stock_ids(session: Session, term: str) -> tuple[list[int], bool]:
    """Ids of on-hand rows the term matches, each kind read through its own index."""
    products, locations, lots, truncated = _candidates(session, term)
    in_stock = OnHand.quantity > 0
    queries = []
    if products:  # the (product, location, ...) unique index
        queries.append(select(OnHand.id).where(OnHand.product_id.in_(products), in_stock))
    if locations:  # ix_on_hand_location_id
        queries.append(select(OnHand.id).where(OnHand.location_id.in_(locations), in_stock))
    if lots:  # on_hand has no lot index: reach the lot's rows through its product
        queries.append(select(OnHand.id).where(
            OnHand.product_id.in_({product_id for _, product_id in lots}),
            OnHand.lot_id.in_([lot_id for lot_id, _ in lots]), in_stock,
        ))
    ids: set[int] = set()
    for query in queries:
        found = list(session.scalars(query.limit(MATCH_LIMIT)))
        truncated = truncated or len(found) >= MATCH_LIMIT
        ids.update(found)
    return sorted(ids), truncated


def search_on_hand(session: Session, text: str = "", *, after: PageKey | None = None,
                   limit: int = PAGE_SIZE) -> StockPage:
    """On-hand rows (quantity > 0) whose SKU, barcode, name, location code or lot matches.

    ``after`` (the previous page's ``next``) continues that search in one statement."""
    query = (
        select(OnHand.product_id, Product.sku, Product.name, OnHand.location_id, Location.code,
               Lot.code, Lot.expiry, LicensePlate.code, OnHand.quantity)
        .join(Product, Product.id == OnHand.product_id)
        .join(Location, Location.id == OnHand.location_id)
        .outerjoin(Lot, Lot.id == OnHand.lot_id)
        .outerjoin(LicensePlate, LicensePlate.id == OnHand.license_plate_id)
    )
    term = text.strip()
    truncated = False
    ids: tuple[int, ...] | None = after.ids if after else None
    if after is None and term:
        found, truncated = _matching_stock_ids(session, term)
        if not found:
            return StockPage((), False, truncated)
        ids = tuple(found)
    if ids is not None:
        # A bounded set of primary keys: reading and sorting them is cheap.
        key = (Product.sku, Location.code, func.coalesce(Lot.code, ""), OnHand.id)
        query = query.where(OnHand.id.in_(ids))
    else:
        # Everything: follow the (product, location, ...) unique index instead of sorting millions.
        key = (OnHand.product_id, OnHand.location_id, OnHand.id)
        query = query.where(OnHand.quantity > 0)
    if after is not None:
        query = query.where(tuple_(*key) > tuple_(*after.last))
    rows = session.execute(query.add_columns(*key).order_by(*key).limit(limit + 1)).all()
    shown = rows[:limit]
    more = len(rows) > limit
    following = PageKey(ids, tuple(shown[-1][-len(key):])) if more else None
    return StockPage(tuple(StockRow(*row[:-len(key)]) for row in shown), more, truncated, following)


def _document_label(move: Move, orders: dict[int, str]) -> str:
    if not move.document_type:
        return ""
    if move.document_type == "purchase_order" and move.document_id in orders:
        return orders[move.document_id]  # the number people know the order by
    return f"{move.document_type.replace('_', ' ')} {move.document_id}"


def move_history(session: Session, *, product_id: int | None = None,
                 location_id: int | None = None, limit: int = PAGE_SIZE) -> list[MoveRow]:
    """The newest moves of a product or a location, with codes and names instead of ids."""
    if product_id is None and location_id is None:
        return []
    moves = moves_for(session, product_id=product_id, location_id=location_id, limit=limit)
    if not moves:
        return []
    products = {row.id: row for row in session.execute(
        select(Product.id, Product.sku, Product.name).where(Product.id.in_({m.product_id for m in moves}))
    )}
    location_ids = {m.from_location_id for m in moves} | {m.to_location_id for m in moves}
    codes = dict(session.execute(select(Location.id, Location.code).where(Location.id.in_(location_ids))).all())
    lot_ids = {m.lot_id for m in moves if m.lot_id is not None}
    lots = dict(session.execute(select(Lot.id, Lot.code).where(Lot.id.in_(lot_ids))).all()) if lot_ids else {}
    order_ids = {m.document_id for m in moves if m.document_type == "purchase_order"}
    orders = dict(session.execute(
        select(PurchaseOrder.id, PurchaseOrder.number).where(PurchaseOrder.id.in_(order_ids))
    ).all()) if order_ids else {}
    user_ids = {m.user_id for m in moves if m.user_id is not None}
    names = dict(session.execute(select(User.id, User.display_name).where(User.id.in_(user_ids))).all()) if user_ids else {}
    return [
        MoveRow(
            move_id=m.id, at=m.created_at, sku=products[m.product_id].sku,
            name=products[m.product_id].name, quantity=m.quantity,
            source=codes[m.from_location_id], destination=codes[m.to_location_id],
            lot=lots.get(m.lot_id) if m.lot_id is not None else None,
            reason=m.reason.replace("_", " "),
            user=names.get(m.user_id, "") if m.user_id is not None else "",
            workstation=m.workstation,
            document=_document_label(m, orders),
        )
        for m in moves
    ]
