"""Base class of the floor screens: one prompt, one banner, one scan field, and the content.

A floor screen is a guided dialogue: it shows a prompt ("Scan location A-03-02"), turns each
scan into a use-case call through the bridge, shows the result on the banner with a sound,
and moves on to the next prompt. It holds no business rule (app/ARCHITECTURE.md, "humble screens").
See app/ui/README.md for a complete example.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.ui.bridge import Changes, OperationFailed
from app.ui.context import AppContext
from app.ui.dialogue.engine import Dialogue
from app.ui.dialogue.questions import MAX_QUANTITY, Question
from app.ui.dialogue.table import CANCEL, Command, Step
from app.ui.feedback import Banner, Feedback
from app.ui.fitted import FittedLabel
from app.ui.scanfield import ScanField


class FloorScreen(QWidget):
    #: Changes that make refresh() run (e.g. Changes(stock=True, receipts=True)).
    refresh_flags = Changes()
    #: The scan journal's context for failed scans on this screen.
    journal_context = "screen"
    #: Take the focus back from buttons (floor screens); off where Tab should reach buttons.
    keep_scan_focus = True
    # The dialogue table (app/ui/dialogue): commands and steps. A screen with steps is run
    # by the engine step by step; one without gets its scans in on_scan().
    commands: tuple[Command, ...] = ()
    steps: dict[str, Step] = {}

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.bridge = context.bridge
        self.title = QLabel(objectName="screenTitle")
        # One line high whatever it says (a long prompt is set smaller, on two lines): the scan
        # field below never moves.
        self.prompt = FittedLabel(1, shrink=13)
        self.prompt.setObjectName("screenPrompt")
        self.banner = Banner()
        self.feedback = Feedback(self.banner, context.sounds)
        self.scan_field = ScanField(options=context.scanner_options())
        if self.keep_scan_focus:
            self.scan_field.keep_focus_in(self)
        self.dialogue = Dialogue(self)
        self.content = QVBoxLayout()
        self.keys = QLabel(objectName="keyHints")
        self.keys.setWordWrap(True)  # a second line where a language needs it, never a wider window
        self.keys.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 10, 24, 8)  # tight: the content keeps room at 768 lines
        layout.setSpacing(8)
        for widget in (self.title, self.prompt, self.banner, self.scan_field):
            layout.addWidget(widget)
        layout.addLayout(self.content, 1)
        layout.addWidget(self.keys)
        context.bridge.changed.connect(self.refresh_on)

    # --- for subclasses ---------------------------------------------------------------
    def retranslate(self) -> None:
        """Set every visible text with self.tr(). Runs again when the language changes.
        Subclasses call it at the end of __init__ and call super().retranslate()."""
        self.keys.setText(self.dialogue.hints() if self.steps else self.tr("Esc: back"))

    def on_scan(self, raw: str, by_scanner: bool) -> None:
        raise NotImplementedError

    def refresh(self) -> None:
        """Reload what the screen shows; runs when a use case changed ``refresh_flags``."""

    def leave(self) -> None:
        """Esc: back to the home screen. Override to confirm or to undo a half-done step."""
        if self.context.navigator is not None:
            self.context.navigator.go_home()

    @property
    def step(self) -> str:
        """The current step's name in ``steps`` ("" for screens without steps)."""
        return ""

    def dialogue_changed(self) -> None:
        """Runs after every scan or command the engine worked off: show the new state."""
        if self.steps:
            self.retranslate()

    # --- what several floor screens share ------------------------------------------------
    pending_quantity: int | None = None  # the next item counts this many times
    _running = False  # our own use case is running: its result updates the screen, not refresh()

    def quantity(self, argument: str = "") -> None:
        """F2 / SF:QTY asks for the quantity of the next item; SF:QTY:<n> sets it."""
        if argument:
            self.set_quantity(int(argument) if argument.isdigit() else 0)
            return
        self.dialogue.ask(Question("quantity", self.tr("Type or scan the quantity for the next item, then Enter"),
                                   lambda answer: self.set_quantity(answer.value)))

    def set_quantity(self, quantity: int) -> None:
        if not 1 <= quantity <= MAX_QUANTITY:
            self.feedback.error(self.tr("A quantity is a number from 1 to {most}.").format(most=MAX_QUANTITY))
            return
        self.pending_quantity = quantity
        self.feedback.attention(self.tr("Next item counts {quantity} times: scan it").format(quantity=quantity))
        self.retranslate()

    def _run(self, call, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        self._running = True
        try:
            return call(*args, **kwargs)
        finally:
            self._running = False

    def expected_location(self) -> str | None:
        """The location code a location step expects (its check digits confirm it)."""
        return None

    def command_not_here(self, code: str) -> str:
        """What the banner says to a command this step does not know."""
        return self.tr("{code} does nothing here. {prompt}").format(code=code, prompt=self.prompt.text())

    def log_out(self) -> None:
        if self.context.navigator is not None:
            self.context.navigator.log_out()

    def fail(self, failure: OperationFailed, raw: str | None = None) -> None:
        """Show a failed use case in red, and journal the scan that caused it."""
        self.feedback.error(failure.message)
        if raw is not None:
            self.bridge.journal_failed_scan(self.journal_context, raw, failure)

    # --- plumbing ---------------------------------------------------------------------
    def refresh_on(self, changes: Changes) -> None:
        if changes.settings:
            self.scan_field.set_options(self.context.scanner_options())
            self.dialogue.settings_changed()
        if changes.intersects(self.refresh_flags):
            self.refresh()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        # Esc reaches the screen from any child that does not use it (the scan field does not).
        if event.key() == Qt.Key.Key_Escape:
            self.dialogue.press(CANCEL)
            return
        super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.dialogue.after_item()
        super().changeEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        super().showEvent(event)
        self.scan_field.setFocus(Qt.FocusReason.OtherFocusReason)
