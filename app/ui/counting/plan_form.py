"""Planning a count: by location range, zone, product (SKU or barcode) or from the ABC
schedule, for a counter (or anyone) by a due date, blind or not. Typing into a field
chooses its kind of count; Enter in a field plans it."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from app.core import clock
from app.services import counting
from app.services.counting import CountSummary
from app.services.counting.common import user_directory
from app.services.scanning import product_id_for
from app.ui import dates
from app.ui.bridge import Bridge, Changes, OperationFailed

PLAN_CHANGES = Changes(counts=True)


class PlanForm(QGroupBox):
    planned = Signal(list)  # list[CountSummary]
    failed = Signal(str)  # a translated message

    def __init__(self, bridge: Bridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.by_range, self.by_zone = QRadioButton(), QRadioButton()
        self.by_product, self.by_schedule = QRadioButton(), QRadioButton()
        self.kinds = QButtonGroup(self)
        for button in (self.by_range, self.by_zone, self.by_product, self.by_schedule):
            self.kinds.addButton(button)
        self.by_range.setChecked(True)
        self.first = QLineEdit(objectName="firstLocation")
        self.last = QLineEdit(objectName="lastLocation")
        self.to_label = QLabel()
        self.zone = QLineEdit(objectName="zoneField")
        self.product = QLineEdit(objectName="productField")
        self.schedule_note = QLabel(objectName="scheduleNote")
        for field, button in ((self.first, self.by_range), (self.last, self.by_range),
                              (self.zone, self.by_zone), (self.product, self.by_product)):
            field.textEdited.connect(lambda _text, button=button: button.setChecked(True))
            field.returnPressed.connect(self.plan)
        self.counter_label, self.counter = QLabel(), QComboBox(objectName="counterChoice")
        self.due_label, self.due = QLabel(), QDateEdit(dates.today(), objectName="dueDate")
        self.counter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # whole names
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.counter_label.setBuddy(self.counter)
        self.due_label.setBuddy(self.due)
        self.blind = QCheckBox(objectName="blindCount")
        self.blind.setChecked(True)
        self.plan_button = QPushButton(objectName="planButton")
        self.plan_button.clicked.connect(self.plan)
        self._lay_out()
        self.retranslate()

    def _lay_out(self) -> None:
        grid = QGridLayout(self)
        range_row = QHBoxLayout()
        for widget in (self.first, self.to_label, self.last):
            range_row.addWidget(widget)
        grid.addWidget(self.by_range, 0, 0)
        grid.addLayout(range_row, 0, 1)
        grid.addWidget(self.by_zone, 1, 0)
        grid.addWidget(self.zone, 1, 1)
        grid.addWidget(self.by_product, 2, 0)
        grid.addWidget(self.product, 2, 1)
        grid.addWidget(self.by_schedule, 3, 0)
        grid.addWidget(self.schedule_note, 3, 1)
        who = QHBoxLayout()
        who.setSpacing(12)
        for widget in (self.counter_label, self.counter, self.due_label, self.due):
            who.addWidget(widget)
        who.addStretch(1)
        how = QHBoxLayout()
        how.addWidget(self.blind)
        how.addStretch(1)
        how.addWidget(self.plan_button)
        grid.addLayout(who, 4, 0, 1, 2)
        grid.addLayout(how, 5, 0, 1, 2)
        grid.setColumnStretch(1, 1)

    def retranslate(self) -> None:
        self.setTitle(self.tr("Plan a count"))
        self.by_range.setText(self.tr("Location &range"))
        self.to_label.setText(self.tr("to"))
        self.first.setPlaceholderText(self.tr("first location, e.g. A-01-01"))
        self.last.setPlaceholderText(self.tr("last location"))
        self.by_zone.setText(self.tr("&Zone"))
        self.zone.setPlaceholderText(self.tr("zone, e.g. Z1"))
        self.by_product.setText(self.tr("Pro&duct"))
        self.product.setPlaceholderText(self.tr("SKU or barcode: every location holding it"))
        self.by_schedule.setText(self.tr("ABC sc&hedule"))
        self.counter_label.setText(self.tr("Coun&ter"))
        self.due_label.setText(self.tr("D&ue"))
        self.blind.setText(self.tr("&Blind: counters never see the quantities on record"))
        self.plan_button.setText(self.tr("&Plan count"))
        if self.counter.count():
            self.counter.setItemText(0, self.tr("Anyone"))

    # --- choices ------------------------------------------------------------------------
    def load_choices(self) -> None:
        """Counters to choose from and what the ABC schedule says is due today."""
        try:
            people = self.bridge.query(user_directory)
            due = self.bridge.query(counting.due_for_counting, clock.today())
        except OperationFailed as failure:
            self.failed.emit(failure.message)
            return
        kept = self.counter.currentData()
        self.counter.clear()
        self.counter.addItem(self.tr("Anyone"), None)
        for user_id, name in sorted(people.items(), key=lambda item: item[1].casefold()):
            self.counter.addItem(name, user_id)
        self.counter.setCurrentIndex(max(self.counter.findData(kept), 0) if kept is not None else 0)
        self.schedule_note.setText(
            self.tr("%n product(s) are due for counting today", None, len(due)) if due else
            self.tr("Nothing is due for counting today"))

    def counter_id(self) -> int | None:
        return self.counter.currentData()

    def due_date(self) -> dt.date:
        return self.due.date().toPython()

    # --- planning -----------------------------------------------------------------------
    def plan(self) -> None:
        missing = self._missing_field()
        if missing is not None:
            self.failed.emit(missing)
            return
        try:
            actor = self.bridge.require_actor()
            common = dict(actor=actor, counter_id=self.counter_id(), due=self.due_date(),
                          changes=PLAN_CHANGES)
            if self.by_schedule.isChecked():
                planned = self.bridge.run(counting.plan_abc_counts, clock.today(), **common)
            elif self.by_zone.isChecked():
                planned = [self.bridge.run(counting.plan_zone, self.zone.text().strip(),
                                           blind=self.blind.isChecked(), **common)]
            elif self.by_product.isChecked():
                product_id = self.bridge.query(product_id_for, self.product.text())
                planned = [self.bridge.run(counting.plan_product, product_id,
                                           blind=self.blind.isChecked(), **common)]
            else:
                last = self.last.text().strip() or self.first.text().strip()
                planned = [self.bridge.run(counting.plan_location_range, self.first.text(), last,
                                           blind=self.blind.isChecked(), **common)]
        except OperationFailed as failure:
            self.failed.emit(failure.message)
            return
        self.planned.emit(planned)
        self.load_choices()  # the schedule's due list shrank

    def _missing_field(self) -> str | None:
        if self.by_range.isChecked() and not self.first.text().strip():
            return self.tr("Type the first location of the range (and the last, for more than one).")
        if self.by_zone.isChecked() and not self.zone.text().strip():
            return self.tr("Type the zone to count.")
        if self.by_product.isChecked() and not self.product.text().strip():
            return self.tr("Type or scan the SKU or barcode of the product to count.")
        return None

    def describe(self, planned: list[CountSummary]) -> str:
        """What the screen says after planning."""
        if not planned:
            return self.tr("Nothing new to plan: every product due already has an open count.")
        if len(planned) == 1:
            count = planned[0]
            return self.tr("Planned {number}: %n location(s)", None, len(count.locations)).format(
                number=count.number)
        return self.tr("Planned %n counts", None, len(planned))
