"""The KPIs' raw figures, one aggregate statement each over the whole report period: the same
number of statements for ten orders or a hundred thousand (tests count them).

Every function returns plain tuples keyed by period index (see periods.bucket); report.py
turns them into ratios and percentiles.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case, exists, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from app.db.models import VIRTUAL_LOCATION_KINDS, Location, Move, Product, ScanJournal, User
from app.db.models_counting import CountLine, CountLocation
from app.db.models_picking import PickTask, SalesOrder, SalesOrderLine
from app.db.models_returns import ReturnUnit, Rma
from app.services.kpis.periods import Period, bucket, within

ORDER_DOCUMENT = "sales_order"
# A corrected order: a move of the order that undoes a pick or a pack scan ("<reason>_undo").
CORRECTION_REASON = r"%\_undo"
# Count lines that measured the records (a line superseded by its recount did not).
MEASURED_STATUSES = ("matched", "auto_approved", "to_review", "approved", "rejected")
ERROR_OUTCOMES = ("error", "refused", "alert")


def _channel(query, column, channel: str | None):  # noqa: ANN001, ANN202
    return query if channel is None else query.where(column == channel)


def shipped_orders(session: Session, spans: list[Period], channel: str | None) -> list[tuple]:
    """(period, channel, created_at, shipped_at, perfect) per order shipped in the periods;
    perfect: no mispick and no short pick on any of its tasks, no undone pick or pack move."""
    flawed_task = exists().where(PickTask.order_id == SalesOrder.id,
                                 or_(PickTask.mispicks > 0, PickTask.status == "short"))
    corrected = exists().where(Move.document_type == ORDER_DOCUMENT, Move.document_id == SalesOrder.id,
                               Move.reason.like(CORRECTION_REASON, escape="\\"))
    perfect = case((or_(flawed_task, corrected), literal(False)), else_=literal(True))
    query = (select(bucket(SalesOrder.shipped_at, spans), SalesOrder.channel, SalesOrder.created_at,
                    SalesOrder.shipped_at, perfect)
             .where(SalesOrder.shipped_at.is_not(None), within(SalesOrder.shipped_at, spans)))
    return list(session.execute(_channel(query, SalesOrder.channel, channel)))


def put_away_waits(session: Session, spans: list[Period]) -> list[tuple]:
    """(period, seconds from receipt to put-away) per put-away move in the periods. The receipt
    is the latest receipt move of the same product, lot and plate into the bin the put-away
    left, at or before it."""
    receipt = aliased(Move)
    received_at = (select(func.max(receipt.created_at))
                   .where(receipt.reason.in_(("receipt", "receipt_damaged")),
                          receipt.product_id == Move.product_id,
                          func.coalesce(receipt.lot_id, 0) == func.coalesce(Move.lot_id, 0),
                          func.coalesce(receipt.to_license_plate_id, 0) == func.coalesce(Move.from_license_plate_id, 0),
                          receipt.to_location_id == Move.from_location_id,
                          receipt.created_at <= Move.created_at)
                   .correlate(Move).scalar_subquery())
    query = (select(bucket(Move.created_at, spans), received_at, Move.created_at)
             .where(Move.reason == "putaway", within(Move.created_at, spans)))
    return [(index, (_utc(put) - _utc(got)).total_seconds())
            for index, got, put in session.execute(query) if got is not None]


def units_shipped(session: Session, spans: list[Period], channel: str | None) -> list[tuple]:
    """(period, channel, units) moved to the customer for orders."""
    customer = select(Location.id).where(Location.kind == "customer")
    period = bucket(Move.created_at, spans)
    query = (select(period, SalesOrder.channel, func.sum(Move.quantity))
             .join(SalesOrder, SalesOrder.id == Move.document_id)
             .where(Move.document_type == ORDER_DOCUMENT, Move.to_location_id.in_(customer),
                    within(Move.created_at, spans))
             .group_by(period, SalesOrder.channel))
    return list(session.execute(_channel(query, SalesOrder.channel, channel)))


def units_returned(session: Session, spans: list[Period], channel: str | None) -> list[tuple]:
    """(period, channel, units) of returns received (cancelled ones left out)."""
    period = bucket(ReturnUnit.received_at, spans)
    query = (select(period, Rma.channel, func.sum(ReturnUnit.quantity))
             .join(Rma, Rma.id == ReturnUnit.rma_id)
             .where(ReturnUnit.status != "cancelled", within(ReturnUnit.received_at, spans))
             .group_by(period, Rma.channel))
    return list(session.execute(_channel(query, Rma.channel, channel)))


def allocated_lines(session: Session, spans: list[Period], channel: str | None) -> list[tuple]:
    """(period, channel, lines, lines short) by the day of each line's first allocation."""
    period = bucket(SalesOrderLine.first_allocated_at, spans)
    query = (select(period, SalesOrder.channel, func.count(SalesOrderLine.id),
                    func.count(SalesOrderLine.id).filter(SalesOrderLine.short_at_allocation.is_(True)))
             .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
             .where(SalesOrderLine.first_allocated_at.is_not(None),
                    within(SalesOrderLine.first_allocated_at, spans))
             .group_by(period, SalesOrder.channel))
    return list(session.execute(_channel(query, SalesOrder.channel, channel)))


def _value_change():  # noqa: ANN202
    """A move's effect on the value of physical stock: + units x cost in, - units x cost out."""
    source, destination = aliased(Location), aliased(Location)
    sign = (case((destination.kind.in_(VIRTUAL_LOCATION_KINDS), 0), else_=1)
            - case((source.kind.in_(VIRTUAL_LOCATION_KINDS), 0), else_=1))
    value = func.sum(Move.quantity * func.coalesce(Product.unit_cost, 0) * sign)

    def joins(query):  # noqa: ANN001, ANN202
        return (query.select_from(Move).join(Product, Product.id == Move.product_id)
                .join(source, source.id == Move.from_location_id)
                .join(destination, destination.id == Move.to_location_id))

    return value, joins


def inventory_value(session: Session, spans: list[Period]) -> tuple[float, dict[int, float]]:
    """The value of physical stock at the start of the first period, and its change per period."""
    value, joins = _value_change()
    opening = session.scalar(joins(select(value)).where(Move.created_at < spans[0].since)) or 0.0
    period = bucket(Move.created_at, spans)
    changes = dict(session.execute(joins(select(period, value)).where(within(Move.created_at, spans))
                                   .group_by(period)).all())
    return float(opening), {index: float(change or 0) for index, change in changes.items()}


def cost_shipped(session: Session, spans: list[Period]) -> dict[int, tuple[float, int]]:
    """(cost of goods shipped, units without a cost) per period: moves to the customer."""
    customer = select(Location.id).where(Location.kind == "customer")
    period = bucket(Move.created_at, spans)
    query = (select(period, func.sum(Move.quantity * func.coalesce(Product.unit_cost, 0)),
                    func.coalesce(func.sum(Move.quantity).filter(Product.unit_cost.is_(None)), 0))
             .select_from(Move).join(Product, Product.id == Move.product_id)
             .where(Move.to_location_id.in_(customer), within(Move.created_at, spans))
             .group_by(period))
    return {index: (float(cost or 0), int(uncosted)) for index, cost, uncosted in session.execute(query)}


def counted_lines(session: Session, spans: list[Period]) -> list[tuple]:
    """(period, lines counted, lines within tolerance) by the day the location was finished."""
    period = bucket(CountLocation.finished_at, spans)
    query = (select(period, func.count(CountLine.id),
                    func.count(CountLine.id).filter(CountLine.within_tolerance.is_(True)))
             .join(CountLocation, CountLocation.id == CountLine.count_location_id)
             .where(CountLine.status.in_(MEASURED_STATUSES), CountLocation.finished_at.is_not(None),
                    within(CountLocation.finished_at, spans))
             .group_by(period))
    return list(session.execute(query))


def operator_days(session: Session, days: list[Period]) -> list[tuple]:
    """(day, user id, name, scans, errors, first scan, last scan) per operator and local day."""
    day = bucket(ScanJournal.at, days)
    query = (select(day, ScanJournal.user_id, User.display_name, func.count(ScanJournal.id),
                    func.count(ScanJournal.id).filter(ScanJournal.outcome.in_(ERROR_OUTCOMES)),
                    func.min(ScanJournal.at), func.max(ScanJournal.at))
             .join(User, User.id == ScanJournal.user_id)
             .where(within(ScanJournal.at, days))
             .group_by(day, ScanJournal.user_id, User.display_name))
    return list(session.execute(query))


def pick_lines(session: Session, days: list[Period]) -> list[tuple]:
    """(day, user id, pick tasks finished) per picker and local day."""
    day = bucket(PickTask.done_at, days)
    query = (select(day, PickTask.picked_by, func.count(PickTask.id))
             .where(PickTask.picked_by.is_not(None), PickTask.done_at.is_not(None),
                    within(PickTask.done_at, days))
             .group_by(day, PickTask.picked_by))
    return list(session.execute(query))


def _utc(at: dt.datetime) -> dt.datetime:
    return at if at.tzinfo else at.replace(tzinfo=dt.timezone.utc)


__all__ = ["allocated_lines", "cost_shipped", "counted_lines", "inventory_value", "operator_days",
           "pick_lines", "put_away_waits", "shipped_orders", "units_returned", "units_shipped"]


def user_names(session: Session, user_ids: set[int]) -> dict[int, str]:
    return dict(session.execute(select(User.id, User.display_name).where(User.id.in_(user_ids))).all())
