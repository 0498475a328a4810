"""The report's calendar: local days, ISO weeks or months between two dates, as UTC instants,
and the SQL expression that puts a stored instant into its period (one CASE, no query per row)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case
from sqlalchemy.sql.elements import ColumnElement

from app.core.errors import InvalidInput

BY = ("day", "week", "month")


@dataclass(frozen=True)
class Period:
    start: dt.date  # first local day
    end: dt.date  # last local day (inclusive)
    since: dt.datetime  # UTC instant of the local midnight that starts it
    until: dt.datetime  # UTC instant of the local midnight after it


def midnight(day: dt.date) -> dt.datetime:
    """The workstation's local midnight starting ``day`` as a UTC instant."""
    return dt.datetime.combine(day, dt.time()).astimezone().astimezone(dt.timezone.utc)


def _next_start(day: dt.date, by: str) -> dt.date:
    if by == "day":
        return day + dt.timedelta(days=1)
    if by == "week":
        return day - dt.timedelta(days=day.weekday()) + dt.timedelta(days=7)
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def periods(since: dt.date, until: dt.date, by: str) -> list[Period]:
    """The periods covering ``since``..``until`` (inclusive); the first and last week or month
    are cut at those dates."""
    if by not in BY:
        raise InvalidInput(field="by", reason=f"'{by}' is not one of {', '.join(BY)}")
    if until < since:
        raise InvalidInput(field="to", reason=f"{until} is before {since}")
    if (until - since).days > 3660:
        raise InvalidInput(field="to", reason="a report covers at most ten years")
    found: list[Period] = []
    day = since
    while day <= until:
        after = min(_next_start(day, by), until + dt.timedelta(days=1))
        found.append(Period(day, after - dt.timedelta(days=1), midnight(day), midnight(after)))
        day = after
    return found


def bucket(column: ColumnElement, spans: list[Period]) -> ColumnElement:
    """The index of the period ``column`` falls in; filter with ``within`` as well."""
    return case(*((column < span.until, index) for index, span in enumerate(spans)), else_=None)


def within(column: ColumnElement, spans: list[Period]) -> ColumnElement:
    return (column >= spans[0].since) & (column < spans[-1].until)
