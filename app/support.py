"""Support: a rotating log file in the user's log folder, a fault log, the last errors.

No Qt here: app/main.py installs this at start-up (and its exception hook shows a banner);
the settings screen reads ``log_folder()`` and ``recent_errors()`` for the diagnostics summary.
"""

from __future__ import annotations

import collections
import faulthandler
import logging
import logging.handlers
import os
import sys
from pathlib import Path
from typing import TextIO

from app.paths import log_dir

LOG_FILE = "stockfloor.log"
FAULT_FILE = "faults.log"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RecentErrors(logging.Handler):
    """Keeps the last ``size`` warnings and errors in memory for the diagnostics summary."""

    def __init__(self, size: int = 20) -> None:
        super().__init__(logging.WARNING)
        self.records: collections.deque[str] = collections.deque(maxlen=size)
        self.setFormatter(logging.Formatter(FORMAT))

    def emit(self, record: logging.LogRecord) -> None:
        when = self.formatter.formatTime(record) if self.formatter else ""
        line = f"{when} {record.levelname} {record.name}: {record.getMessage()}"
        self.records.append(line.splitlines()[0][:300])


def setup_logging(level: str | None = None, folder: Path | None = None) -> Path | None:
    """Log to stderr and to ``folder``/stockfloor.log (1 MB, five old files kept); returns the
    log folder, None when it cannot be written (then stderr only). Idempotent."""
    root = logging.getLogger()
    if any(isinstance(handler, RecentErrors) for handler in root.handlers):
        return log_folder()
    root.setLevel(level or os.environ.get("STOCKFLOOR_LOG", "INFO"))
    stderr = logging.StreamHandler()
    stderr.setLevel(logging.WARNING)
    stderr.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(stderr)
    root.addHandler(RecentErrors())
    folder = folder or log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        file = logging.handlers.RotatingFileHandler(folder / LOG_FILE, maxBytes=1_000_000,
                                                    backupCount=5, encoding="utf-8")
    except OSError as error:
        logging.getLogger(__name__).warning("no log file in %s: %s", folder, error)
        return None
    file.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(file)
    _enable_faulthandler(folder)
    return folder


def _enable_faulthandler(folder: Path) -> TextIO | None:
    """A hard crash (segfault, abort) writes every thread's stack to faults.log."""
    try:
        stream = open(folder / FAULT_FILE, "a", encoding="utf-8")  # noqa: SIM115 - open for the process
    except OSError:
        stream = sys.stderr if sys.stderr is not None else None
    if stream is not None:
        faulthandler.enable(stream, all_threads=True)
    return stream


def log_folder() -> Path | None:
    """The folder of the active log file, None when logging to a file is off."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            return Path(handler.baseFilename).parent
    return None


def recent_errors() -> list[str]:
    for handler in logging.getLogger().handlers:
        if isinstance(handler, RecentErrors):
            return list(handler.records)
    return []


def log_unhandled(kind: type[BaseException], value: BaseException, traceback) -> None:  # noqa: ANN001
    logging.getLogger("stockfloor.crash").error("unhandled %s: %s", kind.__name__, value,
                                                exc_info=(kind, value, traceback))
