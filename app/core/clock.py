"""The one place the app asks for the time.

``now()`` is the current instant in UTC (what the database stores); ``today()`` is the
workstation's local calendar day (due dates, "today's" lists, ship-by dates). Tests pin both
with time-machine, which moves every call below to the instant a test chooses.
"""

from __future__ import annotations

import datetime as dt


def now() -> dt.datetime:
    """The current instant, timezone-aware, in UTC."""
    return dt.datetime.now(dt.timezone.utc)


def today() -> dt.date:
    """The workstation's local calendar day."""
    return dt.date.today()


def local(at: dt.datetime) -> dt.datetime:
    """A stored instant (aware, or naive in UTC as SQLite returns it) in local time."""
    aware = at if at.tzinfo else at.replace(tzinfo=dt.timezone.utc)
    return aware.astimezone()
