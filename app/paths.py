"""Where Stockfloor keeps its files, and which database a command or the GUI opens."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Stockfloor"
DATABASE_ENV = "STOCKFLOOR_DATABASE"


def data_dir() -> Path:
    """The user's data folder (e.g. ~/.local/share/Stockfloor; honours XDG_DATA_HOME)."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def default_database_path() -> Path:
    return data_dir() / "stockfloor.sqlite"


def demo_database_path() -> Path:
    return data_dir() / "demo.sqlite"


def resolve_database_target(arg: str | None) -> str:
    """--database if given, else $STOCKFLOOR_DATABASE, else the default SQLite file."""
    return arg or os.environ.get(DATABASE_ENV) or str(default_database_path())
