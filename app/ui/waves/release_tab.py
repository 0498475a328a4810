"""Releasing: the allocated orders not yet on the floor, filtered by channel, carrier,
ship-by cutoff and priority, most urgent first; allocate what waits for stock; release the
selected orders as single-order waves or onto carts with N tote slots."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from app.core import clock
from app.services.orders import allocation
from app.services.orders import documents as orders
from app.services.orders.documents import OrderView
from app.services.waves import release as waves
from app.ui import dates
from app.ui.bridge import Bridge, Changes, OperationFailed
from app.ui.waves.common import DenseTable, Tab

RELEASE_CHANGES = Changes(orders=True, picks=True)
ANY = None  # the filters' "all" entry
NUMERIC = (4, 6, 7, 8, 9)


class ReleaseTab(Tab):
    def __init__(self, bridge: Bridge) -> None:
        super().__init__()
        self.bridge = bridge
        self.orders: list[OrderView] = []
        self.waiting_count = 0  # open orders: nothing allocated yet
        self.channel = QComboBox(objectName="channelFilter")
        self.carrier = QComboBox(objectName="carrierFilter")
        self.cutoff_on = QCheckBox(objectName="cutoffOn")
        self.cutoff = QDateEdit(objectName="cutoffDate")
        self.cutoff.setCalendarPopup(True)
        self.cutoff.setDisplayFormat("yyyy-MM-dd")
        self.cutoff.setDate(dates.today())
        self.priority = QSpinBox(objectName="minPriority")
        self.priority.setRange(0, 99)
        self.complete_only = QCheckBox(objectName="completeOnly")
        for signal in (self.channel.currentIndexChanged, self.carrier.currentIndexChanged,
                       self.cutoff_on.toggled, self.cutoff.dateChanged, self.priority.valueChanged,
                       self.complete_only.toggled):
            signal.connect(lambda *_: self.load_orders())
        self.labels = {name: QLabel() for name in ("channel", "carrier", "priority")}
        self.table = DenseTable("releasableOrders", multi=True)
        self.waiting = QLabel(objectName="waitingForStock")
        self.allocate_button = QPushButton(objectName="allocateButton")
        self.allocate_button.clicked.connect(self.allocate)
        self.single_button = QPushButton(objectName="releaseSingleButton")
        self.single_button.clicked.connect(lambda: self.release("single"))
        self.batch_button = QPushButton(objectName="releaseBatchButton")
        self.batch_button.clicked.connect(lambda: self.release("batch"))
        self.slots_label = QLabel()
        self.slots = QSpinBox(objectName="cartSlots")
        self.slots.setRange(1, 40)
        self.slots.setValue(waves.DEFAULT_CART_SLOTS)
        self._layout()
        self.retranslate()

    def _layout(self) -> None:
        filters = QGridLayout()  # two rows: a terminal is 1280 pixels wide
        filters.addWidget(self.labels["channel"], 0, 0)
        filters.addWidget(self.channel, 0, 1)
        filters.addWidget(self.labels["carrier"], 0, 2)
        filters.addWidget(self.carrier, 0, 3)
        filters.addWidget(self.labels["priority"], 0, 4)
        filters.addWidget(self.priority, 0, 5)
        filters.addWidget(self.cutoff_on, 1, 0, 1, 2)
        filters.addWidget(self.cutoff, 1, 2, 1, 2)
        filters.addWidget(self.complete_only, 1, 4, 1, 2)
        filters.setColumnStretch(6, 1)
        allocate_row = QHBoxLayout()
        allocate_row.addWidget(self.waiting, 1)
        allocate_row.addWidget(self.allocate_button)
        release_row = QHBoxLayout()
        release_row.addStretch(1)
        release_row.addWidget(self.single_button)
        release_row.addWidget(self.batch_button)
        release_row.addWidget(self.slots_label)
        release_row.addWidget(self.slots)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(release_row)
        layout.addLayout(allocate_row)

    def retranslate(self) -> None:
        self.labels["channel"].setText(self.tr("Channel"))
        self.labels["carrier"].setText(self.tr("Carrier"))
        self.labels["priority"].setText(self.tr("Priority at least"))
        self.cutoff_on.setText(self.tr("Ship by until"))
        self.complete_only.setText(self.tr("Complete orders only"))
        self.table.set_headers((self.tr("Channel"), self.tr("Order"), self.tr("Ship to"), self.tr("Carrier"),
                                self.tr("Priority"), self.tr("Ship by"), self.tr("Lines"), self.tr("Units"),
                                self.tr("Allocated"), self.tr("Backorder")))
        self.allocate_button.setText(self.tr("Allocate waiting orders (Alt+A)"))
        self.single_button.setText(self.tr("Release selected: a wave per order (Alt+S)"))
        self.batch_button.setText(self.tr("Release selected onto carts (Alt+B)"))
        self.slots_label.setText(self.tr("totes per cart"))
        for combo in (self.channel, self.carrier):
            if combo.count():
                combo.setItemText(0, self.tr("all"))
        self._show_waiting()

    # --- reading --------------------------------------------------------------------------
    def load(self) -> None:
        """The filter choices (channels, carriers of orders not shipped yet), then the orders."""
        try:
            pending = [order for status in ("open", "allocated")
                       for order in self.bridge.query(orders.list_orders, status=status)]
        except OperationFailed as failure:
            self.said.emit("error", failure.message)
            return
        self.waiting_count = sum(1 for order in pending if order.status == "open")
        self._choices(self.channel, sorted({order.channel for order in pending}))
        self._choices(self.carrier, sorted({order.carrier for order in pending}))
        self._show_waiting()
        self.load_orders()

    def _choices(self, combo: QComboBox, values: list[str]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(self.tr("all"), ANY)
        for value in values:
            combo.addItem(value, value)
        index = combo.findData(current)
        combo.setCurrentIndex(index if index >= 0 else 0)
        combo.blockSignals(False)

    def load_orders(self) -> None:
        cutoff = self.cutoff.date().toPython() if self.cutoff_on.isChecked() else None
        try:
            self.orders = self.bridge.query(
                waves.list_releasable_orders, channel=self.channel.currentData(),
                carrier=self.carrier.currentData(), ship_by_until=cutoff,
                min_priority=self.priority.value() or None, complete_only=self.complete_only.isChecked())
        except OperationFailed as failure:
            self.said.emit("error", failure.message)
            return
        self.table.fill([(order.order_id, self._cells(order)) for order in self.orders], NUMERIC)

    @staticmethod
    def _cells(order: OrderView) -> tuple:
        ship_to = order.ship_to
        carrier = f"{order.carrier} {order.service}".strip()
        return (order.channel, order.number, f"{ship_to.name}, {ship_to.country}", carrier,
                order.priority, order.ship_by.isoformat() if order.ship_by else "",
                len(order.lines), sum(line.quantity for line in order.lines), order.allocated, order.backorder)

    def _show_waiting(self) -> None:
        count = self.waiting_count
        self.waiting.setText(self.tr("%n order(s) wait for stock to be allocated.", "", count) if count
                             else self.tr("No orders wait for allocation."))

    # --- acting ---------------------------------------------------------------------------
    def allocate(self) -> None:
        try:
            results = self.bridge.run_long(self, self.tr("Allocating stock to the waiting orders…"),
                                           allocation.allocate_waiting_orders, actor=self.bridge.require_actor(),
                                           today=clock.today(), changes=Changes(orders=True, stock=True))
        except OperationFailed as failure:
            self.said.emit("error", failure.message)
            return
        reserved = sum(result.reserved_now for result in results)
        backorder = sum(result.backorder for result in results)
        text = self.tr("%n order(s) allocated", "", len(results)) + ": " + self.tr(
            "units reserved: {units}, on backorder: {backorder}.").format(units=reserved, backorder=backorder)
        self.said.emit("ok" if results else "attention", text if results else self.tr("Nothing to allocate."))
        self.load()

    def release(self, mode: str) -> None:
        chosen = self.table.selected_ids()
        if not chosen:
            self.said.emit("error", self.tr("Select the orders to release first (Ctrl+A: all listed)."))
            return
        try:
            released = self.bridge.run_long(
                self, self.tr("Releasing %n order(s) and routing their pick tasks…", "", len(chosen)),
                waves.release_waves, chosen, actor=self.bridge.require_actor(), mode=mode,
                cart_slots=self.slots.value(), changes=RELEASE_CHANGES)
        except OperationFailed as failure:
            self.said.emit("error", failure.message)
            return
        numbers = ", ".join(wave.number for wave in released)
        lines = sum(wave.tasks_total for wave in released)
        self.said.emit("ok", self.tr("Released %n wave(s): {numbers}; lines to pick: {lines}.", "", len(released))
                       .format(numbers=numbers, lines=lines))
        self.load()
