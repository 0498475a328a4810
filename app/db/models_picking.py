"""Outbound tables: the floor layout for routing, customer orders and their reservations,
waves and pick tasks, cartons, parcels and shipments.

Stock itself never lives here: reservations are on-hand ``reserved`` units (see
app/services/ledger.py) and every unit moved is a ledger move. These tables say *why*:
which order line a reservation serves, which task picks it, which parcel holds it.
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
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.models import Base, LicensePlate, Location, Lot, Product, UtcDateTime, utcnow


# --- floor layout: aisles run along y, cross aisles along x; locations give aisle + y -------
class FloorAisle(Base):
    __tablename__ = "floor_aisles"
    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(16), unique=True)  # = Location.aisle
    x: Mapped[float] = mapped_column(Float)
    length: Mapped[float] = mapped_column(Float)
    __table_args__ = (CheckConstraint("length > 0", name="length_positive"),)


class FloorCrossAisle(Base):
    """A middle cross aisle; the front (y = 0) and back (y = aisle length) always exist."""

    __tablename__ = "floor_cross_aisles"
    id: Mapped[int] = mapped_column(primary_key=True)
    y: Mapped[float] = mapped_column(Float, unique=True)


class FloorDepot(Base):
    """Where pick walks start and end (one row)."""

    __tablename__ = "floor_depot"
    id: Mapped[int] = mapped_column(primary_key=True)
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float, default=0.0)
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)


# --- orders ------------------------------------------------------------------------------
class SalesOrder(Base):
    __tablename__ = "sales_orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))  # Shopify, Amazon, eBay, ...
    number: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="open")
    ship_to_name: Mapped[str] = mapped_column(String(128))
    ship_to_address1: Mapped[str] = mapped_column(String(128))
    ship_to_address2: Mapped[str] = mapped_column(String(128), default="")
    ship_to_city: Mapped[str] = mapped_column(String(64))
    ship_to_postcode: Mapped[str] = mapped_column(String(16))
    ship_to_country: Mapped[str] = mapped_column(String(2))  # ISO 3166 alpha-2
    carrier: Mapped[str] = mapped_column(String(32))
    service: Mapped[str] = mapped_column(String(32), default="")
    priority: Mapped[int] = mapped_column(Integer, default=0)  # higher is more urgent
    ship_by: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    wave_id: Mapped[int | None] = mapped_column(ForeignKey("waves.id"), index=True)
    tote_slot: Mapped[int | None] = mapped_column(Integer)
    tote_plate_id: Mapped[int | None] = mapped_column(ForeignKey("license_plates.id"))
    split_from_id: Mapped[int | None] = mapped_column(ForeignKey("sales_orders.id"))
    shipped_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    lines: Mapped[list[SalesOrderLine]] = relationship(
        back_populates="order", order_by="SalesOrderLine.line_no", cascade="all, delete-orphan"
    )
    __table_args__ = (
        UniqueConstraint("channel", "number", name="uq_sales_orders_channel_number"),
        Index("ix_sales_orders_status", "status"),
    )


class SalesOrderLine(Base):
    __tablename__ = "sales_order_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id", ondelete="CASCADE"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    quantity_picked: Mapped[int] = mapped_column(Integer, default=0)
    quantity_packed: Mapped[int] = mapped_column(Integer, default=0)
    # The first allocation pass over the line (KPI "stockout rate"): when, and whether it left units uncovered.
    first_allocated_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    short_at_allocation: Mapped[bool | None] = mapped_column(Boolean)
    order: Mapped[SalesOrder] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()
    allocations: Mapped[list[Allocation]] = relationship(back_populates="line", order_by="Allocation.id")
    __table_args__ = (
        CheckConstraint(
            "quantity >= 0 AND quantity_packed >= 0 AND quantity_packed <= quantity_picked",
            name="quantities",
        ),
        UniqueConstraint("order_id", "line_no", name="uq_sales_order_lines_order_line"),
    )


class Allocation(Base):
    """Units of one stock key reserved for one order line; ``quantity`` is still reserved
    (it drops as units are picked or written off)."""

    __tablename__ = "allocations"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("sales_order_lines.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))
    license_plate_id: Mapped[int | None] = mapped_column(ForeignKey("license_plates.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    line: Mapped[SalesOrderLine] = relationship(back_populates="allocations")
    location: Mapped[Location] = relationship()
    lot: Mapped[Lot | None] = relationship()
    __table_args__ = (CheckConstraint("quantity >= 0", name="quantity_not_negative"),)


# --- waves and pick tasks ---------------------------------------------------------------------
class Wave(Base):
    __tablename__ = "waves"
    id: Mapped[int] = mapped_column(primary_key=True)
    mode: Mapped[str] = mapped_column(String(8))  # single | batch
    status: Mapped[str] = mapped_column(String(16), default="released")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    released_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    route_length: Mapped[float | None] = mapped_column(Float)
    completed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    tasks: Mapped[list[PickTask]] = relationship(back_populates="wave", order_by="PickTask.sequence")
    __table_args__ = (CheckConstraint("mode in ('single','batch')", name="mode"),)

    @property
    def number(self) -> str:
        return f"W{self.id:06d}"


class PickTask(Base):
    __tablename__ = "pick_tasks"
    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id", ondelete="CASCADE"), index=True)
    allocation_id: Mapped[int] = mapped_column(ForeignKey("allocations.id"))
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("sales_order_lines.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))
    license_plate_id: Mapped[int | None] = mapped_column(ForeignKey("license_plates.id"))
    sequence: Mapped[int] = mapped_column(Integer)  # walking order from the router
    tote_slot: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    quantity_picked: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(8), default="open")  # open | done | short
    location_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    short_reason: Mapped[str | None] = mapped_column(Text)
    mispicks: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # refused item scans
    picked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    done_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    wave: Mapped[Wave] = relationship(back_populates="tasks")
    allocation: Mapped[Allocation] = relationship()
    order: Mapped[SalesOrder] = relationship()
    line: Mapped[SalesOrderLine] = relationship()
    product: Mapped[Product] = relationship()
    location: Mapped[Location] = relationship()
    lot: Mapped[Lot | None] = relationship()
    __table_args__ = (
        CheckConstraint("quantity_picked >= 0 AND quantity_picked <= quantity", name="picked_within"),
        CheckConstraint("status in ('open','done','short')", name="status"),
    )


# --- packing and shipping -------------------------------------------------------------------
class Carton(Base):
    __tablename__ = "cartons"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    length_cm: Mapped[float] = mapped_column(Float)
    width_cm: Mapped[float] = mapped_column(Float)
    height_cm: Mapped[float] = mapped_column(Float)
    max_weight_kg: Mapped[float | None] = mapped_column(Float)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Shipment(Base):
    """One carrier's collection: the parcels handed over together."""

    __tablename__ = "shipments"
    id: Mapped[int] = mapped_column(primary_key=True)
    carrier: Mapped[str] = mapped_column(String(32))
    dispatched_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    dispatched_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @property
    def number(self) -> str:
        return f"S{self.id:06d}"


class Parcel(Base):
    """One box of an order, identified by its SSCC license plate."""

    __tablename__ = "parcels"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, ... within the order
    # The SSCC plate; set right after the parcel's id (its serial reference) is known.
    license_plate_id: Mapped[int | None] = mapped_column(ForeignKey("license_plates.id"), unique=True)
    carton_id: Mapped[int | None] = mapped_column(ForeignKey("cartons.id"))
    weight_kg: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(8), default="open")  # open | closed | shipped
    tracking_ref: Mapped[str | None] = mapped_column(String(64))
    shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    order: Mapped[SalesOrder] = relationship()
    plate: Mapped[LicensePlate | None] = relationship()
    carton: Mapped[Carton | None] = relationship()
    items: Mapped[list[ParcelItem]] = relationship(back_populates="parcel", order_by="ParcelItem.id")
    __table_args__ = (
        UniqueConstraint("order_id", "number", name="uq_parcels_order_number"),
        CheckConstraint("status in ('open','closed','shipped')", name="status"),
        CheckConstraint("weight_kg IS NULL OR weight_kg > 0", name="weight_positive"),
    )


class ParcelItem(Base):
    __tablename__ = "parcel_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    parcel_id: Mapped[int] = mapped_column(ForeignKey("parcels.id", ondelete="CASCADE"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("sales_order_lines.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    parcel: Mapped[Parcel] = relationship(back_populates="items")
    product: Mapped[Product] = relationship()
    lot: Mapped[Lot | None] = relationship()
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index("uq_parcel_items_key", "parcel_id", "order_line_id", func.coalesce(lot_id, 0), unique=True),
    )
