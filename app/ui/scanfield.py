"""The scan input of every floor screen: a line edit that behaves like a scanner port.

A keyboard-wedge scanner "types" the code and a suffix key (Enter or Tab). The field
- emits ``scanned(raw, by_scanner)`` on the suffix and clears itself,
- strips the configured prefix,
- keeps the GS separator (0x1d) of GS1 codes, which QLineEdit would drop,
- tells a scanner from a person by the time between keys,
- takes the focus back when it wanders to a button or label of its own screen.
"""

from __future__ import annotations

import re
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from shiboken6 import isValid

GS = "\x1d"
_SYMBOLOGY_ID = re.compile(r"^\][A-Za-z][0-9A-Za-z]")


@dataclass(frozen=True)
class ScannerOptions:
    prefix: str = ""
    suffix: str = "enter"  # enter | tab
    max_interval_ms: int = 50
    sends_symbology_id: bool = False

    @classmethod
    def from_settings(cls, values) -> ScannerOptions:  # values: app.settings.WorkstationSettings
        return cls(values.scanner_prefix, values.scanner_suffix, values.scanner_interval_ms,
                   values.scanner_symbology_id)


_WATCHED: weakref.WeakSet = weakref.WeakSet()  # fields that take the focus back
_WATCHING: list[QObject] = []  # the application whose focusChanged is connected


def _watch_focus(field: ScanField) -> None:
    """One connection to focusChanged for every field: a field deleted by Qt (a screen closed
    while the worker ran) is skipped instead of being called."""
    app = QApplication.instance()
    if app is None:
        return
    if not _WATCHING or _WATCHING[0] is not app:
        _WATCHING[:] = [app]
        app.focusChanged.connect(_focus_changed)
    _WATCHED.add(field)


def _focus_changed(old: QObject | None, new: QObject | None) -> None:
    for field in list(_WATCHED):
        if isValid(field):
            field._focus_moved(old, new)


def _milliseconds() -> float:
    return time.monotonic() * 1000.0


def _is_editable(widget: QWidget) -> bool:
    if isinstance(widget, QLineEdit):
        return not widget.isReadOnly()
    if isinstance(widget, (QTextEdit, QPlainTextEdit)):
        return not widget.isReadOnly()
    if isinstance(widget, QComboBox):
        return True  # choosing from a list is input too
    return isinstance(widget, QAbstractSpinBox)


class ScanField(QLineEdit):
    scanned = Signal(str, bool)  # raw code (prefix removed, GS kept), came from a scanner

    def __init__(self, parent: QWidget | None = None, *, options: ScannerOptions | None = None,
                 clock: Callable[[], float] = _milliseconds) -> None:
        super().__init__(parent)
        self.options = options or ScannerOptions()
        self.clock = clock  # milliseconds; tests may pass a fake one
        self._key_times: list[float] = []
        self._focus_scope: QWidget | None = None
        # Owned by the field: dies with it (a singleShot to a deleted field raised in Qt's loop).
        self._refocus = QTimer(self, singleShot=True, interval=0)
        self._refocus.timeout.connect(self._retake_focus)
        self.setObjectName("scanField")
        self.setClearButtonEnabled(False)

    # --- configuration ----------------------------------------------------------------
    def set_options(self, options: ScannerOptions) -> None:
        self.options = options

    def keep_focus_in(self, scope: QWidget) -> None:
        """Take the focus back whenever it moves to a non-editable widget inside ``scope``."""
        if self._focus_scope is None:
            _watch_focus(self)
        self._focus_scope = scope

    def clear(self) -> None:
        """Empty the field and forget its undo history: QLineEdit.clear() can be undone, and
        Ctrl+Z then brought back the last scan (a supervisor's PIN on the log-in screen)."""
        self.setText("")

    # --- keys -------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        # Tab never reaches keyPressEvent: QWidget.event() turns it into focus navigation.
        if (event.type() == QEvent.Type.KeyPress and self.options.suffix == "tab"
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Tab):
            self._note_key()
            self._finish()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._note_key()
            self._finish()
            return
        if event.text() == GS or (
            key == Qt.Key.Key_BracketRight
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self._note_key()
            self.insert(GS)  # QLineEdit refuses control characters typed as keys
            return
        if event.text():
            self._note_key()
        super().keyPressEvent(event)

    def _note_key(self) -> None:
        if not self.text():
            self._key_times.clear()  # a new code starts
        self._key_times.append(self.clock())

    def _finish(self) -> None:
        typed = self.text()
        raw = typed
        if self.options.prefix and raw.startswith(self.options.prefix):
            raw = raw[len(self.options.prefix):]
        raw = raw.strip(" \r\n\t")
        by_scanner = self._looks_like_scanner(typed, raw)
        self._key_times.clear()
        self.clear()
        if raw:
            self.scanned.emit(raw, by_scanner)

    def _looks_like_scanner(self, typed: str, raw: str) -> bool:
        if self.options.sends_symbology_id and _SYMBOLOGY_ID.match(raw):
            return True  # no person types "]C1"
        times = self._key_times
        # Every character must have come from a key (not a paste), and the suffix too.
        if len(times) < 2 or len(times) < len(typed) + 1:
            return False
        limit = self.options.max_interval_ms
        return all(later - earlier <= limit for earlier, later in zip(times, times[1:]))

    # --- focus ------------------------------------------------------------------------
    def _focus_moved(self, _old: QObject | None, new: QObject | None) -> None:
        scope = self._focus_scope
        if (
            new is None
            or new is self
            or scope is None
            or not isinstance(new, QWidget)
            or not self.isVisible()
            or not self.isEnabled()
            or _is_editable(new)
            or not scope.isAncestorOf(new)
        ):
            return
        self._refocus.start()

    def _retake_focus(self) -> None:
        if self.isVisible() and self.isEnabled():
            self.setFocus(Qt.FocusReason.OtherFocusReason)
