"""The unit being inspected, at arm's length: what it is and why it came back, the checklist
with its keys, the four grades (the chosen one lit), and what confirming will do."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.core.returns_rules import GRADES, ChecklistItem, suggest_grade
from app.services.returns.data import UnitView
from app.services.returns.inspection import DispositionPlan
from app.ui.returns.texts import checklist_label, disposition_name, finding_name, flag_names, grade_name

CHECK_KEYS = ("F1", "F2", "F3", "F4", "F5", "F6")  # checklist items toggle with these keys
MARKS = {None: "\u2610", True: "\u2713", False: "\u2717"}  # not checked yet, passed, failed
GRADE_STYLE = ("QLabel {{ font-size: 20pt; font-weight: bold; padding: 8px 14px; border-radius: 6px;"
               " border: 3px solid #0a2a5e; background: {background}; color: {colour}; }}")


@dataclass
class InspectionState:
    """What the inspector has said about the current unit so far (held by the screen)."""

    unit: UnitView
    items: tuple[ChecklistItem, ...]
    answers: dict[str, bool] = field(default_factory=dict)
    grade: str | None = None
    disposition: str | None = None  # chosen instead of the rules' one (needs a supervisor)
    findings: tuple[str, ...] = ()
    notes: str = ""
    plan: DispositionPlan | None = None

    def toggle(self, position: int) -> ChecklistItem | None:
        """Unanswered -> passed -> failed -> passed ...; None when there is no such item."""
        if not 0 <= position < len(self.items):
            return None
        item = self.items[position]
        self.answers[item.code] = not self.answers.get(item.code, False) if item.code in self.answers else True
        return item

    def checklist(self) -> tuple[tuple[str, bool], ...]:
        return tuple((item.code, self.answers[item.code]) for item in self.items if item.code in self.answers)

    @property
    def suggested_grade(self) -> str | None:
        return suggest_grade(self.answers)


class InspectionPanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inspectionPanel")
        self.setStyleSheet("QFrame#inspectionPanel { border: 2px solid #0a2a5e; border-radius: 6px; }")
        self.unit_line = QLabel(objectName="unitLine")
        self.unit_line.setStyleSheet("font-size: 20pt; font-weight: bold;")
        self.unit_line.setWordWrap(True)
        self.reason_line = QLabel(objectName="reasonLine")
        self.reason_line.setWordWrap(True)
        self.flags_line = QLabel(objectName="flagsLine")
        self.flags_line.setWordWrap(True)
        self.flags_line.setStyleSheet("background: #ffc400; color: #000000; font-weight: bold; padding: 4px 10px;")
        self.checks = QLabel(objectName="checklist")
        self.checks.setTextFormat(Qt.TextFormat.PlainText)
        self.grade_boxes = {grade: QLabel(objectName=f"grade{grade}") for grade in GRADES}
        self.plan_line = QLabel(objectName="planLine")
        self.plan_line.setWordWrap(True)
        self.plan_line.setStyleSheet("font-size: 20pt; font-weight: bold;")
        self.extra_line = QLabel(objectName="extraLine")
        self.extra_line.setWordWrap(True)
        grades = QHBoxLayout()
        for box in self.grade_boxes.values():
            box.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grades.addWidget(box)
        grid = QGridLayout()
        grid.addWidget(self.checks, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addLayout(grades, 0, 1, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        for widget in (self.unit_line, self.reason_line, self.flags_line):
            layout.addWidget(widget)
        layout.addLayout(grid)
        layout.addWidget(self.plan_line)
        layout.addWidget(self.extra_line)

    def show_state(self, state: InspectionState) -> None:
        unit = state.unit
        what = f"{unit.code}    {unit.sku}  {unit.name}"
        if unit.lot:
            what += "    " + self.tr("lot/serial {lot}").format(lot=unit.lot)
        self.unit_line.setText(what)
        self.reason_line.setText(self.tr("Customer's reason: {reason}").format(reason=unit.reason or "\u2013"))
        self.flags_line.setText(self.tr("Check: {flags}").format(flags=flag_names(unit.flags)))
        self.flags_line.setVisible(bool(unit.flags))
        lines = [f"{key}  {MARKS[state.answers.get(item.code)]}  {checklist_label(item.label)}"
                 for key, item in zip(CHECK_KEYS, state.items)]
        self.checks.setText("\n".join(lines))
        suggested = state.suggested_grade
        for grade, box in self.grade_boxes.items():
            chosen = grade == state.grade
            box.setText(f"{grade}\n{grade_name(grade)}"
                        + ("\n" + self.tr("(checklist)") if grade == suggested and not chosen else ""))
            box.setStyleSheet(GRADE_STYLE.format(background="#0a2a5e" if chosen else "#ffffff",
                                                 colour="#ffffff" if chosen else "#000000"))
        self.plan_line.setText(self._plan_text(state))
        extras = []
        if state.findings:
            extras.append(self.tr("Findings: {findings}").format(
                findings=", ".join(finding_name(f) for f in state.findings)))
        if state.notes:
            extras.append(self.tr("Notes: {notes}").format(notes=state.notes))
        self.extra_line.setText("    ".join(extras))
        self.extra_line.setVisible(bool(extras))

    def _plan_text(self, state: InspectionState) -> str:
        plan = state.plan
        if state.grade is None or plan is None:
            return self.tr("Grade it: 1\u20134 or A\u2013D, then Enter (or scan SF:GRADE-A \u2026 SF:GRADE-D)")
        text = self.tr("Grade {grade} \u2192 {disposition} \u2192 {destination}    refund {refund}%").format(
            grade=plan.grade, disposition=disposition_name(plan.disposition), destination=plan.destination,
            refund=f"{plan.refund_pct:g}")
        if plan.source == "override":
            text += "\n" + self.tr("Not what the rules say: a supervisor must approve.")
        elif plan.needs_approval:
            text += "\n" + self.tr("Worth {value}, over {limit}: a supervisor must approve.").format(
                value=f"{plan.value:.2f}", limit=f"{plan.approval_limit:.2f}")
        return text + "\n" + self.tr("Enter or SF:CONFIRM: route it and print its label")
