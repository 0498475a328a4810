"""Build step: the wheel carries resources/ and the compiled translations as package data.

The folders stay at the top of the repository (resources/, translations/); building a wheel
copies resources/ into app/resources and compiles every translations/*.ts into
app/translations/*.qm with lrelease from the PySide6 wheel (a build requirement in
pyproject.toml). An editable install skips this: app/paths.py then finds the folders beside
the package and app/ui/i18n.py compiles the catalogues into the cache on first use.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def lrelease() -> str:
    try:
        import PySide6
    except ImportError:
        found = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
        if found is None:
            raise SystemExit("building Stockfloor needs PySide6 (for lrelease)") from None
        return found
    name = "lrelease.exe" if sys.platform == "win32" else "lrelease"
    return str(Path(PySide6.__file__).resolve().parent / name)


def compile_translations(source_dir: Path, target_dir: Path) -> list[Path]:
    target_dir.mkdir(parents=True, exist_ok=True)
    built = []
    for source in sorted(source_dir.glob("*.ts")):
        target = target_dir / source.with_suffix(".qm").name
        subprocess.run([lrelease(), "-silent", str(source), "-qm", str(target)], check=True)
        shutil.copy2(source, target_dir / source.name)  # the command line reads the .ts (app/cli/words.py)
        built.append(target)
    return built


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        package = Path(self.build_lib) / "app"
        shutil.copytree(ROOT / "resources", package / "resources", dirs_exist_ok=True)
        compile_translations(ROOT / "translations", package / "translations")


if __name__ == "__main__":  # setuptools runs this file as __main__; installer/build.py imports it
    setup(cmdclass={"build_py": BuildWithData})
