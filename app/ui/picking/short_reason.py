"""Why is the bin short? The reasons, asked by number in the scan field.

Type or scan 1-5. "Other" asks for the picker's own words. Esc or SF:CANCEL cancels:
nothing is written off.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

# The English text is what the audit trail keeps; the dialog shows it translated.
REASONS_CONTEXT = "short pick reasons"
SHORT_REASONS = (
    QT_TRANSLATE_NOOP("short pick reasons", "Bin empty"),
    QT_TRANSLATE_NOOP("short pick reasons", "Fewer in the bin than expected"),
    QT_TRANSLATE_NOOP("short pick reasons", "Damaged, cannot be sent"),
    QT_TRANSLATE_NOOP("short pick reasons", "Another product in the bin"),
    QT_TRANSLATE_NOOP("short pick reasons", "Other"),
)


def reason_text(english: str) -> str:
    return QCoreApplication.translate(REASONS_CONTEXT, english)
