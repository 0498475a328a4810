"""Replenishment: min / max per pick face and the tasks that refill faces from reserve; and the
warehouse's ABC counting plan (class shares, look-back, daily cap)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models import Base, UtcDateTime, utcnow

TASK_STATES = ("open", "done", "cancelled")
TRIGGERS = ("below_min", "allocation")


class FaceSetting(Base):
    """One pick face's product and its levels: refill when on hand falls below ``min_units``,
    up to ``max_units``, in whole ``unit``s (a case, an inner pack)."""

    __tablename__ = "replenishment_faces"
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    min_units: Mapped[int] = mapped_column(Integer)
    max_units: Mapped[int] = mapped_column(Integer)
    unit: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    __table_args__ = (
        CheckConstraint("min_units >= 0 AND max_units > min_units AND unit >= 1", name="levels"),
    )


class ReplenishmentTask(Base):
    """Move ``quantity`` units of a product from reserve to its face. At most one open task per
    face (a partial unique index): the trigger that finds one open adds to it instead."""

    __tablename__ = "replenishment_tasks"
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    to_location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    from_location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))  # suggested reserve bin
    quantity: Mapped[int] = mapped_column(Integer)
    quantity_moved: Mapped[int] = mapped_column(Integer, default=0)
    waiting_units: Mapped[int] = mapped_column(Integer, default=0)  # order units waiting for it
    trigger: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    done_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    done_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    __table_args__ = (
        CheckConstraint("quantity > 0 AND quantity_moved >= 0 AND waiting_units >= 0", name="quantities"),
        CheckConstraint("status in ('open','done','cancelled')", name="status"),
        CheckConstraint("trigger in ('below_min','allocation')", name="trigger"),
        Index("uq_replenishment_open_face", "to_location_id", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
        Index("ix_replenishment_tasks_status", "status"),
    )


class CountPlanPolicy(Base):
    """The warehouse's ABC plan (one row): class shares of movement, the look-back and basis of
    the classification, the days a plan is spread over and the most counts planned for one day."""

    __tablename__ = "count_plan_policy"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    share_a: Mapped[float] = mapped_column(Float)
    share_b: Mapped[float] = mapped_column(Float)
    basis: Mapped[str] = mapped_column(String(16))
    lookback_days: Mapped[int] = mapped_column(Integer)
    plan_days: Mapped[int] = mapped_column(Integer)  # days an ABC plan is spread over
    daily_cap: Mapped[int] = mapped_column(Integer)
    __table_args__ = (
        CheckConstraint("id = 1", name="one_row"),
        CheckConstraint("share_a > 0 AND share_b > share_a AND share_b < 1", name="shares"),
        CheckConstraint("lookback_days >= 1 AND plan_days >= 1 AND daily_cap >= 1", name="limits"),
    )
