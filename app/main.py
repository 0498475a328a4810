"""Composition root: the only module that wires Qt, the database, the services and the UI.

Start-up stays near a second: Qt widgets, SQLAlchemy and Alembic are needed to show the log-in
screen; everything else (biip, reportlab, QtMultimedia, the workflow screens' services) loads
when first used.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.db.engine import Database
    from app.settings import Settings
    from app.ui.bridge import Bridge
    from app.ui.i18n import Translations
    from app.ui.shell.window import MainWindow

log = logging.getLogger(__name__)
# How long a floor scan is retried with its key when the database does not answer, before
# the screen hears "cannot be reached" (or the scan goes to the offline outbox).
SCAN_RETRY_SECONDS = 5.0
# While offline, how often the outbox asks whether the database is back.
OFFLINE_RETRY_SECONDS = 3.0


def make_bridge(database: Database, workstation: str, *, background: bool = True,
                outbox: Path | None = None) -> Bridge:
    """The UI's bridge to the services on ``database`` (tests build theirs here too); use
    cases run on its one worker thread unless ``background`` is False. With ``outbox`` (a
    file) floor scans keep working offline when a shared database cannot be reached."""
    from app.db.uow import UnitOfWork
    from app.services.retry import run_scan
    from app.ui.bridge import Bridge

    retry = float(os.environ.get("STOCKFLOOR_SCAN_RETRY_SECONDS") or SCAN_RETRY_SECONDS)
    bridge = Bridge(partial(UnitOfWork, database), workstation=workstation,
                    database_label=database.describe(), background=background,
                    scan_runner=partial(run_scan, database, give_up_after=retry))
    if outbox is not None and database.engine.dialect.name != "sqlite":  # a file on this disk needs none
        import sqlite3

        from app.services.outbox.replay import replay_pending
        from app.services.outbox.store import Outbox
        from app.ui.offline.desk import OfflineDesk

        try:
            store = Outbox(outbox)
        except (OSError, sqlite3.Error):  # no outbox, but still a window
            log.exception("no offline outbox: %s cannot be opened", outbox)
            return bridge
        every = float(os.environ.get("STOCKFLOOR_OFFLINE_RETRY_SECONDS") or OFFLINE_RETRY_SECONDS)
        OfflineDesk(bridge, store, database.describe(),
                    partial(replay_pending, database, store, give_up_after=retry), retry_ms=int(every * 1000))
    return bridge


def ensure_display(environ: dict[str, str] = os.environ, platform: str = sys.platform) -> bool:
    """On Linux without a display, run offscreen instead of letting Qt abort. True if it did."""
    if not platform.startswith("linux"):
        return False
    if environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY") or environ.get("QT_QPA_PLATFORM"):
        return False
    print("stockfloor: no display found (DISPLAY and WAYLAND_DISPLAY are not set); "
          "running offscreen, nothing will be shown.", file=sys.stderr)
    environ["QT_QPA_PLATFORM"] = "offscreen"
    return True


def choose_target(cli_target: str, settings: Settings, *, demo: bool) -> str:
    """The CLI's target wins when it was chosen (--database, $STOCKFLOOR_DATABASE, --demo);
    when it is only the default, the database set on this workstation's settings is used."""
    from app.paths import DATABASE_ENV, default_database_path

    stored = settings.load().database_target
    chosen_elsewhere = demo or os.environ.get(DATABASE_ENV) or cli_target != str(default_database_path())
    return cli_target if chosen_elsewhere else stored


def open_database(target: str, settings: Settings, parent=None) -> Database | None:  # noqa: ANN001
    """Open and upgrade the database; on failure let the user fix the target or quit."""
    from app.core.errors import ClientTooOld, DatabaseTooNew, DatabaseUnavailable
    from app.db.engine import create_database
    from app.db.schema import upgrade
    from app.ui.error_texts import error_message
    from app.ui.settings.database_dialog import DatabaseTargetDialog

    while True:
        try:
            database = create_database(target)
        except DatabaseUnavailable as error:
            problem = error_message(error)
        else:
            try:
                upgrade(database)
                return database
            except (DatabaseUnavailable, DatabaseTooNew, ClientTooOld) as error:
                database.dispose()
                problem = error_message(error)
        log.warning("cannot open the database: %s", problem)
        chosen = DatabaseTargetDialog.ask(parent, target, problem)
        if chosen is None:
            return None
        if chosen != target:
            settings.update(database_target=chosen)
            target = chosen


def build_window(database: Database, settings: Settings, translations: Translations, *,
                 demo: bool = False) -> MainWindow:
    """The main window on an open database (also used by tests and screenshots)."""
    from app.paths import outbox_path
    from app.settings import cache_dir
    from app.ui.context import AppContext
    from app.ui.feedback import Sounds
    from app.ui.registry import ScreenRegistry, discover
    from app.ui.shell.window import MainWindow

    values = settings.load()
    translations.set_language(values.language)
    context = AppContext(
        bridge=make_bridge(database, values.workstation, outbox=outbox_path()),
        settings=settings,
        sounds=Sounds(cache_dir() / "sounds", enabled=values.sound),
        translations=translations,
    )
    return MainWindow(context, discover(ScreenRegistry()), demo=demo)


def install_exception_hook(window: MainWindow | None = None) -> None:
    """An unhandled exception in a slot is logged (with its traceback, to the log file) and
    shown in the current screen's banner; the window stays up instead of dying."""
    import threading

    from app.support import log_unhandled

    def hook(kind: type[BaseException], value: BaseException, traceback) -> None:  # noqa: ANN001
        log_unhandled(kind, value, traceback)
        if window is not None:
            show_crash_banner(window)

    sys.excepthook = hook
    threading.excepthook = lambda args: log_unhandled(args.exc_type, args.exc_value, args.exc_traceback)


def show_crash_banner(window: MainWindow) -> None:
    from PySide6.QtCore import QCoreApplication

    banner = getattr(window.stack.currentWidget(), "banner", None)
    if banner is None:
        return
    banner.show_message("error", QCoreApplication.translate(
        "main", "Something went wrong and was written to the log. Please tell a supervisor."))


def install_test_hooks(app, window: MainWindow, environ: dict[str, str] = os.environ) -> None:  # noqa: ANN001
    """For smoke tests of an installed build: $STOCKFLOOR_TEST_BADGE logs that badge in once the
    window shows; $STOCKFLOOR_QUIT_AFTER_MS quits after that many milliseconds."""
    from PySide6.QtCore import QTimer

    badge = environ.get("STOCKFLOOR_TEST_BADGE")
    if badge:
        # Scans are handled in arrival order off the GUI thread: report once the log-in is done.
        def report(actor: object) -> None:
            print(f"stockfloor: test log-in as {actor.display_name}", file=sys.stderr)

        window.login.logged_in.connect(report)
        QTimer.singleShot(0, lambda: window.login.scan_field.scanned.emit(badge, True))  # as if scanned
    if environ.get("STOCKFLOOR_TEST_IMPORT_ALL"):
        print(f"stockfloor: test imports: {import_every_ui_module()}", file=sys.stderr)
    quit_after = environ.get("STOCKFLOOR_QUIT_AFTER_MS")
    if quit_after:
        QTimer.singleShot(int(quit_after), app.quit)


def import_every_ui_module() -> str:
    """Screens import their modules (and Qt modules such as QtCharts) only when opened: a
    trimmed build can start and still lack one. This imports them all and says which failed."""
    import importlib
    import pkgutil

    import app.ui

    failed = []
    names = [info.name for info in pkgutil.walk_packages(app.ui.__path__, "app.ui.")]
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as error:  # noqa: BLE001 - reported: the smoke test fails on it
            failed.append(f"{name} ({error})")
    return f"{len(names)} modules, {len(failed)} failed" + "".join(f"\n  {line}" for line in failed)


def run(database_target: str, *, demo: bool = False, prepare: Callable[[], object] | None = None) -> int:
    """Start the floor client on ``database_target`` (a path or URL resolved by the CLI).
    ``prepare``: work to do before the database opens (building the demo warehouse), run off
    the GUI thread behind a progress bar."""
    from app.support import setup_logging

    started = time.perf_counter()
    folder = setup_logging()
    install_exception_hook()
    ensure_display()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.settings import cache_dir
    from app.ui.collector import GuiThreadCollector
    from app.ui.i18n import Translations
    from app.ui.icons import app_icon
    from app.ui.settings_store import user_settings
    from app.ui.style import apply_style

    app = QApplication.instance() or QApplication(sys.argv)
    GuiThreadCollector(app).start()  # Qt objects in reference cycles die on the GUI thread only
    app.setApplicationName("Stockfloor")
    app.setOrganizationName("Stockfloor")
    app.setDesktopFileName("stockfloor")
    app.setWindowIcon(app_icon())
    apply_style(app)
    settings = user_settings()
    translations = Translations(app, cache=cache_dir() / "translations")
    translations.set_language(settings.load().language)  # the database dialog speaks it too
    if prepare is not None:
        from PySide6.QtCore import QCoreApplication

        from app.ui.progress import run_with_progress

        run_with_progress(None, "Stockfloor", QCoreApplication.translate(
            "main", "Building the demo warehouse. This takes a few seconds the first time."),
            lambda report: prepare())
    database = open_database(choose_target(database_target, settings, demo=demo), settings)
    if database is None:
        return 1
    window = build_window(database, settings, translations, demo=demo)
    install_exception_hook(window)
    window.place_on_screen()  # maximized, or full screen (kiosk)
    install_test_hooks(app, window)
    QTimer.singleShot(0, lambda: log.info("started in %.0f ms, logging to %s",
                                          (time.perf_counter() - started) * 1000, folder))
    try:
        return app.exec()
    finally:
        database.dispose()
