"""A supervisor decides a count's waiting lines at the counter's scan field (F9 / SF:SUPERVISOR).

After the supervisor's badge and PIN, everything is asked in the one scan field, like any
other question on the floor: the waiting lines with what the records said, then approve or
reject, then the reason, then (where stock moved while it was counted) which resolution.
Each answer is a number from the list; SF:CANCEL / Esc drops the decision and records
nothing. The lines are read with the supervisor's view; the decision is made by the logged-in
operator with ``approval=`` the supervisor, so the record says who decided and who asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from app.core.actor import Actor, Approval
from app.core.counting_rules import KEEP_COUNTED, KEEP_DIFFERENCE, REASON_CODES, ResolutionRequired
from app.services import counting
from app.services.counting import DecisionResult, ReviewLine
from app.ui.bridge import Changes, OperationFailed
from app.ui.counting.names import reason_name, resolution_name
from app.ui.dialogue import Question

if TYPE_CHECKING:
    from app.ui.screen import FloorScreen

APPROVE, REJECT, EACH = "approve", "reject", "each"
DECISION_CHANGES = Changes(stock=True, counts=True)
LISTED = 4  # lines named in the prompt; the rest are counted


def line_name(line: ReviewLine) -> str:
    lot = f" {line.lot}" if line.lot else ""
    return f"{line.sku}{lot} @ {line.location}"


def supervisor_reader(workstation: str, approval: Approval) -> Actor:
    """Reads the waiting lines with a supervisor's view; every decision still sends ``approval``
    (badge + PIN), which the use case verifies."""
    return Actor(None, workstation, "supervisor", approval.display_name)


class SpotDecision(QObject):
    """One supervisor's decision on one count, asked step by step in ``screen``'s scan field."""

    def __init__(self, screen: FloorScreen, count_id: int, number: str, approver: Approval) -> None:
        super().__init__(screen)
        self.screen, self.count_id, self.number, self.approver = screen, count_id, number, approver
        self.bridge = screen.bridge
        self.lines: list[ReviewLine] = []  # every waiting line of the count
        self.batch: list[ReviewLine] = []  # the lines being decided now (all, or one at a time)
        self.queue: list[ReviewLine] = []  # one at a time: the lines still to come
        self.decided = 0

    # --- the questions ------------------------------------------------------------------
    def start(self) -> None:
        if not self._load():
            return
        if not self.lines:
            self.screen.feedback.attention(self.tr("Nothing of {number} waits for a decision.").format(number=self.number))
            return
        self.batch = list(self.lines)
        self._ask_decision()

    def _load(self) -> bool:
        try:
            waiting = self.bridge.query(counting.waiting_reviews, actor=self._reader(), count_id=self.count_id)
        except OperationFailed as failure:
            self.screen.feedback.error(failure.message)
            return False
        self.lines = [line for review in waiting for line in review.lines]
        return True

    def _reader(self) -> Actor:
        return supervisor_reader(self.bridge.workstation, self.approver)

    def _ask_decision(self) -> None:
        lines = self.batch
        named = [self.tr("{line}: expected {expected}, counted {counted} ({variance})").format(
            line=line_name(line), expected=line.expected, counted=line.counted,
            variance=f"{line.counted - line.expected:+d}") for line in lines[:LISTED]]
        if len(lines) > LISTED:
            named.append(self.tr("and %n more", "", len(lines) - LISTED))
        choices = ((APPROVE, self.tr("Approve: stock becomes what was counted")),
                   (REJECT, self.tr("Reject: stock stays as recorded")))
        if len(lines) > 1:
            choices += ((EACH, self.tr("One line at a time")),)
        title = self.tr("{name} decides {number}:").format(name=self.approver.display_name, number=self.number)
        self._ask(title, named, choices, self._decided)

    def _decided(self, decision: str) -> None:
        if decision == EACH:
            self.queue = list(self.batch)
            self._next_line()
        else:
            self._ask_reason(decision)

    def _next_line(self) -> None:
        if self.queue:
            self.batch = [self.queue.pop(0)]
            self._ask_decision()

    def _ask_reason(self, decision: str) -> None:
        choices = tuple((code, reason_name(code)) for code in REASON_CODES)
        title = self.tr("Why approve?") if decision == APPROVE else self.tr("Why reject?")
        self._ask(title, [], choices, lambda reason: self._resolve_or_run(decision, reason))

    def _resolve_or_run(self, decision: str, reason: str, *, must_resolve: bool = False) -> None:
        moved = [line for line in self.batch if line.moved_during_count]
        if decision != APPROVE or not (moved or must_resolve):
            self._run(decision, reason, None)
            return
        effects = [self.tr("{line}: {now} now; keep counted {counted_change}, keep the difference {difference_change}")
                   .format(line=line_name(line), now=line.current_on_hand,
                           counted_change=f"{line.adjust_if_keep_counted:+d}",
                           difference_change=f"{line.adjust_if_keep_difference:+d}") for line in moved]
        choices = tuple((code, resolution_name(code)) for code in (KEEP_COUNTED, KEEP_DIFFERENCE))
        self._ask(self.tr("Stock moved while it was counted:"), effects, choices,
                  lambda resolution: self._run(decision, reason, resolution))

    def _ask(self, title: str, lines: Sequence[str], choices: tuple[tuple[str, str], ...], then) -> None:  # noqa: ANN001
        listed = "    ".join(f"{number} {caption}" for number, (_code, caption) in enumerate(choices, start=1))
        prompt = "\n".join([title, *lines, listed])
        self.screen.dialogue.ask(Question("reason", prompt, lambda answer: then(answer.value), self._dropped,
                                          choices=choices))

    def _dropped(self) -> None:
        self.queue = []
        self.screen.feedback.attention(
            self.tr("Stopped: the lines not decided yet keep waiting.") if self.decided
            else self.tr("No supervisor decision was made."))

    # --- the decision ---------------------------------------------------------------------
    def _run(self, decision: str, reason: str, resolution: str | None) -> None:
        ids = [line.line_id for line in self.batch]
        actor = self.bridge.require_actor()
        try:
            if decision == APPROVE:
                result = self.bridge.run(counting.approve_lines, ids, reason, actor=actor, resolution=resolution,
                                         approval=self.approver, changes=DECISION_CHANGES)
            else:
                result = self.bridge.run(counting.reject_lines, ids, reason, actor=actor, approval=self.approver,
                                         changes=DECISION_CHANGES)
        except OperationFailed as failure:
            if isinstance(failure.error, ResolutionRequired) and resolution is None:
                # Stock moved after the lines were read: show the moves, then ask deliberately.
                if self._load():
                    self.batch = [line for line in self.lines if line.line_id in ids]
                    if self.batch:
                        self.screen.feedback.attention(failure.message)
                        self._resolve_or_run(decision, reason, must_resolve=True)
                return
            self.screen.feedback.error(failure.message)
            return
        self.decided += len(result.lines)
        self._next_line()  # one at a time: the next line is asked, the banner says what was done
        self._report(decision, result)

    def _report(self, decision: str, result: DecisionResult) -> None:
        feedback = self.screen.feedback
        if result.replayed:
            feedback.attention(self.tr("These lines were already decided."))
            return
        count, name = len(result.lines), self.approver.display_name
        reason = reason_name(result.lines[0].reason_code) if result.lines else ""
        if decision == APPROVE:
            change = sum(line.adjustment or 0 for line in result.lines)
            feedback.ok(self.tr("{name} approved %n line(s) of {number} ({reason}): stock changed by {units} units.",
                                "", count).format(name=name, number=self.number, reason=reason, units=f"{change:+d}"))
        else:
            feedback.ok(self.tr("{name} rejected %n line(s) of {number} ({reason}): stock stays as recorded.",
                                "", count).format(name=name, number=self.number, reason=reason))
