"""The KPI report: every figure of figures.py per period (and per channel where orders have
one), as ratios, percentiles and per-hour rates. Definitions: README "KPI definitions".

A ratio whose denominator is zero has no value (None; empty in CSV, "—" on screen).
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TextIO

from app.core import csv_safe
from app.core.actor import Actor
from app.core.permissions import use_case
from app.db.uow import UnitOfWork
from app.services.kpis import figures
from app.services.kpis.periods import Period, periods

# Every KPI the report gives, in report order; ``CHANNEL_KPIS`` also come per sales channel.
KPIS = (
    "order_accuracy", "cycle_time_p50_h", "cycle_time_p90_h", "return_rate", "stockout_rate",
    "dock_to_stock_p50_h", "dock_to_stock_p90_h", "inventory_turnover", "record_accuracy",
)
CHANNEL_KPIS = ("order_accuracy", "cycle_time_p50_h", "cycle_time_p90_h", "return_rate", "stockout_rate")
OPERATOR_KPIS = ("scans", "errors", "error_rate", "hours", "scans_per_hour", "pick_lines", "lines_per_hour")
RATIO_KPIS = ("order_accuracy", "return_rate", "stockout_rate", "record_accuracy", "error_rate")
COLUMNS = ("period_start", "period_end", "kpi", "channel", "operator", "value", "numerator", "denominator")


@dataclass(frozen=True)
class KpiRow:
    period_start: dt.date
    period_end: dt.date
    kpi: str
    channel: str  # "" for the whole warehouse
    operator: str  # "" unless an operator figure
    value: float | None  # None: nothing to divide by
    numerator: float | None = None
    denominator: float | None = None


@dataclass(frozen=True)
class KpiReport:
    since: dt.date
    until: dt.date
    by: str
    channel: str | None
    rows: tuple[KpiRow, ...]

    def value(self, kpi: str, period: dt.date | None = None, *, channel: str = "",
              operator: str = "") -> float | None:
        """One figure (the first period when none is named); KeyError when not reported."""
        for row in self.rows:
            if (row.kpi, row.channel, row.operator) == (kpi, channel, operator) and \
                    (period is None or row.period_start == period):
                return row.value
        raise KeyError((kpi, period, channel, operator))

    def series(self, kpi: str, *, channel: str = "") -> list[tuple[dt.date, float | None]]:
        return [(row.period_start, row.value) for row in self.rows
                if (row.kpi, row.channel, row.operator) == (kpi, channel, "")]


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def _percentile(values: list[float], pct: int) -> float | None:
    """The pct-th percentile (inclusive method, linear between ranks); None without values."""
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


@use_case("kpi_report")
def kpi_report(uow: UnitOfWork, since: dt.date, until: dt.date, *, actor: Actor, by: str = "day",
               channel: str | None = None) -> KpiReport:
    """Every KPI from ``since`` to ``until`` (local days, inclusive) per day, week or month."""
    return build_report(uow.session, since, until, by=by, channel=channel)


def build_report(session, since: dt.date, until: dt.date, *, by: str = "day",  # noqa: ANN001
                 channel: str | None = None) -> KpiReport:
    spans = periods(since, until, by)
    rows: list[KpiRow] = []

    def add(index: int, kpi: str, value: float | None, numerator: float | None = None,
            denominator: float | None = None, *, channel_name: str = "", operator: str = "") -> None:
        span = spans[index]
        rows.append(KpiRow(span.start, span.end, kpi, channel_name, operator, value, numerator, denominator))

    channel_figures(session, spans, channel, add)
    warehouse_figures(session, spans, add)
    operator_figures(session, spans, add)
    order = {kpi: n for n, kpi in enumerate(KPIS + OPERATOR_KPIS)}
    rows.sort(key=lambda r: (r.period_start, r.operator != "", r.operator, r.channel != "", r.channel,
                             order[r.kpi]))
    return KpiReport(since, until, by, channel, tuple(rows))


def channel_figures(session, spans: list[Period], channel: str | None, add) -> None:  # noqa: ANN001
    """Order accuracy, cycle time, return rate and stockout rate: overall and per channel."""
    shipped = defaultdict(lambda: [0, 0, []])  # (period, channel) -> [orders, perfect, hours]
    for index, name, created, shipped_at, perfect in figures.shipped_orders(session, spans, channel):
        for key in ((index, ""), (index, name)):
            shipped[key][0] += 1
            shipped[key][1] += bool(perfect)
            shipped[key][2].append((figures._utc(shipped_at) - figures._utc(created)).total_seconds() / 3600)
    units = defaultdict(lambda: [0, 0])  # (period, channel) -> [shipped, returned]
    for position, source in ((0, figures.units_shipped), (1, figures.units_returned)):
        for index, name, quantity in source(session, spans, channel):
            for key in ((index, ""), (index, name)):
                units[key][position] += int(quantity or 0)
    lines = defaultdict(lambda: [0, 0])
    for index, name, total, short in figures.allocated_lines(session, spans, channel):
        for key in ((index, ""), (index, name)):
            lines[key][0] += total
            lines[key][1] += short
    channels = sorted({name for _, name in (*shipped, *units, *lines) if name})
    for index in range(len(spans)):
        for name in ["", *channels]:
            orders, perfect, hours = shipped.get((index, name), (0, 0, []))
            if name and not (orders or (index, name) in units or (index, name) in lines):
                continue
            add(index, "order_accuracy", _ratio(perfect, orders), perfect, orders, channel_name=name)
            add(index, "cycle_time_p50_h", _percentile(sorted(hours), 50), None, orders, channel_name=name)
            add(index, "cycle_time_p90_h", _percentile(sorted(hours), 90), None, orders, channel_name=name)
            out, back = units.get((index, name), (0, 0))
            add(index, "return_rate", _ratio(back, out), back, out, channel_name=name)
            total, short = lines.get((index, name), (0, 0))
            add(index, "stockout_rate", _ratio(short, total), short, total, channel_name=name)


def warehouse_figures(session, spans: list[Period], add) -> None:  # noqa: ANN001
    """Dock-to-stock, inventory turnover and record accuracy: the warehouse has no channel."""
    waits: dict[int, list[float]] = defaultdict(list)
    for index, seconds in figures.put_away_waits(session, spans):
        waits[index].append(seconds / 3600)
    opening, changes = figures.inventory_value(session, spans)
    cogs = figures.cost_shipped(session, spans)
    counted = {index: (lines, within) for index, lines, within in figures.counted_lines(session, spans)}
    value = opening
    for index in range(len(spans)):
        hours = sorted(waits.get(index, []))
        add(index, "dock_to_stock_p50_h", _percentile(hours, 50), None, len(hours))
        add(index, "dock_to_stock_p90_h", _percentile(hours, 90), None, len(hours))
        closing = value + changes.get(index, 0.0)
        average = (value + closing) / 2
        cost = cogs.get(index, (0.0, 0))[0]
        add(index, "inventory_turnover", _ratio(cost, average) if average > 0 else None,
            round(cost, 4), round(average, 4))
        value = closing
        lines, within = counted.get(index, (0, 0))
        add(index, "record_accuracy", _ratio(within, lines), within, lines)


def operator_figures(session, spans: list[Period], add) -> None:  # noqa: ANN001
    """Scans, errors and pick lines per operator; hours = first to last scan of each local day."""
    days = periods(spans[0].start, spans[-1].end, "day")
    of_day = [next(n for n, span in enumerate(spans) if span.start <= day.start <= span.end) for day in days]
    tally: dict[tuple[int, int], dict] = {}
    names: dict[int, str] = {}
    for day, user_id, name, scans, errors, first, last in figures.operator_days(session, days):
        names[user_id] = name
        entry = tally.setdefault((of_day[day], user_id), {"scans": 0, "errors": 0, "seconds": 0.0, "lines": 0})
        entry["scans"] += scans
        entry["errors"] += errors
        entry["seconds"] += (figures._utc(last) - figures._utc(first)).total_seconds()
    for day, user_id, lines in figures.pick_lines(session, days):
        entry = tally.setdefault((of_day[day], user_id), {"scans": 0, "errors": 0, "seconds": 0.0, "lines": 0})
        entry["lines"] += lines
    if set(names) != {user for _, user in tally}:
        names.update(figures.user_names(session, {user for _, user in tally} - set(names)))
    for (index, user_id), entry in sorted(tally.items(), key=lambda kv: (kv[0][0], names.get(kv[0][1], ""))):
        hours = entry["seconds"] / 3600
        who = names.get(user_id, str(user_id))
        add(index, "scans", entry["scans"], operator=who)
        add(index, "errors", entry["errors"], operator=who)
        add(index, "error_rate", _ratio(entry["errors"], entry["scans"]), entry["errors"], entry["scans"],
            operator=who)
        add(index, "hours", round(hours, 4), operator=who)
        add(index, "scans_per_hour", _ratio(entry["scans"], hours), entry["scans"], round(hours, 4), operator=who)
        add(index, "pick_lines", entry["lines"], operator=who)
        add(index, "lines_per_hour", _ratio(entry["lines"], hours), entry["lines"], round(hours, 4), operator=who)


# --- output ----------------------------------------------------------------------------------
def _number(value: float | None) -> str | float | int:
    if value is None:
        return ""
    if float(value).is_integer():
        return int(value)
    return round(float(value), 4)


def write_csv(report: KpiReport, stream: TextIO) -> int:
    """One row per figure (COLUMNS); a ratio with nothing to divide by has an empty value."""
    writer = csv_safe.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in report.rows:
        writer.writerow((row.period_start.isoformat(), row.period_end.isoformat(), row.kpi, row.channel,
                         row.operator, _number(row.value), _number(row.numerator), _number(row.denominator)))
    return len(report.rows)


def as_json(report: KpiReport) -> str:
    def plain(row: KpiRow) -> dict:
        data = asdict(row)
        data["period_start"], data["period_end"] = row.period_start.isoformat(), row.period_end.isoformat()
        for key in ("value", "numerator", "denominator"):
            data[key] = None if data[key] is None else _number(data[key])
        return data

    return json.dumps({"from": report.since.isoformat(), "to": report.until.isoformat(), "by": report.by,
                       "channel": report.channel, "rows": [plain(row) for row in report.rows]},
                      ensure_ascii=False, indent=1)


def rows_of(report: KpiReport, kpis: Iterable[str]) -> list[KpiRow]:
    wanted = set(kpis)
    return [row for row in report.rows if row.kpi in wanted]
