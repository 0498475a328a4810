"""Dispatch: the closed parcels of packed orders per carrier; handing them over ships them
(their stock leaves to the customer), and the confirmations go back to the channels as CSV."""

from __future__ import annotations

import io

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from app.services.packing import shipping
from app.services.packing.shipping import DispatchRow
from app.ui.bridge import Bridge, Changes, OperationFailed
from app.ui.waves.common import DenseTable, ExportFileDialog, Tab, write_atomically

DISPATCH_CHANGES = Changes(stock=True, orders=True)
NUMERIC = (4,)


class DispatchTab(Tab):
    def __init__(self, bridge: Bridge) -> None:
        super().__init__()
        self.bridge = bridge
        self.rows: list[DispatchRow] = []
        self.carrier_label = QLabel()
        self.carrier = QComboBox(objectName="dispatchCarrier")
        self.carrier.currentIndexChanged.connect(lambda _index: self.fill())
        self.summary = QLabel(objectName="dispatchSummary")
        self.summary.setWordWrap(True)  # a long sentence must not widen the window
        self.table = DenseTable("dispatchList", multi=True)
        self.dispatch_button = QPushButton(objectName="dispatchButton")
        self.dispatch_button.clicked.connect(self.dispatch)
        self.export_button = QPushButton(objectName="exportShipmentsButton")
        self.export_button.clicked.connect(self.export)
        top = QHBoxLayout()
        top.addWidget(self.carrier_label)
        top.addWidget(self.carrier)
        top.addWidget(self.summary, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.dispatch_button)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.carrier_label.setText(self.tr("Carrier"))
        self.table.set_headers((self.tr("SSCC"), self.tr("Order"), self.tr("Service"), self.tr("Parcel"),
                                self.tr("Weight (kg)"), self.tr("Carton"), self.tr("Ship to")))
        self.dispatch_button.setText(self.tr("Hand over to the carrier: mark shipped (Alt+D)"))
        self.export_button.setText(self.tr("Shipment confirmations as CSV (Alt+X)"))
        self.fill()

    def load(self) -> None:
        try:
            self.rows = self.bridge.query(shipping.dispatch_list)
        except OperationFailed as failure:
            self.said.emit("error", failure.message)
            return
        current = self.carrier.currentData()
        carriers = sorted({row.carrier for row in self.rows})
        self.carrier.blockSignals(True)
        self.carrier.clear()
        for carrier in carriers:
            waiting = sum(1 for row in self.rows if row.carrier == carrier)
            self.carrier.addItem(self.tr("{carrier} (%n parcel(s))", "", waiting).format(carrier=carrier), carrier)
        index = self.carrier.findData(current)
        self.carrier.setCurrentIndex(index if index >= 0 else 0)
        self.carrier.blockSignals(False)
        self.fill()

    def fill(self) -> None:
        carrier = self.carrier.currentData()
        shown = [row for row in self.rows if row.carrier == carrier]
        self.table.fill([(row.parcel_id, (row.sscc, f"{row.channel} {row.order}", row.service, row.parcel,
                                          row.weight_kg, row.carton, row.ship_to)) for row in shown], NUMERIC)
        hint = self.tr(
            "%n parcel(s) for this carrier. Alt+D hands over the selected ones, or all when none is selected.",
            "", len(shown))
        self.summary.setText(hint if self.rows else self.tr("No packed parcels are waiting."))
        self.dispatch_button.setEnabled(bool(shown))

    def dispatch(self) -> None:
        """The selected parcels, or every parcel listed for the carrier when none is selected."""
        carrier = self.carrier.currentData()
        if carrier is None:
            self.said.emit("attention", self.tr("No packed parcels are waiting."))
            return
        chosen = self.table.selected_ids() or None
        try:
            shipment = self.bridge.run(shipping.dispatch, carrier, actor=self.bridge.require_actor(),
                                       parcel_ids=chosen, changes=DISPATCH_CHANGES)
        except OperationFailed as failure:
            self.said.emit("error", failure.message)
            return
        text = self.tr("Shipment {number}: %n parcel(s) handed to {carrier}; orders shipped: {orders}", "",
                       len(shipment.parcels))
        self.said.emit("ok", text.format(number=shipment.number, carrier=carrier,
                                         orders=", ".join(shipment.orders_shipped) or "-"))
        self.load()

    def export(self) -> None:
        path = ExportFileDialog.ask(self, self.tr("Shipment confirmations"), "shipments.csv",
                                    self.tr("CSV files (*.csv)"))
        if path is None:
            return
        text = io.StringIO()
        try:
            count = self.bridge.query_long(self, self.tr("Writing the shipment confirmations…"),
                                           shipping.export_shipments_csv, text)
            write_atomically(path, text.getvalue().encode("utf-8"))
        except OperationFailed as failure:
            self.said.emit("error", failure.message)
            return
        except OSError as error:
            self.said.emit("error", self.tr("Could not write {path}: {reason}").format(
                path=path, reason=error.strerror))
            return
        self.said.emit("ok", self.tr("%n shipped parcel(s) written to {path}", "", count).format(path=path))
