"""Why another bin than the suggested one? Press or scan 1-4; "Other" asks for words.
Esc or SF:CANCEL cancels: nothing is put away."""

from __future__ import annotations

from app.ui.numbered_choice import NumberedChoiceDialog
from app.ui.putaway.reasons import DEVIATION_REASONS, deviation_text


class DeviationReasonDialog(NumberedChoiceDialog):
    reasons = DEVIATION_REASONS
    reason_text = staticmethod(deviation_text)
    name = "deviation"

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Why another bin?"))
        self.hint.setText(self.tr("Press or scan the number of the reason. Esc: cancel"))
        super().retranslate()
