"""SQLAlchemy models: the warehouse's master data, the stock ledger and its on-hand sum.

Quantities are whole units (integers). On-hand rows exist only for physical locations;
virtual locations (supplier, customer, inventory loss) are ends of moves and hold nothing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from app.core import clock
from app.core.locations import LOCATION_KINDS, VIRTUAL_LOCATION_KINDS  # noqa: F401 - also known here

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return clock.now()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


UtcDateTime = DateTime(timezone=True)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    badge_code: Mapped[str] = mapped_column(String(64), unique=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16))  # operator | supervisor | admin
    pin_hash: Mapped[str] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(String(8), default="en")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_pins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)  # sha256 of a CLI token
    __table_args__ = (
        CheckConstraint("role in ('operator','supervisor','admin')", name="role"),
    )


class Product(Base):
    __tablename__ = "products"
    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    unit: Mapped[str] = mapped_column(String(16), default="each")
    tracking: Mapped[str] = mapped_column(String(8), default="none")  # none | lot | serial
    expiry_tracked: Mapped[bool] = mapped_column(Boolean, default=False)
    # Days of shelf life a lot must still have on receipt; less needs a supervisor, else quarantine.
    min_shelf_life_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    product_group: Mapped[str | None] = mapped_column(String(64))
    weight_kg: Mapped[float | None] = mapped_column(Float)
    length_cm: Mapped[float | None] = mapped_column(Float)
    width_cm: Mapped[float | None] = mapped_column(Float)
    height_cm: Mapped[float | None] = mapped_column(Float)
    unit_cost: Mapped[float | None] = mapped_column(Numeric(12, 4, asdecimal=False))
    barcodes: Mapped[list[ProductBarcode]] = relationship(
        back_populates="product", cascade="all, delete-orphan"
    )
    __table_args__ = (
        CheckConstraint("tracking in ('none','lot','serial')", name="tracking"),
    )


class ProductBarcode(Base):
    """A code that identifies a product; case/pack codes carry the units they contain."""

    __tablename__ = "product_barcodes"
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="gtin")  # gtin | internal | case
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    product: Mapped[Product] = relationship(back_populates="barcodes")
    __table_args__ = (CheckConstraint("quantity >= 1", name="quantity_positive"),)




class Location(Base):
    __tablename__ = "locations"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    barcode: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    zone: Mapped[str | None] = mapped_column(String(32))
    aisle: Mapped[str | None] = mapped_column(String(16))
    bay: Mapped[int | None] = mapped_column(Integer)
    level: Mapped[int | None] = mapped_column(Integer)
    slot: Mapped[int | None] = mapped_column(Integer)
    x: Mapped[float | None] = mapped_column(Float)
    y: Mapped[float | None] = mapped_column(Float)
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    # Locations of a kind, and of a kind near a place (put-away's nearest open bins), by index
    # range instead of reading them all.
    __table_args__ = (Index("ix_locations_kind_place", "kind", "x", "y"),)

    @property
    def is_virtual(self) -> bool:
        return self.kind in VIRTUAL_LOCATION_KINDS


class Lot(Base):
    __tablename__ = "lots"
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    code: Mapped[str] = mapped_column(String(64), index=True)  # lot search in the stock view
    expiry: Mapped[dt.date | None] = mapped_column(Date)
    __table_args__ = (UniqueConstraint("product_id", "code", name="uq_lots_product_code"),)


class LicensePlate(Base):
    """A pallet or case identified as a whole: an LPN, or an SSCC-18 when GS1."""

    __tablename__ = "license_plates"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    is_sscc: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class OnHand(Base):
    """Materialised sum of the ledger per (product, location, lot, license plate)."""

    __tablename__ = "on_hand"
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))
    license_plate_id: Mapped[int | None] = mapped_column(ForeignKey("license_plates.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer, default=0)
    # Units promised to orders: only quantity - reserved may be taken by anyone else.
    reserved: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    __table_args__ = (
        CheckConstraint("quantity >= 0", name="never_negative"),
        CheckConstraint("reserved >= 0 AND reserved <= quantity", name="reserved_within"),
        # NULL lot / plate must still be one row: coalesce them in the unique key.
        Index(
            "uq_on_hand_stock_key",
            "product_id",
            "location_id",
            func.coalesce(lot_id, 0),
            func.coalesce(license_plate_id, 0),
            unique=True,
        ),
    )


class Move(Base):
    """One line of the append-only stock ledger."""

    __tablename__ = "moves"
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    from_location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    to_location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    from_license_plate_id: Mapped[int | None] = mapped_column(ForeignKey("license_plates.id"))
    to_license_plate_id: Mapped[int | None] = mapped_column(ForeignKey("license_plates.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    workstation: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(32))
    document_type: Mapped[str | None] = mapped_column(String(32))
    document_id: Mapped[int | None] = mapped_column(Integer)
    scan_id: Mapped[int | None] = mapped_column(ForeignKey("scan_journal.id"))
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("from_location_id <> to_location_id", name="two_locations"),
        Index("ix_moves_document", "document_type", "document_id"),
        # The newest move into or out of a location (a count's snapshot) in one index step on
        # PostgreSQL; SQLite's single-column indexes end in the rowid already (migration 0008).
        Index("ix_moves_from_location_newest", "from_location_id", "id").ddl_if(dialect="postgresql"),
        Index("ix_moves_to_location_newest", "to_location_id", "id").ddl_if(dialect="postgresql"),
    )


class ScanClaim(Base):
    """One row per confirmed scan's idempotency key, inserted first in the scan's
    transaction: a concurrent duplicate waits on the key and then sees it taken, so a
    replay never reads or bumps a counter. Rolled back with a refused scan."""

    __tablename__ = "scan_claims"
    idempotency_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class ScanJournal(Base):
    """Every scan, right or wrong: what came in, what it meant, and what happened."""

    __tablename__ = "scan_journal"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    workstation: Mapped[str] = mapped_column(String(64))
    context: Mapped[str] = mapped_column(String(32))
    raw: Mapped[str] = mapped_column(Text)
    interpretation: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(16))  # ok | attention | error
    message: Mapped[str] = mapped_column(Text, default="")


class AuditEntry(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    workstation: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    details: Mapped[str] = mapped_column(Text, default="")


class PurchaseOrder(Base):
    __tablename__ = "purchase_orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(8), default="po")  # po | asn
    supplier: Mapped[str] = mapped_column(String(128), default="")
    status: Mapped[str] = mapped_column(String(32), default="open")
    expected_date: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    lines: Mapped[list[PurchaseOrderLine]] = relationship(
        back_populates="order", order_by="PurchaseOrderLine.line_no", cascade="all, delete-orphan"
    )


class PurchaseOrderLine(Base):
    __tablename__ = "purchase_order_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    purchase_order_id: Mapped[int] = mapped_column(
        ForeignKey("purchase_orders.id", ondelete="CASCADE"), index=True
    )
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity_expected: Mapped[int] = mapped_column(Integer)
    quantity_received: Mapped[int] = mapped_column(Integer, default=0)
    quantity_damaged: Mapped[int] = mapped_column(Integer, default=0)
    order: Mapped[PurchaseOrder] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()
    __table_args__ = (
        CheckConstraint("quantity_received >= 0 AND quantity_damaged >= 0", name="counts"),
    )


class WarehouseSetting(Base):
    """Warehouse-wide rules shared by every workstation (e.g. over-receipt tolerance)."""

    __tablename__ = "warehouse_settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
