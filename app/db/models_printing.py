"""Printing tables: printer profiles per workstation, and the print jobs they produced.

A profile says where one workstation prints one kind of output (labels or documents) and
how (PDF into a folder, a system printer, ZPL over TCP or to a raw CUPS queue, PDF to a
CUPS queue), with the label size and the thermal printer's settings. Profiles are stored
here rather than on the machine so that a supervisor can set any workstation's printers.

A job is recorded before anything is rendered or sent: the operator's scan never waits for
a printer, and a job that failed keeps its reason and can be retried. ``selection`` (JSON)
re-creates the labels; ``content`` keeps the bytes as rendered, so a retry or a reprint
sends exactly what was meant the first time.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models import Base, UtcDateTime, utcnow

PROFILE_KINDS = ("labels", "documents")
OUTPUTS = ("pdf_file", "system", "zpl_tcp", "zpl_cups", "pdf_cups")
JOB_STATUSES = ("queued", "sent", "failed")


class PrinterProfile(Base):
    __tablename__ = "printer_profiles"
    id: Mapped[int] = mapped_column(primary_key=True)
    workstation: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # labels | documents
    name: Mapped[str] = mapped_column(String(64), default="")  # "Zebra at dock 1"
    output: Mapped[str] = mapped_column(String(16))
    # Folder (pdf_file), system printer name, host[:port] (zpl_tcp) or CUPS queue.
    target: Mapped[str] = mapped_column(String(255), default="")
    size: Mapped[str] = mapped_column(String(16))  # app.printing.sizes name
    dpi: Mapped[int] = mapped_column(Integer, default=203)
    darkness: Mapped[int | None] = mapped_column(Integer)  # ZPL ~SD 0..30; None: the printer's own
    offset_x: Mapped[int] = mapped_column(Integer, default=0)  # dots, ZPL ^LH
    offset_y: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    __table_args__ = (
        UniqueConstraint("workstation", "kind", name="uq_printer_profiles_workstation_kind"),
        CheckConstraint("kind in ('labels','documents')", name="kind"),
        CheckConstraint(
            "output in ('pdf_file','system','zpl_tcp','zpl_cups','pdf_cups')", name="output"
        ),
        CheckConstraint("darkness IS NULL OR (darkness >= 0 AND darkness <= 30)", name="darkness"),
    )


class PrintJob(Base):
    __tablename__ = "print_jobs"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    workstation: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    what: Mapped[str] = mapped_column(String(32))  # locations, receiving_report, ...
    kind: Mapped[str] = mapped_column(String(16))  # labels | documents: which profile
    title: Mapped[str] = mapped_column(String(255))
    selection: Mapped[str] = mapped_column(Text, default="{}")  # JSON, re-creates the labels
    count: Mapped[int] = mapped_column(Integer, default=0)  # labels or document pages
    format: Mapped[str] = mapped_column(String(8))  # pdf | zpl
    size: Mapped[str] = mapped_column(String(16))
    output: Mapped[str] = mapped_column(String(16))
    printer: Mapped[str] = mapped_column(String(255), default="")  # where it went, as shown
    profile_id: Mapped[int | None] = mapped_column(
        ForeignKey("printer_profiles.id", ondelete="SET NULL")
    )
    # The profile's settings at queue time (a later change of the profile is not a retry's).
    target: Mapped[str] = mapped_column(String(255), default="")
    dpi: Mapped[int] = mapped_column(Integer, default=203)
    darkness: Mapped[int | None] = mapped_column(Integer)
    offset_x: Mapped[int] = mapped_column(Integer, default=0)
    offset_y: Mapped[int] = mapped_column(Integer, default=0)
    copies: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(8), default="queued")
    reason: Mapped[str | None] = mapped_column(Text)  # English, for logs and the CLI
    reason_kind: Mapped[str | None] = mapped_column(String(16))  # PrinterUnavailable.kind
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    reprint_of: Mapped[int | None] = mapped_column(ForeignKey("print_jobs.id", ondelete="SET NULL"))
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    __table_args__ = (
        CheckConstraint("status in ('queued','sent','failed')", name="status"),
        CheckConstraint("format in ('pdf','zpl')", name="format"),
        CheckConstraint("copies >= 1", name="copies_positive"),
        Index("ix_print_jobs_workstation_created", "workstation", "created_at"),
        Index("ix_print_jobs_created_at", "created_at"),
    )
