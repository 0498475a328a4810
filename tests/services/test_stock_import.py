"""`import stock`: opening stock and adjustments through the ledger, all rows or none, on every
backend; the ledger and the hash chain stay whole; statements do not grow with the file."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.csv_rules import ImportRejected
from app.core.errors import NotAllowed
from app.db import chain
from app.db.models import AuditEntry, LicensePlate, Lot, Move, OnHand
from app.db.uow import UnitOfWork
from app.services import ledger
from app.services.imports.stock import import_stock
from tests.factories import add_location
from tests.services.test_scale_statements import statements

HEADER = "sku,location,lot,expiry,license_plate,quantity,reason\n"


def run(database, tmp_path, actor, text, *, dry_run=False, name="stock.csv"):
    path = tmp_path / name
    path.write_text(HEADER + text, encoding="utf-8")
    with UnitOfWork(database) as uow:
        return import_stock(uow, path, actor=actor, dry_run=dry_run)


def problems(database, tmp_path, actor, text) -> list[str]:
    with pytest.raises(ImportRejected) as error:
        run(database, tmp_path, actor, text)
    return [str(problem) for problem in error.value.problems]


def stock(database) -> dict[tuple, int]:
    with UnitOfWork(database, write=False) as uow:
        rows = uow.session.execute(
            select(OnHand.product_id, OnHand.location_id, Lot.code, LicensePlate.code, OnHand.quantity)
            .outerjoin(Lot, Lot.id == OnHand.lot_id).outerjoin(LicensePlate, LicensePlate.id == OnHand.license_plate_id)
            .where(OnHand.quantity > 0))
        return {tuple(row[:4]): row[4] for row in rows}


def whole(database) -> None:
    """What `stockfloor db check` verifies: ledger sums and the tamper-evident chain."""
    with UnitOfWork(database, write=False) as uow:
        assert ledger.check_ledger(uow.session) == []
        assert chain.verify(uow.session)[1] == []


def test_opening_stock_lands_through_the_ledger(database, warehouse, tmp_path):
    wh = warehouse
    summary = run(database, tmp_path, wh.admin,
                  "WIDGET,A-01-01,,,,40,opening_balance\n"
                  "MILK,A-02-01,L-77,2027-03-01,,24,\n"
                  "PHONE,A-03-01,SN-1,,,1,found\n"
                  "GADGET,B-01-01,,,LPN-9,15,opening_balance\n")
    assert (summary.rows, summary.units_in, summary.units_out) == (4, 80, 0)
    assert (summary.lots_created, summary.plates_created) == (2, 1)
    p, loc = wh.products, wh.locations
    assert stock(database) == {
        (p["WIDGET"].id, loc["A-01-01"].id, None, None): 40,
        (p["MILK"].id, loc["A-02-01"].id, "L-77", None): 24,
        (p["PHONE"].id, loc["A-03-01"].id, "SN-1", None): 1,
        (p["GADGET"].id, loc["B-01-01"].id, None, "LPN-9"): 15,
    }
    with UnitOfWork(database, write=False) as uow:
        entry = uow.session.execute(select(AuditEntry.id, AuditEntry.details, AuditEntry.user_id)
                                    .where(AuditEntry.action == "stock_import")).one()
        assert '"rows": 4' in entry.details and '"file": "stock.csv"' in entry.details
        moves = uow.session.execute(select(Move.reason, Move.from_location_id, Move.document_id, Move.quantity)
                                    .order_by(Move.id)).all()
        milk_expiry = uow.session.scalar(select(Lot.expiry).where(Lot.code == "L-77"))
    assert str(milk_expiry) == "2027-03-01"
    supplier, loss = loc["SUPPLIER"].id, loc["LOSS"].id
    assert moves == [("opening_balance", supplier, entry.id, 40), ("opening_balance", supplier, entry.id, 24),
                     ("found", loss, entry.id, 1), ("opening_balance", supplier, entry.id, 15)]
    whole(database)


def test_a_negative_quantity_takes_units_out_to_inventory_loss(database, warehouse, tmp_path):
    run(database, tmp_path, warehouse.admin, "WIDGET,A-01-01,,,,40,opening_balance\n")
    summary = run(database, tmp_path, warehouse.admin, "WIDGET,A-01-01,,,,-6,damaged\n")
    assert summary.units_out == 6
    assert stock(database) == {(warehouse.products["WIDGET"].id, warehouse.locations["A-01-01"].id, None, None): 34}
    with UnitOfWork(database, write=False) as uow:
        last = uow.session.execute(select(Move.reason, Move.to_location_id, Move.quantity)
                                   .order_by(Move.id.desc()).limit(1)).one()
    assert tuple(last) == ("damaged", warehouse.locations["LOSS"].id, 6)
    whole(database)


def test_every_problem_is_listed_and_nothing_is_written(database, warehouse, tmp_path):
    with UnitOfWork(database) as uow:
        add_location(uow.session, "BLOCKED-1", "storage", blocked=True)
        uow.commit()
    run(database, tmp_path, warehouse.admin, "WIDGET,A-01-01,,,,5,\nPHONE,A-03-01,SN-1,,,1,\n"
        "MILK,A-02-01,L-1,2027-01-01,,3,\n")
    before = stock(database)
    found = problems(database, tmp_path, warehouse.admin,
                     "NOPE,A-01-01,,,,5,\n"             # 2
                     "WIDGET,NOWHERE,,,,5,\n"           # 3
                     "WIDGET,LOSS,,,,5,\n"              # 4
                     "WIDGET,BLOCKED-1,,,,5,\n"         # 5
                     "WIDGET,B-01-01,X,,,0,\n"          # 6
                     "MILK,B-02-01,,,,4,\n"             # 7
                     "MILK,B-03-01,L-2,,,4,\n"          # 8
                     "MILK,A-02-01,L-1,2027-02-02,,4,\n"  # 9
                     "PHONE,B-01-01,SN-2,,,2,\n"        # 10
                     "GADGET,B-02-01,,2027-01-01,,2,\n"  # 11
                     "GADGET,B-02-01,,,,two,\n"         # 12
                     "WIDGET,B-01-01,Y,,,1,stolen\n")   # 13
    assert found == [
        "row 2, sku: no product NOPE (import products first)",
        "row 3, location: no location NOWHERE (import locations first)",
        "row 4, location: LOSS is a virtual inventory_loss location: it holds no stock",
        "row 5, location: BLOCKED-1 is blocked: it takes no stock",
        "row 6, lot: WIDGET is not lot or serial tracked: leave it blank",
        "row 6, quantity: must not be 0",
        "row 7, lot: MILK is lot tracked: a lot is required",
        "row 8, expiry: MILK has expiry dates: a new lot needs one",
        "row 9, expiry: lot L-1 of MILK expires on 2027-01-01, not 2027-02-02",
        "row 10, quantity: PHONE is serial tracked: one unit per row (1 or -1)",
        "row 11, expiry: an expiry belongs to a lot: give the lot too",
        "row 12, quantity: 'two' is not a whole number",
        "row 12, sku: this SKU, location, lot and license plate is already on row 11",
        "row 13, lot: WIDGET is not lot or serial tracked: leave it blank",
        "row 13, reason: 'stolen' is not one of opening_balance, adjustment, found, damaged, lost, expired",
    ]
    assert stock(database) == before


def test_stock_checks_refuse_what_the_bins_do_not_hold(database, warehouse, tmp_path):
    run(database, tmp_path, warehouse.admin, "WIDGET,A-01-01,,,,5,\nPHONE,A-03-01,SN-1,,,1,\n"
        "GADGET,B-01-01,,,LPN-9,15,\n")
    before = stock(database)
    assert problems(database, tmp_path, warehouse.admin,
                    "WIDGET,A-01-01,,,,-6,lost\n"
                    "PHONE,A-02-01,SN-1,,,1,found\n"
                    "GADGET,B-02-01,,,LPN-9,3,\n"
                    "WIDGET,A-01-01,,,,1,\n") == [
        "row 2, quantity: A-01-01 has 5 free units of WIDGET there (on hand 5, reserved 0); cannot take 6",
        "row 3, lot: serial SN-1 of PHONE is already in stock",
        "row 4, license_plate: LPN-9 holds stock in another location",
        "row 5, sku: this SKU, location, lot and license plate is already on row 2",
    ]
    assert stock(database) == before


def test_a_dry_run_writes_nothing(database, warehouse, tmp_path):
    summary = run(database, tmp_path, warehouse.admin, "WIDGET,A-01-01,,,,5,\n", dry_run=True)
    assert summary.dry_run and summary.units_in == 5
    assert stock(database) == {}
    with UnitOfWork(database, write=False) as uow:
        assert uow.session.scalar(select(func.count()).select_from(AuditEntry)
                                  .where(AuditEntry.action == "stock_import")) == 0


def test_only_an_admin_loads_stock(database, warehouse, tmp_path):
    with pytest.raises(NotAllowed):
        run(database, tmp_path, warehouse.supervisor, "WIDGET,A-01-01,,,,5,\n")
    assert stock(database) == {}


def _file(n: int) -> str:
    lines = []
    for i in range(n):
        lines.append(f"MILK,A-0{1 + i % 3}-01,L-{i},2027-01-01,P-{i},{i + 1},\n")
    return "".join(lines)


def test_statements_do_not_grow_with_the_file(database, warehouse, tmp_path):
    def measured(text: str, name: str) -> int:
        path = tmp_path / name
        path.write_text(HEADER + text, encoding="utf-8")
        with UnitOfWork(database) as uow, statements(database) as seen:
            import_stock(uow, path, actor=warehouse.admin)
        return len(seen)

    few = measured(_file(5), "few.csv")
    many = measured(_file(120).replace("L-", "M-").replace("P-", "Q-"), "many.csv")
    assert many == few
    whole(database)
