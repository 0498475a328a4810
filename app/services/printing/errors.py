"""Typed errors of printing (the UI translates their templates; see app/ui/printing/texts.py)."""

from __future__ import annotations

from app.core.errors import StockfloorError


class NothingToPrint(StockfloorError):
    template = "Nothing to print: {what}."


class TooManyLabels(StockfloorError):
    template = "{count} labels in one job is too many; the most is {most}. Print a smaller selection."


class JobTooOld(StockfloorError):
    template = "Print job {job} is from {date}: only jobs of the last {days} days can be printed again."


class JobAlreadySent(StockfloorError):
    template = "Print job {job} was sent to the printer already: reprint it instead."

