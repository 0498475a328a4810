"""Cycle counts: plans, per-location snapshots, counted lines and every scan behind them,
plus the warehouse's ABC classes and per-class counting policy.

A count is a document (kind, state, counter, due date). Each of its locations is started by
a scan that takes a snapshot (expected per product/lot, last move id at the location);
lines hold expected vs counted and, after review, the decision and the adjustment posted.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.models import Base, Location, Lot, Product, UtcDateTime, utcnow


class CountClassPolicy(Base):
    """Warehouse data overriding app.core.counting_rules.DEFAULT_POLICIES for one class."""

    __tablename__ = "count_class_policies"
    abc_class: Mapped[str] = mapped_column(String(1), primary_key=True)
    counts_per_year: Mapped[int] = mapped_column(Integer)
    quantity_pct: Mapped[float] = mapped_column(Float)
    value: Mapped[float] = mapped_column(Float)
    auto_approve: Mapped[bool] = mapped_column(Boolean)
    __table_args__ = (
        CheckConstraint("abc_class in ('A','B','C')", name="abc_class"),
        CheckConstraint("counts_per_year >= 0 AND quantity_pct >= 0 AND value >= 0", name="limits"),
    )


class ProductAbcClass(Base):
    """A product's class from its movement over a period of the ledger."""

    __tablename__ = "count_abc_classes"
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"),
                                            primary_key=True)
    abc_class: Mapped[str] = mapped_column(String(1))
    basis: Mapped[str] = mapped_column(String(16))  # value | frequency
    movement: Mapped[float] = mapped_column(Float)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    computed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    __table_args__ = (CheckConstraint("abc_class in ('A','B','C')", name="abc_class"),)


class Count(Base):
    __tablename__ = "counts"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # see counting_rules.COUNT_KINDS
    status: Mapped[str] = mapped_column(String(16), default="planned", index=True)
    blind: Mapped[bool] = mapped_column(Boolean, default=True)
    due_date: Mapped[dt.date] = mapped_column(Date)
    assigned_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    reason: Mapped[str | None] = mapped_column(String(32))  # trigger reason or plan description
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))  # product counts
    parent_count_id: Mapped[int | None] = mapped_column(ForeignKey("counts.id"))  # recounts
    locations: Mapped[list[CountLocation]] = relationship(
        back_populates="count", order_by="CountLocation.id", cascade="all, delete-orphan"
    )
    parent: Mapped[Count | None] = relationship(remote_side=[id])

    @property
    def number(self) -> str:
        return f"CC-{self.id:06d}"


class CountLocation(Base):
    __tablename__ = "count_locations"
    id: Mapped[int] = mapped_column(primary_key=True)
    count_id: Mapped[int] = mapped_column(ForeignKey("counts.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))  # only this product
    status: Mapped[str] = mapped_column(String(16), default="pending")
    # The snapshot: highest move id touching the location when counting started (0: none).
    snapshot_move_id: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    finished_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    empty_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    count: Mapped[Count] = relationship(back_populates="locations")
    location: Mapped[Location] = relationship()
    lines: Mapped[list[CountLine]] = relationship(
        back_populates="count_location", order_by="CountLine.id", cascade="all, delete-orphan"
    )
    __table_args__ = (UniqueConstraint("count_id", "location_id", name="uq_count_locations_location"),)


class CountLine(Base):
    """One product (and lot) at one counted location: expected at the snapshot vs counted."""

    __tablename__ = "count_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    count_location_id: Mapped[int] = mapped_column(
        ForeignKey("count_locations.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))
    expected: Mapped[int] = mapped_column(Integer)
    counted: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="open")  # LINE_TRANSITIONS
    # Set when the location is finished:
    abc_class: Mapped[str | None] = mapped_column(String(1))
    variance_qty: Mapped[int | None] = mapped_column(Integer)
    variance_value: Mapped[float | None] = mapped_column(Float)
    within_tolerance: Mapped[bool | None] = mapped_column(Boolean)
    moved_during_count: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set by the decision:
    reason_code: Mapped[str | None] = mapped_column(String(16))
    resolution: Mapped[str | None] = mapped_column(String(16))
    adjustment: Mapped[int | None] = mapped_column(Integer)  # signed units posted
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # the supervisor
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # operator asking
    count_location: Mapped[CountLocation] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()
    lot: Mapped[Lot | None] = relationship()
    entries: Mapped[list[CountEntry]] = relationship(
        back_populates="line", order_by="CountEntry.id", cascade="all, delete-orphan"
    )
    __table_args__ = (
        CheckConstraint("expected >= 0 AND counted >= 0", name="quantities"),
        Index(
            "uq_count_lines_stock_key",
            "count_location_id",
            "product_id",
            func.coalesce(lot_id, 0),
            unique=True,
        ),
    )


class CountEntry(Base):
    """One confirmed count scan (or quantity entry); undone entries stay for the record."""

    __tablename__ = "count_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    count_line_id: Mapped[int] = mapped_column(
        ForeignKey("count_lines.id", ondelete="CASCADE"), index=True
    )
    quantity: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    workstation: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    scan_id: Mapped[int | None] = mapped_column(ForeignKey("scan_journal.id"))
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    undone: Mapped[bool] = mapped_column(Boolean, default=False)
    line: Mapped[CountLine] = relationship(back_populates="entries")
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)
