"""Real CUPS queues, when the machine has them (CI runs tests/printing/setup_cups.sh).

STOCKFLOOR_TEST_CUPS_QUEUE      cups-pdf queue (PDF jobs come out as files...)
STOCKFLOOR_TEST_CUPS_OUT        ...in this folder (cups-pdf's Out)
STOCKFLOOR_TEST_CUPS_RAW_QUEUE  raw queue forwarding to socket://127.0.0.1:PORT
STOCKFLOOR_TEST_CUPS_RAW_PORT   ...this PORT, where the test plays the printer
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from app.printing.data import LABEL_4X6
from app.printing.labels import render_labels_pdf
from app.printing.transports import PrinterUnavailable, cups_queues, send_cups
from app.printing.zpl import render_labels_zpl
from tests.printing import samples
from tests.printing.conftest import Listener, decoded_texts, rasterize

# One CUPS queue, output folder and raw port for the whole run: one such test at a time.
pytestmark = pytest.mark.cups


def _queue(variable: str) -> str:
    """The queue named by ``variable``; skip when unset, fail when set but unusable
    (whoever set it, e.g. CI, meant the test to run)."""
    name = os.environ.get(variable)
    if not name:
        pytest.skip(f"{variable} not set (as root: sh tests/printing/setup_cups.sh DIR, "
                    "see test_cups.py)")
    if not shutil.which("lpstat"):
        pytest.fail(f"{variable}={name} but lpstat is not installed (cups-client)")
    try:
        queues = cups_queues(timeout=10)
    except PrinterUnavailable as error:
        pytest.fail(f"{variable}={name} but CUPS is not usable: {error}")
    if name not in queues:
        pytest.fail(f"{variable}={name} but lpstat shows no such queue (queues: {queues})")
    return name


def _wait_for_file(folder: Path, stem: str, timeout: float = 60) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [p for p in folder.glob(f"{stem}*.pdf") if p.stat().st_size > 0]
        if found:
            time.sleep(0.3)  # cups-pdf may still be closing the file
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"cups-pdf wrote no {stem}*.pdf into {folder} in {timeout:g} s")


def test_label_pdf_printed_through_cups_pdf_still_scans_at_label_size():
    queue = _queue("STOCKFLOOR_TEST_CUPS_QUEUE")
    out = os.environ.get("STOCKFLOOR_TEST_CUPS_OUT")
    pdf = render_labels_pdf([samples.LICENSE_PLATE], LABEL_4X6)
    title = f"stockfloor-test-{uuid.uuid4().hex[:8]}"
    job = send_cups(pdf, queue, media=LABEL_4X6.cups_media, title=title)
    assert job.startswith(f"{queue}-")
    if not out:
        pytest.skip("STOCKFLOOR_TEST_CUPS_OUT not set: job accepted, output not checked")
    printed = _wait_for_file(Path(out), title).read_bytes()
    import pypdfium2

    document = pypdfium2.PdfDocument(printed)
    assert len(document) == 1
    assert document[0].get_size() == pytest.approx((288, 432), abs=1)  # 4 x 6 in, not A4
    [page] = rasterize(printed)
    assert set(decoded_texts(page)) == {samples.HRI_SSCC, samples.HRI_CONTENTS}


def test_unknown_queue_is_reported_by_name():
    _queue("STOCKFLOOR_TEST_CUPS_QUEUE")
    with pytest.raises(PrinterUnavailable, match="no print queue named 'NoSuchQueue'"):
        send_cups(b"%PDF-1.4", "NoSuchQueue")


def test_zpl_through_a_raw_cups_queue_arrives_byte_identical():
    queue = _queue("STOCKFLOOR_TEST_CUPS_RAW_QUEUE")
    port = int(os.environ.get("STOCKFLOOR_TEST_CUPS_RAW_PORT", "9109"))
    printer = Listener(port=port)
    try:
        zpl = render_labels_zpl([samples.LICENSE_PLATE, samples.PRODUCT_EAN])
        send_cups(zpl, queue, raw=True, title="stockfloor-zpl")
        assert printer.done.wait(60), "CUPS did not deliver the job to the listener"
        assert bytes(printer.received) == zpl
    finally:
        printer.close()
        subprocess.run(["cancel", "-a", queue], capture_output=True, check=False)
