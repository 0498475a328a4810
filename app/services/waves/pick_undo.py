"""Undo of a picker's last pick scan on a wave: a compensating move from the tote back to the
bin, the units reserved for the order again, the task's and the line's picked counts reduced."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.actor import Actor
from app.core.errors import InvalidTransition, NotFound
from app.core.permissions import use_case
from app.db.models import Move
from app.db.models_picking import PickTask
from app.db.uow import UnitOfWork
from app.services import audit, ledger
from app.services.waves import pick_rows as rows
from app.services.waves.picking import DOCUMENT, PickPrompt, cart_location, prompt_of
from app.services.waves.release import get_wave

PICK_UNDO = "pick_undo"


@dataclass(frozen=True)
class PickUndoResult:
    task_id: int
    sku: str
    units: int
    location: str
    tote_slot: int
    prompt: PickPrompt  # the task the units went back to: the picker picks them again here


def undone_move_ids(session: Session, reason: str, order_ids) -> set[int]:  # noqa: ANN001 - iterable of ids
    """Ids of the moves already reversed by an undo move (key ``undo:<id>``) of ``reason``."""
    keys = session.scalars(select(Move.idempotency_key).where(
        Move.reason == reason, Move.document_type == DOCUMENT, Move.document_id.in_(list(order_ids))))
    return {int(key.split(":", 1)[1]) for key in keys}


@use_case("undo_last_pick")
def undo_last_pick(uow: UnitOfWork, wave_id: int, *, actor: Actor) -> PickUndoResult | None:
    """Put this picker's last pick scan on the wave back: a compensating move from the tote to
    the bin, the units reserved for the order again, the task's and the line's picked counts
    reduced. None when there is nothing of theirs to undo. A task that is finished (picked in
    full or short) cannot be undone: its order may be packing already."""
    session = uow.session
    get_wave(session, wave_id)
    order_ids = set(session.scalars(select(PickTask.order_id).where(PickTask.wave_id == wave_id)))
    if not order_ids:
        return None
    undone = undone_move_ids(session, PICK_UNDO, order_ids)
    candidates = session.scalars(
        select(Move).where(Move.reason == "pick", Move.document_type == DOCUMENT,
                           Move.document_id.in_(order_ids), Move.user_id == actor.user_id)
        .order_by(Move.id.desc()))
    last = next((move for move in candidates if move.id not in undone), None)
    if last is None:
        return None
    task = _task_of(session, wave_id, last)
    if task.status != "open" or last.idempotency_key.endswith(":pick"):
        raise InvalidTransition(document=f"Pick {task.sequence} of {task.wave.number}",
                                state=task.status, action="undo")
    ledger.post_move(
        session, actor=actor, product_id=last.product_id, quantity=last.quantity,
        source=cart_location(session), destination=task.location, reason=PICK_UNDO,
        idempotency_key=f"undo:{last.id}", lot_id=last.lot_id,
        from_license_plate_id=last.to_license_plate_id, to_license_plate_id=last.from_license_plate_id,
        document_type=DOCUMENT, document_id=last.document_id,
    )
    ledger.reserve(session, ledger.StockKey(task.product_id, task.location_id, task.lot_id,
                                            task.license_plate_id), last.quantity, task.location)
    # Taken off the task, back on its allocation, off the order line: added in SQL, as the pick
    # added them (another picker may be picking another task of the line at this moment).
    rows.add_picked(session, task.id, task.allocation_id, task.order_line_id, -last.quantity, actor.user_id)
    audit.record(session, actor, "pick_undo", wave=task.wave.number, order=task.order.number,
                 location=task.location.code, sku=task.product.sku, units=last.quantity, move=last.id)
    session.flush()
    prompt = prompt_of(session, task.id)  # as this transaction left it
    uow.commit()
    return PickUndoResult(task.id, task.product.sku, last.quantity, task.location.code, task.tote_slot, prompt)


def _task_of(session: Session, wave_id: int, move: Move) -> PickTask:
    """The task a pick move was made on: same order, product, bin, lot and plate (open first)."""
    tasks = list(session.scalars(
        select(PickTask).where(
            PickTask.wave_id == wave_id, PickTask.order_id == move.document_id,
            PickTask.product_id == move.product_id, PickTask.location_id == move.from_location_id,
            PickTask.lot_id.is_(None) if move.lot_id is None else PickTask.lot_id == move.lot_id,
            PickTask.license_plate_id.is_(None) if move.from_license_plate_id is None
            else PickTask.license_plate_id == move.from_license_plate_id,
            PickTask.quantity_picked >= move.quantity)
        .order_by(PickTask.sequence).with_for_update(of=PickTask)))
    if not tasks:
        raise NotFound(what="Pick task of move", key=str(move.id))
    return next((task for task in tasks if task.status == "open"), tasks[0])
