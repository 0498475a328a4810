"""The floor dialogue engine: every scan and key of a floor screen goes through here.

What arrives (a scan from the scan field, or a command key) is put in the inbox with its own
idempotency key, made on arrival. The inbox is worked off one item at a time in arrival
order; while a use case runs (on the bridge's worker thread) the window stays alive and new
scans wait in the inbox, so a burst ends exactly as the same scans typed slowly.

Each item is interpreted before it is used:
1. a command (``SF:...`` or a key from the screen's table) runs; at an open question only
   SF:CANCEL / Esc (drop the question) and SF:LOGOUT do, anything else is refused: a command
   is never an answer;
2. with a question open, the scan is read as its answer (questions.read) or refused with
   words, recording nothing;
3. otherwise the current step's handler gets it.
Commands, answers and refusals are journaled here; use cases journal the scans they take.
"""

from __future__ import annotations

import logging
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit

from app.core.actor import Approval
from app.core.checkdigits import location_check_digits
from app.core.scan import ScannedCode, try_interpret
from app.services.config import get_rule
from app.services.scanning import what_is
from app.services.users import supervisor_approval
from app.ui.bridge import OperationFailed
from app.ui.dialogue.questions import Answer, Question, Refused, read
from app.ui.dialogue.table import BASE_COMMANDS, Command, hint_lines

if TYPE_CHECKING:
    from app.ui.screen import FloorScreen

log = logging.getLogger(__name__)
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


@dataclass(frozen=True)
class Scan:
    """One physical scan (or command key) as it arrived."""

    raw: str
    by_scanner: bool
    key: str = field(default_factory=lambda: uuid.uuid4().hex)  # idempotency key, kept on retries
    command: Command | None = None  # set when a key (not a barcode) gave the command


class Dialogue(QObject):
    def __init__(self, screen: FloorScreen) -> None:
        super().__init__(screen)
        self.screen = screen
        self.inbox: deque[Scan] = deque()
        self.busy = False
        self.scan: Scan | None = None  # the item being worked on
        self.question: Question | None = None
        self._scan_required: frozenset[str] | None = None
        self._wrong_checks = 0
        self.most_waiting = 0  # the longest the inbox has been (shown in tests and logs)
        screen.scan_field.scanned.connect(self.arrive)
        screen.scan_field.installEventFilter(self)

    # --- the table ------------------------------------------------------------------------
    @property
    def table_driven(self) -> bool:
        return bool(self.screen.steps)

    @property
    def commands(self) -> tuple[Command, ...]:
        own = tuple(self.screen.commands)
        names = {c.name for c in own}
        return own + tuple(c for c in BASE_COMMANDS if c.name not in names)

    def command_named(self, name: str) -> Command | None:
        step = self.screen.step
        return next((c for c in self.commands if c.name == name and c.available(step)), None)

    def hints(self) -> str:
        if self.question is not None:
            return QCoreApplication.translate("Dialogue", "Esc / SF:CANCEL: cancel the question")
        return hint_lines(self.commands, self.screen.step)

    # --- arrival ----------------------------------------------------------------------------
    def arrive(self, raw: str, by_scanner: bool) -> None:
        self._push(Scan(raw, by_scanner))

    def press(self, command: Command) -> None:
        self._push(Scan(command.barcode, False, command=command))

    def _push(self, item: Scan) -> None:
        self.inbox.append(item)
        self.most_waiting = max(self.most_waiting, len(self.inbox))
        self._drain()

    @property
    def idle(self) -> bool:
        return not self.busy and not self.inbox

    def _drain(self) -> None:
        if self.busy:
            return  # the item being worked on finishes first; this one waits its turn
        self.busy = True
        try:
            while self.inbox:
                self.scan = self.inbox.popleft()
                try:
                    self._handle(self.scan)
                except Exception:  # a bug must not stop the inbox
                    log.exception("scan %r failed", self.scan.raw)
                    self.screen.feedback.error(QCoreApplication.translate(
                        "Dialogue", "That did not work (a program error). The details are in the log."))
                self.after_item()
        finally:
            self.busy = False
            self.scan = None

    def after_item(self) -> None:
        self.screen.dialogue_changed()
        if self.question is not None:
            self.screen.prompt.setText(self.question.prompt)
            self.screen.keys.setText(self.hints())

    # --- one item -------------------------------------------------------------------------
    def _handle(self, item: Scan) -> None:  # noqa: C901 - one decision table, read top down
        if item.command is not None:
            self._command(item.command.name, "", item)
            return
        code = try_interpret(item.raw)
        if code is not None and code.kind == "command":
            name, _, argument = (code.command or "").partition(":")
            self._command(name, argument, item)
        elif self.question is not None:
            self._answer(item, code)
        elif self.table_driven:
            step = self.screen.steps[self.screen.step]
            if step.kind == "location" and item.raw.strip().isdigit() and len(item.raw.strip()) == 2:
                item = self._check_digits(item)
                if item is None:
                    return
                code = try_interpret(item.raw)
            elif not item.by_scanner and step.kind in self.scan_required():
                self.refuse(item, QCoreApplication.translate(
                    "Dialogue", "Scan the label: a typed code is not accepted here. {prompt}").format(
                    prompt=self.screen.prompt.text()))
                return
            getattr(self.screen, step.handler)(item, code)
        else:
            self.screen.on_scan(item.raw, item.by_scanner)

    def _command(self, name: str, argument: str, item: Scan) -> None:
        by_key = item.command is not None
        if name == "LOGOUT":
            self._journal_command(item, "command")
            self._close_question()
            self.screen.log_out()
            return
        if self.question is not None:
            if name == "CANCEL":
                self._journal_command(item, "command")
                self.cancel_question()
                return
            self.refuse(item, QCoreApplication.translate(
                "Dialogue", "{code} is a command, not an answer. {prompt} (SF:CANCEL: cancel)").format(
                code=item.raw.strip(), prompt=self.question.prompt), journal=not by_key)
            return
        if not self.table_driven:
            self._journal_command(item, "command")
            if by_key:
                getattr(self.screen, item.command.method)()
            else:
                self.screen.on_scan(item.raw, item.by_scanner)
            return
        command = self.command_named(name)
        if command is None and "-" in name:  # a family: SF:GRADE-A is GRADE with argument A
            family, _, family_argument = name.partition("-")
            command = self.command_named(family)
            if command is not None and command.argument and not argument:
                argument = family_argument
            else:
                command = None
        if command is None:
            message = self.screen.command_not_here(item.raw.strip())
            self._journal_command(item, "error", message)
            self.screen.feedback.error(message)
            return
        self._journal_command(item, "command")
        method = getattr(self.screen, command.method)
        if command.argument:
            method(argument)
        else:
            method()

    def _journal_command(self, item: Scan, outcome: str, message: str = "") -> None:
        if item.command is None:  # keys are not scans; their barcodes are
            self.journal(item, outcome, message)

    def _check_digits(self, item: Scan) -> Scan | None:
        """Two digits typed or spoken at a location prompt: the check digits of the location
        the screen expects stand for scanning its label. A wrong check is refused; a second
        wrong one in a row is journaled as an alert."""
        expected = self.screen.expected_location()
        if expected is not None and item.raw.strip() == location_check_digits(expected):
            self._wrong_checks = 0
            return Scan(expected, True, item.key)
        self._wrong_checks += 1
        if expected is None:
            message = QCoreApplication.translate("Dialogue", "Scan the location label here.")
        else:
            message = QCoreApplication.translate(
                "Dialogue", "Wrong check digits for {location}: scan its label or say its check digits.").format(
                location=expected)
        if self._wrong_checks >= 2:
            message = QCoreApplication.translate("Dialogue", "ALERT: wrong check digits twice. {message}").format(
                message=message)
        self.screen.feedback.error(message)
        self.journal(item, "alert" if self._wrong_checks >= 2 else "refused", message)
        return None

    def scan_required(self) -> frozenset[str]:
        """The prompt kinds where the warehouse refuses typing (read once, again after a
        settings change)."""
        if self._scan_required is None:
            try:
                text = self.screen.bridge.query(get_rule, "scan_required_at")
            except OperationFailed:
                return frozenset()
            self._scan_required = frozenset(k.strip() for k in str(text).split(",") if k.strip())
        return self._scan_required

    def settings_changed(self) -> None:
        self._scan_required = None

    # --- questions ----------------------------------------------------------------------
    def ask(self, question: Question) -> None:
        """Ask in the scan field; the next scan that is a good answer goes to question.then."""
        self.question = question
        field_ = self.screen.scan_field
        field_.setEchoMode(QLineEdit.EchoMode.Password if question.secret else QLineEdit.EchoMode.Normal)
        # The banner says what is asked; a numbered list stays on the prompt line below it.
        self.screen.feedback.attention(question.prompt.split("\n", 1)[0])
        self.screen.prompt.setText(question.prompt)
        self.screen.keys.setText(self.hints())

    def cancel_question(self) -> None:
        question = self._close_question()
        if question is None:
            return
        self.screen.feedback.attention(QCoreApplication.translate("Dialogue", "Cancelled: nothing recorded"))
        if question.cancelled is not None:
            question.cancelled()

    def _close_question(self) -> Question | None:
        question, self.question = self.question, None
        self.screen.scan_field.setEchoMode(QLineEdit.EchoMode.Normal)
        return question

    def _answer(self, item: Scan, code: ScannedCode | None) -> None:
        question = self.question
        assert question is not None
        if not item.by_scanner and question.kind in self.scan_required():  # a tote label, say
            self.refuse(item, QCoreApplication.translate(
                "Dialogue", "Scan the label: a typed code is not accepted here. {prompt}").format(
                prompt=question.prompt))
            return
        try:
            answer = read(question, item.raw, code, self._lookup)
        except Refused as refused:
            self.refuse(item, refused.message)
            return
        self._close_question()
        self.journal(item, "answer", question.kind, secret=question.secret)
        question.then(answer)

    def refuse(self, item: Scan, message: str, *, journal: bool = True) -> None:
        self.screen.feedback.error(message)
        if journal:
            secret = self.question is not None and self.question.secret
            self.journal(item, "refused", message, secret=secret)

    def _lookup(self, raw: str) -> tuple[str, str] | None:
        try:
            return self.screen.bridge.query(what_is, raw)
        except OperationFailed:
            return None

    def ask_choice(self, prompt: str, reasons: tuple[str, ...], caption: Callable[[str], str],
                   then: Callable[[str], None], cancelled: Callable[[], None] | None = None) -> None:
        """A numbered reason (English kept, ``caption`` shows it translated); the last one,
        "Other", asks for the operator's own words and gives "Other: <words>"."""
        other = reasons[-1]

        def chosen(answer: Answer) -> None:
            if answer.value != other:
                then(answer.value)
                return
            self.ask(Question("reason", QCoreApplication.translate(
                "Dialogue", "Say why in a few words, then Enter"),
                lambda words: then(f"{other}: {words.value}"), cancelled))

        listed = "    ".join(f"{number} {caption(english)}" for number, english in enumerate(reasons, start=1))
        self.ask(Question("reason", f"{prompt}\n{listed}", chosen, cancelled,
                          choices=tuple((english, caption(english)) for english in reasons)))

    # --- the supervisor, in the scan field ---------------------------------------------------
    def ask_approval(self, reason: str, then: Callable[[Approval], None],
                     cancelled: Callable[[], None] | None = None) -> None:
        """Badge, then PIN, both in the scan field; ``then(approval)`` when they check out (checked
        here once for the banner; the use case verifies the ``Approval`` again itself)."""

        def badge_given(badge: Answer) -> None:
            self.ask(Question("pin", QCoreApplication.translate(
                "Dialogue", "Supervisor: type your PIN, then Enter"),
                lambda pin: pin_given(badge.value, pin), cancelled))

        def pin_given(badge: str, pin: Answer) -> None:
            try:
                approver = self.screen.bridge.query(supervisor_approval, badge, pin.value,
                                                    workstation=self.screen.bridge.workstation)
            except OperationFailed as failure:
                self.ask_approval(reason, then, cancelled)
                self.screen.feedback.error(failure.message)
                return
            then(Approval(badge, pin.value, approver.display_name))

        self.ask(Question("badge", QCoreApplication.translate(
            "Dialogue", "{reason} Supervisor: scan your badge").format(reason=reason),
            badge_given, cancelled))

    # --- journal ----------------------------------------------------------------------------
    def journal_ok(self, message: str = "") -> None:
        """Journal the scan being worked on as taken, where no use case journals it
        (a document opened, a location confirmed, a wave chosen)."""
        if self.scan is not None and self.scan.command is None:
            self.journal(self.scan, "ok", message)

    def journal(self, item: Scan, outcome: str, message: str = "", *, secret: bool = False) -> None:
        context = f"{self.screen.journal_context}:{self.screen.step}" if self.screen.step else \
            self.screen.journal_context
        raw = "****" if secret else item.raw
        self.screen.bridge.journal(context, raw, outcome, message,
                                   interpretation="secret" if secret else None)

    # --- keys -------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        command = self._command_for_key(event)
        if command is None:
            return False
        self.screen.scan_field.clear()
        self.press(command)
        return True

    def _command_for_key(self, event: QKeyEvent) -> Command | None:
        if event.key() in ENTER_KEYS:
            if self.screen.scan_field.text():
                return None
            name = "Enter"
        else:
            name = QKeySequence(event.keyCombination()).toString()
        if not name:
            return None
        if name == "Esc" and self.question is not None:
            return self.command_named("CANCEL")
        if not self.table_driven and name != "Esc":
            return None
        step = self.screen.step
        return next((c for c in self.commands if name in c.keys and c.available(step)), None)


