"""Min / max and the replenishment unit of each pick face: by hand (supervisors) or by CSV."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.core.actor import Actor
from app.core.csv_rules import Column, Problem, Table, duplicates
from app.core.errors import InvalidInput, NotFound
from app.core.permissions import use_case
from app.core.replenishment_rules import FACE_KIND, NotAPickFace, levels_problem
from app.db.models import Location, OnHand, Product, utcnow
from app.db.models_replenishment import FaceSetting, ReplenishmentTask
from app.db.uow import UnitOfWork
from app.services import audit
from app.services.imports.common import Counts, Importer, existing_by


@dataclass(frozen=True)
class FaceRow:
    location: str
    sku: str
    name: str
    on_hand: int
    min_units: int
    max_units: int
    unit: int
    open_task: int  # units of the open replenishment task, 0 without one

    @property
    def below_min(self) -> bool:
        return self.on_hand < self.min_units


def face_rows(session: Session) -> list[FaceRow]:
    """Every configured face with what it holds now and its open task, in one query."""
    held = (select(OnHand.location_id, OnHand.product_id, func.sum(OnHand.quantity).label("units"))
            .group_by(OnHand.location_id, OnHand.product_id).subquery())
    task = (select(ReplenishmentTask.to_location_id, ReplenishmentTask.quantity - ReplenishmentTask.quantity_moved)
            .where(ReplenishmentTask.status == "open").subquery())
    rows = session.execute(
        select(Location.code, Product.sku, Product.name, func.coalesce(held.c.units, 0), FaceSetting.min_units,
               FaceSetting.max_units, FaceSetting.unit, func.coalesce(task.c[1], 0))
        .join(Location, Location.id == FaceSetting.location_id)
        .join(Product, Product.id == FaceSetting.product_id)
        .outerjoin(held, (held.c.location_id == FaceSetting.location_id)
                   & (held.c.product_id == FaceSetting.product_id))
        .outerjoin(task, task.c.to_location_id == FaceSetting.location_id)
        .order_by(Location.code))
    return [FaceRow(*row) for row in rows]


def _face(session: Session, code: str) -> Location:
    location = session.scalar(select(Location).where(Location.code == code))
    if location is None:
        raise NotFound(what="Location", key=code)
    if location.kind != FACE_KIND:
        raise NotAPickFace(location=code, kind=location.kind)
    return location


@use_case("set_face_levels")
def set_face_levels(uow: UnitOfWork, location: str, sku: str, min_units: int, max_units: int, unit: int = 1, *,
                    actor: Actor) -> FaceRow:
    """Give a pick face its product and levels (replacing what it had); audited."""
    session = uow.session
    face = _face(session, location)
    product = session.scalar(select(Product).where(Product.sku == sku))
    if product is None:
        raise NotFound(what="Product", key=sku)
    problem = levels_problem(min_units, max_units, unit)
    if problem is not None:
        raise InvalidInput(field=problem[0].replace("_", " "), reason=problem[1])
    setting = session.get(FaceSetting, face.id) or FaceSetting(location_id=face.id)
    setting.product_id, setting.min_units, setting.max_units, setting.unit = product.id, min_units, max_units, unit
    setting.updated_at = utcnow()
    session.add(setting)
    audit.record(session, actor, "face_levels_set", location=location, sku=sku, min=min_units, max=max_units,
                 unit=unit)
    uow.commit()
    return next(row for row in face_rows(session) if row.location == location)


@use_case("remove_face_levels")
def remove_face_levels(uow: UnitOfWork, location: str, *, actor: Actor) -> None:
    """The face is no longer replenished: its levels go, an open task is cancelled."""
    session = uow.session
    face = _face(session, location)
    session.execute(delete(FaceSetting).where(FaceSetting.location_id == face.id))
    for task in session.scalars(select(ReplenishmentTask).where(ReplenishmentTask.to_location_id == face.id,
                                                                ReplenishmentTask.status == "open")):
        task.status, task.done_at, task.done_by = "cancelled", utcnow(), actor.user_id
    audit.record(session, actor, "face_levels_removed", location=location)
    uow.commit()


# --- CSV: pick-faces ------------------------------------------------------------------------------
COLUMNS = (
    Column("location", "text", "Code of the pick face. The key: an existing face's levels are replaced.",
           required=True, max_length=64),
    Column("sku", "text", "The product the face holds.", required=True, max_length=64),
    Column("min_units", "integer", "Replenish when the face holds fewer units than this.", required=True,
           minimum=0),
    Column("max_units", "integer", "Fill the face up to this many units.", required=True, minimum=1),
    Column("unit", "integer", "Replenish in whole multiples of this (a case: 12).", default=1, minimum=1),
)


def check(session: Session, table: Table) -> list[Problem]:
    problems = duplicates(table.rows, "location")
    locations = existing_by(session, Location.code, (row.get("location") for row in table.rows))
    products = existing_by(session, Product.sku, (row.get("sku") for row in table.rows))
    table.memo.update(locations=locations, products=products)
    for row in table.rows:
        code, sku = row.get("location"), row.get("sku")
        location = locations.get(code)
        if code is not None and location is None:
            problems.append(Problem(row.number, "location", f"no location {code} (import locations first)"))
        elif location is not None and location.kind != FACE_KIND:
            problems.append(Problem(row.number, "location", f"{code} is a {location.kind} location, not a pick face"))
        if sku is not None and sku not in products:
            problems.append(Problem(row.number, "sku", f"no product {sku} (import products first)"))
        levels = (row.get("min_units"), row.get("max_units"), row.get("unit") or 1)
        if None not in levels:
            problem = levels_problem(*levels)  # type: ignore[arg-type]
            if problem is not None:
                problems.append(Problem(row.number, problem[0], problem[1]))
    return problems


def apply(session: Session, table: Table) -> Counts:
    locations, products = table.memo["locations"], table.memo["products"]
    ids = [locations[row.get("location")].id for row in table.rows]
    existing = existing_by(session, FaceSetting.location_id, ids)
    created = updated = 0
    now = utcnow()
    for row, location_id in zip(table.rows, ids, strict=True):
        setting = existing.get(location_id)
        if setting is None:
            setting = FaceSetting(location_id=location_id)
            session.add(setting)
            created += 1
        else:
            updated += 1
        setting.product_id = products[row.get("sku")].id
        setting.min_units, setting.max_units = row.get("min_units"), row.get("max_units")
        setting.unit, setting.updated_at = row.get("unit") or 1, now
    session.flush()
    return Counts(created, updated)


IMPORTER = Importer(
    kind="pick-faces",
    noun="pick faces",
    key="location",
    description="Pick faces for replenishment: the product, min / max and the replenishment unit.",
    columns=COLUMNS,
    check=check,
    apply=apply,
)


def set_demo_levels(session: Session) -> int:
    """The demo warehouse's levels: every pick face whose product also lies in reserve gets min a
    third of what it holds, max twice that, in whole cases; every twelfth starts below min (its
    task waits on the first morning). Returns how many faces got levels."""
    from app.core.replenishment_rules import RESERVE_KINDS
    from app.db.models import ProductBarcode
    from app.services.replenishment import tasks

    reserve = select(OnHand.product_id).join(Location, Location.id == OnHand.location_id).where(
        Location.kind.in_(RESERVE_KINDS), OnHand.quantity > OnHand.reserved)
    case = (select(func.max(ProductBarcode.quantity)).where(ProductBarcode.product_id == OnHand.product_id)
            .scalar_subquery())
    rows = session.execute(
        select(OnHand.location_id, OnHand.product_id, func.sum(OnHand.quantity), func.coalesce(case, 1))
        .join(Location, Location.id == OnHand.location_id)
        .where(Location.kind == FACE_KIND, OnHand.product_id.in_(reserve), OnHand.lot_id.is_(None))
        .group_by(OnHand.location_id, OnHand.product_id).order_by(OnHand.location_id)).all()
    now = utcnow()
    for index, (location_id, product_id, held, unit) in enumerate(rows):
        unit = max(int(unit), 1)
        low = held + unit if index % 12 == 0 else max(held // 3, 1)
        high = max(-(-2 * max(held, low) // unit) * unit, low + unit)
        session.add(FaceSetting(location_id=location_id, product_id=product_id, min_units=low, max_units=high,
                                unit=unit, updated_at=now))
    session.flush()
    for location_id, *_ in rows[::12]:
        tasks.after_pick(session, location_id)
    return len(rows)
