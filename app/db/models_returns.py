"""Return tables: RMAs (announced or found on the spot), their lines, each returned unit
with its inspection and disposition, and the supervisor's disposition rules and checklists.

Stock is never here: a returned unit lands through a ledger move from the customer
location, and its disposition is a second move. ``ReturnUnit.status`` says where in that
story the unit is (app/core/returns_rules.py: UNIT_TRANSITIONS).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.models import Base, Location, Lot, Product, UtcDateTime, utcnow
from app.db.models_picking import SalesOrder, SalesOrderLine


class Rma(Base):
    """A return merchandise authorisation: imported from a channel, or opened when a
    parcel arrives unannounced (``announced`` False)."""

    __tablename__ = "rmas"
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    number: Mapped[str] = mapped_column(String(64))
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="announced")
    announced: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    order: Mapped[SalesOrder] = relationship()
    lines: Mapped[list[RmaLine]] = relationship(
        back_populates="rma", order_by="RmaLine.line_no", cascade="all, delete-orphan"
    )
    __table_args__ = (
        UniqueConstraint("channel", "number", name="uq_rmas_channel_number"),
        CheckConstraint("status in ('announced','receiving','closed')", name="status"),
    )


class RmaLine(Base):
    __tablename__ = "rma_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    rma_id: Mapped[int] = mapped_column(ForeignKey("rmas.id", ondelete="CASCADE"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    order_line_id: Mapped[int | None] = mapped_column(ForeignKey("sales_order_lines.id"))
    quantity: Mapped[int] = mapped_column(Integer)  # announced; 0 when it came unannounced
    reason: Mapped[str] = mapped_column(String(128), default="")  # the customer's words
    rma: Mapped[Rma] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()
    order_line: Mapped[SalesOrderLine | None] = relationship()
    __table_args__ = (
        UniqueConstraint("rma_id", "line_no", name="uq_rma_lines_rma_line"),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
    )


class ReturnUnit(Base):
    """What came back in one item scan (one unit, or a case of identical units), its
    inspection, and where it was sent."""

    __tablename__ = "return_units"
    id: Mapped[int] = mapped_column(primary_key=True)
    rma_id: Mapped[int] = mapped_column(ForeignKey("rmas.id"), index=True)
    rma_line_id: Mapped[int] = mapped_column(ForeignKey("rma_lines.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16), default="received")
    flags: Mapped[str] = mapped_column(Text, default="")  # ";"-separated returns_rules.FLAGS
    # Where it landed (the returns location) and where its disposition sent it.
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    received_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    receipt_key: Mapped[str] = mapped_column(String(64), unique=True)  # the scan's idempotency key
    grade: Mapped[str | None] = mapped_column(String(1))
    checklist: Mapped[str] = mapped_column(Text, default="")  # JSON {code: true/false}
    findings: Mapped[str] = mapped_column(Text, default="")  # ";"-separated returns_rules.FINDINGS
    notes: Mapped[str] = mapped_column(Text, default="")
    disposition: Mapped[str | None] = mapped_column(String(16))
    rule_source: Mapped[str | None] = mapped_column(String(16))  # which rule decided, or "override"
    disposition_key: Mapped[str | None] = mapped_column(String(64), unique=True)  # the confirming scan's key
    destination_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    unit_value: Mapped[float | None] = mapped_column(Float)  # unit cost when inspected
    refund_pct: Mapped[float | None] = mapped_column(Float)
    inspected_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    inspected_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    rma: Mapped[Rma] = relationship()
    line: Mapped[RmaLine] = relationship()
    product: Mapped[Product] = relationship()
    lot: Mapped[Lot | None] = relationship()
    location: Mapped[Location] = relationship(foreign_keys=[location_id])
    destination: Mapped[Location | None] = relationship(foreign_keys=[destination_id])
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("status in ('received','disposed','cancelled')", name="status"),
        CheckConstraint("grade IS NULL OR grade in ('A','B','C','D')", name="grade"),
        Index("ix_return_units_status", "status"),
    )

    @property
    def code(self) -> str:
        """What the routing label's barcode carries."""
        return f"RU{self.id:07d}"


class ReturnRuleRow(Base):
    """A supervisor's disposition rule (app/core/returns_rules.py: DispositionRule)."""

    __tablename__ = "return_rules"
    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(16))  # warehouse | group | sku | flagged
    target: Mapped[str] = mapped_column(String(64), default="")
    grade: Mapped[str] = mapped_column(String(1))  # A..D or *
    disposition: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    __table_args__ = (
        UniqueConstraint("scope", "target", "grade", name="uq_return_rules_key"),
    )


class ReturnChecklistItem(Base):
    """One line of the inspection checklist of a product group ("*": every group)."""

    __tablename__ = "return_checklist_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    product_group: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(128))
    __table_args__ = (
        UniqueConstraint("product_group", "code", name="uq_return_checklist_items_group_code"),
    )
