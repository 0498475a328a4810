"""Running pyside6-lupdate over app/ into a temporary catalogue, for the translation tests."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import PySide6

ROOT = Path(__file__).resolve().parents[2]
LUPDATE = Path(PySide6.__file__).resolve().parent / "lupdate"


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    translations: tuple[str, ...]
    unfinished: bool


def extract(tmp_path: Path, start_from: Path | None = None) -> list[Message]:
    """Every translatable string in app/ (merged into a copy of ``start_from`` if given)."""
    target = tmp_path / "extracted.ts"
    if start_from is not None:
        shutil.copy(start_from, target)
    subprocess.run(
        [str(LUPDATE), "-extensions", "py", "-locations", "none", "-no-obsolete", "-silent",
         str(ROOT / "app"), "-ts", str(target)],
        check=True, capture_output=True, timeout=120,
    )
    return parse(target)


def parse(path: Path) -> list[Message]:
    messages = []
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            forms = [form.text or "" for form in translation.iter("numerusform")] or [translation.text or ""]
            messages.append(Message(
                name, message.findtext("source"), tuple(forms),
                translation.get("type") in ("unfinished", "vanished", "obsolete"),
            ))
    return messages
