"""Fixtures for widget tests: settings in a temporary ini file, a bridge on the test database,
and generated files (sounds, compiled translations) in a temporary cache folder."""

from __future__ import annotations

import gc
import os

import pytest

from app.settings import Settings
from app.ui.settings_store import settings_in_file


@pytest.fixture(scope="session", autouse=True)
def _cache_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("cache")
    previous = os.environ.get("STOCKFLOOR_CACHE_DIR")
    os.environ["STOCKFLOOR_CACHE_DIR"] = str(path)
    yield path
    if previous is None:
        os.environ.pop("STOCKFLOOR_CACHE_DIR", None)
    else:
        os.environ["STOCKFLOOR_CACHE_DIR"] = previous


@pytest.fixture(autouse=True)
def _collect_on_gui_thread(qapp):
    """Garbage is collected as in the window (app/ui/collector.py): only on the GUI thread,
    never on the database worker mid-query. Afterwards what the test left (qtbot's widgets,
    deleted later, and the bridge, screens and settings in reference cycles with them) is
    freed here, on the GUI thread, and Python collects by itself again for the tests that
    run no event loop."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from app.ui.collector import GuiThreadCollector

    collector = GuiThreadCollector(qapp).start()
    yield collector
    collector.stop()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    collector.deleteLater()


@pytest.fixture(autouse=True)
def _outbox_file(tmp_path, monkeypatch):
    """The offline outbox of a window built in a test: a file of the test's own."""
    monkeypatch.setenv("STOCKFLOOR_OUTBOX", str(tmp_path / "outbox.sqlite"))


@pytest.fixture
def settings(tmp_path) -> Settings:
    """Workstation settings in an ini file: English, no sound, WS-TEST."""
    store = settings_in_file(tmp_path / "workstation.ini")
    store.update(workstation="WS-TEST", language="en", sound=False,
                 database_target=str(tmp_path / "unused.sqlite"))
    return store


@pytest.fixture
def bridge(database, qapp):
    from app.main import make_bridge

    return make_bridge(database, "WS-TEST")


@pytest.fixture
def sounds(_cache_dir, qapp):
    from app.ui.feedback import Sounds

    return Sounds(_cache_dir / "sounds", enabled=True)


@pytest.fixture
def context(bridge, settings, sounds):
    """Everything a screen needs, without a shell around it (navigator is None)."""
    from app.ui.context import AppContext

    return AppContext(bridge=bridge, settings=settings, sounds=sounds)


@pytest.fixture
def translations(qapp, _cache_dir):
    """The application's translators; English again after the test (they are app-wide)."""
    from app.ui.i18n import Translations

    installed = Translations(qapp, cache=_cache_dir / "translations")
    yield installed
    installed.set_language("en")


@pytest.fixture
def shell(qtbot, database, settings, translations, warehouse):
    """The main window on the small warehouse, showing the log-in screen."""
    from app.main import build_window

    window = build_window(database, settings, translations)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window
