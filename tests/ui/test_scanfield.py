"""The scan field as a scanner and as a person use it."""

from __future__ import annotations

from itertools import count

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.ui.scanfield import GS, ScanField, ScannerOptions


def press(widget, key, text="", modifiers=Qt.KeyboardModifier.NoModifier):
    """Send a key with explicit text (qtbot.keyClicks aborts on control characters)."""
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, modifiers, text))


def type_text(widget, text):
    for ch in text:
        press(widget, Qt.Key.Key_unknown if not ch.isalnum() else Qt.Key(ord(ch.upper())), ch)


def fake_clock(step_ms):
    ticks = count(step=step_ms)
    return lambda: float(next(ticks))


@pytest.fixture
def field(qtbot):
    widget = ScanField(clock=fake_clock(5))
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_enter_emits_the_code_and_clears_the_field(qtbot, field):
    with qtbot.waitSignal(field.scanned) as signal:
        qtbot.keyClicks(field, "A-03-02")
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert signal.args == ["A-03-02", True]
    assert field.text() == ""


def test_ctrl_z_never_brings_back_a_scan(qtbot, field):
    """The log-in screen's field keeps its history across users: a supervisor's PIN came back
    with Ctrl+Z, in clear, for whoever stood at the workstation next."""
    qtbot.keyClicks(field, "9999")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    field.insert("B-1")
    field.clear()  # what the dialogue and the log-in screen do
    for _ in range(3):
        qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert field.text() == "" and not field.isUndoAvailable()


def test_gs_separator_survives_as_key_text_and_as_ctrl_bracket(qtbot, field):
    with qtbot.waitSignal(field.scanned) as signal:
        type_text(field, "0109501101530003")
        type_text(field, "10LOT7")
        press(field, Qt.Key.Key_unknown, GS)  # scanners that send the character itself
        type_text(field, "17271231")
        press(field, Qt.Key.Key_Return, "\r")
    assert signal.args[0] == "0109501101530003" + "10LOT7" + GS + "17271231"

    with qtbot.waitSignal(field.scanned) as signal:
        type_text(field, "10A")
        press(field, Qt.Key.Key_BracketRight, "", Qt.KeyboardModifier.ControlModifier)
        type_text(field, "21B")
        press(field, Qt.Key.Key_Enter, "\r")
    assert signal.args[0] == "10A" + GS + "21B"


def test_a_plain_line_edit_would_have_lost_the_separator(qtbot):
    # Guards the reason this widget exists: if Qt ever keeps GS itself, this fails loudly.
    plain = QLineEdit()
    qtbot.addWidget(plain)
    type_text(plain, "10A")
    press(plain, Qt.Key.Key_unknown, GS)
    type_text(plain, "21B")
    assert plain.text() == "10A21B"


def test_slow_keys_are_a_person_fast_keys_a_scanner(qtbot):
    for step, expected in ((5, True), (49, True), (51, False), (300, False)):
        field = ScanField(clock=fake_clock(step), options=ScannerOptions(max_interval_ms=50))
        qtbot.addWidget(field)
        with qtbot.waitSignal(field.scanned) as signal:
            qtbot.keyClicks(field, "B-OP1")
            qtbot.keyClick(field, Qt.Key.Key_Return)
        assert signal.args == ["B-OP1", expected], step


def test_real_timing_of_a_person_typing(qtbot):
    field = ScanField(options=ScannerOptions(max_interval_ms=50))
    qtbot.addWidget(field)
    with qtbot.waitSignal(field.scanned) as signal:
        qtbot.keyClicks(field, "B-OP1", delay=120)
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert signal.args == ["B-OP1", False]


def test_pasted_text_is_not_a_scanner(qtbot, field):
    field.setText("B-OP1")  # no keys behind these characters
    with qtbot.waitSignal(field.scanned) as signal:
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert signal.args == ["B-OP1", False]


def test_prefix_is_removed_and_tab_suffix_ends_the_scan(qtbot):
    field = ScanField(clock=fake_clock(5), options=ScannerOptions(prefix="#", suffix="tab"))
    qtbot.addWidget(field)
    field.show()
    with qtbot.waitSignal(field.scanned) as signal:
        qtbot.keyClicks(field, "#PO-1001")
        qtbot.keyClick(field, Qt.Key.Key_Tab)
    assert signal.args == ["PO-1001", True]
    assert field.hasFocus() or not field.isActiveWindow()


def test_symbology_identifier_marks_a_scanner(qtbot):
    field = ScanField(clock=fake_clock(500), options=ScannerOptions(sends_symbology_id=True))
    qtbot.addWidget(field)
    with qtbot.waitSignal(field.scanned) as signal:
        qtbot.keyClicks(field, "]C1PO-1001")
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert signal.args == ["]C1PO-1001", True]


def test_empty_enter_emits_nothing(qtbot, field):
    with qtbot.assertNotEmitted(field.scanned):
        qtbot.keyClick(field, Qt.Key.Key_Return)
        qtbot.keyClicks(field, "   ")
        qtbot.keyClick(field, Qt.Key.Key_Return)


def test_focus_comes_back_from_a_button_but_not_from_another_input(qtbot):
    screen = QWidget()
    layout = QVBoxLayout(screen)
    field = ScanField()
    button = QPushButton("Undo")
    label = QLabel("Scan location")
    quantity = QLineEdit()
    for widget in (label, field, button, quantity):
        layout.addWidget(widget)
    field.keep_focus_in(screen)
    qtbot.addWidget(screen)
    screen.show()
    screen.activateWindow()
    qtbot.waitUntil(lambda: screen.isActiveWindow())
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)

    button.setFocus()
    qtbot.waitUntil(field.hasFocus)

    quantity.setFocus()
    qtbot.wait(50)
    assert quantity.hasFocus()
