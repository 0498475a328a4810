"""The floor dialogue engine: every floor screen runs on it, its table writes the key hints
and the command sheet, and what arrives at a question is interpreted before it is used."""

from __future__ import annotations

import ast
import inspect
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.db.models import ScanJournal
from app.db.uow import UnitOfWork
from app.ui.counting.count_screen import CountingScreen
from app.ui.dialogue import Dialogue, Question
from app.ui.dialogue.questions import Refused, read
from app.ui.dialogue.table import sheet_rows
from app.ui.packing.screen import PackScreen
from app.ui.picking.screen import PickScreen
from app.ui.putaway.screen import PutawayScreen
from app.ui.receiving.screen import ReceivingScreen
from app.ui.returns.screen import ReturnsScreen
from app.ui.screen import FloorScreen
from app.ui.shell.login import LoginScreen
from tests.factories import gtin13
from tests.ui.test_receiving_screen import FakeNavigator, press, scan

FLOOR = (ReceivingScreen, PutawayScreen, PickScreen, PackScreen, CountingScreen, ReturnsScreen, LoginScreen)
TABLE_DRIVEN = (ReceivingScreen, PutawayScreen, PickScreen, PackScreen, CountingScreen, ReturnsScreen,
                LoginScreen)
MILK = "09501101530003"


@pytest.mark.parametrize("kind", FLOOR, ids=lambda kind: kind.__name__)
def test_every_floor_screen_is_built_on_the_engine(qtbot, context, warehouse, kind):
    context.bridge.log_in(warehouse.operator)
    screen = kind(context)
    qtbot.addWidget(screen)
    assert isinstance(screen, FloorScreen) and isinstance(screen.dialogue, Dialogue)
    if kind in TABLE_DRIVEN:
        assert screen.step in screen.steps
        for step in screen.steps.values():
            assert callable(getattr(screen, step.handler))
        for command in screen.commands:
            assert callable(getattr(screen, command.method)), command
            assert command.method not in dir(FloorScreen.__mro__[1]), f"{command.method} shadows QWidget"


def _methods(cls: type) -> dict[str, str]:
    tree = ast.parse(inspect.getsource(inspect.getmodule(cls)))
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == cls.__name__:
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    body = ast.dump(ast.Module(body=item.body, type_ignores=[]))
                    found[item.name] = body
    return found


def test_no_method_block_is_repeated_between_floor_screens():
    bodies = Counter()
    for kind in FLOOR:
        for body in _methods(kind).values():
            if len(body) > 400:  # more than a line or two
                bodies[body] += 1
    assert [count for count in bodies.values() if count > 1] == []
    sources = "\n".join(Path(inspect.getfile(kind)).read_text() for kind in FLOOR)
    assert "MAX_QUANTITY =" not in sources and "LIST_KEYS =" not in sources
    assert "awaiting_" not in sources  # questions live in the engine, not in screen flags


def test_key_hints_and_the_command_sheet_come_from_the_table(qtbot, context, warehouse):
    context.bridge.log_in(warehouse.operator)
    screen = ReceivingScreen(context)
    qtbot.addWidget(screen)
    assert screen.keys.text() == "Enter / SF:CONFIRM: open the highlighted receipt    Esc / SF:CANCEL: clear marks, then leave receipt"
    scan(qtbot, screen, "PO-1001")
    assert screen.keys.text().splitlines() == [
        "F2 / SF:QTY: quantity    F4 / SF:DAMAGED: damaged    Ctrl+Z / SF:UNDO: undo",
        "F7 / SF:PRINT: labels for my last scan    F8 / SF:CLOSE: close receipt    "
        "Esc / SF:CANCEL: clear marks, then leave receipt"]
    press(qtbot, screen, Qt.Key.Key_F2)
    assert screen.keys.text() == "Esc / SF:CANCEL: cancel the question"
    assert [barcode for barcode, _caption in sheet_rows(screen.dialogue.commands)] == [
        "SF:CONFIRM", "SF:QTY", "SF:DAMAGED", "SF:UNDO", "SF:PRINT", "SF:CLOSE", "SF:CANCEL"]


@pytest.mark.parametrize("raw, expected", [
    ("L-12", "L-12"),
    ("]C101" + MILK + "10LOT5", "LOT5"),  # its own GS1 label answers
])
def test_a_lot_question_takes_a_lot(raw, expected):
    from app.core.scan import try_interpret

    question = Question("lot", "Scan or type the lot of MILK", print, subject="MILK", gtin=MILK)
    assert read(question, raw, try_interpret(raw), lambda _raw: None).value == expected


@pytest.mark.parametrize("raw", [gtin13(1), "]C101" + "0" + gtin13(1) + "10LOT5", "]C101" + MILK + "17271231"])
def test_a_lot_question_refuses_product_barcodes_and_labels_without_a_lot(raw):
    from app.core.scan import try_interpret

    question = Question("lot", "Scan or type the lot of MILK", print, subject="MILK", gtin=MILK)
    with pytest.raises(Refused) as refused:
        read(question, raw, try_interpret(raw), lambda _raw: None)
    assert refused.value.message.startswith("Not recorded: ") and refused.value.message.endswith("lot of MILK")


def test_the_supervisor_question_refuses_an_operator_and_never_journals_a_pin(qtbot, context, database, warehouse):
    context.bridge.log_in(warehouse.operator)
    context.navigator = FakeNavigator()
    screen = ReceivingScreen(context)
    qtbot.addWidget(screen)
    scan(qtbot, screen, "PO-1001")
    scan(qtbot, screen, gtin13(4))  # PHONE is not on PO-1001
    scan(qtbot, screen, "A-01-01")  # a location is not a badge
    assert screen.banner.text().startswith("Not recorded: that is not a badge.")
    scan(qtbot, screen, "B-OP1")
    scan(qtbot, screen, "1234")
    assert screen.banner.text() == "Olga Operator may not approve."
    assert screen.prompt.text().endswith("Supervisor: scan your badge")  # asked again
    scan(qtbot, screen, "SF:LOGOUT")  # a command that always works, question or not
    assert context.navigator.calls == ["logout"] and screen.dialogue.question is None
    with UnitOfWork(database, write=False) as uow:
        raws = uow.session.scalars(select(ScanJournal.raw)).all()
    assert "1234" not in raws and "****" in raws and "SF:LOGOUT" in raws
