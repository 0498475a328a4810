"""Key figures for supervisors, computed from the ledger, the documents and the scan journal:
order accuracy, fulfilment cycle time, dock-to-stock time, return rate, stockout rate,
inventory turnover, inventory record accuracy and operator figures, per day, week or month
(the workstation's calendar) and per sales channel where orders have one."""

from app.services.kpis.board import (
    OPEN_WORK,
    Dashboard,
    OpenWork,
    dashboard,
    dashboard_view,
    kpi_targets,
    open_work,
    set_kpi_target,
)
from app.services.kpis.periods import BY, Period, periods
from app.services.kpis.report import (
    CHANNEL_KPIS,
    COLUMNS,
    KPIS,
    OPERATOR_KPIS,
    RATIO_KPIS,
    KpiReport,
    KpiRow,
    as_json,
    build_report,
    kpi_report,
    write_csv,
)

__all__ = ["BY", "OPEN_WORK", "dashboard_view", "CHANNEL_KPIS", "COLUMNS", "KPIS", "OPERATOR_KPIS", "RATIO_KPIS", "Dashboard", "KpiReport",
           "KpiRow", "OpenWork", "Period", "as_json", "build_report", "dashboard", "kpi_report", "kpi_targets",
           "open_work", "periods", "set_kpi_target", "write_csv"]
