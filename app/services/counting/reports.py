"""Count reports: inventory record accuracy over time, and count results as CSV."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import csv_safe
from app.core.counting_rules import PERIODS, period_start
from app.core.errors import InvalidInput
from app.db.models import Location
from app.db.models_counting import Count, CountLine, CountLocation
from app.services.counting.common import day_bounds, local_day, user_directory

# A line superseded by a recount is not a measurement of the records; its recount is.
MEASURED_STATUSES = ("matched", "auto_approved", "to_review", "approved", "rejected")
GROUPINGS = ("class", "zone")


@dataclass(frozen=True)
class AccuracyRow:
    period_start: dt.date
    group: str | None  # the ABC class or zone; None when not grouped
    lines: int
    within_tolerance: int

    @property
    def accuracy(self) -> float:
        """Share of counted lines whose records were within tolerance (0..1)."""
        return self.within_tolerance / self.lines if self.lines else 0.0


def _finished_between(query, since: dt.date | None, until: dt.date | None):  # noqa: ANN001, ANN202
    start, end = day_bounds(since, until)
    query = query.where(CountLocation.finished_at.is_not(None))
    if start is not None:
        query = query.where(CountLocation.finished_at >= start)
    if end is not None:
        query = query.where(CountLocation.finished_at < end)
    return query


def inventory_accuracy(
    session: Session, *, period: str = "month", by: str | None = None,
    since: dt.date | None = None, until: dt.date | None = None,
) -> list[AccuracyRow]:
    """Inventory record accuracy per week or month, overall or by ABC class or by zone."""
    if by is not None and by not in GROUPINGS:
        raise InvalidInput(field="by", reason=f"'{by}' is not one of {', '.join(GROUPINGS)}")
    if period not in PERIODS:
        raise InvalidInput(field="period", reason=f"'{period}' is not one of {', '.join(PERIODS)}")
    tally: dict[tuple[dt.date, str | None], list[int]] = defaultdict(lambda: [0, 0])
    query = (
        select(CountLine.abc_class, CountLine.within_tolerance, CountLocation.finished_at, Location.zone)
        .join(CountLocation, CountLocation.id == CountLine.count_location_id)
        .join(Location, Location.id == CountLocation.location_id)
        .where(CountLine.status.in_(MEASURED_STATUSES))
    )
    for abc_class, within, finished_at, zone in session.execute(_finished_between(query, since, until)):
        group = abc_class if by == "class" else zone if by == "zone" else None
        bucket = tally[(period_start(local_day(finished_at), period), group)]
        bucket[0] += 1
        bucket[1] += bool(within)
    return [AccuracyRow(start, group, lines, within)
            for (start, group), (lines, within) in sorted(tally.items(),
                                                           key=lambda kv: (kv[0][0], kv[0][1] or ""))]


CSV_COLUMNS = (
    "count", "kind", "location", "zone", "sku", "product", "lot", "abc_class", "expected",
    "counted", "variance_qty", "variance_value", "within_tolerance", "status", "reason_code",
    "resolution", "adjustment", "counted_by", "counted_at", "decided_by", "decided_at",
)


def _text(value: str | None) -> str:
    """Text cells that a spreadsheet would run as a formula are prefixed with a quote."""
    return str(csv_safe.safe_cell(value or ""))


def _when(at: dt.datetime | None) -> str:
    if at is None:
        return ""
    at = at.astimezone(dt.timezone.utc) if at.tzinfo else at.replace(tzinfo=dt.timezone.utc)
    return at.replace(microsecond=0).isoformat()


def write_count_results_csv(
    session: Session, out: TextIO, *, count_ids: Sequence[int] | None = None,
    since: dt.date | None = None, until: dt.date | None = None,
) -> int:
    """Write every evaluated count line (of the given counts, or finished in the period)
    to ``out`` as CSV with a header row. Returns the number of lines written."""
    names = user_directory(session)
    writer = csv_safe.writer(out)
    writer.writerow(CSV_COLUMNS)
    written = 0
    query = (
        select(CountLine)
        .join(CountLocation, CountLocation.id == CountLine.count_location_id)
        .join(Count, Count.id == CountLocation.count_id)
        .join(Location, Location.id == CountLocation.location_id)
        .order_by(Count.id, Location.code, CountLine.id)
    )
    if count_ids is not None:
        query = query.where(Count.id.in_(list(count_ids)))
    for line in session.scalars(_finished_between(query, since, until)):
        cl = line.count_location
        counters = [names.get(e.user_id, "") for e in line.entries if not e.undone and e.user_id]
        writer.writerow((
            cl.count.number, cl.count.kind, _text(cl.location.code), _text(cl.location.zone),
            _text(line.product.sku), _text(line.product.name),
            _text(line.lot.code if line.lot else None), line.abc_class or "", line.expected,
            line.counted, line.variance_qty if line.variance_qty is not None else "",
            f"{line.variance_value:.2f}" if line.variance_value is not None else "",
            {True: "yes", False: "no", None: ""}[line.within_tolerance], line.status,
            line.reason_code or "", line.resolution or "",
            line.adjustment if line.adjustment is not None else "",
            _text("; ".join(dict.fromkeys(counters)) or names.get(cl.finished_by_id or 0)),
            _when(cl.finished_at), _text(names.get(line.decided_by_id or 0)), _when(line.decided_at),
        ))
        written += 1
    return written
