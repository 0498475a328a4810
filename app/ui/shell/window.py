"""The main window: log-in, home and the workflow screens in one stacked area."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from app.core.actor import Actor
from app.services import users
from app.ui.bridge import Changes, OperationFailed
from app.ui.context import AppContext
from app.ui.fitted import CurrentPageStack, FittedLabel
from app.ui.offline.status import OfflineStatus
from app.ui.registry import ScreenRegistry
from app.ui.shell.home import HomeScreen
from app.ui.shell.login import LoginScreen

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """Implements app.ui.context.Navigator for the screens."""

    def __init__(self, context: AppContext, registry: ScreenRegistry, *, demo: bool = False) -> None:
        super().__init__()
        self.context = context
        self.bridge = context.bridge
        self.registry = registry
        self.demo = demo
        context.navigator = self
        self.screens: dict[str, QWidget] = {}  # built on first use, dropped at log-out
        self.stack = CurrentPageStack()
        self.login = LoginScreen(context)
        self.login.logged_in.connect(self.logged_in)
        self.home = HomeScreen(context, registry)
        self.home.open_requested.connect(self.open_screen)
        self.home.logout_requested.connect(self.log_out)
        self.stack.addWidget(self.login)
        self.stack.addWidget(self.home)
        self.setCentralWidget(self.stack)
        self.user_status = QLabel(objectName="userStatus")
        self.place_status = QLabel(objectName="placeStatus")
        self.database_status = FittedLabel(1)  # a long URL ends in "…", whole in the tooltip
        self.database_status.setObjectName("databaseStatus")
        self.database_status.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.statusBar().addWidget(self.user_status)
        self.statusBar().addWidget(self.place_status)
        self.statusBar().addPermanentWidget(self.database_status, 1)
        self.offline_status = OfflineStatus(self.bridge)  # "Offline — N scans waiting"
        self.statusBar().addPermanentWidget(self.offline_status)
        self.statusBar().setSizeGripEnabled(False)
        self.logout_shortcut = QShortcut(QKeySequence("Ctrl+L"), self)
        self.logout_shortcut.activated.connect(self.log_out)
        self.resize(1280, 800)  # until place_on_screen() gives it the screen
        self.bridge.changed.connect(self._settings_changed)
        self.retranslate()

    # --- on the screen ------------------------------------------------------------------
    def place_on_screen(self) -> None:
        """Show maximized, or full screen when the workstation setting ``kiosk`` is on.

        Maximized and full screen are requests to the window manager; without one (a bare X
        server, some kiosk sessions) nothing would happen, so the window first takes the
        screen's available area (full screen: the whole screen) itself."""
        kiosk = self.context.settings.load().kiosk
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            area = screen.geometry() if kiosk else screen.availableGeometry()
            if self.isVisible():
                self.showNormal()  # leave full screen / maximized before taking the new area
            self.setGeometry(area)
        if kiosk:
            self.showFullScreen()
        else:
            self.showMaximized()
        # Without a window manager nobody gives the window the keyboard focus: keys still
        # arrive, but Qt never sees the window active, so its shortcuts (Ctrl+L) stay dead.
        self.activateWindow()

    def _settings_changed(self, changes: Changes) -> None:
        if changes.settings and self.isVisible():
            wanted = self.context.settings.load().kiosk
            if wanted != self.isFullScreen():
                self.place_on_screen()

    # --- Navigator ---------------------------------------------------------------------
    def go_home(self) -> None:
        if self.bridge.actor is None:
            self.stack.setCurrentWidget(self.login)
        else:
            self.stack.setCurrentWidget(self.home)
            self.home.scan_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_screen(self, name: str) -> None:
        actor = self.bridge.actor
        entry = self.registry.get(name)
        if actor is None or entry is None or not entry.allowed_for(actor.role):
            return
        screen = self.screens.get(name)
        if screen is None:
            screen = entry.factory(self.context)
            self.screens[name] = screen
            self.stack.addWidget(screen)
        self.stack.setCurrentWidget(screen)

    def log_out(self) -> None:
        if self.bridge.actor is None:
            return
        for screen in self.screens.values():  # they may hold the previous user's work
            self.stack.removeWidget(screen)
            screen.deleteLater()
        self.screens.clear()
        self.bridge.log_out()
        self._use_language(self.context.settings.load().language)
        self.login.reset()
        self.stack.setCurrentWidget(self.login)
        self.retranslate()

    # --- log-in -------------------------------------------------------------------------
    def logged_in(self, actor: Actor) -> None:
        self.bridge.log_in(actor)
        try:
            language = self.bridge.query(users.user_language, actor.user_id)
        except OperationFailed as failure:
            log.warning("keeping the workstation language: %s", failure.english())
        else:
            self._use_language(language)
        self.home.show_for(actor)
        self.stack.setCurrentWidget(self.home)
        self.home.scan_field.setFocus(Qt.FocusReason.OtherFocusReason)
        self.retranslate()

    def _use_language(self, language: str) -> None:
        if self.context.translations is not None:
            self.context.translations.set_language(language)

    # --- texts ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        actor = self.bridge.actor
        title = self.tr("Stockfloor - {workstation}").format(workstation=self.bridge.workstation)
        if self.demo:
            title += " " + self.tr("(demo data)")
        self.setWindowTitle(title)
        if actor is None:
            self.user_status.setText(self.tr("Nobody logged in"))
        else:
            self.user_status.setText(self.tr("{name} ({role})").format(
                name=actor.display_name, role=role_name(actor.role)))
        self.place_status.setText(self.tr("Workstation {name}").format(name=self.bridge.workstation))
        self.database_status.setText(self.tr("Database {url}").format(url=self.bridge.database_label))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def role_name(role: str) -> str:
    names = {
        "operator": QCoreApplication.translate("roles", "operator"),
        "supervisor": QCoreApplication.translate("roles", "supervisor"),
        "admin": QCoreApplication.translate("roles", "admin"),
    }
    return names.get(role, role)
