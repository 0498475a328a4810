"""Findings and notes for the unit being inspected (F7), asked in the scan field.

Findings are what the inspector sees, kept apart from the customer's reason. F7 lists them
numbered with their ticks; a number (or the finding's code) ticks or unticks one and the list
is asked again; the "notes" number asks for a line of text; "done" keeps the changes and
SF:CANCEL / Esc puts everything back as it was before F7. Scanning SF:FINDING-<CODE> toggles
one without the list. Nothing is recorded until the unit is confirmed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from app.core.returns_rules import FINDINGS
from app.ui.dialogue import Answer, Question
from app.ui.returns.texts import finding_name

if TYPE_CHECKING:
    from app.ui.returns.screen import ReturnsScreen

MAX_NOTES = 500
PER_LINE = 4  # numbered entries per line of the prompt
NOTES, DONE = "notes", "done"


class FindingsQuestions:
    def __init__(self, screen: ReturnsScreen) -> None:
        self.screen = screen
        state = screen.state
        assert state is not None
        self.state = state
        self.before = (state.findings, state.notes)

    def start(self) -> None:
        self._ask_list()

    def _ask_list(self) -> None:
        state = self.state
        choices = tuple((code, ("[x] " if code in state.findings else "[ ] ") + finding_name(code))
                        for code in FINDINGS)
        choices += ((NOTES, QCoreApplication.translate("ReturnFindings", "Notes")),
                    (DONE, QCoreApplication.translate("ReturnFindings", "Done")))
        entries = [f"{number} {caption}" for number, (_code, caption) in enumerate(choices, start=1)]
        rows = ["    ".join(entries[i:i + PER_LINE]) for i in range(0, len(entries), PER_LINE)]
        title = QCoreApplication.translate(
            "ReturnFindings", "Findings of {code}: a number ticks or unticks, {done} when done").format(
            code=state.unit.code, done=len(choices))
        self.screen.dialogue.ask(Question("reason", "\n".join([title, *rows]), self._chosen, self._cancelled,
                                          choices=choices))

    def _chosen(self, answer: Answer) -> None:
        if answer.value == DONE:
            self._done()
        elif answer.value == NOTES:
            self._ask_notes()
        else:
            code = answer.value
            findings = self.state.findings
            self.state.findings = (tuple(f for f in findings if f != code) if code in findings
                                   else findings + (code,))
            self._ask_list()
        self.screen.retranslate()

    def _ask_notes(self) -> None:
        now = self.state.notes or "-"
        prompt = QCoreApplication.translate(
            "ReturnFindings", "Notes on {code} (now: {notes}): type them, then Enter").format(
            code=self.state.unit.code, notes=now)
        self.screen.dialogue.ask(Question("reason", prompt, self._notes_given, self._ask_list))

    def _notes_given(self, answer: Answer) -> None:
        self.state.notes = str(answer.value)[:MAX_NOTES]
        self._ask_list()
        self.screen.retranslate()

    def _done(self) -> None:
        state = self.state
        names = ", ".join(finding_name(code) for code in state.findings) or "-"
        text = QCoreApplication.translate("ReturnFindings", "{code}: findings {findings}").format(
            code=state.unit.code, findings=names)
        if state.notes:
            text += "; " + QCoreApplication.translate("ReturnFindings", "notes: {notes}").format(notes=state.notes)
        self.screen.feedback.ok(text)

    def _cancelled(self) -> None:
        self.state.findings, self.state.notes = self.before
        self.screen.feedback.attention(QCoreApplication.translate(
            "ReturnFindings", "Findings of {code} unchanged").format(code=self.state.unit.code))
        self.screen.retranslate()
