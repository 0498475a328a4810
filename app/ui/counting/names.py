"""Translated names of the counting service's codes: kinds of count, states, reason codes and
resolutions. The service speaks in codes; only the screens turn them into words."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.core.counting_rules import KEEP_COUNTED, KEEP_DIFFERENCE, REASON_CODES

CONTEXT = "CountingNames"

KINDS = {
    "location_range": QT_TRANSLATE_NOOP("CountingNames", "location range"),
    "zone": QT_TRANSLATE_NOOP("CountingNames", "zone"),
    "product": QT_TRANSLATE_NOOP("CountingNames", "product"),
    "abc": QT_TRANSLATE_NOOP("CountingNames", "ABC schedule"),
    "triggered": QT_TRANSLATE_NOOP("CountingNames", "requested"),
    "recount": QT_TRANSLATE_NOOP("CountingNames", "recount"),
}
STATES = {
    "planned": QT_TRANSLATE_NOOP("CountingNames", "planned"),
    "counting": QT_TRANSLATE_NOOP("CountingNames", "counting"),
    "in_review": QT_TRANSLATE_NOOP("CountingNames", "in review"),
    "closed": QT_TRANSLATE_NOOP("CountingNames", "closed"),
    "cancelled": QT_TRANSLATE_NOOP("CountingNames", "cancelled"),
    "to_review": QT_TRANSLATE_NOOP("CountingNames", "waiting"),
    "matched": QT_TRANSLATE_NOOP("CountingNames", "matched"),
    "auto_approved": QT_TRANSLATE_NOOP("CountingNames", "within tolerance"),
    "approved": QT_TRANSLATE_NOOP("CountingNames", "approved"),
    "rejected": QT_TRANSLATE_NOOP("CountingNames", "rejected"),
    "recounted": QT_TRANSLATE_NOOP("CountingNames", "recounted"),
}
REASONS = {
    "miscount": QT_TRANSLATE_NOOP("CountingNames", "Miscount"),
    "found": QT_TRANSLATE_NOOP("CountingNames", "Found"),
    "lost": QT_TRANSLATE_NOOP("CountingNames", "Lost"),
    "damaged": QT_TRANSLATE_NOOP("CountingNames", "Damaged"),
    "expired": QT_TRANSLATE_NOOP("CountingNames", "Expired"),
    "unrecorded_move": QT_TRANSLATE_NOOP("CountingNames", "Unrecorded move"),
}
# Trigger reasons other workflows give when they ask for a count.
TRIGGERS = {
    "short_pick": QT_TRANSLATE_NOOP("CountingNames", "short pick"),
    "bin_found_empty": QT_TRANSLATE_NOOP("CountingNames", "bin found empty"),
    "putaway_refused": QT_TRANSLATE_NOOP("CountingNames", "put-away refused"),
    "supervisor_request": QT_TRANSLATE_NOOP("CountingNames", "supervisor request"),
}
RESOLUTIONS = {
    KEEP_COUNTED: QT_TRANSLATE_NOOP("CountingNames", "Keep counted quantity"),
    KEEP_DIFFERENCE: QT_TRANSLATE_NOOP("CountingNames", "Keep the difference"),
}
assert tuple(REASONS) == REASON_CODES  # a new reason code needs its words here


def _name(table: dict[str, str], code: str | None) -> str:
    if code is None:
        return ""
    return QCoreApplication.translate(CONTEXT, table[code]) if code in table else code


def kind_name(kind: str) -> str:
    return _name(KINDS, kind)


def state_name(state: str) -> str:
    return _name(STATES, state)


def reason_name(code: str | None) -> str:
    return _name(REASONS, code)


def resolution_name(code: str | None) -> str:
    return _name(RESOLUTIONS, code)


def count_reason(reason: str | None) -> str:
    """What a count is about: a trigger reason in words, or the plan's own text
    ("A-01-01..A-03-01", "zone Z1", a SKU), which is data and stays as it is."""
    return _name(TRIGGERS, reason) if reason in TRIGGERS else (reason or "")
