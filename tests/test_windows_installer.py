"""The Windows installer script (installer/stockfloor.nsi) compiles with NSIS's makensis, warnings
as errors, and packs what the one-folder build holds: Start-menu entries, the per-machine
settings file, an uninstaller. The PyInstaller folder itself is built by `installer/build.py`
(CI); here a stand-in folder of the same shape is packed, so the test takes a second. Skipped
where makensis is missing (`installer/setup.sh --test` installs the Debian package nsis)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from app import __version__

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "installer" / "stockfloor.nsi"
MAKENSIS = shutil.which("makensis")

pytestmark = pytest.mark.skipif(MAKENSIS is None, reason="makensis (Debian package nsis) is not installed")


def one_folder_build(folder: Path) -> Path:
    """The shape of dist/Stockfloor on Windows: the executable and its _internal folder."""
    (folder / "_internal" / "app" / "translations").mkdir(parents=True)
    (folder / "stockfloor.exe").write_bytes(b"MZ stand-in")
    (folder / "_internal" / "python311.dll").write_bytes(b"MZ stand-in")
    (folder / "_internal" / "app" / "translations" / "stockfloor_de.qm").write_bytes(b"qm")
    return folder


def makensis(*defines: str) -> subprocess.CompletedProcess:
    return subprocess.run([MAKENSIS, "-WX", "-V4", *defines, str(SCRIPT)], capture_output=True, text=True,
                          timeout=120, cwd=SCRIPT.parent)


def windows_icon(target: Path) -> Path:
    """The .ico the build draws from the SVG app icon (installer/build.py)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("installer_build", ROOT / "installer" / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    build.windows_icon(ROOT / "resources" / "icons" / "stockfloor.svg", target)
    return target


def test_the_installer_compiles_and_packs_the_folder(tmp_path, qapp):
    folder = one_folder_build(tmp_path / "Stockfloor")
    setup = tmp_path / f"StockfloorSetup-{__version__}.exe"
    icon = windows_icon(tmp_path / "stockfloor.ico")
    done = makensis(f"-DDIST={folder}", f"-DOUTFILE={setup}", f"-DVERSION={__version__}", f"-DICON={icon}")
    log = done.stdout + done.stderr
    assert done.returncode == 0, log
    assert setup.read_bytes()[:2] == b"MZ" and b"Nullsoft" in setup.read_bytes()
    for packed in ('File: "stockfloor.exe"', 'File: "python311.dll"', 'File: "stockfloor_de.qm"'):
        assert packed in log
    for entry in ("Stockfloor.lnk", "Stockfloor (demo).lnk\"->\"$INSTDIR\\stockfloor.exe\" --demo",
                  "Uninstall Stockfloor.lnk\"->\"$INSTDIR\\Uninstall.exe\""):
        assert f'CreateShortcut: "$SMPROGRAMS\\Stockfloor\\{entry}' in log
    assert "WriteINIStr: [database] target=$Database in $APPDATA\\Stockfloor\\Stockfloor.ini" in log
    assert "WriteINIStr: [workstation] name=$Workstation in $APPDATA\\Stockfloor\\Stockfloor.ini" in log
    assert 'WriteUninstaller: "$INSTDIR\\Uninstall.exe"' in log
    assert "SetShellVarContext: all" in log  # per machine: ProgramData, the all-users Start menu
    assert "Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Stockfloor" in log


def test_a_missing_build_is_named(tmp_path):
    empty = tmp_path / "Stockfloor"
    empty.mkdir()
    done = makensis(f"-DDIST={empty}", f"-DOUTFILE={tmp_path / 'StockfloorSetup.exe'}")
    assert done.returncode != 0
    assert "stockfloor.exe is missing: build the folder first" in done.stdout + done.stderr
