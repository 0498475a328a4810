"""Where Stockfloor keeps its files, and which database a command or the GUI opens."""

from __future__ import annotations

import os
from pathlib import Path

# platformdirs is imported where a folder is looked up: a command given --database needs none.
APP_NAME = "Stockfloor"
DATABASE_ENV = "STOCKFLOOR_DATABASE"


def data_dir() -> Path:
    """The user's data folder (e.g. ~/.local/share/Stockfloor; honours XDG_DATA_HOME)."""
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def default_database_path() -> Path:
    return data_dir() / "stockfloor.sqlite"


def demo_database_path() -> Path:
    return data_dir() / "demo.sqlite"


def outbox_path() -> Path:
    """The offline outbox of this workstation (scans kept while the shared database cannot be
    reached); $STOCKFLOOR_OUTBOX names another file."""
    return Path(os.environ.get("STOCKFLOOR_OUTBOX") or data_dir() / "outbox.sqlite")


def resolve_database_target(arg: str | None) -> str:
    """--database if given, else $STOCKFLOOR_DATABASE, else the default SQLite file."""
    return arg or os.environ.get(DATABASE_ENV) or str(default_database_path())


# Resources and compiled translations: inside the package when installed (the build puts them
# there, see setup.py), beside it in a development checkout.
PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_ROOT = PACKAGE_DIR.parent


def resources_dir() -> Path:
    packaged = PACKAGE_DIR / "resources"
    return packaged if packaged.is_dir() else SOURCE_ROOT / "resources"


def packaged_translations_dir() -> Path:
    """Where the build put the compiled .qm catalogues (missing in a development checkout)."""
    return PACKAGE_DIR / "translations"


def source_translations_dir() -> Path:
    """The Qt Linguist .ts sources of a development checkout."""
    return SOURCE_ROOT / "translations"


def log_dir() -> Path:
    """The user's log folder (e.g. ~/.local/state/Stockfloor/log; %LOCALAPPDATA% on Windows)."""
    import platformdirs

    return platformdirs.user_log_path(APP_NAME, appauthor=False)
