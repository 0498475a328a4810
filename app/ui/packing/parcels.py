"""What the pack screen does with a whole parcel or order: close a parcel (and print its
label and the packing slip), finish the order, and let a supervisor split off the units that
were never picked. Kept apart from the scan handling in screen.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from app.core.picking_rules import MissingItems
from app.services.packing import parcels as packing
from app.services.packing.parcels import ParcelView
from app.ui.bridge import Changes, OperationFailed

if TYPE_CHECKING:
    from app.ui.packing.screen import PackScreen

PACK_CHANGES = Changes(stock=True, orders=True)  # what packing use cases change


class _PrintTrouble:
    """Feedback for print_action: the screen's own banner says the parcel closed; only a
    printer failure (reported later, from the print queue) turns it red."""

    def __init__(self, screen: PackScreen) -> None:
        self.screen = screen
        self.failure: str | None = None  # kept: it may arrive before the screen's own banner

    def ok(self, _text: str) -> None:
        pass

    def error(self, text: str) -> None:
        self.failure = text
        self.screen.feedback.error(text)


class ParcelActions(QObject):
    def __init__(self, screen: PackScreen) -> None:
        super().__init__(screen)
        self.screen = screen
        self.bridge = screen.bridge

    # --- closing a parcel ---------------------------------------------------------------------
    def close_parcel(self, weight_kg: float) -> None:
        screen = self.screen
        parcel = screen.view.open_parcel if screen.view else None
        if parcel is None:
            screen.feedback.error(self.tr("No parcel is open: scan an item into one first."))
            return
        try:
            closed = screen._run(self.bridge.run, packing.close_parcel, parcel.parcel_id,
                                 actor=self.bridge.require_actor(), weight_kg=weight_kg,
                                 carton_code=screen.carton_choice, changes=PACK_CHANGES)
        except OperationFailed as failure:
            screen.fail(failure)
            return
        screen.carton_choice = None
        trouble = _PrintTrouble(screen)
        printed = self.print_parcel(closed, trouble)
        screen.reload()
        text = self.tr("Parcel {number} closed: {carton}, {kg} kg, %n unit(s).", "", closed.units).format(
            number=closed.number, carton=closed.carton or "-", kg=f"{weight_kg:g}")
        text += " " + printed
        view = screen.view
        if view is not None and not view.to_pack and view.open_parcel is None:
            self.finish(closed_text=text)  # nothing left in the tote: the order is done
        else:
            screen.feedback.ok(text)
        if trouble.failure:  # the printer failed while the parcel was being closed: stay red
            screen.feedback.error(trouble.failure)

    def print_parcel(self, parcel: ParcelView, trouble: _PrintTrouble | None = None) -> str:
        """Label and packing slip to this workstation's printers; what to tell the packer."""
        from app.ui.printing.actions import print_action

        order_id = self.screen.view.order.order_id
        trouble = trouble or _PrintTrouble(self.screen)
        try:
            label = print_action(self.screen.context, "parcels", feedback=trouble, parcels=[parcel.parcel_id])
            print_action(self.screen.context, "packing_slip", feedback=trouble, order_id=order_id)
        except OperationFailed as failure:
            return self.tr("Not printed: {reason}").format(reason=failure.message)
        return self.tr("Label and packing slip: {printer}").format(printer=label.printer)

    # --- finishing and splitting --------------------------------------------------------------
    def finish(self, closed_text: str = "") -> None:
        screen = self.screen
        if screen.view is None:
            return
        prefix = closed_text + "    " if closed_text else ""
        try:
            view = screen._run(self.bridge.run, packing.finish_packing, screen.view.order.order_id,
                               actor=self.bridge.require_actor(), changes=PACK_CHANGES)
        except OperationFailed as failure:
            if isinstance(failure.error, MissingItems):
                # Not a mistake of the packer: amber, with what unblocks it.
                screen.reload()
                screen.feedback.attention(prefix + failure.message + " " + self.tr("F7 / SF:SPLIT"))
                return
            screen.fail(failure)
            return
        screen.back_to_choose()
        screen.feedback.ok(prefix + self.tr("{order} packed: %n parcel(s) for {carrier}", "", len(view.parcels)).format(
            order=view.order.label, carrier=view.order.carrier))

    def split(self) -> None:
        """A supervisor moves the never-picked units to a backorder; the order then finishes
        with what it has (when its parcels are closed)."""
        screen = self.screen
        if screen.view is None:
            return
        try:
            actor = self.bridge.require_actor()
        except OperationFailed as failure:
            screen.fail(failure)
            return
        if actor.is_supervisor:
            self.split_approved(actor, actor)
            return
        screen.dialogue.ask_approval(
            self.tr("Split the units of {order} that were never picked off into a backorder?").format(
                order=screen.view.order.label),
            lambda approver: self.split_approved(actor, approver),
            lambda: screen.feedback.attention(self.tr("Not split: a supervisor must approve")))

    def split_approved(self, actor, approver) -> None:  # noqa: ANN001 - Actor
        screen = self.screen
        try:
            result = screen._run(self.bridge.run, packing.split_order, screen.view.order.order_id,
                                 actor=actor, approval=None if approver is actor else approver,
                                 changes=PACK_CHANGES)
        except OperationFailed as failure:
            screen.fail(failure)
            return
        moved = ", ".join(f"{line.quantity} \u00d7 {line.sku}" for line in result.backorder.lines)
        text = self.tr("Split: {moved} to backorder {backorder}, approved by {name}.").format(
            moved=moved, backorder=result.backorder.label, name=approver.display_name)
        screen.reload()
        view = screen.view
        if view is not None and not view.to_pack and view.open_parcel is None and view.parcels:
            self.finish(closed_text=text)
            return
        screen.feedback.ok(text)
