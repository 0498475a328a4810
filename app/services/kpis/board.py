"""What the supervisor dashboard shows beside the KPI trends: targets per KPI (stored in the
warehouse settings table), today's open work, and who worked today."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core import clock
from app.core.actor import Actor
from app.core.errors import InvalidInput
from app.core.permissions import require, use_case
from app.db.models import Location, OnHand, PurchaseOrder, WarehouseSetting
from app.db.models_counting import Count, CountLine
from app.db.models_picking import PickTask, Wave
from app.db.models_printing import PrintJob
from app.db.models_replenishment import ReplenishmentTask
from app.db.models_returns import ReturnUnit
from app.db.uow import UnitOfWork
from app.services import audit
from app.services.kpis.periods import midnight
from app.services.kpis.report import KPIS, KpiReport, KpiRow, build_report

TARGET_PREFIX = "kpi_target."
OPEN_WORK = ("receipts", "putaway", "waves", "replenish", "counts", "returns", "attention")


@dataclass(frozen=True)
class OpenWork:
    receipts: int  # purchase orders and ASNs not fully received
    putaway: int  # stock rows waiting on a receiving dock
    waves: int  # released waves not picked yet
    replenish: int  # replenishment tasks open (reserve -> pick face)
    counts: int  # counts planned or being counted
    returns: int  # returned units waiting for inspection
    attention: int  # count lines waiting for a supervisor + failed print jobs + short picks today


def kpi_targets(session: Session) -> dict[str, float]:
    rows = session.execute(select(WarehouseSetting.key, WarehouseSetting.value)
                           .where(WarehouseSetting.key.like(TARGET_PREFIX + "%")))
    return {key[len(TARGET_PREFIX):]: float(value) for key, value in rows if value != ""}


@use_case("set_kpi_target")
def set_kpi_target(uow: UnitOfWork, kpi: str, value: float | None, *, actor: Actor) -> dict[str, float]:
    """Set (or with None clear) the target line drawn under a KPI's trend; audited."""
    if kpi not in KPIS:
        raise InvalidInput(field="kpi", reason=f"'{kpi}' is not one of {', '.join(KPIS)}")
    if value is not None and (value != value or value < 0):  # NaN or negative
        raise InvalidInput(field=kpi, reason="a target is a number of at least 0")
    session = uow.session
    stored = session.get(WarehouseSetting, TARGET_PREFIX + kpi)
    audit.record(session, actor, "kpi_target_set", kpi=kpi, value=value,
                 before=None if stored is None else stored.value)
    if value is None:
        if stored is not None:
            session.delete(stored)
    elif stored is None:
        session.add(WarehouseSetting(key=TARGET_PREFIX + kpi, value=repr(float(value))))
    else:
        stored.value = repr(float(value))
    session.flush()
    targets = kpi_targets(session)
    uow.commit()
    return targets


def open_work(session: Session) -> OpenWork:
    """Today's open work in one statement."""
    today = clock.today()
    dock = select(Location.id).where(Location.kind == "receiving")
    counts = [
        select(func.count(PurchaseOrder.id)).where(PurchaseOrder.status.in_(("open", "partially_received"))),
        select(func.count(OnHand.id)).where(OnHand.location_id.in_(dock), OnHand.quantity > 0),
        select(func.count(Wave.id)).where(Wave.status.in_(("released", "picking"))),
        select(func.count(ReplenishmentTask.id)).where(ReplenishmentTask.status == "open"),
        select(func.count(Count.id)).where(Count.status.in_(("planned", "counting", "in_review"))),
        select(func.coalesce(func.sum(ReturnUnit.quantity), 0)).where(ReturnUnit.status == "received"),
        select(func.count(CountLine.id)).where(CountLine.status == "to_review"),
        select(func.count(PrintJob.id)).where(PrintJob.status == "failed"),
        select(func.count(PickTask.id)).where(PickTask.status == "short", PickTask.done_at >= midnight(today)),
    ]
    values = session.execute(select(*(query.scalar_subquery() for query in counts))).one()
    receipts, putaway, waves, replenish, count_docs, returns, review, failed, short = (int(v or 0) for v in values)
    return OpenWork(receipts, putaway, waves, replenish, count_docs, returns, review + failed + short)


@dataclass(frozen=True)
class Dashboard:
    report: KpiReport  # the trend (by day over the last weeks)
    targets: dict[str, float]
    work: OpenWork
    today: dt.date

    def operators_today(self) -> dict[str, dict[str, float | None]]:
        """Each operator's figures of today: {name: {kpi: value}}."""
        found: dict[str, dict[str, float | None]] = {}
        for row in self.report.rows:
            if row.operator and row.period_start == self.today:
                found.setdefault(row.operator, {})[row.kpi] = row.value
        return found

    def latest(self, kpi: str) -> KpiRow | None:
        """The KPI's last period with a value."""
        rows = [row for row in self.report.rows if row.kpi == kpi and not row.channel and not row.operator
                and row.value is not None]
        return rows[-1] if rows else None


@use_case("kpi_dashboard")
def dashboard(uow: UnitOfWork, *, actor: Actor, days: int = 28, by: str = "day") -> Dashboard:
    """Everything the supervisor dashboard shows, read in one transaction."""
    return dashboard_view(uow.session, actor=actor, days=days, by=by)


def dashboard_view(session: Session, *, actor: Actor, days: int = 28, by: str = "day") -> Dashboard:
    """The same as ``dashboard`` in a read-only session the caller opened (the screen's query)."""
    require(actor, "kpi_dashboard")
    today = clock.today()
    report = build_report(session, today - dt.timedelta(days=days - 1), today, by=by)
    return Dashboard(report, kpi_targets(session), open_work(session), today)
