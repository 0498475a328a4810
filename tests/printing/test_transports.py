"""Delivery: files, raw TCP (a loopback 'Zebra'), and lp, with readable failures."""

from __future__ import annotations

import os
import socket
import stat
import sys
from pathlib import Path

import pytest

from app.printing.data import LABEL_4X6
from app.printing.labels import render_labels_pdf
from app.printing.transports import PrinterUnavailable, cups_queues, send_cups, send_raw_tcp, write_file
from app.printing.zpl import render_labels_zpl
from tests.printing import samples
from tests.printing.conftest import Listener


def test_zpl_arrives_byte_identical_at_a_raw_port(listener):
    zpl = render_labels_zpl([samples.LICENSE_PLATE, samples.PRODUCT_EAN, samples.LOCATION])
    send_raw_tcp(zpl, "127.0.0.1", listener.port, timeout=5)
    assert listener.done.wait(5)
    assert bytes(listener.received) == zpl
    assert b"^BC" in zpl and b"^BE" in zpl


def test_large_job_arrives_whole(listener):
    zpl = render_labels_zpl([samples.LOCATION] * 2000)
    send_raw_tcp(zpl, "127.0.0.1", listener.port, timeout=5)
    assert listener.done.wait(5)
    assert bytes(listener.received) == zpl


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_printer_not_listening_says_connection_refused():
    port = free_port()
    with pytest.raises(PrinterUnavailable) as error:
        send_raw_tcp(b"^XA^XZ", "127.0.0.1", port, timeout=2)
    assert error.value.printer == f"127.0.0.1:{port}"
    assert "connection refused" in str(error.value)
    assert error.value.kind == "refused"
    assert str(error.value).startswith(f"Printer 127.0.0.1:{port} is unavailable")


def test_stuck_printer_times_out_instead_of_hanging():
    stuck = Listener(read=False)
    try:
        with pytest.raises(PrinterUnavailable, match=r"no answer within 0.5 s"):
            send_raw_tcp(b"x" * 64_000_000, "127.0.0.1", stuck.port, timeout=0.5)
    finally:
        stuck.close()


def test_unknown_host_name():
    with pytest.raises(PrinterUnavailable, match="unknown"):
        send_raw_tcp(b"^XA^XZ", "no-such-printer.invalid", 9100, timeout=2)


def test_pdf_file_is_written_whole(tmp_path):
    pdf = render_labels_pdf([samples.BADGE], LABEL_4X6)
    target = write_file(pdf, tmp_path / "out" / "badge.pdf")
    assert target.read_bytes() == pdf
    assert [p.name for p in target.parent.iterdir()] == ["badge.pdf"]  # no temp leftovers


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_pdf_file_is_as_readable_as_the_umask_allows(tmp_path, umask, mode):
    # A shared "PDF folder" printer must be readable by others when the umask says so.
    previous = os.umask(umask)
    try:
        target = write_file(b"%PDF", tmp_path / "shared" / "label.pdf")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(target.stat().st_mode) == mode


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_folder_is_reported(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    with pytest.raises(PrinterUnavailable, match="cannot write"):
        write_file(b"%PDF", locked / "x.pdf")


def test_file_path_that_is_a_folder_is_reported(tmp_path):
    with pytest.raises(PrinterUnavailable, match="cannot write"):
        write_file(b"%PDF", tmp_path)


def fake_lp(tmp_path: Path, *, stderr: str = "", code: int = 0) -> Path:
    """An 'lp' that records its arguments and input, and answers like CUPS does."""
    script = tmp_path / "lp"
    script.write_text(f"""#!{sys.executable}
import sys
open({str(tmp_path / 'args')!r}, 'w').write('\\n'.join(sys.argv[1:]))
open({str(tmp_path / 'stdin')!r}, 'wb').write(sys.stdin.buffer.read())
if {code}:
    sys.stderr.write({stderr!r})
    sys.exit({code})
print('request id is Labels-42 (0 file(s))')
""")
    script.chmod(0o755)
    return script


def test_pdf_job_goes_to_lp_with_the_label_media(tmp_path):
    lp = fake_lp(tmp_path)
    pdf = render_labels_pdf([samples.LOCATION], LABEL_4X6)
    job = send_cups(pdf, "Labels", media=LABEL_4X6.cups_media, title="Locations", lp=str(lp))
    assert job == "Labels-42"
    args = (tmp_path / "args").read_text().split("\n")
    assert args[:2] == ["-d", "Labels"]
    assert "media=Custom.4x6in" in args and "raw" not in args
    assert (tmp_path / "stdin").read_bytes() == pdf


def test_zpl_job_goes_to_lp_raw(tmp_path):
    lp = fake_lp(tmp_path)
    zpl = render_labels_zpl([samples.LOCATION])
    send_cups(zpl, "Zebra", raw=True, lp=str(lp))
    args = (tmp_path / "args").read_text().split("\n")
    assert args[args.index("raw") - 1] == "-o"
    assert (tmp_path / "stdin").read_bytes() == zpl


@pytest.mark.parametrize("stderr,kind,message", [
    ("lp: The printer or class does not exist.\n", "no_queue",
     "there is no print queue named 'Nope'"),
    ("lp: Scheduler is not running.\n", "cups_down", "the CUPS print service is not running"),
    ("lp: Destination \"Nope\" is not accepting jobs.\n", "not_accepting",
     "is not accepting jobs"),
    ("lp: something odd happened\n", "other", "something odd happened"),
])
def test_lp_failures_become_readable_printer_errors(tmp_path, stderr, kind, message):
    lp = fake_lp(tmp_path, stderr=stderr, code=1)
    with pytest.raises(PrinterUnavailable) as error:
        send_cups(b"%PDF", "Nope", lp=str(lp))
    assert error.value.printer == "Nope"
    assert error.value.kind == kind
    assert message in str(error.value)
    assert "Traceback" not in str(error.value)


def test_missing_lp_command(tmp_path):
    with pytest.raises(PrinterUnavailable, match="command is missing"):
        send_cups(b"%PDF", "Labels", lp=str(tmp_path / "no-lp"))


def test_hanging_lp_times_out(tmp_path):
    script = tmp_path / "lp"
    script.write_text("#!/bin/sh\nsleep 10\n")
    script.chmod(0o755)
    with pytest.raises(PrinterUnavailable, match="did not finish within 0.5 s"):
        send_cups(b"%PDF", "Labels", lp=str(script), timeout=0.5)


def fake_lpstat(tmp_path: Path, queues: str, running: bool) -> Path:
    script = tmp_path / "lpstat"
    status = "scheduler is running" if running else "scheduler is not running"
    script.write_text(f"""#!/bin/sh
case "$1" in
  -e) printf '{queues}' ;;
  -r) echo '{status}' ;;
esac
""")
    script.chmod(0o755)
    return script


def test_cups_queue_list(tmp_path):
    lpstat = fake_lpstat(tmp_path, "Labels\\nOffice\\n", running=True)
    assert cups_queues(lpstat=str(lpstat)) == ["Labels", "Office"]
    assert cups_queues(lpstat=str(fake_lpstat(tmp_path, "", running=True))) == []


def test_cups_down_is_reported_not_mistaken_for_no_queues(tmp_path):
    lpstat = fake_lpstat(tmp_path, "", running=False)
    with pytest.raises(PrinterUnavailable) as error:
        cups_queues(lpstat=str(lpstat))
    assert error.value.kind == "cups_down"
    assert "CUPS print service is not running" in str(error.value)
