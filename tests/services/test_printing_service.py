"""Printing as a service, on every backend: jobs are recorded, rendered, sent to a loopback
'Zebra' or a folder, fail with a reason when the printer is away and succeed on retry;
profiles are per workstation; labels carry what the database says (decoded by zxing-cpp)."""

from __future__ import annotations

import datetime as dt
import os
import socket
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import update

from app.core import clock
from app.core.errors import InvalidInput, NotAllowed, NotFound
from app.db.models import LicensePlate, Location, Lot
from app.db.models_printing import PrintJob
from app.db.uow import UnitOfWork
from app.printing.data import LABEL_4X3, LocationLabel
from app.printing.zpl import render_labels_zpl
from app.services import ledger, printing
from app.services.config import special_location
from app.services.printing import JobAlreadySent, JobTooOld, NothingToPrint, Profile
from app.services.receiving import receipts as receiving
from tests.factories import gtin13
from tests.printing.conftest import Listener, decoded_texts, page_texts, rasterize

MILK_GS1 = "]C10109501101530003" + "10L7\x1d" + "17271231"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def tx(database):
    return printing.Transactions(database)


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def set_printer(tx, warehouse, kind="labels", workstation="WS-TEST", **fields) -> Profile:
    profile = Profile(workstation, kind, **fields)
    return tx.run(printing.save_profile, profile, actor=warehouse.admin)


def print_now(tx, actor, what, selection=None, **kwargs):
    job = tx.run(printing.queue_print, what, selection or {}, actor=actor, **kwargs)
    assert job.status == "queued"
    return printing.run_job(tx, job.id)


def stored_job(database, job_id):
    """The job's row as it is in the database (status, content, ...)."""
    with UnitOfWork(database, write=False) as uow:
        job = uow.session.get(PrintJob, job_id)
        uow.session.expunge(job)  # readable after the session closes
        return job


def pdf_of(tx, job_id) -> bytes:
    return tx.query(printing.job_content, job_id)


# --------------------------------------------------------------------------- jobs


def test_zpl_job_reaches_a_raw_tcp_printer_byte_identical(database, warehouse, tx, listener):
    set_printer(tx, warehouse, output="zpl_tcp", target=f"127.0.0.1:{listener.port}", size="4x3",
                darkness=18, offset_x=8, offset_y=4, name="Zebra dock")
    job = print_now(tx, warehouse.operator, "locations", {"range": ["A-01-01", "A-03-01"]})
    assert (job.status, job.count, job.format, job.attempts) == ("sent", 3, "zpl", 1)
    assert job.printer == f"127.0.0.1:{listener.port}" and job.workstation == "WS-TEST"
    assert listener.done.wait(5)
    expected = render_labels_zpl([LocationLabel(code, code) for code in ("A-01-01", "A-02-01", "A-03-01")],
                                 LABEL_4X3, dpi=203, darkness=18, offset_dots=(8, 4))
    assert bytes(listener.received) == expected
    assert stored_job(database, job.id).content == expected


def test_offline_printer_fails_with_its_reason_and_a_retry_prints(database, warehouse, tx):
    port = free_port()
    set_printer(tx, warehouse, output="zpl_tcp", target=f"127.0.0.1:{port}", size="2x1")
    started = time.monotonic()
    job = print_now(tx, warehouse.operator, "products", {"codes": ["WIDGET", "GADGET"]})
    assert time.monotonic() - started < 8  # refused at once, not a hang
    assert (job.status, job.reason_kind, job.attempts) == ("failed", "refused", 1)
    assert "connection refused" in job.reason and f"127.0.0.1:{port}" in job.reason
    assert [j.id for j in tx.query(printing.recent_jobs, workstation="WS-TEST")] == [job.id]

    printer = Listener(port=port)  # the printer is switched on
    try:
        queued = tx.run(printing.retry_job, job.id, actor=warehouse.operator)
        assert (queued.status, queued.reason) == ("queued", None)
        done = printing.run_job(tx, job.id)
        assert (done.status, done.attempts, done.reason) == ("sent", 2, None)
        assert printer.done.wait(5)
        assert bytes(printer.received) == stored_job(database, job.id).content
        assert b"^BE" in printer.received  # the products' EAN-13s
    finally:
        printer.close()
    with pytest.raises(JobAlreadySent):
        tx.run(printing.retry_job, job.id, actor=warehouse.operator)


def test_a_job_is_recorded_before_anything_is_sent(database, warehouse, tx, tmp_path):
    set_printer(tx, warehouse, output="pdf_file", target=str(tmp_path / "out"), size="4x6")
    job = tx.run(printing.queue_print, "badges", {"codes": ["B-OP1"]}, actor=warehouse.operator)
    assert stored_job(database, job.id).status == "queued" and not (tmp_path / "out").exists()
    done = printing.run_job(tx, job.id)
    assert done.status == "sent" and Path(done.printer).parent == tmp_path / "out"
    [page] = rasterize(Path(done.printer).read_bytes())
    assert decoded_texts(page) == ["B-OP1"]
    assert printing.run_job(tx, job.id).attempts == 1  # sent stays sent: nothing twice


def test_reprint_goes_to_my_printer_and_only_within_the_window(database, warehouse, tx, tmp_path):
    set_printer(tx, warehouse, output="pdf_file", target=str(tmp_path / "ws1"), size="4x3")
    set_printer(tx, warehouse, workstation="WS-TEST-2", output="pdf_file", target=str(tmp_path / "ws2"),
                size="4x3")
    first = print_now(tx, warehouse.operator, "locations", {"codes": ["B-02-01"], "arrow": "up"})
    again = tx.run(printing.reprint_job, first.id, actor=warehouse.operator2)
    assert (again.reprint_of, again.workstation, again.status) == (first.id, "WS-TEST-2", "queued")
    again = printing.run_job(tx, again.id)
    assert Path(again.printer).parent == tmp_path / "ws2"
    assert Path(again.printer).read_bytes() == Path(first.printer).read_bytes()
    with UnitOfWork(database) as uow:
        uow.session.execute(update(PrintJob).where(PrintJob.id == first.id)
                            .values(created_at=clock.now() - dt.timedelta(days=8)))
        uow.commit()
    with pytest.raises(JobTooOld, match=r"only jobs of the last 7 days"):
        tx.run(printing.reprint_job, first.id, actor=warehouse.operator)
    assert first.id not in [j.id for j in tx.query(printing.recent_jobs)]


def test_idempotency_key_records_one_job(warehouse, tx):
    key = uuid.uuid4().hex
    one = tx.run(printing.queue_print, "commands", {}, actor=warehouse.operator, idempotency_key=key)
    two = tx.run(printing.queue_print, "commands", {}, actor=warehouse.operator, idempotency_key=key)
    assert one.id == two.id


# --------------------------------------------------------------------------- profiles


def test_profiles_are_kept_per_workstation(warehouse, tx, tmp_path):
    default = tx.query(printing.profile_for, "WS-NEW", "labels")
    assert (default.output, default.stored, default.size) == ("pdf_file", False, "4x6")
    set_printer(tx, warehouse, output="zpl_tcp", target="zebra-1", size="4x6", dpi=300)
    set_printer(tx, warehouse, workstation="WS-TEST-2", output="pdf_cups", target="Office", size="a4-3x8")
    set_printer(tx, warehouse, kind="documents", output="system", target="Laser 2", size="letter")
    mine = tx.query(printing.profiles_of, "WS-TEST")
    assert (mine["labels"].output, mine["labels"].target, mine["labels"].dpi) == ("zpl_tcp", "zebra-1:9100", 300)
    assert (mine["documents"].output, mine["documents"].size) == ("system", "letter")
    other = tx.query(printing.profile_for, "WS-TEST-2", "labels")
    assert (other.output, other.target, other.size) == ("pdf_cups", "Office", "a4-3x8")
    assert tx.query(printing.known_workstations) == ["WS-TEST", "WS-TEST-2"]
    # A job takes its workstation's printer.
    job = tx.run(printing.queue_print, "locations", {"codes": ["A-01-01"]}, actor=warehouse.operator2)
    assert (job.output, job.printer, job.size, job.format) == ("pdf_cups", "Office", "a4-3x8", "pdf")
    tx.run(printing.remove_profile, "WS-TEST-2", "labels", actor=warehouse.admin)
    assert tx.query(printing.profile_for, "WS-TEST-2", "labels").stored is False


def test_profiles_are_checked_and_kept_for_supervisors(warehouse, tx):
    with pytest.raises(NotAllowed):
        tx.run(printing.save_profile, Profile("WS-TEST", "labels", "pdf_file"), actor=warehouse.operator)
    with pytest.raises(InvalidInput, match="ZPL printers print thermal labels"):
        set_printer(tx, warehouse, output="zpl_tcp", target="zebra", size="a4-3x8")
    with pytest.raises(InvalidInput, match="documents print on A4 or Letter"):
        set_printer(tx, warehouse, kind="documents", output="pdf_file", size="4x6")
    with pytest.raises(InvalidInput, match="not a port number"):
        set_printer(tx, warehouse, output="zpl_tcp", target="zebra:printer", size="4x6")
    with pytest.raises(InvalidInput, match="choose the printer"):
        set_printer(tx, warehouse, output="pdf_cups", target=" ", size="4x6")


# --------------------------------------------------------------------------- label data


def labels_pdf(tx, tmp_path, warehouse, what, selection, size="4x6"):
    set_printer(tx, warehouse, output="pdf_file", target=str(tmp_path), size=size)
    job = print_now(tx, warehouse.operator, what, selection)
    assert job.status == "sent", job.reason
    return job, Path(job.printer).read_bytes()


def test_a_location_range_on_a_sheet_scans_as_those_locations(warehouse, tx, tmp_path):
    job, pdf = labels_pdf(tx, tmp_path, warehouse, "locations", {"range": ["A-02-01", "B-01-01"]},
                          size="a4-3x8")
    assert job.count == 3 and job.title == "A-02-01 - B-01-01"
    [page] = rasterize(pdf)
    assert decoded_texts(page) == ["A-02-01", "A-03-01", "B-01-01"]


def test_a_range_reaches_every_code_that_starts_with_its_end(warehouse, tx):
    codes = [label.code for label in tx.query(printing_build, "locations", {"range": ["B", "A-02"]})]
    assert codes == ["A-02-01", "A-03-01", "B-01-01", "B-02-01", "B-03-01"]


def printing_build(session, what, selection, size="4x6"):
    from app.services.printing.jobs import build

    return build(session, what, selection, size)


def test_bad_selections_say_what_is_wrong_and_record_nothing(database, warehouse, tx):
    with pytest.raises(NotFound, match=r"Location 'Z-99-99' does not exist"):
        tx.run(printing.queue_print, "locations", {"codes": ["A-01-01", "Z-99-99"]}, actor=warehouse.operator)
    with pytest.raises(NothingToPrint, match="no locations from X-01 to X-09"):
        tx.run(printing.queue_print, "locations", {"range": ["X-01", "X-09"]}, actor=warehouse.operator)
    with pytest.raises(NotFound, match="Product 'NOPE'"):
        tx.run(printing.queue_print, "products", {"codes": ["NOPE"]}, actor=warehouse.operator)
    with pytest.raises(NothingToPrint, match="nothing was received on PO-1002"):
        tx.run(printing.queue_print, "receiving_labels", {"order": "PO-1002"}, actor=warehouse.operator)
    assert tx.query(printing.recent_jobs) == []


def receive(database, warehouse, scan, quantity=None):
    with UnitOfWork(database) as uow:
        return receiving.receive_scan(uow, warehouse.orders["PO-1001"].id, scan, actor=warehouse.operator,
                                      idempotency_key=uuid.uuid4().hex, quantity=quantity)


def test_receiving_labels_carry_gtin_lot_expiry_and_quantity(database, warehouse, tx, tmp_path):
    receive(database, warehouse, gtin13(1), quantity=3)
    receive(database, warehouse, MILK_GS1, quantity=4)
    receive(database, warehouse, gtin13(2))
    with UnitOfWork(database) as uow:  # the GADGET scan was a mistake
        receiving.undo_last_receipt_scan(uow, warehouse.orders["PO-1001"].id, actor=warehouse.operator)
    job, pdf = labels_pdf(tx, tmp_path, warehouse, "receiving_labels", {"order": "PO-1001"}, size="4x3")
    assert job.count == 2
    assert [decoded_texts(page) for page in rasterize(pdf)] == [
        [f"(01)0{gtin13(1)}(30)3"], ["(01)09501101530003(17)271231(10)L7(30)4"]]
    per_unit = tx.query(printing_build, "receiving_labels", {"order": "PO-1001", "per": "unit"})
    assert len(per_unit) == 7 and {label.qty for label in per_unit} == {None}
    last = tx.query(printing_build, "receiving_labels",
                    {"order": "PO-1001", "last_of_user": warehouse.operator.user_id})
    assert [(label.sku, label.qty, label.lot) for label in last] == [("MILK", 4, "L7")]


def test_sscc_license_plate_gets_a_gs1_logistic_label(database, warehouse, tx, tmp_path):
    from app.core.checkdigits import make_sscc

    sscc = make_sscc(0, "4006381", 42)
    with UnitOfWork(database) as uow:
        plate = LicensePlate(code=sscc, is_sscc=True)
        lot = Lot(product_id=warehouse.products["MILK"].id, code="L9", expiry=dt.date(2027, 3, 31))
        uow.session.add_all([plate, lot])
        uow.session.flush()
        ledger.post_move(uow.session, actor=warehouse.operator, product_id=warehouse.products["MILK"].id,
                         quantity=24, source=special_location(uow.session, "supplier"),
                         destination=uow.session.get(Location, warehouse.locations["A-01-01"].id),
                         reason="opening_balance", idempotency_key=uuid.uuid4().hex, lot_id=lot.id,
                         to_license_plate_id=plate.id)
        uow.commit()
    job, pdf = labels_pdf(tx, tmp_path, warehouse, "license_plates", {"codes": [sscc]})
    [page] = rasterize(pdf)
    assert set(decoded_texts(page)) == {f"(00){sscc}", "(02)09501101530003(17)270331(37)24(10)L9"}
    assert "MILK Milk 1 l" in page_texts(pdf)[0]


def test_command_sheet_holds_every_command_barcode(warehouse, tx, tmp_path):
    job, pdf = labels_pdf(tx, tmp_path, warehouse, "commands", {}, size="4x6")
    found = sorted(code for page in rasterize(pdf) for code in decoded_texts(page))
    expected = sorted(f"SF:{name}" for name in printing.SHEET_COMMANDS)
    assert found == expected and "SF:PRINT" in found and "SF:GRADE-D" in found and "SF:QTY" in found
    assert job.count == len(rasterize(pdf)) >= 2  # 13 commands do not fit one 4x6 label
    assert "Log out" in "".join(page_texts(pdf))


def test_badges_of_every_active_user(warehouse, tx, tmp_path):
    job, pdf = labels_pdf(tx, tmp_path, warehouse, "badges", {}, size="4x3")
    assert [decoded_texts(page) for page in rasterize(pdf)] == [["B-OP1"], ["B-OP2"], ["B-SUP"]]


# --------------------------------------------------------------------------- documents


def test_receiving_report_and_putaway_list(database, warehouse, tx, tmp_path):
    receive(database, warehouse, gtin13(1), quantity=3)
    receive(database, warehouse, MILK_GS1, quantity=4)
    set_printer(tx, warehouse, kind="documents", output="pdf_file", target=str(tmp_path), size="a4")
    report = print_now(tx, warehouse.operator, "receiving_report", {"order": "PO-1001"})
    assert (report.status, report.count, report.size) == ("sent", 1, "a4")
    text = page_texts(Path(report.printer).read_bytes())[0]
    assert "Receiving report PO-1001" in text and "Olga Operator" in text and "L7" in text
    assert "Lines: 3, expected 35, received 7, difference -28" in text
    putaway = print_now(tx, warehouse.operator, "putaway_list", {"source": "DOCK-1"})
    pdf = Path(putaway.printer).read_bytes()
    text = page_texts(pdf)[0]
    assert "Put-away list DOCK-1" in text and "WIDGET" in text and "MILK" in text
    codes = decoded_texts(rasterize(pdf, dpi=300)[0])
    assert codes and set(codes) <= {"A-01-01", "A-02-01", "A-03-01", "B-01-01", "B-02-01", "B-03-01"}
    with pytest.raises(InvalidInput, match="documents print on A4 or Letter"):
        tx.run(printing.queue_print, "receiving_report", {"order": "PO-1001"}, actor=warehouse.operator,
               size="4x6")


# --------------------------------------------------------------------------- a real CUPS queue


@pytest.mark.cups  # one CUPS queue and output folder for the whole run
def test_location_label_through_a_real_cups_queue(warehouse, tx):
    queue = os.environ.get("STOCKFLOOR_TEST_CUPS_QUEUE")
    out = os.environ.get("STOCKFLOOR_TEST_CUPS_OUT")
    if not queue or not out:
        pytest.skip("STOCKFLOOR_TEST_CUPS_QUEUE / _OUT not set (see tests/printing/test_cups.py)")
    before = set(Path(out).glob("*.pdf"))
    set_printer(tx, warehouse, output="pdf_cups", target=queue, size="4x3")
    job = print_now(tx, warehouse.operator, "locations", {"codes": ["B-03-01"], "arrow": "right"})
    assert job.status == "sent", job.reason
    assert job.printer.startswith(f"{queue} {queue}-")
    deadline = time.monotonic() + 60
    while not (new := [p for p in set(Path(out).glob("*.pdf")) - before if p.stat().st_size]):
        assert time.monotonic() < deadline, "cups-pdf wrote nothing"
        time.sleep(0.2)
    time.sleep(0.3)  # cups-pdf may still be closing the file
    import pypdfium2

    printed = new[0].read_bytes()
    assert pypdfium2.PdfDocument(printed)[0].get_size() == pytest.approx((288, 216), abs=1)
    assert decoded_texts(rasterize(printed)[0]) == ["B-03-01"]
