"""Running print jobs: read the job, render and send it outside any transaction, record how
it went.

    job = tx.run(queue_print, "locations", {"range": ["A-01-01", "A-02-20"]}, actor=actor)
    job = run_job(tx, job.id)        # render, send, record "sent" or "failed" + the reason

``tx`` runs one function per transaction: ``tx.query(read, ...)`` gets a session,
``tx.run(use_case, ...)`` a unit of work. The UI's bridge is one (its worker thread calls
run_job); ``Transactions(database)`` in app/services/printing/__init__.py is the other. Rendering and
sending hold no transaction open, so a slow or absent printer never blocks another scan.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.orm import Session

from app.core.errors import StockfloorError
from app.db.models import utcnow
from app.db.uow import UnitOfWork
from app.printing.render import render_label_list
from app.printing.sizes import Size, size_named
from app.printing.transports import PrinterUnavailable
from app.services.printing.jobs import (
    JobView,
    SelfRendered,
    build,
    job_row,
    job_settings,
    job_view,
    page_name,
    printable,
    summary,
    user_name,
)
from app.services.printing.profiles import profile_for, split_host_port

SEND_TIMEOUT = 10.0  # seconds a raw-TCP printer may take before the job fails


class TransactionRunner(Protocol):
    def query(self, read: Callable[..., Any], *args: Any, **kwargs: Any) -> Any: ...

    def run(self, use_case: Callable[..., Any], *args: Any, **kwargs: Any) -> Any: ...


@dataclass(frozen=True)
class JobPlan:
    """Everything the worker needs, read in one short transaction."""

    job: JobView
    target: str
    dpi: int
    darkness: int | None
    offsets: tuple[int, int]
    copies: int
    content: bytes | None  # rendered before (retry, reprint): sent as it is
    data: Any = None  # labels or document to render when there is no content yet
    problem: str | None = None  # the data could not be built (deleted since, ...)


def job_plan(session: Session, job_id: int) -> JobPlan:
    job = job_row(session, job_id)
    plan = JobPlan(job_view(job), job.target, job.dpi, job.darkness, (job.offset_x, job.offset_y),
                   job.copies, job.content)
    if job.content is not None or job.status == "sent":
        return plan
    try:
        return replace(plan, data=build(session, job.what, json.loads(job.selection), job.size))
    except StockfloorError as error:
        return replace(plan, problem=str(error))


def render(data: Any, *, what: str, kind: str, fmt: str, size: str, dpi: int = 203,
           darkness: int | None = None, offsets: tuple[int, int] = (0, 0), copies: int = 1,
           title: str = "") -> bytes:
    """Labels or a document as PDF or ZPL bytes. Pure: the worker runs it without a
    transaction. ValueError (BarcodeTooWide among them) when the data cannot be drawn."""
    if isinstance(data, bytes):  # a document its own service rendered (packing slip)
        return data
    label_size = size_named(size)
    if isinstance(data, SelfRendered):
        return data.zpl(label_size, dpi) if fmt == "zpl" else data.pdf(label_size, dpi)
    if kind == "documents":
        from app.printing.documents import putaway_list_pdf, receiving_report_pdf

        pdf = putaway_list_pdf if what == "putaway_list" else receiving_report_pdf
        return pdf(data, page_size=page_name(label_size))
    return render_label_list(data, size, fmt=fmt, dpi=dpi, darkness=darkness, offsets=offsets, copies=copies,
                             title=title or what)


def render_plan(plan: JobPlan) -> bytes:
    job = plan.job
    return render(plan.data, what=job.what, kind=job.kind, fmt=job.format, size=job.size,
                  dpi=plan.dpi, darkness=plan.darkness, offsets=plan.offsets, copies=plan.copies,
                  title=f"{job.what} {job.title}".strip())


SystemPrinter = Callable[[bytes, str, Size], None]  # (pdf, printer name, size): the window's


def deliver(plan: JobPlan, content: bytes, *, system_printer: SystemPrinter | None = None) -> str:
    """Send ``content`` where the job goes; returns where that was. PrinterUnavailable else."""
    from app.printing import transports

    job = plan.job
    size = size_named(job.size)
    title = f"Stockfloor {job.what} {job.id}"
    if job.output == "pdf_file":
        stamp = job.created_at.strftime("%Y%m%d-%H%M%S")
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{stamp}-{job.id}-{job.what}-{job.title}")[:120].strip("-_")
        return str(transports.write_file(content, Path(plan.target) / f"{name}.{job.format}"))
    if job.output == "zpl_tcp":
        host, port = split_host_port(plan.target)
        transports.send_raw_tcp(content, host, port, timeout=SEND_TIMEOUT)
        return f"{host}:{port}"
    if job.output == "system" and system_printer is not None:
        system_printer(content, plan.target, size)
        return plan.target
    # zpl_cups, pdf_cups, and system printers without the window (on Linux and macOS every
    # system printer is a CUPS queue).
    raw = job.format == "zpl"
    request = transports.send_cups(content, plan.target, raw=raw, title=title,
                                   media=None if raw else size.cups_media)
    return f"{plan.target} {request}".strip()


def run_job(tx: TransactionRunner, job_id: int, *, system_printer: SystemPrinter | None = None) -> JobView:
    """Render (unless rendered before) and send one queued job; record the outcome."""
    plan = tx.query(job_plan, job_id)
    if plan.job.status == "sent":
        return plan.job  # another worker got there first
    if plan.problem is not None:
        return tx.run(finish_job, job_id, failure=(plan.problem, "data"))
    content = plan.content
    try:
        if content is None:
            content = render_plan(plan)
        where = deliver(plan, content, system_printer=system_printer)
    except PrinterUnavailable as error:
        return tx.run(finish_job, job_id, content=content, failure=(str(error), error.kind),
                      printer=error.printer)
    except ValueError as error:  # BarcodeTooWide and other data that cannot be drawn
        return tx.run(finish_job, job_id, failure=(str(error), "render"))
    return tx.run(finish_job, job_id, content=content, printer=where)


_PAGE = re.compile(rb"/Type\s*/Page[^s]")


def finish_job(uow: UnitOfWork, job_id: int, *, content: bytes | None = None,
               failure: tuple[str, str] | None = None, printer: str | None = None) -> JobView:
    job = job_row(uow.session, job_id)
    job.attempts += 1
    if content is not None:
        job.content = content
        if job.kind == "documents":
            job.count = len(_PAGE.findall(content))
    if printer:
        job.printer = printer[:255]
    if failure is None:
        job.status, job.sent_at, job.reason, job.reason_kind = "sent", utcnow(), None, None
    else:
        job.status, job.reason, job.reason_kind = "failed", failure[0], failure[1][:16]
    uow.commit()
    return job_view(job, user_name(uow.session, job.user_id))


# --------------------------------------------------------------------------- previews


def preview_pdf(session: Session, what: str, selection: Mapping[str, Any] | None = None, *,
                workstation: str, size: str | None = None, copies: int = 1) -> bytes:
    """What printing ``what`` on ``workstation``'s printer would look like, as a PDF
    (ZPL printers are previewed with the same layout, drawn as PDF)."""
    profile = profile_for(session, workstation, printable(what).kind)
    _fmt, size = job_settings(replace(profile, output="pdf_file"), what, size)
    selection = dict(selection or {})
    data = build(session, what, selection, size)
    return render(data, what=what, kind=printable(what).kind, fmt="pdf", size=size,
                  dpi=profile.dpi, copies=copies, title=summary(what, selection))


def job_preview_pdf(session: Session, job_id: int) -> bytes:
    """A job as a PDF: the bytes sent when they were PDF, else rendered again as PDF."""
    job = job_row(session, job_id)
    if job.format == "pdf" and job.content is not None:
        return job.content
    data = build(session, job.what, json.loads(job.selection), job.size)
    return render(data, what=job.what, kind=job.kind, fmt="pdf", size=job.size, dpi=job.dpi,
                  copies=job.copies, title=job.title)
