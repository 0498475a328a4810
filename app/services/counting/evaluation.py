"""What happens when a location is finished: each line is compared with its snapshot and
matched, accepted within tolerance, sent to review, or the location is recounted by
someone else. Also the one place that turns an accepted line into ledger moves."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core import clock
from app.core.actor import Actor
from app.core.counting_rules import line_outcome, next_count_state, variance
from app.core.errors import InsufficientStock
from app.db.models import OnHand, User, utcnow
from app.db.models_counting import Count, CountLine, CountLocation
from app.services import audit, ledger
from app.services.config import special_location
from app.services.counting.common import DOCUMENT, counted_by, moves_since_snapshot, user_name
from app.services.counting.schedule import UNCLASSIFIED, class_policies, product_classes


def line_label(line: CountLine) -> str:
    """How a line is named in messages: 'WIDGET at A-01-01' (with its lot when it has one)."""
    lot = f" lot {line.lot.code}" if line.lot is not None else ""
    return f"{line.product.sku}{lot} at {line.count_location.location.code}"


def evaluate_location(session: Session, count_location: CountLocation, *, actor: Actor) -> None:
    """Judge every line of a just-finished location (see counting_rules.line_outcome)."""
    count = count_location.count
    policies = class_policies(session)
    classes = product_classes(session)
    outcomes: dict[CountLine, str] = {}
    for line in count_location.lines:
        policy = policies[classes.get(line.product_id, UNCLASSIFIED)]
        found = variance(line.expected, line.counted, line.product.unit_cost)
        line.abc_class = policy.abc_class
        line.variance_qty = found.quantity
        line.variance_value = found.value
        line.within_tolerance = policy.within(found)
        line.moved_during_count = bool(moves_since_snapshot(session, count_location, line))
        outcomes[line] = line_outcome(found, policy, moved_during_count=line.moved_during_count,
                                         is_recount=count.kind == "recount")
    if "recount" in outcomes.values():
        # One line is off: the whole location is counted again before anything is settled.
        for line in count_location.lines:
            line.status = next_count_state("count_line", line_label(line), line.status, "recount")
        plan_recount(session, count_location, actor=actor)
        return
    for line in count_location.lines:
        action = outcomes[line]
        line.status = next_count_state("count_line", line_label(line), line.status, action)
        if action == "auto_approve":
            # Nothing moved since the snapshot, so the counted variance is the adjustment.
            line.adjustment = post_adjustment(session, line, line.counted - line.expected, actor=actor)
            line.decided_at = utcnow()
            audit.record(session, actor, "count_line_auto_approved", count=count.number,
                         line=line.id, item=line_label(line), expected=line.expected,
                         counted=line.counted, adjustment=line.adjustment)


def plan_recount(session: Session, count_location: CountLocation, *, actor: Actor) -> Count:
    """A blind recount of the location, due today, for a counter who did not count it."""
    count = count_location.count
    counter_id = other_counter(session, exclude=counted_by(count_location))
    recount = Count(
        kind="recount", status="planned", blind=True, due_date=clock.today(),
        assigned_user_id=counter_id, created_by_id=actor.user_id, created_at=utcnow(),
        reason=count.reason, product_id=count.product_id, parent_count_id=count.id,
    )
    recount.locations.append(CountLocation(location_id=count_location.location_id,
                                           product_id=count_location.product_id, status="pending",
                                           empty_confirmed=False))
    session.add(recount)
    session.flush()
    audit.record(session, actor, "count_recount_planned", count=count.number, recount=recount.number,
                 location=count_location.location.code, counter=user_name(session, counter_id))
    return recount


def other_counter(session: Session, *, exclude: set[int]) -> int | None:
    """The active operator, not in ``exclude``, with the fewest open counts; None if nobody."""
    open_load = (
        select(func.count(Count.id))
        .where(Count.assigned_user_id == User.id, Count.status.in_(("planned", "counting")))
        .scalar_subquery()
    )
    query = select(User.id).where(User.active.is_(True), User.role == "operator")
    if exclude:
        query = query.where(User.id.not_in(exclude))
    return session.scalar(query.order_by(open_load, User.id).limit(1))


def post_adjustment(session: Session, line: CountLine, delta: int, *, actor: Actor) -> int:
    """Bring the location's stock of the line's product and lot up or down by ``delta``
    through the ledger, against the inventory-loss location. Keys make a replay harmless."""
    if delta == 0:
        return 0
    count_location = line.count_location
    location = count_location.location
    loss = special_location(session, "inventory_loss")
    common = dict(actor=actor, product_id=line.product_id, lot_id=line.lot_id,
                  document_type=DOCUMENT, document_id=count_location.count_id)
    if delta > 0:
        ledger.post_move(session, quantity=delta, source=loss, destination=location,
                         reason="count_gain", idempotency_key=f"count:{line.id}:gain", **common)
        return delta
    # Take loose stock first, then from license plates, until the loss is covered.
    plates = session.execute(
        select(OnHand.license_plate_id, OnHand.quantity)
        .where(OnHand.location_id == location.id, OnHand.product_id == line.product_id,
               OnHand.lot_id.is_(None) if line.lot_id is None else OnHand.lot_id == line.lot_id,
               OnHand.quantity > 0)
        .order_by(OnHand.license_plate_id.is_not(None), OnHand.license_plate_id)
    ).all()
    missing = -delta
    if sum(quantity for _, quantity in plates) < missing:
        raise InsufficientStock(available=sum(q for _, q in plates), sku=line.product.sku,
                                location=location.code, requested=missing)
    for plate_id, quantity in plates:
        take = min(quantity, missing)
        ledger.post_move(session, quantity=take, source=location, destination=loss,
                         reason="count_loss", from_license_plate_id=plate_id,
                         idempotency_key=f"count:{line.id}:loss:{plate_id or 0}", **common)
        missing -= take
        if missing == 0:
            break
    return delta
