"""Printer profiles: where each workstation prints labels and documents, and how.

Stored in the database per workstation (the name from the workstation's settings), so a
supervisor can set any workstation's printers from anywhere. A workstation without a profile
prints PDF files into the print folder: nothing is lost before the printers are set up.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.actor import Actor
from app.core.errors import InvalidInput, NotAllowed, NotFound
from app.core.permissions import use_case
from app.db.models import utcnow
from app.db.models_printing import OUTPUTS, PROFILE_KINDS, PrinterProfile, PrintJob
from app.db.uow import UnitOfWork
from app.printing.sizes import PAGES, SIZES, is_thermal
from app.printing.zpl import SUPPORTED_DPI
from app.services import audit

ZPL_OUTPUTS = ("zpl_tcp", "zpl_cups")
RAW_PORT = 9100
DEFAULT_SIZES = {"labels": "4x6", "documents": "a4"}


def default_print_folder() -> str:
    """Where PDF jobs go when a workstation has no printer yet."""
    from app.paths import data_dir

    return str(data_dir() / "printed")


@dataclass(frozen=True)
class Profile:
    """One workstation's printer for one kind of output. ``stored`` is False for the
    default a workstation gets before anyone sets its printers."""

    workstation: str
    kind: str  # labels | documents
    output: str  # pdf_file | system | zpl_tcp | zpl_cups | pdf_cups
    target: str = ""
    size: str = "4x6"
    dpi: int = 203
    darkness: int | None = None
    offset_x: int = 0
    offset_y: int = 0
    name: str = ""
    id: int | None = None
    stored: bool = False

    @property
    def format(self) -> str:
        return "zpl" if self.output in ZPL_OUTPUTS else "pdf"

    @property
    def printer(self) -> str:
        """How the printer is shown: its name, else where it is."""
        return self.name or self.target or self.output


def default_profile(workstation: str, kind: str) -> Profile:
    return Profile(workstation, kind, "pdf_file", default_print_folder(), DEFAULT_SIZES[kind])


def _view(row: PrinterProfile) -> Profile:
    return Profile(row.workstation, row.kind, row.output, row.target, row.size, row.dpi,
                   row.darkness, row.offset_x, row.offset_y, row.name, row.id, True)


def profile_for(session: Session, workstation: str, kind: str) -> Profile:
    if kind not in PROFILE_KINDS:
        raise InvalidInput(field="kind", reason=f"{kind!r} is not labels or documents")
    row = session.scalar(select(PrinterProfile).where(PrinterProfile.workstation == workstation,
                                                      PrinterProfile.kind == kind))
    return _view(row) if row is not None else default_profile(workstation, kind)


def profiles_of(session: Session, workstation: str) -> dict[str, Profile]:
    """{"labels": ..., "documents": ...} for ``workstation``, defaults where none is stored."""
    return {kind: profile_for(session, workstation, kind) for kind in PROFILE_KINDS}


def find_profile(session: Session, name: str) -> Profile | None:
    """A stored profile by its name, or by "WORKSTATION/kind" (for the CLI's --printer)."""
    workstation, _, kind = name.rpartition("/")
    if workstation and kind in PROFILE_KINDS:
        row = session.scalar(select(PrinterProfile).where(
            PrinterProfile.workstation == workstation, PrinterProfile.kind == kind))
        if row is not None:
            return _view(row)
    rows = list(session.scalars(select(PrinterProfile).where(PrinterProfile.name == name)))
    if len(rows) > 1:
        raise InvalidInput(field="printer", reason=f"{len(rows)} profiles are called {name!r}: "
                                                   "use WORKSTATION/labels or WORKSTATION/documents")
    return _view(rows[0]) if rows else None


def known_workstations(session: Session) -> list[str]:
    """Workstations that have printers or have printed, for the settings screen's choice."""
    names = set(session.scalars(select(PrinterProfile.workstation).distinct()))
    names |= set(session.scalars(select(PrintJob.workstation).distinct()))
    return sorted(names)


def check_profile(profile: Profile) -> Profile:
    """The profile with its target tidied; InvalidInput naming what is wrong."""
    if profile.kind not in PROFILE_KINDS:
        raise InvalidInput(field="kind", reason=f"{profile.kind!r} is not labels or documents")
    if profile.output not in OUTPUTS:
        raise InvalidInput(field="output", reason=f"{profile.output!r} is not one of {', '.join(OUTPUTS)}")
    if profile.size not in SIZES:
        raise InvalidInput(field="size", reason=f"{profile.size!r} is not one of {', '.join(SIZES)}")
    if not profile.workstation.strip():
        raise InvalidInput(field="workstation", reason="a workstation name is needed")
    target = profile.target.strip()
    if profile.kind == "documents" and profile.size not in PAGES:
        raise InvalidInput(field="size", reason="documents print on A4 or Letter")
    if profile.format == "zpl":
        if profile.kind == "documents":
            raise InvalidInput(field="output", reason="documents are PDF: ZPL is for label printers")
        if not is_thermal(profile.size):
            raise InvalidInput(field="size", reason="ZPL printers print thermal labels: 2x1, 4x3 or 4x6")
        if profile.dpi not in SUPPORTED_DPI:
            raise InvalidInput(field="dpi", reason=f"{profile.dpi} is not one of {', '.join(map(str, SUPPORTED_DPI))}")
    if profile.darkness is not None and not 0 <= profile.darkness <= 30:
        raise InvalidInput(field="darkness", reason="must be 0 to 30")
    if not all(-2000 <= offset <= 2000 for offset in (profile.offset_x, profile.offset_y)):
        raise InvalidInput(field="offset", reason="must be -2000 to 2000 dots")
    if profile.output == "zpl_tcp":
        target = _host_port(target)
    elif profile.output != "pdf_file" and not target:
        raise InvalidInput(field="printer", reason="choose the printer or queue")
    return replace(profile, target=target or (default_print_folder() if profile.output == "pdf_file" else ""),
                   name=profile.name.strip())


def _host_port(target: str) -> str:
    host, _, port = target.rpartition(":") if target.count(":") == 1 else (target, "", "")
    host = host.strip()
    if not host:
        raise InvalidInput(field="printer", reason="give the printer's host name or address (host:port)")
    if port and not (port.isdigit() and 0 < int(port) < 65536):
        raise InvalidInput(field="printer", reason=f"{port!r} is not a port number")
    return f"{host}:{port or RAW_PORT}"


def split_host_port(target: str) -> tuple[str, int]:
    host, _, port = target.rpartition(":")
    return (host, int(port)) if host and port.isdigit() else (target, RAW_PORT)


@use_case("save_profile")
def save_profile(uow: UnitOfWork, profile: Profile, *, actor: Actor) -> Profile:
    """Create or replace ``profile.workstation``'s printer for ``profile.kind`` (supervisors)."""
    if not actor.is_supervisor:
        raise NotAllowed(who=actor.display_name, action="set up printers")
    profile = check_profile(profile)
    session = uow.session
    row = session.scalar(select(PrinterProfile).where(PrinterProfile.workstation == profile.workstation,
                                                      PrinterProfile.kind == profile.kind))
    if row is None:
        row = PrinterProfile(workstation=profile.workstation, kind=profile.kind)
        session.add(row)
    for field in ("name", "output", "target", "size", "dpi", "darkness", "offset_x", "offset_y"):
        setattr(row, field, getattr(profile, field))
    row.updated_at, row.updated_by = utcnow(), actor.user_id
    audit.record(session, actor, "printer_profile_saved", workstation=profile.workstation,
                 kind=profile.kind, output=profile.output, target=profile.target, size=profile.size)
    session.flush()
    uow.commit()
    return _view(row)


@use_case("remove_profile")
def remove_profile(uow: UnitOfWork, workstation: str, kind: str, *, actor: Actor) -> Profile:
    """Back to the default (PDF files) for that workstation and kind."""
    if not actor.is_supervisor:
        raise NotAllowed(who=actor.display_name, action="set up printers")
    row = uow.session.scalar(select(PrinterProfile).where(PrinterProfile.workstation == workstation,
                                                          PrinterProfile.kind == kind))
    if row is None:
        raise NotFound(what="Printer profile", key=f"{workstation}/{kind}")
    uow.session.delete(row)
    audit.record(uow.session, actor, "printer_profile_removed", workstation=workstation, kind=kind)
    uow.commit()
    return default_profile(workstation, kind)
