"""`stockfloor print labels ...` and `stockfloor print document ...`: files with the right
barcodes, jobs through a printer, and clear refusals (exit 2) for selections that name
nothing."""

from __future__ import annotations

import argparse
import socket

import pytest

import app.cli
from app.cli import printing as print_commands
from app.printing.data import LABEL_2X1, ProductLabel
from app.printing.zpl import render_labels_zpl
from app.services import printing
from tests.factories import gtin13
from tests.printing.conftest import Listener, decoded_texts, page_texts, rasterize


@pytest.fixture(autouse=True)
def print_command(monkeypatch):
    """`print` on the command line, also before app/cli/__init__.py registers it itself."""
    build = app.cli.build_parser

    def build_with_print(*command: str) -> argparse.ArgumentParser:
        parser = build(*command)
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        if "print" not in commands.choices:
            print_commands.register(commands, app.cli._global_options())
        return parser

    monkeypatch.setattr(app.cli, "build_parser", build_with_print)


def test_location_range_on_an_a4_sheet(database, warehouse, cli, tmp_path):
    target = tmp_path / "rack-a.pdf"
    result = cli("--database", database.url, "print", "labels", "locations", "--range", "A-01-01", "A-03-01",
                 "--size", "a4-3x8", "--arrow", "up", "-o", target)
    assert (result.code, result.err) == (0, f"3 labels written to {target}\n")
    [page] = rasterize(target.read_bytes())
    assert decoded_texts(page) == ["A-01-01", "A-02-01", "A-03-01"]


def test_product_labels_as_zpl_are_what_the_renderer_makes(database, warehouse, cli, tmp_path):
    target = tmp_path / "shelf.zpl"
    result = cli("--database", database.url, "print", "labels", "products", "--sku", "WIDGET", "GADGET",
                 "--size", "2x1", "-o", target)
    assert result.code == 0, result.err
    expected = render_labels_zpl([ProductLabel("WIDGET", "Widget, blue", gtin13(1), "ean13"),
                                  ProductLabel("GADGET", "Gadget", gtin13(2), "ean13")], LABEL_2X1)
    assert target.read_bytes() == expected


def test_command_sheet_badges_and_receiving_labels(database, warehouse, cli, receive, tmp_path):
    commands = tmp_path / "commands.pdf"
    assert cli("--database", database.url, "print", "labels", "commands", "-o", commands).code == 0
    found = [code for page in rasterize(commands.read_bytes()) for code in decoded_texts(page)]
    assert sorted(found) == sorted(f"SF:{name}" for name in printing.SHEET_COMMANDS)
    badge = tmp_path / "badge.pdf"
    assert cli("--database", database.url, "print", "labels", "badges", "--codes", "B-SUP", "-o", badge).code == 0
    assert decoded_texts(rasterize(badge.read_bytes())[0]) == ["B-SUP"]
    receive(gtin13(1), quantity=2)
    labels = tmp_path / "received.pdf"
    result = cli("--database", database.url, "print", "labels", "receiving", "--order", "PO-1001",
                 "--per", "unit", "-o", labels)
    assert result.err == f"2 labels written to {labels}\n"
    assert [decoded_texts(p) for p in rasterize(labels.read_bytes())] == [[f"(01)0{gtin13(1)}"]] * 2


def test_receiving_report_document(database, warehouse, cli, receive, tmp_path):
    receive(gtin13(2), quantity=5)
    target = tmp_path / "po.pdf"
    result = cli("--database", database.url, "print", "document", "receiving-report", "PO-1001", "-o", target)
    assert (result.code, result.err) == (0, f"document written to {target}\n")
    text = page_texts(target.read_bytes())[0]
    assert "Receiving report PO-1001" in text and "Supplier: ACME" in text
    assert "Lines: 3, expected 35, received 5, difference -30" in text
    polish = tmp_path / "po-pl.pdf"
    assert cli("--database", database.url, "print", "document", "receiving-report", "PO-1001",
               "--language", "pl", "-o", polish).code == 0
    text = page_texts(polish.read_bytes())[0]
    assert "Raport przyjęcia PO-1001" in text and "Dostawca: ACME" in text and "Strona 1 z 1" in text


@pytest.mark.parametrize("args, message", [
    (("labels", "locations", "--codes", "A-01-01", "NOPE-1"), "Location 'NOPE-1' does not exist."),
    (("labels", "locations", "--range", "Q-01", "Q-09"), "Nothing to print: no locations from Q-01 to Q-09."),
    (("labels", "products", "--range", "A", "B"), "--range: only locations are printed by range"),
    (("labels", "locations"), "locations: give location codes or a range"),
    (("labels", "products", "--sku", "WIDGET", "--size", "a4", "--format", "zpl"),
     "size: ZPL is for thermal labels: 2x1, 4x3 or 4x6, not sheets or documents"),
    (("document", "receiving-report", "PO-9"), "Purchase order 'PO-9' does not exist."),
])
def test_bad_selectors_are_refused_with_a_clear_message(database, warehouse, cli, tmp_path, args, message):
    target = tmp_path / "out.pdf"
    result = cli("--database", database.url, "print", *args, "-o", target)
    assert (result.code, result.err) == (2, f"stockfloor: {message}\n")
    assert not target.exists()


def test_missing_destination_is_a_usage_error(database, warehouse, cli):
    result = cli("--database", database.url, "print", "labels", "commands")
    assert result.code == 2 and "one of the arguments -o/--output --printer is required" in result.err


def test_printing_through_a_profile_records_the_job(database, warehouse, cli, as_supervisor):
    printer = Listener()
    try:
        tx = printing.Transactions(database)
        tx.run(printing.save_profile, printing.Profile("PACK-7", "labels", "zpl_tcp", f"127.0.0.1:{printer.port}",
                                                       "4x3", name="Zebra pack"), actor=warehouse.admin)
        result = cli("--database", database.url, "print", "labels", "locations", "--codes", "B-01-01",
                     "--printer", "Zebra pack")
        assert result.code == 0, result.err
        [job] = tx.query(printing.recent_jobs)
        assert result.err == f"Print job {job.id}: 1 label sent to 127.0.0.1:{printer.port}\n"
        assert printer.done.wait(5) and bytes(printer.received) == tx.query(printing.job_content, job.id)
    finally:
        printer.close()


def test_an_offline_printer_keeps_the_job_and_exits_1(database, warehouse, cli, as_supervisor):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    tx = printing.Transactions(database)
    tx.run(printing.save_profile, printing.Profile("WS-TEST", "labels", "zpl_tcp", f"127.0.0.1:{port}", "4x6"),
           actor=warehouse.admin)
    result = cli("--database", database.url, "print", "labels", "commands", "--printer", "WS-TEST/labels")
    assert result.code == 1
    [job] = tx.query(printing.recent_jobs)
    assert job.failed and "connection refused" in result.err
    assert f"Print job {job.id} is kept as failed" in result.err
    unknown = cli("--database", database.url, "print", "labels", "commands", "--printer", "NoSuchPrinter")
    assert unknown.code == 2 and "no printer profile" in unknown.err and "'NoSuchPrinter'" in unknown.err


def test_a_command_called_in_process_leaves_the_collector_as_it_was(database, warehouse, cli, tmp_path):
    """Only the `stockfloor` process itself freezes its loaded modules out of the collector's
    walk (app.cli.settle_heap); a test or a script calling main() keeps its garbage collectable."""
    import gc

    frozen, threshold = gc.get_freeze_count(), gc.get_threshold()
    result = cli("--database", database.url, "print", "labels", "locations", "--range", "A-01-01", "A-03-01",
                 "-o", tmp_path / "rack.pdf")
    assert result.code == 0
    assert gc.isenabled() and (gc.get_freeze_count(), gc.get_threshold()) == (frozen, threshold)


def test_location_labels_from_the_command_process(database, warehouse, tmp_path):
    """`python -m app print labels ...` as its own process (collector off while the modules load,
    frozen once they are): the labels are the same as in-process."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    out = tmp_path / "rack.pdf"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run([sys.executable, "-m", "app", "--database", database.url, "print", "labels", "locations",
                           "--range", "A-01-01", "A-03-01", "-o", str(out)], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert [t.split()[0] for t in page_texts(out.read_bytes())] == ["A-01-01", "A-02-01", "A-03-01"]


@pytest.mark.parametrize(("options", "selection", "size", "fmt", "copies"), [
    (("--range", "A-01-01", "A-03-01"), {"range": ["A-01-01", "A-03-01"]}, "4x3", "pdf", 1),
    (("--range", " b-03-01 ", "A-02", "--size", "a4-3x8", "--arrow", "up", "--copies", "2"),
     {"range": ["b-03-01", "A-02"], "arrow": "up"}, "a4-3x8", "pdf", 2),
    (("--codes", "B-02-01", "A-01-01", "B-02-01", "--arrow", "left"),
     {"codes": ["B-02-01", "A-01-01", "B-02-01"], "arrow": "left"}, "4x3", "pdf", 1),
    (("--range", "A-01-01", "B-01-01", "--size", "2x1", "--format", "zpl", "--copies", "3"),
     {"range": ["A-01-01", "B-01-01"]}, "2x1", "zpl", 3),
], ids=["range", "sheet-arrow-copies", "codes", "zpl"])
def test_location_label_files_are_what_the_print_service_renders(database, warehouse, cli, tmp_path, monkeypatch,
                                                                options, selection, size, fmt, copies):
    """`print labels locations ... -o FILE` reads its labels without the job machinery
    (app/cli/printing._write_location_labels): the file is the print service's, byte for byte."""
    from reportlab import rl_config

    from app.db.uow import UnitOfWork
    from app.services.printing.jobs import build

    monkeypatch.setattr(rl_config, "invariant", 1)  # no creation date or random id in the PDF
    target = tmp_path / f"labels.{fmt}"
    result = cli("--database", database.url, "print", "labels", "locations", *options, "-o", target)
    assert result.code == 0, result.err
    with UnitOfWork(database, write=False) as uow:
        data = build(uow.session, "locations", selection, size)
    assert result.err == f"{len(data) * copies} labels written to {target}\n"
    assert target.read_bytes() == printing.render(data, what="locations", kind="labels", fmt=fmt, size=size,
                                                  copies=copies)


def _modules_loaded(database, tmp_path, prefixes: tuple[str, ...], env: dict[str, str] | None = None) -> str:
    """`print labels locations --range A-01-01 B-03-01 -o FILE` in a process of its own: its exit
    code and the loaded modules starting with one of ``prefixes``."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = ("import sys\nfrom app.cli import main\n"
              f"code = main(['--database', {database.url!r}, 'print', 'labels', 'locations', '--range', 'A-01-01',"
              f" 'B-03-01', '-o', {str(tmp_path / 'rack.pdf')!r}])\n"
              f"print(code, sorted(m for m in sys.modules if m.startswith({prefixes!r})))\n")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2]), **(env or {})}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.stdout, done.stderr
    return done.stdout.strip()


def test_location_label_files_load_neither_the_orm_nor_the_print_jobs(database, warehouse, tmp_path):
    """What makes a rack of labels quick: the command reads them without the ORM or the job machinery."""
    assert _modules_loaded(database, tmp_path, ("sqlalchemy.orm", "app.db.models", "app.services.printing")) == "0 []"


def test_location_label_files_of_a_current_database_do_not_load_sqlalchemy(database, warehouse, tmp_path):
    """...and from a database it may read as it is, through the driver alone (app/db/direct.py);
    given --database, it looks up no user folder either (platformdirs)."""
    assert _modules_loaded(database, tmp_path, ("sqlalchemy", "alembic", "app.db.engine", "app.db.uow",
                                                "platformdirs", "PySide6", "biip")) == "0 []"


def test_location_label_files_as_a_user_read_the_usual_way(database, warehouse, as_supervisor, cli, tmp_path,
                                                           monkeypatch):
    """A log-in (here a token) goes through the services, so the database is opened the usual way:
    same labels; and a database asking for a newer client is refused as by every command."""
    from sqlalchemy import text

    target = tmp_path / "rack.pdf"
    result = cli("--database", database.url, "print", "labels", "locations", "--range", "A-01-01", "A-03-01",
                 "-o", target)
    assert (result.code, result.err) == (0, f"3 labels written to {target}\n")
    assert [t.split()[0] for t in page_texts(target.read_bytes())] == ["A-01-01", "A-02-01", "A-03-01"]
    monkeypatch.delenv("STOCKFLOOR_TOKEN")
    property_ = text("UPDATE database_properties SET value = :v WHERE name = 'min_client_version'")
    with database.engine.connect() as conn:
        before = conn.execute(text("SELECT value FROM database_properties WHERE name = 'min_client_version'")).scalar()
    with database.writer.begin() as conn:
        conn.execute(property_, {"v": "99.1.0"})
    try:
        result = cli("--database", database.url, "print", "labels", "locations", "--range", "A-01-01", "A-03-01",
                     "-o", target)
    finally:
        with database.writer.begin() as conn:
            conn.execute(property_, {"v": before})
    assert result.code == 2 and "needs Stockfloor 99.1.0 or newer" in result.err, result.err


@pytest.mark.parametrize("given", ["", "4711\n"])
def test_a_pin_prompt_whose_input_ends_gives_words_not_a_traceback(database, warehouse, tmp_path, given):
    """`--user NAME` with nothing to type the PIN at (a job started without a terminal or a
    token): the command says what to do and exits 2 (a refusal), with no traceback; a PIN piped
    in is read."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    env.pop("STOCKFLOOR_TOKEN", None)
    done = subprocess.run([sys.executable, "-m", "app", "--database", database.url, "--user", "olga", "db", "check"],
                          env=env, input=given, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2
    if not given:
        assert "The input ended before the PIN for olga was typed" in done.stderr, done.stderr
        assert "STOCKFLOOR_TOKEN" in done.stderr
    else:  # read, and refused as the wrong PIN
        assert "The input ended" not in done.stderr and "PIN" in done.stderr, done.stderr
