"""The floor plan behind wave routing on every backend: derived from the bins when no layout
is stored (in one query, never failing on odd positions), stored layouts that cannot be
walked refused with a sentence, not a traceback."""

from __future__ import annotations

import pytest
from sqlalchemy import event, update

from app.core.errors import InvalidFloorLayout
from app.db.models import Location
from app.db.models_picking import FloorAisle, FloorDepot
from app.db.uow import UnitOfWork
from app.services.waves import layout
from tests.factories import add_location
from tests.services.test_waves import allocated_order, pick_list, release


def stocked_order(database, warehouse):
    from tests.services.test_orders_support import put_stock

    put_stock(database, warehouse, "WIDGET", "B-03-01", 5)
    put_stock(database, warehouse, "GADGET", "A-01-01", 5)
    return allocated_order(database, warehouse, "1", {"WIDGET": 1, "GADGET": 1})


def test_bins_all_on_the_front_cross_aisle_still_route(database, warehouse):
    order_id = stocked_order(database, warehouse)
    with UnitOfWork(database) as uow:
        uow.session.execute(update(Location).where(Location.y.is_not(None)).values(y=0.0))
        uow.commit()
    [wave] = release(database, warehouse, [order_id])
    # Depot in front of aisle A (x = 3), along the front to aisle B (x = 6) and back.
    assert [r.location for r in pick_list(database, wave.wave_id)] == ["A-01-01", "B-03-01"]
    assert wave.route_length == pytest.approx(6.0)


def test_an_unrelated_odd_bin_does_not_block_releases(database, warehouse):
    order_id = stocked_order(database, warehouse)
    with UnitOfWork(database) as uow:
        # other labels at aisle A's x, a bin in front of the floor, coordinates that are no numbers
        add_location(uow.session, "Z-01-01", "storage", aisle="Z", x=3.0, y=2.0)
        add_location(uow.session, "C-09-01", "storage", aisle="C", x=9.0, y=-5.0)
        add_location(uow.session, "D-01-01", "pick_face", aisle="D", x=3.0, y=0.0)
        add_location(uow.session, "E-01-01", "storage", aisle="E", x=float("nan"), y=1.0)
        add_location(uow.session, "F-01-01", "storage", aisle="F", x=12.0, y=float("inf"))
        uow.commit()
    with UnitOfWork(database, write=False) as uow:
        plan = layout.floor_plan(uow.session)
    assert plan.layout.aisle_xs == (3.0, 6.0)
    assert plan.aisle_index == {"A": 0, "B": 1, "D": 0, "Z": 0}
    [wave] = release(database, warehouse, [order_id])
    # up aisle A to the back (y = 4.5), across, down aisle B: 4.5 + 3 + 4.5 + 3 back to x = 3
    assert [r.location for r in pick_list(database, wave.wave_id)] == ["A-01-01", "B-03-01"]
    assert wave.route_length == pytest.approx(15.0)


def test_the_derived_plan_is_one_aggregate_query(database, warehouse):
    statements = []

    def count(conn, cursor, statement, *args):
        if not statement.startswith("BEGIN"):
            statements.append(statement)

    with UnitOfWork(database, write=False) as uow:
        engine = uow.session.get_bind()
        event.listen(engine, "before_cursor_execute", count)
        try:
            plan = layout.floor_plan(uow.session)
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert plan.aisle_index == {"A": 0, "B": 1}
    # one to see that no layout is stored, one GROUP BY over the bins (never a row per bin)
    assert len(statements) == 2
    assert "GROUP BY" in statements[1]


def test_a_stored_layout_that_cannot_be_walked_is_named(database, warehouse):
    order_id = stocked_order(database, warehouse)
    with UnitOfWork(database) as uow:
        uow.session.add_all([FloorAisle(label="A", x=3.0, length=10.0),
                             FloorAisle(label="B", x=3.0, length=10.0),
                             FloorDepot(id=1, x=3.0, y=0.0)])
        uow.commit()
    with pytest.raises(InvalidFloorLayout, match="floor layout: aisles A and B share x = 3"):
        release(database, warehouse, [order_id])
    with UnitOfWork(database) as uow:
        uow.session.execute(update(FloorAisle).where(FloorAisle.label == "B").values(x=6.0))
        uow.session.execute(update(FloorDepot).values(x=float("inf")))
        uow.commit()
    with pytest.raises(InvalidFloorLayout, match="finite number; import a corrected layout"):
        release(database, warehouse, [order_id])


def test_one_release_derives_the_plan_once_for_all_its_waves(database, warehouse):
    from tests.services.test_orders_support import put_stock

    put_stock(database, warehouse, "WIDGET", "A-02-01", 10)
    ids = [allocated_order(database, warehouse, str(n), {"WIDGET": 1}) for n in (1, 2, 3)]
    plans = []

    def count(conn, cursor, statement, *args):
        if "GROUP BY locations.aisle" in statement:
            plans.append(statement)

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        waves = release(database, warehouse, ids)
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
    assert len(waves) == 3
    assert len(plans) == 1
