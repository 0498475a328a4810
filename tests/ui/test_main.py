"""Start-up: display fallback, choosing and opening the database, the dialog when it fails."""

from __future__ import annotations

import contextlib
import faulthandler
import io
import logging
import re
import shutil
import sys
import threading
import types

import pytest
from PySide6.QtWidgets import QApplication
from sqlalchemy import text

from app import main
from app.db.engine import create_database
from app.paths import default_database_path, log_dir
from app.support import recent_errors
from app.ui.settings.database_dialog import DatabaseTargetDialog
from app.ui.settings_store import settings_in_file

UNREACHABLE = "postgresql://postgres@127.0.0.1:9/nowhere"


def test_no_display_on_linux_falls_back_to_offscreen(monkeypatch):
    stderr = io.StringIO()
    monkeypatch.setattr("sys.stderr", stderr)
    environ = {}
    assert main.ensure_display(environ, "linux") is True
    assert environ == {"QT_QPA_PLATFORM": "offscreen"}
    assert stderr.getvalue().count("\n") == 1 and "no display" in stderr.getvalue()
    for untouched in ({"DISPLAY": ":0"}, {"WAYLAND_DISPLAY": "wayland-0"}, {"QT_QPA_PLATFORM": "xcb"}):
        assert main.ensure_display(dict(untouched), "linux") is False
    assert main.ensure_display({}, "win32") is False


def test_an_explicit_target_wins_over_the_workstation_setting(settings, monkeypatch):
    monkeypatch.delenv("STOCKFLOOR_DATABASE", raising=False)
    settings.update(database_target="postgresql://wms@db/warehouse")
    default = str(default_database_path())
    assert main.choose_target(default, settings, demo=False) == "postgresql://wms@db/warehouse"
    assert main.choose_target("/data/other.sqlite", settings, demo=False) == "/data/other.sqlite"
    assert main.choose_target(default, settings, demo=True) == default
    monkeypatch.setenv("STOCKFLOOR_DATABASE", default)
    assert main.choose_target(default, settings, demo=False) == default


@pytest.fixture
def asked(monkeypatch):
    """Replaces the database dialog: records what it showed and answers from a list."""
    record = {"shown": [], "answers": []}

    def ask(cls, parent, target, problem=""):
        record["shown"].append((target, problem))
        return record["answers"].pop(0) if record["answers"] else None

    monkeypatch.setattr(DatabaseTargetDialog, "ask", classmethod(ask))
    return record


def test_unreachable_database_shows_the_reason_and_can_quit(qapp, settings, asked):
    assert main.open_database(UNREACHABLE, settings) is None
    [(target, problem)] = asked["shown"]
    assert target == UNREACHABLE
    assert problem.startswith("The database postgresql+psycopg://postgres@127.0.0.1:9/nowhere cannot be reached: ")


def test_a_corrected_target_is_opened_and_remembered(qapp, settings, asked, tmp_path):
    good = str(tmp_path / "fixed.sqlite")
    asked["answers"].append(good)
    database = main.open_database(UNREACHABLE, settings)
    assert database is not None and database.sqlite_path.name == "fixed.sqlite"
    database.dispose()
    assert settings.load().database_target == good


def test_database_from_a_newer_stockfloor_is_refused_in_words(qapp, settings, asked, sqlite_template, tmp_path):
    path = tmp_path / "newer.sqlite"
    shutil.copy(sqlite_template, path)
    database = create_database(str(path))
    with database.engine.begin() as conn:
        conn.execute(text("INSERT INTO alembic_version (version_num) VALUES ('9999_future')"))
    database.dispose()
    assert main.open_database(str(path), settings) is None
    [(_, problem)] = asked["shown"]
    assert "was written by a newer Stockfloor (schema 9999_future)" in problem


def test_the_dialog_itself_says_what_went_wrong(qtbot):
    dialog = DatabaseTargetDialog(None, UNREACHABLE, "The database x cannot be reached: refused")
    qtbot.addWidget(dialog)
    assert dialog.problem.text() == "The database x cannot be reached: refused"
    assert dialog.target.text() == UNREACHABLE
    assert sorted(button.text() for button in dialog.buttons.buttons()) == ["Quit", "Try again"]


@pytest.fixture
def user_settings(qapp, tmp_path, monkeypatch):
    """run() reads the per-user settings: point them at a file; undo run()'s app-wide style."""
    path = tmp_path / "run.ini"
    settings_in_file(path).update(language="en", sound=False)
    monkeypatch.setenv("STOCKFLOOR_SETTINGS", str(path))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    with start_up_isolated(monkeypatch):
        yield path
    qapp.setStyleSheet("")


@contextlib.contextmanager
def start_up_isolated(monkeypatch):
    """run() installs process-wide things: an exception hook, faulthandler, log handlers.
    Give them back afterwards so pytest keeps its own."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    monkeypatch.setattr(faulthandler, "enable", lambda *args, **kwargs: None)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield
    finally:
        for handler in root.handlers:
            if handler not in handlers:
                handler.close()
        root.handlers[:] = handlers
        root.setLevel(level)


def test_run_opens_the_window_on_a_working_database(user_settings, tmp_path, monkeypatch, sqlite_template):
    path = tmp_path / "run.sqlite"
    shutil.copy(sqlite_template, path)
    shown = []
    monkeypatch.setattr(QApplication, "exec", lambda self: shown.extend(
        w.windowTitle() for w in QApplication.topLevelWidgets() if w.isVisible()) or 0)
    assert main.run(str(path)) == 0
    assert any(title.startswith("Stockfloor - ") for title in shown)


def test_run_writes_a_log_file_in_the_user_log_folder(user_settings, tmp_path, monkeypatch, sqlite_template):
    path = tmp_path / "run.sqlite"
    shutil.copy(sqlite_template, path)
    monkeypatch.setattr(QApplication, "exec", lambda self: logging.getLogger("app.test").error("a test error") or 0)
    assert main.run(str(path)) == 0
    log_file = log_dir() / "stockfloor.log"
    assert log_file.is_relative_to(tmp_path / "state") and log_file.exists()
    assert "ERROR app.test: a test error" in log_file.read_text(encoding="utf-8")
    assert any("a test error" in line for line in recent_errors())


def test_an_unhandled_exception_is_logged_and_shown_instead_of_dying(shell, monkeypatch, caplog):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    main.install_exception_hook(shell)
    try:
        raise ValueError("boom")
    except ValueError as error:
        sys.excepthook(ValueError, error, error.__traceback__)
    assert "unhandled ValueError: boom" in caplog.text
    banner = shell.stack.currentWidget().banner
    assert banner.state == "error" and "written to the log" in banner.text()


def test_the_smoke_test_hooks_log_a_badge_in_and_quit(qtbot, shell, capsys):
    quit_calls = []
    app = types.SimpleNamespace(quit=lambda: quit_calls.append(True))
    main.install_test_hooks(app, shell, {"STOCKFLOOR_TEST_BADGE": "B-OP1", "STOCKFLOOR_QUIT_AFTER_MS": "10"})
    qtbot.waitUntil(lambda: bool(quit_calls) and shell.bridge.actor is not None)  # the log-in runs off the GUI thread
    assert shell.bridge.actor.display_name == "Olga Operator"
    assert "test log-in as Olga Operator" in capsys.readouterr().err


def test_run_gives_up_cleanly_when_the_user_quits(user_settings, asked):
    assert main.run(UNREACHABLE) == 1
    assert asked["shown"]


def test_the_smoke_hook_imports_every_ui_module_and_names_the_ones_that_fail(qapp, capsys, monkeypatch):
    """A trimmed one-folder build can start and still lack a library that only an opened screen
    loads (QtCharts, QtPdf): the smoke start imports every UI module and fails on any."""
    main.install_test_hooks(types.SimpleNamespace(quit=lambda: None), None, {"STOCKFLOOR_TEST_IMPORT_ALL": "1"})
    assert re.search(r"test imports: (\d{3}) modules, 0 failed\n", capsys.readouterr().err)
    import importlib

    real = importlib.import_module

    def without_charts(name, *args):  # noqa: ANN001, ANN002, ANN202
        if name == "app.ui.dashboard.screen":
            raise ImportError("libQt6OpenGLWidgets.so.6: cannot open shared object file")
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", without_charts)
    assert main.import_every_ui_module().endswith(
        "1 failed\n  app.ui.dashboard.screen (libQt6OpenGLWidgets.so.6: cannot open shared object file)")
