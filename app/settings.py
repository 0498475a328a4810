"""Workstation settings: every one declared once, with its key, type, default and meaning.

These are the settings of one machine (which database, which scanner, which language before
anyone logs in). Warehouse-wide rules live in the database (app/services/config.py).
The store is passed in, never global: anything with QSettings' ``value``/``setValue``/``sync``.
The Qt store (the platform's per-user ini file, or an ini file a test names) is made in
app/ui/settings_store.py, so this module needs no Qt.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Protocol

SCANNER_SUFFIXES = ("enter", "tab")
LANGUAGES = ("", "en", "de", "es", "pl")  # "" follows the operating system's language


def default_database_target() -> str:
    from app.paths import default_database_path

    return str(default_database_path())


def default_workstation() -> str:
    return socket.gethostname() or "workstation"


def cache_dir() -> Path:
    """Where generated files (compiled translations, sounds) go; STOCKFLOOR_CACHE_DIR overrides."""
    override = os.environ.get("STOCKFLOOR_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("Stockfloor", appauthor=False))


@dataclass(frozen=True)
class Setting:
    attribute: str
    key: str
    type: type
    default: object  # a value, or a callable that computes it (host name, data folder)
    description: str
    choices: tuple = ()

    def default_value(self) -> object:
        return self.default() if callable(self.default) else self.default


DECLARED: tuple[Setting, ...] = (
    Setting("database_target", "database/target", str, default_database_target,
            "SQLite file path or PostgreSQL URL of the warehouse database."),
    Setting("workstation", "workstation/name", str, default_workstation,
            "Name of this workstation, stamped on every move and scan."),
    Setting("language", "ui/language", str, "",
            "Language before anyone logs in: en, es, or empty for the system language.",
            LANGUAGES),
    Setting("sound", "ui/sound", bool, True, "Play a sound for ok, attention and error."),
    Setting("scanner_prefix", "scanner/prefix", str, "",
            "Characters the scanner sends before each code (removed)."),
    Setting("scanner_suffix", "scanner/suffix", str, "enter",
            "Key the scanner sends after each code: enter or tab.", SCANNER_SUFFIXES),
    Setting("scanner_interval_ms", "scanner/max_interval_ms", int, 50,
            "Keys closer together than this (ms) come from a scanner, slower ones from a person."),
    Setting("scanner_symbology_id", "scanner/symbology_id", bool, False,
            "The scanner sends a symbology identifier (]C1, ]d2, ...) before each code."),
    Setting("kiosk", "ui/kiosk", bool, False,
            "Kiosk: the window fills the whole screen (no title bar, no task bar); else it opens maximized."),
)


@dataclass(frozen=True)
class WorkstationSettings:
    database_target: str
    workstation: str
    language: str
    sound: bool
    scanner_prefix: str
    scanner_suffix: str
    scanner_interval_ms: int
    scanner_symbology_id: bool
    kiosk: bool = False

    def with_changes(self, **changes: object) -> WorkstationSettings:
        return replace(self, **changes)


assert [f.name for f in fields(WorkstationSettings)] == [s.attribute for s in DECLARED]


def _convert(setting: Setting, stored: object) -> object:
    """QSettings gives strings from ini files and typed values elsewhere: normalise both."""
    if setting.type is bool:
        if isinstance(stored, str):
            return stored.strip().lower() in ("true", "1", "yes", "on")
        return bool(stored)
    if setting.type is int:
        try:
            return int(stored)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return setting.default_value()
    value = "" if stored is None else str(stored)
    if setting.choices and value not in setting.choices:
        return setting.default_value()
    return value


class Store(Protocol):
    """What Settings needs of its store (QSettings has exactly these)."""

    def value(self, key: str) -> object: ...
    def setValue(self, key: str, value: object) -> None: ...  # noqa: N802 - Qt's name
    def sync(self) -> None: ...


class Settings:
    """Load and save WorkstationSettings through an injected store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def load(self) -> WorkstationSettings:
        values = {}
        for setting in DECLARED:
            stored = self.store.value(setting.key)
            values[setting.attribute] = (
                setting.default_value() if stored is None else _convert(setting, stored)
            )
        return WorkstationSettings(**values)

    def save(self, values: WorkstationSettings) -> None:
        for setting in DECLARED:
            self.store.setValue(setting.key, getattr(values, setting.attribute))
        self.store.sync()

    def update(self, **changes: object) -> WorkstationSettings:
        values = self.load().with_changes(**changes)
        self.save(values)
        return values
