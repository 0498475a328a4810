"""Translatable templates of the replenishment errors (context "errors", app/ui/error_texts.py)."""

from PySide6.QtCore import QT_TRANSLATE_NOOP

ERROR_TEMPLATES = (
    QT_TRANSLATE_NOOP("errors", "{location} holds no free {sku} to replenish from: scan a reserve bin that does."),
    QT_TRANSLATE_NOOP("errors", "{scanned} is not {expected}: take {expected}."),
    QT_TRANSLATE_NOOP("errors", "{scanned} is not the pick face of {sku}: take it to {face}."),
    QT_TRANSLATE_NOOP("errors", "Replenishment {task} is {state}: nothing to do."),
    QT_TRANSLATE_NOOP("errors", "{location} is a {kind} location: min / max belong to pick faces."),
)
