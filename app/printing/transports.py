"""Deliver rendered bytes: to a file, to a raw TCP port (ZPL), or to a CUPS queue.

Every failure becomes ``PrinterUnavailable(printer, reason)`` with a sentence an
operator can act on; no raw socket or subprocess traceback reaches the UI.  No global
state and an explicit timeout everywhere, so callers can run these in a worker thread.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import socket
import subprocess
from collections.abc import Sequence
from pathlib import Path


class PrinterUnavailable(Exception):
    """``reason`` is an English sentence for logs and the CLI; ``kind`` is a stable code
    the UI can map to a translated message: refused, timeout, unknown_host, network,
    no_queue, cups_down, not_accepting, forbidden, lp_missing, write_failed, other."""

    def __init__(self, printer: str, reason: str, kind: str = "other"):
        self.printer = printer
        self.reason = reason
        self.kind = kind
        super().__init__(f"Printer {printer} is unavailable: {reason}")


def write_file(data: bytes, path: str | Path) -> Path:
    """Write atomically (temp file + rename), so a reader never sees half a PDF. The file gets
    the permissions the user's umask allows (a shared PDF folder stays readable to others)."""
    path = Path(path)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        raise PrinterUnavailable(str(path), f"cannot write the file ({error.strerror or error})",
                                 "write_failed") from None
    return path


def send_raw_tcp(data: bytes, host: str, port: int = 9100, *, timeout: float = 5.0) -> None:
    """Send bytes to a printer's raw port (JetDirect/9100), e.g. ZPL to a Zebra."""
    printer = f"{host}:{port}"
    try:
        with socket.create_connection((host, port), timeout=timeout) as connection:
            connection.sendall(data)
            connection.shutdown(socket.SHUT_WR)  # tell the printer the job is complete
    except socket.gaierror:
        raise PrinterUnavailable(printer, f"the host name {host!r} is unknown",
                                 "unknown_host") from None
    except ConnectionRefusedError:
        raise PrinterUnavailable(
            printer, "connection refused: the printer is off or not listening on this port",
            "refused") from None
    except TimeoutError:
        raise PrinterUnavailable(printer, f"no answer within {timeout:g} s", "timeout") from None
    except OSError as error:
        raise PrinterUnavailable(printer, f"network error: {error.strerror or error}",
                                 "network") from None


# Known lp/lpstat complaints, and what to tell the operator instead.
_LP_ERRORS = [
    (r"does not exist|Unknown destination|unknown printer", "no_queue",
     "there is no print queue named {q}"),
    (r"[Ss]cheduler is not running|Unable to connect|Connection refused", "cups_down",
     "the CUPS print service is not running"),
    (r"not accepting jobs", "not_accepting", "the print queue {q} is not accepting jobs"),
    (r"Forbidden|[Nn]ot authorized", "forbidden", "not allowed to print to {q}"),
]


def _lp_error(stderr: str, queue: str, printer: str) -> PrinterUnavailable:
    for pattern, kind, message in _LP_ERRORS:
        if re.search(pattern, stderr):
            return PrinterUnavailable(printer, message.format(q=repr(queue)), kind)
    last = stderr.strip().splitlines()[-1] if stderr.strip() else "lp failed"
    return PrinterUnavailable(printer, last)


def _run(command: Sequence[str], printer: str, *, data: bytes | None, timeout: float):
    try:
        return subprocess.run(list(command), input=data, capture_output=True, timeout=timeout,
                              check=False)
    except FileNotFoundError:
        raise PrinterUnavailable(
            printer, f"the {command[0]!r} command is missing (install the CUPS client)",
            "lp_missing") from None
    except subprocess.TimeoutExpired:
        raise PrinterUnavailable(printer, f"{command[0]} did not finish within {timeout:g} s",
                                 "timeout") from None
    except OSError as error:
        raise PrinterUnavailable(printer, f"cannot run {command[0]}: {error}") from None


def send_cups(data: bytes, queue: str, *, raw: bool = False, media: str | None = None,
              title: str = "Stockfloor", copies: int = 1, options: Sequence[str] = (),
              timeout: float = 30.0, lp: str = "lp") -> str:
    """Submit a job with ``lp`` (data on stdin); returns the CUPS job id, e.g. 'Q-12'.

    ``raw=True`` passes bytes untouched (ZPL to a raw queue).  For PDFs give
    ``media`` (``LabelSize.cups_media``): CUPS queues default to A4/Letter.
    """
    command = [lp, "-d", queue, "-t", title, "-n", str(copies)]
    if raw:
        command += ["-o", "raw"]
    if media:
        command += ["-o", f"media={media}"]
    for option in options:
        command += ["-o", option]
    result = _run(command, queue, data=data, timeout=timeout)
    stderr = result.stderr.decode(errors="replace")
    if result.returncode != 0:
        raise _lp_error(stderr, queue, queue)
    # "request id is Q-12 (1 file(s))"
    match = re.search(r"request id is (\S+)", result.stdout.decode(errors="replace"))
    return match.group(1) if match else ""


def cups_queues(*, timeout: float = 10.0, lpstat: str = "lpstat") -> list[str]:
    """Names of the CUPS queues this machine can print to ([] when there are none)."""
    result = _run([lpstat, "-e"], "CUPS", data=None, timeout=timeout)
    stderr = result.stderr.decode(errors="replace")
    if result.returncode != 0 and "No destinations" not in stderr:
        raise _lp_error(stderr, "", "CUPS")
    queues = result.stdout.decode(errors="replace").split()
    if not queues:  # lpstat -e says nothing, not even an error, when cupsd is down
        status = _run([lpstat, "-r"], "CUPS", data=None, timeout=timeout)
        if b"not running" in status.stdout + status.stderr:
            raise PrinterUnavailable("CUPS", "the CUPS print service is not running",
                                     "cups_down")
    return queues
