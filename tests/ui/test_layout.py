"""Every screen fits 1366x768 and 1920x1080, for every role and every language, with no text
clipped: log-in, home of each role, every floor and supervisor screen.

What a user would see: no widget reaching outside the window (or outside the widget holding
it, which Qt does when a layout is squeezed below its minimum), the window not forced larger
than the screen, and no label, button, tile, check box, group or tab whose text is wider than
the widget showing it. Scrolled content (tables, scroll areas) may extend beyond its viewport.
Labels of a fixed number of lines (app/ui/fitted.py: the banner) shorten on purpose, with the
whole text in their tooltip.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect
from PySide6.QtGui import (
    QFontMetrics,
    Qt,  # QtGui's Qt also has mightBeRichText
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QCheckBox,
    QGroupBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QTabBar,
    QWidget,
)

from app.db.uow import UnitOfWork
from app.ui.fitted import FittedLabel

SIZES = ((1366, 768), (1920, 1080))
LANGUAGES = ("en", "de", "es", "pl")


@pytest.fixture
def database(sqlite_database):
    """Layout does not depend on the database backend: SQLite only."""
    return sqlite_database


@pytest.fixture
def styled(qapp):
    from app.ui.style import apply_style

    before = qapp.styleSheet()
    apply_style(qapp)  # the real fonts and paddings: what clips is decided by them
    yield qapp
    qapp.setStyleSheet(before)


@pytest.fixture
def admin(database, warehouse):
    from app.services.users import create_user

    with UnitOfWork(database) as uow:
        create_user(uow.session, username="ada", display_name="Ada Admin", badge_code="B-ADM",
                    role="admin", pin="2468")
        uow.commit()


def scan(qtbot, window, text):
    field = window.stack.currentWidget().scan_field
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


LOGINS = {"operator": ("B-OP1", None), "supervisor": ("B-SUP", "4321"), "admin": ("B-ADM", "2468")}


def log_in(qtbot, window, role):
    badge, pin = LOGINS[role]
    scan(qtbot, window, badge)
    if pin:
        scan(qtbot, window, pin)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.home)


# --- what clips ----------------------------------------------------------------------------
def _inside_scrolled(widget: QWidget, top: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent.parentWidget(), QAbstractScrollArea) and parent is parent.parentWidget().viewport():
            return True
        parent = parent.parentWidget()
    return False


def _rect_in(widget: QWidget, other: QWidget) -> QRect:
    return QRect(QWidget.mapTo(widget, other, QPoint(0, 0)), QWidget.size(widget))  # screens name fields 'size'


def _plain(text: str) -> str:
    return re.sub(r"&(.)", r"\1", text)  # mnemonics: "&Save" shows "Save"


def _label_problem(label: QLabel) -> str | None:
    text = label.text()
    if isinstance(label, FittedLabel):  # it shortens or shrinks its text, but its lines must fit
        needed = label.lines * QFontMetrics(label.font()).lineSpacing()
        room = label.contentsRect().height()
        return None if not text or room >= needed else f"{label.lines} line(s) need {needed} px high, has {room}"
    if not text or label.pixmap() is not None and not label.pixmap().isNull():
        return None
    room = label.contentsRect().adjusted(label.margin(), label.margin(), -label.margin(), -label.margin())
    if label.textFormat() == Qt.TextFormat.RichText or (
            label.textFormat() == Qt.TextFormat.AutoText and Qt.mightBeRichText(text)):
        document = QTextDocument()
        document.setDefaultFont(label.font())
        document.setHtml(text)
        document.setDocumentMargin(0)
        if label.wordWrap():
            document.setTextWidth(room.width())
            needed = document.size().toSize()
            return None if needed.height() <= room.height() + 1 else f"needs {needed.height()} px high"
        needed = document.idealWidth()
        return None if needed <= room.width() + 1 else f"needs {needed:.0f} px wide"
    metrics = QFontMetrics(label.font())
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        if needed > label.height() + 1:
            return f"needs {needed} px high, has {label.height()}"
        return None
    widest = max(metrics.horizontalAdvance(_plain(line)) for line in text.split("\n"))
    return None if widest <= room.width() else f"needs {widest} px wide, has {room.width()}"


def _button_problem(button: QAbstractButton) -> str | None:
    fits = getattr(button, "text_fits", None)
    if fits is not None:  # home tiles wrap and size their own text
        return None if fits() else "tile text does not fit"
    text = _plain(button.text())
    if not text:
        return None
    if isinstance(button, (QCheckBox, QRadioButton)):
        needed = button.sizeHint().width()
        return None if needed <= button.width() else f"needs {needed} px wide, has {button.width()}"
    if isinstance(button, QPushButton):
        option = QStyleOptionButton()
        button.initStyleOption(option)
        room = button.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, button)
        needed = max(QFontMetrics(button.font()).horizontalAdvance(line) for line in text.split("\n"))
        if not button.icon().isNull():
            needed += button.iconSize().width() + 4
        return None if needed <= room.width() else f"needs {needed} px wide, has {room.width()}"
    return None


def layout_problems(window: QWidget) -> list[str]:
    found = []
    frame = window.rect()
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.isWindow():
            continue
        text = widget.text() if isinstance(widget, (QLabel, QAbstractButton)) else ""
        name = f"{type(widget).__name__}({widget.objectName() or text:.40})"
        if not _inside_scrolled(widget, window):
            where = _rect_in(widget, window)
            if not frame.contains(where):
                found.append(f"{name} at {where.getRect()} is outside the window {frame.getRect()}")
                continue
            parent = widget.parentWidget()
            if parent is not None and parent is not window and not isinstance(parent, QAbstractScrollArea):
                if not QWidget.rect(parent).contains(QWidget.geometry(widget)):
                    found.append(f"{name} {QWidget.geometry(widget).getRect()} sticks out of its "
                                 f"{type(parent).__name__} {QWidget.rect(parent).getRect()}")
                    continue
        problem = None
        if isinstance(widget, QLabel):
            problem = _label_problem(widget)
        elif isinstance(widget, QAbstractButton):
            problem = _button_problem(widget)
        elif isinstance(widget, QGroupBox) and widget.title():
            needed = QFontMetrics(widget.font()).horizontalAdvance(_plain(widget.title())) + 24
            problem = None if needed <= widget.width() else f"title needs {needed} px, has {widget.width()}"
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                if not widget.rect().contains(widget.tabRect(index)) or \
                        widget.tabRect(index).width() < widget.tabSizeHint(index).width():
                    problem = f"tab {widget.tabText(index)!r} does not fit"
        if problem:
            found.append(f"{name}: {problem}")
    return found


def check(qtbot, window, width: int, height: int, what: str) -> list[str]:
    window.setGeometry(0, 0, width, height)
    QApplication.processEvents()
    qtbot.wait(10)
    found = []
    if (window.width(), window.height()) != (width, height):
        found.append(f"the window grew to {window.width()}x{window.height()}")
    found += layout_problems(window)
    return [f"{what} at {width}x{height}: {problem}" for problem in found]


def every_size_and_language(qtbot, window, translations, show, what) -> list[str]:
    found = []
    for language in LANGUAGES:
        translations.set_language(language)
        QApplication.processEvents()
        show()
        for width, height in SIZES:
            found += check(qtbot, window, width, height, f"{what} [{language}]")
    return found


@pytest.fixture
def window(shell):
    yield shell
    shell.log_out()  # drop the opened screens now, not while the next test changes language
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.mark.parametrize("role", ["operator", "supervisor", "admin"])
def test_home_and_every_screen_of_a_role_fit_both_screen_sizes_in_every_language(
        qtbot, styled, window, translations, admin, role):
    shell = window
    found = every_size_and_language(qtbot, shell, translations, lambda: None, "log-in") if role == "admin" else []
    log_in(qtbot, shell, role)
    found += every_size_and_language(qtbot, shell, translations, shell.go_home, f"home of {role}")
    for entry in shell.registry.entries_for(role):
        if entry.role != role:
            continue  # each screen is checked with the least role that opens it
        found += every_size_and_language(
            qtbot, shell, translations, lambda name=entry.name: shell.open_screen(name), entry.name)
    assert not found, "\n".join(found)


LONG = ("Saved the count sheet to /home/warehouse/Documents/Stockfloor/counts/"
        "2026-06-17/count-sheet-zone-Z1-aisle-A-every-location-with-lots.pdf and sent it to the "
        "printer at the dock; nothing was moved. ") * 3


def test_banner_and_prompt_keep_their_height_and_the_scan_field_never_moves(qtbot, styled, window, translations):
    shell = window
    shell.setGeometry(0, 0, 1366, 768)
    log_in(qtbot, shell, "operator")
    for name in ("login", "home", "receive"):
        if name == "login":
            shell.log_out()
        elif name == "home":
            log_in(qtbot, shell, "operator")
        else:
            shell.open_screen(name)
        screen = shell.stack.currentWidget()
        for language in LANGUAGES:
            translations.set_language(language)
            places = set()
            for state, text in (("idle", ""), ("ok", "OK"), ("error", LONG), ("attention", LONG[:150]),
                                ("error", screen.prompt.text()), ("idle", "")):
                screen.banner.show_message(state, text)
                QApplication.processEvents()
                places.add((screen.scan_field.y(), screen.banner.height()))
                assert screen.banner.text() == text  # the whole message: tooltip and journal
                if screen.banner.shortened:
                    assert screen.banner.toolTip() == text and screen.banner.shown_text().endswith("…")
                    assert screen.banner.shown_text().count("\n") == 1  # two lines
            for prompt in ("Scan", LONG[:120], LONG[:200], LONG):  # prompts keep one height too
                screen.prompt.setText(prompt)
                QApplication.processEvents()
                places.add((screen.scan_field.y(), screen.banner.height()))
                assert screen.prompt.text() == prompt
            assert len(places) == 1, f"{name} [{language}]: {places}"
            screen.retranslate()


def test_a_receipt_being_received_fits_both_sizes_in_every_language(qtbot, styled, window, translations):
    from tests.factories import gtin13

    shell = window
    log_in(qtbot, shell, "operator")
    shell.open_screen("receive")
    screen = shell.stack.currentWidget()
    scan(qtbot, shell, "PO-1001")
    scan(qtbot, shell, gtin13(1))  # one WIDGET: the lines table, the header and a green banner
    qtbot.waitUntil(lambda: screen.banner.state == "ok")
    scan(qtbot, shell, "SF:QTY:4")  # the amber strip of the next item's quantity
    found = every_size_and_language(qtbot, shell, translations, lambda: None, "receive, PO-1001 open")
    assert not found, "\n".join(found)


def test_an_order_being_packed_with_its_parcel_open_fits_both_sizes_in_every_language(
        qtbot, styled, window, translations, database, warehouse):
    """The parcels list appears below the lines once an item is in a parcel: the window keeps
    its size (it grew to 1366x833 on a 1366x768 screen, hiding the key hints and the status bar)."""
    from tests.factories import gtin13
    from tests.services.test_orders_support import add_cartons, put_stock
    from tests.ui.test_packing_screen import CARTONS, picked_order

    shell = window
    add_cartons(database, *CARTONS)
    put_stock(database, warehouse, "WIDGET", "A-01-01", 10)
    put_stock(database, warehouse, "GADGET", "B-01-01", 10)
    _order, tote = picked_order(database, warehouse, "1001", {"WIDGET": 2, "GADGET": 1})
    shell.setGeometry(0, 0, 1366, 768)
    log_in(qtbot, shell, "supervisor")
    shell.open_screen("pack")
    screen = shell.stack.currentWidget()
    scan(qtbot, shell, tote)
    scan(qtbot, shell, "SF:QTY:2")  # the amber strip of the next item's quantity
    scan(qtbot, shell, gtin13(1))  # two WIDGET into parcel 1: the parcels list shows
    qtbot.waitUntil(lambda: screen.banner.state == "ok" and screen.parcels.isVisible())
    QApplication.processEvents()
    assert (shell.width(), shell.height()) == (1366, 768)  # as packing left it, before check() sets it
    found = every_size_and_language(qtbot, shell, translations, lambda: None, "pack, parcel 1 open")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("first", ["operator", None])
def test_home_tiles_fit_right_after_log_in_without_a_resize(qtbot, styled, window, translations, admin, first):
    """A user's tiles are sized for the grid they end up in, at once, also when nothing resizes
    the window and the language stays (operator and admin both speak English): the admin's new
    tiles kept the type chosen before the grid had placed them (640x480 each), "F9 Review
    counts" cut at top and bottom on 1366x768."""
    shell = window
    shell.setGeometry(0, 0, 1366, 768)
    QApplication.processEvents()
    if first:  # the operator opens a screen, comes home and logs out
        log_in(qtbot, shell, first)
        shell.open_screen("putaway")
        qtbot.wait(20)
        shell.go_home()
        qtbot.wait(20)
        shell.log_out()
        qtbot.wait(20)
    log_in(qtbot, shell, "admin")
    qtbot.wait(50)
    assert (shell.width(), shell.height()) == (1366, 768)
    found = layout_problems(shell)
    assert not found, "\n".join(found)


def test_a_fitted_label_in_the_status_bar_is_as_tall_as_its_styled_text(qtbot, styled):
    """The database label at the bottom right: the style sheet's font reaches it when it is
    polished, not by a font change; its height must follow, or descenders and "_" are cut."""
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    label = FittedLabel(1)
    label.setText("Database postgresql://postgres@127.0.0.1:5432/test_qa")
    window.statusBar().addPermanentWidget(label, 1)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    assert _label_problem(label) is None, _label_problem(label)
    assert label.geometry().bottom() <= window.statusBar().rect().bottom()
