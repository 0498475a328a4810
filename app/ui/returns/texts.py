"""Words of the returns screens: grades, dispositions, flags, findings and the built-in
checklist items, translated at run time (context "ReturnTexts"); and the returns errors'
templates for app/ui/error_texts.py's catalogue (context "errors")."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "ReturnTexts"

GRADE_NAMES = {
    "A": QT_TRANSLATE_NOOP("ReturnTexts", "like new"),
    "B": QT_TRANSLATE_NOOP("ReturnTexts", "open box"),
    "C": QT_TRANSLATE_NOOP("ReturnTexts", "damaged, repairable"),
    "D": QT_TRANSLATE_NOOP("ReturnTexts", "scrap"),
}
DISPOSITION_NAMES = {
    "restock": QT_TRANSLATE_NOOP("ReturnTexts", "Restock"),
    "quarantine": QT_TRANSLATE_NOOP("ReturnTexts", "Quarantine"),
    "refurbish": QT_TRANSLATE_NOOP("ReturnTexts", "Refurbish"),
    "return_to_vendor": QT_TRANSLATE_NOOP("ReturnTexts", "Return to vendor"),
    "scrap": QT_TRANSLATE_NOOP("ReturnTexts", "Scrap"),
}
FLAG_NAMES = {
    "serial_not_shipped": QT_TRANSLATE_NOOP("ReturnTexts", "serial not shipped on this order"),
    "lot_not_shipped": QT_TRANSLATE_NOOP("ReturnTexts", "lot not shipped on this order"),
    "returned_before": QT_TRANSLATE_NOOP("ReturnTexts", "returned before"),
    "serial_in_stock": QT_TRANSLATE_NOOP("ReturnTexts", "serial already in stock"),
    "not_announced": QT_TRANSLATE_NOOP("ReturnTexts", "not on the RMA"),
    "more_than_announced": QT_TRANSLATE_NOOP("ReturnTexts", "more than announced"),
}
FINDING_NAMES = {
    "as_described": QT_TRANSLATE_NOOP("ReturnTexts", "as the customer described"),
    "scratched": QT_TRANSLATE_NOOP("ReturnTexts", "scratched"),
    "dented": QT_TRANSLATE_NOOP("ReturnTexts", "dented"),
    "missing_parts": QT_TRANSLATE_NOOP("ReturnTexts", "missing parts"),
    "not_working": QT_TRANSLATE_NOOP("ReturnTexts", "not working"),
    "used": QT_TRANSLATE_NOOP("ReturnTexts", "used"),
    "dirty": QT_TRANSLATE_NOOP("ReturnTexts", "dirty"),
    "packaging_damaged": QT_TRANSLATE_NOOP("ReturnTexts", "packaging damaged"),
    "wrong_item": QT_TRANSLATE_NOOP("ReturnTexts", "wrong item"),
    "water_damage": QT_TRANSLATE_NOOP("ReturnTexts", "water damage"),
}
# The built-in checklist's English labels (app.core.returns_rules.DEFAULT_CHECKLISTS).
CHECKLIST_LABELS = (
    QT_TRANSLATE_NOOP("ReturnTexts", "Packaging intact"),
    QT_TRANSLATE_NOOP("ReturnTexts", "Complete"),
    QT_TRANSLATE_NOOP("ReturnTexts", "Working"),
    QT_TRANSLATE_NOOP("ReturnTexts", "Clean"),
)

ERROR_TEMPLATES = (
    # app.core.returns_rules
    QT_TRANSLATE_NOOP("errors", "Grade '{grade}' does not exist: use {grades}."),
    QT_TRANSLATE_NOOP("errors", "This disposition rule cannot be used: {reason}."),
    QT_TRANSLATE_NOOP("errors", "{sku} was not shipped on order {order}: it cannot be returned on it."),
    QT_TRANSLATE_NOOP("errors", "{sku}: {shipped} shipped on order {order}, {returned} already returned. This one is more than was shipped."),
    QT_TRANSLATE_NOOP("errors", "No shipped order matches {code}: scan the RMA, the order number or the customer's parcel."),
    QT_TRANSLATE_NOOP("errors", "{code} matches several orders ({orders}): scan the RMA or the order number."),
    QT_TRANSLATE_NOOP("errors", "{rma} has {count} unit(s) waiting for inspection: inspect them before closing."),
    QT_TRANSLATE_NOOP("errors", "Scrapping {sku} (value {value}) is over {limit}. A supervisor must approve."),
    QT_TRANSLATE_NOOP("errors", "Returning {sku} to the vendor (value {value}) is over {limit}. A supervisor must approve."),
    QT_TRANSLATE_NOOP("errors", "{sku}: the rules say {suggested}, not {chosen}. A supervisor must approve."),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def grade_name(grade: str | None) -> str:
    return _tr(GRADE_NAMES[grade]) if grade in GRADE_NAMES else ""


def disposition_name(disposition: str | None) -> str:
    return _tr(DISPOSITION_NAMES[disposition]) if disposition in DISPOSITION_NAMES else (disposition or "")


def flag_names(flags) -> str:  # noqa: ANN001 - iterable of flag codes
    return ", ".join(_tr(FLAG_NAMES[f]) if f in FLAG_NAMES else f for f in flags)


def finding_name(code: str) -> str:
    return _tr(FINDING_NAMES[code]) if code in FINDING_NAMES else code


def checklist_label(label: str) -> str:
    """A built-in item in the operator's language; a supervisor's own label as written."""
    return _tr(label) if label in CHECKLIST_LABELS else label
