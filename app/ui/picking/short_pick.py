"""Short picks on the pick screen: the bin holds less than the task asks.

F6 / SF:SHORT asks how many are really there (the scan field takes the number, like a
quantity), SF:EMPTY means none; then a reason is chosen by its number and
picking.short_pick takes what is there, writes the rest off, requests a count of the bin and
reserves replacement stock as new tasks at the end of the wave.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from app.services.waves import picking
from app.services.waves.picking import PickPrompt, ShortPickResult
from app.ui.bridge import Changes, OperationFailed
from app.ui.dialogue import Question
from app.ui.picking.short_reason import SHORT_REASONS, reason_text

if TYPE_CHECKING:
    from app.ui.picking.screen import PickScreen

SHORT_CHANGES = Changes(stock=True, picks=True, orders=True, counts=True)


class ShortPicks(QObject):
    def __init__(self, screen: PickScreen) -> None:
        super().__init__(screen)
        self.screen = screen

    def start(self, *, empty: bool = False) -> None:
        screen, task = self.screen, self.screen.task
        if task is None:
            return
        if not task.location_confirmed:
            screen.feedback.error(self.tr("Scan location {location} first, then report what is missing.").format(
                location=task.location))
            return
        screen.pending_quantity = None
        if empty:
            self.short(0)
            return
        screen.dialogue.ask(Question(
            "quantity", self.tr("How many {sku} are at {location}? Type the number found (0 to {most}), "
                                "then Enter").format(sku=task.sku, location=task.location, most=task.quantity - 1),
            lambda answer: self.short(answer.value), least=0, most=task.quantity - 1))

    def short(self, found: int) -> None:
        screen, task = self.screen, self.screen.task
        assert task is not None
        question = self.tr("{found} of {quantity} {sku} found at {location}. Why?").format(
            found=found, quantity=task.quantity, sku=task.sku, location=task.location)
        screen.dialogue.ask_choice(question, SHORT_REASONS, reason_text,
                                   lambda reason: self.write_off(found, reason), self.cancelled)

    def cancelled(self) -> None:
        self.screen.feedback.attention(self.tr("Short pick cancelled: nothing was written off"))

    def write_off(self, found: int, reason: str) -> None:
        screen, task = self.screen, self.screen.task
        assert task is not None
        bridge = screen.bridge
        try:
            result = screen._run(bridge.run, picking.short_pick, task.task_id, found, reason,
                                 actor=bridge.require_actor(), idempotency_key=uuid.uuid4().hex,
                                 changes=SHORT_CHANGES)
        except OperationFailed as failure:
            screen.fail(failure)
            return
        self.shorted(result, task)

    def shorted(self, result: ShortPickResult, task: PickPrompt) -> None:
        screen = self.screen
        parts = [self.tr("Short: {picked} of {quantity} {sku} \u2192 tote {slot}, {missing} written off.").format(
            picked=result.picked, quantity=task.quantity, sku=task.sku, slot=task.tote_slot,
            missing=result.written_off)]
        if result.reallocated:
            parts.append(self.tr("{units} more reserved in other bins: at the end of the list.").format(
                units=result.reallocated))
        if result.backorder:
            parts.append(self.tr("{units} on backorder.").format(units=result.backorder))
        if result.count_requested:
            parts.append(self.tr("A count of {location} is requested.").format(location=task.location))
        text = " ".join(parts)
        if result.next is None:
            screen.wave_finished(text, attention=True)
            return
        screen.show_task(result.next)
        screen.feedback.attention(text)
