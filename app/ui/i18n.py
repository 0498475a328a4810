"""Languages: the project's compiled catalogues, plus Qt's own.

Compiled .qm files are build output (app/ARCHITECTURE.md): an installed Stockfloor (wheel,
PyInstaller folder) carries them inside the package, compiled by the build (setup.py). A
development checkout has only the .ts sources: the first start after a .ts change runs
lrelease from the PySide6 wheel into the cache folder. Installing or removing a translator
makes Qt send LanguageChange to every widget, whose retranslate() then runs.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.paths import packaged_translations_dir, source_translations_dir

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"
SUPPORTED = ("en", "de", "es", "pl")
TRANSLATIONS_DIR = source_translations_dir()


def effective_language(code: str) -> str:
    """A supported language for ``code``; "" means the operating system's language."""
    code = (code or QLocale.system().name()).split("_")[0].lower()
    return code if code in SUPPORTED else SOURCE_LANGUAGE


def lrelease_tool() -> Path:
    import PySide6

    name = "lrelease.exe" if sys.platform == "win32" else "lrelease"
    return Path(PySide6.__file__).resolve().parent / name


def compiled_catalogue(language: str, source_dir: Path, cache: Path) -> Path | None:
    """The .qm for ``language``, compiled again when missing or older than its .ts."""
    source = source_dir / f"stockfloor_{language}.ts"
    if not source.exists():
        return None
    target = cache / f"stockfloor_{language}.qm"
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    cache.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.tmp")  # two instances may start at once
    try:
        subprocess.run([str(lrelease_tool()), "-silent", str(source), "-qm", str(partial)],
                       check=True, capture_output=True, timeout=60)
        os.replace(partial, target)
    except (OSError, subprocess.SubprocessError) as exc:
        log.error("cannot compile %s: %s", source, exc)
        partial.unlink(missing_ok=True)
        return target if target.exists() else None
    return target


def catalogue(language: str, source_dir: Path, cache: Path, packaged: Path | None = None) -> Path | None:
    """The packaged .qm when the build made one, else compiled from the source tree."""
    built = (packaged or packaged_translations_dir()) / f"stockfloor_{language}.qm"
    if built.exists():
        return built
    return compiled_catalogue(language, source_dir, cache)


class Translations:
    """The installed translators of one QApplication; switch with set_language()."""

    def __init__(self, app: QCoreApplication, *, cache: Path, source_dir: Path = TRANSLATIONS_DIR) -> None:
        self.app = app
        self.cache = cache
        self.source_dir = source_dir
        self.language = SOURCE_LANGUAGE
        self._installed: list[QTranslator] = []

    def set_language(self, code: str) -> str:
        """Switch every widget to ``code`` ("" = system language); returns the language used."""
        language = effective_language(code)
        if language == self.language and (self._installed or language == SOURCE_LANGUAGE):
            return language
        for translator in self._installed:
            self.app.removeTranslator(translator)
        self._installed = []
        QLocale.setDefault(QLocale(language))
        self.language = language
        if language != SOURCE_LANGUAGE:
            self._install(catalogue(language, self.source_dir, self.cache))
            qt_catalogues = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            self._install(Path(qt_catalogues) / f"qtbase_{language}.qm")
        return language

    def _install(self, path: Path | None) -> None:
        if path is None or not path.exists():
            log.warning("no translation catalogue %s", path)
            return
        translator = QTranslator(self.app)
        if translator.load(str(path)):
            self.app.installTranslator(translator)
            self._installed.append(translator)
        else:
            log.warning("cannot load translation catalogue %s", path)

