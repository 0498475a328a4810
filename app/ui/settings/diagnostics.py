"""The diagnostics summary a supervisor copies into a support request."""

from __future__ import annotations

import platform
import sys
from importlib import metadata

import PySide6
from PySide6.QtCore import qVersion

from app import __version__
from app.support import log_folder, recent_errors


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "?"


def database_kind(label: str) -> str:
    return "PostgreSQL" if label.startswith("postgresql") else "SQLite" if label.startswith("sqlite") else "?"


def diagnostics_summary(*, database_label: str, workstation: str, language: str, user: str = "") -> str:
    """Plain text, English (support reads it): versions, database, workstation, last errors."""
    frozen = " (installed build)" if getattr(sys, "frozen", False) else ""
    lines = [
        f"Stockfloor {__version__}{frozen}",
        f"Python {platform.python_version()} on {platform.platform()}",
        f"Qt {qVersion()}, PySide6 {PySide6.__version__}, SQLAlchemy {_version('SQLAlchemy')}, "
        f"Alembic {_version('alembic')}, reportlab {_version('reportlab')}",
        f"Database: {database_kind(database_label)} {database_label}",
        f"Workstation: {workstation}, language {language}" + (f", user {user}" if user else ""),
        f"Log folder: {log_folder() or '(no log file)'}",
    ]
    errors = recent_errors()
    lines.append("Last warnings and errors:" if errors else "Last warnings and errors: none")
    lines += [f"  {line}" for line in errors[-10:]]
    return "\n".join(lines) + "\n"
