"""Dates for Qt widgets from the app's one clock (app/core/clock.py), never Qt's own."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate

from app.core import clock


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def today() -> QDate:
    """Today on the workstation, as the date pickers want it."""
    return qdate(clock.today())
