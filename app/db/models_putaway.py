"""Put-away tables: bin capacities, supervisors' put-away rules, and confirmations.

A confirmation groups the ledger moves of one confirmed put-away scan (moves carry
document_type "putaway" and its id), records the suggested bin and any deviation reason,
and is what undo reverses.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models import Base, UtcDateTime, utcnow


class LocationCapacity(Base):
    """Limits of one bin; no row (or an empty limit) means no limit."""

    __tablename__ = "location_capacities"
    location_id: Mapped[int] = mapped_column(
        ForeignKey("locations.id", ondelete="CASCADE"), primary_key=True
    )
    max_units: Mapped[int | None] = mapped_column(Integer)
    max_weight_kg: Mapped[float | None] = mapped_column(Float)
    max_volume_l: Mapped[float | None] = mapped_column(Float)
    mix_lots: Mapped[bool] = mapped_column(Boolean, default=True)
    __table_args__ = (
        CheckConstraint(
            "(max_units IS NULL OR max_units >= 0) AND (max_weight_kg IS NULL OR max_weight_kg >= 0)"
            " AND (max_volume_l IS NULL OR max_volume_l >= 0)",
            name="limits_not_negative",
        ),
    )


class PutawayRuleRow(Base):
    """A rule for one product (product_id), product group or zone (target).

    NULL fields have no opinion: the product rule overrides the group rule field by field.
    ``allowed_zones`` is a ';'-separated list.
    """

    __tablename__ = "putaway_rules"
    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(8))  # product | group | zone
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    target: Mapped[str | None] = mapped_column(String(64))
    home_location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    preferred_zone: Mapped[str | None] = mapped_column(String(32))
    allowed_zones: Mapped[str | None] = mapped_column(Text)
    mix_lots: Mapped[bool | None] = mapped_column(Boolean)
    fefo: Mapped[bool | None] = mapped_column(Boolean)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    __table_args__ = (
        CheckConstraint(
            "(scope = 'product' AND product_id IS NOT NULL AND target IS NULL)"
            " OR (scope IN ('group', 'zone') AND product_id IS NULL AND target IS NOT NULL)",
            name="scope_target",
        ),
        CheckConstraint("scope = 'product' OR home_location_id IS NULL", name="home_for_products"),
        CheckConstraint(
            "scope <> 'zone' OR (preferred_zone IS NULL AND allowed_zones IS NULL)",
            name="zone_rules_place_nothing",
        ),
        UniqueConstraint("product_id", name="uq_putaway_rules_product_id"),
        UniqueConstraint("scope", "target", name="uq_putaway_rules_scope_target"),
    )


class PutawayConfirmation(Base):
    __tablename__ = "putaway_confirmations"
    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    workstation: Mapped[str] = mapped_column(String(64))
    source_location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    destination_location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    suggested_location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    license_plate_id: Mapped[int | None] = mapped_column(ForeignKey("license_plates.id"))
    units: Mapped[int] = mapped_column(Integer)
    deviation_reason: Mapped[str | None] = mapped_column(Text)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    undone_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    undone_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    __table_args__ = (CheckConstraint("units > 0", name="units_positive"),)
