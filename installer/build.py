"""Build the one-folder Stockfloor with PyInstaller: dist/Stockfloor/stockfloor[.exe].

    python installer/build.py            # build
    python installer/build.py --smoke    # build, then start it offscreen on a fresh demo
                                         # database, log in with a demo badge and quit
    python installer/build.py --installer  # build, then the Windows installer (makensis)

The Windows installer (installer/stockfloor.nsi, NSIS) packs the same folder into
dist/StockfloorSetup-VERSION.exe. Needs the project's dependencies and PyInstaller in the
running Python (pip install -e .[build]), and makensis on the PATH for --installer.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # setup.py's translation step, run from here
from setup import compile_translations  # noqa: E402

DIST = ROOT / "dist" / "Stockfloor"
EXECUTABLE = DIST / ("stockfloor.exe" if sys.platform == "win32" else "stockfloor")


def build() -> None:
    stage = ROOT / "build" / "stage"
    shutil.rmtree(stage, ignore_errors=True)
    compile_translations(ROOT / "translations", stage / "translations")
    windows_icon(ROOT / "resources" / "icons" / "stockfloor.svg", stage / "stockfloor.ico")
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(ROOT / "dist"), "--workpath", str(ROOT / "build" / "pyinstaller"),
                    str(ROOT / "installer" / "stockfloor.spec")], check=True)


def windows_icon(svg: Path, target: Path) -> None:
    """The .ico the Windows executable and installer show, drawn from the SVG app icon."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication, QIcon

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - QIcon needs it
    if not QIcon(str(svg)).pixmap(256, 256).save(str(target), "ICO"):
        print(f"warning: could not write {target}", file=sys.stderr)


def folder_size(path: Path) -> int:
    return sum(file.stat().st_size for file in path.rglob("*") if file.is_file() and not file.is_symlink())


def smoke(badge: str = "B-1002") -> None:
    """Start the built folder offscreen on a new demo database, log a badge in, quit."""
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=home, XDG_DATA_HOME=f"{home}/data",
                   XDG_STATE_HOME=f"{home}/state", XDG_CONFIG_HOME=f"{home}/config",
                   XDG_CACHE_HOME=f"{home}/cache", LOCALAPPDATA=home, APPDATA=home,
                   STOCKFLOOR_TEST_BADGE=badge, STOCKFLOOR_QUIT_AFTER_MS="1500", STOCKFLOOR_TEST_IMPORT_ALL="1")
        env.pop("STOCKFLOOR_DATABASE", None)
        started = time.perf_counter()
        done = subprocess.run([str(EXECUTABLE), "--demo"], env=env, capture_output=True, text=True, timeout=300)
        print(done.stderr, file=sys.stderr)
        if done.returncode != 0 or "test log-in as " not in done.stderr:
            raise SystemExit(f"smoke start failed (exit {done.returncode})")
        if " modules, 0 failed" not in done.stderr:  # a screen's module or a Qt library trimmed too far
            raise SystemExit("smoke start failed: not every screen module imports (see above)")
        print(f"smoke start: demo built, badge {badge} logged in, quit after "
              f"{time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="smoke-start the build afterwards")
    parser.add_argument("--no-build", action="store_true", help="only smoke-start an existing build")
    parser.add_argument("--installer", action="store_true",
                        help="pack the build into the Windows installer with makensis (NSIS)")
    args = parser.parse_args()
    if not args.no_build:
        started = time.perf_counter()
        build()
        print(f"built {DIST} in {time.perf_counter() - started:.0f} s, "
              f"{folder_size(DIST) / 1e6:.0f} MB")
    if args.smoke:
        smoke()
    if args.installer:
        installer()


def installer() -> Path:
    """dist/StockfloorSetup-VERSION.exe from dist/Stockfloor (built on Windows)."""
    from app import __version__

    makensis = shutil.which("makensis")
    if makensis is None:
        raise SystemExit("makensis is not installed (NSIS: nsis.sourceforge.io, or the Debian package nsis)")
    if not (DIST / "stockfloor.exe").exists():
        raise SystemExit(f"{DIST} holds no stockfloor.exe: the Windows installer packs a folder built on Windows")
    target = DIST.parent / f"StockfloorSetup-{__version__}.exe"
    subprocess.run([makensis, "-WX", "-V2", f"-DVERSION={__version__}", f"-DDIST={DIST}", f"-DOUTFILE={target}",
                    str(ROOT / "installer" / "stockfloor.nsi")], check=True)
    print(f"installer: {target} ({target.stat().st_size / 1e6:.0f} MB)")
    return target


if __name__ == "__main__":
    main()
