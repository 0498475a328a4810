"""Why is the bin short? A numbered choice, for keys and scanner alike.

Press or scan 1-5 (a scanned "1" + Enter works as well as the key). "Other" asks for the
picker's own words. Esc or SF:CANCEL cancels: nothing is written off.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.ui.numbered_choice import NumberedChoiceDialog

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


class ShortReasonDialog(NumberedChoiceDialog):
    reasons = SHORT_REASONS
    reason_text = staticmethod(reason_text)
    name = "short"

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Short pick"))
        self.hint.setText(self.tr("Why? Press or scan the number of the reason. Esc: cancel, nothing is written off"))
        super().retranslate()
