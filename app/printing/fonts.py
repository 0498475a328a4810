"""Which fonts PDFs use, and what they can show.

The PDF standard fonts (Helvetica) only cover Western European text: "Łódź" would
print as black boxes.  So when the machine has DejaVu Sans (Debian: fonts-dejavu-core)
or Arial (Windows, macOS), we embed that instead; it covers Central/Eastern European,
Greek and Cyrillic.  Characters the chosen font still lacks become "?", which at
least reads as "unknown" rather than as a smudge.
"""

from __future__ import annotations

import functools
from collections.abc import Container
from pathlib import Path

# (regular, bold) TrueType files, first found wins.
CANDIDATES = [
    (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
     Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")),
    (Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
     Path("/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf")),
    (Path("C:/Windows/Fonts/arial.ttf"), Path("C:/Windows/Fonts/arialbd.ttf")),
    (Path("/System/Library/Fonts/Supplemental/Arial.ttf"),
     Path("/System/Library/Fonts/Supplemental/Arial Bold.ttf")),
    (Path("/Library/Fonts/Arial.ttf"), Path("/Library/Fonts/Arial Bold.ttf")),
]
STANDARD = ("Helvetica", "Helvetica-Bold")


@functools.cache
def font(bold: bool = False) -> str:
    """The registered name of the regular or the bold font; only that one is read on first
    use (parsing a TrueType file takes ~0.1 s: labels that only use bold skip the other)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = ("Stockfloor-Regular", "Stockfloor-Bold")[bold]
    for pair in CANDIDATES:
        if pair[0].is_file() and pair[1].is_file():
            try:
                pdfmetrics.registerFont(TTFont(name, str(pair[bold])))
            except Exception:  # noqa: BLE001 - a broken font file must not stop printing
                continue
            return name
    return STANDARD[bold]


def pdf_fonts() -> tuple[str, str]:
    """Names of the (regular, bold) fonts registered with reportlab, on first use."""
    return font(False), font(True)


@functools.cache
def _covered(bold: bool = False) -> Container[int]:
    """The code points the regular or bold font can draw: a TrueType font's own character map
    (read with the font), else the standard fonts' Windows-1252 characters."""
    name = font(bold)
    if name in STANDARD:
        return frozenset(c for c in range(32, 0x2200) if _in_cp1252(chr(c)))
    from reportlab.pdfbase import pdfmetrics

    return pdfmetrics.getFont(name).face.charToGlyph


def _in_cp1252(char: str) -> bool:
    try:
        char.encode("cp1252")
        return True
    except UnicodeEncodeError:
        return False


def printable(text: str, bold: bool = False) -> str:
    """``text`` with every character the PDF font (regular or ``bold``) cannot draw replaced by '?'."""
    covered = _covered(bold)
    if all(ord(c) in covered for c in text):
        return text
    return "".join(c if ord(c) in covered else "?" for c in text)
