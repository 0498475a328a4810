"""What a floor screen declares once: its steps and its commands.

A screen lists its commands (``SF:`` barcodes and the keys that do the same) and its steps
(what a scan means at that step, and whether it must come from a scanner). The dialogue
engine dispatches from this table; the key hints on the screen and the printed command sheet
are written from it too, so they cannot disagree with what the screen does.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

HINTS = "Commands"  # translation context of the hints below


@dataclass(frozen=True)
class Command:
    """``SF:<name>`` (or one of ``keys``) runs ``screen.<method>()``.

    keys are QKeySequence texts ("F2", "Ctrl+Z", "Esc"); "Enter" means Enter in an empty scan
    field. With ``argument`` the barcode may carry one (``SF:QTY:12``) and the method gets it.
    ``steps`` limits the command to those steps (None: everywhere). A command with ``argument``
    also answers to a family of barcodes ``SF:<name>-<argument>`` (SF:GRADE-A, SF:CHECK-3)."""

    name: str
    hint: str
    method: str
    keys: tuple[str, ...] = ()
    argument: bool = False
    steps: tuple[str, ...] | None = None
    on_sheet: bool = True
    hinted: bool = True  # listed in the key hints (a family like SF:GRADE-A is explained elsewhere)

    @property
    def barcode(self) -> str:
        return f"SF:{self.name}" if self.name else ""

    def available(self, step: str) -> bool:
        return self.steps is None or step in self.steps

    def label(self) -> str:
        """"F2 / SF:QTY: quantity" in the operator's language."""
        names = [*self.keys, self.barcode] if self.barcode else list(self.keys)
        return "{keys}: {hint}".format(keys=" / ".join(n for n in names if n),
                                       hint=QCoreApplication.translate(HINTS, self.hint))


@dataclass(frozen=True)
class Step:
    """One prompt of a screen: ``handler(scan)`` takes what is scanned at it.

    kind says what the prompt wants (document, item, location, tote, any); the warehouse can
    require a scanner (not typing) per kind."""

    kind: str
    handler: str


# Commands every floor screen has.
CANCEL = Command("CANCEL", QT_TRANSLATE_NOOP("Commands", "cancel, back"), "leave", ("Esc",))
LOGOUT = Command("LOGOUT", QT_TRANSLATE_NOOP("Commands", "log out"), "log_out", on_sheet=False)
BASE_COMMANDS = (CANCEL, LOGOUT)


def hint_lines(commands: tuple[Command, ...], step: str, per_line: int = 3) -> str:
    """The key hints of one step, a few per line."""
    labels = [c.label() for c in commands if c.available(step) and (c.keys or c.name)
              and c.hinted and c is not LOGOUT]
    lines = ["    ".join(labels[i:i + per_line]) for i in range(0, len(labels), per_line)]
    return "\n".join(lines)


def sheet_rows(commands: tuple[Command, ...]) -> list[tuple[str, str]]:
    """(barcode, caption) of every command worth printing on the screen's command sheet."""
    seen: set[str] = set()
    rows = []
    for command in commands:
        if command.on_sheet and command.barcode and command.barcode not in seen:
            seen.add(command.barcode)
            rows.append((command.barcode, QCoreApplication.translate(HINTS, command.hint)))
    return rows
