"""Log-in: scan a badge, or type user name and PIN. The database target is reachable here."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from app.core.errors import AccountLocked, PinRequired
from app.services import users
from app.ui.bridge import OperationFailed
from app.ui.context import AppContext
from app.ui.dialogue import Answer, Command, Question, Scan, Step
from app.ui.screen import FloorScreen
from app.ui.settings.database_dialog import DatabaseTargetDialog


class LoginScreen(FloorScreen):
    logged_in = Signal(object)  # Actor
    journal_context = "login"
    steps = {"badge": Step("badge", "badge_scanned")}
    commands = (
        Command("", QT_TRANSLATE_NOOP("Commands", "change the database"), "change_database", ("F10",)),
        Command("CANCEL", QT_TRANSLATE_NOOP("Commands", "start over"), "leave", ("Esc",), on_sheet=False),
    )

    @property
    def step(self) -> str:
        return "badge"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.badge: str | None = None  # scanned, waiting for its PIN
        self.banner.hide_when_idle = True  # an empty box on the first screen looks broken
        self.banner.clear_message()
        self.typed = QGroupBox()
        self.username_label = QLabel()
        self.username = QLineEdit(objectName="username")
        self.pin_label = QLabel()
        self.pin = QLineEdit(objectName="pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.returnPressed.connect(self.log_in_with_pin)
        self.username.returnPressed.connect(lambda: self.pin.setFocus())
        self.username_label.setBuddy(self.username)
        self.pin_label.setBuddy(self.pin)
        self.log_in_button = QPushButton(objectName="logInButton")
        self.log_in_button.clicked.connect(self.log_in_with_pin)
        grid = QGridLayout(self.typed)
        grid.addWidget(self.username_label, 0, 0)
        grid.addWidget(self.username, 0, 1)
        grid.addWidget(self.pin_label, 1, 0)
        grid.addWidget(self.pin, 1, 1)
        grid.addWidget(self.log_in_button, 2, 1, Qt.AlignmentFlag.AlignLeft)
        grid.setColumnStretch(1, 1)
        self.database_button = QPushButton(objectName="databaseButton")
        self.database_button.clicked.connect(self.change_database)
        self.database_label = QLabel(objectName="databaseLabel")
        self.database_label.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.database_label, 1)
        bottom.addWidget(self.database_button)
        self.content.addWidget(self.typed)
        self.content.addStretch(1)
        self.content.addLayout(bottom)
        self.setTabOrder(self.scan_field, self.username)
        self.setTabOrder(self.username, self.pin)
        self.setTabOrder(self.pin, self.log_in_button)
        self.setTabOrder(self.log_in_button, self.database_button)
        self.retranslate()

    def retranslate(self) -> None:
        super().retranslate()
        self.title.setText(self.tr("Stockfloor: log in"))
        self.prompt.setText(self.tr("Scan your badge"))
        self.typed.setTitle(self.tr("Or type your user name and PIN"))
        self.username_label.setText(self.tr("&User name"))
        self.pin_label.setText(self.tr("&PIN"))
        self.log_in_button.setText(self.tr("Log in"))
        self.database_button.setText(self.tr("Database... (F10)"))
        self.database_label.setText(
            self.tr("Database: {database}").format(database=self.bridge.database_label)
        )
        self.keys.setText(self.tr("Tab: type user name and PIN instead") + "    " + self.dialogue.hints())

    def reset(self) -> None:
        self.badge = None
        self.username.clear()
        self.pin.clear()
        self.feedback.clear()
        self.scan_field.clear()
        self.scan_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def badge_scanned(self, scan: Scan, _code: object) -> None:
        self.badge = None
        try:
            actor = self.bridge.run(users.login, scan.raw, None, workstation=self.bridge.workstation)
        except OperationFailed as failure:
            if isinstance(failure.error, PinRequired):  # supervisors and admins: badge + PIN
                self.ask_pin(scan.raw.strip(), failure.message)
                return
            self.fail(failure, scan.raw)
            return
        self.logged_in.emit(actor)
        self.dialogue.journal_ok("logged in by badge")

    def ask_pin(self, badge: str, message: str) -> None:
        """The PIN, asked in the scan field (masked, journalled as ****)."""
        self.badge = badge

        def pin_given(pin: Answer) -> None:
            self.log_in_with_badge_and_pin(pin.value)

        self.dialogue.ask(Question("pin", message, pin_given, self.reset))

    def log_in_with_badge_and_pin(self, pin: str) -> None:
        badge = self.badge
        try:
            actor = self.bridge.run(users.login, badge, pin, workstation=self.bridge.workstation)
        except OperationFailed as failure:
            if badge is not None and not isinstance(failure.error, AccountLocked):
                self.ask_pin(badge, self.tr("Type your PIN again, then Enter"))  # a wrong PIN: once more
            self.fail(failure)
            return
        self.badge = None
        self.logged_in.emit(actor)

    def log_in_with_pin(self) -> None:
        if self.badge is not None and not self.username.text().strip() and self.pin.text():
            self.log_in_with_badge_and_pin(self.pin.text())
            self.pin.clear()
            return
        name = self.username.text().strip()
        if not name:
            self.feedback.attention(self.tr("Type your user name, then your PIN."))
            self.username.setFocus()
            return
        try:
            actor = self.bridge.run(users.login_with_pin, name, self.pin.text(),
                                    workstation=self.bridge.workstation)
        except OperationFailed as failure:
            self.pin.clear()
            self.fail(failure)
            self.pin.setFocus()
            self.bridge.journal(self.journal_context, name, "error", failure.english(),
                                interpretation="typed user name (PIN not kept)")
            return
        self.logged_in.emit(actor)
        self.bridge.journal(self.journal_context, name, "ok", "logged in with PIN",
                            interpretation="typed user name (PIN not kept)")

    def change_database(self) -> None:
        values = self.context.settings.load()
        target = DatabaseTargetDialog.ask(self, values.database_target)
        if target is None:
            return
        self.context.settings.update(database_target=target)
        self.feedback.attention(
            self.tr("Database set to {target}. Start Stockfloor again to use it.").format(target=target)
        )

    def leave(self) -> None:
        self.reset()  # nowhere to go back to: Esc starts over

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_F10:  # also from the user name and PIN fields
            self.dialogue.press(self.commands[0])
            return
        super().keyPressEvent(event)

