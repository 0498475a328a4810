"""app.printing depends on app.core and libraries only, and imports nothing heavy."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "app" / "printing"
FORBIDDEN = ("PySide6", "shiboken6", "sqlalchemy", "alembic", "app.db", "app.services",
             "app.ui", "app.cli", "app.main", "app.settings")


def imported_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_printing_imports_only_core_and_libraries():
    for path in PACKAGE.glob("*.py"):
        for name in imported_names(path):
            assert not name.startswith(FORBIDDEN), f"{path.name} imports {name}"
            if name.startswith("app."):
                assert name.startswith(("app.core", "app.printing")), f"{path.name}: {name}"


def test_importing_printing_loads_no_pdf_barcode_or_gui_library():
    modules = ", ".join(f"app.printing.{p.stem}" for p in PACKAGE.glob("*.py")
                        if p.stem != "__init__")
    code = (f"import sys, {modules}\n"
            "heavy = [m for m in sys.modules if m.split('.')[0] in "
            "('reportlab', 'barcode', 'biip', 'PySide6', 'sqlalchemy', 'PIL')]\n"
            "print(','.join(heavy))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=PACKAGE.parents[1], check=True)
    assert result.stdout.strip() == ""
