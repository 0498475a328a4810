"""Admin: user accounts. Add, deactivate or reactivate, reset a PIN, print a badge."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.actor import ROLES
from app.services import printing, users
from app.ui.bridge import Changes, OperationFailed
from app.ui.context import AppContext
from app.ui.desk import DeskScreen

USER_CHANGES = Changes(users=True)


class UserForm(QDialog):
    """A new user's name, badge, role and first PIN."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("userForm")
        self.username = QLineEdit(objectName="newUsername")
        self.display_name = QLineEdit(objectName="newDisplayName")
        self.badge = QLineEdit(objectName="newBadge")
        self.role = QComboBox(objectName="newRole")
        self.role.addItems(ROLES)
        self.pin = QLineEdit(objectName="newPin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.form = QFormLayout()
        self.labels = [QLabel() for _ in range(5)]
        for label, field in zip(self.labels, (self.username, self.display_name, self.badge, self.role, self.pin),
                                strict=True):
            self.form.addRow(label, field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(buttons)
        self.setWindowTitle(self.tr("New user"))
        for label, text in zip(self.labels, (self.tr("User name"), self.tr("Name"), self.tr("Badge"),
                                             self.tr("Role"), self.tr("PIN")), strict=True):
            label.setText(text)

    def values(self) -> dict[str, str]:
        return {"username": self.username.text(), "display_name": self.display_name.text(),
                "badge_code": self.badge.text(), "role": self.role.currentText(), "pin": self.pin.text()}

    @classmethod
    def ask(cls, parent: QWidget | None) -> dict[str, str] | None:
        """The new user's fields, or None when cancelled. Tests replace this."""
        form = cls(parent)
        return form.values() if form.exec() == QDialog.DialogCode.Accepted else None


class PinForm(QDialog):
    def __init__(self, parent: QWidget | None, name: str) -> None:
        super().__init__(parent)
        self.pin = QLineEdit(objectName="resetPin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow(QLabel(self.tr("New PIN for {name}").format(name=name)), self.pin)
        layout.addRow(buttons)
        self.setWindowTitle(self.tr("Reset PIN"))

    @classmethod
    def ask(cls, parent: QWidget | None, name: str) -> str | None:
        """The new PIN, or None when cancelled. Tests replace this."""
        form = cls(parent, name)
        return form.pin.text() if form.exec() == QDialog.DialogCode.Accepted else None


class UsersScreen(DeskScreen):
    COLUMNS = 6

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.bridge = context.bridge
        self.rows: list[users.UserView] = []
        self.title = QLabel(objectName="screenTitle")
        self.table = QTableWidget(0, self.COLUMNS, objectName="usersTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.message = QLabel(objectName="usersMessage")
        self.message.setWordWrap(True)
        self.add_button = QPushButton(objectName="addUser", clicked=self.add_user)
        self.active_button = QPushButton(objectName="toggleActive", clicked=self.toggle_active)
        self.pin_button = QPushButton(objectName="resetPin", clicked=self.reset_pin)
        self.badge_button = QPushButton(objectName="printBadge", clicked=self.print_badge)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.active_button, self.pin_button, self.badge_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Users"))
        self.table.setHorizontalHeaderLabels([self.tr("User name"), self.tr("Name"), self.tr("Badge"),
                                              self.tr("Role"), self.tr("Active"), self.tr("Locked")])
        self.add_button.setText(self.tr("New user..."))
        self.active_button.setText(self.tr("Deactivate / reactivate"))
        self.pin_button.setText(self.tr("Reset PIN..."))
        self.badge_button.setText(self.tr("Print badge"))

    def shown(self) -> None:
        self.reload()

    def reload(self) -> None:
        try:
            self.rows = self.bridge.query(users.list_users)
        except OperationFailed as failure:
            self.message.setText(failure.message)
            return
        yes, no = self.tr("yes"), self.tr("no")
        self.table.setRowCount(len(self.rows))
        for row, user in enumerate(self.rows):
            cells = (user.username, user.display_name, user.badge_code, user.role,
                     yes if user.active else no, yes if user.locked else no)
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def selected(self) -> users.UserView | None:
        row = self.table.currentRow()
        if 0 <= row < len(self.rows):
            return self.rows[row]
        self.message.setText(self.tr("Choose a user in the list first."))
        return None

    def _run(self, use_case, *args, done: str, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        try:
            actor = self.bridge.require_actor()
            self.bridge.run(use_case, *args, actor=actor, changes=USER_CHANGES, **kwargs)
        except OperationFailed as failure:
            self.message.setText(failure.message)
            return
        self.message.setText(done)
        self.reload()

    def add_user(self) -> None:
        values = UserForm.ask(self)
        if values is not None:
            self._run(users.add_user, done=self.tr("User {name} added.").format(name=values["username"]),
                      **values)

    def toggle_active(self) -> None:
        user = self.selected()
        if user is None:
            return
        if user.active:
            self._run(users.deactivate_user, user.id,
                      done=self.tr("{name} is deactivated: the badge is refused.").format(name=user.display_name))
        else:
            self._run(users.reactivate_user, user.id,
                      done=self.tr("{name} is active again.").format(name=user.display_name))

    def reset_pin(self) -> None:
        user = self.selected()
        if user is None:
            return
        pin = PinForm.ask(self, user.display_name)
        if pin is not None:
            self._run(users.reset_pin, user.id, pin,
                      done=self.tr("New PIN set for {name}.").format(name=user.display_name))

    def print_badge(self) -> None:
        user = self.selected()
        if user is not None:
            self._run(printing.queue_print, "badges", {"codes": [user.badge_code]},
                      done=self.tr("Badge of {name} sent to the label printer.").format(name=user.display_name))
