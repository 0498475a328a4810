"""The task in hand, readable from the aisle: what to take, where to, why there, what else.

    Take 12 × WIDGET to A-01-01
    A-01-01 already holds WIDGET.
    From DOCK-1: Widget, blue, lot L7, expires 2027-12-31
    Also possible: A-02-01, A-03-01
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from app.core.putaway_errors import refusal_error
from app.services.putaway.tasks import PutawayTask
from app.ui.error_texts import error_message
from app.ui.putaway.reasons import reason_text


class SuggestionPanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("suggestionPanel")
        self.setStyleSheet(
            "QFrame#suggestionPanel { border: 3px solid #0a2a5e; border-radius: 6px; background: #ffffff; }"
            " QFrame#suggestionPanel QLabel { border: none; background: transparent; }"
            " QLabel#suggestionHeadline { font-size: 30pt; font-weight: bold; color: #0a2a5e; }"
            " QLabel#suggestionReason { font-size: 20pt; }"
            " QLabel#suggestionDetails, QLabel#suggestionAlternatives { font-size: 15pt; color: #333333; }"
        )
        self.task: PutawayTask | None = None
        self.quantity: int | None = None
        self.headline = QLabel(objectName="suggestionHeadline")
        self.reason = QLabel(objectName="suggestionReason")
        self.details = QLabel(objectName="suggestionDetails")
        self.alternatives = QLabel(objectName="suggestionAlternatives")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        layout.setSpacing(6)
        for label in (self.headline, self.reason, self.details, self.alternatives):
            label.setWordWrap(True)
            layout.addWidget(label)
        self.hide()

    def show_task(self, task: PutawayTask | None, quantity: int | None = None) -> None:
        """Show ``task`` (``quantity`` units of it, default all); None hides the panel."""
        self.task = task
        self.quantity = quantity
        self.setVisible(task is not None)
        self.retranslate()

    def retranslate(self) -> None:
        task = self.task
        if task is None:
            return
        suggestion = task.suggestion
        self.headline.setText(self.headline_text(task, self.quantity))
        self.reason.setText(reason_text(suggestion.reason) if suggestion.reason else "")
        self.details.setText(self.details_text(task))
        lines = []
        if suggestion.alternatives:  # the reason of each is one scan away: codes suffice
            lines.append(self.tr("Also possible: {bins}").format(
                bins=", ".join(choice.code for choice in suggestion.alternatives)))
        # Why a bin the rules would prefer (e.g. the home location) was not suggested.
        lines += [self.tr("Not suggested: {why}").format(why=error_message(refusal_error(refusal)))
                  for refusal in suggestion.skipped]
        self.alternatives.setText("\n".join(lines))
        self.alternatives.setVisible(bool(lines))

    def headline_text(self, task: PutawayTask, part: int | None) -> str:
        destination = task.suggestion.destination
        if task.is_plate:
            if destination is None:
                return self.tr("Take plate {plate} ({quantity} units) to any bin with room").format(
                    plate=task.license_plate, quantity=task.quantity)
            return self.tr("Take plate {plate} ({quantity} units) to {location}").format(
                plate=task.license_plate, quantity=task.quantity, location=destination)
        sku = task.lines[0].sku
        if part is not None and destination is None:
            return self.tr("Take {quantity} of {total} \u00d7 {sku} to any bin with room").format(
                quantity=part, total=task.quantity, sku=sku)
        if part is not None:
            return self.tr("Take {quantity} of {total} \u00d7 {sku} to {location}").format(
                quantity=part, total=task.quantity, sku=sku, location=destination)
        if destination is None:
            return self.tr("Take {quantity} \u00d7 {sku} to any bin with room").format(
                quantity=task.quantity, sku=sku)
        return self.tr("Take {quantity} \u00d7 {sku} to {location}").format(
            quantity=task.quantity, sku=sku, location=destination)

    def details_text(self, task: PutawayTask) -> str:
        parts = []
        for line in task.lines:
            words = [self.tr("{quantity} \u00d7 {sku} {name}").format(
                quantity=line.quantity, sku=line.sku, name=line.name)]
            if line.lot:
                words.append(self.tr("lot {lot}").format(lot=line.lot))
            if line.expiry:
                words.append(self.tr("expires {date}").format(date=line.expiry.isoformat()))
            parts.append(", ".join(words))
        return self.tr("From {source}: {goods}").format(source=task.source, goods="; ".join(parts))
