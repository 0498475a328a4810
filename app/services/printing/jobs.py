"""Print jobs: what can be printed, recording a job, retrying and reprinting it, and the
list of recent jobs. Rendering and sending: run.py.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.actor import Actor
from app.core.errors import InvalidInput, NotFound
from app.core.permissions import use_case
from app.db.models import User, utcnow
from app.db.models_printing import PrintJob
from app.db.uow import UnitOfWork
from app.printing.sizes import PAGES, Size, is_thermal, size_named
from app.services.config import RULES, WarehouseRule, get_rule
from app.services.printing import documents, labels
from app.services.printing.errors import JobAlreadySent, JobTooOld
from app.services.printing.profiles import Profile, check_profile, profile_for

REPRINT_DAYS_RULE = WarehouseRule(
    "print_reprint_days", int, 7, "Print jobs of this many days can be reprinted or retried.")
RULES.setdefault(REPRINT_DAYS_RULE.key, REPRINT_DAYS_RULE)


@dataclass(frozen=True)
class Printable:
    """What a print job prints: ``build(session, selection, size)`` and its profile kind."""

    kind: str  # labels | documents
    build: Callable[..., Any]


@dataclass(frozen=True)
class SelfRendered:
    """A workflow's own label type that draws itself (return routing labels): the worker
    calls ``pdf(size, dpi)`` or ``zpl(size, dpi)`` as the printer profile asks."""

    pdf: Callable[[Size, int], bytes]
    zpl: Callable[[Size, int], bytes]


def _routing_labels(session: Session, selection: Mapping[str, Any], size: Size | None = None) -> SelfRendered:
    from app.db.models_returns import ReturnUnit
    from app.services.returns.labels import routing_label_for, routing_label_pdf, routing_label_zpl
    from app.services.returns.receive import find_unit

    codes = [str(code) for code in selection.get("codes") or ()]
    if len(codes) != 1:
        raise InvalidInput(field="codes", reason="one returned unit per routing label job")
    label = routing_label_for(session, session.get(ReturnUnit, find_unit(session, codes[0])))
    return SelfRendered(pdf=lambda size, dpi: routing_label_pdf(label, size, dpi=dpi),
                        zpl=lambda size, dpi: routing_label_zpl(label, size, dpi=dpi))


def _parcel_labels(session: Session, selection: Mapping[str, Any], size: Size | None = None) -> list:
    from app.services.packing.shipping import parcel_label

    return [parcel_label(session, int(parcel)) for parcel in selection.get("parcels") or ()]


def _packing_slip(session: Session, selection: Mapping[str, Any], size: Size | None = None) -> bytes:
    from app.services.packing.shipping import packing_slip_pdf

    return packing_slip_pdf(session, int(selection["order_id"]), page_size=page_name(size),
                            language=str(selection.get("language") or "en"))


PRINTABLES: dict[str, Printable] = {
    "locations": Printable("labels", labels.location_labels),
    "products": Printable("labels", labels.product_labels),
    "license_plates": Printable("labels", labels.license_plate_labels),
    "receiving_labels": Printable("labels", labels.receiving_labels),
    "badges": Printable("labels", labels.badge_labels),
    "commands": Printable("labels", labels.command_sheets),
    "parcels": Printable("labels", _parcel_labels),
    "routing_labels": Printable("labels", _routing_labels),
    "receiving_report": Printable("documents", documents.receiving_report),
    "putaway_list": Printable("documents", documents.putaway_list),
    "packing_slip": Printable("documents", _packing_slip),
}


@dataclass(frozen=True)
class JobView:
    id: int
    created_at: dt.datetime
    sent_at: dt.datetime | None
    workstation: str
    user: str
    what: str
    kind: str
    title: str  # codes and numbers only; the UI puts the translated name of ``what`` before it
    count: int
    format: str
    size: str
    output: str
    printer: str
    status: str  # queued | sent | failed
    reason: str | None
    reason_kind: str | None  # PrinterUnavailable.kind, "render" or "data"
    attempts: int
    reprint_of: int | None

    @property
    def failed(self) -> bool:
        return self.status == "failed"


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands timestamps back without their zone: they are UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.timezone.utc)
    return moment


def job_view(job: PrintJob, user: str = "") -> JobView:
    return JobView(job.id, _utc(job.created_at), _utc(job.sent_at), job.workstation, user, job.what, job.kind,
                   job.title, job.count, job.format, job.size, job.output, job.printer, job.status,
                   job.reason, job.reason_kind, job.attempts, job.reprint_of)


def printable(what: str) -> Printable:
    if what not in PRINTABLES:
        raise InvalidInput(field="what", reason=f"{what!r} is not one of {', '.join(PRINTABLES)}")
    return PRINTABLES[what]


def page_name(size: Size | None) -> str:
    return "Letter" if size is not None and getattr(size, "name", "") == "Letter" else "A4"


def build(session: Session, what: str, selection: Mapping[str, Any], size_name: str) -> Any:
    """The labels (a list) or the document ``what`` + ``selection`` describe."""
    return printable(what).build(session, selection, size_named(size_name))


def summary(what: str, selection: Mapping[str, Any]) -> str:
    """The job's title: codes and numbers, no words to translate."""
    codes = [str(c) for c in selection.get("codes") or ()]
    if selection.get("range"):
        return " - ".join(str(c) for c in selection["range"])
    if codes:
        return ", ".join(codes[:4]) + (f" (+{len(codes) - 4})" if len(codes) > 4 else "")
    for key in ("order", "source", "parcels", "order_id"):
        if selection.get(key):
            value = selection[key]
            return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return ""


def floor_title(session: Session, what: str, selection: Mapping[str, Any]) -> str:
    """summary(), with the order as the packer knows it ("Shopify 1010") for packing slips and
    parcel labels instead of database ids ("Packing slip 144" meant nothing on the floor)."""
    from app.db.models_picking import Parcel, SalesOrder

    order_ids: set[int] = set()
    if what == "packing_slip" and selection.get("order_id"):
        order_ids = {int(selection["order_id"])}
    elif what == "parcels" and selection.get("parcels"):
        order_ids = set(session.scalars(select(Parcel.order_id).where(
            Parcel.id.in_([int(parcel) for parcel in selection["parcels"]]))))
    if len(order_ids) == 1:
        order = session.get(SalesOrder, order_ids.pop())
        if order is not None:
            return f"{order.channel} {order.number}"
    return summary(what, selection)


# --------------------------------------------------------------------------- queueing


def job_settings(profile: Profile, what: str, size: str | None) -> tuple[str, str]:
    """(format, size) for ``what`` printed through ``profile``; InvalidInput if impossible."""
    kind = printable(what).kind
    size = (size or profile.size).strip().lower()
    try:
        size_named(size)
    except ValueError as error:
        raise InvalidInput(field="size", reason=str(error)) from None
    if kind == "documents" and size not in PAGES:
        raise InvalidInput(field="size", reason="documents print on A4 or Letter")
    if profile.format == "zpl" and (kind == "documents" or not is_thermal(size)):
        raise InvalidInput(field="size", reason="ZPL is for thermal labels: 2x1, 4x3 or 4x6, "
                                                "not sheets or documents")
    return profile.format, size


@use_case("queue_print")
def queue_print(uow: UnitOfWork, what: str, selection: Mapping[str, Any] | None = None, *,
                actor: Actor, size: str | None = None, printer: Profile | None = None,
                copies: int = 1, idempotency_key: str | None = None) -> JobView:
    """Record a job for ``actor``'s workstation printer (or ``printer``), after checking that
    the selection names something: the worker renders and sends it later (run_job)."""
    session = uow.session
    if idempotency_key:
        earlier = session.scalar(select(PrintJob).where(PrintJob.idempotency_key == idempotency_key))
        if earlier is not None:
            return job_view(earlier, actor.display_name)
    if not 1 <= copies <= 100:
        raise InvalidInput(field="copies", reason="must be 1 to 100")
    spec = printable(what)
    profile = check_profile(printer) if printer is not None else profile_for(session, actor.workstation, spec.kind)
    fmt, size = job_settings(profile, what, size)
    selection = dict(selection or {})
    if what == "putaway_list":
        selection.setdefault("operator", actor.display_name)
    content = build(session, what, selection, size)
    if isinstance(content, list):
        count = len(content) * copies
    elif isinstance(content, SelfRendered):  # a routing label job is one label
        count = copies
    else:
        count = 0  # documents: pages, once rendered
    job = PrintJob(
        created_at=utcnow(), workstation=actor.workstation, user_id=actor.user_id, what=what,
        kind=spec.kind, title=floor_title(session, what, selection)[:255], selection=json.dumps(selection, default=str),
        count=count, format=fmt, size=size, output=profile.output, printer=profile.printer[:255],
        profile_id=profile.id, target=profile.target, dpi=profile.dpi, darkness=profile.darkness,
        offset_x=profile.offset_x, offset_y=profile.offset_y, copies=copies, status="queued",
        attempts=0, idempotency_key=idempotency_key,
    )
    session.add(job)
    session.flush()
    uow.commit()
    return job_view(job, actor.display_name)


# --------------------------------------------------------------------------- again


def job_row(session: Session, job_id: int) -> PrintJob:
    job = session.get(PrintJob, job_id)
    if job is None:
        raise NotFound(what="Print job", key=str(job_id))
    return job


def user_name(session: Session, user_id: int | None) -> str:
    return (session.get(User, user_id).display_name if user_id is not None else "") or ""


def _check_age(session: Session, job: PrintJob) -> None:
    days = int(get_rule(session, REPRINT_DAYS_RULE.key))
    created = _utc(job.created_at)
    assert created is not None
    if utcnow() - created > dt.timedelta(days=days):
        raise JobTooOld(job=job.id, date=created.date().isoformat(), days=days)


@use_case("retry_job")
def retry_job(uow: UnitOfWork, job_id: int, *, actor: Actor) -> JobView:
    """Queue a failed job again, through its workstation's printer as it is set up now
    (a supervisor may have fixed it since); run_job sends it."""
    session = uow.session
    job = job_row(session, job_id)
    if job.status == "sent":
        raise JobAlreadySent(job=job.id)
    _check_age(session, job)
    if job.profile_id is not None:
        _aim(job, profile_for(session, job.workstation, job.kind))
    job.status, job.reason, job.reason_kind = "queued", None, None
    uow.commit()
    return job_view(job, user_name(session, job.user_id))


@use_case("reprint_job")
def reprint_job(uow: UnitOfWork, job_id: int, *, actor: Actor) -> JobView:
    """A new job printing what job ``job_id`` printed, on ``actor``'s workstation printer."""
    session = uow.session
    original = job_row(session, job_id)
    _check_age(session, original)
    job = PrintJob(
        created_at=utcnow(), workstation=actor.workstation, user_id=actor.user_id,
        what=original.what, kind=original.kind, title=original.title, selection=original.selection,
        count=original.count, format=original.format, size=original.size, output=original.output,
        printer=original.printer, profile_id=original.profile_id, target=original.target,
        dpi=original.dpi, darkness=original.darkness, offset_x=original.offset_x,
        offset_y=original.offset_y, copies=original.copies, status="queued", attempts=0,
        content=original.content, reprint_of=original.id,
    )
    _aim(job, profile_for(session, actor.workstation, original.kind))
    session.add(job)
    session.flush()
    uow.commit()
    return job_view(job, actor.display_name)


def _aim(job: PrintJob, profile: Profile) -> None:
    """Point ``job`` at ``profile``; bytes rendered for other printer settings are dropped."""
    before = (job.format, job.size, job.dpi, job.darkness, job.offset_x, job.offset_y)
    fmt = profile.format
    size = job.size if fmt == "pdf" or is_thermal(job.size) else profile.size
    job.format, job.size, job.output, job.printer = fmt, size, profile.output, profile.printer[:255]
    job.profile_id, job.target, job.dpi, job.darkness = profile.id, profile.target, profile.dpi, profile.darkness
    job.offset_x, job.offset_y = profile.offset_x, profile.offset_y
    if before != (job.format, job.size, job.dpi, job.darkness, job.offset_x, job.offset_y):
        job.content = None


# --------------------------------------------------------------------------- reading


def recent_jobs(session: Session, *, workstation: str | None = None, days: int | None = None,
                limit: int = 500) -> list[JobView]:
    """Jobs of the last ``days`` (the reprint window by default), newest first."""
    days = int(get_rule(session, REPRINT_DAYS_RULE.key)) if days is None else days
    since = utcnow() - dt.timedelta(days=days)
    query = (select(PrintJob, User.display_name).outerjoin(User, User.id == PrintJob.user_id)
             .where(PrintJob.created_at >= since).order_by(PrintJob.id.desc()).limit(limit))
    if workstation is not None:
        query = query.where(PrintJob.workstation == workstation)
    return [job_view(job, name or "") for job, name in session.execute(query)]


def get_job(session: Session, job_id: int) -> JobView:
    job = job_row(session, job_id)
    return job_view(job, user_name(session, job.user_id))


def job_content(session: Session, job_id: int) -> bytes | None:
    """The bytes as sent (PDF or ZPL), None when the job was never rendered."""
    return job_row(session, job_id).content
