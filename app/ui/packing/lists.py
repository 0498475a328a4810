"""The two lists of the pack screen: orders waiting at the bench (chosen with the arrow keys
and Enter when there is no tote to scan), and the parcels of the open order."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QSizePolicy, QWidget

from app.services.orders.documents import OrderView
from app.services.packing.parcels import ParcelView

SCAN_ROLE = Qt.ItemDataRole.UserRole
PARCEL_ROWS_SHOWN = 3  # more parcels scroll: the order's lines keep the room
LIST_STYLE = (
    "QListWidget#{name} {{ font-size: {size}pt; border: 2px solid #888888; }}"
    " QListWidget#{name}::item {{ padding: {padding}px; border-bottom: 1px solid #cccccc; }}"
    " QListWidget#{name}::item:selected {{ background: #0a2a5e; color: #ffffff; }}"
)


def tote_code(order: OrderView) -> str | None:
    """The order's tote on the cart (W000012-T03), as waves.release_waves labels it."""
    if order.wave_id is None or order.tote_slot is None:
        return None
    return f"W{order.wave_id:06d}-T{order.tote_slot:02d}"


class WaitingOrdersList(QListWidget):
    chosen = Signal(str)  # what a scan of the order would have said: its tote, else its number

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waitingOrders")
        self.orders: list[OrderView] = []
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the keys
        self.setStyleSheet(LIST_STYLE.format(name="waitingOrders", size=20, padding=10))
        self.itemDoubleClicked.connect(lambda item: self.chosen.emit(item.data(SCAN_ROLE)))

    def show_orders(self, orders: list[OrderView]) -> None:
        previous = self.selected_scan()
        self.orders = list(orders)
        self.clear()
        for order in self.orders:
            item = QListWidgetItem(self.describe(order))
            item.setData(SCAN_ROLE, tote_code(order) or order.number)
            self.addItem(item)
        scans = [self.item(row).data(SCAN_ROLE) for row in range(self.count())]
        if scans:
            self.setCurrentRow(scans.index(previous) if previous in scans else 0)

    def describe(self, order: OrderView) -> str:
        units = sum(line.picked - line.packed for line in order.lines)
        return self.tr("{order}    tote {tote}    %n unit(s)    {carrier}", "", units).format(
            order=order.label, tote=tote_code(order) or "-", carrier=order.carrier)

    def retranslate(self) -> None:
        for row, order in enumerate(self.orders):
            self.item(row).setText(self.describe(order))

    def selected_scan(self) -> str | None:
        item = self.currentItem()
        return item.data(SCAN_ROLE) if item is not None else None

    def move(self, step: int) -> None:
        if self.count():
            row = min(max(self.currentRow() + step, 0), self.count() - 1)
            self.setCurrentRow(row)
            self.scrollToItem(self.item(row))


class ParcelsList(QListWidget):
    """One row per parcel: number, carton, weight, units, state, SSCC."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("parcelList")
        self.parcels: tuple[ParcelView, ...] = ()
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setStyleSheet(LIST_STYLE.format(name="parcelList", size=15, padding=4))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def show_parcels(self, parcels: tuple[ParcelView, ...]) -> None:
        self.parcels = tuple(parcels)
        self.clear()
        for parcel in self.parcels:
            self.addItem(self.describe(parcel))
        if self.parcels:  # as tall as its rows, up to a few; set before it shows, or the
            # layout takes its default size hint (Fixed policy) and grows the window past the screen
            rows = min(len(self.parcels), PARCEL_ROWS_SHOWN)
            self.setFixedHeight(rows * self.sizeHintForRow(0) + 2 * self.frameWidth() + 6)
        self.setVisible(bool(self.parcels))

    def describe(self, parcel: ParcelView) -> str:
        if parcel.status == "open":
            return self.tr("Parcel {number}    open    %n unit(s)    SSCC {sscc}", "", parcel.units).format(
                number=parcel.number, sscc=parcel.sscc)
        weight = self.tr("{kg} kg").format(kg=f"{parcel.weight_kg:g}") if parcel.weight_kg else "-"
        return self.tr("Parcel {number}    closed    %n unit(s)    {carton}    {weight}    SSCC {sscc}", "",
                       parcel.units).format(number=parcel.number, carton=parcel.carton or "-", weight=weight,
                                            sscc=parcel.sscc)

    def retranslate(self) -> None:
        for row, parcel in enumerate(self.parcels):
            self.item(row).setText(self.describe(parcel))
