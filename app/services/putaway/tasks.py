"""Put-away by scanning: what waits on the dock, where it should go, and confirming it there.

    task = start_putaway(uow, scan, actor=actor)          # an item (GS1 with lot) or a plate
    task.suggestion.destination, task.suggestion.reason   # "A-01-02", Reason(code, params)
    confirm_putaway(uow, task, "A-01-02", actor=actor, idempotency_key=key)
    undo_last_putaway(uow, actor=actor)

Which bins are valid and which one is suggested: app/core/putaway_rules.py. Confirming and
undoing: confirm.py. Capacities and rules by hand: setup.py; from CSV:
app/services/imports/putaway.py.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.core.actor import Actor
from app.core.errors import LotRequired, NotFound
from app.core.permissions import use_case
from app.core.putaway_errors import NothingWaiting
from app.core.putaway_rules import Item, Suggestion
from app.core.putaway_rules import suggest as suggest_bins
from app.db.models import LicensePlate, Location, Lot, Product
from app.db.uow import UnitOfWork
from app.services import audit
from app.services.putaway.confirm import (
    DEVIATION_POLICIES,
    MovedLine,
    PutawayResult,
    confirm_putaway,
    deviation_policy,
    on_capacity_refusal,
    undo_last_putaway,
)
from app.services.putaway.data import (
    WAITING_KINDS,
    PutawayTask,
    TaskLine,
    WaitingItem,
    candidate_bins,
    item_for,
    items_for_lines,
    list_waiting,
    origin,
    rule_book,
    task_lines,
)
from app.services.putaway.scans import Place, scanned_item

__all__ = [
    "DEVIATION_POLICIES", "MovedLine", "PutawayResult", "PutawayTask", "TaskLine", "WAITING_KINDS",
    "WaitingItem", "confirm_putaway", "deviation_policy", "list_waiting", "on_capacity_refusal",
    "start_putaway", "suggest", "suggest_for_plate", "undo_last_putaway",
]


def suggest(
    session: Session, product_id: int, quantity: int, *, lot_id: int | None = None,
    source_id: int | None = None,
) -> Suggestion:
    """Where ``quantity`` units of a product (and lot) waiting on ``source_id`` should go."""
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound(what="Product", key=str(product_id))
    lot = session.get(Lot, lot_id) if lot_id is not None else None
    source = session.get(Location, source_id) if source_id is not None else None
    return _suggest(session, [item_for(product, quantity, lot)], source)


def suggest_for_plate(session: Session, license_plate_id: int) -> Suggestion:
    """Where a whole waiting license plate should go, every line on it considered."""
    plate = session.get(LicensePlate, license_plate_id)
    if plate is None:
        raise NotFound(what="License plate", key=str(license_plate_id))
    waiting = list_waiting(session, license_plate_id=plate.id)
    if not waiting:
        raise NothingWaiting(what=plate.code, sources=", ".join(WAITING_KINDS))
    here = [w for w in waiting if w.location_id == waiting[0].location_id]
    source = session.get(Location, here[0].location_id)
    return _suggest(session, items_for_lines(session, task_lines(here)), source)


def _suggest(session: Session, items: list[Item], source: Location | Place | None) -> Suggestion:
    """The core's rule over the few candidate bins SQL chose, not over the whole warehouse."""
    rules, start = rule_book(session), origin(session, source)
    return suggest_bins(items, candidate_bins(session, items, rules, start), rules, start)


@use_case("start_putaway")
def start_putaway(
    uow: UnitOfWork, scan: str, *, actor: Actor, sources: tuple[str, ...] = WAITING_KINDS,
    source: str | None = None,
) -> PutawayTask:
    """Scan an item (GTIN, or GS1 with its lot) or a license plate that waits to be put away;
    the task says what moves from where and which bin is suggested. ``source`` (a location
    code) chooses between waiting locations, else the first in walking order wins."""
    session = uow.session
    scanned, product, plate = scanned_item(session, scan)
    only = ({"license_plate_id": plate.id} if plate is not None
            else {"product_id": product.id} if product is not None else {})
    waiting = [w for w in list_waiting(session, sources=sources, **only) if source in (None, w.location)]
    where = source or ", ".join(sources)
    if plate is not None:
        waiting = [w for w in waiting if w.license_plate_id == plate.id]
        if not waiting:
            raise NothingWaiting(what=plate.code, sources=where)
        chosen = [w for w in waiting if w.location_id == waiting[0].location_id]
    else:
        assert product is not None
        lot_code = scanned.lot or scanned.serial
        waiting = [w for w in waiting if w.product_id == product.id and lot_code in (None, w.lot)]
        if not waiting:
            raise NothingWaiting(what=f"{product.sku} lot {lot_code}" if lot_code else product.sku,
                                 sources=where)
        if product.tracking != "none" and lot_code is None and len({w.lot_id for w in waiting}) > 1:
            raise LotRequired(sku=product.sku)
        # Loose units before units on a plate (a plate is usually put away whole).
        loose = [w for w in waiting if w.license_plate_id is None]
        chosen = [(loose or waiting)[0]]
    first = chosen[0]
    location = Place(first.location_id, first.location, first.location_kind, first.x, first.y)
    lines = task_lines(chosen)
    suggestion = _suggest(session, items_for_lines(session, lines), location)
    audit.journal_scan(
        session, actor, context="putaway", raw=scan, interpretation=scanned.summary(),
        outcome="ok",
        message=f"{sum(line.quantity for line in lines)} on {location.code} -> {suggestion.destination or '?'}",
    )
    uow.commit()
    return PutawayTask(
        source=location.code, source_id=location.id, lines=lines, suggestion=suggestion,
        license_plate=plate.code if plate else None, license_plate_id=plate.id if plate else None,
    )
