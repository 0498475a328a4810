"""Supervisors: the ABC count policy. Class thresholds (share of movement), the basis and
look-back of the classification (and classifying now); how often and how exactly each class
is counted; the days a plan covers and the most counts a day, with what planning today gives."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core import clock
from app.core.count_plan import BASES
from app.core.counting_rules import ABC_CLASSES
from app.services import counting
from app.services.counting import planning, policy
from app.ui.bridge import Changes, OperationFailed
from app.ui.context import AppContext
from app.ui.counting.desk import MessageLine
from app.ui.desk import DeskScreen

POLICY_CHANGES = Changes(counts=True)


def _spin(name: str, low: int, high: int, suffix: str = "") -> QSpinBox:
    box = QSpinBox(objectName=name, minimum=low, maximum=high)
    box.setSuffix(suffix)
    return box


class PolicyScreen(DeskScreen):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.bridge = context.bridge
        self.title = QLabel(objectName="screenTitle")
        # classes
        self.classes_box = QGroupBox(objectName="classesBox")
        self.share_a, self.share_b = _spin("shareA", 1, 98, " %"), _spin("shareB", 2, 99, " %")
        self.basis = QComboBox(objectName="abcBasis")
        for basis in BASES:
            self.basis.addItem("", basis)
        self.lookback = _spin("lookbackDays", 1, 3650)
        self.class_labels = [QLabel() for _ in range(4)]
        self.sizes = QLabel(objectName="classSizes")
        self.classify_button = QPushButton(objectName="classifyNow", clicked=self.classify)
        # per class
        self.per_class_box = QGroupBox(objectName="perClassBox")
        self.per_class_headers = [QLabel() for _ in range(4)]
        self.counts_per_year = {cls: _spin(f"countsPerYear{cls}", 0, 365) for cls in ABC_CLASSES}
        self.quantity_pct = {cls: QDoubleSpinBox(objectName=f"quantityPct{cls}", maximum=100, decimals=1)
                             for cls in ABC_CLASSES}
        self.value = {cls: QDoubleSpinBox(objectName=f"value{cls}", maximum=1_000_000, decimals=2)
                      for cls in ABC_CLASSES}
        self.auto_approve = {cls: QCheckBox(objectName=f"autoApprove{cls}") for cls in ABC_CLASSES}
        # daily plan
        self.plan_box = QGroupBox(objectName="planBox")
        self.plan_days, self.daily_cap = _spin("planDays", 1, 366), _spin("dailyCap", 1, 10000)
        self.plan_labels = [QLabel() for _ in range(2)]
        self.preview = QLabel(objectName="planPreview")
        self.preview.setWordWrap(True)
        self.save_button = QPushButton(objectName="savePolicy", clicked=self.save)
        self.message = MessageLine("policyMessage")
        for label in (*self.class_labels, *self.per_class_headers, *self.plan_labels):
            label.setWordWrap(True)  # long words in German and Polish: the screen stays 1366 wide
        self._lay_out()
        self.retranslate()

    def _lay_out(self) -> None:
        grid = QGridLayout(self.classes_box)
        for column, (label, field) in enumerate(zip(self.class_labels, (self.share_a, self.share_b, self.basis,
                                                                        self.lookback), strict=True)):
            label.setBuddy(field)
            grid.addWidget(label, 0, column)
            grid.addWidget(field, 1, column)
        grid.addWidget(self.classify_button, 1, 4)
        grid.addWidget(self.sizes, 2, 0, 1, 5)
        table = QGridLayout(self.per_class_box)
        for column, label in enumerate(self.per_class_headers, start=1):
            table.addWidget(label, 0, column)
        for row, cls in enumerate(ABC_CLASSES, start=1):
            table.addWidget(QLabel(cls, objectName=f"classLabel{cls}"), row, 0)
            for column, widget in enumerate((self.counts_per_year[cls], self.quantity_pct[cls], self.value[cls],
                                             self.auto_approve[cls]), start=1):
                table.addWidget(widget, row, column)
        plan = QGridLayout(self.plan_box)
        for column, (label, field) in enumerate(zip(self.plan_labels, (self.plan_days, self.daily_cap),
                                                    strict=True)):
            label.setBuddy(field)
            plan.addWidget(label, 0, column)
            plan.addWidget(field, 1, column)
        plan.addWidget(self.preview, 2, 0, 1, 2)
        plan.setRowStretch(3, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        lower = QHBoxLayout()  # side by side: one screen high at 1366 x 768
        lower.addWidget(self.per_class_box, 3)
        lower.addWidget(self.plan_box, 2)
        layout = QVBoxLayout(self)
        for widget in (self.title, self.classes_box):
            layout.addWidget(widget)
        layout.addLayout(lower)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def language_changed(self) -> None:
        self.retranslate()
        self.load()  # class and basis names in the tables

    def retranslate(self) -> None:
        self.title.setText(self.tr("Count policy"))
        self.classes_box.setTitle(self.tr("ABC classes"))
        for label, text in zip(self.class_labels, (self.tr("&A: first share of movement"),
                                                   self.tr("&B: up to"), self.tr("B&y"),
                                                   self.tr("&Look back (days)")), strict=True):
            label.setText(text)
        self.basis.setItemText(0, self.tr("value (units \u00d7 cost)"))
        self.basis.setItemText(1, self.tr("frequency (moves)"))
        self.classify_button.setText(self.tr("&Classify now"))
        self.per_class_box.setTitle(self.tr("How each class is counted"))
        for label, text in zip(self.per_class_headers, (self.tr("Counts a year"), self.tr("Tolerance, % of units"),
                                                        self.tr("Tolerance, value"),
                                                        self.tr("Small variances approve themselves")),
                               strict=True):
            label.setText(text)
        self.plan_box.setTitle(self.tr("Daily plan"))
        for label, text in zip(self.plan_labels, (self.tr("Plan &days"), self.tr("Most counts a d&ay")),
                               strict=True):
            label.setText(text)
        self.save_button.setText(self.tr("&Save policy"))

    def shown(self) -> None:
        self.load()


    # --- data ----------------------------------------------------------------------------
    def load(self) -> None:
        try:
            plan = self.bridge.query(policy.plan_policy)
            classes = self.bridge.query(counting.class_policies)
            sizes = self.bridge.query(policy.class_sizes)
            preview = self.bridge.query(planning.abc_plan, clock.today())
        except OperationFailed as failure:
            self.message.show_message("error", failure.message)
            return
        self.share_a.setValue(round(plan.share_a * 100))
        self.share_b.setValue(round(plan.share_b * 100))
        self.basis.setCurrentIndex(max(self.basis.findData(plan.basis), 0))
        self.lookback.setValue(plan.lookback_days)
        self.plan_days.setValue(plan.plan_days)
        self.daily_cap.setValue(plan.daily_cap)
        for cls, class_policy in classes.items():
            self.counts_per_year[cls].setValue(class_policy.counts_per_year)
            self.quantity_pct[cls].setValue(class_policy.quantity_pct)
            self.value[cls].setValue(class_policy.value)
            self.auto_approve[cls].setChecked(class_policy.auto_approve)
        self.sizes.setText(self.tr("Products now: A {a}, B {b}, C {c}").format(a=sizes["A"], b=sizes["B"],
                                                                               c=sizes["C"]))
        days = preview.sizes()
        if not days:
            self.preview.setText(self.tr("Planning by ABC today plans nothing: no product is due."))
            return
        self.preview.setText(self.tr(
            "Planning by ABC today: {total} counts over {days} days, at most {most} a day; {left} wait for "
            "the next plan.").format(total=sum(days.values()), days=len(days), most=max(days.values()),
                                     left=len(preview.left_over)))

    def save(self) -> None:
        try:
            actor = self.bridge.require_actor()
            self.bridge.run(policy.set_plan_policy, actor=actor, share_a=self.share_a.value() / 100,
                            share_b=self.share_b.value() / 100, basis=self.basis.currentData(),
                            lookback_days=self.lookback.value(), plan_days=self.plan_days.value(),
                            daily_cap=self.daily_cap.value(), changes=POLICY_CHANGES)
            for cls in ABC_CLASSES:
                self.bridge.run(counting.set_class_policy, cls, actor=actor,
                                counts_per_year=self.counts_per_year[cls].value(),
                                quantity_pct=self.quantity_pct[cls].value(), value=self.value[cls].value(),
                                auto_approve=self.auto_approve[cls].isChecked(), changes=POLICY_CHANGES)
        except OperationFailed as failure:
            self.message.show_message("error", failure.message)
            return
        self.load()
        self.message.show_message("ok", self.tr("Policy saved"))

    def classify(self) -> None:
        try:
            sizes = self.bridge.run(policy.classify, clock.today(), actor=self.bridge.require_actor(),
                                    changes=POLICY_CHANGES)
        except OperationFailed as failure:
            self.message.show_message("error", failure.message)
            return
        self.load()
        self.message.show_message("ok", self.tr("Classified: A {a}, B {b}, C {c}").format(
            a=sizes["A"], b=sizes["B"], c=sizes["C"]))
