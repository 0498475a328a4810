"""Supervisor review: each line with every count of it, its variance, and the bin's moves
since the snapshot; approve (adjust stock through the ledger) or reject, with a reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select, union_all
from sqlalchemy.orm import Session, selectinload

from app.core.actor import Actor, Approval
from app.core.counting_rules import (
    KEEP_COUNTED,
    KEEP_DIFFERENCE,
    REASON_CODES,
    RESOLUTIONS,
    ResolutionRequired,
    adjustment,
    next_count_state,
)
from app.core.errors import InvalidInput, NotFound
from app.core.permissions import use_case
from app.db.models import Location, Lot, Move, OnHand, Product, utcnow
from app.db.models_counting import Count, CountEntry, CountLine, CountLocation
from app.db.uow import UnitOfWork
from app.services import audit
from app.services.counting.common import (
    DOCUMENT,
    CountSummary,
    approver_for,
    current_quantity,
    moves_since_snapshot,
    require_supervisor,
    settle_count_status,
    summarise,
    user_directory,
)
from app.services.counting.evaluation import line_label, post_adjustment
from app.services.users import verified_approval


@dataclass(frozen=True)
class CountRound:
    """One count of a line: the first count, then any recount."""

    number: str
    kind: str
    counters: tuple[str, ...]
    counted_at: dt.datetime | None
    expected: int
    counted: int


@dataclass(frozen=True)
class LocationMove:
    move_id: int
    at: dt.datetime
    reason: str
    quantity: int  # + into the location, - out of it
    other_location: str
    user: str | None


@dataclass(frozen=True)
class ReviewLine:
    line_id: int
    count_id: int
    location: str
    zone: str | None
    sku: str
    name: str
    lot: str | None
    abc_class: str | None
    expected: int
    counted: int
    variance_qty: int | None
    variance_value: float | None
    within_tolerance: bool | None
    status: str
    moved_during_count: bool  # moves of this product and lot since the snapshot
    current_on_hand: int
    adjust_if_keep_counted: int
    adjust_if_keep_difference: int
    rounds: tuple[CountRound, ...]  # oldest first; the last one is this line
    moves_since_snapshot: tuple[LocationMove, ...]
    reason_code: str | None
    resolution: str | None
    adjustment: int | None
    decided_by: str | None


@dataclass(frozen=True)
class CountReview:
    count: CountSummary
    lines: tuple[ReviewLine, ...]


@dataclass(frozen=True)
class DecisionResult:
    lines: tuple[ReviewLine, ...]
    counts: tuple[CountSummary, ...]
    replayed: bool = False  # every line already had this decision; nothing changed


def _rounds(line: CountLine, names: dict[int, str]) -> tuple[CountRound, ...]:
    """This line and the same product/lot/location in the counts it recounts."""
    rounds: list[CountRound] = []
    count_location = line.count_location
    current: CountLine | None = line
    while current is not None:
        cl = current.count_location
        users = [entry.user_id for entry in current.entries if not entry.undone] or [cl.finished_by_id]
        counters = tuple(dict.fromkeys(names.get(uid, "?") for uid in users if uid is not None))
        rounds.append(CountRound(cl.count.number, cl.count.kind, counters, cl.finished_at,
                                 current.expected, current.counted))
        parent = cl.count.parent
        earlier = next((other for other in parent.locations
                        if other.location_id == count_location.location_id), None) if parent else None
        current = next((other for other in earlier.lines
                        if other.product_id == line.product_id and other.lot_id == line.lot_id),
                       None) if earlier else None
    return tuple(reversed(rounds))


def _moves(session: Session, line: CountLine, names: dict[int, str]) -> tuple[LocationMove, ...]:
    location_id = line.count_location.location_id
    views = []
    for move in moves_since_snapshot(session, line.count_location, line):
        inbound = move.to_location_id == location_id
        other = session.get(Location, move.from_location_id if inbound else move.to_location_id)
        views.append(LocationMove(move.id, move.created_at, move.reason,
                                  move.quantity if inbound else -move.quantity, other.code,
                                  names.get(move.user_id) if move.user_id else None))
    return tuple(views)


def review_line(session: Session, line: CountLine, names: dict[int, str]) -> ReviewLine:
    """Everything a reviewer needs about one line; ``names`` maps user ids to names."""
    return _review_line(line, names, current_quantity(session, line), _moves(session, line, names))


def review_lines(session: Session, lines: Sequence[CountLine], names: dict[int, str]) -> list[ReviewLine]:
    """``review_line`` for many lines of one count at once: stock now and the moves since
    each location's snapshot in one statement each, not per line."""
    places = {line.count_location.location_id: line.count_location for line in lines}
    if not places:
        return []
    current = {(location_id, product_id, lot_id): int(quantity) for location_id, product_id, lot_id, quantity in
               session.execute(
                   select(OnHand.location_id, OnHand.product_id, OnHand.lot_id, func.sum(OnHand.quantity))
                   .where(OnHand.location_id.in_(places), OnHand.quantity > 0)
                   .group_by(OnHand.location_id, OnHand.product_id, OnHand.lot_id))}
    moves = _moves_by_line(session, places, names)
    return [_review_line(line, names, current.get((line.count_location.location_id, line.product_id, line.lot_id), 0),
                         tuple(moves.get((line.count_location.location_id, line.product_id, line.lot_id), ())))
            for line in lines]


def _moves_by_line(session: Session, places: dict, names: dict[int, str]) -> dict[tuple, list[LocationMove]]:
    """Moves after each location's snapshot, not the count's own, by (location, product, lot)."""
    snapshots = {location_id: cl.snapshot_move_id for location_id, cl in places.items()
                 if cl.snapshot_move_id is not None}
    found: dict[tuple, list[LocationMove]] = {}
    if not snapshots:
        return found
    count_ids = {cl.count_id for cl in places.values()}
    columns = (Move.id, Move.created_at, Move.reason, Move.quantity, Move.product_id, Move.lot_id,
               Move.from_location_id, Move.to_location_id, Move.user_id, Move.document_type, Move.document_id)
    since = min(snapshots.values())
    rows = {row[0]: row for row in session.execute(union_all(
        select(*columns).where(Move.from_location_id.in_(snapshots), Move.id > since),
        select(*columns).where(Move.to_location_id.in_(snapshots), Move.id > since)))}
    ends = {end for row in rows.values() for end in row[6:8]}
    codes = dict(session.execute(select(Location.id, Location.code).where(Location.id.in_(ends))).all())
    for move_id in sorted(rows):
        _, at, reason, quantity, product_id, lot_id, source, target, user_id, doc_type, doc_id = rows[move_id]
        if doc_type == DOCUMENT and doc_id in count_ids:
            continue  # the count's own adjustments
        for here, inbound, other in ((target, True, source), (source, False, target)):
            if here in snapshots and move_id > snapshots[here]:
                found.setdefault((here, product_id, lot_id), []).append(LocationMove(
                    move_id, at, reason, quantity if inbound else -quantity, codes[other],
                    names.get(user_id) if user_id else None))
    return found


def _review_line(line: CountLine, names: dict[int, str], current: int, moves: tuple[LocationMove, ...]) -> ReviewLine:
    cl = line.count_location
    return ReviewLine(
        line_id=line.id, count_id=cl.count_id, location=cl.location.code, zone=cl.location.zone,
        sku=line.product.sku, name=line.product.name, lot=line.lot.code if line.lot else None,
        abc_class=line.abc_class, expected=line.expected, counted=line.counted,
        variance_qty=line.variance_qty, variance_value=line.variance_value,
        within_tolerance=line.within_tolerance, status=line.status,
        moved_during_count=bool(moves), current_on_hand=current,
        adjust_if_keep_counted=adjustment(KEEP_COUNTED, expected=line.expected,
                                          counted=line.counted, current=current),
        adjust_if_keep_difference=adjustment(KEEP_DIFFERENCE, expected=line.expected,
                                             counted=line.counted, current=current),
        rounds=_rounds(line, names), moves_since_snapshot=moves,
        reason_code=line.reason_code, resolution=line.resolution, adjustment=line.adjustment,
        decided_by=names.get(line.decided_by_id) if line.decided_by_id else None,
    )


def review_queue(session: Session, *, actor: Actor) -> list[CountSummary]:
    """Counts with lines waiting for a supervisor, oldest due first."""
    require_supervisor(actor, "review counts")
    # With their locations in one more statement each: a summary names every location.
    counts = session.scalars(select(Count).where(Count.status == "in_review")
                             .order_by(Count.due_date, Count.id)
                             .options(selectinload(Count.locations).joinedload(CountLocation.location)))
    return [summarise(session, count) for count in counts]


def count_review(session: Session, count_id: int, *, actor: Actor,
                 waiting_only: bool = False) -> CountReview:
    """Every evaluated line of a count (or only those waiting for a decision).

    Read as tuples (the count and the counts it recounts, their locations, lines and
    entries: one statement each, plus one per recount generation), not as ORM objects:
    thousands of lines cost no object loading, and closing the read expires nothing."""
    require_supervisor(actor, "review counts")
    count = _count_tree(session, count_id)
    names = user_directory(session)
    lines = [
        line
        for cl in sorted(count.locations, key=lambda cl: cl.location.code)
        for line in sorted(cl.lines, key=lambda ln: (ln.product.sku, ln.lot.code if ln.lot else ""))
        if line.status != "open" and (line.status == "to_review" or not waiting_only)
    ]
    return CountReview(summarise(session, count), tuple(review_lines(session, lines, names)))  # type: ignore[arg-type]


class _Row:
    """A read-only stand-in for an ORM row, with the attributes the review reads."""

    def __init__(self, **values: object) -> None:
        self.__dict__.update(values)


_COUNT_COLUMNS = select(Count.__table__).where(Count.__table__.c.id == bindparam("id"))


def _count_tree(session: Session, count_id: int) -> Count:
    """The count as plain objects shaped like its ORM graph (locations, lines, entries, and
    ``parent`` up the recount chain), for ``summarise``, ``_rounds`` and ``review_lines``."""
    conn = session.connection()
    counts: dict[int, _Row] = {}
    wanted: int | None = count_id
    while wanted is not None and wanted not in counts:
        row = conn.execute(_COUNT_COLUMNS, {"id": wanted}).mappings().first()
        if row is None:
            if wanted == count_id:
                raise NotFound(what="Count", key=str(count_id))
            break
        counts[wanted] = _Row(**row, number=f"CC-{row['id']:06d}", locations=[], parent=None)
        wanted = row["parent_count_id"]
    for count in counts.values():
        count.parent = counts.get(count.parent_count_id)
    ids = list(counts)
    places: dict[int, _Row] = {}
    for row in conn.execute(_REVIEW_PLACES, {"ids": ids}).mappings():
        values = dict(row)
        location = _Row(code=values.pop("code"), zone=values.pop("zone"))
        place = _Row(**values, count=counts[values["count_id"]], location=location, lines=[])
        places[place.id] = place
        place.count.locations.append(place)
    lines: dict[int, _Row] = {}
    for row in conn.execute(_REVIEW_LINES, {"ids": ids}).mappings():
        values = dict(row)
        product = _Row(sku=values.pop("sku"), name=values.pop("name"))
        lot_code = values.pop("lot_code")
        line = _Row(**values, product=product, lot=_Row(code=lot_code) if values["lot_id"] is not None else None,
                    count_location=places[values["count_location_id"]], entries=[])
        lines[line.id] = line
        line.count_location.lines.append(line)
    for line_id, user_id, undone in conn.execute(_REVIEW_ENTRIES, {"ids": ids}):
        lines[line_id].entries.append(_Row(user_id=user_id, undone=undone))
    return counts[count_id]  # type: ignore[return-value]


_CL, _LINE, _ENTRY = CountLocation.__table__, CountLine.__table__, CountEntry.__table__
_REVIEW_PLACES = (
    select(_CL.c.id, _CL.c.count_id, _CL.c.location_id, _CL.c.status, _CL.c.snapshot_move_id, _CL.c.finished_at,
           _CL.c.finished_by_id, Location.__table__.c.code, Location.__table__.c.zone)
    .join_from(_CL, Location.__table__, Location.__table__.c.id == _CL.c.location_id)
    .where(_CL.c.count_id.in_(bindparam("ids", expanding=True))).order_by(_CL.c.id)
)
_REVIEW_LINES = (
    select(_LINE.c.id, _LINE.c.count_location_id, _LINE.c.product_id, _LINE.c.lot_id, _LINE.c.expected,
           _LINE.c.counted, _LINE.c.status, _LINE.c.abc_class, _LINE.c.variance_qty, _LINE.c.variance_value,
           _LINE.c.within_tolerance, _LINE.c.reason_code, _LINE.c.resolution, _LINE.c.adjustment,
           _LINE.c.decided_by_id, Product.__table__.c.sku, Product.__table__.c.name,
           Lot.__table__.c.code.label("lot_code"))
    .select_from(_LINE.join(_CL, _CL.c.id == _LINE.c.count_location_id)
                 .join(Product.__table__, Product.__table__.c.id == _LINE.c.product_id)
                 .outerjoin(Lot.__table__, Lot.__table__.c.id == _LINE.c.lot_id))
    .where(_CL.c.count_id.in_(bindparam("ids", expanding=True))).order_by(_LINE.c.id)
)
_REVIEW_ENTRIES = (
    select(_ENTRY.c.count_line_id, _ENTRY.c.user_id, _ENTRY.c.undone)
    .select_from(_ENTRY.join(_LINE, _LINE.c.id == _ENTRY.c.count_line_id)
                 .join(_CL, _CL.c.id == _LINE.c.count_location_id))
    .where(_CL.c.count_id.in_(bindparam("ids", expanding=True))).order_by(_ENTRY.c.id)
)


def _lines(session: Session, line_ids: Sequence[int]) -> list[CountLine]:
    wanted = sorted(set(line_ids))
    lines = list(session.scalars(select(CountLine).where(CountLine.id.in_(wanted))
                                 .order_by(CountLine.id).with_for_update()))
    missing = set(wanted) - {line.id for line in lines}
    if missing:
        raise NotFound(what="Count line", key=", ".join(map(str, sorted(missing))))
    return lines


def _check_reason(reason_code: str) -> None:
    if reason_code not in REASON_CODES:
        raise InvalidInput(field="reason", reason=f"'{reason_code}' is not one of {', '.join(REASON_CODES)}")


def _decide(
    uow: UnitOfWork, line_ids: Sequence[int], decision: str, reason_code: str, *,
    actor: Actor, approval: Actor | None, resolution: str | None,
) -> DecisionResult:
    session = uow.session
    approver = approver_for(actor, approval, "approve count results" if decision == "approve"
                            else "reject count results")
    _check_reason(reason_code)
    if resolution is not None and resolution not in RESOLUTIONS:
        raise InvalidInput(field="resolution", reason=f"'{resolution}' is not one of {', '.join(RESOLUTIONS)}")
    lines = _lines(session, line_ids)
    final = "approved" if decision == "approve" else "rejected"
    changed = [line for line in lines if line.status != final]
    for line in changed:
        line.status = next_count_state("count_line", line_label(line), line.status, decision)
        if decision == "approve":
            _apply(session, line, resolution, actor=actor)
        line.reason_code = reason_code
        line.decided_at = utcnow()
        line.decided_by_id = approver.user_id
        badged_in = approver is not actor  # an operator with a supervisor's badge and PIN
        line.requested_by_id = actor.user_id if badged_in else None
        audit.record(session, approver, f"count_line_{final}", count=line.count_location.count.number,
                     line=line.id, item=line_label(line), expected=line.expected,
                     counted=line.counted, reason_code=reason_code, resolution=line.resolution,
                     adjustment=line.adjustment,
                     operator=actor.display_name if badged_in else None)
    counts = list({line.count_location.count_id: line.count_location.count for line in lines}.values())
    for count in counts:
        settle_count_status(count)
    session.flush()
    uow.commit()
    names = user_directory(session)
    return DecisionResult(tuple(review_line(session, line, names) for line in lines),
                          tuple(summarise(session, count) for count in counts),
                          replayed=not changed)


def _apply(session: Session, line: CountLine, resolution: str | None, *, actor: Actor) -> None:
    """Post the approved line's adjustment; moved stock needs the reviewer's choice."""
    moved = bool(moves_since_snapshot(session, line.count_location, line))
    if moved and resolution is None:
        raise ResolutionRequired(sku=line.product.sku, location=line.count_location.location.code)
    chosen = resolution if moved else KEEP_COUNTED  # without movement both choices agree
    delta = adjustment(chosen, expected=line.expected, counted=line.counted,
                       current=current_quantity(session, line))
    line.resolution = chosen
    line.adjustment = post_adjustment(session, line, delta, actor=actor)


@use_case("approve_lines")
def approve_lines(
    uow: UnitOfWork, line_ids: Sequence[int], reason_code: str, *, actor: Actor,
    resolution: str | None = None, approval: Approval | None = None,
) -> DecisionResult:
    """Accept the counted quantities: adjustment moves to/from inventory loss. An operator
    needs ``approval`` (users.supervisor_approval); both are recorded."""
    approval = verified_approval(uow.session, approval, actor)  # badge + PIN, checked here
    return _decide(uow, line_ids, "approve", reason_code, actor=actor, approval=approval,
                   resolution=resolution)


@use_case("reject_lines")
def reject_lines(
    uow: UnitOfWork, line_ids: Sequence[int], reason_code: str, *, actor: Actor,
    approval: Approval | None = None,
) -> DecisionResult:
    """Refuse the counted quantities: stock stays as it is on record."""
    approval = verified_approval(uow.session, approval, actor)  # badge + PIN, checked here
    return _decide(uow, line_ids, "reject", reason_code, actor=actor, approval=approval,
                   resolution=None)


def waiting_reviews(session: Session, *, actor: Actor, count_id: int | None = None) -> list[CountReview]:
    """The waiting lines of one count, or of every count in review, read in one transaction."""
    ids = ([count_id] if count_id is not None
           else [count.count_id for count in review_queue(session, actor=actor)])
    return [count_review(session, each, actor=actor, waiting_only=True) for each in ids]
