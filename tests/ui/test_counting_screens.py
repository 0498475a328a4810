"""The cycle-count screens, driven like people would: a supervisor plans in the planning
screen, operators count blind with typed scans and keys, a supervisor reviews and decides.
With STOCKFLOOR_SHOTS=<folder> set, each screen is saved there as a PNG to look at."""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QDialog, QDialogButtonBox, QLabel, QLineEdit, QListView, QWidget
from sqlalchemy import select

from app.core import clock
from app.db.models import ScanJournal
from app.db.models_counting import CountLine
from app.db.uow import UnitOfWork
from app.services import counting, ledger
from app.ui.counting.count_screen import CountingScreen
from app.ui.counting.decision_dialog import APPROVE, Decision, DecisionDialog
from app.ui.counting.files import PdfPreview, SaveFileDialog
from app.ui.counting.planning_screen import PlanningScreen
from app.ui.counting.review_model import COLUMNS
from app.ui.counting.review_screen import ReviewScreen
from app.ui.registry import ScreenRegistry, discover
from tests.factories import gtin13
from tests.services.test_counting import count_at, on_hand, plan_one, put_stock, recounts_of, run
from tests.ui.test_receiving_screen import FakeNavigator, banner, press, scan

MILK_GTIN = "09501101530003"


# --- helpers --------------------------------------------------------------------------------
def shot(widget: QWidget, name: str, settle_ms: int = 0) -> None:
    """``settle_ms``: time for what paints in the background (QPdfView renders in threads)."""
    folder = os.environ.get("STOCKFLOOR_SHOTS")
    if folder:
        QTest.qWait(settle_ms)
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


@pytest.fixture(autouse=True)
def _look_like_the_app(qapp):
    """For screenshots, the application's own style sheet (it is app-wide: taken off after)."""
    if not os.environ.get("STOCKFLOOR_SHOTS"):
        yield
        return
    from app.ui.style import apply_style

    apply_style(qapp)
    yield
    qapp.setStyleSheet("")


def visible_text(screen: QWidget) -> str:
    """Every piece of text a person could read on the screen right now."""
    texts = []
    for child in screen.findChildren(QWidget):
        if not child.isVisibleTo(screen):
            continue
        if isinstance(child, (QLabel, QLineEdit)):
            texts.append(child.text())
        if isinstance(child, QAbstractItemView) and child.model() is not None:
            model = child.model()
            columns = 1 if isinstance(child, QListView) else model.columnCount()
            texts += [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(columns)]
            texts += [str(model.index(r, c).data() or "") for r in range(model.rowCount())
                      for c in range(columns)]
    return "\n".join(texts)


def numbers_in(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w-])\d+(?![\w-])", text))  # not digits inside codes (CC-000001)


def open_screen(qtbot, context, cls, actor, size=(1280, 800)):
    context.bridge.log_in(actor)
    context.navigator = FakeNavigator()
    widget = cls(context)
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    return widget


def review_cell(screen, row, column):
    return screen.panel.filter.index(row, COLUMNS.index(column)).data()


@pytest.fixture
def decisions(monkeypatch):
    """DecisionDialog replaced: returns queued Decisions, records (decision, lines, must_resolve)."""
    asked, answers = [], []

    def ask(cls, parent, decision, lines, *, must_resolve=False):
        asked.append((decision, [line.sku for line in lines], must_resolve))
        return answers.pop(0)

    monkeypatch.setattr(DecisionDialog, "ask", classmethod(ask))
    return asked, answers


@pytest.fixture
def save_to(monkeypatch, tmp_path):
    """The save dialog answers files in tmp_path; records the suggested names."""
    suggested = []

    def ask(cls, parent, title, suggested_name, file_filter):
        suggested.append(suggested_name)
        return tmp_path / suggested_name

    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(ask))
    return suggested


# --- the whole cycle through the screens ---------------------------------------------------
def test_plan_count_blind_recount_and_approve_through_the_screens(
        qtbot, context, database, warehouse, decisions, save_to, tmp_path):
    put_stock(database, "A-01-01", "WIDGET", 37)
    sam, olga, otto = warehouse.supervisor, warehouse.operator, warehouse.operator2

    # Sam plans A-01-01 for Olga in the planning screen and prints the sheet.
    planning = open_screen(qtbot, context, PlanningScreen, sam)
    qtbot.keyClicks(planning.form.first, "A-01-01")
    planning.form.counter.setCurrentIndex(planning.form.counter.findText("Olga Operator"))
    qtbot.keyClick(planning.form.first, Qt.Key.Key_Return)
    assert (planning.message.state, planning.message.text()) == ("ok", "Planned CC-000001: 1 location(s)")
    assert [planning.table.item(0, c).text() for c in range(8)] == [
        "CC-000001", "location range", "A-01-01..A-01-01", "planned", clock.today().isoformat(),
        "Olga Operator", "0 of 1", "blind"]
    assert planning.selected_ids() == [1]
    qtbot.mouseClick(planning.sheet_button, Qt.MouseButton.LeftButton)
    assert save_to == ["count-sheet-CC-000001.pdf"]
    assert (tmp_path / "count-sheet-CC-000001.pdf").read_bytes().startswith(b"%PDF")
    assert planning.preview is not None and planning.preview.document.pageCount() == 1
    shot(planning, "planning")
    shot(planning.preview, "planning_sheet_preview", settle_ms=1500)
    planning.preview.close()

    # Olga counts blind: 2 cases of 12 and 6 singles = 30. Nothing shows the 37 on record.
    screen = open_screen(qtbot, context, CountingScreen, olga)
    assert screen.prompt.text() == "Scan a count number, or choose a count"
    assert "CC-000001" in screen.counts_list.item(0).text()
    shot(screen, "counting_choose")
    scan(qtbot, screen, "cc-000001")
    assert screen.prompt.text() == "Scan location A-01-01"
    scan(qtbot, screen, gtin13(1))
    assert banner(screen) == ("error", "WIDGET is a product, scan a location.")
    scan(qtbot, screen, "A-01-01")
    assert banner(screen) == ("ok", "A-01-01: scan every item in it")
    assert screen.prompt.text() == "Scan every item in A-01-01"
    press(qtbot, screen, Qt.Key.Key_F2)
    scan(qtbot, screen, "2")
    assert screen.mode.text() == "Next item: quantity 2" and screen.mode.isVisible()
    scan(qtbot, screen, gtin13(101))
    assert banner(screen) == ("ok", "+24 WIDGET Widget, blue. 24 counted here")
    scan(qtbot, screen, "SF:QTY:6")
    scan(qtbot, screen, gtin13(1))
    assert banner(screen) == ("ok", "+6 WIDGET Widget, blue. 30 counted here")
    assert "counted here so far: 30" in screen.header.text()
    shot(screen, "counting_location")
    assert "37" not in numbers_in(visible_text(screen))
    press(qtbot, screen, Qt.Key.Key_F8)
    assert banner(screen) == ("ok", "A-01-01 done, 30 counted. Count CC-000001 is complete.")
    assert "37" not in numbers_in(visible_text(screen))
    assert on_hand(database, "A-01-01", "WIDGET") == 37  # 19 % off: nothing settled yet

    # The variance is beyond class C's 5 %: Otto gets the recount, Olga does not see it.
    [recount] = recounts_of(database, 1)
    assert recount.assigned_user_id == otto.user_id
    assert screen.counts_list.count() == 0
    assert screen.caption.text() == "No counts are due for you today."
    otto_screen = open_screen(qtbot, context, CountingScreen, otto)
    assert [c.number for c in otto_screen.counts_list.counts] == [recount.number]
    press(qtbot, otto_screen, Qt.Key.Key_Return)  # the highlighted count
    assert otto_screen.prompt.text() == "Scan location A-01-01"
    scan(qtbot, otto_screen, "A-01-01")
    scan(qtbot, otto_screen, "SF:QTY:30")
    scan(qtbot, otto_screen, gtin13(1))
    scan(qtbot, otto_screen, "SF:CLOSE")
    assert banner(otto_screen)[0] == "ok" and "37" not in numbers_in(visible_text(otto_screen))

    # Sam reviews: both rounds with who counted, the variance; approves with a reason.
    context.bridge.log_in(sam)
    review = open_screen(qtbot, context, ReviewScreen, sam, size=(1600, 800))
    assert review.panel.filter.rowCount() == 1
    assert [review_cell(review, 0, c) for c in ("location", "sku", "expected", "counted",
                                                "variance_qty", "variance_value", "moves")] == [
        "A-01-01", "WIDGET", "37", "30", "-7", "-17.50", ""]
    rounds = review_cell(review, 0, "rounds")
    assert re.fullmatch(r"30 by Olga Operator \(\d\d:\d\d\); 30 by Otto Operator \(\d\d:\d\d\)", rounds), rounds
    review.panel.table.selectRow(0)
    assert "CC-000002 (recount): 30 counted by Otto Operator" in review.panel.details.toPlainText()
    shot(review, "review")
    decisions[1].append(Decision("lost", None))
    qtbot.mouseClick(review.panel.approve_button, Qt.MouseButton.LeftButton)
    assert decisions[0] == [(APPROVE, ["WIDGET"], False)]
    assert (review.panel.message.state, review.panel.message.text()) == (
        "ok", "Approved 1 line(s) (Lost): stock changed by -7 units.")
    assert review.panel.filter.rowCount() == 0  # nothing waits any more
    assert on_hand(database, "A-01-01", "WIDGET") == 30
    with UnitOfWork(database, write=False) as uow:
        assert ledger.check_ledger(uow.session) == []


# --- who may review ------------------------------------------------------------------------
def test_operators_get_no_review_or_planning_tile_and_the_service_refuses_them(qtbot, context, warehouse):
    registry = discover(ScreenRegistry())
    assert {e.name for e in registry.entries_for("operator")} >= {"count"}
    assert not {"review_counts", "plan_counts"} & {e.name for e in registry.entries_for("operator")}
    assert {"count", "review_counts", "plan_counts"} <= {e.name for e in registry.entries_for("supervisor")}
    assert registry.get("plan_counts").display_title() == "Plan counts"
    review = open_screen(qtbot, context, ReviewScreen, warehouse.operator)  # were it opened anyway
    assert (review.panel.message.state, review.panel.message.text()) == (
        "error", "Olga Operator may not review counts.")
    assert review.panel.model.rowCount() == 0


# --- stock that moved during the count --------------------------------------------------------
def moved_during_count(qtbot, context, database, warehouse):
    """Olga counts 8 of the 10 in A-01-01 on the screen; meanwhile 5 more are put away there."""
    put_stock(database, "A-01-01", "WIDGET", 10)
    plan_one(database, warehouse, "A-01-01")
    screen = open_screen(qtbot, context, CountingScreen, warehouse.operator)
    scan(qtbot, screen, "CC-000001")
    scan(qtbot, screen, "A-01-01")
    scan(qtbot, screen, "SF:QTY:8")
    scan(qtbot, screen, gtin13(1))
    put_stock(database, "A-01-01", "WIDGET", 5)
    press(qtbot, screen, Qt.Key.Key_F8)
    assert banner(screen) == ("ok", "A-01-01 done, 8 counted. Count CC-000001 is complete.")
    return screen


def test_moved_stock_is_shown_and_the_reviewer_must_choose_deliberately(
        qtbot, context, database, warehouse, monkeypatch):
    counting_screen = moved_during_count(qtbot, context, database, warehouse)  # noqa: F841 - kept open, as on the floor
    review = open_screen(qtbot, context, ReviewScreen, warehouse.supervisor, size=(1600, 800))
    qtbot.mouseClick(review.panel.moved_only, Qt.MouseButton.LeftButton)
    assert review.panel.filter.rowCount() == 1
    assert review_cell(review, 0, "moves") == "+5 in 1 move(s)"
    review.panel.table.selectRow(0)
    assert "+5  receipt  SUPPLIER" in review.panel.details.toPlainText()
    dialogs = []

    def ask(cls, parent, decision, lines, *, must_resolve=False):
        dialog = cls(parent, decision, lines, must_resolve=must_resolve)
        dialog.show()
        dialogs.append(dialog)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert dialog.resolution_box.isVisible() and not ok.isEnabled()
        assert dialog.keep_counted_effect.text().splitlines()[1:] == ["WIDGET @ A-01-01: 15 now, becomes 8 (-7)"]
        assert dialog.keep_difference_effect.text().splitlines()[1:] == [
            "WIDGET @ A-01-01: 15 now, becomes 13 (-2)"]
        qtbot.keyClick(dialog, Qt.Key.Key_1)  # 1: Miscount
        assert not ok.isEnabled()  # a reason alone is not enough: stock moved
        on_indicator = QPoint(12, dialog.keep_difference.height() // 2)  # the row is wider than its text
        qtbot.mouseClick(dialog.keep_difference, Qt.MouseButton.LeftButton, pos=on_indicator)
        assert ok.isEnabled()
        shot(dialog, "review_decision_moved")
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        return dialog.result_decision()

    monkeypatch.setattr(DecisionDialog, "ask", classmethod(ask))
    qtbot.mouseClick(review.panel.approve_button, Qt.MouseButton.LeftButton)
    assert len(dialogs) == 1
    assert review.panel.message.text() == "Approved 1 line(s) (Miscount): stock changed by -2 units."
    assert on_hand(database, "A-01-01", "WIDGET") == 13


def test_stock_moving_after_the_table_was_read_makes_the_review_ask_again(
        qtbot, context, database, warehouse, decisions):
    run(database, counting.set_class_policy, "C", actor=warehouse.supervisor, auto_approve=False)
    put_stock(database, "A-01-01", "WIDGET", 100)
    plan_one(database, warehouse, "A-01-01")
    count_at(database, 1, "A-01-01", warehouse.operator, [(gtin13(1), 98)])
    review = open_screen(qtbot, context, ReviewScreen, warehouse.supervisor)
    assert review_cell(review, 0, "moves") == ""
    put_stock(database, "A-01-01", "WIDGET", 3, to="PACK-1")  # picked while Sam looks
    asked, answers = decisions
    answers += [Decision("lost", None), Decision("lost", "keep_counted")]
    review.panel.table.selectRow(0)
    qtbot.mouseClick(review.panel.approve_button, Qt.MouseButton.LeftButton)
    assert asked == [(APPROVE, ["WIDGET"], False), (APPROVE, ["WIDGET"], True)]
    assert on_hand(database, "A-01-01", "WIDGET") == 98


# --- counting details on the floor -------------------------------------------------------------
def test_lots_undo_wrong_scans_and_empty_locations(qtbot, context, database, warehouse):
    put_stock(database, "A-01-01", "MILK", 23, lot="L1")
    run(database, counting.plan_location_range, "A-01-01", "A-02-01", actor=warehouse.supervisor,
        counter_id=warehouse.operator.user_id, due=clock.today())
    screen = open_screen(qtbot, context, CountingScreen, warehouse.operator)
    scan(qtbot, screen, "CC-000999")
    assert banner(screen) == ("error", "CC-000999 is not one of your counts due today.")
    scan(qtbot, screen, "SF:CONFIRM")  # the highlighted count
    scan(qtbot, screen, "B-01-01")
    assert banner(screen) == ("error", "B-01-01 is not part of count CC-000001.")
    scan(qtbot, screen, "A-01-01")
    scan(qtbot, screen, MILK_GTIN)
    assert banner(screen) == ("attention", "Scan or type the lot of MILK")  # asked in the scan field
    scan(qtbot, screen, "A-02-01")  # a location is never a lot
    assert banner(screen) == ("error", "Not recorded: that is A-02-01, not a lot. Scan or type the lot of MILK")
    scan(qtbot, screen, "L1")
    assert banner(screen) == ("ok", "+1 MILK Milk 1 l, lot L1. 1 counted here")
    scan(qtbot, screen, "]C10109501101530003" + "10L2")
    assert banner(screen) == ("ok", "+1 MILK Milk 1 l, lot L2. 1 counted here")
    assert [[screen.counted.item(r, c).text() for c in range(4)] for r in range(2)] == [
        ["MILK", "Milk 1 l", "L1", "1"], ["MILK", "Milk 1 l", "L2", "1"]]
    press(qtbot, screen, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert banner(screen) == ("attention", "Undone: -1 MILK Milk 1 l, lot L2. 0 counted here")
    scan(qtbot, screen, "A-02-01")
    assert banner(screen) == ("error", "A-02-01 is a location, scan a product.")
    press(qtbot, screen, Qt.Key.Key_F6)
    assert banner(screen) == ("error", "1 units were already counted at A-01-01: it is not empty.")
    scan(qtbot, screen, "SF:CLOSE")
    assert banner(screen) == ("ok", "A-01-01 done, 1 counted. Next: A-02-01")
    assert screen.prompt.text() == "Scan location A-02-01"
    assert "1 of 2 locations done" in screen.header.text()
    scan(qtbot, screen, "A-02-01")
    press(qtbot, screen, Qt.Key.Key_F8)
    assert banner(screen) == (
        "error", "Nothing was counted at A-02-01: scan what is there, or confirm it is empty.")
    scan(qtbot, screen, "SF:EMPTY")
    assert banner(screen) == ("ok", "A-02-01 confirmed empty. Count CC-000001 is complete.")
    assert "23" not in numbers_in(visible_text(screen))


def test_escape_steps_back_without_losing_what_was_counted(qtbot, context, database, warehouse):
    put_stock(database, "A-01-01", "GADGET", 4)
    plan_one(database, warehouse, "A-01-01")
    screen = open_screen(qtbot, context, CountingScreen, warehouse.operator)
    scan(qtbot, screen, "CC-000001")
    scan(qtbot, screen, "A-01-01")
    scan(qtbot, screen, gtin13(2))
    scan(qtbot, screen, "SF:QTY:3")
    press(qtbot, screen, Qt.Key.Key_Escape)
    assert banner(screen) == ("attention", "Quantity cleared") and not screen.mode.isVisible()
    press(qtbot, screen, Qt.Key.Key_Escape)
    assert banner(screen) == ("attention", "Left A-01-01: what you counted is saved. Scan it again to go on.")
    scan(qtbot, screen, "A-01-01")
    assert banner(screen) == ("ok", "Back at A-01-01, 1 counted so far: scan every item")
    press(qtbot, screen, Qt.Key.Key_Escape)
    press(qtbot, screen, Qt.Key.Key_Escape)
    assert banner(screen) == ("attention", "Left CC-000001: what you counted is saved")
    assert screen.counts_list.count() == 1
    press(qtbot, screen, Qt.Key.Key_Escape)
    assert screen.context.navigator.calls == ["home"]


# --- a supervisor decides on the spot ------------------------------------------------------------
def test_a_supervisor_decides_at_the_counters_screen_with_badge_and_pin(qtbot, context, database, warehouse):
    run(database, counting.set_class_policy, "C", actor=warehouse.supervisor, auto_approve=False)
    put_stock(database, "A-01-01", "WIDGET", 100)
    plan_one(database, warehouse, "A-01-01")
    screen = open_screen(qtbot, context, CountingScreen, warehouse.operator)
    press(qtbot, screen, Qt.Key.Key_F9)
    assert banner(screen) == ("attention", "Choose a count first: scan its number.")
    scan(qtbot, screen, "CC-000001")
    scan(qtbot, screen, "A-01-01")
    scan(qtbot, screen, "SF:QTY:98")
    scan(qtbot, screen, gtin13(1))
    press(qtbot, screen, Qt.Key.Key_F8)  # 2 % off, within 5 %: waits for a supervisor
    press(qtbot, screen, Qt.Key.Key_F9)
    assert screen.prompt.text() == "A supervisor decides the waiting results of CC-000001. Supervisor: scan your badge"
    scan(qtbot, screen, "B-OP1")  # an operator's badge is a badge, but not a supervisor's
    scan(qtbot, screen, "1234")
    assert banner(screen)[0] == "error"
    scan(qtbot, screen, "SF:CANCEL")
    assert banner(screen) == ("attention", "No supervisor decision was made.")
    scan(qtbot, screen, "SF:SUPERVISOR")
    scan(qtbot, screen, "B-SUP")
    scan(qtbot, screen, "4321")
    # Everything in the scan field: what the records said (only now, for the supervisor), then numbers.
    assert screen.prompt.text() == (
        "Sam Supervisor decides CC-000001:\nWIDGET @ A-01-01: expected 100, counted 98 (-2)\n"
        "1 Approve: stock becomes what was counted    2 Reject: stock stays as recorded")
    assert screen.findChildren(QDialog) == []
    shot(screen, "counting_spot_decision")
    scan(qtbot, screen, gtin13(1))  # an item is not an answer: refused, nothing decided
    assert banner(screen)[0] == "error" and on_hand(database, "A-01-01", "WIDGET") == 100
    scan(qtbot, screen, "SF:CONFIRM")  # nor is a command
    assert banner(screen)[0] == "error"
    scan(qtbot, screen, "1")
    assert screen.prompt.text() == ("Why approve?\n1 Miscount    2 Found    3 Lost    4 Damaged    5 Expired    "
                                    "6 Unrecorded move")
    scan(qtbot, screen, "4")
    assert banner(screen) == (
        "ok", "Sam Supervisor approved 1 line(s) of CC-000001 (Damaged): stock changed by -2 units.")
    assert on_hand(database, "A-01-01", "WIDGET") == 98
    with UnitOfWork(database, write=False) as uow:
        line = uow.session.scalar(select(CountLine))
        assert (line.decided_by_id, line.requested_by_id, line.reason_code) == (
            warehouse.supervisor.user_id, warehouse.operator.user_id, "damaged")
        answers = uow.session.scalars(select(ScanJournal.raw).where(ScanJournal.outcome == "answer")
                                      .order_by(ScanJournal.id)).all()
    assert answers[-4:] == ["B-SUP", "****", "1", "4"]  # the PIN never
    press(qtbot, screen, Qt.Key.Key_F9)
    scan(qtbot, screen, "B-SUP")
    scan(qtbot, screen, "4321")
    assert banner(screen) == ("attention", "Nothing of CC-000001 waits for a decision.")


def test_a_spot_decision_one_line_at_a_time(qtbot, context, database, warehouse):
    run(database, counting.set_class_policy, "C", actor=warehouse.supervisor, auto_approve=False)
    put_stock(database, "A-01-01", "WIDGET", 100)
    put_stock(database, "A-01-01", "GADGET", 50)
    plan_one(database, warehouse, "A-01-01")
    screen = open_screen(qtbot, context, CountingScreen, warehouse.operator)
    scan(qtbot, screen, "CC-000001")
    scan(qtbot, screen, "A-01-01")
    for code, units in ((gtin13(1), 99), (gtin13(2), 49)):
        scan(qtbot, screen, f"SF:QTY:{units}")
        scan(qtbot, screen, code)
    press(qtbot, screen, Qt.Key.Key_F8)
    press(qtbot, screen, Qt.Key.Key_F9)
    scan(qtbot, screen, "B-SUP")
    scan(qtbot, screen, "4321")
    assert screen.prompt.text().splitlines()[-1] == (
        "1 Approve: stock becomes what was counted    2 Reject: stock stays as recorded    3 One line at a time")
    scan(qtbot, screen, "3")
    first = screen.prompt.text().splitlines()
    assert len(first) == 3 and first[1].endswith(("counted 99 (-1)", "counted 49 (-1)"))
    scan(qtbot, screen, "1")
    scan(qtbot, screen, "1")
    assert banner(screen)[1].startswith("Sam Supervisor approved 1 line(s) of CC-000001 (Miscount)")
    second = screen.prompt.text().splitlines()
    assert second[1] != first[1] and second[-1].endswith("2 Reject: stock stays as recorded")
    scan(qtbot, screen, "2")
    scan(qtbot, screen, "2")
    assert banner(screen) == ("ok", "Sam Supervisor rejected 1 line(s) of CC-000001 (Found): stock stays as recorded.")
    decided = {first[1].split(":")[0].split(" @")[0]: "approved", second[1].split(":")[0].split(" @")[0]: "rejected"}
    expected = {"WIDGET": (99, 100), "GADGET": (49, 50)}
    for sku, outcome in decided.items():
        assert on_hand(database, "A-01-01", sku) == expected[sku][0 if outcome == "approved" else 1]


def test_a_spot_decision_where_stock_moved_asks_the_resolution_and_esc_records_nothing(
        qtbot, context, database, warehouse):
    run(database, counting.set_class_policy, "C", actor=warehouse.supervisor, auto_approve=False,
        quantity_pct=50)
    screen = moved_during_count(qtbot, context, database, warehouse)
    press(qtbot, screen, Qt.Key.Key_F9)
    scan(qtbot, screen, "B-SUP")
    scan(qtbot, screen, "4321")
    scan(qtbot, screen, "2")  # reject
    press(qtbot, screen, Qt.Key.Key_Escape)
    assert banner(screen) == ("attention", "No supervisor decision was made.")
    press(qtbot, screen, Qt.Key.Key_F9)
    scan(qtbot, screen, "B-SUP")
    scan(qtbot, screen, "4321")
    scan(qtbot, screen, "1")
    scan(qtbot, screen, "1")  # miscount
    assert screen.prompt.text() == (
        "Stock moved while it was counted:\nWIDGET @ A-01-01: 15 now; keep counted -7, keep the difference -2\n"
        "1 Keep counted quantity    2 Keep the difference")
    scan(qtbot, screen, "2")
    assert banner(screen) == (
        "ok", "Sam Supervisor approved 1 line(s) of CC-000001 (Miscount): stock changed by -2 units.")
    assert on_hand(database, "A-01-01", "WIDGET") == 13


# --- the decision dialog itself ----------------------------------------------------------------------
def test_decision_dialog_needs_a_reason_and_shows_the_lines(qtbot, context, database, warehouse):
    run(database, counting.set_class_policy, "C", actor=warehouse.supervisor, auto_approve=False)
    put_stock(database, "A-01-01", "WIDGET", 100)
    plan_one(database, warehouse, "A-01-01")
    count_at(database, 1, "A-01-01", warehouse.operator, [(gtin13(1), 97)])
    with UnitOfWork(database, write=False) as uow:
        [line] = counting.count_review(uow.session, 1, actor=warehouse.supervisor).lines
    dialog = DecisionDialog(None, "reject", [line])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.summary.text() == ("Reject 1 line(s): stock stays as recorded.\n"
                                     "WIDGET @ A-01-01: expected 100, counted 97 (-3)")
    assert not dialog.resolution_box.isVisible()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.text() == "Reject" and not ok.isEnabled()
    assert [b.text() for b in dialog.reasons.buttons()] == [
        "&1  Miscount", "&2  Found", "&3  Lost", "&4  Damaged", "&5  Expired", "&6  Unrecorded move"]
    qtbot.keyClick(dialog, Qt.Key.Key_6)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.result_decision() == Decision("unrecorded_move", None)


# --- planning and the accuracy report -----------------------------------------------------------
def test_planning_by_zone_product_and_schedule_assign_and_cancel(qtbot, context, database, warehouse, monkeypatch):
    put_stock(database, "B-01-01", "GADGET", 3)
    put_stock(database, "A-02-01", "GADGET", 2)
    screen = open_screen(qtbot, context, PlanningScreen, warehouse.supervisor)
    assert screen.form.schedule_note.text() == "1 product(s) are due for counting today"
    qtbot.mouseClick(screen.form.plan_button, Qt.MouseButton.LeftButton)
    assert screen.message.text() == "Type the first location of the range (and the last, for more than one)."
    qtbot.keyClicks(screen.form.zone, "Z9")
    qtbot.keyClick(screen.form.zone, Qt.Key.Key_Return)
    assert (screen.message.state, screen.message.text()) == ("error", "Nothing to count: no location in zone Z9.")
    screen.form.zone.clear()
    qtbot.keyClicks(screen.form.zone, "Z1")
    qtbot.keyClick(screen.form.zone, Qt.Key.Key_Return)
    assert screen.message.text() == "Planned CC-000001: 6 location(s)"
    qtbot.keyClicks(screen.form.product, gtin13(2))  # a barcode names the product too
    screen.form.blind.setChecked(False)
    qtbot.keyClick(screen.form.product, Qt.Key.Key_Return)
    assert screen.message.text() == "Planned CC-000002: 2 location(s)"
    screen.form.by_schedule.setChecked(True)
    qtbot.mouseClick(screen.form.plan_button, Qt.MouseButton.LeftButton)
    assert screen.message.text() == "Nothing new to plan: every product due already has an open count."
    assert [[screen.table.item(r, c).text() for c in (0, 2, 7)] for r in range(screen.table.rowCount())] == [
        ["CC-000001", "zone Z1", "blind"], ["CC-000002", "GADGET", "quantities shown"]]
    screen.select_ids({1, 2})
    screen.form.counter.setCurrentIndex(screen.form.counter.findText("Otto Operator"))
    screen.form.due.setDate(clock.today() + dt.timedelta(days=2))
    qtbot.mouseClick(screen.assign_button, Qt.MouseButton.LeftButton)
    later = (clock.today() + dt.timedelta(days=2)).isoformat()
    assert screen.message.text() == f"2 count(s) given to Otto Operator, due {later}"
    assert {screen.table.item(r, 5).text() for r in range(2)} == {"Otto Operator"}
    monkeypatch.setattr(PlanningScreen, "confirm", classmethod(lambda cls, parent, question: True))
    screen.select_ids({2})
    qtbot.mouseClick(screen.cancel_button, Qt.MouseButton.LeftButton)
    assert screen.message.text() == "Cancelled CC-000002"
    assert [screen.table.item(r, 0).text() for r in range(screen.table.rowCount())] == ["CC-000001"]


def test_accuracy_table_csv_and_pdf(qtbot, context, database, warehouse, save_to, tmp_path, monkeypatch):
    put_stock(database, "A-01-01", "WIDGET", 10)
    put_stock(database, "A-02-01", "GADGET", 4)
    run(database, counting.plan_location_range, "A-01-01", "A-02-01", actor=warehouse.supervisor,
        counter_id=warehouse.operator.user_id, due=clock.today())
    count_at(database, 1, "A-01-01", warehouse.operator, [(gtin13(1), 10)])
    count_at(database, 1, "A-02-01", warehouse.operator, [(gtin13(2), 3)])
    count_at(database, 2, "A-02-01", warehouse.operator2, [(gtin13(2), 3)])  # the recount agrees
    screen = open_screen(qtbot, context, PlanningScreen, warehouse.supervisor)
    screen.tabs.setCurrentWidget(screen.accuracy)
    tab = screen.accuracy
    month = clock.today().replace(day=1).isoformat()
    rows = [[tab.table.item(r, c).text() for c in range(5)] for r in range(tab.table.rowCount())]
    assert rows == [[month, "C", "2", "1", "50.0 %"]]
    assert tab.overall.text() == "Overall: 1 of 2 counted lines within tolerance (50.0 %)"
    tab.grouping.setCurrentIndex(1)
    assert [tab.table.item(0, c).text() for c in range(2)] == [month, "Z1"]
    shot(screen, "planning_accuracy")
    qtbot.mouseClick(tab.csv_button, Qt.MouseButton.LeftButton)
    written = tmp_path / save_to[-1]
    with written.open(newline="", encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert [(row["count"], row["location"], row["status"]) for row in table] == [
        ("CC-000001", "A-01-01", "matched"), ("CC-000001", "A-02-01", "recounted"),
        ("CC-000002", "A-02-01", "to_review")]
    assert screen.message.text() == f"3 count line(s) written to {written}"
    qtbot.mouseClick(tab.pdf_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / save_to[-1]).read_bytes().startswith(b"%PDF")
    assert screen.message.text() == f"Accuracy report saved to {tmp_path / save_to[-1]}"


def test_the_sheet_is_saved_even_without_a_pdf_preview(qtbot, context, database, warehouse, save_to,
                                                        tmp_path, monkeypatch):
    def no_qtpdf(cls, parent, path):
        raise ImportError("No module named 'PySide6.QtPdf'")

    monkeypatch.setattr(PdfPreview, "__init__", no_qtpdf)
    plan_one(database, warehouse, "A-02-01")
    screen = open_screen(qtbot, context, PlanningScreen, warehouse.supervisor)
    screen.select_ids({1})
    qtbot.mouseClick(screen.sheet_button, Qt.MouseButton.LeftButton)
    assert screen.preview is None
    assert (tmp_path / "count-sheet-CC-000001.pdf").exists()
    assert screen.message.state == "ok"


def test_the_counting_screen_speaks_the_operators_language(qtbot, context, database, warehouse, translations):
    plan_one(database, warehouse, "A-01-01")
    translations.set_language("es")
    screen = open_screen(qtbot, context, CountingScreen, warehouse.operator)
    assert (screen.title.text(), screen.prompt.text()) == (
        "Contar", "Escanee un número de recuento o elija un recuento")
    assert "rango de ubicaciones" in screen.counts_list.item(0).text()
    scan(qtbot, screen, "CC-000001")
    scan(qtbot, screen, "B-01-01")
    assert banner(screen) == ("error", "B-01-01 no forma parte del recuento CC-000001.")
    translations.set_language("en")  # the LanguageChange event arrives through the event loop
    qtbot.waitUntil(lambda: screen.prompt.text() == "Scan location A-01-01")


def test_review_lines_sort_by_any_column_in_the_model_and_the_selection_follows_its_line(qapp):
    """Sorting is one Python sort in the model (the proxy only filters): by location, then by
    variance descending with empty variances last; a reload keeps the chosen order."""
    from types import SimpleNamespace

    from PySide6.QtCore import QItemSelectionModel

    from app.ui.counting.review_model import COLUMNS, ReviewFilter, ReviewLinesModel

    def line(location, variance):
        return SimpleNamespace(location=location, zone="A", sku="S-" + location, name="n", lot=None, abc_class="C",
                               expected=10, counted=10, variance_qty=variance, variance_value=None,
                               moves_since_snapshot=[], rounds=[], within_tolerance=True,
                               moved_during_count=False)

    count = SimpleNamespace(number="CC-1", kind="location", count_id=1)
    reviews = [SimpleNamespace(count=count, lines=[line("B", 5), line("A", -3), line("C", None)])]
    model = ReviewLinesModel()
    proxy = ReviewFilter()
    proxy.setSourceModel(model)
    model.show_reviews(reviews)
    where, variance = COLUMNS.index("location"), COLUMNS.index("variance_qty")

    def locations():
        return [proxy.index(row, where).data() for row in range(proxy.rowCount())]

    proxy.sort(where, Qt.SortOrder.AscendingOrder)
    assert locations() == ["A", "B", "C"]
    chosen = QItemSelectionModel(proxy)
    chosen.setCurrentIndex(proxy.index(2, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    proxy.sort(variance, Qt.SortOrder.DescendingOrder)
    assert locations() == ["B", "A", "C"]
    assert proxy.index(chosen.currentIndex().row(), where).data() == "C"  # the selection moved with C
    model.show_reviews(reviews)  # a reload (after a decision) keeps the order
    assert locations() == ["B", "A", "C"]
