"""Printing screens, driven like a supervisor and an operator would: printer settings per
workstation, a print that fails while the printer is off and is retried from the jobs
screen, and the preview showing every page. With STOCKFLOOR_PRINTING_SHOTS=DIR set, the
screens are saved as PNGs there for a person to look at."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.services import printing
from app.ui.feedback import Banner, Feedback
from app.ui.printing.actions import print_action, print_queue
from app.ui.printing.jobs_screen import COLUMNS, PrintJobsScreen
from app.ui.printing.preview import PrintPreviewDialog
from app.ui.printing.printers_screen import PrintersScreen
from tests.printing.conftest import Listener, decoded_texts, rasterize


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shot(widget, name: str) -> None:
    """In the application's own style, at a floor terminal's size."""
    folder = os.environ.get("STOCKFLOOR_PRINTING_SHOTS")
    if folder:
        from app.ui.style import RESOURCES

        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.setStyleSheet((RESOURCES / "stylesheet.qss").read_text(encoding="utf-8"))
        widget.resize(max(widget.width(), 1280), max(widget.height(), 800))
        QApplication.processEvents()  # let the layouts take the style's sizes
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def pil(image):
    """A QImage as a PIL image, for zxing-cpp."""
    from PIL import Image
    from PySide6.QtCore import QBuffer, QIODevice

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    import io

    return Image.open(io.BytesIO(bytes(buffer.data())))


@pytest.fixture
def queue(context):
    jobs = print_queue(context.bridge)
    yield jobs
    assert jobs.wait(30000), "a print job was still running"


def choose(combo, data) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def set_labels_printer(context, warehouse, **fields) -> None:
    context.bridge.run(printing.save_profile, printing.Profile("WS-TEST", "labels", **fields),
                       actor=warehouse.admin)


# --------------------------------------------------------------------------- settings


def test_supervisor_sets_printers_for_this_and_another_workstation(qtbot, context, warehouse, tmp_path):
    context.bridge.log_in(warehouse.admin)
    screen = PrintersScreen(context)
    qtbot.addWidget(screen)
    screen.resize(1100, 640)
    screen.show()
    labels, documents = screen.forms["labels"], screen.forms["documents"]
    assert screen.workstation.currentText() == "WS-TEST"
    assert labels.output.currentData() == "pdf_file" and labels.size.currentData() == "4x6"
    assert labels.darkness.isHidden() and not labels.browse.isHidden()

    choose(labels.output, "zpl_tcp")
    assert not labels.darkness.isHidden() and labels.browse.isHidden()
    assert labels.output.currentText() == "Label printer on the network (ZPL, port 9100)"
    labels.name.setText("Zebra dock")
    labels.target.setEditText("127.0.0.1")
    choose(labels.size, "4x3")
    labels.darkness.setValue(20)
    labels.offset_y.setValue(12)
    documents.target.setEditText(str(tmp_path / "docs"))
    choose(documents.size, "letter")
    assert documents.size.count() == 2  # documents: A4 or Letter only
    shot(screen, "printer-settings")
    qtbot.keyClick(screen.save_button, Qt.Key.Key_Space)
    assert screen.status.text() == "Saved the printers of WS-TEST."
    assert labels.target.currentText() == "127.0.0.1:9100"  # tidied by the service
    stored = context.bridge.query(printing.profiles_of, "WS-TEST")
    assert (stored["labels"].output, stored["labels"].target, stored["labels"].size,
            stored["labels"].darkness, stored["labels"].offset_y, stored["labels"].name) == (
        "zpl_tcp", "127.0.0.1:9100", "4x3", 20, 12, "Zebra dock")
    assert (stored["documents"].output, stored["documents"].size) == ("pdf_file", "letter")

    screen.workstation.setEditText("PACK-7")  # another workstation, set from here
    qtbot.keyClick(screen.load_button, Qt.Key.Key_Space)
    assert labels.output.currentData() == "pdf_file"  # PACK-7 has no printers yet
    choose(labels.output, "pdf_cups")
    labels.target.setEditText("Office")
    choose(labels.size, "a4-3x8")
    screen.save()
    assert context.bridge.query(printing.profile_for, "PACK-7", "labels").target == "Office"
    assert context.bridge.query(printing.profile_for, "WS-TEST", "labels").output == "zpl_tcp"
    assert screen.workstation.findText("PACK-7") >= 0


def test_an_impossible_profile_is_explained_and_not_saved(qtbot, context, warehouse):
    context.bridge.log_in(warehouse.admin)
    screen = PrintersScreen(context)
    qtbot.addWidget(screen)
    labels = screen.forms["labels"]
    choose(labels.output, "zpl_tcp")
    labels.target.setEditText("zebra")
    choose(labels.size, "a4-3x8")
    screen.save()
    assert screen.status.text() == "Not saved: size: ZPL printers print thermal labels: 2x1, 4x3 or 4x6"
    assert not context.bridge.query(printing.profile_for, "WS-TEST", "labels").stored
    context.bridge.log_in(warehouse.operator)
    screen.save()
    assert screen.status.text() == "Not saved: Olga Operator may not set up printers."


def test_the_test_print_button_prints_the_command_sheet_on_the_form_as_it_stands(
        qtbot, context, warehouse, queue, tmp_path):
    """The operator presses the labels form's Test print (with the keyboard): the command
    sheet goes to that form's printer, saved or not, and the job is recorded."""
    context.bridge.log_in(warehouse.admin)
    screen = PrintersScreen(context)
    qtbot.addWidget(screen)
    screen.show()
    labels = screen.forms["labels"]
    choose(labels.output, "pdf_file")
    labels.target.setEditText(str(tmp_path / "labels"))
    with qtbot.waitSignal(queue.job_done, timeout=15000) as done:
        qtbot.keyClick(labels.test_button, Qt.Key.Key_Space)
        assert screen.status.text().startswith("Test print sent as job ")
    job = done.args[0]
    assert job.status == "sent" and job.what == "commands"
    assert [p.suffix for p in (tmp_path / "labels").iterdir()] == [".pdf"]
    assert not context.bridge.query(printing.profile_for, "WS-TEST", "labels").stored  # not saved by it


# --------------------------------------------------------------------------- jobs


def test_offline_printer_turns_the_banner_red_and_the_job_is_retried(qtbot, context, warehouse, queue):
    port = free_port()
    set_labels_printer(context, warehouse, output="zpl_tcp", target=f"127.0.0.1:{port}", size="4x3",
                       name="Zebra dock")
    context.bridge.log_in(warehouse.operator)
    banner = Banner()
    qtbot.addWidget(banner)
    feedback = Feedback(banner, context.sounds)
    with qtbot.waitSignal(queue.job_done, timeout=15000) as done:
        job = print_action(context, "locations", feedback=feedback, codes=["A-01-01", "A-02-01"])
        assert (banner.state, banner.text()) == ("ok", "Printing Location labels A-01-01, A-02-01 on Zebra dock")
    assert done.args[0].id == job.id and done.args[0].failed
    assert banner.state == "error"
    assert banner.text() == (f"Not printed: Printer 127.0.0.1:{port} does not answer: it is switched off "
                             "or not listening. Retry it from Print jobs.")

    screen = PrintJobsScreen(context)
    qtbot.addWidget(screen)
    screen.resize(1100, 420)
    screen.show()
    assert screen.model.index(0, COLUMNS.index("status")).data() == "Failed"
    assert screen.detail.text() == (f"Job {job.id} failed: Printer 127.0.0.1:{port} does not answer: "
                                    "it is switched off or not listening.")
    assert screen.retry_button.isEnabled() and not screen.reprint_button.isEnabled()
    shot(screen, "print-jobs-failed")

    printer = Listener(port=port)  # switched on
    try:
        with qtbot.waitSignal(queue.job_done, timeout=15000) as retried:
            qtbot.keyClick(screen.table, Qt.Key.Key_F5)
        assert retried.args[0].status == "sent" and retried.args[0].attempts == 2
        assert screen.model.index(0, COLUMNS.index("status")).data() == "Printed"
        assert screen.status.text() == f"Job {job.id} printed on 127.0.0.1:{port}."
        assert printer.done.wait(5)
        assert bytes(printer.received) == context.bridge.query(printing.job_content, job.id)
        assert screen.reprint_button.isEnabled() and not screen.retry_button.isEnabled()
        shot(screen, "print-jobs-retried")
    finally:
        printer.close()


def test_reprint_from_the_jobs_screen_prints_here_again(qtbot, context, warehouse, queue, tmp_path):
    set_labels_printer(context, warehouse, output="pdf_file", target=str(tmp_path), size="2x1")
    context.bridge.log_in(warehouse.operator)
    with qtbot.waitSignal(queue.job_done, timeout=15000):
        first = print_action(context, "products", codes=["GADGET"])
    screen = PrintJobsScreen(context)
    qtbot.addWidget(screen)
    with qtbot.waitSignal(queue.job_done, timeout=15000) as again:
        qtbot.keyClick(screen.table, Qt.Key.Key_F6)
    assert again.args[0].reprint_of == first.id and again.args[0].status == "sent"
    assert [job.reprint_of for job in screen.model.jobs] == [first.id, None]
    assert screen.model.index(0, COLUMNS.index("what")).data() == "Product labels GADGET (again)"
    assert len(list(tmp_path.glob("*.pdf"))) == 2


# --------------------------------------------------------------------------- preview


def test_preview_shows_every_page_and_printing_waits_for_the_operator(qtbot, context, warehouse, queue,
                                                                       monkeypatch, tmp_path):
    set_labels_printer(context, warehouse, output="pdf_file", target=str(tmp_path), size="4x3")
    context.bridge.log_in(warehouse.operator)
    pdf = context.bridge.query(printing.preview_pdf, "locations", {"range": ["A-01-01", "B-03-01"]},
                               workstation="WS-TEST")
    dialog = PrintPreviewDialog(pdf, "Location labels")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.page_count == 6 and len(dialog.page_labels) == 6
    assert dialog.summary.text() == "Location labels: 6 page(s)"
    first = dialog.page_labels[0].pixmap().toImage()
    assert first.width() > first.height()  # a 4 x 3 in label, landscape
    assert first.width() / first.height() == pytest.approx(4 / 3, rel=0.01)
    dark = pil(first).convert("L").point(lambda v: v < 128 and 255).getbbox()
    assert dark is not None and dark[3] - dark[1] > first.height() * 0.6  # code and bars drawn
    shot(dialog, "print-preview")

    asked = []
    monkeypatch.setattr(PrintPreviewDialog, "ask",
                        classmethod(lambda cls, parent, pdf, title: asked.append(pdf) or False))
    assert print_action(context, "badges", preview=True) is None  # closed without printing
    assert len(rasterize(asked[0])) == 3 and context.bridge.query(printing.recent_jobs) == []
    monkeypatch.setattr(PrintPreviewDialog, "ask", classmethod(lambda cls, parent, pdf, title: True))
    with qtbot.waitSignal(queue.job_done, timeout=15000) as done:
        print_action(context, "badges", preview=True)
    assert done.args[0].status == "sent" and done.args[0].count == 3


@pytest.mark.cups  # one CUPS queue and output folder for the whole run
def test_system_printer_through_qt_prints_at_label_size(qtbot, context, warehouse, queue):
    queue_name = os.environ.get("STOCKFLOOR_TEST_CUPS_QUEUE")
    out = os.environ.get("STOCKFLOOR_TEST_CUPS_OUT")
    if not queue_name or not out:
        pytest.skip("STOCKFLOOR_TEST_CUPS_QUEUE / _OUT not set (see tests/printing/test_cups.py)")
    before = set(Path(out).glob("*.pdf"))
    set_labels_printer(context, warehouse, output="system", target=queue_name, size="4x3")
    context.bridge.log_in(warehouse.operator)
    with qtbot.waitSignal(queue.job_done, timeout=30000) as done:
        print_action(context, "locations", codes=["B-02-01"])
    assert done.args[0].status == "sent", done.args[0].reason
    deadline = time.monotonic() + 60
    while not (new := [p for p in set(Path(out).glob("*.pdf")) - before if p.stat().st_size]):
        assert time.monotonic() < deadline, "cups-pdf wrote nothing"
        time.sleep(0.2)
    time.sleep(0.5)
    import pypdfium2

    printed = new[0].read_bytes()
    assert pypdfium2.PdfDocument(printed)[0].get_size() == pytest.approx((288, 216), abs=2)
    assert decoded_texts(rasterize(printed, dpi=300)[0]) == ["B-02-01"]


def test_printer_problems_and_titles_read_in_spanish(translations):
    from types import SimpleNamespace

    from app.ui.printing import texts

    translations.set_language("es")
    job = SimpleNamespace(what="locations", title="A-01-01 - A-02-20", printer="zebra-1:9100",
                          reason_kind="refused", reason="connection refused")
    assert texts.failure_text(job) == "La impresora zebra-1:9100 no responde: está apagada o no escucha."
    assert texts.job_title(job) == "Etiquetas de ubicación A-01-01 - A-02-20"
    sheet = texts.command_sheet_selection("PACK-7")
    assert sheet["title"] == "Comandos - PACK-7" and sheet["captions"]["LOGOUT"] == "Cerrar sesión"
