"""The house rules as tests: the import layers of app/ARCHITECTURE.md (import-linter
contracts in pyproject.toml), ruff clean, and comments that point inside the repository."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_import_layers_hold():
    result = _run(str(BIN / "lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_ruff_is_clean():
    result = _run(sys.executable, "-m", "ruff", "check", "app", "tests")
    assert result.returncode == 0, result.stdout[-4000:]


def test_code_points_to_the_projects_own_docs():
    outside = ("PLATFORM.md", "GUIDE.md", "../shared")
    offenders = [f"{path.relative_to(ROOT)}: {word}"
                 for folder in ("app", "tests", "installer")
                 for path in (ROOT / folder).rglob("*") if path.suffix in (".py", ".sh", ".md")
                 for word in outside if word in path.read_text(encoding="utf-8", errors="replace")
                 and path != Path(__file__).resolve()]
    assert offenders == []
