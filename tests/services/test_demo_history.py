"""The demo warehouse carries weeks of history: the KPIs have a trend on first start, and the
history is as consistent as the floor's own work (ledger, document counters, hash chain)."""

from __future__ import annotations

import datetime as dt

from app.core.actor import system_actor
from app.db.uow import UnitOfWork
from app.services import integrity, kpis, ledger
from app.services.demo import build_demo
from app.services.demo_history import HISTORY_DAYS, history_start

TODAY = dt.date(2026, 11, 23)  # a Monday


def test_the_demo_has_weeks_of_history_with_a_trend_for_every_kpi(database):
    with UnitOfWork(database) as uow:
        summary = build_demo(uow, products=120, seed=5, today=TODAY, actor=system_actor("demo"))
    assert summary.history_days == HISTORY_DAYS and summary.history_orders > 5 * HISTORY_DAYS
    start = history_start(TODAY)
    assert start == dt.date(2026, 10, 29) and start.weekday() != 6  # 21 working days, Sundays off
    with UnitOfWork(database, write=False) as uow:
        session = uow.session
        assert ledger.check_ledger(session) == [] and integrity.check_documents(session) == []
        report = kpis.build_report(session, TODAY - dt.timedelta(days=27), TODAY, by="day")
        dashboard = kpis.dashboard_view(session, actor=system_actor("demo"), days=28)
    for kpi in ("order_accuracy", "cycle_time_p50_h", "stockout_rate", "record_accuracy", "inventory_turnover"):
        values = [value for day, value in report.series(kpi) if day < TODAY]
        assert sum(value is not None for value in values) >= 18, kpi  # every working day
    sundays = [day for day, value in report.series("order_accuracy") if day.weekday() == 6]
    assert sundays and all(report.value("order_accuracy", day) is None for day in sundays)
    assert 0.8 < report.value("order_accuracy", TODAY - dt.timedelta(days=2)) <= 1  # Saturday
    assert any(report.value("return_rate", day) for day, _ in report.series("return_rate"))
    assert any(value for _, value in report.series("dock_to_stock_p50_h"))
    assert dashboard.work.returns > 0  # returned units wait for inspection
