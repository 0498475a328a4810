"""What every part of the counting service shares: loading counts, who may do what,
stock and move queries for one location, and the plain views handed to callers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, union_all
from sqlalchemy.orm import Session

from app.core import clock
from app.core.actor import Actor
from app.core.counting_rules import next_count_state
from app.core.errors import NotAllowed, NotFound
from app.db.models import Move, OnHand, User, utcnow
from app.db.models_counting import Count, CountLine, CountLocation

DOCUMENT = "count"  # Move.document_type of count adjustments


def require_supervisor(actor: Actor, action: str) -> None:
    if not actor.is_supervisor:
        raise NotAllowed(who=actor.display_name, action=action)


def approver_for(actor: Actor, approval: Actor | None, action: str) -> Actor:
    """The supervisor who answers for a decision: the actor, or the one who badged in."""
    if actor.is_supervisor:
        return actor
    if approval is not None and approval.is_supervisor:
        return approval
    raise NotAllowed(who=actor.display_name, action=action)


def get_count(session: Session, count_id: int, *, lock: bool = False) -> Count:
    query = select(Count).where(Count.id == count_id)
    if lock:
        query = query.with_for_update()
    count = session.scalar(query)
    if count is None:
        raise NotFound(what="Count", key=str(count_id))
    return count


def user_directory(session: Session) -> dict[int, str]:
    """Every user's display name by id: a warehouse has tens of people, one query is enough."""
    return dict(session.execute(select(User.id, User.display_name)).all())


def user_name(session: Session, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    return session.scalar(select(User.display_name).where(User.id == user_id))


def counted_by(count_location: CountLocation) -> set[int]:
    """Everyone who had a hand in counting a location: its counter, who started and
    finished it, and whoever scanned there."""
    ids = {count_location.count.assigned_user_id, count_location.started_by_id,
           count_location.finished_by_id}
    ids |= {entry.user_id for line in count_location.lines for entry in line.entries}
    return {uid for uid in ids if uid is not None}


def local_day(at: dt.datetime) -> dt.date:
    """The workstation's calendar day of a stored timestamp (SQLite hands them back naive, in
    UTC): a count finished at 20:00 in New York belongs to that day, not to the next UTC day."""
    return clock.local(at).date()


def day_bounds(since: dt.date | None, until: dt.date | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Instants (UTC) from the local start of ``since`` to the local end of ``until`` (both inclusive)."""
    def midnight(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time()).astimezone().astimezone(dt.timezone.utc)

    start = midnight(since) if since else None
    end = midnight(until + dt.timedelta(days=1)) if until else None
    return start, end


def last_move_id(session: Session, location_id: int) -> int:
    """The newest move into or out of a location: two index lookups (an OR of both columns
    makes the planner scan the ledger)."""
    both = union_all(
        select(func.max(Move.id).label("id")).where(Move.from_location_id == location_id),
        select(func.max(Move.id).label("id")).where(Move.to_location_id == location_id),
    ).subquery()
    return session.scalar(select(func.coalesce(func.max(both.c.id), 0)))


def stock_at(
    session: Session, location_id: int, product_id: int | None = None
) -> dict[tuple[int, int | None], int]:
    """On-hand at one location per (product, lot), license plates summed together."""
    query = (
        select(OnHand.product_id, OnHand.lot_id, func.sum(OnHand.quantity))
        .where(OnHand.location_id == location_id, OnHand.quantity > 0)
        .group_by(OnHand.product_id, OnHand.lot_id)
    )
    if product_id is not None:
        query = query.where(OnHand.product_id == product_id)
    return {(p, lot): int(q) for p, lot, q in session.execute(query)}


def current_quantity(session: Session, line: CountLine) -> int:
    stock = stock_at(session, line.count_location.location_id, line.product_id)
    return stock.get((line.product_id, line.lot_id), 0)


def _same_lot(column, lot_id: int | None):  # noqa: ANN001, ANN202 - SQL expression helper
    return column.is_(None) if lot_id is None else column == lot_id


def moves_since_snapshot(session: Session, count_location: CountLocation,
                         line: CountLine | None = None) -> list[Move]:
    """Moves touching the location after its snapshot (of the line's product and lot only,
    when a line is given), oldest first. The count's own adjustments are not among them."""
    if count_location.snapshot_move_id is None:
        return []
    location_id = count_location.location_id
    # coalesce: most moves have no document, and NOT (NULL = ...) would drop them.
    not_own = (func.coalesce(Move.document_type, "") != DOCUMENT) | (
        func.coalesce(Move.document_id, 0) != count_location.count_id
    )
    query = (
        select(Move)
        .where(
            (Move.from_location_id == location_id) | (Move.to_location_id == location_id),
            Move.id > count_location.snapshot_move_id,
            not_own,
        )
        .order_by(Move.id)
    )
    if line is not None:
        query = query.where(Move.product_id == line.product_id, _same_lot(Move.lot_id, line.lot_id))
    return list(session.scalars(query))


def settle_count_status(count: Count) -> None:
    """Once every location is counted: in review while a line waits for a person, else closed."""
    if count.status not in ("counting", "in_review"):
        return
    if any(cl.status != "counted" for cl in count.locations):
        return
    waiting = any(line.status == "to_review" for cl in count.locations for line in cl.lines)
    if waiting:
        if count.status != "in_review":
            count.status = next_count_state("count", count.number, count.status, "review")
    else:
        count.status = next_count_state("count", count.number, count.status, "close")
        count.closed_at = utcnow()


@dataclass(frozen=True)
class CountSummary:
    """A count as lists show it. Carries no quantities: counters may see it."""

    count_id: int
    number: str
    kind: str
    status: str
    due_date: dt.date
    assigned_to: str | None
    reason: str | None
    locations: tuple[str, ...]
    locations_done: int
    parent_count_id: int | None
    blind: bool


def summarise(session: Session, count: Count) -> CountSummary:
    return CountSummary(
        count_id=count.id,
        number=count.number,
        kind=count.kind,
        status=count.status,
        due_date=count.due_date,
        assigned_to=user_name(session, count.assigned_user_id),
        reason=count.reason,
        locations=tuple(cl.location.code for cl in count.locations),
        locations_done=sum(cl.status == "counted" for cl in count.locations),
        parent_count_id=count.parent_count_id,
        blind=count.blind,
    )
